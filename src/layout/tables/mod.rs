//! Tables: the generated score (`score`), finance (`finance`) and staffing
//! (`staffing`) tables, and tables written in the data (`user`), all turned
//! into one plain structure the template draws. Totals a table asks for are
//! computed here, on exact decimals.

mod finance;
mod score;
mod staffing;
mod user;

pub use finance::finance_table;
pub use score::score_table;
pub use staffing::staffing_table;
pub use user::user_table;

use serde::Serialize;

use crate::input::model::Align;

/// A table as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub struct TableData {
    pub columns: Vec<ColumnData>,
    /// Header rows, repeated on every page.
    pub header: Vec<Vec<CellData>>,
    pub rows: Vec<Vec<CellData>>,
    /// Type size in pt.
    pub size: u8,
    /// Rows drawn before the header, which then repeats from where it
    /// stands (a form whose top part is not repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_at: Option<usize>,
    /// A name unique in the document, given to tables whose `relabel`
    /// cells are split where a page breaks them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relabel: Option<String>,
    /// The last rows kept on one page (the last indicator with the 合计 and
    /// 评价等级 rows), so a continuation page never holds the header and a
    /// lone total. Needs `relabel` (the name) and `header_at`.
    #[serde(skip_serializing_if = "is_zero")]
    pub keep_tail: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnData {
    /// `"3fr"` or `"40mm"`.
    pub width: String,
    pub align: Align,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellData {
    pub text: String,
    pub rowspan: u32,
    pub colspan: u32,
    /// Overrides the column's alignment.
    pub align: Option<Align>,
    /// A figure: never wrapped.
    pub numeric: bool,
    /// A merged label printed again on each page its rows reach.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relabel: bool,
}

impl CellData {
    pub(crate) fn text(t: impl Into<String>) -> Self {
        CellData { text: t.into(), rowspan: 1, colspan: 1, align: None, numeric: false, relabel: false }
    }

    pub(crate) fn num(t: impl Into<String>) -> Self {
        CellData { numeric: true, ..CellData::text(t) }
    }

    pub(crate) fn span(mut self, rows: u32, cols: u32) -> Self {
        self.rowspan = rows;
        self.colspan = cols;
        self
    }

    pub(crate) fn align(mut self, a: Align) -> Self {
        self.align = Some(a);
        self
    }

    pub(crate) fn relabel(mut self) -> Self {
        self.relabel = true;
        self
    }
}

impl TableData {
    /// No line break inside a word of a header or a short label.
    pub fn keep_words(&mut self) {
        use crate::layout::linebreak::keep_words;
        for c in self.header.iter_mut().flatten() {
            c.text = keep_words(&c.text);
        }
        for c in self.rows.iter_mut().flatten() {
            if !c.numeric && c.text.chars().count() <= 2 * WHOLE_LABEL_CHARS {
                c.text = keep_words(&c.text);
            }
        }
    }
}

impl TableData {
    /// Merged labels are cut where a page breaks them and named again on the
    /// next page, so a continuation page says which indicator its rows belong
    /// to. Only for tables laid out in millimetres (the form renderer's
    /// columns), and only when a label is merged over rows.
    pub fn relabel_merged(&mut self, id: &str) {
        if self.header_at.is_some() || !self.columns.iter().all(|c| c.width.ends_with("mm")) {
            return;
        }
        let mut any = false;
        for c in self.rows.iter_mut().flatten() {
            if c.rowspan > 1 && !c.numeric {
                c.relabel = true;
                any = true;
            }
        }
        if any {
            self.header_at = Some(0);
            self.relabel = Some(id.to_string());
        }
    }
}

impl TableData {
    /// Keep the last `keep_tail` rows on one page. The template learns where
    /// the pages break from its previous layout pass (row marks under the
    /// name `id`, as for `relabel_merged`), so the table is drawn as a form.
    pub fn keep_tail_together(&mut self, id: &str) {
        self.keep_tail = self.keep_tail.min(self.rows.len() as u32);
        if self.keep_tail < 2 {
            self.keep_tail = 0;
            return;
        }
        self.header_at.get_or_insert(0);
        self.relabel.get_or_insert_with(|| id.to_string());
    }
}

/// Labels and headers up to this many characters are never broken.
const WHOLE_LABEL_CHARS: usize = 6;

impl TableData {
    /// Column widths from the content, on a type area `avail_mm` wide: every
    /// column gets at least the room its header, its figures and its labels
    /// of up to six characters need on one line (headers and figures only,
    /// when `labels` is false: the user chose the proportions); what is left
    /// is shared in the proportions the table asked for. Tables with absolute
    /// widths, or whose content cannot fit in any case, keep their widths.
    pub fn fit_columns(&mut self, avail_mm: f64, labels: bool) {
        let Some(fr) = self.columns.iter().map(|c| c.width.strip_suffix("fr")?.parse::<f64>().ok()).collect::<Option<Vec<f64>>>() else {
            return;
        };
        let pt = 25.4 / 72.0;
        let size = f64::from(self.size);
        let text_mm = |t: &str| -> f64 {
            t.chars()
                .filter(|&c| c != crate::layout::linebreak::WORD_JOINER)
                .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
                .sum::<f64>()
                * size
                * pt
        };
        let inset_mm = (2.0 * 4.0 + 1.0) * pt;
        let mut need = vec![0.0f64; fr.len()];
        let mut taken = vec![0u32; fr.len()];
        for (r, row) in self.header.iter().chain(self.rows.iter()).enumerate() {
            let header = r < self.header.len();
            for (col, c) in placed(row, &mut taken) {
                if c.colspan != 1 || !(header || c.numeric || labels) {
                    continue;
                }
                let chars = c.text.chars().filter(|&ch| ch != crate::layout::linebreak::WORD_JOINER).count();
                let whole = header || c.numeric || chars <= WHOLE_LABEL_CHARS;
                // Longer text breaks between words: its widest word must fit.
                let plain: String = c.text.chars().filter(|&ch| ch != crate::layout::linebreak::WORD_JOINER).collect();
                let w = if whole {
                    plain.lines().map(text_mm).fold(0.0, f64::max)
                } else {
                    crate::layout::linebreak::words(&plain).into_iter().map(text_mm).fold(0.0, f64::max)
                };
                need[col] = need[col].max(w + inset_mm);
            }
        }
        if need.iter().sum::<f64>() > avail_mm {
            return;
        }
        // Water-filling: columns whose share is below their need get the
        // need; the rest share what remains by their weights.
        let mut fixed = vec![false; fr.len()];
        loop {
            let left = avail_mm - (0..fr.len()).filter(|&i| fixed[i]).map(|i| need[i]).sum::<f64>();
            let weight: f64 = (0..fr.len()).filter(|&i| !fixed[i]).map(|i| fr[i]).sum();
            let mut changed = false;
            for i in 0..fr.len() {
                if !fixed[i] && left * fr[i] / weight < need[i] {
                    fixed[i] = true;
                    changed = true;
                }
            }
            if !changed {
                for (i, c) in self.columns.iter_mut().enumerate() {
                    let w = if fixed[i] { need[i] } else { left * fr[i] / weight };
                    // Rounded, so the JSON (and the PDF) is the same on every machine.
                    c.width = format!("{:.2}mm", (w * 100.0).floor() / 100.0);
                }
                return;
            }
        }
    }
}

/// The cells of a row with the column each starts in, skipping columns
/// still covered by a rowspan from above; `taken` carries those spans on.
fn placed<'a>(row: &'a [CellData], taken: &mut Vec<u32>) -> Vec<(usize, &'a CellData)> {
    let ncols = taken.len();
    let mut next: Vec<u32> = taken.iter().map(|t| t.saturating_sub(1)).collect();
    let mut out = Vec::new();
    let mut col = 0;
    for c in row {
        while col < ncols && taken[col] > 0 {
            col += 1;
        }
        if col < ncols {
            out.push((col, c));
        }
        for n in next.iter_mut().take((col + c.colspan as usize).min(ncols)).skip(col) {
            *n = c.rowspan.saturating_sub(1);
        }
        col += c.colspan as usize;
    }
    *taken = next;
    out
}

pub(super) const DEFAULT_SIZE: u8 = 12;
pub(super) const MAX_SIZE: u8 = 14;

/// Width of the type area in mm, portrait or landscape.
pub fn area_width_mm(landscape: bool) -> f64 {
    if landscape { 225.0 } else { 156.0 }
}

