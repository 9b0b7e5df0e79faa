//! Word (.docx, also WPS saved as .docx): `word/document.xml` out of the zip
//! package, read with `zip` and `roxmltree`. Paragraphs are the text of
//! their runs; tables keep merged cells (`gridSpan` → colspan, `vMerge` →
//! rowspan). Numbers typed as text are all the outline needs.

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
    let mut items = Vec::new();
    blocks(body, &mut items);
    Ok(items)
}

fn is(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
}

fn attr<'a>(n: &Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// Paragraphs and tables, in order; content controls (`w:sdt`) are looked into.
fn blocks(parent: Node, items: &mut Vec<Item>) {
    for n in parent.children() {
        if is(&n, "p") {
            let text = tidy_spaces(&para_text(n));
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
                blocks(c, items);
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
