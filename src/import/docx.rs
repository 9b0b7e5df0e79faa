//! Word (.docx, also WPS saved as .docx): `word/document.xml` out of the zip
//! package, read with `zip` and `roxmltree`. Paragraphs are the text of
//! their runs; tables keep merged cells (`gridSpan` → colspan, `vMerge` →
//! rowspan). Numbers typed as text are read as they are; Word's automatic
//! numbering is counted and written in front of its paragraphs.

use std::io::Read;

use roxmltree::{Document, Node};

use super::{Item, Place, SrcCell, tidy_spaces};

/// The largest `document.xml` unpacked: a zip bomb stops here.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub fn read(bytes: &[u8]) -> Result<Vec<Item>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "不是有效的 .docx 文件（不是 zip 包）；旧版 .doc 请先另存为 .docx".to_string())?;
    let mut part = zip
        .by_name("word/document.xml")
        .map_err(|_| "不是有效的 .docx 文件（缺少 word/document.xml）".to_string())?;
    let mut xml = Vec::new();
    (&mut part).take(MAX_XML_BYTES + 1).read_to_end(&mut xml).map_err(|e| format!("无法解压 .docx：{e}"))?;
    drop(part);
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(format!("文档正文解压后超过 {} MiB，不像是一份报告", MAX_XML_BYTES / 1024 / 1024));
    }
    let xml = String::from_utf8(xml).map_err(|_| "文档正文不是 UTF-8 编码的 XML".to_string())?;
    let doc = Document::parse(&xml).map_err(|e| format!("无法解析文档正文：{e}"))?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| "文档中没有正文（w:body）".to_string())?;
    // Word's automatic numbering (`w:numPr`, from numbering.xml) is not in
    // the text: it is counted here and written in front, as typed numbers are.
    let numbering_xml = part_text(&mut zip, "word/numbering.xml");
    let styles_xml = part_text(&mut zip, "word/styles.xml");
    let mut numbering = numbering_xml
        .as_deref()
        .and_then(|x| Document::parse(x).ok())
        .map(|d| Numbering::read(&d, styles_xml.as_deref().and_then(|x| Document::parse(x).ok()).as_ref()))
        .unwrap_or_default();
    let mut items = Vec::new();
    blocks(body, &mut items, &mut numbering);
    Ok(items)
}

/// A part of the package as text, when present and not too big.
fn part_text(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut part = zip.by_name(name).ok()?;
    let mut xml = Vec::new();
    (&mut part).take(MAX_XML_BYTES + 1).read_to_end(&mut xml).ok()?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return None;
    }
    String::from_utf8(xml).ok()
}

/// One level of a numbering definition: its format and its text pattern.
#[derive(Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// Word's list definitions and the counters of the document read so far.
#[derive(Default)]
struct Numbering {
    /// numId → the levels of its abstract definition.
    nums: std::collections::HashMap<String, Vec<Level>>,
    /// Paragraph style → (numId, level) it numbers with.
    styles: std::collections::HashMap<String, (String, usize)>,
    /// numId → counters per level.
    counters: std::collections::HashMap<String, Vec<u32>>,
}

impl Numbering {
    fn read(doc: &Document, styles: Option<&Document>) -> Numbering {
        let root = doc.root_element();
        let mut abstracts = std::collections::HashMap::new();
        for a in root.children().filter(|n| is(n, "abstractNum")) {
            let mut levels = vec![Level::default(); 9];
            for l in a.children().filter(|n| is(n, "lvl")) {
                let Some(i) = attr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < 9) else { continue };
                let val = |name: &str| l.children().find(|c| is(c, name)).and_then(|c| attr(&c, "val")).map(str::to_string);
                levels[i] = Level {
                    start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
                    format: val("numFmt").unwrap_or_else(|| "decimal".into()),
                    text: val("lvlText").unwrap_or_default(),
                };
            }
            if let Some(id) = attr(&a, "abstractNumId") {
                abstracts.insert(id.to_string(), levels);
            }
        }
        let mut nums = std::collections::HashMap::new();
        for n in root.children().filter(|n| is(n, "num")) {
            let abs = n.children().find(|c| is(c, "abstractNumId")).and_then(|c| attr(&c, "val"));
            if let (Some(id), Some(levels)) = (attr(&n, "numId"), abs.and_then(|a| abstracts.get(a))) {
                nums.insert(id.to_string(), levels.clone());
            }
        }
        let mut by_style = std::collections::HashMap::new();
        for st in styles.iter().flat_map(|d| d.root_element().children()).filter(|n| is(n, "style")) {
            let num = st.children().find(|c| is(c, "pPr")).and_then(|p| p.children().find(|c| is(c, "numPr")));
            if let (Some(id), Some((num_id, level))) = (attr(&st, "styleId"), num.and_then(num_pr)) {
                by_style.insert(id.to_string(), (num_id, level));
            }
        }
        Numbering { nums, styles: by_style, counters: Default::default() }
    }

    /// The number Word shows before paragraph `p`, counting it.
    fn number(&mut self, p: Node) -> Option<String> {
        let ppr = p.children().find(|c| is(c, "pPr"));
        let own = ppr.and_then(|x| x.children().find(|c| is(c, "numPr"))).and_then(num_pr);
        let styled = || {
            let style = ppr?.children().find(|c| is(c, "pStyle")).and_then(|c| attr(&c, "val"))?;
            self.styles.get(style).cloned()
        };
        let (num_id, level) = own.or_else(styled)?;
        let levels = self.nums.get(&num_id)?.clone();
        let counters = self.counters.entry(num_id).or_insert_with(|| levels.iter().map(|l| l.start.saturating_sub(1)).collect());
        counters[level] = counters[level].saturating_add(1);
        for deeper in level + 1..counters.len() {
            counters[deeper] = levels[deeper].start.saturating_sub(1);
        }
        let lvl = &levels[level];
        if lvl.format == "bullet" || lvl.format == "none" || lvl.text.is_empty() {
            return None;
        }
        let mut text = lvl.text.clone();
        for (k, l) in levels.iter().enumerate().take(level + 1) {
            text = text.replace(&format!("%{}", k + 1), &format_number(counters[k].max(1), &l.format));
        }
        Some(text)
    }
}

/// `(numId, ilvl)` of a `w:numPr`; numId 0 means no numbering.
fn num_pr(n: Node) -> Option<(String, usize)> {
    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val"))?;
    let level = n.children().find(|c| is(c, "ilvl")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse().ok()).unwrap_or(0usize);
    (id != "0" && level < 9).then(|| (id.to_string(), level))
}

/// A counter in a Word number format.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting" | "chineseCountingThousand" | "ideographTraditional" | "taiwaneseCounting" | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" => crate::format::chinese_numeral(n),
        "decimalFullWidth" | "decimalFullWidth2" => n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_default(),
        "lowerLetter" => letters(n, b'a'),
        "upperLetter" => letters(n, b'A'),
        _ => n.to_string(),
    }
}

fn letters(n: u32, base: u8) -> String {
    let c = (base + ((n.saturating_sub(1)) % 26) as u8) as char;
    c.to_string().repeat(((n.saturating_sub(1)) / 26 + 1) as usize)
}

fn is(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

fn attr<'a>(n: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// Paragraphs and tables, in order; content controls (`w:sdt`) are looked into.
fn blocks(parent: Node, items: &mut Vec<Item>, numbering: &mut Numbering) {
    for n in parent.children() {
        if is(&n, "p") {
            let number = numbering.number(n).unwrap_or_default();
            let text = tidy_spaces(&format!("{number}{}", para_text(n)));
            if !text.is_empty() {
                let at = Place { page: None, para: items.len() + 1 };
                items.push(Item::Para { text, at });
            }
        } else if is(&n, "tbl") {
            let at = Place { page: None, para: items.len() + 1 };
            let (rows, columns) = table(n);
            if !rows.is_empty() {
                items.push(Item::Table { rows, columns, at });
            }
        } else if is(&n, "sdt") {
            if let Some(c) = n.children().find(|c| is(c, "sdtContent")) {
                blocks(c, items, numbering);
            }
        }
    }
}

/// The text of a paragraph: runs, tabs, breaks; deleted text is left out,
/// inserted text kept (as Word shows it with changes accepted).
fn para_text(p: Node) -> String {
    let mut s = String::new();
    for n in p.descendants() {
        if !n.is_element() || n.ancestors().any(|a| is(&a, "del") || is(&a, "delText")) {
            continue;
        }
        match n.tag_name().name() {
            "t" if n.tag_name().namespace() == Some(W) => s.push_str(n.text().unwrap_or("")),
            "tab" if n.tag_name().namespace() == Some(W) && n.parent().is_some_and(|r| is(&r, "r")) => s.push(' '),
            "br" | "cr" if n.tag_name().namespace() == Some(W) => s.push(' '),
            "noBreakHyphen" if n.tag_name().namespace() == Some(W) => s.push('-'),
            _ => {}
        }
    }
    s
}

/// Rows of cells with spans; the cells a vertical merge continues are
/// dropped and counted into the rowspan of the cell that starts it.
fn table(tbl: Node) -> (Vec<Vec<SrcCell>>, usize) {
    // (row, grid column) → index into `rows[row]` of the cell that starts a vertical merge.
    let mut rows: Vec<Vec<SrcCell>> = Vec::new();
    let mut starts: Vec<Option<(usize, usize)>> = Vec::new();
    let mut columns = 0usize;
    for tr in tbl.children().filter(|n| is(n, "tr")) {
        let mut row = Vec::new();
        let mut col = 0usize;
        let r = rows.len();
        for tc in tr.children().filter(|n| is(n, "tc")) {
            let pr = tc.children().find(|n| is(n, "tcPr"));
            let span = pr
                .and_then(|p| p.children().find(|n| is(n, "gridSpan")))
                .and_then(|g| attr(&g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            let vmerge = pr.and_then(|p| p.children().find(|n| is(n, "vMerge")));
            let text: Vec<String> = tc
                .descendants()
                .filter(|n| is(n, "p"))
                .map(|p| tidy_spaces(&para_text(p)))
                .filter(|t| !t.is_empty())
                .collect();
            let text = text.join(" ");
            match vmerge.map(|v| attr(&v, "val").unwrap_or("continue")) {
                Some("continue") => {
                    if let Some(Some((sr, si))) = starts.get(col).copied() {
                        if let Some(c) = rows.get_mut(sr).and_then(|row: &mut Vec<SrcCell>| row.get_mut(si)) {
                            c.rowspan += 1;
                        }
                    } else {
                        row.push(SrcCell { text, rowspan: 1, colspan: span as u32 });
                    }
                }
                Some(_) => {
                    if starts.len() < col + span {
                        starts.resize(col + span, None);
                    }
                    starts[col] = Some((r, row.len()));
                    row.push(SrcCell { text, rowspan: 1, colspan: span as u32 });
                }
                None => {
                    if starts.len() < col + span {
                        starts.resize(col + span, None);
                    }
                    for s in &mut starts[col..col + span] {
                        *s = None;
                    }
                    row.push(SrcCell { text, rowspan: 1, colspan: span as u32 });
                }
            }
            col += span;
        }
        columns = columns.max(col);
        rows.push(row);
    }
    rows.retain(|r| !r.is_empty());
    (rows, columns)
}
