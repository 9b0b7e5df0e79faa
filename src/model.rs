//! The data model: one TOML file describes one report.
//!
//! Every struct denies unknown fields, so a typo in a key is an error rather
//! than silently dropped text. Money is `rust_decimal::Decimal`, read from TOML
//! strings (or integers) and never through `f64`; the scale the user wrote is
//! kept, so `"141200.00"` prints as `141200.00` and `"0"` as `0`.

use rust_decimal::Decimal;
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
    /// Attachments (附件), each on its own pages after the body.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
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
    #[schemars(with = "Option<crate::schema::Date>")]
    pub date: Option<toml::value::Datetime>,
    /// Whether the report is stamped with a seal (§7.3.5.1 layout) or not (§7.3.5.2).
    #[serde(default)]
    pub seal: bool,
    /// An image of the seal (PNG or SVG), relative to the data file and inside
    /// its folder, placed over the unit name and date.
    #[serde(default)]
    pub seal_image: Option<String>,
}

/// Figures from which the finance sentences are generated.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finance {
    /// `元` (default) or `万元`: the unit every amount is written in.
    #[serde(default)]
    pub money_unit: MoneyUnit,
    #[serde(default)]
    pub income: Option<Income>,
    #[serde(default)]
    pub expenditure: Option<Expenditure>,
    #[serde(default)]
    pub fixed_assets: Option<FixedAssets>,
    /// Carry-over balances (年初/年末结转结余): income + opening = expenditure + closing.
    #[serde(default)]
    pub carry_over: Option<CarryOver>,
    /// The year's budget (全年预算数), for the execution rate.
    #[serde(default, with = "opt_money")]
    #[schemars(with = "Option<crate::schema::Money>")]
    pub budget: Option<Decimal>,
    /// Project expenditure by project; sums to `expenditure.project`.
    #[serde(default)]
    pub projects: Vec<NamedAmount>,
    /// Subordinate units (下属单位); their income and expenditure sum to the totals.
    #[serde(default)]
    pub units: Vec<SubUnit>,
    /// How many decimal places an amount may have (default 2: 分).
    #[serde(default = "default_money_places", deserialize_with = "amount_places")]
    pub decimals: u32,
    /// How amounts print: `plain` (as written) or `thousands` (1,485,562.08).
    #[serde(default)]
    pub money_format: MoneyFormat,
}

fn default_money_places() -> u32 {
    2
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoneyFormat {
    #[default]
    Plain,
    Thousands,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryOver {
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub opening: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub closing: Decimal,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedAmount {
    pub name: String,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubUnit {
    pub name: String,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub income: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub expenditure: Decimal,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum MoneyUnit {
    #[default]
    #[serde(rename = "元")]
    Yuan,
    #[serde(rename = "万元")]
    WanYuan,
}

impl MoneyUnit {
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::WanYuan => "万元",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Income {
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub total: Decimal,
    #[serde(default)]
    pub sources: Vec<IncomeSource>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomeSource {
    pub name: String,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub amount: Decimal,
}

/// Expenditure: total = basic + project; basic = personnel + public.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expenditure {
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub total: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub basic: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub personnel: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub public: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub project: Decimal,
}

/// Fixed assets: original − depreciation = net.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedAssets {
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub original: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub depreciation: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::schema::Money")]
    pub net: Decimal,
}

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
    #[schemars(with = "Option<crate::schema::Number>")]
    pub weight: Option<Decimal>,
    /// Self-assessed score (自评得分).
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::schema::Number>")]
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

impl Section {
    /// The indicators directly under this one: weighted children, bonus
    /// sections aside (they count apart, within their own caps).
    pub fn sub_indicators(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|c| c.weight.is_some() && c.bonus.is_none())
    }

    /// The self-score as given, else the sum of the sub-indicators' scores
    /// when every one of them is scored.
    pub fn derived_score(&self) -> Option<Decimal> {
        if self.score.is_some() {
            return self.score;
        }
        let mut kids = self.sub_indicators().peekable();
        kids.peek()?;
        kids.map(Section::derived_score).sum()
    }
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
    #[schemars(with = "crate::schema::Number")]
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
    #[schemars(with = "crate::schema::Number")]
    pub each: Decimal,
    /// Cap on this group's points (in absolute value for deductions).
    #[serde(with = "number")]
    #[schemars(with = "crate::schema::Number")]
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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct List {
    #[serde(default)]
    pub run_in: bool,
    pub items: Vec<String>,
}

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

/// Money amounts: a TOML string (`"1485562.08"`) or integer (`0`). Floats are
/// refused, because a TOML float has already been through binary floating point.
mod money {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor { allow_float: false })
    }
}

/// Sane ranges, checked where the data is read so that no later sum or
/// product can overflow: an amount above 10^15 (元) is surely a typo, and no
/// weight, score or cap comes near a million.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
pub const MAX_NUMBER: i64 = 1_000_000;
/// Decimal places an amount (万元 to 4 places, with room) or a score may have.
pub const MAX_AMOUNT_PLACES: u32 = 6;
pub const MAX_NUMBER_PLACES: u32 = 4;
/// Years a report may cover.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A TOML date, or a date in quotes written as Word users write it: the
/// intent is certain, so it is read rather than refused.
fn lenient_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<toml::value::Datetime>, D::Error> {
    struct DateVisitor;
    impl<'de> serde::de::Visitor<'de> for DateVisitor {
        type Value = toml::value::Datetime;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("日期（如 2026-03-15，不加引号）")
        }

        fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Self::Value, E> {
            match crate::syntax_help::lenient_date(t) {
                Some((y, m, day)) => format!("{y:04}-{m:02}-{day:02}").parse().map_err(E::custom),
                None => Err(E::custom(format!("“{t}”不是日期；成文日期写成 2026-03-15（年月日用“-”连接，月和日都写两位，不加引号）"))),
            }
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            toml::value::Datetime::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(DateVisitor).map(Some)
}

fn amount_places<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    places_within(d, MAX_AMOUNT_PLACES)
}

fn score_places<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    places_within(d, MAX_AMOUNT_PLACES)
}

fn places_within<'de, D: serde::Deserializer<'de>>(d: D, max: u32) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    if !(0..=i64::from(max)).contains(&n) {
        return Err(serde::de::Error::custom(format!("小数位数 {n} 超出范围：应为 0 到 {max}")));
    }
    Ok(n as u32)
}

fn year<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    let y = i64::deserialize(d)?;
    if !(i64::from(*YEARS.start())..=i64::from(*YEARS.end())).contains(&y) {
        return Err(serde::de::Error::custom(format!(
            "年度 {y} 超出范围：应为 {} 到 {} 之间的四位年份，如 2023",
            YEARS.start(),
            YEARS.end()
        )));
    }
    Ok(y as i32)
}

/// Scores, weights and caps: small numbers users naturally write as `0.5`, so
/// TOML floats are accepted and converted through their shortest decimal text,
/// which is exact for every value a person types.
mod number {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.normalize().to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor { allow_float: true })
    }
}

mod opt_money {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::money::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        super::money::deserialize(d).map(Some)
    }
}

mod opt_number {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::number::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        super::number::deserialize(d).map(Some)
    }
}

struct DecimalVisitor {
    allow_float: bool,
}

impl serde::de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.allow_float {
            f.write_str("数字（如 5、0.5 或 \"18\"）")
        } else {
            f.write_str("金额字符串（如 \"1485562.08\"）")
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        let t = v.trim();
        // Decimal::from_str accepts "1e5" and "_" in some versions; keep to plain digits.
        let plain = !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && t.chars().filter(|&c| c == '.').count() <= 1
            && !t[1..].contains('-');
        if !plain {
            return Err(E::custom(format!("“{v}”不是数字")));
        }
        let digits = t.trim_start_matches('-').split('.').next().unwrap_or("").trim_start_matches('0').len();
        if digits > 20 {
            return Err(E::custom(self.out_of_range(t)));
        }
        let d = t.parse::<Decimal>().map_err(|_| E::custom(format!("“{v}”不是数字或超出范围")))?;
        self.in_range(d, t)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        self.in_range(Decimal::from(v), &v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        self.in_range(Decimal::from(v), &v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !self.allow_float {
            return Err(E::custom(format!(
                "金额请写成字符串（如 \"{v}\"），以免经过二进制浮点数而失去分位精度"
            )));
        }
        if !v.is_finite() || v.abs() >= MAX_NUMBER as f64 * 10.0 {
            return Err(E::custom(self.out_of_range(&v.to_string())));
        }
        // Rust prints the shortest text that round-trips, i.e. what the user typed.
        let text = format!("{v}");
        if text.split('.').nth(1).is_some_and(|f| f.len() as u32 > MAX_NUMBER_PLACES) {
            return Err(E::custom(self.too_precise(&text)));
        }
        let d = text.parse::<Decimal>().map_err(|_| E::custom(format!("{v} 不是有效数字")))?;
        self.in_range(d, &text)
    }
}

impl DecimalVisitor {
    fn limits(&self) -> (Decimal, u32) {
        if self.allow_float {
            (Decimal::from(MAX_NUMBER), MAX_NUMBER_PLACES)
        } else {
            (Decimal::from(MAX_AMOUNT), MAX_AMOUNT_PLACES)
        }
    }

    fn in_range<E: serde::de::Error>(&self, d: Decimal, text: &str) -> Result<Decimal, E> {
        let (max, places) = self.limits();
        if d.abs() > max {
            return Err(E::custom(self.out_of_range(text)));
        }
        if d.scale() > places {
            return Err(E::custom(self.too_precise(text)));
        }
        Ok(d)
    }

    fn out_of_range(&self, text: &str) -> String {
        if self.allow_float {
            format!("数字 {text} 超出合理范围（分值、得分、上限的绝对值不超过 {MAX_NUMBER}）；请检查是否多打了数字")
        } else {
            format!("金额 {text} 超出合理范围（绝对值不超过 10 的 15 次方，即 1000 万亿）；请检查是否多打了数字")
        }
    }

    fn too_precise(&self, text: &str) -> String {
        let (_, places) = self.limits();
        let what = if self.allow_float { "分值、得分" } else { "金额" };
        format!("{what} {text} 的小数位太多（最多 {places} 位）")
    }
}
