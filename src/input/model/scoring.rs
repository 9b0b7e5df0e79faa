//! The score framework: total, grades, rounding, a stated total, and the
//! columns of the score table.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{number, opt_number, score_places};

/// The score framework. Defaults: total 100, the grade bands of
/// 财预〔2020〕10号 (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below), two decimals.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Scoring {
    /// What the top-level weights sum to.
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub total: Decimal,
    /// Grade bands, each with its inclusive lower bound; the first band whose
    /// bound the score reaches applies.
    pub grades: Vec<Grade>,
    /// Decimal places of derived scores and percentages (四舍五入).
    #[serde(deserialize_with = "score_places")]
    pub places: u32,
    /// The total score as the report states it (综合评分为 92 分); checked
    /// against the indicators' sum when they carry scores.
    #[serde(with = "opt_number", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub score: Option<Decimal>,
    /// The columns and rows of the score table, as the framework prints them.
    pub table: ScoreTableStyle,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub min: Decimal,
}

/// How the score table (自评表) is laid out. Defaults: the seed's columns,
/// 一级 | 二级 | 三级 | 分值 | 自评得分 | 评分说明, with a 小计 row under
/// each 一级指标 and a 评价等级 row.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScoreTableStyle {
    /// Print the 评分说明 column.
    pub note: bool,
    /// Print the 分值 column (Sichuan's table has none: the weights are in
    /// the names, by `weight_in_name`).
    pub weight: bool,
    /// Print a 小计 row under each 一级指标 with sub-indicators.
    pub subtotal: bool,
    /// Print the 评价等级 row (when the grade is known).
    pub grade: bool,
    /// Header of the score column: `自评得分`, `得分`…
    pub score_header: String,
    /// Put the weight in the indicator's name (`部门决策（25分）`, by
    /// `style.weight_in_title`).
    pub weight_in_name: bool,
}

impl Default for ScoreTableStyle {
    fn default() -> Self {
        ScoreTableStyle { note: true, weight: true, subtotal: true, grade: true, score_header: "自评得分".into(), weight_in_name: false }
    }
}

impl Default for Scoring {
    fn default() -> Self {
        let grade = |name: &str, min: i64| Grade { name: name.into(), min: Decimal::from(min) };
        Scoring {
            total: Decimal::from(100),
            grades: vec![grade("优", 90), grade("良", 80), grade("中", 60), grade("差", 0)],
            places: 2,
            score: None,
            table: ScoreTableStyle::default(),
        }
    }
}
