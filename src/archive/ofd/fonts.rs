//! The fonts an OFD embeds: each face used, cut down to the glyphs the pages
//! use (`subsetter`, the subsetter typst-pdf uses), then completed into a font
//! that readers can load on their own. `subsetter` writes fonts for PDF,
//! without `cmap` and `OS/2`; OFD readers look glyphs up by the Unicode text
//! (GB/T 33190 §11.3: CGTransform only where that does not suffice), so a
//! `cmap` from the text to the new glyph ids and the original `OS/2` are
//! added, and CFF outlines become TrueType ones (`truetype`): every font
//! embedded is a plain `.ttf`.

use std::collections::{BTreeMap, HashMap};

use subsetter::GlyphRemapper;
use typst::text::Font;
use write_fonts::read::TableProvider;
use write_fonts::types::Tag;

use crate::layout::fonts::cut;

/// One face in use: its glyphs renumbered in order of first use, and which
/// character each new glyph shows (the first one seen).
pub struct FaceUse {
    pub font: Font,
    pub id: u32,
    remapper: GlyphRemapper,
    cmap: BTreeMap<u32, u16>,
}

/// The faces of a document in order of first use.
#[derive(Default)]
pub struct Fonts {
    faces: Vec<FaceUse>,
    index: HashMap<Font, usize>,
}

impl Fonts {
    /// The face's entry, made with `id` when first met.
    pub fn face(&mut self, font: &Font, next_id: &mut u32) -> usize {
        if let Some(&i) = self.index.get(font) {
            return i;
        }
        *next_id += 1;
        self.faces.push(FaceUse { font: font.clone(), id: *next_id, remapper: GlyphRemapper::new(), cmap: BTreeMap::new() });
        self.index.insert(font.clone(), self.faces.len() - 1);
        self.faces.len() - 1
    }

    pub fn id(&self, face: usize) -> u32 {
        self.faces[face].id
    }

    /// The new id of glyph `gid`, and whether `ch` (when the glyph shows
    /// exactly one character) finds it through the subset's `cmap`.
    pub fn glyph(&mut self, face: usize, gid: u16, ch: Option<char>) -> (u16, bool) {
        let f = &mut self.faces[face];
        let new = f.remapper.remap(gid);
        let mapped = match ch {
            Some(c) => *f.cmap.entry(c as u32).or_insert(new) == new,
            None => false,
        };
        (new, mapped)
    }

    pub fn faces(&self) -> &[FaceUse] {
        &self.faces
    }
}

impl FaceUse {
    /// The subset font file: OpenType with CFF or TrueType outlines.
    pub fn subset(&self) -> Result<Vec<u8>, String> {
        let data = self.font.data().as_slice();
        let index = self.font.index();
        let cut = subsetter::subset(data, index, &self.remapper)
            .map_err(|e| format!("字体 {} 无法取子集：{e}", self.font.info().family))?;
        let face = ttf_parser::Face::parse(data, index).map_err(|e| format!("字体 {} 无法读取：{e}", self.font.info().family))?;
        let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2"));
        complete(&cut, &self.cmap, os2)
            .ok_or_else(|| format!("字体 {} 的子集无法补全", self.font.info().family))
    }

}

/// The subset completed ([`cut::complete`]: `cmap` from the text to the new
/// glyph ids, `OS/2`), CFF outlines replaced by TrueType ones.
fn complete(cut: &[u8], map: &BTreeMap<u32, u16>, os2: Option<&[u8]>) -> Option<Vec<u8>> {
    cut::complete(cut, map, os2, |subset, font| {
        if subset.data_for_tag(Tag::new(b"CFF ")).is_none() {
            return Some(false);
        }
        let glyphs = subset.maxp().ok()?.num_glyphs();
        let o = super::truetype::outlines(cut, glyphs)?;
        let mut head = subset.data_for_tag(Tag::new(b"head"))?.as_bytes().to_vec();
        // indexToLocFormat
        head.get_mut(50..52)?.copy_from_slice(&(o.long_loca as u16).to_be_bytes());
        font.add_raw(Tag::new(b"head"), head);
        font.add_table(&super::truetype::maxp(glyphs, &o)).ok()?;
        font.add_raw(Tag::new(b"glyf"), o.glyf);
        font.add_raw(Tag::new(b"loca"), o.loca);
        Some(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completed_font_finds_every_character() {
        // A real subset: the bundled body face cut to four glyphs.
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/FandolFang-Regular.otf")).unwrap();
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let mut remapper = GlyphRemapper::new();
        let mut map = BTreeMap::new();
        for c in ['A', 'B', '中', '国'] {
            let new = remapper.remap(face.glyph_index(c).unwrap().0);
            map.insert(c as u32, new);
        }
        let cut = subsetter::subset(&data, 0, &remapper).unwrap();
        let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2"));
        let font = complete(&cut, &map, os2).unwrap();
        let done = ttf_parser::Face::parse(&font, 0).unwrap();
        assert!(done.tables().glyf.is_some() && done.tables().cff.is_none(), "TrueType outlines");
        for (c, g) in &map {
            assert_eq!(done.glyph_index(char::from_u32(*c).unwrap()).map(|g| g.0), Some(*g), "U+{c:04X}");
            assert!(done.outline_glyph(ttf_parser::GlyphId(*g), &mut Nothing).is_some(), "U+{c:04X} has an outline");
        }
        assert_eq!(done.glyph_index('C'), None);
    }

    struct Nothing;
    impl ttf_parser::OutlineBuilder for Nothing {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }
}
