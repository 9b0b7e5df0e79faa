//! The report as imported, before it is written out: sections, blocks and
//! the figures read from the text. The outline (`outline`) builds it; the
//! readers of figures and staffing (`figures`, `staff`) fill it in; `emit`
//! writes it.

use super::{Place, SrcCell};

#[derive(Debug, Default)]
pub struct Sec {
    pub title: String,
    pub run_in: Option<String>,
    /// The run-in text as written, when `run_in` holds placeholders.
    pub run_in_source: Option<String>,
    pub weight: Option<String>,
    pub weight_at: Option<&'static str>,
    pub end: Option<String>,
    pub blocks: Vec<Blk>,
    pub sections: Vec<Sec>,
}

#[derive(Debug)]
pub enum Blk {
    Para(String, Place),
    List(Vec<String>),
    /// A `figures` template, the text it was made from and where.
    Figures(String, String, Place),
    Table(Vec<Vec<SrcCell>>, usize),
}

/// The report as imported, before it is written out.
#[derive(Debug, Default)]
pub struct Doc {
    pub unit: Option<String>,
    /// The unit was not read from a clean title line.
    pub unit_unsure: bool,
    pub year: Option<i32>,
    pub title: Option<String>,
    pub numbering: Option<Vec<String>>,
    pub sections: Vec<Sec>,
    pub finance: Option<FinanceOut>,
    pub staffing: Option<StaffOut>,
    pub closing_unit: Option<String>,
    /// The score table's indicators.
    pub indicators: Vec<Ind>,
    /// The score table left the body for an attachment printed from the
    /// indicators; its title.
    pub score_attachment: Option<String>,
    pub closing_date: Option<String>,
    /// A closing dated by year and month only (`2023年3月`): the data's
    /// date wants the day, which the user adds.
    pub closing_month: Option<(i32, u32)>,
}

/// An amount as a sentence states it: this year's, and last year's and
/// the growth when the same sentence gives them.
#[derive(Debug, Default, Clone)]
pub struct Amt {
    pub amount: String,
    pub prior: Option<String>,
    pub growth: Option<String>,
    /// Growth rate in per cent, as written.
    pub rate: Option<String>,
}

/// `[finance]` as read from figures sentences.
#[derive(Debug, Default, Clone)]
pub struct FinanceOut {
    pub money_unit: Option<String>,
    pub decimals: u32,
    /// Total and sources (name, amount).
    pub income: Option<(Option<Amt>, Vec<(String, Amt)>)>,
    /// (key, amount) in the order written: total, basic, personnel, public, project.
    pub expenditure: Vec<(&'static str, Amt)>,
    /// Expenditure by economic class (`按经济分类：工资福利支出…`), in the
    /// order written: a breakdown of the same total.
    pub economic: Option<Vec<(String, Amt)>>,
    /// (key, amount): original, depreciation, net.
    pub fixed_assets: Vec<(&'static str, Amt)>,
}

/// `[staffing]` as read.
#[derive(Debug, Default, Clone)]
pub struct StaffOut {
    /// Category and its count (编制数, or 实有 for 人员 categories: printed alike).
    pub groups: Vec<(String, u32)>,
    pub actual_total: Option<u32>,
    pub retired: Option<u32>,
}

/// One indicator of a score table, as read.
#[derive(Debug, Default, Clone)]
pub struct Ind {
    pub name: String,
    pub weight: Option<String>,
    pub score: Option<String>,
    pub children: Vec<Ind>,
}
