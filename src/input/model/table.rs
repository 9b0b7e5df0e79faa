//! Tables written in the data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserTable {
    /// Type size in pt (at most 14).
    #[serde(default)]
    pub size: Option<u8>,
    pub columns: Vec<Column>,
    /// Header rows above the column titles.
    #[serde(default)]
    pub header: Vec<Vec<Cell>>,
    #[serde(default)]
    pub rows: Vec<Vec<Cell>>,
    /// A totals row that jixiao computes.
    #[serde(default)]
    pub total: Option<TotalRow>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub title: String,
    /// Relative width (a number) or absolute width (`"40mm"`).
    #[serde(default)]
    pub width: Option<Width>,
    #[serde(default)]
    pub align: Align,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Width {
    Relative(u32),
    Absolute(String),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A table cell: text, or text with merging.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Merged(MergedCell),
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergedCell {
    pub text: String,
    #[serde(default = "one")]
    pub rowspan: u32,
    #[serde(default = "one")]
    pub colspan: u32,
}

fn one() -> u32 {
    1
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Text(t) => t,
            Cell::Merged(m) => &m.text,
        }
    }

    pub fn spans(&self) -> (u32, u32) {
        match self {
            Cell::Text(_) => (1, 1),
            Cell::Merged(m) => (m.rowspan.max(1), m.colspan.max(1)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    #[serde(default = "total_label")]
    pub label: String,
    /// Columns (1-based) to sum.
    pub columns: Vec<usize>,
}

fn total_label() -> String {
    "合计".into()
}
