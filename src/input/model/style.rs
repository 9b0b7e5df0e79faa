//! Layout options and font choices.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A role's own list of font families, in order of preference; the bundled
/// wide fallback is always appended.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FontOverrides {
    pub title: Option<Vec<String>>,
    pub body: Option<Vec<String>>,
    pub heading1: Option<Vec<String>>,
    pub heading2: Option<Vec<String>>,
    pub heading3: Option<Vec<String>>,
    pub heading4: Option<Vec<String>>,
    pub table: Option<Vec<String>>,
    pub table_header: Option<Vec<String>>,
    pub page_number: Option<Vec<String>>,
}

impl FontOverrides {
    pub fn get(&self, role: Role) -> Option<Vec<String>> {
        use Role::*;
        match role {
            Title => &self.title,
            Body => &self.body,
            Heading1 => &self.heading1,
            Heading2 => &self.heading2,
            Heading3 => &self.heading3,
            Heading4 => &self.heading4,
            Table => &self.table,
            TableHeader => &self.table_header,
            PageNumber => &self.page_number,
        }
        .clone()
    }
}

/// Layout options that vary between units and provinces.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Style {
    /// Numbering pattern per depth: `{cn}` Chinese numeral, `{n}` Arabic.
    pub numbering: Vec<String>,
    /// The number each depth starts at, when not 1: `start = [3]` numbers the
    /// first level 三、四、… (a report that is part of a larger document).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub start: Vec<u32>,
    /// Title-closing punctuation per depth, when the section gives none.
    pub title_end: Vec<String>,
    /// Whether level-3 headings are bold (synthesised where the face has none).
    pub heading3_bold: bool,
    /// Pattern for a weight printed after the title.
    pub weight_in_title: String,
    /// Pattern for a weight printed before the run-in text.
    pub weight_run_in: String,
    /// Quote attachment names in the attachment note (`附件：1.《名称》`), as
    /// many units do; GB/T 9704 §7.3.4 itself writes `附件：1.名称`.
    pub attachment_quotes: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            numbering: ["{cn}、", "（{cn}）", "{n}.", "（{n}）"].map(String::from).to_vec(),
            start: Vec::new(),
            title_end: ["", "", "。", "。"].map(String::from).to_vec(),
            heading3_bold: false,
            weight_in_title: "（{weight}分）".into(),
            weight_run_in: "指标分值{weight}分，".into(),
            attachment_quotes: false,
        }
    }
}

impl Style {
    /// The number the sections of `level` (1-based) start at.
    pub fn start_at(&self, level: usize) -> u32 {
        self.start.get(level - 1).copied().unwrap_or(1).clamp(1, 999)
    }
}

/// The typographic roles of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Title,
    Body,
    Heading1,
    Heading2,
    Heading3,
    Heading4,
    Table,
    TableHeader,
    PageNumber,
}

