//! PDF with a text layer: the text of each page, through `pdf-extract`,
//! then paragraphs as for text copied out of a PDF.

use super::{Item, Summary};

/// `exe`, when given, is jixiao's own binary: the PDF is then parsed in its
/// limited child process (as `verify` does), so a file made to exhaust
/// memory or to loop costs that process only.
pub fn read(bytes: &[u8], summary: &mut Summary, exe: Option<&std::path::Path>) -> Result<Vec<Item>, String> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("不是 PDF 文件（文件头不是 %PDF-）".into());
    }
    let pages = match exe {
        Some(exe) => crate::archive::isolate::pdf_text_isolated(exe, bytes)?,
        None => page_texts(bytes)?,
    };
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err("PDF 中没有文字层（可能是扫描件）；请先做文字识别（OCR）或改用 Word 原稿".into());
    }
    summary.notes.push("PDF 中的表格按段落导入，请核对".into());
    let text: Vec<String> = pages.iter().map(|p| p.lines().map(squash).collect::<Vec<_>>().join("\n")).collect();
    Ok(super::text::paragraphs(&text.join("\u{c}"), true))
}

/// Justified lines come out with spaces between hanzi: drop them.
fn squash(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let wide = |c: Option<&char>| c.is_some_and(|c| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(1) >= 2);
    let mut out = String::with_capacity(line.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let prev = out.chars().last();
            let next = chars[i + 1..].iter().find(|c| **c != ' ');
            if wide(prev.as_ref()) && wide(next) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

/// The text of each page. The extractor may panic on a malformed file: a
/// hostile PDF is an input error, not a crash.
pub fn page_texts(bytes: &[u8]) -> Result<Vec<String>, String> {
    std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "无法读取 PDF：文件已损坏或结构异常".to_string())?
        .map_err(|e| format!("无法读取 PDF：{}", crate::base::diagnostic::shown(&e.to_string())))
}
