//! Missing glyphs: Typst prints tofu silently when no listed face has a
//! character (the template sets `fallback: false`). Find them in the laid-out
//! pages so a render can refuse instead of printing a box in someone's name.

use std::collections::BTreeMap;

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

/// A character printed without a glyph, with the face that lacked it and the
/// pages it stands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyph {
    pub ch: char,
    pub font: String,
    pub pages: Vec<usize>,
}

pub fn missing_glyphs(doc: &PagedDocument) -> Vec<MissingGlyph> {
    let mut found: BTreeMap<(char, String), Vec<usize>> = BTreeMap::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, &mut |ch, font| {
            let pages = found.entry((ch, font)).or_default();
            if pages.last() != Some(&(i + 1)) {
                pages.push(i + 1);
            }
        });
    }
    found
        .into_iter()
        .map(|((ch, font), pages)| MissingGlyph { ch, font, pages })
        .collect()
}

fn walk(frame: &Frame, found: &mut impl FnMut(char, String)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, found),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    for ch in text.text[glyph.range()].chars().filter(|c| !c.is_whitespace()) {
                        found(ch, text.font.font().info().family.clone());
                    }
                }
            }
            _ => {}
        }
    }
}
