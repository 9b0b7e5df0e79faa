//! Font subsets made ahead, on the second core.
//!
//! Exporting a report spends about a quarter of its time subsetting the CJK
//! fonts (decompiling every used CFF glyph and measuring its outline), one
//! font after the other on the main thread, after the pages are converted.
//! krilla memoizes that step on (font, glyphs in order of first use). So,
//! as soon as the pages are laid out, a second thread asks krilla for the
//! same subsets, last-used font first, while the main thread converts the
//! pages and subsets from the first font on: each subset the second thread
//! finishes in time is a cache hit for the main thread.
//!
//! It can only save time, never change a byte: the cache returns what the
//! main thread would have computed. If the order below ever differs from
//! krilla's (another typst-pdf), the second thread's work is merely unused.

use std::collections::HashSet;
use std::sync::Arc;

use krilla::geom::Point;
use krilla::text::{Font, GlyphId, KrillaGlyph, Tag};
use typst::layout::{Frame, FrameItem};
use typst::text::FontInstance;
use typst_layout::PagedDocument;

/// One font's glyphs in the order a PDF export meets them.
struct FontGlyphs {
    font: FontInstance,
    glyphs: Vec<u16>,
    seen: HashSet<u16>,
}

/// Start subsetting the fonts of `doc` on another thread. The thread ends
/// by itself; nobody waits for it.
pub fn start(doc: &PagedDocument) {
    let fonts = glyphs_in_export_order(doc);
    // One font gains nothing: the main thread reaches it first.
    if fonts.len() < 2 {
        return;
    }
    let _ = std::thread::Builder::new().name("subsets-ahead".into()).spawn(move || {
        for f in fonts.into_iter().rev() {
            subset(&f);
        }
    });
}

/// Glyphs per font, fonts in order of first use, glyphs in order of first
/// use, as typst-pdf draws them: page by page, frame items in order, groups
/// depth-first.
fn glyphs_in_export_order(doc: &PagedDocument) -> Vec<FontGlyphs> {
    let mut fonts: Vec<FontGlyphs> = Vec::new();
    for page in doc.pages() {
        walk(&page.frame, &mut fonts);
    }
    fonts
}

fn walk(frame: &Frame, fonts: &mut Vec<FontGlyphs>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, fonts),
            FrameItem::Text(text) => {
                let at = match fonts.iter().position(|f| f.font == text.font) {
                    Some(i) => i,
                    None => {
                        fonts.push(FontGlyphs { font: text.font.clone(), glyphs: Vec::new(), seen: HashSet::new() });
                        fonts.len() - 1
                    }
                };
                let f = &mut fonts[at];
                for g in &text.glyphs {
                    if f.seen.insert(g.id) {
                        f.glyphs.push(g.id);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Have krilla subset one font with exactly these glyphs, through a
/// throw-away document: its `finish` subsets the font (memoized) and then
/// compresses it (wasted, but on this thread).
fn subset(f: &FontGlyphs) {
    // The same krilla font typst-pdf builds (text.rs, `build_font`): same
    // bytes, index and variations, hence the same cache key.
    let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(f.font.data().clone());
    let variations: Vec<(Tag, f32)> =
        f.font.variations().0.iter().map(|(tag, value)| (Tag::new(&tag.to_bytes()), value.0)).collect();
    let Some(font) = Font::new_variable(data.into(), f.font.index(), &variations) else { return };
    let glyphs: Vec<KrillaGlyph> = f
        .glyphs
        .iter()
        .map(|&id| KrillaGlyph::new(GlyphId::new(id as u32), 0.0, 0.0, 0.0, 0.0, 0..0, None))
        .collect();
    let mut document = krilla::Document::new();
    {
        let mut page = document.start_page();
        let mut surface = page.surface();
        surface.draw_glyphs(Point::from_xy(0.0, 0.0), &glyphs, font, "", 10.0, false);
        surface.finish();
        page.finish();
    }
    let _ = document.finish();
}
