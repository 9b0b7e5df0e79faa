//! PDF with a text layer: the text of each page, through `pdf-extract`,
//! then paragraphs as for text copied out of a PDF.

use super::{Item, Summary};

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
    summary.notes.push("PDF 中的表格按段落导入，请核对".into());
    let mut squashed = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            squashed.push('\n');
        }
        squash(line, &mut squashed);
    }
    Ok(super::text::paragraphs(&squashed, true, summary))
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
/// child gives it; more than [`MAX_TEXT_BYTES`] is refused.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let pages = page_texts(bytes)?;
    let len = pages.iter().map(|p| p.len() + 1).sum::<usize>();
    if len > MAX_TEXT_BYTES {
        return Err(format!("PDF 中的文字超过 {} MiB，不像是一份报告；不能导入", MAX_TEXT_BYTES >> 20));
    }
    Ok(pages.join("\u{c}"))
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
