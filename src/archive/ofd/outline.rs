//! The document's `Outlines` from its headings, as typst-pdf builds the PDF's
//! bookmarks: the same tree, titles with their numbers, each going to the
//! heading's page and place.

use typst::foundations::{NativeElement, StyleChain};
use typst::introspection::{DocumentPosition, Introspector};
use typst::model::{HeadingElem, OutlineNode};
use typst_layout::PagedDocument;
use xmlwriter::XmlWriter;

use super::xml::num;

/// An outline entry: title, 0-based page, position (mm), children.
pub struct Entry {
    pub title: String,
    pub page: usize,
    pub left: f64,
    pub top: f64,
    pub children: Vec<Entry>,
}

/// The headings that are bookmarked, as a tree.
pub fn entries(doc: &PagedDocument) -> Vec<Entry> {
    let introspector = doc.introspector();
    let elems = introspector.query(&HeadingElem::ELEM.select());
    let flat = elems.iter().filter_map(|elem| {
        let heading = elem.to_packed::<HeadingElem>()?;
        let level = heading.resolve_level(StyleChain::default());
        let bookmarked = heading
            .bookmarked
            .get(StyleChain::default())
            .unwrap_or_else(|| heading.outlined.get(StyleChain::default()));
        Some((heading, level, bookmarked))
    });
    let tree = OutlineNode::build_tree(flat);
    convert(&tree, &**introspector)
}

fn convert(nodes: &[OutlineNode<&typst::foundations::Packed<HeadingElem>>], introspector: &dyn Introspector) -> Vec<Entry> {
    nodes
        .iter()
        .filter_map(|node| {
            let position = node.entry.location().and_then(|loc| introspector.position(loc));
            let Some(DocumentPosition::Paged(pos)) = position else { return None };
            let text = node.entry.body.plain_text();
            let title = match &node.entry.numbers {
                Some(num) => format!("{num} {text}"),
                None => text.to_string(),
            };
            Some(Entry {
                title,
                page: pos.page.get() - 1,
                left: pos.point.x.to_mm(),
                top: pos.point.y.to_mm(),
                children: convert(&node.children, introspector),
            })
        })
        .collect()
}

/// Write `ofd:Outlines` (nothing when there are no headings).
pub fn write(w: &mut XmlWriter, entries: &[Entry], page_ids: &[u32]) {
    if entries.is_empty() {
        return;
    }
    w.start_element("ofd:Outlines");
    write_list(w, entries, page_ids);
    w.end_element();
}

fn write_list(w: &mut XmlWriter, entries: &[Entry], page_ids: &[u32]) {
    for e in entries {
        w.start_element("ofd:OutlineElem");
        w.write_attribute("Title", &e.title);
        if let Some(page) = page_ids.get(e.page) {
            w.start_element("ofd:Actions");
            w.start_element("ofd:Action");
            w.write_attribute("Event", "CLICK");
            w.start_element("ofd:Goto");
            w.start_element("ofd:Dest");
            w.write_attribute("Type", "XYZ");
            w.write_attribute("PageID", page);
            w.write_attribute("Left", &num(e.left));
            w.write_attribute("Top", &num(e.top));
            w.end_element();
            w.end_element();
            w.end_element();
            w.end_element();
        }
        write_list(w, &e.children, page_ids);
        w.end_element();
    }
}
