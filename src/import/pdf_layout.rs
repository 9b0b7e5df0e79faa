//! A PDF page's text laid out again from where its glyphs stand. Text
//! extraction that follows the content stream emits each font run in turn,
//! so quotation marks set in another font land away from their words, and a
//! table's cells run into the paragraph after it. Here every glyph is kept
//! with its baseline, x and size; glyphs are sorted into lines by baseline
//! and x, lines into paragraphs by line gaps, indents and short lines, and
//! runs of lines cut by wide gaps into table rows on common columns.
//!
//! The page's text is written one paragraph per line; a table row is its
//! cells joined by tabs (every row of a table has as many cells).

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One glyph: baseline (y grows down the page), left and right edge, size.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    end: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Starts a page's first paragraph that may continue the page before's last.
pub const CONTINUES: char = '\u{2}';
/// The most glyphs kept of one page (a report's page has a few thousand).
const MAX_PAGE_GLYPHS: usize = 200_000;
/// A gap wider than this many ems between glyphs on a line parts two cells.
const CELL_GAP: f64 = 1.2;
/// A gap wider than this many ems is a space (Latin words, a digit's margin).
const SPACE_GAP: f64 = 0.15;

/// Collects the glyphs of each page and lays each page out at its end.
pub struct Collector {
    pub pages: Vec<String>,
    glyphs: Vec<Glyph>,
    /// Bytes laid out so far; past `cap` the rest is not kept.
    bytes: usize,
    cap: usize,
    pub over: bool,
    /// The last glyph: where it ends as placed, and where the extractor's
    /// pen stood after it (x, y).
    run: Option<(f64, f64, f64)>,
}

impl Collector {
    pub fn new(cap: usize) -> Self {
        Collector { pages: Vec::new(), glyphs: Vec::new(), bytes: 0, cap, over: false, run: None }
    }
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _page: u32, _media: &MediaBox, _art: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.glyphs.clear();
        self.run = None;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let text = if self.over { String::new() } else { layout(std::mem::take(&mut self.glyphs)) };
        self.bytes += text.len() + 1;
        self.over |= self.bytes > self.cap;
        self.pages.push(text);
        Ok(())
    }

    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, ch: &str) -> Result<(), OutputError> {
        // Each glyph costs more than its bytes: stop keeping them well
        // before the text itself would be over the cap.
        if self.over {
            return Ok(());
        }
        if self.glyphs.len() >= MAX_PAGE_GLYPHS {
            self.over = true;
            return Ok(());
        }
        // The size as the page shows it (the font size through the text matrix).
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let (x, y) = (trm.m31, -trm.m32);
        if !(x.is_finite() && y.is_finite() && size.is_finite() && width.is_finite()) {
            return Ok(());
        }
        let size = if size > 0.01 { size } else { 1.0 };
        // Where the extractor knows no widths (some embedded CID fonts) it
        // does not move the pen past a glyph: the glyphs of a run all stand
        // near its start. A glyph whose pen is behind where the text on its
        // line has reached is placed after it, at an estimated width, moved
        // by the adjustments the page makes between glyphs (kerning,
        // justification); where the pen is plausible, the page places it.
        // (No glyph of text is narrower than a tenth of an em.)
        let known = width >= 0.1;
        let same_line = |r: &(f64, f64, f64)| (y - r.2).abs() < 0.05 * size;
        if ch.trim().is_empty() {
            // A space: the gap it leaves says where words part.
            self.run = self.run.filter(same_line).map(|(end, pen, y)| (end + 0.3 * size, pen + if known { width * size } else { 0.0 }, y));
            return Ok(());
        }
        let advance = if known { width } else { ch.chars().map(|c| if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2 { 1.0 } else { 0.55 }).sum() };
        let placed = match self.run {
            Some((end, pen, _)) if self.run.as_ref().is_some_and(same_line) && x < end - 0.5 * size => end + (x - pen),
            _ => x,
        };
        let end = placed + advance * size;
        self.run = Some((end, x + if known { width * size } else { 0.0 }, y));
        let x = placed;
        self.glyphs.push(Glyph { x, end, y, size, text: ch.replace(['\t', '\n', '\r', '\u{c}'], " ") });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of glyphs, cut into segments at wide gaps.
#[derive(Debug)]
struct Line {
    y: f64,
    size: f64,
    x0: f64,
    x1: f64,
    /// (left, right, text) of each run of glyphs without a wide gap.
    segs: Vec<(f64, f64, String)>,
}

fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    let mut size = 0.0f64;
    for g in glyphs {
        // Same line: the baseline within a third of an em (a quotation mark
        // from another font sits a little off the line of its words).
        if g.y - base <= 0.35 * size.max(g.size) && !rows.is_empty() {
            size = size.max(g.size);
            rows.last_mut().expect("a line").push(g);
        } else {
            base = g.y;
            size = g.size;
            rows.push(vec![g]);
        }
    }
    rows.into_iter()
        .map(|mut gs| {
            gs.sort_by(|a, b| a.x.total_cmp(&b.x));
            let size = median(gs.iter().map(|g| g.size).collect());
            let y = gs.iter().map(|g| g.y).fold(f64::NEG_INFINITY, f64::max);
            let mut segs: Vec<(f64, f64, String)> = Vec::new();
            let mut prev: Option<&Glyph> = None;
            for g in &gs {
                // Bold by printing twice, a little offset: one glyph.
                if prev.is_some_and(|p| p.text == g.text && (g.x - p.x).abs() < 0.15 * size) {
                    continue;
                }
                match (prev, segs.last_mut()) {
                    (Some(p), Some(seg)) if g.x - p.end <= CELL_GAP * size => {
                        if g.x - p.end > SPACE_GAP * size {
                            seg.2.push(' ');
                        }
                        seg.2.push_str(&g.text);
                        seg.1 = seg.1.max(g.end);
                    }
                    _ => segs.push((g.x, g.end, g.text.clone())),
                }
                prev = Some(g);
            }
            let x0 = segs.first().map_or(0.0, |s| s.0);
            let x1 = segs.iter().map(|s| s.1).fold(x0, f64::max);
            Line { y, size, x0, x1, segs }
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(1.0)
}

/// The outermost value (to the point) that at least two lines share, by
/// `pick` (max: the right margin, min: the left): the margin of the lines
/// that run full, not of one stray line.
fn repeated(v: impl Iterator<Item = f64>, pick: fn(f64, f64) -> f64) -> Option<f64> {
    let mut counts = std::collections::BTreeMap::<i64, usize>::new();
    for x in v {
        *counts.entry(x.round() as i64).or_default() += 1;
    }
    counts.into_iter().filter(|(_, n)| *n >= 2).map(|(k, _)| k as f64).reduce(pick)
}

/// An entry of a contents page: dot leaders, then a page number. It ends
/// its line's paragraph however full the line runs.
fn contents_entry(t: &str) -> bool {
    let head = t.trim_end().trim_end_matches(|c: char| c.is_ascii_digit()).trim_end();
    head.len() < t.trim_end().len() && head.chars().rev().take(3).filter(|c| "…．.·-—_".contains(*c)).count() >= 2
}

/// A page number or a page's furniture alone on a line: `— 4 —`, `- 4 -`, `第4页`.
fn folio(t: &str) -> bool {
    t.chars().count() <= 12 && t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "-—–－第页共/".contains(c))
}

/// Join two pieces of one paragraph: a space only between Latin words.
fn join(out: &mut String, next: &str) {
    if out.ends_with(|c: char| c.is_ascii_alphanumeric()) && next.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.push(' ');
    }
    out.push_str(next);
}

fn layout(glyphs: Vec<Glyph>) -> String {
    let lines = lines_of(glyphs);
    if lines.is_empty() {
        return String::new();
    }
    // Tables: runs of lines cut into cells, two of them at least; a line of
    // one cell between two such lines (a cell's wrapped text, a row with one
    // cell filled) belongs to the run.
    let multi: Vec<bool> = lines.iter().map(|l| l.segs.len() >= 2).collect();
    let mut table = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !multi[i] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut last = i;
        while j < lines.len() {
            if multi[j] {
                last = j;
            } else if !(j + 1 < lines.len() && multi[j + 1] && lines[j].x0 >= lines[i].x0 - lines[j].size) {
                break;
            }
            j += 1;
        }
        if (i..=last).filter(|k| multi[*k]).count() >= 2 {
            table[i..=last].iter_mut().for_each(|t| *t = true);
        }
        i = last + 1;
    }
    // The body's margins: where full lines end and continued lines start.
    let body = || lines.iter().zip(&table).filter(|(_, t)| !**t).map(|(l, _)| l);
    let right = repeated(body().map(|l| l.x1), f64::max).unwrap_or_else(|| body().map(|l| l.x1).fold(0.0, f64::max));
    let left = repeated(body().map(|l| l.x0), f64::min).unwrap_or_else(|| body().map(|l| l.x0).fold(f64::INFINITY, f64::min));
    let pitches: Vec<f64> = lines.windows(2).filter(|w| (w[0].size - w[1].size).abs() < 0.1 * w[0].size).map(|w| w[1].y - w[0].y).collect();
    let pitch = if pitches.is_empty() { lines[0].size * 1.8 } else { median(pitches) };

    let mut out = String::new();
    let mut para = String::new();
    let mut k = 0;
    while k < lines.len() {
        if table[k] {
            let end = (k..lines.len()).find(|e| !table[*e]).unwrap_or(lines.len());
            flush(&mut para, &mut out);
            for row in rows_of(&lines[k..end]) {
                out.push_str(&row.join("\t"));
                out.push('\n');
            }
            k = end;
            continue;
        }
        let l = &lines[k];
        let text = l.segs.iter().map(|s| s.2.as_str()).collect::<Vec<_>>().join(" ");
        let new_para = match k.checked_sub(1).map(|p| (&lines[p], table[p])) {
            None | Some((_, true)) => true,
            Some((p, _)) => {
                let before: String = p.segs.iter().map(|s| s.2.as_str()).collect();
                (p.size - l.size).abs() > 0.1 * p.size
                    || folio(&text)
                    || folio(&before)
                    || contents_entry(&before)
                    || l.y - p.y > 1.4 * pitch
                    // Short by three ems: a last line (the estimate of a width may be off by one).
                    || p.x1 < right - 3.0 * p.size
                    || l.x0 > left + 1.0 * l.size
            }
        };
        if new_para {
            flush(&mut para, &mut out);
        }
        // The page's first line flush with the margin may go on with the
        // last paragraph of the page before: say so, the reader decides.
        if k == 0 && l.x0 <= left + 0.5 * l.size {
            para.push(CONTINUES);
        }
        join(&mut para, &text);
        k += 1;
    }
    flush(&mut para, &mut out);
    out
}

fn flush(para: &mut String, out: &mut String) {
    if !para.trim().is_empty() {
        out.push_str(para.trim());
        out.push('\n');
    }
    para.clear();
}

/// A run of table lines as rows of cells on common columns. The columns are
/// where the cells of the fullest lines stand; a line whose cells all fall
/// in columns the row above fills, at a line's pitch from it, is that row's
/// text wrapped.
fn rows_of(lines: &[Line]) -> Vec<Vec<String>> {
    let most = lines.iter().map(|l| l.segs.len()).max().unwrap_or(1);
    let mut cols: Vec<(f64, f64)> = Vec::new();
    for l in lines.iter().filter(|l| l.segs.len() == most) {
        for s in &l.segs {
            match cols.iter_mut().find(|c| s.0 < c.1 && s.1 > c.0) {
                Some(c) => *c = (c.0.min(s.0), c.1.max(s.1)),
                None => cols.push((s.0, s.1)),
            }
        }
    }
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    // A head centred over numbers set right does not overlap them: two
    // neighbouring columns that no line fills both of are one.
    let mut k = 0;
    while k + 1 < cols.len() {
        let inside = |s: &(f64, f64, String), c: &(f64, f64)| s.0 < c.1 && s.1 > c.0;
        let both = lines.iter().any(|l| l.segs.iter().any(|s| inside(s, &cols[k])) && l.segs.iter().any(|s| inside(s, &cols[k + 1])));
        if both {
            k += 1;
        } else {
            cols[k].1 = cols[k].1.max(cols[k + 1].1);
            cols.remove(k + 1);
        }
    }
    let column = |s: &(f64, f64, String)| {
        let mid = (s.0 + s.1) / 2.0;
        let dist = |c: &(f64, f64)| if mid < c.0 { c.0 - mid } else if mid > c.1 { mid - c.1 } else { 0.0 };
        (0..cols.len()).min_by(|a, b| dist(&cols[*a]).total_cmp(&dist(&cols[*b]))).unwrap_or(0)
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut prev_y = f64::NEG_INFINITY;
    for l in lines {
        let mut cells = vec![String::new(); cols.len()];
        for s in &l.segs {
            let c = &mut cells[column(s)];
            join(c, &s.2);
        }
        let wrapped = rows.last().is_some_and(|r: &Vec<String>| {
            l.y - prev_y < 1.5 * l.size && cells.iter().zip(r).all(|(c, above)| c.is_empty() || !above.is_empty())
        });
        prev_y = l.y;
        match rows.last_mut() {
            Some(r) if wrapped => {
                for (above, c) in r.iter_mut().zip(cells) {
                    join(above, &c);
                }
            }
            _ => rows.push(cells),
        }
    }
    rows
}
