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

use std::io::Read;

use roxmltree::{Document, Node, ParsingOptions};

mod body;
mod numbering;
mod styles;
mod symbols;

use super::{Item, Summary};
use body::Ctx;
use numbering::Numbering;
use styles::Styles;

/// The largest XML part unpacked: a zip bomb stops here.
const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// The most XML nodes parsed in one part: memory stays bounded whatever
/// the part is made of (a 100-page report has some 300 000).
const MAX_XML_NODES: u32 = 3_000_000;
/// Containers nested deeper than this (text boxes in tables in content
/// controls…) are not looked into: no real report goes near it.
const MAX_DEPTH: usize = 48;
/// Names and ids (a style's, a list's) longer than this are no Word's:
/// they are ignored, so that nothing copied per paragraph grows with the file.
const MAX_ID: usize = 255;
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
    // Styles and numbering are read when they can be: a document whose
    // styles part is broken still has its text. Their XML is let go before
    // the body is parsed: one part's tree at a time.
    let styles = match part_text(&mut zip, &styles_part) {
        Part::Text(t) => {
            let doc = parse(&t).ok();
            doc.as_ref().map(Styles::read)
        }
        _ => None,
    }
    .unwrap_or_default();
    // Word's automatic numbering (`w:numPr`, from numbering.xml) is not in
    // the text: it is counted here and written in front, as typed numbers are.
    let numbering = match part_text(&mut zip, &numbering_part) {
        Part::Text(t) => {
            let doc = parse(&t).ok();
            doc.map(|d| Numbering::read(&d, &styles))
        }
        _ => None,
    }
    .unwrap_or_default();
    let doc = parse(&xml).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => format!("文档正文的 XML 节点超过 {MAX_XML_NODES} 个，不像是一份报告"),
        e => format!("无法解析文档正文（{} 不是完好的 XML：{}）", crate::base::diagnostic::shown(&main), crate::base::diagnostic::shown(&e.to_string())),
    })?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is(n, "body"))
        .ok_or_else(|| "文档中没有正文（w:body）".to_string())?;
    let mut ctx = Ctx {
        items: Vec::new(),
        numbering,
        styles,
        page_numbers: 0,
        toc: 0,
        pictures: 0,
        objects: 0,
        dropped: 0,
        budget: Default::default(),
        over: None,
    };
    ctx.blocks(body, 0);
    if let Some(why) = ctx.over {
        return Err(why);
    }
    if let Some(start) = ctx.numbering.capped {
        summary.notes.push(format!(
            "Word 自动编号的起始值 {start} 过大，已从 {} 起计数；请核对编号",
            numbering::MAX_COUNTER
        ));
    }
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

