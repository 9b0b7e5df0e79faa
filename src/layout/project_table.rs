//! The 项目支出绩效自评表 as a table: one ruled grid of ten columns, the
//! funds, the goal and the indicators each using the columns their cells
//! need. The indicators' column titles are the header repeated on every page;
//! the 一级 and 二级 cells are merged down their rows and labelled again
//! where a page break cuts them (`relabel`, done in the template).

use rust_decimal::Decimal;

use crate::derive::project::ProjectFigures;
use crate::base::format::number;
use crate::input::model::{Align, FundRow, Project, ProjectForm};
use crate::layout::tables::{CellData, ColumnData, TableData};

/// Column widths in mm, filling the 225 mm of a landscape type area:
/// 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 (three).
const WIDTHS: [f64; 10] = [20.0, 24.0, 38.0, 28.0, 28.0, 15.0, 15.0, 19.0, 19.0, 19.0];
/// With a 原因 column beside the funds (四川), the last column is wider,
/// taken from the target and actual columns.
const WIDTHS_WITH_REASON: [f64; 10] = [20.0, 24.0, 38.0, 22.0, 22.0, 15.0, 15.0, 17.0, 15.0, 37.0];
const SIZE: u8 = 11;

fn label(t: impl Into<String>) -> CellData {
    CellData::text(t).align(Align::Center)
}

fn figure(t: impl Into<String>) -> CellData {
    CellData::num(t).align(Align::Center)
}

fn prose(t: impl Into<String>) -> CellData {
    CellData::text(t).align(Align::Left)
}

/// An amount with the form's places (never fewer than written; the check
/// refuses more).
fn amount(d: Decimal, places: u32) -> String {
    let mut d = d;
    if d.scale() < places {
        d.rescale(places);
    }
    d.to_string()
}

/// The form of project `index`, titled by the attachment around it; its
/// rows' and columns' names from `names` (财政部's by default).
pub fn form(p: &Project, f: &ProjectFigures, names: &ProjectForm, unit: &str, index: usize) -> TableData {
    let places = p.funds.decimals;
    let mut rows: Vec<Vec<CellData>> = Vec::new();
    rows.push(vec![label("项目名称"), prose(&p.name).span(1, 9)]);
    rows.push(vec![
        label("主管部门"),
        prose(p.department.as_deref().unwrap_or(unit)).span(1, 4),
        label("实施单位").span(1, 2),
        prose(p.implementer.as_deref().unwrap_or(unit)).span(1, 3),
    ]);

    // 项目资金（万元）: the column titles, the total, then the stated
    // sources. With a 原因 column (四川) the executed figure takes one
    // column, not two, and the reason is one cell down the rows.
    let sources = p.funds.rows();
    let reason_column = names.funds_reason.is_some();
    let executed_span = if reason_column { 1 } else { 2 };
    let money = |r: &FundRow| {
        vec![
            figure(r.initial.map(|v| amount(v, places)).unwrap_or_default()),
            figure(amount(r.budget, places)),
            figure(amount(r.executed, places)).span(1, executed_span),
        ]
    };
    let mut head = vec![label(&names.funds).span(2 + sources.len() as u32, 1), label(&names.corner).span(1, 2)];
    head.extend([&names.initial, &names.budget].map(label));
    head.push(label(&names.executed).span(1, executed_span));
    head.extend([&names.weight, &names.rate, &names.score].map(label));
    if let Some(r) = &names.funds_reason {
        head.push(label(r));
    }
    rows.push(head);
    let mut total = vec![label(&names.total).span(1, 2)];
    total.extend(money(&p.funds.total));
    total.push(figure(number(p.funds.weight)));
    total.push(figure(f.rate.map(|r| format!("{r}%")).unwrap_or_default()));
    total.push(figure(f.rate_score.map(number).unwrap_or_default()));
    if reason_column {
        total.push(prose(p.funds.reason.clone().unwrap_or_default()).span(1 + sources.len() as u32, 1));
    }
    rows.push(total);
    for (k, (_, name, r)) in sources.iter().enumerate() {
        let lead = if k == 0 { "其中：" } else { "　　　" };
        let mut row = vec![prose(format!("{lead}{name}")).span(1, 2)];
        row.extend(money(r));
        row.extend(["—", "—", "—"].map(figure));
        rows.push(row);
    }

    rows.push(vec![label("年度总体目标").span(2, 1), label("预期目标").span(1, 4), label("实际完成情况").span(1, 5)]);
    rows.push(vec![prose(&p.goal.expected).span(1, 4), prose(&p.goal.actual).span(1, 5)]);
    let header_at = rows.len();

    // 绩效指标: 一级 and 二级 merged down their consecutive rows.
    let inds = &p.indicators;
    let run = |from: usize, same: &dyn Fn(usize) -> bool| (from..inds.len()).take_while(|&k| same(k)).count() as u32;
    for (k, ind) in inds.iter().enumerate() {
        let mut row = Vec::new();
        if k == 0 || inds[k - 1].level1 != ind.level1 {
            row.push(label(&ind.level1).span(run(k, &|j| inds[j].level1 == ind.level1), 1).relabel());
        }
        if k == 0 || inds[k - 1].level1 != ind.level1 || inds[k - 1].level2 != ind.level2 {
            let n = run(k, &|j| inds[j].level1 == ind.level1 && inds[j].level2 == ind.level2);
            row.push(label(&ind.level2).span(n, 1).relabel());
        }
        let unit = ind.unit.as_deref().unwrap_or("");
        let sense = ind.sense.map_or("", |s| s.symbol());
        let target = if crate::input::model::parse_number(&ind.target).is_some() {
            format!("{sense}{}{unit}", ind.target.trim())
        } else {
            format!("{sense}{}", ind.target.trim())
        };
        let actual = if crate::input::model::parse_number(&ind.actual).is_some() { format!("{}{unit}", ind.actual.trim()) } else { ind.actual.trim().to_string() };
        row.extend([
            prose(&ind.name),
            label(target),
            label(actual),
            figure(number(ind.weight)),
            figure(ind.score.map(number).unwrap_or_default()),
            prose(ind.reason.clone().unwrap_or_default()).span(1, 3),
        ]);
        rows.push(row);
    }
    let shown = f.shown_total(p);
    rows.push(vec![
        label(&names.sum).span(1, 5),
        figure(crate::derive::project::FORM_TOTAL.to_string()),
        figure(shown.map(number).unwrap_or_default()),
        label("").span(1, 3),
    ]);
    let mut keep_tail = 2;
    if let (Some(_), Some(g)) = (shown, &f.grade) {
        rows.push(vec![label("评价等级").span(1, 5), label(g).span(1, 5)]);
        keep_tail += 1;
    }

    let keep_tail = keep_tail.min(rows.len().saturating_sub(header_at) as u32);
    let mut header = ["一级指标", "二级指标", "三级指标"].map(label).to_vec();
    header.extend([&names.target, &names.actual, &names.indicator_weight, &names.score].map(label));
    header.push(label(&names.reason).span(1, 3));
    TableData {
        columns: if reason_column { WIDTHS_WITH_REASON } else { WIDTHS }.iter().map(|w| ColumnData { width: format!("{w:.2}mm"), align: Align::Center }).collect(),
        header: vec![header],
        rows,
        size: SIZE,
        header_at: Some(header_at),
        relabel: Some(format!("project-{index}")),
        // The last indicator, 总分 and 评价等级 on one page.
        keep_tail,
    }
}
