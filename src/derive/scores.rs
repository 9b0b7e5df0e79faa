//! The scored indicator tree: one home for the framework and its scores,
//! built from whichever source the report uses (sections with weights, or
//! `[[indicators]]`). The checks, the score table, the figures and
//! `jixiao check` all read it.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::format::round;
use crate::input::model::{Bonus, Indicator, Report, Section};

/// Where the indicators are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Weighted sections of the outline (the body walks the indicators).
    Sections,
    /// The top-level `[[indicators]]` (the body is prose).
    Indicators,
}

/// The indicators of a report with their scores, given and derived.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub source: Option<Source>,
    /// Both sources are written: the report must choose one.
    pub conflict: bool,
    /// Top-level indicators (一级指标).
    pub categories: Vec<Node>,
    /// Bonus/deduction items (加减分项), counted apart within their caps.
    pub bonuses: Vec<BonusNode>,
    /// Bonus points counted, when every bonus item is settled.
    pub bonus: Option<Decimal>,
    /// Top-level `[[indicators]]` entries with neither weight nor bonus
    /// (key path, name): not counted.
    #[serde(skip)]
    pub unweighted: Vec<(String, String)>,
    /// The indicators' sum (categories and bonus), when every category is scored.
    pub sum: Option<Decimal>,
    /// The total as the report states it (`scoring.score`).
    pub stated: Option<Decimal>,
    /// The total: stated, else the rounded sum.
    pub total: Option<Decimal>,
    pub grade: Option<String>,
}

/// An indicator with its sub-indicators.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// Key path in the data, e.g. `indicators[0].indicators[1]`.
    pub path: String,
    pub name: String,
    pub weight: Decimal,
    /// The score as written.
    pub given: Option<Decimal>,
    /// The score as written, else the sum of the children when all are scored.
    pub score: Option<Decimal>,
    pub note: Option<String>,
    pub children: Vec<Node>,
    /// Children without a weight (key path, name): prose sub-sections, or an
    /// `[[indicators]]` entry missing its weight.
    #[serde(skip)]
    pub unweighted: Vec<(String, String)>,
}

/// A bonus/deduction item.
#[derive(Debug, Clone, Serialize)]
pub struct BonusNode {
    pub path: String,
    pub name: String,
    pub rules: Bonus,
    pub given: Option<Decimal>,
    /// Points the listed awards earn, each group and the whole within caps.
    pub counted: Decimal,
    /// Awards per group, in the order of `rules.groups`.
    pub counts: Vec<u32>,
    /// The score as written, else `counted` when awards are listed.
    pub score: Option<Decimal>,
    pub note: Option<String>,
}

impl Node {
    /// The leaves left unscored under this node (key path, name).
    pub fn unscored(&self, out: &mut Vec<(String, String)>) {
        if self.score.is_some() {
            return;
        }
        if self.children.is_empty() {
            out.push((self.path.clone(), self.name.clone()));
        }
        for c in &self.children {
            c.unscored(out);
        }
    }

    /// Whether any score is written in this subtree.
    pub fn any_given(&self) -> bool {
        self.given.is_some() || self.children.iter().any(Node::any_given)
    }
}

impl Scores {
    /// The leaves without a score, in outline order.
    pub fn unscored(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for c in &self.categories {
            c.unscored(&mut out);
        }
        out
    }

    /// Whether the indicators carry any score at all.
    pub fn any_given(&self) -> bool {
        self.categories.iter().any(Node::any_given)
    }
}

/// Build the tree of `report`.
pub fn derive(report: &Report) -> Scores {
    let mut s = Scores::default();
    for (i, sec) in report.sections.iter().enumerate() {
        collect(sec, &format!("sections[{i}]"), &mut s);
    }
    if !s.categories.is_empty() || !s.bonuses.is_empty() {
        s.source = Some(Source::Sections);
        s.conflict = !report.indicators.is_empty();
    } else if !report.indicators.is_empty() {
        s.source = Some(Source::Indicators);
        for (i, ind) in report.indicators.iter().enumerate() {
            let path = format!("indicators[{i}]");
            match &ind.bonus {
                Some(b) => s.bonuses.push(bonus_node(path, &ind.name, b, ind.score, ind.note.clone())),
                None => match indicator_node(ind, path, &mut s.bonuses) {
                    Ok(node) => s.categories.push(node),
                    Err(path) => s.unweighted.push((path, ind.name.clone())),
                },
            }
        }
    }
    if !s.bonuses.is_empty() {
        s.bonus = s.bonuses.iter().map(|b| b.score).sum();
    }
    let scores: Option<Vec<Decimal>> = s.categories.iter().map(|c| c.score).collect();
    if let Some(scores) = scores.filter(|v| !v.is_empty()) {
        // An unsettled bonus item (no score, no awards) claims nothing.
        let bonus: Decimal = s.bonuses.iter().filter_map(|b| b.score).sum();
        let sum: Decimal = scores.iter().sum::<Decimal>() + bonus;
        s.sum = Some(round(sum, report.scoring.places));
    }
    s.stated = report.scoring.score;
    s.total = s.stated.or(s.sum);
    s.grade = s.total.and_then(|t| report.scoring.grades.iter().find(|g| t >= g.min).map(|g| g.name.clone()));
    s
}

/// Top-most weighted sections are categories; bonus sections count apart,
/// wherever they sit.
fn collect(sec: &Section, path: &str, s: &mut Scores) {
    if let Some(b) = &sec.bonus {
        s.bonuses.push(bonus_node(path.to_string(), &sec.title, b, sec.score, sec.note.clone()));
        return;
    }
    if sec.weight.is_some() {
        let node = section_node(sec, path, &mut s.bonuses);
        s.categories.push(node);
        return;
    }
    for (i, c) in sec.sections.iter().enumerate() {
        collect(c, &format!("{path}.sections[{i}]"), s);
    }
}

fn section_node(sec: &Section, path: &str, bonuses: &mut Vec<BonusNode>) -> Node {
    let mut children = Vec::new();
    let mut unweighted = Vec::new();
    for (i, c) in sec.sections.iter().enumerate() {
        let cpath = format!("{path}.sections[{i}]");
        if c.bonus.is_some() {
            collect_bonuses(c, &cpath, bonuses);
        } else if c.weight.is_some() {
            children.push(section_node(c, &cpath, bonuses));
        } else {
            unweighted.push((cpath.clone(), c.title.clone()));
            collect_bonuses(c, &cpath, bonuses);
        }
    }
    node(path.to_string(), &sec.title, sec.weight.unwrap_or_default(), sec.score, sec.note.clone(), children, unweighted)
}

fn collect_bonuses(sec: &Section, path: &str, bonuses: &mut Vec<BonusNode>) {
    if let Some(b) = &sec.bonus {
        bonuses.push(bonus_node(path.to_string(), &sec.title, b, sec.score, sec.note.clone()));
    }
    for (i, c) in sec.sections.iter().enumerate() {
        collect_bonuses(c, &format!("{path}.sections[{i}]"), bonuses);
    }
}

/// The node of an indicator, or its key path when it has no weight: neither
/// its own nor weighted sub-indicators, whose sum a framework level that
/// states no weight of its own has (四川: 履职成效 is what its items give).
fn indicator_node(ind: &Indicator, path: String, bonuses: &mut Vec<BonusNode>) -> Result<Node, String> {
    let mut children = Vec::new();
    let mut unweighted = Vec::new();
    for (i, c) in ind.indicators.iter().enumerate() {
        let cpath = format!("{path}.indicators[{i}]");
        match &c.bonus {
            Some(b) => bonuses.push(bonus_node(cpath, &c.name, b, c.score, c.note.clone())),
            None => match indicator_node(c, cpath, bonuses) {
                Ok(n) => children.push(n),
                Err(cpath) => unweighted.push((cpath, c.name.clone())),
            },
        }
    }
    let weight = match ind.weight {
        Some(w) => w,
        None if children.is_empty() => return Err(path),
        None => children.iter().map(|c| c.weight).sum(),
    };
    Ok(node(path, &ind.name, weight, ind.score, ind.note.clone(), children, unweighted))
}

fn node(path: String, name: &str, weight: Decimal, given: Option<Decimal>, note: Option<String>, children: Vec<Node>, unweighted: Vec<(String, String)>) -> Node {
    let from_children: Option<Decimal> = if children.is_empty() { None } else { children.iter().map(|c| c.score).sum() };
    Node { path, name: name.to_string(), weight, given, score: given.or(from_children), note, children, unweighted }
}

fn bonus_node(path: String, name: &str, b: &Bonus, given: Option<Decimal>, note: Option<String>) -> BonusNode {
    let mut counts = vec![0u32; b.groups.len()];
    for a in &b.awards {
        if let Some(g) = b.groups.iter().position(|g| g.name == a.group) {
            counts[g] += 1;
        }
    }
    let mut computed = Decimal::ZERO;
    for (g, n) in b.groups.iter().zip(&counts) {
        let capped = (g.each * Decimal::from(*n)).abs().min(g.cap.abs());
        computed += if g.each.is_sign_negative() { -capped } else { capped };
    }
    let cap = b.cap.abs();
    let counted = computed.max(-cap).min(cap);
    let score = given.or((!b.awards.is_empty()).then_some(counted));
    BonusNode { path, name: name.to_string(), rules: b.clone(), given, counted, counts, score, note }
}
