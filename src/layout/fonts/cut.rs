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
//! its metrics there), keeping every other table of the cut. Which
//! characters a report may take from the fallback is
//! [`FontSet::fallback_chars`]; the world lays out again with the face whole
//! should the cut lack one ([`crate::layout::world::compile`]).

use std::collections::BTreeMap;

use subsetter::GlyphRemapper;
use typst::foundations::Bytes;
use typst::text::Font;
use write_fonts::FontBuilder;
use write_fonts::read::{FontRef, TableProvider};
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};

use super::{FALLBACK, FontSet, RoleChain};

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

/// The wide fallback face of a report's fonts, and what it is cut to.
impl FontSet {
    /// Book index of the wide fallback face, when the chains reach it.
    pub fn fallback_index(&self) -> Option<usize> {
        self.slots.iter().position(|&i| self.library.faces[i].answers_to(FALLBACK))
    }

    /// Whether the wide fallback face, whole, has `c`.
    pub fn fallback_has(&self, c: char) -> bool {
        self.fallback_index().is_some_and(|i| self.library.faces[self.slots[i]].covers(c))
    }

    /// The wide fallback face cut to [`FontSet::fallback_chars`] of `texts`.
    pub fn fallback_cut<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Option<Font> {
        let face = &self.library.faces[self.slots[self.fallback_index()?]];
        cut(face.data()?.as_slice(), face.index, self.fallback_chars(texts))
    }

    /// The characters of `texts` that layout may take from the wide
    /// fallback: those it has and that every face before it in some role's
    /// chain lacks. Characters Typst writes itself (numbering, smart quotes,
    /// hyphens) are counted as if in the texts.
    pub fn fallback_chars<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Vec<char> {
        let Some(fallback) = self.fallback_index().map(|i| &self.library.faces[self.slots[i]]) else {
            return Vec::new();
        };
        // Every distinct character, as bits: a report has some 100 000 of
        // them and fewer than 2 000 distinct ones.
        let mut seen = vec![0u64; (char::MAX as usize >> 6) + 1];
        // Typst's own: hyphens, smart quotes, numbering (1, a, 一, 壹).
        let typst_writes = (' '..='~').chain("‐‘’“”〇零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟".chars());
        for c in texts.into_iter().flat_map(str::chars).chain(typst_writes) {
            seen[c as usize >> 6] |= 1 << (c as u32 & 63);
        }
        let mut out = Vec::new();
        for (w, &bits) in seen.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                let Some(c) = char::from_u32((w as u32) << 6 | b) else { continue };
                let reaches = |chain: &RoleChain| {
                    chain.steps.iter().take_while(|s| !self.library.faces[s.face].answers_to(FALLBACK)).all(|s| !self.library.faces[s.face].covers(c))
                };
                if !c.is_control() && fallback.covers(c) && self.chains.iter().any(reaches) {
                    out.push(c);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_is_asked_only_for_what_the_bundled_faces_lack() {
        let fonts = FontSet::resolve(super::super::FontLibrary::embedded(), &|_| None, true);
        assert_eq!(fonts.fallback_chars(["市委常委李柱焜分别率队，ABC 123。", "刘䶮"]), ['䶮', '焜']);
        assert!(fonts.fallback_has('焜') && !fonts.fallback_has('\u{E000}'));
    }

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
