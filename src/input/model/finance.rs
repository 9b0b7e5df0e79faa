//! `[finance]`: the amounts the finance sentences and table are made of.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{amount_places, money, opt_money, opt_number};

/// Figures from which the finance sentences are generated. Every amount may
/// be written as a plain figure (`"1485562.08"`) or as a table that adds last
/// year's figure and the growth the report states (see [`Amount`]).
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
    #[serde(default)]
    pub budget: Option<Amount>,
    /// Project expenditure by project; sums to `expenditure.project`.
    #[serde(default)]
    pub projects: Vec<Item>,
    /// Subordinate units (下属单位); their income and expenditure sum to the totals.
    #[serde(default)]
    pub units: Vec<SubUnit>,
    /// How many decimal places an amount may have (default 2: 分 in 元).
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

/// An amount as a report states it: the figure, optionally last year's
/// figure (`prior`), and the growth the text states (`growth`, 增减额, and
/// `growth_rate`, 增减率 in percent, both signed), which are checked against
/// the growth derived from the two figures.
///
/// Written either as the figure alone, `total = "1500.00"`, or as a table,
/// `total = { amount = "1500.00", prior = "1264.50", growth = "235.50" }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Amount {
    #[serde(with = "money")]
    pub amount: Decimal,
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    pub prior: Option<Decimal>,
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    pub growth: Option<Decimal>,
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub growth_rate: Option<Decimal>,
}

impl From<Decimal> for Amount {
    fn from(amount: Decimal) -> Self {
        Amount { amount, ..Amount::default() }
    }
}

/// The table form of [`Amount`].
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AmountTable {
    /// The figure (本年数).
    #[serde(with = "money")]
    #[schemars(with = "crate::input::model::json_schema::Money")]
    amount: Decimal,
    /// Last year's figure (上年数).
    #[serde(default, with = "opt_money")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    prior: Option<Decimal>,
    /// The change the report states (增减额, negative for a decrease).
    #[serde(default, with = "opt_money")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    growth: Option<Decimal>,
    /// The rate of change the report states, in percent (增减率, e.g. 18.62).
    #[serde(default, with = "opt_number")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    growth_rate: Option<Decimal>,
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("金额字符串（如 \"1485562.08\"），或 { amount = \"…\", prior = \"…\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                money::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(Amount::from)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                money::deserialize(serde::de::value::I64Deserializer::<E>::new(v)).map(Amount::from)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                money::deserialize(serde::de::value::U64Deserializer::<E>::new(v)).map(Amount::from)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                money::deserialize(serde::de::value::F64Deserializer::<E>::new(v)).map(Amount::from)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Amount, A::Error> {
                let t = AmountTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Amount { amount: t.amount, prior: t.prior, growth: t.growth, growth_rate: t.growth_rate })
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let money = g.subschema_for::<crate::input::model::json_schema::Money>();
        let table = g.subschema_for::<AmountTable>();
        schemars::json_schema!({
            "description": "金额：字符串（如 \"1485562.08\"），或带上年数的表 { amount = \"…\", prior = \"…\" }",
            "anyOf": [money, table]
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarryOver {
    /// 年初结转结余; absent when the report does not state it.
    #[serde(default)]
    pub opening: Option<Amount>,
    /// 年末结转结余; absent when the report does not state it.
    #[serde(default)]
    pub closing: Option<Amount>,
}

/// A named amount that may be broken down further: a line of income or
/// expenditure. Its `parts`, when given, must sum to it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub name: String,
    /// A short name for placeholders (`{income.adjust}`); the name itself
    /// works too (`{income.调整追加}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(with = "money")]
    #[schemars(with = "crate::input::model::json_schema::Money")]
    pub amount: Decimal,
    /// Last year's figure (上年数).
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    pub prior: Option<Decimal>,
    /// The change the report states (增减额, signed).
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    pub growth: Option<Decimal>,
    /// The rate of change the report states, in percent (signed).
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub growth_rate: Option<Decimal>,
    /// Its breakdown; the parts sum to `amount`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Item>,
}

impl Item {
    pub fn value(&self) -> Amount {
        Amount { amount: self.amount, prior: self.prior, growth: self.growth, growth_rate: self.growth_rate }
    }
}

/// Another breakdown of the same total (by budget type, by economic or
/// functional class): its parts sum to the total too.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Breakdown {
    /// What it breaks down by, e.g. `按预算类型`.
    pub name: String,
    pub parts: Vec<Item>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubUnit {
    pub name: String,
    /// Its income and expenditure, where the report gives them; a report
    /// that only lists its units (三个预算单位：…) gives names alone.
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    pub income: Option<Decimal>,
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    pub expenditure: Option<Decimal>,
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

    /// What `places` decimals mean in this unit, for messages.
    pub fn places_meaning(self, places: u32) -> String {
        match (self, places) {
            (MoneyUnit::Yuan, 2) => "到分".into(),
            (MoneyUnit::Yuan, 0) => "到元".into(),
            (MoneyUnit::Yuan, 1) => "到角".into(),
            (MoneyUnit::WanYuan, 2) => "万元保留两位，即到百元".into(),
            (MoneyUnit::WanYuan, 4) => "万元保留四位，即到元".into(),
            (MoneyUnit::WanYuan, 6) => "万元保留六位，即到分".into(),
            (u, n) => format!("{}保留 {n} 位", u.label()),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// 收入合计 as the report states it; when the report gives only the
    /// parts, it is their sum (see [`crate::derive::money_tree`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// Its breakdown by source (财政拨款收入…); may nest (`parts`).
    #[serde(default)]
    pub sources: Vec<Item>,
    /// Other breakdowns of the same total (by budget type…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<Breakdown>,
}

/// Expenditure as the report states it. The usual shape: total = basic +
/// project, basic = personnel + public; each figure is optional, and only
/// the sums whose figures are all stated are checked. Other shapes go in
/// `parts` (a tree) and `breakdowns`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expenditure {
    /// 支出合计 as stated; when the report gives only the parts, it is
    /// their sum (基本 + 项目, or 人员 + 公用 + 项目, or `parts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Amount>,
    /// 基本支出.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<Amount>,
    /// 人员经费, part of 基本支出.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personnel: Option<Amount>,
    /// 公用经费, part of 基本支出.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<Amount>,
    /// 项目支出.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Amount>,
    /// A breakdown of the total other than 基本/项目 (a tree).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Item>,
    /// Other breakdowns of the same total (by budget type, economic class…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<Breakdown>,
}

/// Fixed assets: original − depreciation = net.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedAssets {
    pub original: Amount,
    pub depreciation: Amount,
    pub net: Amount,
}
