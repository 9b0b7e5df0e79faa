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
    pub fn get(&self, role: crate::fonts::Role) -> Option<Vec<String>> {
        use crate::fonts::Role::*;
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
            title_end: ["", "", "。", "。"].map(String::from).to_vec(),
            heading3_bold: false,
            weight_in_title: "（{weight}分）".into(),
            weight_run_in: "指标分值{weight}分，".into(),
            attachment_quotes: false,
        }
    }
}
