//! A face cut down to some characters, as a font of its own.
//!
//! Typst hashes a font's whole file the first time it uses it. The wide
//! fallback (Noto Serif CJK, a 26 MB collection) is asked for a handful of
//! characters a report's own faces lack, a rare character in a name, yet
//! hashing it cost a render of the seed a seventh of its time. So a report
//! is laid out with that face cut to the characters it may need from it
//! (`subsetter`, the subsetter typst-pdf itself uses). `subsetter` writes
//! fonts for PDF, without `cmap` and `OS/2`; [`complete`] adds a `cmap` from
//! the characters to the new glyph ids and the original `OS/2` (Typst reads
//! its metrics there), keeping every other table of the cut.

use std::collections::BTreeMap;

use subsetter::GlyphRemapper;
use typst::foundations::Bytes;
use typst::text::Font;
use write_fonts::FontBuilder;
use write_fonts::read::{FontRef, TableProvider};
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};

/// Face `index` of `data` cut to `chars` (those it has), glyphs in the
/// order given.
pub fn cut(data: &[u8], index: u32, chars: impl IntoIterator<Item = char>) -> Option<Font> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    let mut remapper = GlyphRemapper::new();
    let mut map = BTreeMap::new();
    for c in chars {
        if let Some(g) = face.glyph_index(c) {
            map.insert(c as u32, remapper.remap(g.0));
        }
    }
    let cut = subsetter::subset(data, index, &remapper).ok()?;
    let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2"));
    let whole = complete(&cut, &map, os2, |_, _| Some(false))?;
    Font::new(Bytes::new(whole), 0)
}

/// The cut made a font of its own (write-fonts assembles the file: table
/// order, checksums, `head.checkSumAdjustment`): a `cmap` from `map`'s
/// characters to their new glyph ids and `os2` added. `outlines` may add
/// tables of its own first; when it returns `true`, the cut's `CFF ` table
/// is left out (its outlines were replaced).
pub fn complete(
    cut: &[u8],
    map: &BTreeMap<u32, u16>,
    os2: Option<&[u8]>,
    outlines: impl FnOnce(&FontRef, &mut FontBuilder) -> Option<bool>,
) -> Option<Vec<u8>> {
    let subset = FontRef::new(cut).ok()?;
    let mut font = FontBuilder::new();
    let mappings = map.iter().filter_map(|(&c, &g)| Some((char::from_u32(c)?, GlyphId::new(g as u32))));
    font.add_table(&Cmap::from_mappings(mappings).ok()?).ok()?;
    if let Some(os2) = os2 {
        font.add_raw(Tag::new(b"OS/2"), os2.to_vec());
    }
    let cff = Tag::new(b"CFF ");
    let replaced = outlines(&subset, &mut font)?;
    for record in subset.table_directory().table_records() {
        let tag = record.tag();
        if !font.contains(tag) && !(replaced && tag == cff) {
            font.add_raw(tag, subset.data_for_tag(tag)?.as_bytes().to_vec());
        }
    }
    Some(font.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_font_has_the_characters_asked_for_and_no_others() {
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSerifCJK-Regular.ttc")).unwrap();
        // The mainland face of the collection, as the library offers it.
        let index = (0..ttf_parser::fonts_in_collection(&data).unwrap())
            .find(|&i| Font::new(Bytes::new(data.clone()), i).is_some_and(|f| f.info().family == "Noto Serif CJK SC"))
            .unwrap();
        let small = cut(&data, index, ['焜', '䶮', 'A']).unwrap();
        assert!(small.data().len() < 100_000, "{} bytes", small.data().len());
        assert_eq!(small.info().family, "Noto Serif CJK SC");
        let whole = ttf_parser::Face::parse(&data, index).unwrap();
        let part = ttf_parser::Face::parse(small.data().as_slice(), 0).unwrap();
        for c in ['焜', '䶮', 'A'] {
            let (a, b) = (whole.glyph_index(c).unwrap(), part.glyph_index(c).unwrap());
            assert_eq!(whole.glyph_hor_advance(a), part.glyph_hor_advance(b), "{c}");
            assert_eq!(whole.glyph_bounding_box(a), part.glyph_bounding_box(b), "{c}");
        }
        assert_eq!(part.glyph_index('中'), None);
        // What Typst reads of a face: its metrics, the same.
        let key = |f: &ttf_parser::Face| {
            let m = typst::text::FontMetrics::from_ttf(f);
            format!("{} {:?} {:?} {:?} {:?} {:?} {:?}", m.units_per_em, m.ascender, m.cap_height, m.x_height, m.descender, m.underline, m.strikethrough)
        };
        assert_eq!(key(&whole), key(&part));
    }
}
