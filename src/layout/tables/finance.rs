//! 部门整体支出基本情况表: the finance table, from the tree of amounts.

use rust_decimal::Decimal;

use super::{CellData, ColumnData, DEFAULT_SIZE, TableData};
use crate::base::diagnostic::Finding;
use crate::base::format::{money_thousands, percent};
use crate::derive::Figures;
use crate::derive::money_tree::{Node as MoneyNode, Part};
use crate::input::model::{Align, MoneyFormat, Report};

/// 部门整体支出基本情况表: 项目 | 金额 | 占比, with 上年数 | 增减率 when the
/// report states last year's figures. Rows follow the tree of amounts.
pub fn finance_table(report: &Report, derived: &Figures, path: &str) -> Result<TableData, Finding> {
    let f = report
        .finance
        .as_ref()
        .ok_or_else(|| Finding::error(path, "收支表（finance_table）需要 [finance] 的数字，但数据中没有"))?;
    let tree = derived.money.as_ref().ok_or_else(|| Finding::error(path, "收支表（finance_table）需要 [finance] 的数字，但数据中没有"))?;
    let places = report.scoring.places;
    let money = |d: Decimal| {
        let mut d = d;
        d.rescale(f.decimals.max(2));
        match f.money_format {
            MoneyFormat::Plain => d.to_string(),
            MoneyFormat::Thousands => money_thousands(d),
        }
    };
    let share = |part: Decimal, whole: Decimal| percent(part, whole, places).map(|p| p.to_string()).unwrap_or_default();
    let shown = |n: &&MoneyNode| matches!(n.part, Part::Income | Part::Expenditure | Part::CarryOver);
    let with_prior = tree.nodes.iter().filter(shown).any(|n| n.value.prior.is_some());
    let mut rows = Vec::new();
    let mut heads = 0u32;
    let mut listed_seen: std::collections::HashSet<(Option<usize>, Option<String>)> = Default::default();
    let mut breakdown_seen: Option<String> = None;
    for n in tree.nodes.iter().filter(shown) {
        let root = n.part != Part::CarryOver;
        let whole = root.then(|| tree.nodes.iter().find(|r| r.part == n.part && r.depth == 0).map(|r| r.value.amount)).flatten();
        if n.depth == 0 {
            heads += 1;
            breakdown_seen = None;
        }
        if n.breakdown.is_some() && n.breakdown != breakdown_seen && n.depth == 1 {
            breakdown_seen = n.breakdown.clone();
            let mut row = vec![CellData::text(format!("　　{}", n.breakdown.clone().unwrap_or_default())), CellData::num(""), CellData::num("")];
            if with_prior {
                row.extend([CellData::num(""), CellData::num("")]);
            }
            rows.push(row);
        }
        let depth = n.depth + usize::from(n.breakdown.is_some());
        let label = if n.depth == 0 {
            let name = match n.key.as_deref() {
                Some("opening") => "年初结转结余",
                Some("closing") => "年末结转结余",
                _ => n.name.as_str(),
            };
            format!("{}、{name}", crate::base::format::chinese_numeral(heads))
        } else {
            let lead = if !n.listed || n.breakdown.is_some() {
                ""
            } else if listed_seen.insert((n.parent, n.breakdown.clone())) {
                "其中："
            } else {
                "　　　"
            };
            format!("{}{lead}{}", "　　".repeat(depth), n.name)
        };
        let mut row = vec![CellData::text(label), CellData::num(money(n.value.amount)), CellData::num(whole.map(|w| share(n.value.amount, w)).unwrap_or_default())];
        if with_prior {
            row.push(CellData::num(n.value.prior.map(money).unwrap_or_default()));
            row.push(CellData::num(n.change_rate.map(|r| r.to_string()).unwrap_or_default()));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(Finding::error(path, "收支表（finance_table）需要 [finance.income] 或 [finance.expenditure]"));
    }
    let unit = f.money_unit.label();
    let mut columns = vec![
        ColumnData { width: "5fr".into(), align: Align::Left },
        ColumnData { width: "3fr".into(), align: Align::Right },
        ColumnData { width: "2fr".into(), align: Align::Right },
    ];
    let mut header = vec!["项目".to_string(), format!("金额（{unit}）"), "占比（%）".to_string()];
    if with_prior {
        // Five columns: the headers take two lines so that the labels keep
        // the room their indents need.
        columns[0].width = "7fr".into();
        columns.push(ColumnData { width: "3fr".into(), align: Align::Right });
        columns.push(ColumnData { width: "2fr".into(), align: Align::Right });
        header = vec!["项目".to_string(), format!("金额\n（{unit}）"), "占比\n（%）".to_string(), format!("上年数\n（{unit}）"), "增减率\n（%）".to_string()];
    }
    Ok(TableData {
        columns,
        header: vec![header.into_iter().map(|t| CellData::text(t).align(Align::Center)).collect()],
        rows,
        size: DEFAULT_SIZE,
        header_at: None,
        relabel: None,
        keep_tail: 0,
    })
}

