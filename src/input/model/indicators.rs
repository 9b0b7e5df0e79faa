//! The indicator framework stated apart from the outline (`[[indicators]]`):
//! for reports whose body is prose and whose framework and scores appear
//! only in the 自评表.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Bonus;
use super::serde_num::opt_number;

/// An indicator (指标) with its weight, score and sub-indicators.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Name as the 自评表 prints it, e.g. `部门决策`.
    pub name: String,
    /// Weight (分值); every indicator but a bonus item has one.
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub weight: Option<Decimal>,
    /// Self-assessed score (自评得分); a parent without one sums its children.
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub score: Option<Decimal>,
    /// Scoring note (评分说明), printed in the score table.
    #[serde(default)]
    pub note: Option<String>,
    /// Rules of a bonus/deduction item (加减分项), which has no weight.
    #[serde(default)]
    pub bonus: Option<Bonus>,
    /// Sub-indicators (二级、三级指标).
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}
