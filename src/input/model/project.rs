//! `[[projects]]`: one 项目支出绩效自评表 (财预〔2020〕10 号) per project.
//! Amounts are in 万元, as the form has them.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::serde_num::{amount_places, money, number, opt_money, opt_number};

/// A project and its self-evaluation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 项目名称.
    pub name: String,
    /// 主管部门; defaults to the report's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 实施单位; defaults to the report's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementer: Option<String>,
    /// 项目资金（万元）.
    pub funds: Funds,
    /// 年度总体目标: 预期目标 and 实际完成情况.
    pub goal: Goal,
    /// 绩效指标, in the order of the form; rows with the same 一级 and 二级
    /// next to each other are merged.
    #[serde(default)]
    pub indicators: Vec<ProjectIndicator>,
    /// The 总分 as stated, checked against the derived one.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub total: Option<Decimal>,
}

/// 项目资金（万元）: the year's total and, optionally, its sources.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// 年度资金总额.
    pub total: FundRow,
    /// 其中：财政拨款.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal: Option<FundRow>,
    /// 上年结转资金.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried: Option<FundRow>,
    /// 其他资金.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<FundRow>,
    /// Sources the form names otherwise (四川：财政资金、财政专户管理资金、
    /// 单位资金), each with its `name`; printed after the three above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<FundRow>,
    /// Why the 执行率 falls short (the 原因 cell of forms that have one,
    /// `project_form.funds_reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 分值 of the 执行率 (default 10).
    #[serde(default = "default_rate_weight", with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub weight: Decimal,
    /// The 执行率 得分 as stated, checked against the one the rule gives.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub score: Option<Decimal>,
    /// How the 执行率 is scored.
    #[serde(default)]
    pub rate_rule: RateRule,
    /// Decimal places an amount may have and prints with (default 2).
    #[serde(default = "default_places", deserialize_with = "amount_places")]
    pub decimals: u32,
}

impl Funds {
    /// The source rows as the form prints them, each with its key under
    /// `funds` and its name: 财政拨款, 上年结转资金, 其他资金, then `sources`.
    pub fn rows(&self) -> Vec<(String, String, &FundRow)> {
        let fixed = [("fiscal", "财政拨款", &self.fiscal), ("carried", "上年结转资金", &self.carried), ("other", "其他资金", &self.other)];
        let mut out: Vec<(String, String, &FundRow)> =
            fixed.into_iter().filter_map(|(k, l, r)| r.as_ref().map(|r| (k.to_string(), l.to_string(), r))).collect();
        for (k, r) in self.sources.iter().enumerate() {
            // An unnamed one (an error the check names) is called by its place.
            let name = r.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map_or_else(|| format!("资金来源{}", k + 1), str::to_string);
            out.push((format!("sources[{k}]"), name, r));
        }
        out
    }
}

fn default_rate_weight() -> Decimal {
    Decimal::TEN
}

fn default_places() -> u32 {
    2
}

/// One row of the funds block: 年初预算数 | 全年预算数 | 全年执行数.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundRow {
    /// The row's name, for a row of `sources` (the others have theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, with = "opt_money", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Money>")]
    pub initial: Option<Decimal>,
    #[serde(with = "money")]
    #[schemars(with = "crate::input::model::json_schema::Money")]
    pub budget: Decimal,
    #[serde(with = "money")]
    #[schemars(with = "crate::input::model::json_schema::Money")]
    pub executed: Decimal,
}

/// The 执行率 score: full marks from `full_at` percent up; below it
/// 执行率 × 分值 (`below = "rate"`) or 执行率 ÷ `full_at` × 分值
/// (`below = "scaled"`). The default, full marks at 100%, is 执行率 × 分值
/// capped at 分值.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RateRule {
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub full_at: Decimal,
    pub below: Below,
}

impl Default for RateRule {
    fn default() -> Self {
        RateRule { full_at: Decimal::ONE_HUNDRED, below: Below::Rate }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Below {
    #[default]
    Rate,
    Scaled,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// 预期目标.
    pub expected: String,
    /// 实际完成情况.
    pub actual: String,
}

/// One 三级指标 row.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectIndicator {
    /// 一级指标: 产出指标, 效益指标, 满意度指标 (or as the province names them).
    pub level1: String,
    /// 二级指标: 数量指标, 质量指标, 时效指标, 成本指标, 经济效益指标…
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// `≥`, `≤` or `=` for a quantitative indicator; absent for 定性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sense: Option<Sense>,
    /// 年度指标值: a number, or text for a qualitative one.
    pub target: String,
    /// 度量单位, printed after the target and a numeric actual value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// 实际完成值.
    #[serde(default)]
    pub actual: String,
    /// 分值.
    #[serde(with = "number")]
    #[schemars(with = "crate::input::model::json_schema::Number")]
    pub weight: Decimal,
    /// 得分.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::input::model::json_schema::Number>")]
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How the actual value is measured against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Sense {
    #[serde(rename = "≥", alias = ">=")]
    AtLeast,
    #[serde(rename = "≤", alias = "<=")]
    AtMost,
    #[serde(rename = "=", alias = "＝")]
    Equal,
}

impl Sense {
    pub fn symbol(self) -> &'static str {
        match self {
            Sense::AtLeast => "≥",
            Sense::AtMost => "≤",
            Sense::Equal => "=",
        }
    }
}

/// How the project form is printed (`[project_form]`): its title, the names
/// of its rows and columns. The default is 财政部's form (财预〔2020〕10
/// 号); a province's form is data, e.g. 四川's 部门预算项目支出绩效自评表.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ProjectForm {
    /// The form's title; `{name}` is the project's name, `{year}` the year.
    pub title: String,
    /// The line under the title (empty: none).
    pub subtitle: String,
    /// The label of the funds block.
    pub funds: String,
    /// The cell above the funds rows' names (四川：年度预算数（万元）).
    pub corner: String,
    /// The row of the year's total.
    pub total: String,
    /// Columns of the funds block.
    pub initial: String,
    pub budget: String,
    pub executed: String,
    pub weight: String,
    pub rate: String,
    pub score: String,
    /// A 原因 column beside the funds (四川), holding `funds.reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funds_reason: Option<String>,
    /// The indicators' 年度指标值 and 实际完成值 columns.
    pub target: String,
    pub actual: String,
    /// The indicators' 分值 column.
    pub indicator_weight: String,
    /// The indicators' reason column.
    pub reason: String,
    /// The last row: 总分, or 合计.
    pub sum: String,
}

impl Default for ProjectForm {
    fn default() -> Self {
        let s = |t: &str| t.to_string();
        ProjectForm {
            title: s("{name}项目支出绩效自评表"),
            subtitle: s("（{year}年度）"),
            funds: s("项目资金（万元）"),
            corner: String::new(),
            total: s("年度资金总额"),
            initial: s("年初预算数"),
            budget: s("全年预算数"),
            executed: s("全年执行数"),
            weight: s("分值"),
            rate: s("执行率"),
            score: s("得分"),
            funds_reason: None,
            target: s("年度指标值"),
            actual: s("实际完成值"),
            indicator_weight: s("分值"),
            reason: s("偏差原因分析及改进措施"),
            sum: s("总分"),
        }
    }
}

impl ProjectForm {
    /// The title of `project`'s form and the line under it, for `year`.
    pub fn title_of(&self, project: &Project, year: i32) -> (String, Option<String>) {
        let fill = |t: &str| t.replace("{name}", project.name.trim()).replace("{year}", &year.to_string());
        let sub = fill(&self.subtitle);
        (fill(&self.title), (!sub.trim().is_empty()).then_some(sub))
    }
}
