//! The checks: every rule a careful finance officer or editor would apply to
//! the data, all on exact decimals, each finding naming its key path. Also the
//! figures derived from the data (total score, grade, rates, shares).
//!
//! Totals are written in the data as the accounts state them and checked
//! against their parts here; they are never silently derived.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::Finding;
use crate::format::{number, round};
use crate::model::{Bonus, Report, Section};
use crate::money_tree::MoneyTree;
use crate::staffing::StaffFigures;

mod finance;
mod staffing;

/// How the starter file (`jixiao init`) marks what the user must write.
pub const PLACEHOLDER: &str = "【请填写";

/// Figures computed from the data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Derived {
    /// Top-level indicator categories: title, weight, score (when scored).
    pub categories: Vec<Category>,
    /// Bonus/deduction points counted, after caps.
    pub bonus: Option<Decimal>,
    /// Total self-score and its grade, when every indicator is scored.
    pub total_score: Option<Decimal>,
    pub grade: Option<String>,
    /// 预算执行率, percent.
    pub execution_rate: Option<Decimal>,
    /// Shares of income by source and of expenditure by kind, percent.
    pub income_shares: Vec<(String, Decimal)>,
    pub expenditure_shares: Vec<(String, Decimal)>,
    /// Every amount with its sums and growth (see [`MoneyTree`]).
    pub money: Option<MoneyTree>,
    /// Staff counts and their sums.
    pub staffing: Option<StaffFigures>,
    /// Each project's 执行率, scores, total and grade (see [`crate::project`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<crate::project::ProjectFigures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub title: String,
    pub weight: Decimal,
    pub score: Option<Decimal>,
}

/// Run every check; findings come back unplaced (see `DataFile::place`).
pub fn check(report: &Report) -> (Vec<Finding>, Derived) {
    // Both rules walk every string of the report: serialize it once.
    let value = serde_json::to_value(report).unwrap_or_default();
    let mut findings = crate::limits::check(&value);
    findings.extend(crate::text_rules::check(&value));
    let mut c = Checker { report, findings, derived: Derived::default() };
    if let Some(f) = &report.finance {
        c.finance(f);
    }
    if let Some(s) = &report.staffing {
        c.staffing(s);
    }
    c.scoring();
    c.placeholder("unit", &report.unit);
    if report.sections.is_empty() {
        c.warning(String::new(), "报告没有任何章节（[[sections]]），只会印出标题".into());
    }
    if let Some(d) = report.closing.as_ref().and_then(|cl| cl.date.as_ref()).and_then(|d| d.date)
        && !crate::model::YEARS.contains(&i32::from(d.year))
    {
        c.findings.push(Finding::error(
            "closing.date",
            format!(
                "成文日期 {d} 的年份超出范围（应在 {} 到 {} 之间）；成文日期写成如 {}-03-15 的形式，不加引号",
                crate::model::YEARS.start(),
                crate::model::YEARS.end(),
                report.year + 1
            ),
        ));
    }
    if report.closing.as_ref().is_some_and(|cl| cl.date.as_ref().and_then(|d| d.date).is_none()) {
        c.warning("closing".into(), "落款没有成文日期（date，如 2023-03-01），不排落款".into());
    }
    if report.finance.as_ref().and_then(|f| f.income.as_ref()).is_some_and(|i| i.total.amount.is_zero()) {
        c.warning("finance.income.total".into(), "收入合计为 0：请填写本单位的收支数字".into());
    }
    for (i, s) in report.sections.iter().enumerate() {
        c.structure(s, 1, i + 1, &format!("sections[{i}]"));
    }
    c.siblings(&report.sections, "sections");
    c.indicators();
    c.derived.projects = crate::project::figures(report);
    c.findings.extend(crate::project::check::check(&report.projects, &c.derived.projects));
    (c.findings, c.derived)
}

struct Checker<'a> {
    report: &'a Report,
    findings: Vec<Finding>,
    derived: Derived,
}

/// The indicators without a score, given or derived: the leaves to fill in.
fn unscored(s: &Section, path: &str, out: &mut Vec<(String, String)>) {
    if s.derived_score().is_some() {
        return;
    }
    let kids: Vec<(usize, &Section)> = s.sections.iter().enumerate().filter(|(_, c)| c.weight.is_some() && c.bonus.is_none()).collect();
    if kids.is_empty() {
        out.push((path.to_string(), s.title.clone()));
    }
    for (i, c) in kids {
        unscored(c, &format!("{path}.sections[{i}]"), out);
    }
}

/// `a + b + c`, as the messages show sums.
fn sum_text(parts: &[(String, Decimal)]) -> String {
    parts.iter().map(|(n, v)| format!("{n} {v}")).collect::<Vec<_>>().join(" + ")
}

impl Checker<'_> {
    fn error(&mut self, path: String, message: String, related: Vec<String>) {
        let mut f = Finding::error(path, message);
        f.related = related;
        self.findings.push(f);
    }

    fn warning(&mut self, path: String, message: String) {
        self.findings.push(Finding::warning(path, message));
    }

    fn scoring(&mut self) {
        let grades = &self.report.scoring.grades;
        for (i, w) in grades.windows(2).enumerate() {
            if w[1].min >= w[0].min {
                self.error(
                    format!("scoring.grades[{}].min", i + 1),
                    format!("等级须按下限从高到低排列：“{}”的下限 {} 不低于“{}”的 {}", w[1].name, number(w[1].min), w[0].name, number(w[0].min)),
                    vec![],
                );
            }
        }
    }

    fn structure(&mut self, s: &Section, level: usize, ordinal: usize, path: &str) {
        if s.title.trim().is_empty() {
            self.error(format!("{path}.title"), "章节标题为空".into(), vec![]);
        }
        if let Some(n) = crate::format::handwritten_number(&s.title) {
            let typed = &s.title[..n];
            let pattern = self.report.style.numbering.get(level - 1).or(self.report.style.numbering.last());
            let generated = pattern.map(|p| crate::format::section_number(p, ordinal as u32 + self.report.style.start_at(level) - 1)).unwrap_or_default();
            let mut f = Finding::warning(
                format!("{path}.title"),
                if typed == generated {
                    format!("标题前手写的编号“{typed}”与 jixiao 按层级生成的编号相同，已自动去掉；请在数据中删去它")
                } else {
                    format!("标题前手写了编号“{typed}”；编号由 jixiao 按层级生成（此处为“{generated}”），会印成“{generated}{}”；请删去“{typed}”", s.title)
                },
            );
            f.focus = Some(typed.to_string());
            self.findings.push(f);
        }
        self.text_traps(&format!("{path}.title"), &s.title, false);
        if let Some(t) = &s.run_in {
            self.text_traps(&format!("{path}.run_in"), t, false);
        }
        let sentence = s.title.trim_end().ends_with(['。', '！', '？', '；']);
        if s.blocks.is_empty() && s.sections.is_empty() && s.run_in.is_none() && !sentence {
            self.warning(path.into(), format!("章节“{}”没有正文也没有下级章节；如果标题本身就是一句完整的话，请以“。”结尾", s.title));
        }
        if level > self.report.style.numbering.len() {
            self.warning(
                path.into(),
                format!("第 {level} 层章节超出了 style.numbering 定义的 {} 层编号，将沿用最后一层的编号格式", self.report.style.numbering.len()),
            );
        }
        self.placeholder(&format!("{path}.title"), &s.title);
        if let Some(t) = &s.run_in {
            self.placeholder(&format!("{path}.run_in"), t);
        }
        for (b, block) in s.blocks.iter().enumerate() {
            match block {
                crate::model::Block::Paragraph(t) => {
                    self.placeholder(&format!("{path}.blocks[{b}].paragraph"), t);
                    self.text_traps(&format!("{path}.blocks[{b}].paragraph"), t, true);
                }
                crate::model::Block::List(l) => {
                    for (k, t) in l.items.iter().enumerate() {
                        self.placeholder(&format!("{path}.blocks[{b}].list.items"), t);
                        self.text_traps(&format!("{path}.blocks[{b}].list.items[{k}]"), t, false);
                    }
                }
                _ => {}
            }
            let empty = match block {
                crate::model::Block::Paragraph(t) | crate::model::Block::Figures(t) => t.trim().is_empty(),
                crate::model::Block::List(l) => l.items.is_empty() || l.items.iter().any(|t| t.trim().is_empty()),
                crate::model::Block::Table(t) => t.rows.is_empty(),
                crate::model::Block::ScoreTable(_) | crate::model::Block::FinanceTable(_) => false,
            };
            if empty {
                self.warning(format!("{path}.blocks[{b}]"), "空的段落或列表项".into());
            }
        }
        self.siblings(&s.sections, &format!("{path}.sections"));
        for (i, child) in s.sections.iter().enumerate() {
            self.structure(child, level + 1, i + 1, &format!("{path}.sections[{i}]"));
        }
    }

    /// Traps in text that pass silently otherwise: an indent or a tab typed by hand.
    fn text_traps(&mut self, path: &str, text: &str, paragraph: bool) {
        let lead = text.len() - text.trim_start_matches([' ', '\u{3000}', '\t']).len();
        if lead > 0 && paragraph {
            let mut f = Finding::warning(path.to_string(), "段首的空格已去掉：首行缩进两字由版式排出，不必手打空格".to_string());
            f.focus = Some(text[..lead].to_string());
            self.findings.push(f);
        } else if text.trim_start_matches([' ', '\u{3000}', '\t']).contains('\t') {
            let mut f = Finding::warning(path.to_string(), "文字中有制表符（Tab），会印成一段空白；请删去或改成标点".to_string());
            f.focus = Some("\t".into());
            self.findings.push(f);
        }
    }

    /// Text left as the starter file's placeholder (`【请填写…】`).
    fn placeholder(&mut self, path: &str, text: &str) {
        if let Some(at) = text.find(PLACEHOLDER) {
            let end = text[at..].find('】').map_or(text.len(), |e| at + e + '】'.len_utf8());
            let mut f = Finding::warning(path.to_string(), format!("尚未填写：{}", &text[at..end]));
            f.focus = Some(PLACEHOLDER.into());
            self.findings.push(f);
        }
    }

    fn siblings(&mut self, sections: &[Section], path: &str) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, s) in sections.iter().enumerate() {
            let t = s.title.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(t, i) {
                seen.insert(t, first);
                self.warning(format!("{path}[{i}].title"), format!("同一层中标题“{t}”重复出现（另见 {path}[{first}]）"));
            }
        }
    }

    /// Weights, scores, bonus caps, total and grade.
    fn indicators(&mut self) {
        let (tops, bonuses) = collect_indicators(self.report);
        if tops.is_empty() && bonuses.is_empty() {
            return;
        }
        let mut scores: Vec<Option<Decimal>> = Vec::new();
        for (path, s) in &tops {
            let score = self.indicator(s, path);
            scores.push(score);
            self.derived.categories.push(Category { title: s.title.clone(), weight: s.weight.unwrap_or_default(), score });
        }
        if !tops.is_empty() {
            let total: Decimal = tops.iter().filter_map(|(_, s)| s.weight).sum();
            let want = self.report.scoring.total;
            if total != want {
                let parts: Vec<(String, Decimal)> = tops.iter().map(|(_, s)| (s.title.clone(), s.weight.unwrap_or_default())).collect();
                self.error(
                    format!("{}.weight", tops[0].0),
                    format!("一级指标分值之和应为 {}，实际为 {} = {}", number(want), sum_text(&parts), number(total)),
                    tops.iter().skip(1).map(|(p, _)| format!("{p}.weight")).collect(),
                );
            }
        }
        let mut bonus_total = Decimal::ZERO;
        let mut bonus_scored = true;
        for (path, s) in &bonuses {
            match self.bonus(s, s.bonus.as_ref().expect("collected bonus"), path) {
                Some(v) => bonus_total += v,
                None => bonus_scored = false,
            }
        }
        if !bonuses.is_empty() && bonus_scored {
            self.derived.bonus = Some(bonus_total);
        }
        let scored = scores.iter().filter(|s| s.is_some()).count();
        if scored == 0 {
            return;
        }
        if scored < scores.len() {
            let mut missing = Vec::new();
            for (path, s) in &tops {
                unscored(s, path, &mut missing);
            }
            for (path, title) in missing {
                self.warning(
                    format!("{path}.score"),
                    format!("指标“{title}”没有填写自评得分（score）；各项都填写后才计算总分和等级"),
                );
            }
            return;
        }
        let places = self.report.scoring.places;
        let mut total: Decimal = scores.iter().flatten().sum();
        if bonus_scored {
            total += bonus_total;
        }
        let total = round(total, places);
        self.derived.total_score = Some(total);
        self.derived.grade = self.report.scoring.grades.iter().find(|g| total >= g.min).map(|g| g.name.clone());
    }

    /// Check one weighted section and its subtree; returns its score, given or
    /// derived from its children.
    fn indicator(&mut self, s: &Section, path: &str) -> Option<Decimal> {
        let weight = s.weight?;
        let label = &s.title;
        if weight.is_sign_negative() {
            self.error(format!("{path}.weight"), format!("指标“{label}”的分值不能为负数"), vec![]);
        }
        let children: Vec<(String, &Section)> = s
            .sections
            .iter()
            .enumerate()
            .filter(|(_, c)| c.bonus.is_none())
            .map(|(i, c)| (format!("{path}.sections[{i}]"), c))
            .collect();
        let weighted: Vec<&(String, &Section)> = children.iter().filter(|(_, c)| c.weight.is_some()).collect();
        let mut child_scores = Vec::new();
        if !weighted.is_empty() {
            for (cpath, c) in &children {
                if c.weight.is_none() {
                    self.warning(cpath.clone(), format!("指标“{label}”的下级“{}”没有分值（weight）", c.title));
                }
            }
            let parts: Vec<(String, Decimal)> = weighted.iter().map(|(_, c)| (c.title.clone(), c.weight.unwrap_or_default())).collect();
            let sum: Decimal = parts.iter().map(|p| p.1).sum();
            if sum != weight {
                self.error(
                    format!("{path}.weight"),
                    format!(
                        "指标“{label}”的分值应为其下各项之和 {} = {}，实际填写 {}",
                        sum_text(&parts),
                        number(sum),
                        number(weight)
                    ),
                    weighted.iter().map(|(p, _)| format!("{p}.weight")).collect(),
                );
            }
            for (cpath, c) in &weighted {
                child_scores.push(self.indicator(c, cpath));
            }
        }
        if let Some(score) = s.score
            && (score.is_sign_negative() || score > weight)
        {
            self.error(
                format!("{path}.score"),
                format!("指标“{label}”的自评得分 {} 应在 0 到分值 {} 之间", number(score), number(weight)),
                vec![format!("{path}.weight")],
            );
        }
        let all_children_scored = !child_scores.is_empty() && child_scores.iter().all(Option::is_some);
        let child_sum: Option<Decimal> = all_children_scored.then(|| child_scores.iter().flatten().sum());
        match (s.score, child_sum) {
            (Some(score), Some(sum)) if score != sum => {
                let parts: Vec<(String, Decimal)> = weighted
                    .iter()
                    .zip(&child_scores)
                    .map(|((_, c), sc)| (c.title.clone(), sc.unwrap_or_default()))
                    .collect();
                self.error(
                    format!("{path}.score"),
                    format!("指标“{label}”的得分应为其下各项得分之和 {} = {}，实际填写 {}", sum_text(&parts), number(sum), number(score)),
                    weighted.iter().map(|(p, _)| format!("{p}.score")).collect(),
                );
                Some(score)
            }
            (Some(score), _) => Some(score),
            (None, sum) => sum,
        }
    }

    /// A bonus/deduction section: points per group within the group's cap, the
    /// whole within the section's cap. Returns the points counted.
    fn bonus(&mut self, s: &Section, b: &Bonus, path: &str) -> Option<Decimal> {
        let mut computed = Decimal::ZERO;
        let mut counts = vec![0u32; b.groups.len()];
        for (i, a) in b.awards.iter().enumerate() {
            match b.groups.iter().position(|g| g.name == a.group) {
                Some(g) => counts[g] += 1,
                None => {
                    let names: Vec<&str> = b.groups.iter().map(|g| g.name.as_str()).collect();
                    self.error(
                        format!("{path}.bonus.awards[{i}].group"),
                        format!("“{}”不是本加减分项的分组；可用的分组：{}", a.group, names.join("、")),
                        vec![],
                    );
                }
            }
        }
        for (g, n) in b.groups.iter().zip(&counts) {
            if g.cap.is_sign_negative() {
                self.error(format!("{path}.bonus"), format!("分组“{}”的上限应为正数", g.name), vec![]);
            }
            let raw = g.each * Decimal::from(*n);
            let capped = raw.abs().min(g.cap.abs());
            computed += if g.each.is_sign_negative() { -capped } else { capped };
        }
        let cap = b.cap.abs();
        let counted = computed.max(-cap).min(cap);
        match s.score {
            Some(score) => {
                if score.abs() > cap {
                    self.error(
                        format!("{path}.score"),
                        format!("加减分项“{}”的得分 {} 超出上限 {}", s.title, number(score), number(cap)),
                        vec![format!("{path}.bonus.cap")],
                    );
                }
                if !b.awards.is_empty() && score != counted {
                    let detail: Vec<String> = b
                        .groups
                        .iter()
                        .zip(&counts)
                        .map(|(g, n)| format!("{} {} 项 × {} 分（上限 {}）", g.name, n, number(g.each), number(g.cap)))
                        .collect();
                    self.error(
                        format!("{path}.score"),
                        format!(
                            "加减分项“{}”按所列表彰应得 {}（{}；总上限 {}），实际填写 {}",
                            s.title,
                            number(counted),
                            detail.join("，"),
                            number(cap),
                            number(score)
                        ),
                        vec![],
                    );
                }
                Some(score)
            }
            None if !b.awards.is_empty() => Some(counted),
            None => None,
        }
    }
}

/// The indicator categories (top-most weighted sections) and the bonus
/// sections of a report, with their key paths.
#[allow(clippy::type_complexity)]
pub fn collect_indicators(report: &Report) -> (Vec<(String, &Section)>, Vec<(String, &Section)>) {
    let mut tops = Vec::new();
    let mut bonuses = Vec::new();
    for (i, s) in report.sections.iter().enumerate() {
        collect(s, &format!("sections[{i}]"), &mut tops, &mut bonuses);
    }
    (tops, bonuses)
}

/// The top-most weighted sections (categories), and every bonus section.
fn collect<'a>(s: &'a Section, path: &str, tops: &mut Vec<(String, &'a Section)>, bonuses: &mut Vec<(String, &'a Section)>) {
    if s.bonus.is_some() {
        bonuses.push((path.to_string(), s));
        return;
    }
    if s.weight.is_some() {
        tops.push((path.to_string(), s));
        // Bonus sections may sit under a category; they still count apart.
        for (i, c) in s.sections.iter().enumerate() {
            collect_bonuses(c, &format!("{path}.sections[{i}]"), bonuses);
        }
        return;
    }
    for (i, c) in s.sections.iter().enumerate() {
        collect(c, &format!("{path}.sections[{i}]"), tops, bonuses);
    }
}

fn collect_bonuses<'a>(s: &'a Section, path: &str, bonuses: &mut Vec<(String, &'a Section)>) {
    if s.bonus.is_some() {
        bonuses.push((path.to_string(), s));
    }
    for (i, c) in s.sections.iter().enumerate() {
        collect_bonuses(c, &format!("{path}.sections[{i}]"), bonuses);
    }
}
