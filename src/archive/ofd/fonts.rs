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
        complete(&cut, cmap(&self.cmap), os2.map(<[u8]>::to_vec))
            .ok_or_else(|| format!("字体 {} 的子集无法补全", self.font.info().family))
    }

}

/// A `cmap` with a format 4 subtable (Windows, BMP) and, when a character lies
/// beyond the BMP, a format 12 one (Windows, full repertoire).
fn cmap(map: &BTreeMap<u32, u16>) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> = map.iter().filter(|(c, _)| **c < 0xFFFF).map(|(c, g)| (*c as u16, *g)).collect();
    let wide = map.keys().any(|c| *c > 0xFFFF);
    let f4 = format4(&bmp);
    let mut out = Vec::new();
    let count: u16 = if wide { 2 } else { 1 };
    out.extend(0u16.to_be_bytes());
    out.extend(count.to_be_bytes());
    let header = 4 + 8 * count as u32;
    out.extend([0, 3, 0, 1]);
    out.extend(header.to_be_bytes());
    if wide {
        out.extend([0, 3, 0, 10]);
        out.extend((header + f4.len() as u32).to_be_bytes());
    }
    out.extend(&f4);
    if wide {
        out.extend(format12(map));
    }
    out
}

/// Format 4, one segment per run of consecutive characters with consecutive
/// glyphs, and the closing 0xFFFF segment.
fn format4(pairs: &[(u16, u16)]) -> Vec<u8> {
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // start, end, first glyph
    for &(c, g) in pairs {
        match segs.last_mut() {
            Some((s, e, g0)) if *e + 1 == c && g0.wrapping_add(c - *s) == g => *e = c,
            _ => segs.push((c, c, g)),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 0));
    let n = segs.len() as u16;
    let entry_selector = 15 - (n.max(1)).leading_zeros() as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let mut body = Vec::new();
    for (_, e, _) in &segs {
        body.extend(e.to_be_bytes());
    }
    body.extend(0u16.to_be_bytes());
    for (s, _, _) in &segs {
        body.extend(s.to_be_bytes());
    }
    for (s, _, g) in &segs {
        let delta = if *s == 0xFFFF { 1 } else { g.wrapping_sub(*s) };
        body.extend(delta.to_be_bytes());
    }
    for _ in &segs {
        body.extend(0u16.to_be_bytes());
    }
    let length = (14 + body.len()) as u16;
    let mut out = Vec::new();
    for v in [4, length, 0, 2 * n, search_range, entry_selector, 2 * n - search_range] {
        out.extend(v.to_be_bytes());
    }
    out.extend(body);
    out
}

fn format12(map: &BTreeMap<u32, u16>) -> Vec<u8> {
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for (&c, &g) in map {
        match groups.last_mut() {
            Some((s, e, g0)) if *e + 1 == c && *g0 + (c - *s) == g as u32 => *e = c,
            _ => groups.push((c, c, g as u32)),
        }
    }
    let mut out = Vec::new();
    out.extend(12u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    out.extend((16 + 12 * groups.len() as u32).to_be_bytes());
    out.extend(0u32.to_be_bytes());
    out.extend((groups.len() as u32).to_be_bytes());
    for (s, e, g) in groups {
        out.extend(s.to_be_bytes());
        out.extend(e.to_be_bytes());
        out.extend(g.to_be_bytes());
    }
    out
}

/// A font's tables by tag.
fn tables(font: &[u8]) -> Option<BTreeMap<[u8; 4], Vec<u8>>> {
    let be16 = |at: usize| font.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let be32 = |at: usize| font.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let count = be16(4)? as usize;
    let mut tables = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let (offset, length) = (be32(rec + 8)? as usize, be32(rec + 12)? as usize);
        tables.insert(tag, font.get(offset..offset.checked_add(length)?)?.to_vec());
    }
    Some(tables)
}

/// A font file from its tables: the directory sorted, checksums and
/// `head.checkSumAdjustment` computed.
fn assemble(flavor: [u8; 4], mut tables: BTreeMap<[u8; 4], Vec<u8>>) -> Option<Vec<u8>> {
    if let Some(head) = tables.get_mut(b"head") {
        head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    }
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16 * (1u16 << entry_selector);
    let mut out = flavor.to_vec();
    for v in [n, search_range, entry_selector, 16 * n - search_range] {
        out.extend(v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut data = Vec::new();
    let mut head_at = None;
    for (tag, bytes) in &tables {
        out.extend(tag);
        out.extend(checksum(bytes).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((bytes.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        data.extend(bytes);
        let padded = (bytes.len() + 3) & !3;
        data.resize(data.len() + padded - bytes.len(), 0);
        offset += padded;
    }
    out.extend(data);
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out.get_mut(at + 8..at + 12)?.copy_from_slice(&adjust.to_be_bytes());
    }
    Some(out)
}

/// The subset completed: `cmap` and `OS/2` added, CFF outlines replaced by
/// TrueType ones.
fn complete(cut: &[u8], cmap: Vec<u8>, os2: Option<Vec<u8>>) -> Option<Vec<u8>> {
    let mut t = tables(cut)?;
    t.insert(*b"cmap", cmap);
    if let Some(os2) = os2 {
        t.insert(*b"OS/2", os2);
    }
    if t.contains_key(b"CFF ") {
        let maxp = t.get(b"maxp")?;
        let glyphs = u16::from_be_bytes([*maxp.get(4)?, *maxp.get(5)?]);
        let o = super::truetype::outlines(cut, glyphs)?;
        t.remove(b"CFF ");
        t.insert(*b"maxp", super::truetype::maxp(glyphs, &o));
        t.get_mut(b"head")?.get_mut(50..52)?.copy_from_slice(&(o.long_loca as u16).to_be_bytes());
        t.insert(*b"glyf", o.glyf);
        t.insert(*b"loca", o.loca);
    }
    let flavor = if t.contains_key(b"glyf") { [0, 1, 0, 0] } else { *b"OTTO" };
    assemble(flavor, t)
}

fn checksum(bytes: &[u8]) -> u32 {
    bytes.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format4_finds_every_character() {
        let map: BTreeMap<u32, u16> = [(0x41, 1), (0x42, 2), (0x4E2D, 7), (0x4E2E, 3)].into_iter().collect();
        let table = cmap(&map);
        let sub = ttf_parser::cmap::Table::parse(&table).unwrap();
        let s = sub.subtables.into_iter().next().unwrap();
        for (c, g) in &map {
            assert_eq!(s.glyph_index(*c).map(|g| g.0), Some(*g), "U+{c:04X}");
        }
        assert_eq!(s.glyph_index(0x43), None);
    }
}
