//! Tables written in the data: their shape checked, their totals computed on
//! exact decimals, their columns fitted to the type area.

use rust_decimal::Decimal;

use super::{CellData, ColumnData, DEFAULT_SIZE, MAX_SIZE, TableData, area_width_mm};
use crate::base::diagnostic::Finding;
use crate::input::model::{Align, Cell, UserTable, Width, parse_number};

/// A table written in the data: check its shape, compute its totals, and
/// make sure it fits the type area.
pub fn user_table(t: &UserTable, landscape: bool, path: &str) -> Result<TableData, Vec<Finding>> {
    let mut errors = Vec::new();
    let ncols = t.columns.len();
    if ncols == 0 {
        return Err(vec![Finding::error(format!("{path}.columns"), "表格至少要有一列")]);
    }
    let size = t.size.unwrap_or(DEFAULT_SIZE);
    if !(7..=MAX_SIZE).contains(&size) {
        errors.push(Finding::error(format!("{path}.size"), format!("表格字号应在 7 到 {MAX_SIZE} pt 之间，实际为 {size}")));
    }
    // Shape: every row fills exactly the columns, counting spans from above.
    let check_rows = |rows: &[Vec<Cell>], key: &str, errors: &mut Vec<Finding>| {
        let mut carried = vec![0u32; ncols]; // rows still covered by a rowspan above
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0usize;
            let mut cells = row.iter();
            let mut next_carried = carried.iter().map(|c| c.saturating_sub(1)).collect::<Vec<_>>();
            while col < ncols {
                if carried[col] > 0 {
                    col += 1;
                    continue;
                }
                let Some(cell) = cells.next() else { break };
                let (rs, cs) = cell.spans();
                let rows_left = rows.len() - r;
                if cs as usize > ncols - col || rs as usize > rows_left {
                    errors.push(Finding::error(
                        format!("{path}.{key}[{r}]"),
                        format!(
                            "第 {} 行的单元格“{}”跨 {rs} 行 {cs} 列，超出了表格（此处最多跨 {rows_left} 行、{} 列）",
                            r + 1,
                            crate::base::diagnostic::shown(cell.text()),
                            ncols - col
                        ),
                    ));
                    return;
                }
                for covered in next_carried.iter_mut().take((col + cs as usize).min(ncols)).skip(col) {
                    *covered = rs - 1;
                }
                col += cs as usize;
            }
            let extra = cells.count();
            if col != ncols || extra > 0 {
                let filled = if extra > 0 { ncols + extra } else { col };
                errors.push(Finding::error(
                    format!("{path}.{key}[{r}]"),
                    format!("第 {} 行占 {filled} 列，而表格有 {ncols} 列（已计入上方单元格的 rowspan）", r + 1),
                ));
            }
            carried = next_carried;
        }
    };
    check_rows(&t.header, "header", &mut errors);
    check_rows(&t.rows, "rows", &mut errors);

    let to_cell = |c: &Cell| {
        let (rs, cs) = c.spans();
        let text = c.text().to_string();
        let numeric = parse_number(&text).is_some();
        CellData { text, rowspan: rs, colspan: cs, align: None, numeric, relabel: false }
    };
    let mut rows: Vec<Vec<CellData>> = t.rows.iter().map(|r| r.iter().map(to_cell).collect()).collect();

    if let Some(total) = &t.total {
        let mut sums: Vec<(usize, Decimal, u32)> = Vec::new();
        for &c in &total.columns {
            if c == 0 || c > ncols {
                errors.push(Finding::error(format!("{path}.total.columns"), format!("合计列 {c} 不存在（表格有 {ncols} 列，从 1 数起）")));
                continue;
            }
            let mut sum = Decimal::ZERO;
            let mut scale = 0;
            for (r, row) in t.rows.iter().enumerate() {
                // Only rows whose cells line up with the columns (no spans) are summed.
                if row.len() != ncols {
                    errors.push(Finding::error(
                        format!("{path}.rows[{r}]"),
                        "要计算合计的表格中，各行不能合并单元格（每行应有与列数相同的单元格）",
                    ));
                    break;
                }
                match parse_number(row[c - 1].text()) {
                    Some(v) => {
                        sum += v;
                        scale = scale.max(v.scale());
                    }
                    None if row[c - 1].text().trim().is_empty() => {}
                    None => errors.push(Finding::error(
                        format!("{path}.rows[{r}]"),
                        format!("第 {} 行第 {c} 列“{}”不是数字，无法计入合计", r + 1, row[c - 1].text()),
                    )),
                }
            }
            sums.push((c, sum, scale));
        }
        let first = sums.iter().map(|s| s.0).min().unwrap_or(ncols + 1);
        let mut row = vec![CellData::text(&total.label).span(1, (first - 1).max(1) as u32).align(Align::Center)];
        for c in first.max(2)..=ncols {
            match sums.iter().find(|s| s.0 == c) {
                Some((_, v, scale)) => {
                    let mut v = *v;
                    v.rescale(*scale);
                    row.push(CellData::num(v.to_string()));
                }
                None => row.push(CellData::text("")),
            }
        }
        rows.push(row);
    }

    // Width: absolute columns, and the room each figure needs, against the type area.
    let avail = area_width_mm(landscape);
    let inset_mm = 2.0 * 4.0 * 25.4 / 72.0;
    let mut abs_total = 0.0;
    let mut fr_total = 0u32;
    let mut widths = Vec::new();
    for (i, c) in t.columns.iter().enumerate() {
        match &c.width {
            Some(Width::Absolute(s)) => match s.trim().strip_suffix("mm").and_then(|n| n.trim().parse::<f64>().ok()) {
                Some(mm) if mm > 0.0 => {
                    abs_total += mm;
                    widths.push(ColumnData { width: format!("{mm}mm"), align: c.align });
                }
                _ => {
                    errors.push(Finding::error(format!("{path}.columns[{i}].width"), format!("列宽“{s}”应为数字（相对宽度）或如 \"40mm\" 的毫米数")));
                    widths.push(ColumnData { width: "1fr".into(), align: c.align });
                }
            },
            Some(Width::Relative(n)) => {
                fr_total += (*n).max(1);
                widths.push(ColumnData { width: format!("{}fr", (*n).max(1)), align: c.align });
            }
            None => {
                fr_total += 1;
                widths.push(ColumnData { width: "1fr".into(), align: c.align });
            }
        }
    }
    let orientation = if landscape { "横向版心" } else { "版心" };
    let hint = if landscape { "请减少列数或缩小字号" } else { "请减少列宽、缩小字号，或把附件设为横向（landscape = true）" };
    if abs_total > avail {
        errors.push(Finding::error(
            format!("{path}.columns"),
            format!("各列宽之和 {abs_total:.1}mm 超过{orientation}宽度 {avail}mm；{hint}"),
        ));
    } else {
        let pt_to_mm = 25.4 / 72.0;
        for (i, c) in t.columns.iter().enumerate() {
            let width = match &c.width {
                Some(Width::Absolute(s)) => s.trim().trim_end_matches("mm").trim().parse::<f64>().unwrap_or(0.0),
                Some(Width::Relative(n)) => (avail - abs_total) * f64::from((*n).max(1)) / f64::from(fr_total.max(1)),
                None => (avail - abs_total) / f64::from(fr_total.max(1)),
            };
            // The widest single-column figure in this column.
            let need = rows
                .iter()
                .flat_map(|r| column_cells(r, i))
                .filter(|c| c.numeric && c.colspan == 1)
                .map(|c| c.text.chars().map(|ch| if ch.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>() * f64::from(size) * pt_to_mm + inset_mm)
                .fold(0.0, f64::max);
            if need > width + 0.01 {
                errors.push(Finding::error(
                    format!("{path}.columns[{i}]"),
                    format!("第 {} 列“{}”宽约 {width:.1}mm，放不下其中的数字（约需 {need:.1}mm），表格宽于{orientation}；{hint}", i + 1, c.title),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut header: Vec<Vec<CellData>> = t.header.iter().map(|r| r.iter().map(|c| to_cell(c).align(Align::Center)).collect()).collect();
    header.push(t.columns.iter().map(|c| CellData::text(&c.title).align(Align::Center)).collect());
    for row in &mut header {
        for c in row.iter_mut() {
            c.numeric = false;
        }
    }
    Ok(TableData { columns: widths, header, rows, size, header_at: None, relabel: None, keep_tail: 0 })
}

/// The cells of a row that start in column `col` (spans from above ignored:
/// good enough for the width estimate, which looks at single cells).
fn column_cells(row: &[CellData], col: usize) -> impl Iterator<Item = &CellData> {
    let mut at = 0usize;
    row.iter().filter(move |c| {
        let here = at == col;
        at += c.colspan as usize;
        here
    })
}

