//! Where each heading, paragraph and table of the data starts on the pages,
//! so a click on a page image can go to the field it came from.
//!
//! Typst leaves a start tag in the page's frame for each heading, paragraph
//! and table it lays out, with the element's text. These are matched, in
//! reading order, with the items of the resolved document, which carry their
//! key path in the data. Nothing is added to the template: the pages are the
//! ones `render` makes.

use typst::introspection::Tag;
use typst::layout::{Frame, FrameItem, GridElem, Transform};
use typst_layout::PagedDocument;
use typst::model::{HeadingElem, ParElem, TableElem};

use crate::layout::document::{Document, Item};

/// Per page, the blocks that start on it: (top as a fraction of the page
/// height, key path), in reading order. A page that starts inside a block
/// begins with that block at 0.
pub type Marks = Vec<Vec<(f64, String)>>;

/// How far ahead a tag is matched: an item whose tag was not recognised is
/// passed over instead of stopping the match there.
const LOOKAHEAD: usize = 6;
/// Characters compared from the start of a paragraph.
const PREFIX: usize = 16;

#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Heading,
    Par,
    Table,
}

struct Want {
    kind: Kind,
    text: String,
    path: String,
}

struct Found {
    kind: Kind,
    text: String,
    page: usize,
    y: f64,
}

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{2060}' | '\u{ad}' | '\u{200b}')).collect()
}

fn prefix(s: &str) -> String {
    s.chars().take(PREFIX).collect()
}

fn wanted(document: &Document) -> Vec<Want> {
    let mut out = Vec::new();
    out.push(Want { kind: Kind::Par, text: norm(&document.title_lines.concat()), path: "title".into() });
    let items = |items: &[Item], out: &mut Vec<Want>| {
        for item in items {
            out.push(match item {
                Item::Heading { head, run_in: None, path, .. } => Want { kind: Kind::Heading, text: norm(head), path: format!("{path}.title") },
                Item::Heading { head, run_in: Some(_), path, .. } => Want { kind: Kind::Par, text: norm(head), path: format!("{path}.run_in") },
                Item::Par { text, path } => Want { kind: Kind::Par, text: norm(text), path: path.clone() },
                Item::Table { path, .. } => Want { kind: Kind::Table, text: String::new(), path: path.clone() },
            });
        }
    };
    items(&document.body, &mut out);
    for a in &document.attachments {
        out.push(Want { kind: Kind::Par, text: norm(&a.title), path: a.title_path.clone() });
        items(&a.body, &mut out);
    }
    out
}

fn found(doc: &PagedDocument) -> Vec<Found> {
    fn walk(frame: &Frame, ts: Transform, page: usize, height: f64, out: &mut Vec<Found>) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    let ts = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(g.transform);
                    walk(&g.frame, ts, page, height, out)
                }
                FrameItem::Tag(Tag::Start(content, _)) => {
                    let kind = if content.is::<HeadingElem>() {
                        Kind::Heading
                    } else if content.is::<ParElem>() {
                        Kind::Par
                    } else if content.is::<TableElem>() || content.is::<GridElem>() {
                        Kind::Table
                    } else {
                        continue;
                    };
                    let y = pos.transform(ts).y.to_pt() / height;
                    let text = if kind == Kind::Table { String::new() } else { norm(&content.plain_text()) };
                    out.push(Found { kind, text, page, y: y.clamp(0.0, 1.0) });
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        let height = page.frame.height().to_pt().max(1.0);
        walk(&page.frame, Transform::identity(), i, height, &mut out);
    }
    out
}

fn matches(want: &Want, f: &Found) -> bool {
    if want.kind != f.kind {
        return false;
    }
    match want.kind {
        // A heading's text comes with its supplement before it.
        Kind::Heading => !want.text.is_empty() && f.text.ends_with(&want.text),
        Kind::Par => !want.text.is_empty() && f.text.starts_with(&prefix(&want.text)),
        Kind::Table => true,
    }
}

/// The marks of `doc`, typeset from `document`.
pub fn marks(doc: &PagedDocument, document: &Document) -> Marks {
    let wants = wanted(document);
    let mut pages: Marks = vec![Vec::new(); doc.pages().len()];
    let mut next = 0;
    for f in found(doc) {
        let end = (next + LOOKAHEAD).min(wants.len());
        if let Some(j) = (next..end).find(|&j| matches(&wants[j], &f)) {
            pages[f.page].push((f.y, wants[j].path.clone()));
            next = j + 1;
        }
    }
    // A page that begins inside a block: that block, from the top; above
    // the first heading of the first page is the title.
    let mut carry: Option<String> = Some("title".into());
    for page in &mut pages {
        if let Some(c) = carry.take()
            && page.first().is_none_or(|(y, p)| *y > 0.0 && *p != c)
        {
            page.insert(0, (0.0, c));
        }
        carry = page.last().map(|(_, p)| p.clone());
    }
    pages
}
