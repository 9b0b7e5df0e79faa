//! Text found in the strings of a data file, each match by its key path:
//! the editor's 查找/替换, and the mentions of last year the new-year step
//! lists (see [`super::new_year`]).

use toml_edit::{DocumentMut, Item, Table, Value};

use super::key_path::{Seg, format};

/// The most matches listed: a search for a common character in a long
/// report stays a list a person can read, and bounded.
pub const MAX_MATCHES: usize = 500;

/// Keys whose strings are settings, not text of the report.
const SETTINGS: &[&str] = &["money_unit", "money_format", "seal_image", "key", "numbering", "align"];

/// One occurrence of the text searched for.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The key path of the string (`sections[0].blocks[1].paragraph`).
    pub path: String,
    /// Which occurrence in that string (0 for the first).
    pub nth: usize,
    /// The string's text before the match, the match, and after it (cut short).
    pub before: String,
    pub found: String,
    pub after: String,
}

/// The byte offsets of `needle` in `text`; with `number`, only where it
/// is not part of a longer number (`2023` in `2023年`, not in `12023`).
pub fn occurrences(text: &str, needle: &str, number: bool) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    text.match_indices(needle)
        .map(|(i, _)| i)
        .filter(|&i| !number || (!digit(text[..i].chars().next_back()) && !digit(text[i + needle.len()..].chars().next())))
        .collect()
}

/// Every occurrence of `needle` in the strings of `doc`, in the order of
/// the file's tree, at most [`MAX_MATCHES`].
pub fn find(doc: &DocumentMut, needle: &str, number: bool) -> Vec<Match> {
    let mut out = Vec::new();
    if !needle.is_empty() {
        table(doc.as_table(), &mut Vec::new(), needle, number, &mut out);
    }
    out
}

/// The text around a match, about this many characters each side.
const CONTEXT: usize = 24;

fn string(s: &str, path: &[Seg], needle: &str, number: bool, out: &mut Vec<Match>) {
    for (nth, i) in occurrences(s, needle, number).into_iter().enumerate() {
        if out.len() >= MAX_MATCHES {
            return;
        }
        let before: String = s[..i].chars().rev().take(CONTEXT).collect::<Vec<_>>().into_iter().rev().collect();
        let after: String = s[i + needle.len()..].chars().take(CONTEXT).collect();
        out.push(Match { path: format(path), nth, before, found: needle.to_string(), after });
    }
}

fn table(t: &Table, path: &mut Vec<Seg>, needle: &str, number: bool, out: &mut Vec<Match>) {
    for (k, item) in t.iter() {
        if SETTINGS.contains(&k) {
            continue;
        }
        path.push(Seg::Key(k.to_string()));
        match item {
            Item::Value(v) => value(v, path, needle, number, out),
            Item::Table(t) => table(t, path, needle, number, out),
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    path.push(Seg::Index(i));
                    table(t, path, needle, number, out);
                    path.pop();
                }
            }
            Item::None => {}
        }
        path.pop();
    }
}

fn value(v: &Value, path: &mut Vec<Seg>, needle: &str, number: bool, out: &mut Vec<Match>) {
    match v {
        Value::String(s) => string(s.value(), path, needle, number, out),
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                value(v, path, needle, number, out);
                path.pop();
            }
        }
        Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                if SETTINGS.contains(&k) {
                    continue;
                }
                path.push(Seg::Key(k.to_string()));
                value(v, path, needle, number, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `text` with its `nth` occurrence of `needle` (as [`occurrences`] counts
/// them) replaced by `with`; None when there is no such occurrence.
pub fn replace_nth(text: &str, needle: &str, with: &str, nth: usize, number: bool) -> Option<String> {
    let i = *occurrences(text, needle, number).get(nth)?;
    Some(format!("{}{with}{}", &text[..i], &text[i + needle.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_path_and_whole_numbers() {
        let doc: DocumentMut = "unit = \"局\"\nmoney_unit = \"2023\"\n[[sections]]\ntitle = \"2023年工作\"\n[[sections.blocks]]\nlist = { items = [\"12023\", \"2023年、2023年\"] }\n".parse().unwrap();
        let m = find(&doc, "2023", true);
        let at: Vec<(&str, usize)> = m.iter().map(|m| (m.path.as_str(), m.nth)).collect();
        assert_eq!(at, [("sections[0].title", 0), ("sections[0].blocks[0].list.items[1]", 0), ("sections[0].blocks[0].list.items[1]", 1)]);
        assert_eq!(m[2].before, "2023年、");
        assert_eq!(find(&doc, "2023", false).len(), 4);
        assert_eq!(replace_nth("2023年、2023年", "2023", "2024", 1, true).as_deref(), Some("2023年、2024年"));
        assert_eq!(replace_nth("12023", "2023", "2024", 0, true), None);
    }
}
