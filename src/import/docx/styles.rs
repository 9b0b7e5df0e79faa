//! Paragraph and character styles: which are headings, at what level.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::{MAX_ID, attr, is};

/// Styles read: Word's own documents have some hundreds, a long-edited
/// one a few thousand; those past the cap are not looked up.
const MAX_STYLES: usize = 20_000;

/// A paragraph or character style, as far as the import needs it.
#[derive(Default)]
pub(super) struct Style {
    /// `w:name`, lower-cased: Word keeps the English names of built-in
    /// styles (`heading 1`) whatever the language; the ids are localized
    /// (`1` in a Chinese Word, `2` in WPS, `Heading1` in an English Word).
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    /// Its own `w:outlineLvl` (9 is body text).
    pub(super) outline: Option<u8>,
    /// Its own `w:numPr`: numId and, if given, the level.
    pub(super) num: Option<(String, Option<usize>)>,
    /// Its own `w:b`.
    pub(super) bold: Option<bool>,
}

#[derive(Default)]
pub(super) struct Styles {
    pub(super) by_id: HashMap<String, Style>,
    /// The paragraph style of paragraphs that name none.
    pub(super) default_para: Option<String>,
}

impl Styles {
    pub(super) fn read(doc: &Document) -> Styles {
        let mut out = Styles::default();
        for st in doc.root_element().children().filter(|n| is(n, "style")).take(MAX_STYLES) {
            // Ids and names are short: a longer one names nothing (see MAX_ID).
            let Some(id) = attr(&st, "styleId").filter(|i| i.len() <= MAX_ID) else { continue };
            let child = |name: &str| st.children().find(|c| is(c, name));
            let ppr = child("pPr");
            let style = Style {
                name: child("name").and_then(|n| attr(&n, "val")).filter(|n| n.len() <= MAX_ID).unwrap_or("").trim().to_lowercase(),
                based_on: child("basedOn").and_then(|n| attr(&n, "val")).filter(|b| b.len() <= MAX_ID).map(str::to_string),
                outline: ppr.and_then(outline_lvl),
                num: ppr.and_then(|p| p.children().find(|c| is(c, "numPr"))).and_then(|n| {
                    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val")).filter(|i| i.len() <= MAX_ID)?;
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
    pub(super) fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
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
    pub(super) fn outline(&self, id: Option<&str>) -> Option<u8> {
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
    pub(super) fn is_toc(&self, id: Option<&str>) -> bool {
        self.chain(id).any(|s| {
            let n = s.name.replace(' ', "");
            n.starts_with("toc") || n.starts_with("目录")
        })
    }

    /// The title or subtitle style (Word's `Title`, shown as 标题).
    pub(super) fn is_title(&self, id: Option<&str>) -> bool {
        self.chain(id).next().is_some_and(|s| matches!(s.name.as_str(), "title" | "subtitle"))
    }

    pub(super) fn bold(&self, id: Option<&str>) -> Option<bool> {
        self.chain(id).find_map(|s| s.bold)
    }

    pub(super) fn num(&self, id: Option<&str>) -> Option<(String, Option<usize>)> {
        self.chain(id).find_map(|s| s.num.clone())
    }
}

/// `heading 1` … `heading 9`, 标题 1 … 标题 9 → 0 … 8. `Title` (标题) is not one.
pub(super) fn builtin_heading(name: &str) -> Option<u8> {
    let n = name.replace(' ', "");
    let digits = n.strip_prefix("heading").or_else(|| n.strip_prefix("标题"))?;
    match digits.parse::<u8>() {
        Ok(d @ 1..=9) => Some(d - 1),
        _ => None,
    }
}

/// The `w:outlineLvl` of a `w:pPr`.
pub(super) fn outline_lvl(ppr: Node) -> Option<u8> {
    ppr.children().find(|c| is(c, "outlineLvl")).and_then(|o| attr(&o, "val")).and_then(|v| v.parse::<u8>().ok()).map(|v| v.min(9))
}

/// A toggle property (`w:b`, `w:vanish`): on unless its value says off.
pub(super) fn on(n: Node) -> bool {
    !matches!(attr(&n, "val"), Some("0" | "false" | "off"))
}

