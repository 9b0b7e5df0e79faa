//! The finance figures as one tree of named amounts, derived once from
//! `[finance]`: every amount with its key path, its place in the breakdown,
//! last year's figure and the growth derived from it, and the sums that must
//! hold. The checks, the figures in sentences and the finance table all read
//! this tree.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::format::{percent, round};
use crate::input::model::{Amount, Breakdown, Finance, Item, MoneyUnit};

/// Which part of `[finance]` a node belongs to; also the first segment of
/// its placeholders (`{income.total}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Income,
    Expenditure,
    CarryOver,
    FixedAssets,
    Budget,
}

impl Part {
    pub fn key(self) -> &'static str {
        match self {
            Part::Income => "income",
            Part::Expenditure => "expenditure",
            Part::CarryOver => "carry_over",
            Part::FixedAssets => "fixed_assets",
            Part::Budget => "budget",
        }
    }

    pub fn from_key(key: &str) -> Option<Part> {
        [Part::Income, Part::Expenditure, Part::CarryOver, Part::FixedAssets, Part::Budget].into_iter().find(|p| p.key() == key)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub part: Part,
    /// Short key for placeholders (`total`, `basic`, or an item's `key`).
    pub key: Option<String>,
    /// The name as printed: `收入合计`, `基本支出`, an item's name.
    pub name: String,
    /// Key path of the amount in the data.
    pub path: String,
    /// 0 for a total; 1 for its parts, and so on.
    pub depth: usize,
    /// The parent node, if any.
    pub parent: Option<usize>,
    /// The breakdown it belongs to (`按预算类型`), if not the main one.
    pub breakdown: Option<String>,
    /// Listed under its parent with `其中：` in the finance table.
    pub listed: bool,
    pub value: Amount,
    /// Derived: amount − prior, when the prior is stated.
    pub change: Option<Decimal>,
    /// Derived: change ÷ prior, percent, rounded to the scoring places.
    pub change_rate: Option<Decimal>,
    /// A total the report does not state: the sum of its stated parts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
}

/// A sum that must hold: `total` = Σ `parts`.
#[derive(Debug, Clone, Serialize)]
pub struct SumRule {
    /// What the total is called in messages: `收入合计`, `基本支出`.
    pub what: String,
    pub total: usize,
    pub parts: Vec<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct MoneyTree {
    pub unit: MoneyUnit,
    pub nodes: Vec<Node>,
    #[serde(skip)]
    pub sums: Vec<SumRule>,
    /// The carry-over side the report does not state, worked out from the
    /// balance rule: (`opening` or `closing`, amount).
    pub inferred_carry_over: Option<(&'static str, Decimal)>,
    /// Totals the report neither states nor gives the parts of (key paths).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_totals: Vec<String>,
}

impl MoneyTree {
    /// Build the tree; `places` are the decimals of derived percentages.
    pub fn build(f: &Finance, places: u32) -> MoneyTree {
        let mut b = Builder { tree: MoneyTree { unit: f.money_unit, ..MoneyTree::default() }, places };
        if let Some(inc) = &f.income {
            let total = b.node(Part::Income, Some("total"), "收入合计", "finance.income.total", None, &inc.total.clone().unwrap_or_default());
            let parts = b.items(Part::Income, &inc.sources, "finance.income.sources", total, None, true);
            if inc.total.is_some() {
                b.sum("收入合计", total, parts);
            } else {
                b.derive_total(total, &[parts]);
            }
            b.breakdowns(Part::Income, &inc.breakdowns, "finance.income.breakdowns", total, "收入合计");
        }
        if let Some(e) = &f.expenditure {
            let p = "finance.expenditure";
            let total = b.node(Part::Expenditure, Some("total"), "支出合计", &format!("{p}.total"), None, &e.total.clone().unwrap_or_default());
            let basic = e.basic.as_ref().map(|a| b.node(Part::Expenditure, Some("basic"), "基本支出", &format!("{p}.basic"), Some(total), a));
            let under_basic = basic.unwrap_or(total);
            let mut split = Vec::new();
            for (k, name, v) in [("personnel", "人员经费", &e.personnel), ("public", "公用经费", &e.public)] {
                if let Some(a) = v {
                    let i = b.node(Part::Expenditure, Some(k), name, &format!("{p}.{k}"), Some(under_basic), a);
                    b.tree.nodes[i].listed = true;
                    split.push(i);
                }
            }
            let project = e.project.as_ref().map(|a| b.node(Part::Expenditure, Some("project"), "项目支出", &format!("{p}.project"), Some(total), a));
            let project_items = b.items(Part::Expenditure, &f.projects, "finance.projects", project.unwrap_or(total), None, false);
            let parts = b.items(Part::Expenditure, &e.parts, &format!("{p}.parts"), total, None, false);
            // Every sum whose terms are all stated: without 基本支出, the
            // total is 人员 + 公用 + 项目 when all three are stated.
            let whole = match (basic, project, split.len()) {
                (Some(basic), Some(project), _) => vec![basic, project],
                (None, Some(project), 2) => split.iter().copied().chain([project]).collect(),
                _ => Vec::new(),
            };
            if e.total.is_some() {
                b.sum("支出合计", total, whole.clone());
            }
            if let (Some(basic), 2) = (basic, split.len()) {
                b.sum("基本支出", basic, split);
            }
            if let Some(project) = project {
                b.sum("项目支出", project, project_items);
            }
            if e.total.is_some() {
                b.sum("支出合计", total, parts);
            } else {
                b.derive_total(total, &[whole, parts]);
            }
            b.breakdowns(Part::Expenditure, &e.breakdowns, &format!("{p}.breakdowns"), total, "支出合计");
        }
        if let Some(c) = &f.carry_over {
            for (k, name, v) in [("opening", "年初结转结余", &c.opening), ("closing", "年末结转结余", &c.closing)] {
                if let Some(a) = v {
                    b.node(Part::CarryOver, Some(k), name, &format!("finance.carry_over.{k}"), None, a);
                }
            }
        }
        if let Some(a) = &f.fixed_assets {
            for (k, name, v) in [("original", "固定资产原值", &a.original), ("depreciation", "累计折旧", &a.depreciation), ("net", "固定资产净值", &a.net)] {
                b.node(Part::FixedAssets, Some(k), name, &format!("finance.fixed_assets.{k}"), None, v);
            }
        }
        if let Some(a) = &f.budget {
            b.node(Part::Budget, None, "全年预算数", "finance.budget", None, a);
        }
        b.tree.inferred_carry_over = infer_carry_over(f, &b.tree);
        b.tree
    }

    /// The node of a part with this key or name, e.g. (`Income`, `total`)
    /// or (`Income`, `调整追加`).
    pub fn find(&self, part: Part, name: &str) -> Result<&Node, Lookup> {
        let mut hits = self.nodes.iter().filter(|n| n.part == part && (n.key.as_deref() == Some(name) || n.name == name));
        match (hits.next(), hits.next()) {
            (Some(n), None) => Ok(n),
            (Some(_), Some(_)) => Err(Lookup::Ambiguous),
            (None, _) => Err(Lookup::Missing),
        }
    }

    /// The node of a part without a key of its own (`budget`).
    pub fn only(&self, part: Part) -> Option<&Node> {
        self.nodes.iter().find(|n| n.part == part && n.depth == 0)
    }

    /// The total of income or expenditure, stated or the sum of its stated
    /// parts; `None` when neither is known.
    pub fn total(&self, part: Part) -> Option<Decimal> {
        let node = self.nodes.iter().find(|n| n.part == part && n.depth == 0 && n.key.as_deref() == Some("total"))?;
        (!self.unknown_totals.contains(&node.path)).then_some(node.value.amount)
    }

    pub fn get(&self, part: Part, key: &str) -> Option<Decimal> {
        self.nodes.iter().find(|n| n.part == part && n.key.as_deref() == Some(key)).map(|n| n.value.amount)
    }

    /// The parts of the main breakdown directly under `node`.
    pub fn children(&self, node: usize) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes.iter().enumerate().filter(move |(_, n)| n.parent == Some(node) && n.breakdown.is_none())
    }

    pub fn index_of(&self, node: &Node) -> Option<usize> {
        self.nodes.iter().position(|n| std::ptr::eq(n, node))
    }
}

/// Why a placeholder's amount was not found.
pub enum Lookup {
    Missing,
    Ambiguous,
}

struct Builder {
    tree: MoneyTree,
    places: u32,
}

impl Builder {
    fn node(&mut self, part: Part, key: Option<&str>, name: &str, path: &str, parent: Option<usize>, value: &Amount) -> usize {
        let depth = parent.map_or(0, |p| self.tree.nodes[p].depth + 1);
        // The change as stated or worked out from last year's figure; a
        // stated growth with no prior stands for itself (prior = amount −
        // growth). A stated rate is printed as stated, at its own precision.
        let change = value.prior.map(|p| value.amount - p).or(value.growth);
        let prior = value.prior.or_else(|| value.growth.map(|g| value.amount - g));
        let change_rate = value.growth_rate.or_else(|| prior.and_then(|p| percent(value.amount - p, p, self.places)));
        self.tree.nodes.push(Node {
            part,
            key: key.map(String::from),
            name: name.to_string(),
            path: path.to_string(),
            depth,
            parent,
            breakdown: parent.and_then(|p| self.tree.nodes[p].breakdown.clone()),
            listed: false,
            value: value.clone(),
            change,
            change_rate,
            derived: false,
        });
        self.tree.nodes.len() - 1
    }

    /// Items under `parent`, recursively; returns the direct ones. Their own
    /// parts must sum to them.
    fn items(&mut self, part: Part, items: &[Item], path: &str, parent: usize, breakdown: Option<&str>, listed: bool) -> Vec<usize> {
        let mut direct = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            let n = self.node(part, item.key.as_deref(), &item.name, &format!("{ipath}.amount"), Some(parent), &item.value());
            self.tree.nodes[n].listed = listed;
            if let Some(b) = breakdown {
                self.tree.nodes[n].breakdown = Some(b.to_string());
            }
            let kids = self.items(part, &item.parts, &format!("{ipath}.parts"), n, breakdown, true);
            self.sum(&item.name, n, kids);
            direct.push(n);
        }
        direct
    }

    fn breakdowns(&mut self, part: Part, list: &[Breakdown], path: &str, total: usize, what: &str) {
        for (i, bd) in list.iter().enumerate() {
            let parts = self.items(part, &bd.parts, &format!("{path}[{i}].parts"), total, Some(&bd.name), true);
            self.sum(&format!("{what}（{}）", bd.name), total, parts);
        }
    }

    /// A total the report does not state: the sum of the first set of
    /// parts that is stated; with none, it stays unknown (and `check` says
    /// so).
    fn derive_total(&mut self, total: usize, candidates: &[Vec<usize>]) {
        if let Some(parts) = candidates.iter().find(|p| !p.is_empty()) {
            let sum: Decimal = parts.iter().map(|&i| self.tree.nodes[i].value.amount).sum();
            self.tree.nodes[total].value.amount = sum;
            self.tree.nodes[total].derived = true;
        } else {
            self.tree.unknown_totals.push(self.tree.nodes[total].path.clone());
        }
    }

    fn sum(&mut self, what: &str, total: usize, parts: Vec<usize>) {
        if !parts.is_empty() {
            self.tree.sums.push(SumRule { what: what.to_string(), total, parts });
        }
    }
}

/// With one side of the carry-over stated, the other follows from
/// income + opening = expenditure + closing.
fn infer_carry_over(f: &Finance, tree: &MoneyTree) -> Option<(&'static str, Decimal)> {
    let c = f.carry_over.as_ref()?;
    let (i, e) = (tree.total(Part::Income)?, tree.total(Part::Expenditure)?);
    match (&c.opening, &c.closing) {
        (Some(o), None) => Some(("closing", i + o.amount - e)),
        (None, Some(cl)) => Some(("opening", e + cl.amount - i)),
        _ => None,
    }
}

/// The exact change rate, for checking a stated one at its own precision.
pub fn exact_rate(value: &Amount) -> Option<Decimal> {
    let p = value.prior.or_else(|| value.growth.map(|g| value.amount - g))?;
    (!p.is_zero()).then(|| (value.amount - p) * Decimal::ONE_HUNDRED / p)
}

/// A stated rate agrees with the exact one when they are equal at the
/// stated precision (四舍五入).
pub fn rate_agrees(stated: Decimal, exact: Decimal) -> bool {
    round(exact, stated.scale()) == stated
}
