//! Sentences with figure placeholders (`{income.total}`): each figure is
//! written once in `[finance]` (or derived by the checks) and printed
//! wherever a sentence names it.

use crate::check::Derived;
use crate::format::{money_plain, money_thousands, number};
use crate::model::{Finance, MoneyFormat, Report};
use rust_decimal::Decimal;

/// Expand the placeholders of `template`. Unknown or unavailable placeholders
/// are returned as errors (in Chinese), all at once.
pub fn expand(template: &str, report: &Report, derived: &Derived) -> Result<String, Vec<String>> {
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            errors.push(format!("“{{”没有配对的“}}”：{}", &rest[open..]));
            rest = "";
            break;
        };
        let key = &after[..close];
        match lookup(key, report, derived) {
            Ok(v) => out.push_str(&v),
            Err(e) => errors.push(e),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The placeholders a `figures` sentence may use.
pub const PLACEHOLDERS: &[&str] = &[
    "year",
    "unit",
    "income.total",
    "income.sources",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.personnel",
    "expenditure.public",
    "expenditure.project",
    "fixed_assets.original",
    "fixed_assets.depreciation",
    "fixed_assets.net",
    "budget",
    "execution_rate",
    "carry_over.opening",
    "carry_over.closing",
    "total_score",
    "grade",
];

fn lookup(key: &str, report: &Report, derived: &Derived) -> Result<String, String> {
    let unscored = || format!("占位符 {{{key}}} 需要全部指标的自评得分（score），但数据中没有填全；也可在 [scoring] 中写明综合评分，如 score = 92");
    match key {
        "year" => return Ok(report.year.to_string()),
        "unit" => return Ok(report.unit.clone()),
        "total_score" => return derived.scores.total.map(number).ok_or_else(unscored),
        "grade" => return derived.scores.grade.clone().ok_or_else(unscored),
        "execution_rate" => {
            return derived
                .execution_rate
                .map(|r| format!("{r}%"))
                .ok_or_else(|| match report.finance.as_ref().and_then(|f| f.budget) {
                    Some(b) if b.is_zero() => "占位符 {execution_rate} 无法计算：全年预算数 budget 为 0".to_string(),
                    _ => "占位符 {execution_rate} 需要 [finance] 的 budget（全年预算数）和支出合计".to_string(),
                });
        }
        _ => {}
    }
    if !PLACEHOLDERS.contains(&key) {
        return Err(format!("未知的占位符 {{{key}}}；可用的有：{}", PLACEHOLDERS.join("、")));
    }
    let missing = |table: &str| format!("占位符 {{{key}}} 需要 [finance.{table}]，但数据中没有");
    let finance = report.finance.as_ref().ok_or_else(|| missing(key.split('.').next().unwrap_or("")))?;
    let money = |d: Decimal| money_text(d, finance);
    let (table, field) = key.split_once('.').unwrap_or((key, ""));
    let value = match table {
        "budget" => money(finance.budget.ok_or_else(|| missing("budget"))?),
        "carry_over" => {
            let c = finance.carry_over.as_ref().ok_or_else(|| missing(table))?;
            money(if field == "opening" { c.opening } else { c.closing })
        }
        "income" => {
            let inc = finance.income.as_ref().ok_or_else(|| missing(table))?;
            match field {
                "total" => money(inc.total),
                _ => inc
                    .sources
                    .iter()
                    .map(|s| format!("{}{}", s.name, money(s.amount)))
                    .collect::<Vec<_>>()
                    .join("，"),
            }
        }
        "expenditure" => {
            let e = finance.expenditure.as_ref().ok_or_else(|| missing(table))?;
            money(match field {
                "total" => e.total,
                "basic" => e.basic,
                "personnel" => e.personnel,
                "public" => e.public,
                _ => e.project,
            })
        }
        _ => {
            let a = finance.fixed_assets.as_ref().ok_or_else(|| missing(table))?;
            money(match field {
                "original" => a.original,
                "depreciation" => a.depreciation,
                _ => a.net,
            })
        }
    };
    Ok(value)
}

/// An amount with its unit, as the seed prints it: `1485562.08元`.
pub fn money_text(d: Decimal, finance: &Finance) -> String {
    let digits = match finance.money_format {
        MoneyFormat::Plain => money_plain(d),
        MoneyFormat::Thousands => money_thousands(d),
    };
    format!("{digits}{}", finance.money_unit.label())
}
