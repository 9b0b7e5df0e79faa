//! Word (.docx, also WPS saved as .docx): `word/document.xml` out of the zip
//! package, read with `zip` and `roxmltree`. Only the body is read: headers
//! and footers (page numbers) are other parts. Paragraphs are the text of
//! their runs, through hyperlinks, smart tags, content controls and
//! insertions; deletions, field instructions, hidden text and page-number
//! fields are left out; a text box's paragraphs (one branch of an
//! `mc:AlternateContent`, not both) come where it is anchored. A table of
//! contents is skipped. Tables keep merged cells (`gridSpan` → colspan,
//! `vMerge` → rowspan). Numbers typed as text are read as they are; Word's
//! automatic numbering is counted and written in front of its paragraphs;
//! the outline level of a paragraph's style and its boldness go along as
//! hints for the outline.

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node, ParsingOptions};

use super::{Hint, Item, Place, SrcCell, Summary, tidy_spaces};

/// The largest XML part unpacked: a zip bomb stops here.
const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// The most XML nodes parsed in one part: memory stays bounded whatever
/// the part is made of (a 100-page report has some 300 000).
const MAX_XML_NODES: u32 = 3_000_000;
/// Containers nested deeper than this (text boxes in tables in content
/// controls…) are not looked into: no real report goes near it.
const MAX_DEPTH: usize = 48;
/// Rows read of one table.
const MAX_TABLE_ROWS: usize = 2_000;
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The namespace of Word's "Strict Open XML" files.
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

pub fn read(bytes: &[u8], summary: &mut Summary) -> Result<Vec<Item>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| not_a_package(bytes))?;
    // The main part is the package's `officeDocument` relationship: Word
    // names it word/document.xml, Word for the web word/document2.xml.
    let main = rel_targets(&mut zip, "_rels/.rels", "", "officeDocument").into_iter().find(|t| zip.index_for_name(t).is_some());
    let main = main.unwrap_or_else(|| "word/document.xml".to_string());
    let xml = match part_text(&mut zip, &main) {
        Part::Text(t) => t,
        Part::Missing => return Err("不是有效的 .docx 文件（缺少正文部件 word/document.xml）".to_string()),
        Part::Bad(why) => return Err(why),
    };
    // Styles and numbering are the main part's relationships, in the same folder by default.
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
    let related = |zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, kind: &str| {
        rel_targets(zip, &rels, dir, kind).into_iter().find(|t| zip.index_for_name(t).is_some()).unwrap_or_else(|| format!("word/{kind}.xml"))
    };
    let styles_part = related(&mut zip, "styles");
    let numbering_part = related(&mut zip, "numbering");
    let doc = parse(&xml).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => format!("文档正文的 XML 节点超过 {MAX_XML_NODES} 个，不像是一份报告"),
        e => format!("无法解析文档正文（{} 不是完好的 XML：{}）", crate::diagnostic::shown(&main), crate::diagnostic::shown(&e.to_string())),
    })?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| "文档中没有正文（w:body）".to_string())?;
    // Styles and numbering are read when they can be: a document whose
    // styles part is broken still has its text.
    let styles_xml = match part_text(&mut zip, &styles_part) {
        Part::Text(t) => Some(t),
        _ => None,
    };
    let styles_doc = styles_xml.as_deref().and_then(|x| parse(x).ok());
    let styles = styles_doc.as_ref().map(Styles::read).unwrap_or_default();
    // Word's automatic numbering (`w:numPr`, from numbering.xml) is not in
    // the text: it is counted here and written in front, as typed numbers are.
    let numbering_xml = match part_text(&mut zip, &numbering_part) {
        Part::Text(t) => Some(t),
        _ => None,
    };
    let numbering = numbering_xml.as_deref().and_then(|x| parse(x).ok()).map(|d| Numbering::read(&d, &styles)).unwrap_or_default();
    let mut ctx = Ctx { items: Vec::new(), numbering, styles, page_numbers: 0, toc: 0, pictures: 0, objects: 0, dropped: 0 };
    ctx.blocks(body, 0);
    if ctx.toc > 0 {
        summary.notes.push(format!("目录（{} 行）未导入：目录由标题生成", ctx.toc));
    }
    if ctx.pictures > 0 {
        summary.notes.push(format!("图片（{} 张）未导入：图中的文字和数字请另行核对", ctx.pictures));
    }
    if ctx.objects > 0 {
        summary.notes.push(format!("嵌入的对象（{} 个，如粘贴为对象的 Excel 表格）未导入，请在数据中补写为表格", ctx.objects));
    }
    if ctx.dropped > 0 {
        summary.notes.push(format!("符号字体或造字的字符、控制字符（{} 个）无法印出，未导入；请对照原文核对", ctx.dropped));
    }
    if ctx.page_numbers > 0 {
        summary.notes.push(format!("正文中单独成段的页码（{} 处）未导入", ctx.page_numbers));
    }
    Ok(ctx.items)
}

/// The targets of the relationships of type `…/kind` in the relationships
/// part `rels`, as part names: relative to `dir`, or absolute (`/word/…`).
fn rel_targets(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, rels: &str, dir: &str, kind: &str) -> Vec<String> {
    let Part::Text(xml) = part_text(zip, rels) else { return Vec::new() };
    let Ok(doc) = parse(&xml) else { return Vec::new() };
    let suffix = format!("/{kind}");
    doc.root_element()
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("Type").is_some_and(|t| t.ends_with(&suffix)) && n.attribute("TargetMode") != Some("External"))
        .filter_map(|n| n.attribute("Target"))
        .map(|t| part_name(dir, t))
        .collect()
}

/// A relationship target as a part name in the zip: `/word/x.xml` is from
/// the root; `x.xml` and `../x.xml` from `dir`.
fn part_name(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Why bytes that are no zip package are not a .docx: an old binary Word
/// or WPS file, an encrypted document, Word 2003 XML, Word's lock file.
fn not_a_package(bytes: &[u8]) -> String {
    super::not_docx(bytes).unwrap_or_else(|| "不是有效的 .docx 文件（不是 zip 包）；旧版 .doc 请先另存为 .docx".to_string())
}

fn parse(xml: &str) -> Result<Document<'_>, roxmltree::Error> {
    Document::parse_with_options(xml, ParsingOptions { nodes_limit: MAX_XML_NODES, ..ParsingOptions::default() })
}

enum Part {
    Text(String),
    Missing,
    Bad(String),
}

/// A part of the package as text, read no further than the cap.
fn part_text(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Part {
    let Ok(mut part) = zip.by_name(name) else { return Part::Missing };
    let mut xml = Vec::new();
    if let Err(e) = (&mut part).take(MAX_XML_BYTES + 1).read_to_end(&mut xml) {
        return Part::Bad(format!("无法解压 .docx 中的 {name}：{e}"));
    }
    if xml.len() as u64 > MAX_XML_BYTES {
        return Part::Bad(format!("{name} 解压后超过 {} MiB，不像是一份报告（可能是压缩炸弹）", MAX_XML_BYTES / 1024 / 1024));
    }
    // Word writes UTF-8; a byte-order mark may come first.
    let xml = xml.strip_prefix(b"\xef\xbb\xbf").map(<[u8]>::to_vec).unwrap_or(xml);
    match String::from_utf8(xml) {
        Ok(t) => Part::Text(t),
        Err(_) => Part::Bad(format!("{name} 不是 UTF-8 编码的 XML")),
    }
}

/// A paragraph or character style, as far as the import needs it.
#[derive(Default)]
struct Style {
    /// `w:name`, lower-cased: Word keeps the English names of built-in
    /// styles (`heading 1`) whatever the language; the ids are localized
    /// (`1` in a Chinese Word, `2` in WPS, `Heading1` in an English Word).
    name: String,
    based_on: Option<String>,
    /// Its own `w:outlineLvl` (9 is body text).
    outline: Option<u8>,
    /// Its own `w:numPr`: numId and, if given, the level.
    num: Option<(String, Option<usize>)>,
    /// Its own `w:b`.
    bold: Option<bool>,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// The paragraph style of paragraphs that name none.
    default_para: Option<String>,
}

impl Styles {
    fn read(doc: &Document) -> Styles {
        let mut out = Styles::default();
        for st in doc.root_element().children().filter(|n| is(n, "style")) {
            let Some(id) = attr(&st, "styleId") else { continue };
            let child = |name: &str| st.children().find(|c| is(c, name));
            let ppr = child("pPr");
            let style = Style {
                name: child("name").and_then(|n| attr(&n, "val")).unwrap_or("").trim().to_lowercase(),
                based_on: child("basedOn").and_then(|n| attr(&n, "val")).map(str::to_string),
                outline: ppr.and_then(outline_lvl),
                num: ppr.and_then(|p| p.children().find(|c| is(c, "numPr"))).and_then(|n| {
                    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val"))?;
                    let level = n.children().find(|c| is(c, "ilvl")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse().ok());
                    Some((id.to_string(), level))
                }),
                bold: child("rPr").and_then(|r| r.children().find(|c| is(c, "b"))).map(on),
            };
            if attr(&st, "type") == Some("paragraph") && attr(&st, "default").is_some_and(|v| v == "1" || v == "true") {
                out.default_para = Some(id.to_string());
            }
            out.by_id.insert(id.to_string(), style);
        }
        out
    }

    /// The style and those it is based on, nearest first; a loop ends it.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = id;
        let mut steps = 0;
        std::iter::from_fn(move || {
            steps += 1;
            if steps > 12 {
                return None;
            }
            let s = self.by_id.get(next?)?;
            next = s.based_on.as_deref();
            Some(s)
        })
    }

    /// The outline level a paragraph style gives: its own or inherited
    /// `w:outlineLvl`, else the level of a built-in heading style by name.
    fn outline(&self, id: Option<&str>) -> Option<u8> {
        for s in self.chain(id) {
            if let Some(o) = s.outline {
                return (o < 9).then_some(o);
            }
            if let Some(l) = builtin_heading(&s.name) {
                return Some(l);
            }
        }
        None
    }

    /// A table-of-contents style (`toc 1`, `TOC Heading`, 目录 1).
    fn is_toc(&self, id: Option<&str>) -> bool {
        self.chain(id).any(|s| {
            let n = s.name.replace(' ', "");
            n.starts_with("toc") || n.starts_with("目录")
        })
    }

    /// The title or subtitle style (Word's `Title`, shown as 标题).
    fn is_title(&self, id: Option<&str>) -> bool {
        self.chain(id).next().is_some_and(|s| matches!(s.name.as_str(), "title" | "subtitle"))
    }

    fn bold(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).find_map(|s| s.bold)
    }

    fn num(&self, id: Option<&str>) -> Option<(String, Option<usize>)> {
        self.chain(id).find_map(|s| s.num.clone())
    }
}

/// `heading 1` … `heading 9`, 标题 1 … 标题 9 → 0 … 8. `Title` (标题) is not one.
fn builtin_heading(name: &str) -> Option<u8> {
    let n = name.replace(' ', "");
    let digits = n.strip_prefix("heading").or_else(|| n.strip_prefix("标题"))?;
    match digits.parse::<u8>() {
        Ok(d @ 1..=9) => Some(d - 1),
        _ => None,
    }
}

/// The `w:outlineLvl` of a `w:pPr`.
fn outline_lvl(ppr: Node) -> Option<u8> {
    ppr.children().find(|c| is(c, "outlineLvl")).and_then(|o| attr(&o, "val")).and_then(|v| v.parse::<u8>().ok()).map(|v| v.min(9))
}

/// A toggle property (`w:b`, `w:vanish`): on unless its value says off.
fn on(n: Node) -> bool {
    !matches!(attr(&n, "val"), Some("0" | "false" | "off"))
}

/// One level of a numbering definition: its format and its text pattern.
#[derive(Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// The paragraph style this level is linked to (`w:pStyle` in the level).
    style: Option<String>,
}

/// Word's list definitions and the counters of the document read so far.
#[derive(Default)]
struct Numbering {
    /// numId → the levels of its abstract definition, with overrides.
    nums: HashMap<String, Vec<Level>>,
    /// numId → counters per level.
    counters: HashMap<String, Vec<u32>>,
}

impl Numbering {
    fn read(doc: &Document, styles: &Styles) -> Numbering {
        let root = doc.root_element();
        let mut abstracts = HashMap::new();
        // A definition may only point at a numbering style (`w:numStyleLink`)
        // whose `w:numPr` names the list that holds the levels.
        let mut links = HashMap::new();
        for a in root.children().filter(|n| is(n, "abstractNum")) {
            let Some(id) = attr(&a, "abstractNumId") else { continue };
            if let Some(link) = a.children().find(|c| is(c, "numStyleLink")).and_then(|c| attr(&c, "val")) {
                links.insert(id.to_string(), link.to_string());
            }
            abstracts.insert(id.to_string(), levels(a));
        }
        let mut abstract_of = HashMap::new();
        let mut overrides = HashMap::new();
        for n in root.children().filter(|n| is(n, "num")) {
            let (Some(id), Some(abs)) = (attr(&n, "numId"), n.children().find(|c| is(c, "abstractNumId")).and_then(|c| attr(&c, "val"))) else {
                continue;
            };
            abstract_of.insert(id.to_string(), abs.to_string());
            let mut starts = Vec::new();
            for o in n.children().filter(|c| is(c, "lvlOverride")) {
                let level = attr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|l| *l < 9);
                let start = o.children().find(|c| is(c, "startOverride")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse::<u32>().ok());
                if let (Some(l), Some(s)) = (level, start) {
                    starts.push((l, s));
                }
            }
            overrides.insert(id.to_string(), starts);
        }
        let mut nums = HashMap::new();
        for (id, abs) in &abstract_of {
            let mut abs = abs.clone();
            // Follow a style link once: style → numId → its abstract definition.
            if let Some(link) = links.get(&abs) {
                if let Some(target) = styles.num(Some(link)).and_then(|(n, _)| abstract_of.get(&n)) {
                    abs = target.clone();
                }
            }
            let Some(mut levels) = abstracts.get(&abs).cloned() else { continue };
            for (l, s) in overrides.get(id).into_iter().flatten() {
                levels[*l].start = *s;
            }
            nums.insert(id.clone(), levels);
        }
        Numbering { nums, counters: Default::default() }
    }

    /// The number Word shows before a paragraph with numbering `(numId,
    /// level)` and paragraph style `style`, counting it.
    fn number(&mut self, num_id: &str, level: Option<usize>, style: Option<&str>) -> Option<String> {
        let levels = self.nums.get(num_id)?.clone();
        // A heading style linked to a list level names no level itself.
        let level = level
            .or_else(|| levels.iter().position(|l| l.style.is_some() && l.style.as_deref() == style))
            .unwrap_or(0)
            .min(8);
        let counters = self.counters.entry(num_id.to_string()).or_insert_with(|| levels.iter().map(|l| l.start.saturating_sub(1)).collect());
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

/// The nine levels of an `w:abstractNum`.
fn levels(a: Node) -> Vec<Level> {
    let mut levels = vec![Level::default(); 9];
    for l in a.children().filter(|n| is(n, "lvl")) {
        let Some(i) = attr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < 9) else { continue };
        let val = |name: &str| l.children().find(|c| is(c, name)).and_then(|c| attr(&c, "val")).map(str::to_string);
        levels[i] = Level {
            start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
            format: val("numFmt").unwrap_or_else(|| "decimal".into()),
            text: val("lvlText").unwrap_or_default(),
            style: val("pStyle"),
        };
    }
    levels
}

/// `(numId, ilvl)` of a `w:numPr`: `Some(None)` when it turns numbering
/// off (numId 0), as a paragraph may against its style.
fn num_pr(n: Node) -> Option<Option<(String, Option<usize>)>> {
    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val"))?;
    let level = n.children().find(|c| is(c, "ilvl")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse().ok()).filter(|l: &usize| *l < 9);
    Some((id != "0").then(|| (id.to_string(), level)))
}

/// A counter in a Word number format.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting" | "chineseCountingThousand" | "ideographTraditional" | "taiwaneseCounting" | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" | "japaneseCounting" | "ideographDigital" => crate::format::chinese_numeral(n),
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
    n.is_element() && n.tag_name().name() == name && matches!(n.tag_name().namespace(), Some(W | W_STRICT))
}

fn is_mc(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(MC)
}

fn attr<'a>(n: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name)).or_else(|| n.attribute((W_STRICT, name)))
}

/// The branch of an `mc:AlternateContent` to read: the first choice (a
/// text box as DrawingML) if it holds any text, else the fallback (the same
/// text box as VML). Both hold the same text: reading both doubles it.
fn alternate<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    let has_text = |b: &Node| b.descendants().any(|d| is(&d, "t"));
    let choice = n.children().find(|c| is_mc(c, "Choice"));
    let fallback = n.children().find(|c| is_mc(c, "Fallback"));
    match (choice, fallback) {
        (Some(c), Some(f)) if !has_text(&c) && has_text(&f) => Some(f),
        (Some(c), _) => Some(c),
        (None, f) => f,
    }
}

/// Fields whose result is layout, not text: page numbers, a table of
/// contents and its page references.
fn hidden_field(instr: &str) -> bool {
    let word = instr.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    matches!(word.as_str(), "PAGE" | "NUMPAGES" | "SECTIONPAGES" | "SECTION" | "PAGEREF" | "TOC")
}

/// A page number set as a paragraph of its own: `— 1 —`, `- 2 -`, `第3页`, `3`.
fn page_number(t: &str) -> bool {
    let core: String = t.chars().filter(|c| !c.is_whitespace() && !"-—–－―第页共/".contains(*c)).collect();
    // Three digits at most: a year alone (`2023`) is not a page number.
    !core.is_empty() && core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit())
}

/// A symbol (`w:sym`) from a symbol font: the check marks and boxes of a
/// score table; other private-use symbols are left out.
fn symbol(n: Node) -> Option<char> {
    let code = u32::from_str_radix(attr(&n, "char")?, 16).ok()?;
    symbol_char(code, attr(&n, "font").unwrap_or(""))
}

/// A character `code` of the symbol font `font`, as a character the
/// report's fonts have; `None` for one they cannot print.
fn symbol_char(code: u32, font: &str) -> Option<char> {
    let private = (0xF000..=0xF0FF).contains(&code);
    let code = if private { code - 0xF000 } else { code };
    let font = font.trim().to_ascii_lowercase();
    if font == "wingdings 2" {
        // `R` in Wingdings 2 is how many a form types its ☑.
        return match code {
            0x50 => Some('√'),
            0x4F => Some('×'),
            0x52..=0x54 => Some('■'),
            0xA3 | 0x2A => Some('□'),
            _ => None,
        };
    }
    if font.starts_with("wingdings 3") || font.starts_with("webdings") || font == "marlett" {
        return None;
    }
    if font.starts_with("wingdings") {
        return match code {
            // As units type them: √ and × are in every Chinese font.
            0xFC => Some('√'),
            0xFB => Some('×'),
            // Ticked and crossed boxes: ■, as forms print them (the report's
            // fonts have no ☑ or ☒).
            0xFD | 0xFE | 0x78 => Some('■'),
            0xA8 | 0x6F => Some('□'),
            0x6C => Some('●'),
            0x9F => Some('•'),
            _ => None,
        };
    }
    if font == "symbol" {
        return match code {
            0xB7 => Some('•'),
            0xB4 => Some('×'),
            0xB1 => Some('±'),
            0xB3 => Some('≥'),
            0xA3 => Some('≤'),
            _ => None,
        };
    }
    if private {
        return None;
    }
    char::from_u32(code).filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c) && !c.is_control()).map(printable_box)
}

/// A font whose letters are pictures: `R` in Wingdings 2 prints ☑.
fn symbol_font(font: &str) -> bool {
    let f = font.trim().to_ascii_lowercase();
    f.starts_with("wingdings") || f.starts_with("webdings") || f == "symbol" || f == "marlett"
}

/// The check boxes of Word's check box controls (☒ ☐ in MS Gothic) as the
/// report's fonts have them.
fn printable_box(c: char) -> char {
    match c {
        '☑' | '☒' => '■',
        '☐' => '□',
        c => c,
    }
}

/// The rows of a table or the cells of a row (`name`): its children of
/// that name, and those wrapped in content controls (a repeating section,
/// a control per cell) or custom XML, in order. With each, whether a
/// control round it shows only its placeholder text.
fn wrapped<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Vec<(Node<'a, 'i>, bool)> {
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
struct Field {
    instr: String,
    /// Past `separate`: the runs now are its result.
    result: bool,
}

/// The text of one paragraph as it is read.
#[derive(Default)]
struct Para {
    text: String,
    fields: Vec<Field>,
    /// Some text was seen, and all of it bold.
    seen: bool,
    all_bold: bool,
    style: Option<String>,
}

struct Ctx {
    items: Vec<Item>,
    numbering: Numbering,
    styles: Styles,
    page_numbers: usize,
    toc: usize,
    /// Pictures and embedded objects (an Excel table pasted as an object):
    /// not text, named in the summary.
    pictures: usize,
    objects: usize,
    /// Characters left out: symbol-font or private-use characters no font
    /// of the report has, control characters.
    dropped: usize,
}

impl Ctx {
    /// The text of a `w:t` as the report can print it: a symbol font's
    /// characters (private use, U+F0xx) mapped to ordinary ones, check boxes
    /// to □ and ■, U+0085 (Windows' …, kept by old converters) to …; other
    /// private-use and control characters are left out and counted.
    fn chars(&mut self, t: &str, font: &str) -> String {
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

    fn place(&self) -> Place {
        Place { page: None, para: self.items.len() + 1 }
    }

    /// Paragraphs and tables, in order; content controls (`w:sdt`) and
    /// custom XML are looked into, a table of contents is not.
    fn blocks(&mut self, parent: Node, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for n in parent.children().filter(Node::is_element) {
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

    fn paragraph(&mut self, p: Node, depth: usize) {
        let ppr = p.children().find(|c| is(c, "pPr"));
        let style = ppr
            .and_then(|x| x.children().find(|c| is(c, "pStyle")))
            .and_then(|c| attr(&c, "val"))
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
        self.items.push(Item::Para { text, at, hint });
    }

    /// Flush the text read so far as a paragraph of its own: a text box
    /// comes next.
    fn flush(&mut self, para: &mut Para, outline: Option<u8>) {
        let text = tidy_spaces(&para.text);
        para.text.clear();
        if !text.is_empty() && !page_number(&text) {
            let hint = Hint { outline, bold: para.seen && para.all_bold };
            let at = self.place();
            self.items.push(Item::Para { text, at, hint });
        }
    }

    /// The runs of a paragraph (or of a hyperlink, smart tag, insertion…).
    fn inline(&mut self, n: Node, para: &mut Para, depth: usize, outline: Option<u8>) {
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

    fn run(&mut self, r: Node, para: &mut Para, depth: usize, outline: Option<u8>) {
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
        let shown = |para: &Para| para.fields.iter().all(|f| f.result && !hidden_field(&f.instr));
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
                        f.instr.push_str(c.text().unwrap_or(""));
                    }
                }
                "fldChar" => match attr(&c, "fldCharType") {
                    Some("begin") if para.fields.len() < 16 => para.fields.push(Field { instr: String::new(), result: false }),
                    Some("separate") => {
                        if let Some(f) = para.fields.last_mut() {
                            f.result = true;
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
    fn cell_text(&mut self, tc: Node, depth: usize, out: &mut Vec<String>) {
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
    fn table(&mut self, tbl: Node, depth: usize) {
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
            }
            columns = columns.max(col);
            rows.push(row);
            if rows.len() >= MAX_TABLE_ROWS {
                break;
            }
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
                self.items.push(Item::Para { text: title, at, hint: Hint::default() });
            }
        }
        let at = self.place();
        self.items.push(Item::Table { rows, columns, at });
    }
}
