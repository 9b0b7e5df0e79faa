//! The checks: every rule a careful finance officer or editor would apply to
//! the data, all on exact decimals, each finding naming its key path. They
//! read the model and its figures ([`crate::derive::Figures`]), computed
//! before; they compute nothing the layout prints. The size limits
//! (`limits`) and the rules on text (`text_rules`) are here too. Takes a
//! `Report` and its `Figures`, gives findings.
//!
//! Totals are written in the data as the accounts state them and checked
//! against their parts here; they are never silently derived.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::base::diagnostic::Finding;
use crate::base::format::number;
use crate::input::model::{Report, Section};
use crate::derive::Figures;

mod finance;
pub mod limits;
pub mod project;
mod staffing;
pub mod text_rules;

/// How the starter file (`jixiao init`) marks what the user must write.
pub const PLACEHOLDER: &str = "【请填写";

/// The words of every "this indicator's score is blank" warning: the editor
/// (`serve::summary`) and the command line (`print_findings`) sum many of
/// them up into one line.
pub const UNSCORED: &str = "没有填写自评得分";

/// Up to this many blank scores are listed one by one, each in full.
pub const UNSCORED_IN_FULL: usize = 3;

/// Whether `f` is a "this indicator's score is blank" warning.
pub fn is_unscored(f: &Finding) -> bool {
    !f.is_error() && f.path.ends_with(".score") && f.message.contains(UNSCORED)
}

/// Run every check; findings come back unplaced (see `DataFile::place`).
pub fn check(report: &Report, figures: &Figures) -> Vec<Finding> {
    // Both rules walk every string of the report: serialize it once.
    let value = serde_json::to_value(report).unwrap_or_default();
    let mut findings = crate::check::limits::check(&value);
    findings.extend(crate::check::text_rules::check(&value));
    let mut c = Checker { report, findings, figures };
    if let Some(f) = &report.finance {
        c.finance(f);
    }
    if let Some(s) = &report.staffing {
        c.staffing(s);
    }
    c.scoring();
    c.placeholder("unit", &report.unit);
    c.identity();
    if report.sections.is_empty() && !report.attachments_alone() {
        c.warning(String::new(), "报告没有任何章节（[[sections]]），只会印出标题".into());
    }
    if let Some(d) = report.closing.as_ref().and_then(|cl| cl.date.as_ref()).and_then(|d| d.date)
        && !crate::input::model::YEARS.contains(&i32::from(d.year))
    {
        c.findings.push(Finding::error(
            "closing.date",
            format!(
                "成文日期 {d} 的年份超出范围（应在 {} 到 {} 之间）；成文日期写成如 {}-03-15 的形式，不加引号",
                crate::input::model::YEARS.start(),
                crate::input::model::YEARS.end(),
                report.year + 1
            ),
        ));
    }
    if report.closing.as_ref().is_some_and(|cl| cl.date.as_ref().and_then(|d| d.date).is_none()) {
        c.warning("closing".into(), "落款没有成文日期（date，如 2023-03-01），不排落款".into());
    }
    if figures.money.as_ref().and_then(|t| t.total(crate::derive::money_tree::Part::Income)).is_some_and(|i| i.is_zero()) {
        c.warning("finance.income.total".into(), "收入合计为 0：请填写本单位的收支数字".into());
    }
    for (i, s) in report.sections.iter().enumerate() {
        c.structure(s, 1, i + 1, &format!("sections[{i}]"));
    }
    c.siblings(&report.sections, "sections");
    c.indicators();
    c.findings.extend(project::check(&report.projects, &figures.projects));
    c.findings
}

struct Checker<'a> {
    report: &'a Report,
    findings: Vec<Finding>,
    figures: &'a Figures,
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

    /// The year and unit as `import` may leave them: the year it writes
    /// when it found none, a unit the title does not name.
    fn identity(&mut self) {
        let r = self.report;
        if r.year == 2000 {
            self.warning(
                "year".into(),
                "年度为 2000：这是导入时没有找到年度留下的占位数；请改为报告所属的年度（如 year = 2023）".into(),
            );
        }
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if let Some(t) = &r.title
            && !r.unit.trim().is_empty()
            && !r.unit.contains(PLACEHOLDER)
            && !squeeze(t).contains(&squeeze(&r.unit))
        {
            self.warning(
                "unit".into(),
                format!("单位名称“{}”不在标题“{}”中：请核对 unit（应与标题中的单位名称一字不差），或改正标题 title", r.unit, t),
            );
        }
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
        if let Some(n) = crate::base::format::handwritten_number(&s.title) {
            let typed = &s.title[..n];
            let pattern = self.report.style.numbering.get(level - 1).or(self.report.style.numbering.last());
            let generated = pattern.map(|p| crate::base::format::section_number(p, ordinal as u32 + self.report.style.start_at(level) - 1)).unwrap_or_default();
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
                crate::input::model::Block::Paragraph(t) => {
                    self.placeholder(&format!("{path}.blocks[{b}].paragraph"), t);
                    self.text_traps(&format!("{path}.blocks[{b}].paragraph"), t, true);
                }
                crate::input::model::Block::List(l) => {
                    for (k, t) in l.items.iter().enumerate() {
                        self.placeholder(&format!("{path}.blocks[{b}].list.items"), t);
                        self.text_traps(&format!("{path}.blocks[{b}].list.items[{k}]"), t, false);
                    }
                }
                _ => {}
            }
            let empty = match block {
                crate::input::model::Block::Paragraph(t) | crate::input::model::Block::Figures(t) => t.trim().is_empty(),
                crate::input::model::Block::List(l) => l.items.is_empty() || l.items.iter().any(|t| t.trim().is_empty()),
                crate::input::model::Block::Table(t) => t.rows.is_empty(),
                crate::input::model::Block::ScoreTable(_) | crate::input::model::Block::FinanceTable(_) | crate::input::model::Block::StaffingTable(_) => false,
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

    /// Weights, scores, bonus caps, the stated total: on the scored tree.
    fn indicators(&mut self) {
        let scores = &self.figures.scores;
        if scores.conflict {
            let first = scores.categories.first().map(|c| c.path.clone()).or_else(|| scores.bonuses.first().map(|b| b.path.clone())).unwrap_or_default();
            self.error(
                "indicators".into(),
                format!(
                    "指标写了两处：章节中有分值（如 {first}.weight），又有 [[indicators]]；请只选一处：正文按指标逐项分节时，把分值写在章节中并删去 [[indicators]]；正文不按指标分节时，只写 [[indicators]]，删去章节中的 weight、score 和 bonus"
                ),
                vec![format!("{first}.weight")],
            );
        }
        let from_indicators = scores.source == Some(crate::derive::scores::Source::Indicators);
        for (path, name) in &scores.unweighted {
            self.weightless(path, name);
        }
        for cat in &scores.categories {
            self.indicator(cat, from_indicators);
        }
        let tops = &scores.categories;
        if !tops.is_empty() {
            let total: Decimal = tops.iter().map(|c| c.weight).sum();
            let want = self.report.scoring.total;
            if total != want {
                let parts: Vec<(String, Decimal)> = tops.iter().map(|c| (c.name.clone(), c.weight)).collect();
                self.error(
                    format!("{}.weight", tops[0].path),
                    format!("一级指标分值之和应为 {}，实际为 {} = {}", number(want), sum_text(&parts), number(total)),
                    tops.iter().skip(1).map(|c| format!("{}.weight", c.path)).collect(),
                );
            }
        }
        for b in &scores.bonuses {
            self.bonus(b);
        }
        self.total(scores);
    }

    /// An `[[indicators]]` entry with neither weight nor bonus rules.
    fn weightless(&mut self, path: &str, name: &str) {
        self.error(
            format!("{path}.weight"),
            format!("指标“{name}”没有分值（weight）；请写上分值，如 weight = 5；加减分项不写分值，改写 bonus = {{ cap = 5 }}"),
            // It names the indicator: moot when the name itself was taken out.
            vec![format!("{path}.name")],
        );
    }

    /// Missing scores, and the stated total against the indicators' sum.
    fn total(&mut self, scores: &crate::derive::scores::Scores) {
        if scores.any_given() && scores.sum.is_none() {
            for (path, name) in scores.unscored() {
                let message = match scores.stated {
                    Some(t) => format!("指标“{name}”{UNSCORED}（score）；自评表中此项留空，无法与综合评分 {} 核对", number(t)),
                    None => format!("指标“{name}”{UNSCORED}（score）；各项都填写后才计算总分和等级"),
                };
                self.warning(format!("{path}.score"), message);
            }
        }
        let Some(stated) = scores.stated else { return };
        let caps: Decimal = scores.bonuses.iter().map(|b| b.rules.cap.abs()).sum();
        let most = self.report.scoring.total + caps;
        if stated.is_sign_negative() || stated > most {
            self.error(
                "scoring.score".into(),
                format!("综合评分 {} 应在 0 到 {} 之间（指标总分 {} 加上加分上限 {}）", number(stated), number(most), number(self.report.scoring.total), number(caps)),
                vec![],
            );
        }
        if let Some(sum) = scores.sum
            && sum != stated
        {
            let mut parts: Vec<(String, Decimal)> = scores.categories.iter().map(|c| (c.name.clone(), c.score.unwrap_or_default())).collect();
            parts.extend(scores.bonuses.iter().filter_map(|b| Some((b.name.clone(), b.score?))));
            self.error(
                "scoring.score".into(),
                format!(
                    "综合评分填写 {}，而各指标得分之和为 {} = {}，相差 {}；请核对综合评分或各指标得分",
                    number(stated),
                    sum_text(&parts),
                    number(sum),
                    number(stated - sum)
                ),
                scores.categories.iter().map(|c| format!("{}.score", c.path)).collect(),
            );
        }
    }

    /// Check one indicator and its subtree.
    fn indicator(&mut self, n: &crate::derive::scores::Node, from_indicators: bool) {
        let (path, label, weight) = (&n.path, &n.name, n.weight);
        if weight.is_sign_negative() {
            self.error(format!("{path}.weight"), format!("指标“{label}”的分值不能为负数"), vec![]);
        }
        if from_indicators {
            for (cpath, cname) in &n.unweighted {
                self.weightless(cpath, cname);
            }
        }
        if !n.children.is_empty() {
            if !from_indicators {
                for (cpath, cname) in &n.unweighted {
                    self.warning(cpath.clone(), format!("指标“{label}”的下级“{cname}”没有分值（weight）"));
                }
            }
            let parts: Vec<(String, Decimal)> = n.children.iter().map(|c| (c.name.clone(), c.weight)).collect();
            let sum: Decimal = parts.iter().map(|p| p.1).sum();
            if sum != weight {
                self.error(
                    format!("{path}.weight"),
                    format!("指标“{label}”的分值应为其下各项之和 {} = {}，实际填写 {}", sum_text(&parts), number(sum), number(weight)),
                    n.children.iter().map(|c| format!("{}.weight", c.path)).collect(),
                );
            }
            for c in &n.children {
                self.indicator(c, from_indicators);
            }
        }
        if let Some(score) = n.given
            && (score.is_sign_negative() || score > weight)
        {
            self.error(
                format!("{path}.score"),
                format!("指标“{label}”的自评得分 {} 应在 0 到分值 {} 之间", number(score), number(weight)),
                vec![format!("{path}.weight")],
            );
        }
        let child_sum: Option<Decimal> = if n.children.is_empty() { None } else { n.children.iter().map(|c| c.score).sum() };
        if let (Some(score), Some(sum)) = (n.given, child_sum)
            && score != sum
        {
            let parts: Vec<(String, Decimal)> = n.children.iter().map(|c| (c.name.clone(), c.score.unwrap_or_default())).collect();
            self.error(
                format!("{path}.score"),
                format!("指标“{label}”的得分应为其下各项得分之和 {} = {}，实际填写 {}", sum_text(&parts), number(sum), number(score)),
                n.children.iter().map(|c| format!("{}.score", c.path)).collect(),
            );
        }
    }

    /// A bonus/deduction item: points per group within the group's cap, the
    /// whole within the item's cap.
    fn bonus(&mut self, bn: &crate::derive::scores::BonusNode) {
        let (b, path) = (&bn.rules, &bn.path);
        for (i, a) in b.awards.iter().enumerate() {
            if !b.groups.iter().any(|g| g.name == a.group) {
                let names: Vec<&str> = b.groups.iter().map(|g| g.name.as_str()).collect();
                self.error(
                    format!("{path}.bonus.awards[{i}].group"),
                    format!("“{}”不是本加减分项的分组；可用的分组：{}", a.group, names.join("、")),
                    vec![],
                );
            }
        }
        for g in &b.groups {
            if g.cap.is_sign_negative() {
                self.error(format!("{path}.bonus"), format!("分组“{}”的上限应为正数", g.name), vec![]);
            }
        }
        let cap = b.cap.abs();
        let Some(score) = bn.given else { return };
        if score.abs() > cap {
            self.error(
                format!("{path}.score"),
                format!("加减分项“{}”的得分 {} 超出上限 {}", bn.name, number(score), number(cap)),
                vec![format!("{path}.bonus.cap")],
            );
        }
        if !b.awards.is_empty() && score != bn.counted {
            let detail: Vec<String> = b
                .groups
                .iter()
                .zip(&bn.counts)
                .map(|(g, n)| format!("{} {} 项 × {} 分（上限 {}）", g.name, n, number(g.each), number(g.cap)))
                .collect();
            self.error(
                format!("{path}.score"),
                format!(
                    "加减分项“{}”按所列表彰应得 {}（{}；总上限 {}），实际填写 {}",
                    bn.name,
                    number(bn.counted),
                    detail.join("，"),
                    number(cap),
                    number(score)
                ),
                vec![],
            );
        }
    }
}
