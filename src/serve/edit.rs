//! Edits by key path (`sections[2].blocks[0].paragraph`) applied to the
//! TOML document with `toml_edit`, so the user's comments, order and
//! layout are kept wherever the edit does not reach; and the outline read
//! back out of the same document for the editor.

use serde_json::{Value as Json, json};
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::expected::Expected;

pub use crate::input::key_path::{Seg, parse as parse_path};

/// Where a walk down the document stands: toml_edit keeps tables, arrays of
/// tables and inline values in different types.
pub(super) enum Cursor<'a> {
    Item(&'a mut Item),
    Table(&'a mut Table),
    Value(&'a mut Value),
}

impl<'a> Cursor<'a> {
    pub(super) fn step(self, seg: &Seg) -> Option<Cursor<'a>> {
        match (self, seg) {
            (Cursor::Item(Item::Table(t)), Seg::Key(k)) | (Cursor::Table(t), Seg::Key(k)) => t.get_mut(k).map(Cursor::Item),
            (Cursor::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => a.get_mut(*i).map(Cursor::Table),
            (Cursor::Item(Item::Value(v)), seg) | (Cursor::Value(v), seg) => match (v, seg) {
                (Value::InlineTable(t), Seg::Key(k)) => t.get_mut(k).map(Cursor::Value),
                (Value::Array(a), Seg::Index(i)) => a.get_mut(*i).map(Cursor::Value),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The TOML value for `text` typed into the field that now holds `old`,
/// where the data format expects `expected`. A field that wants a number,
/// a boolean or a date gets one whenever the text reads as one, whatever
/// it held before: a slip kept as text (`2023年`) is a finding until it is
/// corrected, and the correction is a number again. Where text is
/// admitted too (an amount written `"1485562.08"`), the value keeps the
/// kind it had; a text that does not read as the kind expected stays
/// text, so a typo becomes a finding, not a loss.
pub(super) fn typed(text: &str, old: Option<&Value>, expected: Option<Expected>) -> Value {
    let t = text.trim();
    let number = || -> Option<Value> {
        if let Ok(i) = t.parse::<i64>() {
            return Some(Value::from(i));
        }
        t.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from)
    };
    let date = || t.parse::<toml_edit::Datetime>().ok().map(Value::from);
    let boolean = || t.parse::<bool>().ok().map(Value::from);
    if let Some(e) = expected
        && !e.string
    {
        let v = if e.integer && !e.number {
            t.parse::<i64>().ok().map(Value::from)
        } else if e.integer || e.number {
            number()
        } else {
            None
        };
        if let Some(v) = v.or_else(|| e.boolean.then(boolean).flatten()) {
            return v;
        }
    }
    let as_old = match old {
        Some(Value::Integer(_)) | Some(Value::Float(_)) => number(),
        Some(Value::Datetime(_)) => date(),
        Some(Value::Boolean(_)) => boolean(),
        _ => None,
    };
    if let Some(v) = as_old {
        return v;
    }
    // A date field (`closing.date`) takes a TOML date where the text is one.
    if expected.is_some_and(|e| e.date)
        && let Some(v) = date()
    {
        return v;
    }
    Value::from(text)
}

/// The data format's switches: a new key of these names is a boolean.
const SWITCHES: &[&str] = &["landscape", "blank", "seal"];

/// The value for a key that is not in the file yet.
fn new_value(key: &str, text: &str, expected: Option<Expected>) -> Value {
    match (SWITCHES.contains(&key), text.trim().parse::<bool>()) {
        (true, Ok(b)) => Value::from(b),
        _ => typed(text, None, expected),
    }
}

fn replace_keeping_decor(slot: &mut Value, text: &str, expected: Option<Expected>) {
    let decor = slot.decor().clone();
    let mut v = typed(text, Some(slot), expected);
    *v.decor_mut() = decor;
    *slot = v;
}

/// Set the value at `path` to `text`, or take the key out when `text` is
/// None. A missing last key is added to its table; a missing table is not
/// made (the editor only offers fields whose table exists).
pub fn set(doc: &mut DocumentMut, path: &str, text: Option<&str>) -> Result<(), String> {
    let segs = parse_path(path).ok_or_else(|| format!("键路径写法不对：{path}"))?;
    let (last, parents) = segs.split_last().ok_or("空的键路径")?;
    let expected = super::expected::at(&segs);
    // Every report has a 落款: its table is made when a field of it is first filled in.
    if matches!(segs.first(), Some(Seg::Key(k)) if k == "closing") && segs.len() == 2 && text.is_some() && !doc.contains_key("closing") {
        doc.insert("closing", Item::Table(Table::new()));
    }
    let mut cur = Cursor::Table(doc.as_table_mut());
    for seg in parents {
        cur = cur.step(seg).ok_or_else(|| format!("数据中没有 {path}"))?;
    }
    // A figure written as `{ amount = "…", prior = "…" }` is edited at its amount.
    let missing = || format!("数据中没有 {path}");
    match (cur, last) {
        (Cursor::Item(Item::Table(t)), Seg::Key(k)) | (Cursor::Table(t), Seg::Key(k)) => match (t.get_mut(k), text) {
            (Some(Item::Value(Value::InlineTable(it))), Some(text)) if it.contains_key("amount") => {
                replace_keeping_decor(it.get_mut("amount").ok_or_else(missing)?, text, expected)
            }
            (Some(Item::Value(v)), Some(text)) => replace_keeping_decor(v, text, expected),
            (Some(Item::Table(it)), Some(text)) if it.contains_key("amount") => {
                let slot = it.get_mut("amount").and_then(Item::as_value_mut).ok_or_else(missing)?;
                replace_keeping_decor(slot, text, expected)
            }
            (Some(_), Some(_)) => return Err(format!("{path} 不是单个的值，不能在这里修改")),
            (None, Some(text)) => {
                t.insert(k, Item::Value(new_value(k, text, expected)));
            }
            (_, None) => {
                t.remove(k);
            }
        },
        (Cursor::Item(Item::Value(v)), seg) | (Cursor::Value(v), seg) => match (v, seg, text) {
            (Value::InlineTable(t), Seg::Key(k), Some(text)) => match t.get_mut(k) {
                Some(slot) => replace_keeping_decor(slot, text, expected),
                None => {
                    t.insert(k, new_value(k, text, expected));
                }
            },
            (Value::InlineTable(t), Seg::Key(k), None) => {
                t.remove(k);
            }
            (Value::Array(a), Seg::Index(i), Some(text)) => replace_keeping_decor(a.get_mut(*i).ok_or_else(missing)?, text, expected),
            (Value::Array(a), Seg::Index(i), None) if *i < a.len() => {
                a.remove(*i);
            }
            _ => return Err(missing()),
        },
        _ => return Err(missing()),
    }
    Ok(())
}

/// The text a field shows for a value: strings as they are, other values as
/// TOML writes them.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::InlineTable(t) => t.get("amount").map(shown).unwrap_or_default(),
        other => other.clone().decorated("", "").to_string(),
    }
}

fn item_text(item: Option<&Item>) -> Option<String> {
    match item? {
        Item::Value(v) => Some(shown(v)),
        Item::Table(t) => t.get("amount").and_then(Item::as_value).map(shown),
        _ => None,
    }
}

/// The tables of an array, whether written as `[[x]]` or `x = [{…}]`.
fn elements(item: Option<&Item>) -> Vec<&dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Some(Item::Value(Value::Array(a))) => a.iter().filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike)).collect(),
        _ => Vec::new(),
    }
}

/// The outline for the editor: each section with its path, number (as
/// `style.numbering` prints it), title, run-in text, weight, score and
/// blocks, nested.
pub fn outline(doc: &DocumentMut, style: &crate::input::model::Style) -> Json {
    Json::Array(sections(doc.get("sections"), "sections", 1, style))
}

fn sections(item: Option<&Item>, prefix: &str, level: usize, style: &crate::input::model::Style) -> Vec<Json> {
    let pattern = style.numbering.get(level - 1).or(style.numbering.last()).map(String::as_str).unwrap_or("");
    elements(item)
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let path = format!("{prefix}[{i}]");
            json!({
                "path": path,
                "number": crate::base::format::section_number(pattern, i as u32 + style.start_at(level)),
                "title": item_text(t.get("title")).unwrap_or_default(),
                "run_in": item_text(t.get("run_in")),
                "weight": item_text(t.get("weight")),
                "score": item_text(t.get("score")),
                "blocks": blocks(t, &path),
                "sections": sections(t.get("sections"), &format!("{path}.sections"), level + 1, style),
            })
        })
        .collect()
}

fn blocks(t: &dyn TableLike, path: &str) -> Vec<Json> {
    elements(t.get("blocks")).into_iter().enumerate().map(|(j, b)| block(b, &format!("{path}.blocks[{j}]"))).collect()
}

/// The attachments for the editor's list: title, orientation and blocks.
pub fn attachments(doc: &DocumentMut) -> Json {
    elements(doc.get("attachments"))
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let path = format!("attachments[{i}]");
            json!({
                "path": path,
                "title": item_text(t.get("title")).unwrap_or_default(),
                "landscape": t.get("landscape").and_then(Item::as_bool).unwrap_or(false),
                "blocks": blocks(t, &path),
            })
        })
        .collect()
}

fn block(b: &dyn TableLike, path: &str) -> Json {
    for kind in ["paragraph", "figures"] {
        if let Some(text) = item_text(b.get(kind)) {
            return json!({"kind": kind, "path": format!("{path}.{kind}"), "block": path, "text": text});
        }
    }
    if let Some(list) = b.get("list").and_then(Item::as_table_like) {
        let items: Vec<String> = match list.get("items") {
            Some(Item::Value(Value::Array(a))) => a.iter().map(shown).collect(),
            _ => Vec::new(),
        };
        return json!({"kind": "list", "path": format!("{path}.list.items"), "block": path, "items": items});
    }
    if let Some(table) = b.get("table").and_then(Item::as_table_like) {
        return grid(table, &format!("{path}.table"), path);
    }
    let kind = b.iter().next().map(|(k, _)| k.to_string()).unwrap_or_default();
    json!({"kind": kind, "path": path, "block": path})
}

fn values(item: Option<&Item>) -> Vec<&Value> {
    match item {
        Some(Item::Value(Value::Array(a))) => a.iter().collect(),
        _ => Vec::new(),
    }
}

/// A table block as a grid: its column titles and, per header row and
/// row, each written cell (see `rows_of`).
fn grid(t: &dyn TableLike, path: &str, block: &str) -> Json {
    // Each column's title and the path to edit it at.
    let (columns, column_paths): (Vec<String>, Vec<String>) = values(t.get("columns"))
        .into_iter()
        .enumerate()
        .map(|(i, c)| match c {
            Value::InlineTable(c) => (c.get("title").map(shown).unwrap_or_default(), format!("{path}.columns[{i}].title")),
            other => (shown(other), format!("{path}.columns[{i}]")),
        })
        .unzip();
    // Each row's written cells: the text, the path to edit it at (a merged
    // cell at its `text`), the cell's own path (to merge or split it) and its spans.
    let rows_of = |key: &str| -> Vec<Json> {
        values(t.get(key))
            .into_iter()
            .enumerate()
            .map(|(r, row)| {
                let cells: Vec<Json> = match row {
                    Value::Array(cells) => cells
                        .iter()
                        .enumerate()
                        .map(|(c, cell)| {
                            let at = format!("{path}.{key}[{r}][{c}]");
                            match cell {
                                Value::InlineTable(m) => json!({
                                    "path": format!("{at}.text"),
                                    "at": at,
                                    "text": m.get("text").map(shown).unwrap_or_default(),
                                    "rowspan": m.get("rowspan").and_then(Value::as_integer),
                                    "colspan": m.get("colspan").and_then(Value::as_integer),
                                }),
                                other => json!({"path": at, "at": at, "text": shown(other)}),
                            }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                json!({"path": format!("{path}.{key}[{r}]"), "cells": cells})
            })
            .collect()
    };
    json!({"kind": "table", "path": path, "block": block, "columns": columns, "column_paths": column_paths, "header": rows_of("header"), "rows": rows_of("rows")})
}

/// The top-level fields: unit, year, title, and the 落款.
pub fn basics(doc: &DocumentMut) -> Json {
    let closing = doc.get("closing").and_then(Item::as_table_like);
    json!({
        "unit": item_text(doc.get("unit")),
        "year": item_text(doc.get("year")),
        "title": item_text(doc.get("title")),

        "closing_unit": closing.and_then(|c| item_text(c.get("unit"))),
        "closing_date": closing.and_then(|c| item_text(c.get("date"))),
    })
}

/// The text at `path`, for the editor to show after an undo or reload.
pub fn get(doc: &DocumentMut, path: &str) -> Option<String> {
    enum At<'a> {
        Item(&'a Item),
        Table(&'a Table),
        Value(&'a Value),
    }
    let mut at = At::Table(doc.as_table());
    for seg in &parse_path(path)? {
        at = match (at, seg) {
            (At::Item(Item::Table(t)), Seg::Key(k)) | (At::Table(t), Seg::Key(k)) => At::Item(t.get(k)?),
            (At::Item(Item::ArrayOfTables(a)), Seg::Index(i)) => At::Table(a.get(*i)?),
            (At::Item(Item::Value(v)), seg) | (At::Value(v), seg) => match (v, seg) {
                (Value::InlineTable(t), Seg::Key(k)) => At::Value(t.get(k)?),
                (Value::Array(a), Seg::Index(i)) => At::Value(a.get(*i)?),
                _ => return None,
            },
            _ => return None,
        };
    }
    match at {
        At::Value(v) => Some(shown(v)),
        At::Item(i) => item_text(Some(i)),
        At::Table(t) => t.get("amount").and_then(Item::as_value).map(shown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# 注释\nunit = \"示例局\" # 单位\nyear = 2023\n\n[finance.expenditure]\ntotal = \"10.00\"\nbasic = { amount = \"4.00\", prior = \"3.00\" }\n\n[[sections]]\ntitle = \"一\" # 标题\n\n[[sections.blocks]]\nparagraph = \"旧的段落\"\n\n[[sections.blocks]]\nlist = { run_in = true, items = [\"甲\", \"乙\"] }\n";

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("sections[2].blocks[0].paragraph").unwrap(),
            [Seg::Key("sections".into()), Seg::Index(2), Seg::Key("blocks".into()), Seg::Index(0), Seg::Key("paragraph".into())]
        );
        assert!(parse_path("a..b").is_none());
        assert!(parse_path("a[x]").is_none());
        assert!(parse_path("").is_none());
    }

    #[test]
    fn an_edit_changes_only_its_value() {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        set(&mut doc, "sections[0].blocks[0].paragraph", Some("新的段落")).unwrap();
        set(&mut doc, "sections[0].title", Some("新标题")).unwrap();
        set(&mut doc, "sections[0].blocks[1].list.items[1]", Some("丙")).unwrap();
        set(&mut doc, "finance.expenditure.basic", Some("5.00")).unwrap();
        set(&mut doc, "year", Some("2024")).unwrap();
        let out = doc.to_string();
        let want = TEXT
            .replace("旧的段落", "新的段落")
            .replace("\"一\"", "\"新标题\"")
            .replace("\"乙\"", "\"丙\"")
            .replace("\"4.00\"", "\"5.00\"")
            .replace("2023", "2024");
        assert_eq!(out, want);
    }

    #[test]
    fn a_missing_key_is_added_and_an_empty_one_taken_out() {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        set(&mut doc, "sections[0].score", Some("18")).unwrap();
        assert!(doc.to_string().contains("score = \"18\""), "{doc}");
        set(&mut doc, "sections[0].score", None).unwrap();
        assert!(!doc.to_string().contains("score"));
        assert!(set(&mut doc, "nothing[3].x", Some("1")).is_err());
    }

    #[test]
    fn a_corrected_slip_takes_the_kind_the_field_expects() {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        set(&mut doc, "year", Some("2023年")).unwrap();
        assert!(doc.to_string().contains("year = \"2023年\""), "{doc}");
        set(&mut doc, "year", Some("2024")).unwrap();
        assert!(doc.to_string().contains("year = 2024\n"), "{doc}");
        // Amounts written as text stay text.
        set(&mut doc, "finance.expenditure.total", Some("12.00")).unwrap();
        assert!(doc.to_string().contains("total = \"12.00\""), "{doc}");
    }

    #[test]
    fn the_outline_reads_back() {
        let doc: DocumentMut = TEXT.parse().unwrap();
        let o = outline(&doc, &crate::input::model::Style::default());
        assert_eq!(o[0]["number"], "一、");
        assert_eq!(o[0]["title"], "一");
        assert_eq!(o[0]["blocks"][0]["text"], "旧的段落");
        assert_eq!(o[0]["blocks"][1]["items"][1], "乙");
        assert_eq!(get(&doc, "finance.expenditure.basic").as_deref(), Some("4.00"));
        assert_eq!(get(&doc, "sections[0].blocks[1].list.items[0]").as_deref(), Some("甲"));
    }
}
