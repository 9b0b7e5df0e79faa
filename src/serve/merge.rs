//! Merged cells of a table block, merged and split from the editor.
//!
//! A row of `rows` (or `header`) lists only the cells that start in it:
//! a cell covered by a `rowspan` from above has no entry, and a `colspan`
//! stands for the columns after it (docs/data-format.md). So merging a
//! cell with its neighbour takes the neighbour's entry out and widens or
//! lengthens the cell; splitting puts empty entries back where it covered.

use toml_edit::{Array, InlineTable, Value};

/// Where an entry of the rows lands in the grid.
#[derive(Clone, Copy)]
struct Placed {
    row: usize,
    index: usize,
    col: usize,
    rows: usize,
    cols: usize,
}

fn span(t: &InlineTable, key: &str) -> usize {
    t.get(key).and_then(Value::as_integer).map_or(1, |n| n.clamp(1, 1000) as usize)
}

fn spans(v: &Value) -> (usize, usize) {
    match v {
        Value::InlineTable(t) => (span(t, "rowspan"), span(t, "colspan")),
        _ => (1, 1),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::InlineTable(t) => t.get("text").and_then(Value::as_str).unwrap_or_default().to_string(),
        other => other.clone().decorated("", "").to_string(),
    }
}

/// A cell of `text` spanning `rows` × `cols`: plain text when it spans one.
fn cell(text: &str, rows: usize, cols: usize) -> Value {
    if rows == 1 && cols == 1 {
        return Value::from(text);
    }
    let mut t = InlineTable::new();
    t.insert("text", Value::from(text));
    if rows > 1 {
        t.insert("rowspan", Value::from(rows as i64));
    }
    if cols > 1 {
        t.insert("colspan", Value::from(cols as i64));
    }
    Value::InlineTable(t)
}

/// Every entry of `rows` placed on a grid of `ncols` columns.
fn layout(rows: &Array, ncols: usize) -> Vec<Placed> {
    let mut carried = vec![0usize; ncols];
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let Some(row) = row.as_array() else { continue };
        let mut next: Vec<usize> = carried.iter().map(|c| c.saturating_sub(1)).collect();
        let mut col = 0;
        for (index, v) in row.iter().enumerate() {
            while col < ncols && carried[col] > 0 {
                col += 1;
            }
            let (rs, cs) = spans(v);
            out.push(Placed { row: r, index, col, rows: rs, cols: cs });
            for c in next.iter_mut().take((col + cs).min(ncols)).skip(col) {
                *c = rs - 1;
            }
            col += cs;
        }
        carried = next;
    }
    out
}

fn row_mut(rows: &mut Array, r: usize) -> Result<&mut Array, String> {
    rows.get_mut(r).and_then(Value::as_array_mut).ok_or_else(|| "表格中没有这一行".to_string())
}

fn joined(a: &str, b: &str) -> String {
    format!("{a}{b}")
}

/// Merge, or split, the cell `index` of row `row` in `rows` (a table of
/// `ncols` columns): `op` is "merge_right", "merge_down" or "unmerge".
/// The texts of merged cells are joined; a split cell keeps its text in
/// its first place and leaves the others empty.
pub fn apply(rows: &mut Array, ncols: usize, op: &str, row: usize, index: usize) -> Result<(), String> {
    let placed = layout(rows, ncols);
    let at = |r: usize, i: usize| placed.iter().find(|p| p.row == r && p.index == i).copied();
    let a = at(row, index).ok_or("表格中没有这个单元格")?;
    let a_text = text(&rows.get(row).and_then(Value::as_array).and_then(|r| r.get(index)).cloned().unwrap_or(Value::from("")));
    match op {
        "merge_right" => {
            let b = at(row, index + 1)
                .filter(|b| b.col == a.col + a.cols && b.rows == a.rows)
                .ok_or("右边没有同样高的单元格可以合并")?;
            let r = row_mut(rows, row)?;
            let b_text = r.get(b.index).map(text).unwrap_or_default();
            r.remove(b.index);
            r.replace(index, cell(&joined(&a_text, &b_text), a.rows, a.cols + b.cols));
            r.fmt();
        }
        "merge_down" => {
            let below = row + a.rows;
            let b = placed
                .iter()
                .find(|p| p.row == below && p.col == a.col)
                .copied()
                .ok_or("下面没有从同一列开始的单元格可以合并")?;
            if b.cols != a.cols {
                return Err("下面的单元格宽度不同，不能合并；请先把它们合并或拆分成一样宽".into());
            }
            let r = row_mut(rows, below)?;
            let b_text = r.get(b.index).map(text).unwrap_or_default();
            r.remove(b.index);
            r.fmt();
            row_mut(rows, row)?.replace(index, cell(&joined(&a_text, &b_text), a.rows + b.rows, a.cols));
        }
        "unmerge" => {
            if a.rows == 1 && a.cols == 1 {
                return Err("这个单元格没有合并，无需拆分".into());
            }
            let r = row_mut(rows, row)?;
            r.replace(index, Value::from(a_text.as_str()));
            for k in 1..a.cols {
                r.insert(index + k, "");
            }
            r.fmt();
            for below in row + 1..row + a.rows {
                // The new cells go where the split one covered: after the row's cells left of it.
                let before = placed.iter().filter(|p| p.row == below && p.col < a.col).count();
                let r = row_mut(rows, below)?;
                for k in 0..a.cols {
                    r.insert(before + k, "");
                }
                r.fmt();
            }
        }
        other => return Err(format!("不认识的操作：{}", crate::base::diagnostic::shown(other))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Array {
        let doc: toml_edit::DocumentMut = format!("rows = {text}").parse().unwrap();
        doc["rows"].as_array().unwrap().clone()
    }

    fn shown(a: &Array) -> String {
        Value::Array(a.clone()).decorated("", "").to_string()
    }

    #[test]
    fn merged_right_down_and_split_back() {
        let mut r = rows(r#"[["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]]"#);
        apply(&mut r, 3, "merge_right", 0, 0).unwrap();
        assert_eq!(shown(&r), r#"[[{ text = "ab", colspan = 2 }, "c"], ["d", "e", "f"], ["g", "h", "i"]]"#);
        // Below it, d and e are not one cell: not the same width.
        assert!(apply(&mut r, 3, "merge_down", 0, 0).is_err());
        apply(&mut r, 3, "merge_right", 1, 0).unwrap();
        apply(&mut r, 3, "merge_down", 0, 0).unwrap();
        assert_eq!(shown(&r), r#"[[{ text = "abde", rowspan = 2, colspan = 2 }, "c"], ["f"], ["g", "h", "i"]]"#);
        assert!(apply(&mut r, 3, "merge_right", 0, 1).is_err(), "nothing to the right of c");
        apply(&mut r, 3, "merge_down", 0, 1).unwrap();
        assert_eq!(shown(&r), r#"[[{ text = "abde", rowspan = 2, colspan = 2 }, { text = "cf", rowspan = 2 }], [], ["g", "h", "i"]]"#);
        apply(&mut r, 3, "unmerge", 0, 0).unwrap();
        assert_eq!(shown(&r), r#"[["abde", "", { text = "cf", rowspan = 2 }], ["", ""], ["g", "h", "i"]]"#);
        assert!(apply(&mut r, 3, "unmerge", 2, 0).is_err());
    }
}
