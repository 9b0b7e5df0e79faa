//! What an import may produce: the report-size limits of `src/limits.rs`,
//! counted while the source is read, so that a file over them is refused
//! before anything large is built, naming what is too big. The readers
//! stop at the first count over its cap; the memory an import takes is
//! then bounded by the caps, not by the file.

use super::{Item, Place, SrcCell};
use crate::check::limits::{MAX_BLOCKS, MAX_CELLS, MAX_SECTIONS, MAX_TEXT_CHARS, MAX_TOTAL_CHARS};

/// Paragraphs and tables read: each becomes a block or a section; the
/// report's title lines and a typed table of contents are dropped, hence
/// the slack.
pub const MAX_ITEMS: usize = MAX_BLOCKS + MAX_SECTIONS + 1_000;
/// Characters read, in all paragraphs and cells: numbers taken off the
/// headings and lines left out are the slack. What is written is then
/// held to [`MAX_TOTAL_CHARS`] exactly (see `import_bytes`).
pub const MAX_CHARS: usize = MAX_TOTAL_CHARS + MAX_TOTAL_CHARS / 10;
/// Grid columns of one table: an A4 page holds some twenty.
pub const MAX_COLUMNS: usize = 100;
/// Rows of one table.
pub const MAX_ROWS: usize = 2_000;

/// What has been read so far.
#[derive(Debug, Default)]
pub struct Budget {
    items: usize,
    chars: usize,
    cells: usize,
}

impl Budget {
    /// Count `item`; an error names the first cap it goes over.
    pub fn take(&mut self, item: &Item) -> Result<(), String> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(format!(
                "段落和表格超过 {MAX_ITEMS} 个，超过一份报告的上限（段落、列表和表格共 {MAX_BLOCKS} 个，标题共 {MAX_SECTIONS} 个）；\
                 不能导入，这不像是一份真实的报告"
            ));
        }
        match item {
            Item::Para { text, at, .. } => self.text(text, *at, ""),
            Item::Table { rows, at, .. } => {
                self.cells(rows.iter().map(Vec::len).sum(), *at)?;
                rows.iter().flatten().try_for_each(|c: &SrcCell| self.text(&c.text, *at, "的表格中有一格"))
            }
        }
    }

    /// Count `n` more table cells of the table at `at`.
    pub fn cells(&mut self, n: usize, at: Place) -> Result<(), String> {
        self.cells += n;
        if self.cells > MAX_CELLS {
            return Err(format!(
                "表格单元格超过一份报告的上限 {MAX_CELLS} 个（读到{at}的表格时）；不能导入，请检查文档是否重复粘贴了表格"
            ));
        }
        Ok(())
    }

    /// The cells counted so far.
    pub fn cells_so_far(&self) -> usize {
        self.cells
    }

    fn text(&mut self, text: &str, at: Place, what: &str) -> Result<(), String> {
        let n = text.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(format!("{at}{what}有 {n} 字，超过一段文字的上限 {MAX_TEXT_CHARS} 字；不能导入，请在原文中把它分成几段"));
        }
        self.chars += n;
        if self.chars > MAX_CHARS {
            return Err(too_much_text(self.chars, Some(at)));
        }
        Ok(())
    }
}

/// Every item counted: the readers of text and PDF, whose paragraphs are
/// made all at once from text already bounded by [`precheck`].
pub fn check(items: &[Item]) -> Result<(), String> {
    let mut b = Budget::default();
    items.iter().try_for_each(|i| b.take(i))
}

/// Text (of a .txt, or out of a PDF) with more characters than any report
/// holds is refused before it is split into lines and paragraphs.
pub fn precheck(text: &str) -> Result<(), String> {
    let n = text.chars().filter(|c| !c.is_whitespace()).count();
    if n > MAX_CHARS { Err(too_much_text(n, None)) } else { Ok(()) }
}

fn too_much_text(n: usize, at: Option<Place>) -> String {
    let when = at.map(|a| format!("（读到{a}时）")).unwrap_or_default();
    format!("文字超过一份报告的上限{when}：已有 {n} 字，一份报告至多 {MAX_TOTAL_CHARS} 字；不能导入，请检查文档是否重复粘贴了内容")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: String) -> Item {
        Item::Para { text, at: Place { page: None, para: 1 }, hint: Default::default() }
    }

    #[test]
    fn each_cap_is_named() {
        let mut b = Budget::default();
        assert!(b.take(&para("字".repeat(MAX_TEXT_CHARS))).is_ok());
        assert!(b.take(&para("字".repeat(MAX_TEXT_CHARS + 1))).unwrap_err().contains("一段文字的上限"));
        let many: Vec<Item> = (0..=MAX_CHARS / MAX_TEXT_CHARS).map(|_| para("字".repeat(MAX_TEXT_CHARS))).collect();
        assert!(check(&many).unwrap_err().contains("一份报告至多"));
        let items: Vec<Item> = (0..=MAX_ITEMS).map(|_| para("字".into())).collect();
        assert!(check(&items).unwrap_err().contains("段落和表格超过"));
        assert!(precheck(&"字 ".repeat(MAX_CHARS + 1)).is_err());
        assert!(precheck(&" ".repeat(10 * MAX_CHARS)).is_ok());
    }
}
