//! The outline: sections, their blocks, and the indicator fields a section
//! may carry.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{number, opt_number};
use super::UserTable;

/// A section of the outline. Its depth gives its numbering; its number is
/// never typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    /// Text that runs on after the title in the same paragraph.
    #[serde(default)]
    pub run_in: Option<String>,
    /// Indicator weight (分值); a section with a weight is an indicator.
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub weight: Option<Decimal>,
    /// Self-assessed score (自评得分).
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub score: Option<Decimal>,
    /// Scoring note (评分说明), printed in the score table.
    #[serde(default)]
    pub note: Option<String>,
    /// Where the weight is printed; see [`WeightAt`].
    #[serde(default)]
    pub weight_at: Option<WeightAt>,
    /// Punctuation closing the title; defaults per level (see [`Style`]).
    #[serde(default)]
    pub end: Option<String>,
    /// Rules of a bonus/deduction indicator (加减分项).
    #[serde(default)]
    pub bonus: Option<Bonus>,
    #[serde(default)]
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeightAt {
    /// After the title: `预算编制情况（28分）`.
    Title,
    /// Before the run-in text: `指标分值18分，该指标…`.
    RunIn,
    /// Not printed.
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// Cap on the bonus total.
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub cap: Decimal,
    #[serde(default)]
    pub groups: Vec<BonusGroup>,
    /// Commendations (or criticisms) claimed, each counted in its group.
    #[serde(default)]
    pub awards: Vec<Award>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// Name of the group it counts in (one of `groups[].name`).
    pub group: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BonusGroup {
    pub name: String,
    /// Points for each item of this group; negative for a deduction group.
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub each: Decimal,
    /// Cap on this group's points (in absolute value for deductions).
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub cap: Decimal,
}

/// A block of body content. Each block is a table with exactly one key.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of body text.
    Paragraph(String),
    /// Items numbered at the next level, either run together in one
    /// paragraph (`（1）…（2）…`) or one paragraph each.
    List(List),
    /// A sentence with figure placeholders such as `{income.total}`.
    Figures(String),
    /// The self-evaluation score table, generated from the indicators.
    ScoreTable(ScoreTableSpec),
    /// The income and expenditure table, generated from `[finance]`.
    FinanceTable(FinanceTableSpec),
    /// The staffing table, generated from `[staffing]`.
    StaffingTable(FinanceTableSpec),
    /// A table written in the data.
    Table(UserTable),
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreTableSpec {
    /// Leave the score column empty for filling in by hand, even if scored.
    #[serde(default)]
    pub blank: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinanceTableSpec {}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct List {
    #[serde(default)]
    pub run_in: bool,
    pub items: Vec<String>,
}
