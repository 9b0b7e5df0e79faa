//! The figures: everything computed from the model, once, before any check
//! reads it and before the layout prints it — the money tree with its sums,
//! growth and shares, the execution rate, the scores and grade, staffing
//! sums and each project's figures. Takes a `Report`, gives [`Figures`].

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::format::percent;
use crate::input::model::Report;

pub mod money_tree;
pub mod project;
pub mod scores;
pub mod staffing;

use money_tree::{MoneyTree, Part};
use staffing::StaffFigures;

/// Figures computed from the data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    /// The indicators and their scores, total and grade.
    pub scores: scores::Scores,
    /// 预算执行率, percent.
    pub execution_rate: Option<Decimal>,
    /// Shares of income by source and of expenditure by kind, percent.
    pub income_shares: Vec<(String, Decimal)>,
    pub expenditure_shares: Vec<(String, Decimal)>,
    /// Every amount with its sums and growth (see [`MoneyTree`]).
    pub money: Option<MoneyTree>,
    /// Staff counts and their sums.
    pub staffing: Option<StaffFigures>,
    /// Each project's 执行率, scores, total and grade (see [`project`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<project::ProjectFigures>,
}

/// Compute every figure of `report`.
pub fn figures(report: &Report) -> Figures {
    let places = report.scoring.places;
    let mut out = Figures { scores: scores::derive(report), ..Figures::default() };
    if let Some(f) = &report.finance {
        let tree = MoneyTree::build(f, places);
        if let Some(total) = tree.total(Part::Income) {
            let root = tree.nodes.iter().position(|n| n.part == Part::Income && n.depth == 0);
            for (_, s) in root.into_iter().flat_map(|r| tree.children(r)) {
                if let Some(p) = percent(s.value.amount, total, places) {
                    out.income_shares.push((s.name.clone(), p));
                }
            }
        }
        if let Some(total) = tree.total(Part::Expenditure) {
            for key in ["basic", "project", "personnel", "public"] {
                if let Some(n) = tree.nodes.iter().find(|n| n.part == Part::Expenditure && n.key.as_deref() == Some(key))
                    && let Some(p) = percent(n.value.amount, total, places)
                {
                    out.expenditure_shares.push((n.name.clone(), p));
                }
            }
            if let Some(budget) = f.budget.as_ref().map(|b| b.amount) {
                out.execution_rate = percent(total, budget, places);
            }
        }
        out.money = Some(tree);
    }
    out.staffing = report.staffing.as_ref().map(StaffFigures::of);
    out.projects = project::figures(report);
    out
}
