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
        walk(doc.as_table(), &mut Vec::new(), &mut |path, s| {
            for (nth, i) in occurrences(s, needle, number).into_iter().enumerate() {
                if out.len() >= MAX_MATCHES {
                    return;
                }
                let before: String = s[..i].chars().rev().take(CONTEXT).collect::<Vec<_>>().into_iter().rev().collect();
                let after: String = s[i + needle.len()..].chars().take(CONTEXT).collect();
                out.push(Match { path: format(path), nth, before, found: needle.to_string(), after });
            }
        });
    }
    out
}

/// The key path of every string of `doc` that holds `needle`, however many
/// matches there are (for replacing them all).
pub fn paths_holding(doc: &DocumentMut, needle: &str, number: bool) -> Vec<String> {
    let mut out = Vec::new();
    if !needle.is_empty() {
        walk(doc.as_table(), &mut Vec::new(), &mut |path, s| {
            if !occurrences(s, needle, number).is_empty() {
                out.push(format(path));
            }
        });
    }
    out
}

/// The text around a match, about this many characters each side.
const CONTEXT: usize = 24;

/// Call `visit` with each string of the report's text under `t` (settings
/// left out) and its key path.
fn walk(t: &Table, path: &mut Vec<Seg>, visit: &mut dyn FnMut(&[Seg], &str)) {
    for (k, item) in t.iter() {
        if SETTINGS.contains(&k) {
            continue;
        }
        path.push(Seg::Key(k.to_string()));
        match item {
            Item::Value(v) => walk_value(v, path, visit),
            Item::Table(t) => walk(t, path, visit),
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(t, path, visit);
                    path.pop();
                }
            }
            Item::None => {}
        }
        path.pop();
    }
}

fn walk_value(v: &Value, path: &mut Vec<Seg>, visit: &mut dyn FnMut(&[Seg], &str)) {
    match v {
        Value::String(s) => visit(path, s.value()),
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                walk_value(v, path, visit);
                path.pop();
            }
        }
        Value::InlineTable(t) => {
            for (k, v) in t.iter() {
                if SETTINGS.contains(&k) {
                    continue;
                }
                path.push(Seg::Key(k.to_string()));
                walk_value(v, path, visit);
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

/// `text` with every occurrence of `needle` (as [`occurrences`] counts
/// them) replaced by `with`, in one pass, and how many there were.
pub fn replace_all(text: &str, needle: &str, with: &str, number: bool) -> (String, usize) {
    let at = occurrences(text, needle, number);
    let mut out = String::with_capacity(text.len() + at.len() * with.len());
    let mut from = 0;
    for &i in &at {
        out.push_str(&text[from..i]);
        out.push_str(with);
        from = i + needle.len();
    }
    out.push_str(&text[from..]);
    (out, at.len())
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
        assert_eq!(replace_all("2023年、12023、2023", "2023", "2024", true), ("2024年、12023、2024".to_string(), 2));
    }
}
