//! Font subsets made ahead, on the second core.
//!
//! Exporting a report spends about a third of its time subsetting the CJK
//! fonts (decompiling every used CFF glyph and measuring its outline), one
//! font after the other on the main thread, after the pages are converted.
//! krilla memoizes that step on (font, glyphs in order of first use). So,
//! as soon as the pages are laid out, a second thread asks krilla for the
//! same subsets, in the main thread's order: each subset it finishes before
//! the main thread reaches that font is a cache hit there.
//!
//! All but the font with the most glyphs (the body's 仿宋, some 900 glyphs,
//! three quarters of the work). The main thread reaches that one a few
//! milliseconds into the export, long before a second thread could finish
//! it, and would subset it again anyway: asking for it only cost the second
//! core 40 ms that the page streams' compression could use. The fonts used
//! before it (title, headings) are small and ready in time; those after it
//! have all the time the largest takes.
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
    let mut fonts = glyphs_in_export_order(doc);
    let Some(largest) = (0..fonts.len()).max_by_key(|&i| (fonts[i].glyphs.len(), std::cmp::Reverse(i))) else {
        return;
    };
    fonts.remove(largest);
    if fonts.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new().name("subsets-ahead".into()).spawn(move || {
        for f in &fonts {
            subset(f);
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
