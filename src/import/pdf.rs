//! PDF with a text layer: the text of each page, through `pdf-extract`,
//! then paragraphs as for text copied out of a PDF.

use super::{Item, Place, SrcCell, Summary};

/// The most text taken out of a PDF, in bytes of UTF-8: the same cap as a
/// text file's (a 500-page report has some 5 MB). The child process that
/// extracts it refuses more, and the parent reads no more.
pub const MAX_TEXT_BYTES: usize = crate::archive::isolate::MAX_TEXT_BYTES;

/// `exe`, when given, is jixiao's own binary: the PDF is then parsed in its
/// limited child process (as `verify` does), so a file made to exhaust
/// memory or to loop costs that process only. What comes back is bounded
/// ([`MAX_TEXT_BYTES`]) and every step after it is linear in its length.
pub fn read(bytes: &[u8], summary: &mut Summary, exe: Option<&std::path::Path>) -> Result<Vec<Item>, String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 文件（文件头不是 %PDF-）".into());
    }
    let text = match exe {
        Some(exe) => crate::archive::isolate::pdf_text_isolated(exe, bytes)?,
        None => text_of(bytes)?,
    };
    if text.split('\u{c}').all(|p| p.trim().is_empty()) {
        return Err("PDF 中没有文字层（可能是扫描件）；请先做文字识别（OCR）或改用 Word 原稿".into());
    }
    super::budget::precheck(&text)?;
    Ok(items_of(&text, summary))
}

/// The items of the laid-out text ([`text_of`]): a line is a paragraph, a
/// run of lines with tabs a table. Page numbers alone at a page's top or
/// foot are left out and counted.
fn items_of(text: &str, summary: &mut Summary) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pages = super::text::Pages::default();
    let mut rows: Vec<Vec<SrcCell>> = Vec::new();
    let mut pos = 0;
    let end_table = |rows: &mut Vec<Vec<SrcCell>>, items: &mut Vec<Item>, page: usize| {
        if !rows.is_empty() {
            let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
            items.push(Item::Table { rows: std::mem::take(rows), columns, at: Place { page: Some(page), para: items.len() + 1 } });
        }
    };
    for (i, page) in text.split('\u{c}').enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        for (j, line) in lines.iter().enumerate() {
            pos += 1;
            if line.contains('\t') {
                rows.push(line.split('\t').map(|c| SrcCell { text: tidy(c), rowspan: 1, colspan: 1 }).collect());
                continue;
            }
            end_table(&mut rows, &mut items, i + 1);
            let continues = line.starts_with(super::pdf_layout::CONTINUES);
            let t = tidy(line.trim_start_matches(super::pdf_layout::CONTINUES));
            // A paragraph broken by the page: its sentence goes on.
            if continues && super::parse_marker(&t).is_none() {
                if let Some(Item::Para { text, .. }) = items.last_mut() {
                    if !text.ends_with(['。', '！', '？', '：', '；', '”']) {
                        text.push_str(&t);
                        continue;
                    }
                }
            }
            if let Some((n, dressed)) = super::text::lone_number(&t) {
                if pages.is_page(n, dressed, pos, Some((i + 1, j == 0 || j + 1 == lines.len()))) {
                    continue;
                }
            }
            if !t.is_empty() {
                items.push(Item::Para { text: t, at: Place { page: Some(i + 1), para: items.len() + 1 }, hint: Default::default() });
            }
        }
        // A table continued on the next page is a table of its own there.
        end_table(&mut rows, &mut items, i + 1);
    }
    if pages.removed > 0 {
        summary.notes.push(format!("单独成行的页码（{} 处）未导入", pages.removed));
    }
    let tables = items.iter().filter(|i| matches!(i, Item::Table { .. })).count();
    if tables > 0 {
        summary.notes.push(format!("PDF 中的表格（{tables} 个）按文字的位置还原，合并的单元格拆开了，请核对"));
    }
    items
}

/// A paragraph's or cell's text: spaces between hanzi (justified type)
/// squashed, the others tidied.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash(s, &mut out);
    super::tidy_spaces(&out)
}

/// Justified lines come out with spaces between hanzi: drop them. Each
/// run of spaces is looked at once, with the characters on either side.
fn squash(line: &str, out: &mut String) {
    let wide = |c: Option<char>| c.is_some_and(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2);
    let mut prev = None;
    let mut rest = line;
    while let Some(i) = rest.find(' ') {
        let (word, spaces) = rest.split_at(i);
        out.push_str(word);
        prev = word.chars().next_back().or(prev);
        let after = spaces.trim_start_matches(' ');
        if !(wide(prev) && wide(after.chars().next())) {
            out.push_str(&spaces[..spaces.len() - after.len()]);
        }
        rest = after;
    }
    out.push_str(rest);
}

/// The text of each page, pages separated by a form feed, as the limited
/// child gives it: laid out again from the glyphs' positions
/// ([`super::pdf_layout`]), a paragraph a line, a table's row a line of
/// cells joined by tabs. More than [`MAX_TEXT_BYTES`] is refused.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let too_big = || format!("PDF 中的文字超过 {} MiB，不像是一份报告；不能导入", MAX_TEXT_BYTES >> 20);
    let collector = std::panic::catch_unwind(|| -> Result<super::pdf_layout::Collector, String> {
        let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| format!("无法读取 PDF：{}", crate::base::diagnostic::shown(&e.to_string())))?;
        if doc.is_encrypted() {
            doc.decrypt("").map_err(|_| "PDF 设有打开密码，不能导入；请去掉密码后再导入".to_string())?;
        }
        let mut out = super::pdf_layout::Collector::new(MAX_TEXT_BYTES);
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        for n in pages {
            // As the extractor does by pages: a page it cannot read ends the text.
            if pdf_extract::output_doc_page(&doc, &mut out, n).is_err() || out.over {
                break;
            }
        }
        Ok(out)
    })
    .map_err(|_| "无法读取 PDF：文件已损坏或结构异常".to_string())??;
    if collector.over {
        return Err(too_big());
    }
    let text = collector.pages.join("\u{c}");
    if text.len() > MAX_TEXT_BYTES {
        return Err(too_big());
    }
    Ok(text)
}

/// The text of each page. The extractor may panic on a malformed file: a
/// hostile PDF is an input error, not a crash.
pub fn page_texts(bytes: &[u8]) -> Result<Vec<String>, String> {
    std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "无法读取 PDF：文件已损坏或结构异常".to_string())?
        .map_err(|e| format!("无法读取 PDF：{}", crate::base::diagnostic::shown(&e.to_string())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn squash_drops_spaces_between_hanzi_only() {
        let s = |l: &str| {
            let mut o = String::new();
            super::squash(l, &mut o);
            o
        };
        assert_eq!(s("一 二  三"), "一二三");
        assert_eq!(s("一 2 三"), "一 2 三");
        assert_eq!(s("  a  b "), "  a  b ");
        assert_eq!(s("乐 昌"), "乐昌");
        let long = format!("A{}B", " ".repeat(1_000_000));
        assert_eq!(s(&long), long);
    }
}
