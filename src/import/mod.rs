//! `jixiao import`: last year's report (.txt, .docx, .pdf) turned into a data
//! file. The reader of each format yields the same thing, a list of
//! paragraphs and tables with their place in the source; the outline, the
//! figures and the TOML are then format-independent.

mod budget;
mod doc;
mod docx;
mod emit;
mod figures;
mod front;
mod marker;
mod outline;
pub mod pdf;
mod pdf_layout;
mod scores;
mod staff;
mod text;

use std::fmt;
use std::path::Path;

pub use marker::{Kind, Marker, parse_marker};

/// The largest input read: the same cap as a data file.
pub const MAX_INPUT_BYTES: u64 = crate::input::source::MAX_DATA_BYTES;

/// Where a paragraph stands in the source, for the summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place {
    pub page: Option<usize>,
    /// 1-based paragraph number in the whole source.
    pub para: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.page {
            Some(p) => write!(f, "第 {p} 页第 {} 段", self.para),
            None => write!(f, "第 {} 段", self.para),
        }
    }
}

/// A table cell as read, after merging: the continuation cells of a
/// vertical merge are dropped, as the data format writes them.
#[derive(Debug, Clone)]
pub struct SrcCell {
    pub text: String,
    pub rowspan: u32,
    pub colspan: u32,
}

/// What a Word file says of a paragraph beyond its text: the outline level
/// of its style (or its own `w:outlineLvl`), and whether it is all bold.
/// Text and PDF give none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hint {
    /// 0-based outline level (Word's 标题 1 is 0).
    pub outline: Option<u8>,
    /// Every character of the paragraph is bold.
    pub bold: bool,
}

#[derive(Debug, Clone)]
pub enum Item {
    Para { text: String, at: Place, hint: Hint },
    Table { rows: Vec<Vec<SrcCell>>, columns: usize, at: Place },
}

/// What the import found and what it was unsure of.
#[derive(Debug, Default)]
pub struct Summary {
    pub source_kind: String,
    pub sections_per_level: Vec<usize>,
    pub paragraphs: usize,
    pub lists: usize,
    pub tables: usize,
    pub figures: usize,
    pub notes: Vec<String>,
}

impl Summary {
    pub fn note(&mut self, at: Place, what: impl fmt::Display) {
        self.notes.push(format!("{at}：{what}"));
    }
}

/// Import `path`. Returns the data file's text and the summary (a new
/// year is `input::new_year`, on that text). Errors are in Chinese. A PDF is parsed in
/// this process; see [`import_isolated`].
pub fn import(path: &Path) -> Result<(String, Summary), String> {
    import_with(path, None)
}

/// As [`import`], parsing a PDF in a limited child process of `exe`
/// (jixiao's own binary), as `verify` does.
pub fn import_isolated(path: &Path, exe: &Path) -> Result<(String, Summary), String> {
    import_with(path, Some(exe))
}

fn import_with(path: &Path, exe: Option<&Path>) -> Result<(String, Summary), String> {
    let bytes = crate::input::source::read_regular(path, MAX_INPUT_BYTES, "报告文件")?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    import_bytes(&bytes, ext, exe)
}

/// As [`import_isolated`] (or [`import`] when `exe` is None), from the
/// file's bytes and its extension (`docx`, `pdf`, `txt`): an upload.
pub fn import_bytes(bytes: &[u8], ext: &str, exe: Option<&Path>) -> Result<(String, Summary), String> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!("文件太大（超过 {} MiB）", MAX_INPUT_BYTES >> 20));
    }
    let ext = ext.to_ascii_lowercase();
    let mut summary = Summary::default();
    let items = match ext.as_str() {
        // A .docx saved as .doc (or .wps) by mistake is still a .docx.
        "docx" | "docm" | "doc" | "wps" if bytes.starts_with(b"PK\x03\x04") => {
            summary.source_kind = "Word 文档（.docx）".into();
            docx::read(bytes, &mut summary)?
        }
        "docx" | "docm" => return Err(not_docx(bytes).unwrap_or_else(|| "不是有效的 .docx 文件（不是 zip 包）；旧版 .doc 请先另存为 .docx".into())),
        "pdf" => {
            summary.source_kind = "PDF".into();
            pdf::read(bytes, &mut summary, exe)?
        }
        "txt" | "text" | "" => text::read(bytes, &mut summary)?,
        "doc" | "wps" => return Err(not_docx(bytes).unwrap_or_else(|| OLD_FORMAT.into())),
        other => {
            return Err(format!("不认识的文件类型 .{}；可导入 .txt、.docx、.pdf", crate::base::diagnostic::shown(other)));
        }
    };
    // Every reader stops at the report's limits; text and PDF are counted
    // here, their paragraphs being made at once from bounded text.
    budget::check(&items)?;
    let has_text = |i: &Item| match i {
        Item::Para { text, .. } => !text.trim().is_empty(),
        Item::Table { rows, .. } => rows.iter().flatten().any(|c| !c.text.trim().is_empty()),
    };
    if !items.iter().any(has_text) {
        return Err(match ext.as_str() {
            "pdf" => "文件中没有读到任何文字（PDF 可能是扫描件，没有文字层）",
            "txt" | "text" | "" => "文件中没有任何文字",
            _ => "文档正文中没有读到任何文字（只有图片、或文字都在页眉页脚中）",
        }
        .into());
    }
    let (items, title) = front::strip(items, &mut summary);
    let report = outline::build(items, title, &mut summary);
    outline::within_limits(&report)?;
    let mut report = figures::recognise(report, &mut summary);
    report.staffing = staff::recognise(&mut report.sections, &mut summary);
    // Indicators go in one place: the sections' weights, or the score table.
    if !has_weights(&report.sections) {
        scores::tables_from_text(&mut report.sections, &mut summary);
        report.indicators = scores::recognise(&report.sections, &mut summary);
    }
    // Weights are taken only when they add up as `check` wants them (the
    // first level to the total, each indicator to its parts): otherwise
    // they stay words of the titles.
    let mut trial = Summary { source_kind: summary.source_kind.clone(), ..Summary::default() };
    let plain = emit::emit(&report, &mut Summary::default());
    verify_figures(&mut report, &plain, &mut summary);
    let first = emit::emit(&report, &mut trial);
    // What is written is held to what `check` takes: the data file's size
    // and the report's limits (counted above with some slack, exactly here).
    let (weights, over) = first_errors(&first);
    if let Some(why) = over {
        return Err(format!("导入的结果超过一份报告的上限：{why}"));
    }
    if let (Some(why), false) = (&weights, report.indicators.is_empty()) {
        report.indicators.clear();
        summary.notes.push(format!("自评表的分值不能自洽（{why}），没有写成 [[indicators]]，表格保留在正文中；请核对后再写分值"));
    } else if let Some(why) = weights {
        outline::unweight(&mut report.sections);
        summary.notes.push(format!("标题中的分值不能自洽（{why}），已作为标题文字保留，没有写成 weight；请核对后再写分值"));
    }
    if !report.indicators.is_empty() {
        if let Some(caption) = scores::take_table(&mut report.sections, &mut summary) {
            report.score_attachment = Some(caption.unwrap_or_else(|| "部门整体支出绩效自评表".into()));
        }
    }
    let text = emit::emit(&report, &mut summary);
    if text.len() as u64 > crate::input::source::MAX_DATA_BYTES {
        return Err(format!("导入的结果超过数据文件的上限 {} MiB，不能导入；请检查文档是否重复粘贴了内容", crate::input::source::MAX_DATA_BYTES >> 20));
    }
    Ok((text, summary))
}

const OLD_FORMAT: &str = "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，不能导入；请在 Word 或 WPS 中“另存为” .docx 后再导入";

/// What a file that should be a .docx but is no zip package is, when that
/// can be told: an OLE compound file (old binary Word or WPS, or a .docx
/// encrypted with a password), Word 2003 XML, or Word's lock file `~$…`.
fn not_docx(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let streams: Vec<String> = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
            .map(|c| c.read_root_storage().map(|e| e.name().to_string()).collect())
            .unwrap_or_default();
        if streams.iter().any(|s| s == "EncryptedPackage" || s == "EncryptionInfo") {
            return Some("文档设有打开密码（已加密），不能导入；请在 Word 或 WPS 中取消密码（文件→信息→保护文档→用密码进行加密，清空密码）后另存为 .docx 再导入".into());
        }
        return Some(OLD_FORMAT.into());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if head.trim_start_matches('\u{feff}').trim_start().starts_with('<') && (head.contains("wordDocument") || head.contains("pkg:package")) {
        return Some("这是 Word 2003 XML（或“单一文件网页”）格式的文件，不是 .docx；请在 Word 或 WPS 中“另存为” Word 文档（.docx）后再导入".into());
    }
    // Word's lock file: 162 bytes, the user's name first.
    if bytes.len() == 162 {
        return Some("这像是 Word 打开文档时留下的锁定文件（文件名以 ~$ 开头），不是文档本身；请导入同名的原文件".into());
    }
    None
}

fn has_weights(secs: &[doc::Sec]) -> bool {
    secs.iter().any(|s| s.weight.is_some() || has_weights(&s.sections))
}

/// A `figures` block is kept only where it prints back the very sentence
/// it was made from; any other goes back to the paragraph it was, with a
/// note.
fn verify_figures(doc: &mut doc::Doc, text: &str, summary: &mut Summary) {
    use crate::input::model::{Block, Section};
    let Some(report) = crate::input::parse::parse(text).report else { return };
    let figures = crate::derive::figures(&report);
    fn printed(secs: &[Section], report: &crate::input::model::Report, figures: &crate::derive::Figures, out: &mut Vec<Option<String>>) {
        for s in secs {
            out.push(s.run_in.as_deref().and_then(|r| crate::layout::placeholders::expand_text(r, report, figures).ok()));
            for b in &s.blocks {
                if let Block::Figures(t) = b {
                    out.push(crate::layout::placeholders::expand(t, report, figures).ok());
                }
            }
            printed(&s.sections, report, figures, out);
        }
    }
    let mut out = Vec::new();
    printed(&report.sections, &report, &figures, &mut out);
    fn walk(secs: &mut [doc::Sec], out: &[Option<String>], k: &mut usize, summary: &mut Summary) -> bool {
        let mut changed = false;
        for s in secs {
            // The run-in first, as `printed` lists it (None: no run-in).
            if let Some(original) = s.run_in_source.clone() {
                if out.get(*k).and_then(|p| p.as_deref()) != Some(original.as_str()) {
                    summary.notes.push(format!("标题“{}”后的收支数字按占位符印出时与原文不完全相同，保留为原文，请核对", s.title));
                    summary.figures = summary.figures.saturating_sub(1);
                    s.run_in = Some(original);
                    s.run_in_source = None;
                    changed = true;
                }
            }
            *k += 1;
            for b in &mut s.blocks {
                let doc::Blk::Figures(_, original, at) = b else { continue };
                if out.get(*k).and_then(|p| p.as_deref()) != Some(original.as_str()) {
                    summary.note(*at, "收支数字的句子按占位符印出时与原文不完全相同，保留为原文段落，请核对");
                    summary.figures = summary.figures.saturating_sub(1);
                    *b = doc::Blk::Para(original.clone(), *at);
                    changed = true;
                }
                *k += 1;
            }
            changed |= walk(&mut s.sections, out, k, summary);
        }
        changed
    }
    walk(&mut doc.sections, &out, &mut 0, summary);
}

/// The first error `check` finds in the weights of `text`, and the first
/// over the report's limits (or the data file's size), if any.
fn first_errors(text: &str) -> (Option<String>, Option<String>) {
    if text.len() as u64 > crate::input::source::MAX_DATA_BYTES {
        return (None, Some(format!("数据文件将超过 {} MiB", crate::input::source::MAX_DATA_BYTES >> 20)));
    }
    let parsed = crate::input::parse::parse(text);
    let Some(report) = parsed.report else { return (None, None) };
    let value = serde_json::to_value(&report).unwrap_or_default();
    let over = crate::check::limits::check(&value).into_iter().find(|f| f.is_error()).map(|f| f.message);
    if over.is_some() {
        return (None, over);
    }
    let findings = crate::check::check(&report, &crate::derive::figures(&report));
    let weights = findings
        .into_iter()
        .find(|f| f.is_error() && (f.path.ends_with(".weight") || f.path.ends_with(".score") || f.path.starts_with("scoring")))
        .map(|f| f.message);
    (weights, None)
}

/// Spaces that text extraction puts between hanzi and digits or Latin
/// letters are layout, not text: drop them; keep those between words of
/// one script (`巾帼大学习 今天我来读`, `HPV test`). Also trims.
pub fn tidy_spaces(s: &str) -> String {
    let space = |c: char| c == ' ' || c == '\u{3000}' || c == '\u{a0}' || c == '\t';
    let mut out = String::with_capacity(s.len());
    // One pass; a run of spaces is decided by the characters either side.
    let mut chars = s.chars().peekable();
    let mut before = None;
    while let Some(c) = chars.next() {
        if space(c) {
            while chars.next_if(|c| space(*c)).is_some() {}
            let keep = match (before, chars.peek().copied()) {
                (Some(b), Some(a)) => !(wide(b) ^ wide(a)) && !(is_punct(b) || is_punct(a)),
                _ => false,
            };
            if keep {
                out.push(' ');
                before = Some(' ');
            }
        } else {
            out.push(c);
            before = Some(c);
        }
    }
    out
}

fn wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2
}

fn is_punct(c: char) -> bool {
    "，。、；：？！“”‘’（）《》【】—…·,.;:!?()%".contains(c)
}
