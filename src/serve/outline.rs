//! Structural edits from the editor: sections added, moved, indented,
//! outdented and deleted; paragraphs and attachments added, moved and
//! deleted; rows of a table and items of a list added and deleted.
//! (Renaming is a value edit.)
//!
//! After each edit the tables are given their places in the file again (see
//! [`super::positions`]), so the file has the new order.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::edit::{Cursor, Seg, parse_path};
use super::positions::{renumber, table_order};

/// The levels of numbering a report has by default (一、（一）1.（1））.
const MAX_DEPTH: usize = 4;
/// The text a new field starts with: `check` flags it until it is filled in.
const NEW_TITLE: &str = "【请填写：标题】";
const NEW_TEXT: &str = "【请填写：正文】";
const NEW_ATTACHMENT: &str = "【请填写：附件标题】";
const NEW_ITEM: &str = "【请填写：列举的一项】";
const NEW_TABLE_TITLE: &str = "【请填写：表格标题】";
const NEW_FIGURES: &str = "【请填写：含收支数字的句子】";
const NEW_INDICATOR: &str = "【请填写：指标名称】";

/// An array being edited: `[[x]]` tables or an inline array.
enum List<'a> {
    Tables(&'a mut ArrayOfTables),
    Values(&'a mut Array),
}

enum Elem {
    Table(Table),
    Value(Value),
}

impl List<'_> {
    fn len(&self) -> usize {
        match self {
            List::Tables(a) => a.len(),
            List::Values(a) => a.len(),
        }
    }

    fn remove(&mut self, i: usize) -> Option<Elem> {
        if i >= self.len() {
            return None;
        }
        Some(match self {
            List::Tables(a) => Elem::Table(a.remove(i)),
            List::Values(a) => Elem::Value(a.remove(i)),
        })
    }

    fn insert(&mut self, i: usize, e: Elem) -> Result<(), String> {
        match (self, e) {
            (List::Tables(a), Elem::Table(t)) => a.insert(i, t),
            (List::Tables(a), Elem::Value(Value::InlineTable(t))) => a.insert(i, t.into_table()),
            (List::Tables(_), Elem::Value(_)) => return Err("这里只能放表".into()),
            (List::Values(a), e) => {
                let mut v = match e {
                    Elem::Table(t) => Value::InlineTable(t.into_inline_table()),
                    Elem::Value(v) => v,
                };
                // The layout of a neighbour: a row written on its own line stays so.
                match a.get(i.saturating_sub(1)) {
                    Some(n) => *v.decor_mut() = n.decor().clone(),
                    None => v.decor_mut().clear(),
                }
                a.insert_formatted(i, v);
            }
        }
        Ok(())
    }
}

fn walk<'a>(doc: &'a mut DocumentMut, segs: &[Seg]) -> Option<Cursor<'a>> {
    let mut cur = Cursor::Table(doc.as_table_mut());
    for seg in segs {
        cur = cur.step(seg)?;
    }
    Some(cur)
}

fn list_at<'a>(doc: &'a mut DocumentMut, segs: &[Seg]) -> Option<List<'a>> {
    match walk(doc, segs)? {
        Cursor::Item(Item::ArrayOfTables(a)) => Some(List::Tables(a)),
        Cursor::Item(Item::Value(Value::Array(a))) | Cursor::Value(Value::Array(a)) => Some(List::Values(a)),
        _ => None,
    }
}

/// The list at `key` under the table at `segs`, made when missing. A new
/// `blocks` goes before the table's `sections`: a section's own text is
/// written before its subsections.
fn child_list<'a>(doc: &'a mut DocumentMut, segs: &[Seg], key: &str) -> Option<List<'a>> {
    match walk(doc, segs)? {
        Cursor::Table(t) | Cursor::Item(Item::Table(t)) => {
            if !t.contains_key(key) {
                let after = if key == "blocks" { t.remove_entry("sections") } else { None };
                t.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
                if let Some((k, item)) = after {
                    t.insert_formatted(&k, item);
                }
            }
            match t.get_mut(key)? {
                Item::ArrayOfTables(a) => Some(List::Tables(a)),
                Item::Value(Value::Array(a)) => Some(List::Values(a)),
                _ => None,
            }
        }
        Cursor::Value(Value::InlineTable(t)) | Cursor::Item(Item::Value(Value::InlineTable(t))) => {
            if !t.contains_key(key) {
                t.insert(key, Value::Array(Array::new()));
            }
            match t.get_mut(key)? {
                Value::Array(a) => Some(List::Values(a)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Take the key `key` out of the table at `segs` if its list is empty.
fn drop_if_empty(doc: &mut DocumentMut, segs: &[Seg], key: &str) {
    let empty = list_at(doc, &[segs, &[Seg::Key(key.into())]].concat()).is_some_and(|l| l.len() == 0);
    if !empty {
        return;
    }
    match walk(doc, segs) {
        Some(Cursor::Table(t)) | Some(Cursor::Item(Item::Table(t))) => {
            t.remove(key);
        }
        Some(Cursor::Value(Value::InlineTable(t))) | Some(Cursor::Item(Item::Value(Value::InlineTable(t)))) => {
            t.remove(key);
        }
        _ => {}
    }
}

pub use crate::input::key_path::format as format_path;

/// An element's path → the path of its list and its index.
fn element(path: &str) -> Result<(Vec<Seg>, usize), String> {
    let mut segs = parse_path(path).ok_or_else(|| format!("键路径写法不对：{path}"))?;
    match segs.pop() {
        Some(Seg::Index(i)) => Ok((segs, i)),
        _ => Err(format!("{path} 不是列表中的一项")),
    }
}

fn at(list: &[Seg], i: usize) -> Vec<Seg> {
    let mut s = list.to_vec();
    s.push(Seg::Index(i));
    s
}

fn key(segs: &[Seg], k: &str) -> Vec<Seg> {
    let mut s = segs.to_vec();
    s.push(Seg::Key(k.into()));
    s
}

fn depth(segs: &[Seg]) -> usize {
    segs.iter().filter(|s| matches!(s, Seg::Key(k) if k == "sections")).count()
}

fn new_paragraph() -> Table {
    new_paragraph_of(NEW_TEXT)
}

/// A new section (`op` "section_…") or attachment: a title to fill in and
/// one paragraph.
fn new_titled(op: &str) -> Table {
    let mut t = Table::new();
    t.insert("title", toml_edit::value(if op == "attachment_add" { NEW_ATTACHMENT } else { NEW_TITLE }));
    let mut blocks = ArrayOfTables::new();
    blocks.push(new_paragraph());
    t.insert("blocks", Item::ArrayOfTables(blocks));
    t
}

fn new_paragraph_of(text: &str) -> Table {
    let mut t = Table::new();
    t.insert("paragraph", toml_edit::value(text));
    t
}

fn new_list() -> Table {
    let mut items = Array::new();
    items.push(NEW_ITEM);
    items.push(NEW_ITEM);
    let mut list = toml_edit::InlineTable::new();
    list.insert("items", Value::Array(items));
    let mut t = Table::new();
    t.insert("list", toml_edit::value(list));
    t
}

fn new_figures() -> Table {
    let mut t = Table::new();
    t.insert("figures", toml_edit::value(NEW_FIGURES));
    t
}

/// A blank grid: three columns to name, two rows to fill in.
fn new_table() -> Table {
    let mut columns = Array::new();
    for title in ["栏目一", "栏目二", "栏目三"] {
        let mut c = toml_edit::InlineTable::new();
        c.insert("title", Value::from(title));
        columns.push(Value::InlineTable(c));
    }
    let mut rows = Array::new();
    for _ in 0..2 {
        let mut row = Array::new();
        for _ in 0..3 {
            row.push("");
        }
        rows.push(Value::Array(row));
    }
    let mut table = toml_edit::InlineTable::new();
    table.insert("columns", Value::Array(columns));
    table.insert("rows", Value::Array(rows));
    let mut t = Table::new();
    t.insert("table", toml_edit::value(table));
    t
}

/// Put the block `b` after the block at `path`, or last in the section or
/// attachment at `path`; returns the new block's path.
fn add_block(doc: &mut DocumentMut, path: &str, b: Table) -> Result<String, String> {
    let segs = parse_path(path).ok_or_else(|| missing(path))?;
    if let [owner @ .., Seg::Key(k), Seg::Index(i)] = segs.as_slice()
        && k == "blocks"
    {
        let list = key(owner, "blocks");
        let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
        if *i >= l.len() {
            return Err(missing(path));
        }
        l.insert(i + 1, Elem::Table(b))?;
        return Ok(format_path(&at(&list, i + 1)));
    }
    let mut l = child_list(doc, &segs, "blocks").ok_or_else(|| missing(path))?;
    let n = l.len();
    l.insert(n, Elem::Table(b))?;
    Ok(format_path(&at(&key(&segs, "blocks"), n)))
}

/// Move the section or block at `path` into the section `to`: a section
/// becomes its last subsection, a block its last block. Returns the new
/// path of what moved. Nothing changes when it fails.
pub fn move_into(doc: &mut DocumentMut, path: &str, to: &str) -> Result<String, String> {
    let (list, i) = element(path)?;
    let kind = match list.last() {
        Some(Seg::Key(k)) if k == "sections" || k == "blocks" => k.clone(),
        _ => return Err(format!("{path} 不是章节或段落，不能移动")),
    };
    let mut target = parse_path(to).ok_or_else(|| missing(to))?;
    if !matches!(target.as_slice(), [.., Seg::Key(k), Seg::Index(_)] if k == "sections") || !matches!(list.first(), Some(Seg::Key(k)) if k == "sections") {
        return Err("只能移到正文的某一节中".into());
    }
    // Taking the element out shifts its later siblings (and what is in them) up by one.
    if target.len() > list.len() && target[..list.len()] == list[..] {
        match target[list.len()] {
            Seg::Index(k) if k == i => return Err("不能移到它自己或它的下级中".into()),
            Seg::Index(k) if k > i => target[list.len()] = Seg::Index(k - 1),
            _ => {}
        }
    }
    if kind == "sections" && depth(&target) >= MAX_DEPTH {
        return Err(format!("章节最多 {MAX_DEPTH} 层，不能移到这一节中作为下级"));
    }
    let before = table_order(doc);
    let mut work = doc.clone();
    let e = list_at(&mut work, &list).and_then(|mut l| l.remove(i)).ok_or_else(|| missing(path))?;
    let owner = &list[..list.len() - 1];
    if !owner.is_empty() {
        drop_if_empty(&mut work, owner, &kind);
    }
    if walk(&mut work, &target).is_none() {
        return Err(missing(to));
    }
    let mut l = child_list(&mut work, &target, &kind).ok_or_else(|| missing(to))?;
    let n = l.len();
    l.insert(n, e)?;
    renumber(&mut work, &before, "sections");
    *doc = work;
    Ok(format_path(&at(&key(&target, &kind), n)))
}

/// A path to a list or to one of its elements: the list's path, and the
/// element's index when there is one.
fn list_and_index(segs: &[Seg]) -> (Vec<Seg>, Option<usize>) {
    match segs.last() {
        Some(Seg::Index(i)) => (segs[..segs.len() - 1].to_vec(), Some(*i)),
        _ => (segs.to_vec(), None),
    }
}

/// Where a new element goes in a list of `len`: after element `i`, or last.
fn after(i: Option<usize>, len: usize) -> usize {
    i.map_or(len, |i| i.saturating_add(1)).min(len)
}

fn new_row(cells: usize) -> Elem {
    let mut row = Array::new();
    for _ in 0..cells.max(1) {
        row.push("");
    }
    Elem::Value(Value::Array(row))
}

/// An indicator's path (`indicators[0].indicators[2]`) → its list and index.
fn indicator(path: &str) -> Result<(Vec<Seg>, usize), String> {
    let (list, i) = element(path)?;
    if !matches!(list.first(), Some(Seg::Key(k)) if k == "indicators") || !matches!(list.last(), Some(Seg::Key(k)) if k == "indicators") {
        return Err(format!("{path} 不是 [[indicators]] 中的指标；按指标分节的报告请在正文中增删章节"));
    }
    Ok((list, i))
}

/// A new indicator to name, worth nothing until its weight is typed.
fn new_indicator() -> Table {
    let mut t = Table::new();
    t.insert("name", toml_edit::value(NEW_INDICATOR));
    t.insert("weight", toml_edit::value(0));
    t
}

/// The number of columns of the table at `segs`.
fn column_count(doc: &mut DocumentMut, segs: &[Seg]) -> usize {
    let columns = |v: Option<&Value>| v.and_then(Value::as_array).map_or(0, Array::len);
    match walk(doc, segs) {
        Some(Cursor::Table(t)) | Some(Cursor::Item(Item::Table(t))) => columns(t.get("columns").and_then(Item::as_value)),
        Some(Cursor::Value(Value::InlineTable(t))) | Some(Cursor::Item(Item::Value(Value::InlineTable(t)))) => columns(t.get("columns")),
        _ => 0,
    }
}

fn missing(path: &str) -> String {
    format!("数据中没有 {path}")
}

/// Apply the operation `op` at `path`; returns the path of the element to
/// show afterwards. `count` is the number of cells of a new table row.
pub fn apply(doc: &mut DocumentMut, op: &str, path: &str, count: Option<usize>) -> Result<String, String> {
    // The indicators of a framework (`path` names it), added at the end.
    if op == "framework_add" {
        let text = crate::input::starter::add_framework(&doc.to_string(), path)?;
        *doc = text.parse().map_err(|_| "加入指标后的数据无法读回；请报告此问题".to_string())?;
        return Ok("indicators[0]".into());
    }
    let root = match parse_path(path).and_then(|s| s.into_iter().next()) {
        Some(Seg::Key(k)) => k,
        _ if op == "attachment_add" => "attachments".into(),
        _ if op.starts_with("indicator_") => "indicators".into(),
        _ => "sections".into(),
    };
    let before = table_order(doc);
    let focus = structural(doc, op, path, count)?;
    renumber(doc, &before, &root);
    Ok(focus)
}

fn structural(doc: &mut DocumentMut, op: &str, path: &str, count: Option<usize>) -> Result<String, String> {
    match op {
        // A section after this one, or the first when there is none.
        "section_after" | "attachment_add" if path.is_empty() => {
            let k = if op == "section_after" { "sections" } else { "attachments" };
            let mut l = child_list(doc, &[], k).ok_or_else(|| missing(k))?;
            let n = l.len();
            l.insert(n, Elem::Table(new_titled(op)))?;
            Ok(format!("{k}[{n}]"))
        }
        "section_after" | "attachment_add" => {
            let (list, i) = element(path)?;
            let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
            if i >= l.len() {
                return Err(missing(path));
            }
            l.insert(i + 1, Elem::Table(new_titled(op)))?;
            Ok(format_path(&at(&list, i + 1)))
        }
        "section_child" => {
            let segs = parse_path(path).ok_or_else(|| missing(path))?;
            if depth(&segs) >= MAX_DEPTH {
                return Err(format!("章节最多 {MAX_DEPTH} 层，不能再加下级"));
            }
            let mut l = child_list(doc, &segs, "sections").ok_or_else(|| missing(path))?;
            let n = l.len();
            l.insert(n, Elem::Table(new_titled(op)))?;
            Ok(format_path(&at(&key(&segs, "sections"), n)))
        }
        "up" | "down" => {
            let (list, i) = element(path)?;
            let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
            let j = if op == "up" { i.checked_sub(1) } else { i.checked_add(1) }.filter(|&j| j < l.len());
            let Some(j) = j else {
                return Err(if op == "up" { "已经是第一项".into() } else { "已经是最后一项".into() });
            };
            let e = l.remove(i).ok_or_else(|| missing(path))?;
            l.insert(j, e)?;
            Ok(format_path(&at(&list, j)))
        }
        // This section becomes the last subsection of the one before it.
        "indent" => {
            let (list, i) = element(path)?;
            if i == 0 {
                return Err("第一项没有可以归入的上一节".into());
            }
            if depth(&list) >= MAX_DEPTH {
                return Err(format!("章节最多 {MAX_DEPTH} 层，不能再降级"));
            }
            let e = list_at(doc, &list).and_then(|mut l| l.remove(i)).ok_or_else(|| missing(path))?;
            let prev = at(&list, i - 1);
            let mut l = child_list(doc, &prev, "sections").ok_or_else(|| missing(path))?;
            let n = l.len();
            l.insert(n, e)?;
            Ok(format_path(&at(&key(&prev, "sections"), n)))
        }
        // This section follows its parent, one level up.
        "outdent" => {
            let (list, i) = element(path)?;
            let (parent_list, parent) = match list.as_slice() {
                [rest @ .., Seg::Index(p), Seg::Key(k)] if k == "sections" && depth(rest) >= 1 => (rest.to_vec(), *p),
                _ => return Err("第一层的章节不能再升级".into()),
            };
            let e = list_at(doc, &list).and_then(|mut l| l.remove(i)).ok_or_else(|| missing(path))?;
            drop_if_empty(doc, &at(&parent_list, parent), "sections");
            let mut l = list_at(doc, &parent_list).ok_or_else(|| missing(path))?;
            l.insert(parent + 1, e)?;
            Ok(format_path(&at(&parent_list, parent + 1)))
        }
        "delete" => {
            let (list, i) = element(path)?;
            list_at(doc, &list).and_then(|mut l| l.remove(i)).ok_or_else(|| missing(path))?;
            let owner = &list[..list.len() - 1];
            if let Some(Seg::Key(k)) = list.last()
                && (k == "sections" || k == "blocks" || k == "indicators")
                && !owner.is_empty()
            {
                drop_if_empty(doc, owner, k);
            }
            let left = list_at(doc, &list).map_or(0, |l| l.len());
            Ok(if left > 0 { format_path(&at(&list, i.min(left - 1))) } else { format_path(owner) })
        }
        // A paragraph, list or figures sentence after this block, or the
        // last of this section or attachment.
        "paragraph_add" => Ok(add_block(doc, path, new_paragraph())? + ".paragraph"),
        "list_add" => Ok(add_block(doc, path, new_list())? + ".list.items[0]"),
        "figures_add" => Ok(add_block(doc, path, new_figures())? + ".figures"),
        // A blank table, with its title as the paragraph before it.
        "table_add" => {
            let title = add_block(doc, path, new_paragraph_of(NEW_TABLE_TITLE))?;
            add_block(doc, &title, new_table())?;
            Ok(title + ".paragraph")
        }
        // A row of empty cells after this row, or the last of `…table.rows`.
        "row_add" => {
            let segs = parse_path(path).ok_or_else(|| missing(path))?;
            let (list, i) = list_and_index(&segs);
            if !matches!(list.last(), Some(Seg::Key(k)) if k == "rows" || k == "header") {
                return Err(format!("{path} 不是表格的行"));
            }
            let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
            let n = after(i, l.len());
            l.insert(n, new_row(count.unwrap_or(1)))?;
            Ok(format_path(&at(&list, n)))
        }
        // An indicator of the unit's own tree after this one, or the first
        // of a report that has none (with the 自评表 that prints the tree).
        "indicator_after" if path.is_empty() && !doc.contains_key("indicators") => {
            let text = crate::input::starter::add_own_indicators(&doc.to_string())?;
            *doc = text.parse().map_err(|_| "加入指标后的数据无法读回；请报告此问题".to_string())?;
            Ok("indicators[0]".into())
        }
        "indicator_after" if path.is_empty() => {
            let mut l = child_list(doc, &[], "indicators").ok_or_else(|| missing("indicators"))?;
            let n = l.len();
            l.insert(n, Elem::Table(new_indicator()))?;
            Ok(format!("indicators[{n}]"))
        }
        "indicator_after" => {
            let (list, i) = indicator(path)?;
            let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
            if i >= l.len() {
                return Err(missing(path));
            }
            l.insert(i + 1, Elem::Table(new_indicator()))?;
            Ok(format_path(&at(&list, i + 1)))
        }
        // A level below this indicator. Its first child takes over its
        // weight and its score, so the sums still hold.
        "indicator_child" => {
            let (list, i) = indicator(path)?;
            let node = at(&list, i);
            let weight = match walk(doc, &node) {
                Some(Cursor::Table(t)) | Some(Cursor::Item(Item::Table(t))) => {
                    if t.get("indicators").and_then(Item::as_array_of_tables).is_some_and(|a| !a.is_empty()) {
                        None
                    } else {
                        Some((t.get("weight").and_then(Item::as_value).cloned(), t.remove("score")))
                    }
                }
                _ => return Err(missing(path)),
            };
            let mut child = new_indicator();
            if let Some((w, score)) = weight {
                if let Some(w) = w {
                    child.insert("weight", Item::Value(w.decorated(" ", "")));
                }
                if let Some(score) = score {
                    child.insert("score", score);
                }
            }
            let mut l = child_list(doc, &node, "indicators").ok_or_else(|| missing(path))?;
            let n = l.len();
            l.insert(n, Elem::Table(child))?;
            Ok(format_path(&at(&key(&node, "indicators"), n)))
        }
        // Cells of a table merged with the one to the right or below, or split.
        "merge_right" | "merge_down" | "unmerge" => {
            let segs = parse_path(path).ok_or_else(|| missing(path))?;
            let [table @ .., Seg::Key(k), Seg::Index(r), Seg::Index(i)] = segs.as_slice() else {
                return Err(format!("{path} 不是表格的单元格"));
            };
            if k != "rows" && k != "header" {
                return Err(format!("{path} 不是表格的单元格"));
            }
            let ncols = column_count(doc, table);
            let Some(List::Values(rows)) = list_at(doc, &key(table, k)) else { return Err(missing(path)) };
            super::merge::apply(rows, ncols, op, *r, *i)?;
            Ok(path.to_string())
        }
        // A header row above the column titles (the first makes `header`).
        "header_add" => {
            let segs = parse_path(path).ok_or_else(|| missing(path))?;
            let ncols = column_count(doc, &segs);
            match walk(doc, &segs) {
                Some(Cursor::Table(t)) | Some(Cursor::Item(Item::Table(t))) if !t.contains_key("header") => {
                    t.insert("header", Item::Value(Value::Array(Array::new())));
                }
                Some(Cursor::Value(Value::InlineTable(t))) | Some(Cursor::Item(Item::Value(Value::InlineTable(t)))) if !t.contains_key("header") => {
                    t.insert("header", Value::Array(Array::new()));
                }
                Some(_) => {}
                None => return Err(missing(path)),
            }
            let list = key(&segs, "header");
            let mut l = list_at(doc, &list).ok_or_else(|| format!("{path} 不是表格"))?;
            let n = l.len();
            l.insert(n, new_row(ncols))?;
            Ok(format_path(&at(&list, n)))
        }
        // An item of a list after this item, or the last of `…list.items`.
        "item_add" => {
            let segs = parse_path(path).ok_or_else(|| missing(path))?;
            let (list, i) = list_and_index(&segs);
            if !matches!(list.as_slice(), [.., Seg::Key(l), Seg::Key(k)] if l == "list" && k == "items") {
                return Err(format!("{path} 不是列举"));
            }
            let mut l = list_at(doc, &list).ok_or_else(|| missing(path))?;
            if !matches!(l, List::Values(_)) {
                return Err(format!("{path} 不是列举"));
            }
            let n = after(i, l.len());
            l.insert(n, Elem::Value(Value::from(NEW_ITEM)))?;
            Ok(format_path(&at(&list, n)))
        }
        other => Err(format!("不认识的操作：{}", crate::base::diagnostic::shown(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# 报告\nunit = \"示例局\"\nyear = 2023\n\n[finance]\ntotal = \"1\"\n\n# 第一节\n[[sections]]\ntitle = \"甲\"\n\n[[sections.blocks]]\nparagraph = \"甲的正文\"\n\n# 甲之下\n[[sections.sections]]\ntitle = \"甲一\"\n\n[[sections.sections]]\ntitle = \"甲二\" # 注\n\n[[sections]]\ntitle = \"乙\"\n\n[[sections.blocks]]\nparagraph = \"乙的正文\"\n\n[closing]\ndate = \"2024-01-01\"\n\n[[attachments]]\ntitle = \"附表\"\n\n[[attachments.blocks]]\n[attachments.blocks.table]\ncolumns = [{ title = \"a\" }, { title = \"b\" }]\nrows = [\n  [\"1\", \"2\"],\n  [\"3\", \"4\"],\n]\n";

    fn titles(doc: &DocumentMut) -> Vec<String> {
        let text = doc.to_string();
        let reread: toml::Table = toml::from_str(&text).unwrap();
        fn walk(v: &toml::Value, depth: usize, out: &mut Vec<String>) {
            for s in v.as_array().into_iter().flatten() {
                out.push(format!("{}{}", "-".repeat(depth), s["title"].as_str().unwrap()));
                if let Some(sub) = s.get("sections") {
                    walk(sub, depth + 1, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&reread["sections"], 0, &mut out);
        out
    }

    fn run(op: &str, path: &str) -> (DocumentMut, String) {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        let focus = apply(&mut doc, op, path, Some(2)).unwrap();
        (doc, focus)
    }

    #[test]
    fn a_section_moves_with_its_comments_and_the_rest_stays() {
        let (doc, focus) = run("down", "sections[0]");
        assert_eq!(focus, "sections[1]");
        assert_eq!(titles(&doc), ["乙", "甲", "-甲一", "-甲二"]);
        let text = doc.to_string();
        // The comment above 甲's header and 甲二's own comment go with them;
        // what is not under `sections` is where it was.
        assert!(text.find("title = \"乙\"").unwrap() < text.find("# 第一节\n[[sections]]\ntitle = \"甲\"").unwrap(), "{text}");
        assert!(text.contains("# 甲之下\n[[sections.sections]]\ntitle = \"甲一\""));
        assert!(text.contains("title = \"甲二\" # 注"));
        assert!(text.starts_with("# 报告\nunit = \"示例局\"\nyear = 2023\n\n[finance]\ntotal = \"1\"\n"));
        assert!(text.find("[closing]").unwrap() > text.find("甲二").unwrap());
        assert!(text.ends_with(&TEXT[TEXT.find("\n[closing]").unwrap()..]), "{text}");
    }

    #[test]
    fn indent_outdent_add_and_delete() {
        let (doc, focus) = run("indent", "sections[1]");
        assert_eq!(focus, "sections[0].sections[2]");
        assert_eq!(titles(&doc), ["甲", "-甲一", "-甲二", "-乙"]);
        let (doc, focus) = run("outdent", "sections[0].sections[0]");
        assert_eq!(focus, "sections[1]");
        assert_eq!(titles(&doc), ["甲", "-甲二", "甲一", "乙"]);
        let (doc, _) = run("section_after", "sections[0].sections[0]");
        assert_eq!(titles(&doc), ["甲", "-甲一", &format!("-{NEW_TITLE}"), "-甲二", "乙"]);
        let (doc, focus) = run("section_child", "sections[1]");
        assert_eq!(focus, "sections[1].sections[0]");
        assert_eq!(titles(&doc), ["甲", "-甲一", "-甲二", "乙", &format!("-{NEW_TITLE}")]);
        // 乙's paragraph is still its own, before its new subsection.
        let text = doc.to_string();
        assert!(text.find("乙的正文").unwrap() < text.find(NEW_TITLE).unwrap());
        let (doc, focus) = run("delete", "sections[0].sections[1]");
        assert_eq!(focus, "sections[0].sections[0]");
        assert_eq!(titles(&doc), ["甲", "-甲一", "乙"]);
        assert!(!doc.to_string().contains("# 注"));
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        apply(&mut doc, "delete", "sections[0].sections[0]", None).unwrap();
        apply(&mut doc, "delete", "sections[0].sections[0]", None).unwrap();
        assert!(!doc.to_string().contains("[[sections.sections]]"));
        assert!(apply(&mut doc, "up", "sections[0]", None).is_err());
        assert!(apply(&mut doc, "outdent", "sections[0]", None).is_err());
    }

    #[test]
    fn a_paragraph_goes_before_the_subsections() {
        let text = "[[sections]]\ntitle = \"甲\"\n\n[[sections.sections]]\ntitle = \"甲一\"\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        let focus = apply(&mut doc, "paragraph_add", "sections[0]", None).unwrap();
        assert_eq!(focus, "sections[0].blocks[0].paragraph");
        let out = doc.to_string();
        assert!(out.find(NEW_TEXT).unwrap() < out.find("甲一").unwrap(), "{out}");
        let reread: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(reread["sections"][0]["blocks"][0]["paragraph"].as_str(), Some(NEW_TEXT));
        assert_eq!(reread["sections"][0]["sections"][0]["title"].as_str(), Some("甲一"));
    }

    #[test]
    fn elements_past_the_end_are_errors_that_change_nothing() {
        let big = usize::MAX;
        for (op, path) in [
            ("paragraph_add", "sections[0].blocks[9]".to_string()),
            ("paragraph_add", format!("sections[0].blocks[{big}]")),
            ("section_after", "sections[9]".to_string()),
            ("up", format!("sections[{big}]")),
            ("down", format!("sections[{big}]")),
            ("indent", "sections[9]".to_string()),
            ("outdent", "sections[0].sections[9]".to_string()),
            ("delete", format!("sections[0].blocks[{big}]")),
        ] {
            let mut doc: DocumentMut = TEXT.parse().unwrap();
            assert!(apply(&mut doc, op, &path, None).is_err(), "{op} {path}");
        }
        let (doc, focus) = run("row_add", &format!("attachments[0].blocks[0].table.rows[{big}]"));
        assert_eq!(focus, "attachments[0].blocks[0].table.rows[2]", "{doc}");
    }

    #[test]
    fn a_section_or_a_paragraph_moves_into_another_section() {
        let mut doc: DocumentMut = TEXT.parse().unwrap();
        let focus = move_into(&mut doc, "sections[0].sections[1]", "sections[1]").unwrap();
        assert_eq!(focus, "sections[1].sections[0]");
        assert_eq!(titles(&doc), ["甲", "-甲一", "乙", "-甲二"]);
        // 甲 is taken out first: 乙 is then the first section.
        let focus = move_into(&mut doc, "sections[0].blocks[0]", "sections[1]").unwrap();
        assert_eq!(focus, "sections[1].blocks[1]");
        let reread: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        assert_eq!(reread["sections"][1]["blocks"][1]["paragraph"].as_str(), Some("甲的正文"));
        assert!(reread["sections"][0].get("blocks").is_none());
        assert!(move_into(&mut doc, "sections[1]", "sections[1].sections[0]").is_err());
        let (doc, focus) = run("table_add", "sections[1].blocks[0]");
        assert_eq!(focus, "sections[1].blocks[1].paragraph");
        let reread: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        assert_eq!(reread["sections"][1]["blocks"][2]["table"]["columns"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn rows_and_attachments() {
        let (doc, focus) = run("row_add", "attachments[0].blocks[0].table.rows[0]");
        assert_eq!(focus, "attachments[0].blocks[0].table.rows[1]");
        assert!(doc.to_string().contains("rows = [\n  [\"1\", \"2\"],\n  [\"\", \"\"],\n  [\"3\", \"4\"],\n]"), "{doc}");
        let (doc, _) = run("delete", "attachments[0].blocks[0].table.rows[1]");
        assert!(doc.to_string().contains("rows = [\n  [\"1\", \"2\"],\n]"), "{doc}");
        let (doc, focus) = run("attachment_add", "");
        assert_eq!(focus, "attachments[1]");
        let text = doc.to_string();
        assert!(text.ends_with(&format!("[[attachments]]\ntitle = \"{NEW_ATTACHMENT}\"\n\n[[attachments.blocks]]\nparagraph = \"{NEW_TEXT}\"\n")), "{text}");
    }

    #[test]
    fn a_level_below_a_leaf_takes_its_weight_and_score() {
        let mut doc: DocumentMut = "[[indicators]]\nname = \"甲\"\nweight = 60\nscore = 50\n\n[[indicators]]\nname = \"乙\"\nweight = 40\n".parse().unwrap();
        assert_eq!(apply(&mut doc, "indicator_child", "indicators[0]", None).unwrap(), "indicators[0].indicators[0]");
        assert_eq!(apply(&mut doc, "indicator_after", "indicators[0].indicators[0]", None).unwrap(), "indicators[0].indicators[1]");
        let t: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        let first = &t["indicators"][0];
        assert!(first.get("score").is_none(), "{doc}");
        assert_eq!(first["indicators"][0]["weight"].as_integer(), Some(60));
        assert_eq!(first["indicators"][0]["score"].as_integer(), Some(50));
        assert_eq!(first["indicators"][1]["weight"].as_integer(), Some(0));
        apply(&mut doc, "delete", "indicators[0].indicators[1]", None).unwrap();
        apply(&mut doc, "delete", "indicators[0].indicators[0]", None).unwrap();
        assert!(!doc.to_string().contains("indicators.indicators"), "{doc}");
        assert!(apply(&mut doc, "indicator_child", "sections[0]", None).is_err());
    }
}
