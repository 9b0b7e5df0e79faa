//! The body: paragraphs with their runs, fields and containers, and tables.

use roxmltree::Node;

use super::numbering::{Numbering, num_pr};
use super::styles::{Styles, on, outline_lvl};
use super::symbols::{printable_box, symbol, symbol_char, symbol_font};
use super::*;
use crate::import::budget::{Budget, MAX_COLUMNS, MAX_ROWS};
use crate::import::{Hint, Item, Place, SrcCell, tidy_spaces};

/// Bytes of a field instruction kept: only its first word is looked at.
const MAX_INSTR: usize = 256;

/// The rows of a table or the cells of a row (`name`): its children of
/// that name, and those wrapped in content controls (a repeating section,
/// a control per cell) or custom XML, in order. With each, whether a
/// control round it shows only its placeholder text.
pub(super) fn wrapped<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Vec<(Node<'a, 'i>, bool)> {
    fn walk<'a, 'i>(n: Node<'a, 'i>, name: &str, placeholder: bool, depth: usize, out: &mut Vec<(Node<'a, 'i>, bool)>) {
        for c in n.children().filter(Node::is_element) {
            if is(&c, name) {
                out.push((c, placeholder));
            } else if depth < 8 && (is(&c, "sdt") || is(&c, "sdtContent") || is(&c, "customXml")) {
                let shows = is(&c, "sdt") && c.children().find(|x| is(x, "sdtPr")).is_some_and(|p| p.children().any(|x| is(&x, "showingPlcHdr")));
                walk(c, name, placeholder || shows, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(parent, name, false, 0, &mut out);
    out
}

/// An open complex field (`w:fldChar` begin … separate … end).
pub(super) struct Field {
    pub(super) instr: String,
    /// Past `separate`: the runs now are its result.
    pub(super) result: bool,
    /// Its result is layout (a page number), judged once at `separate`.
    pub(super) hidden: bool,
}

/// The text of one paragraph as it is read.
#[derive(Default)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) fields: Vec<Field>,
    /// Some text was seen, and all of it bold.
    pub(super) seen: bool,
    pub(super) all_bold: bool,
    pub(super) style: Option<String>,
}

pub(super) struct Ctx {
    pub(super) items: Vec<Item>,
    pub(super) numbering: Numbering,
    pub(super) styles: Styles,
    pub(super) page_numbers: usize,
    pub(super) toc: usize,
    /// Pictures and embedded objects (an Excel table pasted as an object):
    /// not text, named in the summary.
    pub(super) pictures: usize,
    pub(super) objects: usize,
    /// Characters left out: symbol-font or private-use characters no font
    /// of the report has, control characters.
    pub(super) dropped: usize,
    /// What has been read, against the report's limits.
    pub(super) budget: Budget,
    /// The first limit gone over: reading stops there.
    pub(super) over: Option<String>,
}

impl Ctx {
    /// The text of a `w:t` as the report can print it: a symbol font's
    /// characters (private use, U+F0xx) mapped to ordinary ones, check boxes
    /// to □ and ■, U+0085 (Windows' …, kept by old converters) to …; other
    /// private-use and control characters are left out and counted.
    pub(super) fn chars(&mut self, t: &str, font: &str) -> String {
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            let mapped = match c {
                '\u{85}' => Some('…'),
                '\t' | '\n' | '\r' => Some(' '),
                '\u{E000}'..='\u{F8FF}' => symbol_char(c as u32, font),
                c if c.is_whitespace() => Some(' '),
                c if symbol_font(font) => symbol_char(c as u32, font),
                c if c.is_control() => None,
                c => Some(printable_box(c)),
            };
            match mapped {
                Some(m) => out.push(m),
                None => self.dropped += 1,
            }
        }
        out
    }

    pub(super) fn place(&self) -> Place {
        Place { page: None, para: self.items.len() + 1 }
    }

    /// Keep a paragraph or table, counting it against the limits.
    fn push(&mut self, item: Item) {
        if self.over.is_some() {
            return;
        }
        match self.budget.take(&item) {
            Ok(()) => self.items.push(item),
            Err(why) => self.over = Some(why),
        }
    }

    /// Paragraphs and tables, in order; content controls (`w:sdt`) and
    /// custom XML are looked into, a table of contents is not.
    pub(super) fn blocks(&mut self, parent: Node, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in parent.children().filter(Node::is_element) {
            if self.over.is_some() {
                return;
            }
            if is(&n, "p") {
                self.paragraph(n, depth);
            } else if is(&n, "tbl") {
                self.table(n, depth);
            } else if is(&n, "sdt") {
                let pr = n.children().find(|c| is(c, "sdtPr"));
                let gallery = pr
                    .and_then(|p| p.descendants().find(|c| is(c, "docPartGallery")))
                    .and_then(|g| attr(&g, "val"))
                    .unwrap_or("");
                let content = n.children().find(|c| is(c, "sdtContent"));
                if gallery.eq_ignore_ascii_case("Table of Contents") {
                    self.toc += content.map_or(0, |c| c.children().filter(|p| is(p, "p")).count());
                } else if pr.is_some_and(|p| p.children().any(|c| is(&c, "showingPlcHdr"))) {
                    // Placeholder text of an empty control (“单击此处输入文字”).
                } else if let Some(c) = content {
                    self.blocks(c, depth + 1);
                }
            } else if is(&n, "customXml") || is(&n, "sdtContent") {
                self.blocks(n, depth + 1);
            } else if is_mc(&n, "AlternateContent") {
                if let Some(b) = alternate(n) {
                    self.blocks(b, depth + 1);
                }
            }
        }
    }

    pub(super) fn paragraph(&mut self, p: Node, depth: usize) {
        let ppr = p.children().find(|c| is(c, "pPr"));
        let style = ppr
            .and_then(|x| x.children().find(|c| is(c, "pStyle")))
            .and_then(|c| attr(&c, "val"))
            .filter(|v| v.len() <= MAX_ID)
            .map(str::to_string)
            .or_else(|| self.styles.default_para.clone());
        if self.styles.is_toc(style.as_deref()) {
            if p.descendants().any(|d| is(&d, "t")) {
                self.toc += 1;
            }
            return;
        }
        // Its own outline level wins over the style's (9: body text). The
        // title style has level 1 in Word, yet is no heading of the report.
        let outline = match ppr.and_then(outline_lvl) {
            _ if self.styles.is_title(style.as_deref()) => None,
            Some(o) => (o < 9).then_some(o),
            None => self.styles.outline(style.as_deref()),
        };
        let own_num = ppr.and_then(|x| x.children().find(|c| is(c, "numPr"))).and_then(num_pr);
        let num = match own_num {
            Some(n) => n,
            None => self.styles.num(style.as_deref()),
        };
        let number = num.and_then(|(id, level)| self.numbering.number(&id, level, style.as_deref())).unwrap_or_default();
        let mut para = Para { style, all_bold: true, text: number, ..Para::default() };
        let number_len = para.text.len();
        self.inline(p, &mut para, depth, outline);
        let text = tidy_spaces(&para.text);
        if text.is_empty() || para.text.len() == number_len && number_len > 0 {
            return;
        }
        if page_number(&text) {
            self.page_numbers += 1;
            return;
        }
        let hint = Hint { outline, bold: para.seen && para.all_bold };
        let at = self.place();
        self.push(Item::Para { text, at, hint });
    }

    /// Flush the text read so far as a paragraph of its own: a text box
    /// comes next.
    pub(super) fn flush(&mut self, para: &mut Para, outline: Option<u8>) {
        let text = tidy_spaces(&para.text);
        para.text.clear();
        if !text.is_empty() && !page_number(&text) {
            let hint = Hint { outline, bold: para.seen && para.all_bold };
            let at = self.place();
            self.push(Item::Para { text, at, hint });
        }
    }

    /// The runs of a paragraph (or of a hyperlink, smart tag, insertion…).
    pub(super) fn inline(&mut self, n: Node, para: &mut Para, depth: usize, outline: Option<u8>) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in n.children().filter(Node::is_element) {
            if is_mc(&c, "AlternateContent") {
                if let Some(b) = alternate(c) {
                    self.inline(b, para, depth + 1, outline);
                }
                continue;
            }
            let ns = c.tag_name().namespace();
            if !matches!(ns, Some(W | W_STRICT)) {
                // Drawings, VML shapes and text boxes around `w:txbxContent`.
                self.inline(c, para, depth + 1, outline);
                continue;
            }
            match c.tag_name().name() {
                "r" => self.run(c, para, depth, outline),
                "fldSimple" => {
                    if !attr(&c, "instr").is_some_and(hidden_field) {
                        self.inline(c, para, depth + 1, outline);
                    }
                }
                "txbxContent" => {
                    self.flush(para, outline);
                    self.blocks(c, depth + 1);
                }
                // Deleted and moved-away text, properties, ruby guides,
                // a control's properties: not shown text.
                "del" | "moveFrom" | "pPr" | "rPr" | "sdtPr" | "sdtEndPr" | "rt" | "proofErr" | "bookmarkStart" | "bookmarkEnd" => {}
                "sdt" if c.children().find(|x| is(x, "sdtPr")).is_some_and(|p| p.children().any(|x| is(&x, "showingPlcHdr"))) => {}
                // hyperlink, smartTag, ins, moveTo, customXml, sdt(Content), ruby base, bdo, dir, pict…
                _ => self.inline(c, para, depth + 1, outline),
            }
        }
    }

    pub(super) fn run(&mut self, r: Node, para: &mut Para, depth: usize, outline: Option<u8>) {
        let rpr = r.children().find(|c| is(c, "rPr"));
        let prop = |name: &str| rpr.and_then(|p| p.children().find(|c| is(c, name)));
        if prop("vanish").is_some_and(on) || prop("webHidden").is_some_and(on) {
            return;
        }
        let bold = match prop("b") {
            Some(b) => on(b),
            None => {
                let rstyle = prop("rStyle").and_then(|s| attr(&s, "val"));
                self.styles.bold(rstyle).or_else(|| self.styles.bold(para.style.as_deref())).unwrap_or(false)
            }
        };
        let shown = |para: &Para| para.fields.iter().all(|f| f.result && !f.hidden);
        // The run's font, for text typed in a symbol font (Wingdings as
        // private-use characters in `w:t`).
        let font = prop("rFonts").and_then(|f| attr(&f, "ascii").or_else(|| attr(&f, "hAnsi"))).unwrap_or("");
        let mut visible = false;
        for c in r.children().filter(Node::is_element) {
            if is_mc(&c, "AlternateContent") {
                if let Some(b) = alternate(c) {
                    self.inline(b, para, depth + 1, outline);
                }
                continue;
            }
            if !matches!(c.tag_name().namespace(), Some(W | W_STRICT)) {
                continue;
            }
            match c.tag_name().name() {
                "t" if shown(para) => {
                    let t = self.chars(c.text().unwrap_or(""), font);
                    visible |= t.chars().any(|c| !c.is_whitespace());
                    para.text.push_str(&t);
                }
                "tab" | "ptab" | "br" | "cr" if shown(para) => para.text.push(' '),
                "noBreakHyphen" if shown(para) => para.text.push('-'),
                "sym" if shown(para) => {
                    if let Some(ch) = symbol(c) {
                        visible = true;
                        para.text.push(ch);
                    }
                }
                "instrText" => {
                    if let Some(f) = para.fields.last_mut() {
                        // Its first word is what matters; it is looked at for every run.
                        let t = c.text().unwrap_or("");
                        let room = MAX_INSTR.saturating_sub(f.instr.len());
                        let cut = (0..=room.min(t.len())).rev().find(|i| t.is_char_boundary(*i)).unwrap_or(0);
                        f.instr.push_str(&t[..cut]);
                    }
                }
                "fldChar" => match attr(&c, "fldCharType") {
                    Some("begin") if para.fields.len() < 16 => para.fields.push(Field { instr: String::new(), result: false, hidden: false }),
                    Some("separate") => {
                        if let Some(f) = para.fields.last_mut() {
                            f.result = true;
                            f.hidden = hidden_field(&f.instr);
                        }
                    }
                    Some("end") => {
                        para.fields.pop();
                    }
                    _ => {}
                },
                // A text box in a run: its drawing or VML shape; else a picture.
                "drawing" | "pict" => {
                    if !c.descendants().any(|d| is(&d, "txbxContent")) {
                        self.pictures += 1;
                    }
                    self.inline(c, para, depth + 1, outline)
                }
                "object" => self.objects += 1,
                _ => {}
            }
        }
        if visible {
            para.seen = true;
            para.all_bold &= bold;
        }
    }

    /// The text of a table cell: its paragraphs, and a table nested in it
    /// row by row.
    pub(super) fn cell_text(&mut self, tc: Node, depth: usize, out: &mut Vec<String>) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in tc.children().filter(Node::is_element) {
            if is(&n, "p") {
                // Text boxes in a cell become part of its text.
                let mark = self.items.len();
                let mut para = Para { all_bold: true, ..Para::default() };
                self.inline(n, &mut para, depth + 1, None);
                for it in self.items.drain(mark..) {
                    if let Item::Para { text, .. } = it {
                        out.push(text);
                    }
                }
                let t = tidy_spaces(&para.text);
                if !t.is_empty() {
                    out.push(t);
                }
            } else if is(&n, "tbl") {
                for (tr, _) in wrapped(n, "tr") {
                    let mut row = Vec::new();
                    for (c, placeholder) in wrapped(tr, "tc") {
                        if !placeholder {
                            self.cell_text(c, depth + 1, &mut row);
                        }
                    }
                    if !row.is_empty() {
                        out.push(row.join(" "));
                    }
                }
            } else if is(&n, "sdt") || is(&n, "customXml") || is(&n, "sdtContent") {
                self.cell_text(n, depth + 1, out);
            }
        }
    }

    /// A table: rows of cells with spans; the cells a vertical merge
    /// continues are dropped and counted into the rowspan of the cell that
    /// starts it. A table of one cell only frames its content (a border
    /// round a part of the report): its paragraphs and tables are read as
    /// the body's. A first row of one cell across the table is its title,
    /// read as a paragraph before it.
    pub(super) fn table(&mut self, tbl: Node, depth: usize) {
        fn tcs<'a, 'i>(tr: &Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
            wrapped(*tr, "tc").into_iter().map(|(n, _)| n).collect()
        }
        let trs: Vec<Node> = wrapped(tbl, "tr").into_iter().map(|(n, _)| n).collect();
        if trs.len() == 1 && tcs(&trs[0]).len() == 1 {
            self.blocks(tcs(&trs[0])[0], depth + 1);
            return;
        }
        let at = self.place();
        let mut rows: Vec<Vec<SrcCell>> = Vec::new();
        // Grid column → (row, index in row) of the cell that starts a vertical merge there.
        let mut starts: Vec<Option<(usize, usize)>> = Vec::new();
        let mut columns = 0usize;
        let mut cells = 0usize;
        if trs.len() > MAX_ROWS {
            self.over = Some(format!("{at}的表格有 {} 行，超过上限 {MAX_ROWS} 行；不能导入，请检查文档", trs.len()));
            return;
        }
        for tr in &trs {
            let mut row = Vec::new();
            let before = tr
                .children()
                .find(|n| is(n, "trPr"))
                .and_then(|p| p.children().find(|n| is(n, "gridBefore")))
                .and_then(|g| attr(&g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(64);
            let mut col = before;
            if before > 0 {
                row.push(SrcCell { text: String::new(), rowspan: 1, colspan: before as u32 });
            }
            let r = rows.len();
            for (tc, placeholder) in wrapped(*tr, "tc") {
                let pr = tc.children().find(|n| is(n, "tcPr"));
                let span = pr
                    .and_then(|p| p.children().find(|n| is(n, "gridSpan")))
                    .and_then(|g| attr(&g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let vmerge = pr.and_then(|p| p.children().find(|n| is(n, "vMerge")));
                let mut texts = Vec::new();
                if !placeholder {
                    self.cell_text(tc, depth + 1, &mut texts);
                }
                let text = texts.join(" ");
                if starts.len() < col + span {
                    starts.resize(col + span, None);
                }
                match vmerge.map(|v| attr(&v, "val").unwrap_or("continue")) {
                    Some("continue") if starts[col].is_some() => {
                        let (sr, si) = starts[col].unwrap_or_default();
                        if let Some(c) = rows.get_mut(sr).and_then(|row: &mut Vec<SrcCell>| row.get_mut(si)) {
                            c.rowspan += 1;
                        }
                    }
                    Some("restart") => {
                        starts[col] = Some((r, row.len()));
                        row.push(SrcCell { text, rowspan: 1, colspan: span as u32 });
                    }
                    _ => {
                        for s in &mut starts[col..col + span] {
                            *s = None;
                        }
                        row.push(SrcCell { text, rowspan: 1, colspan: span as u32 });
                    }
                }
                col += span;
                // Over a cap: stop before the grid is walked for every row.
                if col > MAX_COLUMNS {
                    self.over = Some(format!("{at}的表格超过 {MAX_COLUMNS} 列，这样的表格排不进页面；不能导入，请检查文档"));
                    return;
                }
                if let Err(why) = Budget::default().cells(self.budget.cells_so_far() + cells + row.len(), at) {
                    self.over = Some(why);
                    return;
                }
                if self.over.is_some() {
                    return;
                }
            }
            columns = columns.max(col);
            cells += row.len();
            rows.push(row);
        }
        // A row all of continued merges: the merges end one row sooner.
        let mut r = 0;
        while r < rows.len() {
            if rows[r].is_empty() {
                for (i, row) in rows.iter_mut().enumerate().take(r) {
                    for c in row.iter_mut() {
                        if i + c.rowspan as usize > r {
                            c.rowspan -= 1;
                        }
                    }
                }
                rows.remove(r);
            } else {
                r += 1;
            }
        }
        if rows.is_empty() {
            return;
        }
        // Rows short of the grid (cells left out at the end) get an empty cell.
        let mut covered = vec![0u32; columns];
        for row in &mut rows {
            let occupied: Vec<bool> = covered.iter().map(|c| *c > 0).collect();
            let width = occupied.iter().filter(|o| **o).count() + row.iter().map(|c| c.colspan as usize).sum::<usize>();
            if width < columns {
                row.push(SrcCell { text: String::new(), rowspan: 1, colspan: (columns - width) as u32 });
            }
            for c in covered.iter_mut() {
                *c = c.saturating_sub(1);
            }
            let mut col = 0;
            for cell in row.iter() {
                while col < columns && occupied[col] {
                    col += 1;
                }
                for k in covered.iter_mut().skip(col).take(cell.colspan as usize) {
                    *k = cell.rowspan - 1;
                }
                col += cell.colspan as usize;
            }
        }
        // A title row: one cell across the whole table.
        if rows.len() > 1 && rows[0].len() == 1 && rows[0][0].rowspan == 1 && columns > 1 {
            let title = rows.remove(0).remove(0).text;
            if !title.is_empty() {
                self.push(Item::Para { text: title, at, hint: Hint::default() });
            }
        }
        let at = self.place();
        self.push(Item::Table { rows, columns, at });
    }
}

