//! The resolved document: the report with its numbering, weights and figures
//! worked out, in reading order, as the data the Typst template typesets.
//! Everything here is plain text; the template never parses user text as markup.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::diagnostic::Finding;
use crate::derive::Figures;
use crate::layout::placeholders;
use crate::layout::tables::{self, TableData};
use crate::layout::fonts::{FontSet, Role};
use crate::base::format::{date_zh, number, section_number};
use crate::layout::linebreak;
use crate::input::model::{Block, Cell, Report, Section, Style, UserTable, WeightAt};

#[derive(Debug, Serialize)]
pub struct Document {
    pub title: String,
    /// Whether the title is the default one (derived from unit and year).
    #[serde(skip)]
    pub title_is_default: bool,
    /// The title as printed, broken into lines.
    pub title_lines: Vec<String>,
    pub unit: String,
    /// What kind of report it is, for the PDF's Subject (see [`report_kind`]).
    pub description: String,
    pub keywords: Vec<String>,
    pub style: TemplateStyle,
    pub fonts: FontRoles,
    pub body: Vec<Item>,
    /// The attachment note under the body: one entry per attachment (`1.《…》`).
    pub attachment_note: Vec<String>,
    pub attachments: Vec<AttachmentDoc>,
    pub closing: Option<ClosingBlock>,
    /// Only the attachments are printed, without a body page
    /// ([`Report::attachments_alone`]).
    pub alone: bool,
}

#[derive(Debug, Serialize)]
pub struct TemplateStyle {
    pub heading3_bold: bool,
}

/// The Typst family names each role uses, in order, as resolved by
/// [`FontSet`], and how bold is made where a role asks for it.
#[derive(Debug, Default, Serialize)]
pub struct FontRoles {
    pub families: BTreeMap<&'static str, Vec<String>>,
    /// Roles whose bold must be synthesised (their face has no bold weight).
    pub synthetic_bold: Vec<&'static str>,
}

impl FontRoles {
    pub fn from_set(set: &FontSet) -> FontRoles {
        FontRoles {
            families: Role::ALL.iter().map(|&r| (r.key(), set.families(r))).collect(),
            synthetic_bold: set.chains.iter().filter(|c| c.synthetic_bold).map(|c| c.role.key()).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Heading {
        level: usize,
        /// Number, title, weight and closing punctuation, in the heading face.
        head: String,
        /// Body text running on in the same paragraph, if any.
        run_in: Option<String>,
        /// Whether the heading has content of its own to keep with (text
        /// or subheadings). A heading with nothing under it, as in a list of
        /// indicators written as headings, is itself the content and may end
        /// a page; so a run of such headings is never moved as one block.
        keep: bool,
        /// Key path of the section in the data, for messages.
        path: String,
    },
    Par {
        text: String,
        path: String,
    },
    Table {
        table: TableData,
        path: String,
    },
}

/// An attachment as typeset: its label (`附件1`), title and content.
#[derive(Debug, Serialize)]
pub struct AttachmentDoc {
    pub label: String,
    pub title: String,
    /// A line centred under the title (a form's `（2023年度）`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Key path of the title in the data, for messages.
    #[serde(skip)]
    pub title_path: String,
    pub landscape: bool,
    pub body: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub struct ClosingBlock {
    pub unit: String,
    pub date: String,
    pub seal: bool,
    /// Virtual path of the seal image, when the data names one.
    pub seal_image: Option<String>,
}

/// Where the template finds the seal image the data names.
pub const SEAL_VPATH: &str = "/assets/seal";

/// Resolve `report`; errors (e.g. an unknown figure placeholder) are returned
/// all together.
pub fn resolve(report: &Report, derived: &Figures, fonts: &FontSet) -> Result<Document, Vec<Finding>> {
    let mut errors = Vec::new();
    let mut body = Vec::new();
    let ctx = Ctx { report, derived };
    for (i, s) in report.sections.iter().enumerate() {
        section(&ctx, s, 1, i + 1, &format!("sections[{i}]"), &mut body, &mut errors);
    }
    let many = report.attachments.len() + report.projects.len() > 1;
    let alone = report.attachments_alone();
    // Filed alone, an attachment is a document of its own: no 附件 label.
    let label = |n: usize| if alone { String::new() } else if many { format!("附件{n}") } else { "附件".into() };
    let mut attachments = Vec::new();
    let mut attachment_note = Vec::new();
    for (i, a) in report.attachments.iter().enumerate() {
        let path = format!("attachments[{i}]");
        let mut items = Vec::new();
        blocks(&ctx, &a.blocks, 1, a.landscape, &path, &mut items, &mut errors);
        if a.title.trim().is_empty() {
            errors.push(Finding::error(format!("{path}.title"), "附件标题为空"));
        }
        let title = ctx.text(&a.title, &format!("{path}.title"), &mut errors);
        attachment_note.push(attachment_name(&title, i + 1, many, report.style.attachment_quotes));
        attachments.push(AttachmentDoc {
            label: label(i + 1),
            title,
            subtitle: None,
            title_path: format!("{path}.title"),
            landscape: a.landscape,
            body: items,
        });
    }
    // Each project's 项目支出绩效自评表, after the attachments the data writes.
    for (i, (p, figures)) in report.projects.iter().zip(&derived.projects).enumerate() {
        let n = report.attachments.len() + i + 1;
        let (title, subtitle) = report.project_form.title_of(p, report.year);
        attachment_note.push(attachment_name(&title, n, many, report.style.attachment_quotes));
        attachments.push(AttachmentDoc {
            label: label(n),
            title,
            subtitle,
            title_path: format!("projects[{i}].name"),
            landscape: true,
            body: vec![Item::Table { table: crate::layout::project_table::form(p, figures, &report.project_form, &report.unit, i), path: format!("projects[{i}]") }],
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Alone, the document is titled by its first form, unless the data titles it.
    let title = match (&report.title, attachments.first()) {
        (None, Some(a)) if alone => a.title.clone(),
        _ => ctx.text(&report.display_title(), "title", &mut errors),
    };
    if alone {
        attachment_note.clear();
    }
    let kind = report_kind(&title);
    if !errors.is_empty() {
        return Err(errors);
    }
    let closing = report.closing.as_ref().filter(|_| !alone).and_then(|c| {
        let date = c.date.as_ref()?.date?;
        Some(ClosingBlock {
            unit: c.unit.clone().unwrap_or_else(|| report.unit.clone()),
            date: date_zh(date.year, date.month, date.day),
            seal: c.seal || c.seal_image.is_some(),
            seal_image: c.seal_image.as_ref().map(|name| {
                let ext = name.rsplit('.').next().unwrap_or("png").to_ascii_lowercase();
                format!("{SEAL_VPATH}.{ext}")
            }),
        })
    });
    let mut doc = Document {
        title_lines: linebreak::title_lines(&title, TITLE_LINE_CHARS, &report.unit),
        // The metadata title is one line: the breaks the data asks for are layout.
        title: title.split('\n').map(str::trim).collect(),
        description: kind.to_string(),
        title_is_default: report.title.is_none(),
        unit: report.unit.clone(),
        keywords: vec![kind.to_string(), format!("{}年度", report.year)],
        style: TemplateStyle { heading3_bold: report.style.heading3_bold },
        fonts: FontRoles::from_set(fonts),
        body,
        attachment_note,
        attachments,
        closing,
        alone,
    };
    doc.keep_words();
    Ok(doc)
}

/// The kind of report, as its title names it: the PDF's Subject and first
/// keyword, so an archive can sort reports without reading them.
pub fn report_kind(title: &str) -> &'static str {
    let flat: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if flat.contains("机关整体") {
        "机关整体支出绩效自评报告"
    } else if flat.contains("项目支出") || flat.contains("项目绩效") {
        "项目支出绩效自评报告"
    } else {
        "部门整体支出绩效自评报告"
    }
}

/// One entry of the attachment note (GB/T 9704 §7.3.4): `1.名称`, the name as
/// the attachment's title has it; or `1.《名称》` where the unit's practice
/// is to quote it. A single attachment has no number.
fn attachment_name(title: &str, n: usize, many: bool, quotes: bool) -> String {
    let name = if quotes && !title.starts_with('《') { format!("《{title}》") } else { title.to_string() };
    if many { format!("{n}.{name}") } else { name }
}

impl Document {
    /// Table headers and short labels break only between words.
    fn keep_words(&mut self) {
        let items = self.body.iter_mut().chain(self.attachments.iter_mut().flat_map(|a| a.body.iter_mut()));
        for item in items {
            if let Item::Table { table, .. } = item {
                table.keep_words();
            }
        }
    }
}

/// Characters of 22pt that fit the 156mm type area.
const TITLE_LINE_CHARS: f64 = 20.0;

struct Ctx<'a> {
    report: &'a Report,
    derived: &'a Figures,
}

impl Ctx<'_> {
    /// Text with its placeholders expanded; their errors go to `errors`.
    fn text(&self, text: &str, path: &str, errors: &mut Vec<Finding>) -> String {
        placeholders::expand_text(text, self.report, self.derived).unwrap_or_else(|msgs| {
            errors.extend(msgs.into_iter().map(|m| Finding::error(path, m)));
            text.to_string()
        })
    }

    /// A table written in the data, its cells' placeholders expanded.
    fn table_text(&self, t: &UserTable, path: &str, errors: &mut Vec<Finding>) -> UserTable {
        let mut t = t.clone();
        let rows = t.header.iter_mut().map(|r| (r, "header")).chain(t.rows.iter_mut().map(|r| (r, "rows")));
        let mut counts = (0usize, 0usize);
        for (row, kind) in rows {
            let r = if kind == "header" { &mut counts.0 } else { &mut counts.1 };
            for (c, cell) in row.iter_mut().enumerate() {
                let cpath = format!("{path}.{kind}[{r}][{c}]");
                match cell {
                    Cell::Text(s) => *s = self.text(s, &cpath, errors),
                    Cell::Merged(m) => m.text = self.text(&m.text, &format!("{cpath}.text"), errors),
                }
            }
            *r += 1;
        }
        for col in &mut t.columns {
            col.title = self.text(&col.title, &format!("{path}.columns"), errors);
        }
        t
    }
}

fn section(
    ctx: &Ctx,
    s: &Section,
    level: usize,
    ordinal: usize,
    path: &str,
    body: &mut Vec<Item>,
    errors: &mut Vec<Finding>,
) {
    let style = &ctx.report.style;
    let num = section_number(pattern(style, level), ordinal as u32 + style.start_at(level) - 1);
    let weight_at = s.weight_at.unwrap_or(if s.run_in.is_some() { WeightAt::RunIn } else { WeightAt::Title });
    let weight = s.weight.map(number);
    // A hand-typed number equal to the generated one is dropped (check says so).
    let title = match crate::base::format::handwritten_number(&s.title) {
        Some(n) if s.title[..n] == num => &s.title[n..],
        _ => s.title.as_str(),
    };
    let title = ctx.text(title, &format!("{path}.title"), errors);
    let mut head = format!("{num}{title}");
    if let (Some(w), WeightAt::Title) = (&weight, weight_at) {
        head.push_str(&style.weight_in_title.replace("{weight}", w));
    }
    head.push_str(&title_end(style, s, level));
    let run_in = s.run_in.as_ref().map(|text| ctx.text(text, &format!("{path}.run_in"), errors));
    let run_in = run_in.map(|text| match (&weight, weight_at) {
        (Some(w), WeightAt::RunIn) => format!("{}{text}", style.weight_run_in.replace("{weight}", w)),
        _ => text.clone(),
    });
    let keep = run_in.is_none() && !(s.blocks.is_empty() && s.sections.is_empty());
    body.push(Item::Heading { level, head, run_in, keep, path: path.to_string() });

    blocks(ctx, &s.blocks, level + 1, false, path, body, errors);
    for (i, child) in s.sections.iter().enumerate() {
        section(ctx, child, level + 1, i + 1, &format!("{path}.sections[{i}]"), body, errors);
    }
}

/// A paragraph without the indent typed by hand (full-width spaces, spaces,
/// tabs, as Word users do): the first-line indent is the layout's.
fn unindented(text: &str) -> String {
    text.trim_start_matches([' ', '\u{3000}', '\t']).to_string()
}

/// The blocks of a section or attachment; list items are numbered at `list_level`.
fn blocks(ctx: &Ctx, blocks: &[Block], list_level: usize, landscape: bool, path: &str, body: &mut Vec<Item>, errors: &mut Vec<Finding>) {
    let report = ctx.report;
    for (b, block) in blocks.iter().enumerate() {
        let bpath = format!("{path}.blocks[{b}]");
        match block {
            Block::Paragraph(text) => {
                let path = format!("{bpath}.paragraph");
                body.push(Item::Par { text: unindented(&ctx.text(text, &path, errors)), path })
            }
            Block::List(list) => {
                let item_pattern = pattern(&report.style, list_level);
                let numbered = list
                    .items
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        let t = ctx.text(t, &format!("{bpath}.list.items[{k}]"), errors);
                        format!("{}{t}", section_number(item_pattern, k as u32 + 1))
                    })
                    .collect::<Vec<_>>();
                if list.run_in {
                    body.push(Item::Par { text: numbered.concat(), path: format!("{bpath}.list.items") });
                } else {
                    for (k, text) in numbered.into_iter().enumerate() {
                        body.push(Item::Par { text, path: format!("{bpath}.list.items[{k}]") });
                    }
                }
            }
            Block::Figures(template) => match placeholders::expand(template, report, ctx.derived) {
                Ok(text) => body.push(Item::Par { text, path: format!("{bpath}.figures") }),
                Err(msgs) => errors.extend(msgs.into_iter().map(|m| Finding::error(format!("{bpath}.figures"), m))),
            },
            Block::ScoreTable(spec) => {
                let mut table = tables::score_table(report, &ctx.derived.scores, spec.blank);
                table.fit_columns(tables::area_width_mm(landscape), true);
                table.relabel_merged(&bpath);
                table.keep_tail_together(&bpath);
                body.push(Item::Table { table, path: format!("{bpath}.score_table") })
            }
            Block::StaffingTable(_) => match tables::staffing_table(report, ctx.derived, &format!("{bpath}.staffing_table")) {
                Ok(mut table) => {
                    table.fit_columns(tables::area_width_mm(landscape), true);
                    body.push(Item::Table { table, path: format!("{bpath}.staffing_table") })
                }
                Err(f) => errors.push(f),
            },
            Block::FinanceTable(_) => match tables::finance_table(report, ctx.derived, &format!("{bpath}.finance_table")) {
                Ok(mut table) => {
                    table.fit_columns(tables::area_width_mm(landscape), true);
                    body.push(Item::Table { table, path: format!("{bpath}.finance_table") })
                }
                Err(f) => errors.push(f),
            },
            Block::Table(t) => match tables::user_table(&ctx.table_text(t, &format!("{bpath}.table"), errors), landscape, &format!("{bpath}.table")) {
                Ok(mut table) => {
                    // Widths the user gave are kept, except where a header needs more.
                    table.fit_columns(tables::area_width_mm(landscape), t.columns.iter().all(|c| c.width.is_none()));
                    table.relabel_merged(&bpath);
                    body.push(Item::Table { table, path: format!("{bpath}.table") })
                }
                Err(fs) => errors.extend(fs),
            },
        }
    }
}

/// The numbering pattern of a depth; deeper than defined reuses the last one.
fn pattern(style: &Style, level: usize) -> &str {
    style
        .numbering
        .get(level - 1)
        .or(style.numbering.last())
        .map(String::as_str)
        .unwrap_or("{n}.")
}

fn title_end(style: &Style, s: &Section, level: usize) -> String {
    if let Some(end) = &s.end {
        return end.clone();
    }
    if s.title.ends_with(['。', '！', '？', '：', '；']) {
        return String::new();
    }
    style.title_end.get(level - 1).cloned().unwrap_or_default()
}

/// The shape errors of every table written in the data (spans past the edge,
/// rows of the wrong length), without laying anything out: for a file with
/// syntax errors, so they are reported in the same run.
pub fn table_findings(report: &Report) -> Vec<Finding> {
    fn walk(blocks: &[Block], landscape: bool, path: &str, out: &mut Vec<Finding>) {
        for (b, block) in blocks.iter().enumerate() {
            if let Block::Table(t) = block
                && let Err(fs) = tables::user_table(t, landscape, &format!("{path}.blocks[{b}].table"))
            {
                out.extend(fs);
            }
        }
    }
    fn sections(list: &[Section], path: &str, out: &mut Vec<Finding>) {
        for (i, s) in list.iter().enumerate() {
            let here = format!("{path}[{i}]");
            walk(&s.blocks, false, &here, out);
            sections(&s.sections, &format!("{here}.sections"), out);
        }
    }
    let mut out = Vec::new();
    sections(&report.sections, "sections", &mut out);
    for (i, a) in report.attachments.iter().enumerate() {
        walk(&a.blocks, a.landscape, &format!("attachments[{i}]"), &mut out);
    }
    out
}

/// Findings for a resolved document over the limits: it counts what the
/// data generates too (a score table written once in the data is a few
/// hundred cells; written two thousand times, it is too many to lay out).
pub fn check_document(doc: &Document) -> Vec<Finding> {
    use crate::check::limits::{MAX_CELLS, MAX_TOTAL_CHARS};
    let items = doc.body.iter().chain(doc.attachments.iter().flat_map(|a| a.body.iter()));
    let (mut cells, mut chars) = (0usize, 0usize);
    for item in items {
        match item {
            Item::Table { table, .. } => {
                for row in table.header.iter().chain(&table.rows) {
                    cells += row.len();
                    chars += row.iter().map(|c| c.text.chars().count()).sum::<usize>();
                }
            }
            Item::Par { text, .. } => chars += text.chars().count(),
            Item::Heading { head, run_in, .. } => chars += head.chars().count() + run_in.as_ref().map_or(0, |r| r.chars().count()),
        }
    }
    let mut findings = Vec::new();
    if cells > MAX_CELLS {
        findings.push(Finding::error(
            "",
            format!("报告过大：各表格（含生成的自评表、收支表）共 {cells} 个单元格，超过上限 {MAX_CELLS}；请检查是否重复写了表格"),
        ));
    }
    if chars > MAX_TOTAL_CHARS {
        findings.push(Finding::error("", format!("报告过大：排出的文字共 {chars} 字，超过上限 {MAX_TOTAL_CHARS} 字；请检查数据是否重复粘贴")));
    }
    findings
}

