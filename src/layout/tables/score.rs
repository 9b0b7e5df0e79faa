//! 部门整体支出绩效自评表: the score table, from the scored tree.

use rust_decimal::Decimal;

use super::{CellData, ColumnData, DEFAULT_SIZE, TableData};
use crate::base::format::number;
use crate::input::model::{Align, Report};
use crate::derive::scores::{Node, Scores};

/// 部门整体支出绩效自评表: 一级 | 二级 | 三级 | 分值 | 自评得分 | 评分说明,
/// from the scored tree; the weight and note columns, the 小计 and grade
/// rows, the score header and the weight in the names follow `scoring.table`. Each score present is
/// printed, the missing ones left blank for filling in by hand.
pub fn score_table(report: &Report, scores: &Scores, blank: bool) -> TableData {
    let opts = &report.scoring.table;
    let show = |v: Option<Decimal>| if blank { String::new() } else { v.map(number).unwrap_or_default() };
    let score = |n: &Node| show(n.score);
    let name = |n: &Node| {
        if opts.weight_in_name {
            // The weight stays whole on one line: the name may break before it, never inside it.
            let weight = report.style.weight_in_title.replace("{weight}", &number(n.weight));
            let glued: Vec<String> = weight.chars().map(String::from).collect();
            format!("{}{}", n.name, glued.join(&crate::layout::linebreak::WORD_JOINER.to_string()))
        } else {
            n.name.clone()
        }
    };
    // The trailing 评分说明 cell, when the table has that column.
    let note = |row: &mut Vec<CellData>, text: String| {
        if opts.note {
            row.push(CellData::text(text));
        }
    };
    let note_of = |n: &Node| n.note.clone().unwrap_or_default();
    // The 分值 cell, when the table has that column.
    let weight = |row: &mut Vec<CellData>, text: String| {
        if opts.weight {
            row.push(CellData::num(text));
        }
    };
    let mut rows: Vec<Vec<CellData>> = Vec::new();
    for cat in &scores.categories {
        let level2 = &cat.children;
        let leaf_count = |n: &Node| n.children.len().max(1);
        let cat_rows: usize = level2.iter().map(leaf_count).sum::<usize>().max(1);
        if level2.is_empty() {
            let mut row = vec![CellData::text(name(cat)).span(1, 3)];
            weight(&mut row, number(cat.weight));
            row.push(CellData::num(score(cat)));
            note(&mut row, note_of(cat));
            rows.push(row);
        }
        for (i, l2) in level2.iter().enumerate() {
            let mut first = Vec::new();
            if i == 0 {
                first.push(CellData::text(name(cat)).span(cat_rows as u32, 1));
            }
            if l2.children.is_empty() {
                first.push(CellData::text(name(l2)).span(1, 2));
                weight(&mut first, number(l2.weight));
                first.push(CellData::num(score(l2)));
                note(&mut first, note_of(l2));
                rows.push(first);
                continue;
            }
            first.push(CellData::text(name(l2)).span(l2.children.len() as u32, 1));
            for (k, l3) in l2.children.iter().enumerate() {
                let mut row = if k == 0 { std::mem::take(&mut first) } else { Vec::new() };
                row.push(CellData::text(name(l3)));
                weight(&mut row, number(l3.weight));
                row.push(CellData::num(score(l3)));
                note(&mut row, note_of(l3));
                rows.push(row);
            }
        }
        // A category without sub-indicators is its own subtotal.
        if level2.is_empty() || !opts.subtotal {
            continue;
        }
        let mut row = vec![CellData::text("小计").span(1, 3).align(Align::Center)];
        weight(&mut row, number(cat.weight));
        row.push(CellData::num(score(cat)));
        note(&mut row, String::new());
        rows.push(row);
    }
    for b in &scores.bonuses {
        let awards: Vec<&str> = b.rules.awards.iter().map(|a| a.name.as_str()).collect();
        let shown = show(b.score);
        let mut row = vec![CellData::text(&b.name).span(1, 3)];
        weight(&mut row, format!("≤{}", number(b.rules.cap)));
        row.push(CellData::num(shown.clone()));
        // With its points printed, the item lists what earned them.
        note(&mut row, if !shown.is_empty() && !awards.is_empty() { awards.join("；") } else { b.note.clone().unwrap_or_default() });
        rows.push(row);
    }
    // The last indicator's row and what follows it (小计, 合计, 评价等级)
    // stay on one page.
    let last_indicator = rows.len() - usize::from(opts.subtotal && scores.bonuses.is_empty() && scores.categories.last().is_some_and(|c| !c.children.is_empty()));
    let mut row = vec![CellData::text("合计").span(1, 3).align(Align::Center)];
    weight(&mut row, number(report.scoring.total));
    row.push(CellData::num(if blank { String::new() } else { scores.total.map(|t| t.to_string()).unwrap_or_default() }));
    note(&mut row, String::new());
    rows.push(row);
    let ncols: u32 = 4 + u32::from(opts.weight) + u32::from(opts.note);
    if opts.grade
        && !blank
        && let Some(g) = &scores.grade
    {
        rows.push(vec![
            CellData::text("评价等级").span(1, 3).align(Align::Center),
            CellData::text(g).span(1, ncols - 3).align(Align::Center),
        ]);
    }
    let rows_len = rows.len();
    let col = |w: u32, align| ColumnData { width: format!("{w}fr"), align };
    let mut columns = vec![col(3, Align::Center), col(3, Align::Center), col(4, Align::Left)];
    let mut header: Vec<String> = ["一级指标", "二级指标", "三级指标"].map(String::from).to_vec();
    if opts.weight {
        columns.push(col(2, Align::Center));
        header.push("分值".into());
    }
    columns.push(col(2, Align::Center));
    header.push(opts.score_header.clone());
    if opts.note {
        columns.push(col(5, Align::Left));
        header.push("评分说明".into());
    }
    TableData { columns, header: vec![header.into_iter().map(|t| CellData::text(t).align(Align::Center)).collect()], rows, size: DEFAULT_SIZE, header_at: None, relabel: None, keep_tail: (rows_len - last_indicator + 1) as u32 }
}

