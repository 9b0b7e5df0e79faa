//! The score framework: total, grades, rounding.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{number, score_places};

/// The score framework. Defaults: total 100, the grade bands of
/// 财预〔2020〕10号 (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below), two decimals.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Scoring {
    /// What the top-level weights sum to.
    #[serde(with = "number")]
    #[schemars(with = "crate::schema::Number")]
    pub total: Decimal,
    /// Grade bands, each with its inclusive lower bound; the first band whose
    /// bound the score reaches applies.
    pub grades: Vec<Grade>,
    /// Decimal places of derived scores and percentages (四舍五入).
    #[serde(deserialize_with = "score_places")]
    pub places: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    #[serde(with = "number")]
    #[schemars(with = "crate::schema::Number")]
    pub min: Decimal,
}

impl Default for Scoring {
    fn default() -> Self {
        let grade = |name: &str, min: i64| Grade { name: name.into(), min: Decimal::from(min) };
        Scoring {
            total: Decimal::from(100),
            grades: vec![grade("优", 90), grade("良", 80), grade("中", 60), grade("差", 0)],
            places: 2,
        }
    }
}
