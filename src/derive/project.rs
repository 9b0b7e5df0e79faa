//! 项目支出绩效自评表 (财预〔2020〕10 号): the figures derived from each
//! project's data, in one place that the checks, the form and `jixiao check`
//! all read; the checks themselves; and the form as a table.


use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::format::{fixed, number, round};
use crate::input::model::{Below, Project, Report, Scoring};

/// What the weights of a project's form add up to.
pub const FORM_TOTAL: i64 = 100;

/// Figures derived from one project.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectFigures {
    pub name: String,
    /// 执行率 in percent (全年执行数 ÷ 全年预算数 × 100), rounded to the
    /// report's places; `None` when the budget is 0.
    pub rate: Option<Decimal>,
    /// The 执行率 得分 the rule gives, rounded; `None` when the budget is 0.
    pub rate_score: Option<Decimal>,
    /// How `rate_score` came about, for messages and the printout.
    #[serde(skip)]
    pub rate_working: String,
    /// Indicator weights by 一级指标, in the order they first appear.
    pub weights: Vec<(String, Decimal)>,
    /// 执行率 分值 plus every indicator's 分值.
    pub weight_sum: Decimal,
    /// Sum of the indicators' scores, when every indicator has one.
    pub indicator_score: Option<Decimal>,
    /// 总分 = 执行率得分 + 指标得分, when both are known.
    pub total: Option<Decimal>,
    /// The grade of `total` (or, lacking it, of the stated total).
    pub grade: Option<String>,
}

impl ProjectFigures {
    /// The total as the form prints it: derived, else as stated.
    pub fn shown_total(&self, p: &Project) -> Option<Decimal> {
        self.total.or(p.total)
    }
}

/// The figures of every project, in order.
pub fn figures(report: &Report) -> Vec<ProjectFigures> {
    report.projects.iter().map(|p| project_figures(p, &report.scoring)).collect()
}

fn project_figures(p: &Project, scoring: &Scoring) -> ProjectFigures {
    let places = scoring.places;
    let f = &p.funds;
    let (rate, rate_score, rate_working) = match rate_score(f.total.executed, f.total.budget, f.weight, &f.rate_rule, places) {
        Some((shown, score)) => {
            let rule = &f.rate_rule;
            let working = if shown >= rule.full_at {
                format!("执行率 {shown}% 达到 {}%，得满分 {}", number(rule.full_at), number(f.weight))
            } else {
                match rule.below {
                    Below::Rate => format!("执行率 {shown}% × 分值 {} = {}", number(f.weight), number(score)),
                    Below::Scaled => format!("执行率 {shown}% ÷ {}% × 分值 {} = {}", number(rule.full_at), number(f.weight), number(score)),
                }
            };
            (Some(shown), Some(score), working)
        }
        None => (None, None, String::new()),
    };
    let mut weights: Vec<(String, Decimal)> = Vec::new();
    for ind in &p.indicators {
        match weights.iter_mut().find(|(n, _)| *n == ind.level1) {
            Some((_, w)) => *w += ind.weight,
            None => weights.push((ind.level1.clone(), ind.weight)),
        }
    }
    let weight_sum = f.weight + p.indicators.iter().map(|i| i.weight).sum::<Decimal>();
    let all_scored = !p.indicators.is_empty() && p.indicators.iter().all(|i| i.score.is_some());
    let indicator_score = all_scored.then(|| p.indicators.iter().filter_map(|i| i.score).sum::<Decimal>());
    let total = match (rate_score, indicator_score) {
        (Some(r), Some(s)) => Some(round(r + s, places)),
        _ => None,
    };
    let grade = total.or(p.total).and_then(|t| scoring.grades.iter().find(|g| t >= g.min).map(|g| g.name.clone()));
    ProjectFigures { name: p.name.clone(), rate, rate_score, rate_working, weights, weight_sum, indicator_score, total, grade }
}

/// 执行率 in percent as the form shows it (rounded to `places`, printed
/// with them all) and the score the rule gives, rounded to `places`;
/// `None` for a zero budget or a rule that cannot apply (a threshold not
/// above 0).
///
/// The score is computed from the shown rate, not the exact one, so the
/// printed working adds up: 99.245% shows as 99.25% and scores 9.93, which
/// is what a reader gets from 99.25% × 10. One rule for the form, `check`
/// and the stated score's check.
pub fn rate_score(executed: Decimal, budget: Decimal, weight: Decimal, rule: &crate::input::model::RateRule, places: u32) -> Option<(Decimal, Decimal)> {
    if budget.is_zero() || rule.full_at <= Decimal::ZERO {
        return None;
    }
    let rate = fixed(executed.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(budget)?, places);
    let score = if rate >= rule.full_at {
        weight
    } else {
        let raw = match rule.below {
            Below::Rate => rate.checked_mul(weight)?.checked_div(Decimal::ONE_HUNDRED)?,
            Below::Scaled => rate.checked_mul(weight)?.checked_div(rule.full_at)?,
        };
        raw.min(weight).max(Decimal::ZERO)
    };
    Some((rate, round(score, places)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::model::RateRule;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rules() {
        let default = RateRule::default();
        assert_eq!(rate_score(d("98.5"), d("100"), d("10"), &default, 2), Some((d("98.50"), d("9.85"))));
        // The shown rate 99.25% (exactly 99.245%) gives 9.93, not 9.92.
        assert_eq!(rate_score(d("396.98"), d("400"), d("10"), &default, 2), Some((d("99.25"), d("9.93"))));
        assert_eq!(rate_score(d("100"), d("100"), d("10"), &default, 2).map(|r| r.0.to_string()), Some("100.00".into()));
        assert_eq!(rate_score(d("110"), d("100"), d("10"), &default, 2).map(|r| r.1), Some(d("10")));
        let threshold = RateRule { full_at: d("90"), below: Below::Rate };
        assert_eq!(rate_score(d("91"), d("100"), d("10"), &threshold, 2).map(|r| r.1), Some(d("10")));
        assert_eq!(rate_score(d("80"), d("100"), d("10"), &threshold, 2).map(|r| r.1), Some(d("8")));
        let scaled = RateRule { full_at: d("90"), below: Below::Scaled };
        assert_eq!(rate_score(d("72"), d("100"), d("10"), &scaled, 2).map(|r| r.1), Some(d("8")));
        assert_eq!(rate_score(d("1"), d("0"), d("10"), &default, 2), None);
    }
}
