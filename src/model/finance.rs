//! `[finance]`: the amounts the finance sentences and table are made of.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{amount_places, money, opt_money};

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

