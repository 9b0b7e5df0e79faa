//! The data model: one TOML file describes one report.
//!
//! Every struct denies unknown fields, so a typo in a key is an error rather
//! than silently dropped text. Money is `rust_decimal::Decimal`, read from TOML
//! strings (or integers) and never through `f64`; the scale the user wrote is
//! kept, so `"141200.00"` prints as `141200.00` and `"0"` as `0`.


mod finance;
mod indicators;
pub mod json_schema;
mod outline;
mod project;
mod scoring;
mod serde_num;
mod staffing;
mod style;
mod table;

pub use finance::*;
pub use indicators::*;
pub use outline::*;
pub use project::*;
pub use scoring::*;
pub use staffing::*;
pub use serde_num::{MAX_AMOUNT, MAX_AMOUNT_PLACES, MAX_NUMBER, MAX_NUMBER_PLACES, YEARS};
pub use style::*;
pub use table::*;

use serde_num::{lenient_date, year};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole report.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Name of the budget unit, e.g. `乐昌市妇女联合会`.
    pub unit: String,
    /// Fiscal year the report covers (1900–2199).
    #[serde(deserialize_with = "year")]
    pub year: i32,
    /// Title; defaults to `{unit}{year}年度部门整体支出绩效自评报告`.
    #[serde(default)]
    pub title: Option<String>,
    /// Signature block (落款). Absent when the report states none.
    #[serde(default)]
    pub closing: Option<Closing>,
    #[serde(default)]
    pub finance: Option<Finance>,
    /// Staff by category (编制、实有、退休).
    #[serde(default)]
    pub staffing: Option<Staffing>,
    #[serde(default)]
    pub style: Style,
    /// The score framework: total, grade bands, rounding.
    #[serde(default)]
    pub scoring: Scoring,
    /// Font preference lists per role, replacing the defaults.
    #[serde(default)]
    pub fonts: FontOverrides,
    #[serde(default)]
    pub sections: Vec<Section>,
    /// The indicator framework, when the outline's sections carry no
    /// weights (the body is prose; the framework is in the 自评表).
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Attachments (附件), each on its own pages after the body.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Projects, each with its 项目支出绩效自评表 as an attachment after
    /// those written in `attachments`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    /// How the projects' forms are printed; 财政部's form by default.
    #[serde(default)]
    pub project_form: ProjectForm,
}

/// An attachment: a title and blocks (tables, paragraphs).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    /// Typeset on landscape pages, for wide tables.
    #[serde(default)]
    pub landscape: bool,
    #[serde(default)]
    pub blocks: Vec<Block>,
}

impl Report {
    /// A report of its attachments alone: no sections, only forms (a unit
    /// often files just the 项目支出绩效自评表). Then there is no body page:
    /// no title, 附件 note, signature or 附件 labels, only the forms.
    pub fn attachments_alone(&self) -> bool {
        self.sections.is_empty() && !(self.attachments.is_empty() && self.projects.is_empty())
    }

    /// The title as printed: the explicit one, or the conventional default.
    pub fn display_title(&self) -> String {
        match &self.title {
            Some(t) => t.clone(),
            None => format!("{}{}年度部门整体支出绩效自评报告", self.unit, self.year),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    /// Signing unit; defaults to the report's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// Date of the report (成文日期), a TOML date such as `2023-03-01`; a
    /// quoted `"2023年3月1日"`, `"2023-3-1"` or `"2023/3/1"` is read too.
    #[serde(default, deserialize_with = "lenient_date")]
    #[schemars(with = "Option<crate::input::model::json_schema::Date>")]
    pub date: Option<toml::value::Datetime>,
    /// Whether the report is stamped with a seal (§7.3.5.1 layout) or not (§7.3.5.2).
    #[serde(default)]
    pub seal: bool,
    /// An image of the seal (PNG or SVG), relative to the data file and inside
    /// its folder, placed over the unit name and date.
    #[serde(default)]
    pub seal_image: Option<String>,
}

/// A figure in a cell: digits with an optional sign, decimal point and
/// thousands separators (`1,485,562.08`, `-3`, `98.5`).
pub fn parse_number(s: &str) -> Option<rust_decimal::Decimal> {
    let t = s.trim().replace(',', "");
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    // Cells are free text: keep them to the amounts' sane range, so a sum
    // of cells cannot overflow.
    let d: rust_decimal::Decimal = t.parse().ok()?;
    (d.abs() <= rust_decimal::Decimal::from(MAX_AMOUNT) && d.scale() <= MAX_AMOUNT_PLACES).then_some(d)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_cells() {
        assert_eq!(parse_number("1,485,562.08"), Some("1485562.08".parse().unwrap()));
        assert_eq!(parse_number("98%"), None);
        assert_eq!(parse_number("完成"), None);
    }
}

