//! Plain text: decoding (UTF-8, UTF-16 with a BOM, else GB18030) and
//! paragraphs. Text copied out of a PDF is hard-wrapped at the page width,
//! often with a blank line after every line and page numbers alone on a
//! line; paragraphs are rebuilt from the line widths.

use std::sync::LazyLock;

use regex::Regex;

use super::{Item, Place, Summary, tidy_spaces};

static WEIGHT_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[（(]\s*\d{1,3}(?:\.\d{1,2})?\s*分\s*[)）][。.]?$").unwrap());

pub fn read(bytes: &[u8], summary: &mut Summary) -> Result<Vec<Item>, String> {
    let (text, encoding) = decode(bytes);
    summary.source_kind = format!("文本文件（{encoding}）");
    if text.contains('\u{0}') {
        return Err("文件含有空字符，不是文本文件；.docx 或 .pdf 请用相应的扩展名".into());
    }
    super::budget::precheck(&text)?;
    Ok(paragraphs(&text, false, summary))
}

/// The text and the name of its encoding.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (t, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (t.into_owned(), if enc == encoding_rs::UTF_8 { "UTF-8" } else { "UTF-16" });
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), "UTF-8"),
        Err(_) => {
            let (t, _, _) = encoding_rs::GB18030.decode(bytes);
            (t.into_owned(), "GBK/GB18030，已转换为 UTF-8")
        }
    }
}

/// A number alone on a line: `6`, `- 6 -`, `— 6 —`, `第6页`; and whether it
/// is dressed as a page number (dashes, 第…页), which a bare figure is not.
pub(super) fn lone_number(line: &str) -> Option<(usize, bool)> {
    let t: String = line.chars().filter(|c| !c.is_whitespace() && !"-—–－第页".contains(*c)).collect();
    if t.is_empty() || t.len() > 4 || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let dressed = line.chars().any(|c| "-—–－第页".contains(c));
    Some((t.parse().ok()?, dressed))
}

/// Where the page numbers seen so far put the next one. A bare number is a
/// page number only when it follows that sequence: a greater number, at a
/// plausible number of lines per page (a figure of a table laid out as
/// lines, `人员编制 / 21 / 实有人数 / 21`, is text).
#[derive(Default)]
pub(super) struct Pages {
    last: Option<(usize, usize)>,
    pub removed: usize,
}

impl Pages {
    /// `pos`: the line's place among all lines; `sheet`: the physical page
    /// (1-based) when the text is paged, and whether the line is the first
    /// or last of its page.
    pub(super) fn is_page(&mut self, n: usize, dressed: bool, pos: usize, sheet: Option<(usize, bool)>) -> bool {
        let after_last = self.last.is_none_or(|(l, _)| n > l);
        let ok = after_last
            && (dressed
                || match sheet {
                    Some((p, edge)) => edge && n <= p && p - n <= 10,
                    None => match self.last {
                        Some((l, _)) if n == l + 1 => true,
                        Some((l, lpos)) => n <= l + 20 && (8..=120).contains(&((pos - lpos) / (n - l))),
                        None => n >= 1 && (8..=120).contains(&(pos / n)),
                    },
                });
        if ok {
            self.last = Some((n, pos));
            self.removed += 1;
        }
        ok
    }
}

/// Display width; a run of spaces (the gap extraction saw around digits)
/// counts one column.
fn width(line: &str) -> usize {
    let mut w = 0;
    let mut space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            if !space {
                w += 1;
            }
            space = true;
        } else {
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            space = false;
        }
    }
    w
}

struct Line {
    text: String,
    page: Option<usize>,
    /// A blank line (or a page break) came before it.
    after_gap: bool,
}

/// Paragraphs of `text`. Form feeds separate pages (PDF); `paged` says the
/// pages are known from them rather than from printed page numbers.
pub fn paragraphs(text: &str, paged: bool, summary: &mut Summary) -> Vec<Item> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = Vec::new();
    let mut page = 1usize;
    let mut gap;
    let mut numbered_pages = false;
    let mut pages = Pages::default();
    let mut pos = 0usize;
    for (i, chunk) in text.split('\u{c}').enumerate() {
        if paged {
            page = i + 1;
        }
        gap = true;
        let raws: Vec<&str> = chunk.lines().collect();
        let first = raws.iter().position(|l| !l.trim().is_empty());
        let last = raws.iter().rposition(|l| !l.trim().is_empty());
        for (j, raw) in raws.iter().enumerate() {
            pos += 1;
            let t = raw.trim();
            if t.is_empty() {
                gap = true;
                continue;
            }
            if let Some((n, dressed)) = lone_number(t) {
                let sheet = paged.then_some((page, Some(j) == first || Some(j) == last));
                if pages.is_page(n, dressed, pos, sheet) {
                    // A page number ends its page; the text after it is on the next.
                    if !paged {
                        page = n + 1;
                        numbered_pages = true;
                    }
                    continue;
                }
            }
            lines.push(Line { text: t.to_string(), page: Some(page), after_gap: gap });
            gap = false;
        }
    }
    if pages.removed > 0 {
        summary.notes.push(format!("单独成行的页码（{} 处）未导入", pages.removed));
    }
    if !paged && !numbered_pages {
        for l in &mut lines {
            l.page = None;
        }
    }
    if lines.is_empty() {
        return Vec::new();
    }
    // A blank line after (nearly) every line is spacing, not a paragraph break.
    let gaps = lines.iter().filter(|l| l.after_gap).count();
    // Text out of a PDF has blank lines wherever the spacing was wide.
    let blank_breaks = !paged && gaps * 10 < lines.len() * 6;
    // Hard-wrapped: many lines within a couple of characters of the widest.
    let mut widths: Vec<usize> = lines.iter().map(|l| width(&l.text)).collect();
    widths.sort_unstable();
    // The full width is the commonest width among the longer half of the
    // lines: tables and joined lines make the widest lines no guide.
    let median = widths[widths.len() / 2];
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for w in widths.iter().filter(|w| **w >= median) {
        // Digits and kinsoku make full lines differ by a column or two.
        *counts.entry(*w).or_default() += 3;
        *counts.entry(w.saturating_sub(1)).or_default() += 1;
        *counts.entry(w + 1).or_default() += 1;
    }
    let full = counts.iter().max_by_key(|(w, n)| (**n, **w)).map_or(0, |(w, _)| *w + 1);
    let near_full = widths.iter().filter(|w| **w + 4 >= full).count();
    let wrapped = lines.len() >= 8 && full >= 40 && near_full * 10 >= lines.len() * 3;

    let mut items = Vec::new();
    let mut buf = String::new();
    let mut buf_page = None;
    let mut prev_short = true;
    let mut first_line = true;
    let mut buf_marker = None;
    // Whether `buf` holds a `。`: asked for every line, kept as it grows.
    let mut buf_period = false;
    let flush = |buf: &mut String, page: Option<usize>, items: &mut Vec<Item>| {
        let t = tidy_spaces(buf);
        if !t.is_empty() {
            items.push(Item::Para { text: t, at: Place { page, para: items.len() + 1 }, hint: Default::default() });
        }
        buf.clear();
    };
    for l in &lines {
        let starts_marker = super::parse_marker(&l.text).is_some();
        let prev_ends = buf.trim_end().ends_with(['。', '；', '！', '？', '：', '”', '」']);
        // A heading line full to the margin, then a number of another kind:
        // `（三）围绕中心…全面发展` / `1.积极主动…`.
        let after_heading = match (&buf_marker, super::parse_marker(&l.text)) {
            (Some(k), Some(m)) => *k != m.kind && !buf_period,
            _ => false,
        };
        let new_para = !wrapped
            || (blank_breaks && l.after_gap)
            // A short line ends a paragraph when it ends a sentence or a
            // heading: justified lines with wide gaps can look short too.
            || (prev_short && (prev_ends || (buf_marker.is_some() && !buf_period) || starts_marker))
            || (starts_marker && (prev_ends || after_heading));
        if new_para && !buf.is_empty() {
            flush(&mut buf, buf_page, &mut items);
        }
        if buf.is_empty() {
            buf_period = false;
            buf_page = l.page;
            buf_marker = super::parse_marker(&l.text).map(|m| m.kind);
            first_line = true;
        }
        // A line break between two Latin words was a space.
        if buf.ends_with(|c: char| c.is_ascii_alphabetic()) && l.text.starts_with(|c: char| c.is_ascii_alphabetic()) {
            buf.push(' ');
        }
        buf.push_str(&l.text);
        buf_period |= l.text.contains('。');
        // A paragraph's first line is indented two characters: it is full
        // four columns earlier than the others.
        let w = width(&l.text);
        let slack = if first_line { 8 } else { 4 };
        // A heading alone on its line ends in its weight: `（3 分）`.
        let weighted_heading = starts_marker && WEIGHT_END.is_match(&l.text);
        prev_short = w + slack < full || weighted_heading;
        first_line = false;
    }
    flush(&mut buf, buf_page, &mut items);
    items
}
