//! 人员编制情况表: categories, sums and the retired.

use super::{CellData, ColumnData, DEFAULT_SIZE, TableData};
use crate::base::diagnostic::Finding;
use crate::derive::Figures;
use crate::input::model::{Align, Report};

/// 人员编制情况表: 类别 | 编制数 | 实有人数, with the sums and the retired.
pub fn staffing_table(report: &Report, derived: &Figures, path: &str) -> Result<TableData, Finding> {
    let missing = || Finding::error(path, "人员表（staffing_table）需要 [staffing] 的人数，但数据中没有");
    let (s, figures) = report.staffing.as_ref().zip(derived.staffing.as_ref()).ok_or_else(missing)?;
    let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let row = |g: &crate::input::model::StaffGroup| vec![CellData::text(&g.name), CellData::num(count(g.authorized)), CellData::num(count(g.actual))];
    // Serving categories, their 合计, then the categories counted beside them.
    let mut rows: Vec<Vec<CellData>> = s.groups.iter().filter(|g| g.is_serving()).map(row).collect();
    rows.push(vec![CellData::text("合计").align(Align::Center), CellData::num(count(figures.authorized)), CellData::num(count(figures.actual))]);
    rows.extend(s.groups.iter().filter(|g| !g.is_serving()).map(row));
    if let Some(r) = s.retired {
        rows.push(vec![CellData::text("退休人员"), CellData::num(""), CellData::num(r.to_string())]);
    }
    let col = |w: u32, align| ColumnData { width: format!("{w}fr"), align };
    Ok(TableData {
        columns: vec![col(4, Align::Left), col(2, Align::Center), col(2, Align::Center)],
        header: vec![["类别", "编制数（名）", "实有人数（名）"].map(|t| CellData::text(t).align(Align::Center)).to_vec()],
        rows,
        size: DEFAULT_SIZE,
        header_at: None,
        relabel: None,
        keep_tail: 0,
    })
}
