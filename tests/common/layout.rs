//! Glyphs as Typst lays them out, for the tests that measure pages: the
//! positions and advances that go into the PDF.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};

/// A glyph as laid out: baseline, pen position, character, size, and the
/// advance the font gives it.
#[derive(Clone, Copy, Debug)]
pub struct Glyph {
    pub y: f64,
    pub x: f64,
    pub c: char,
    pub size: f64,
    pub natural: f64,
}

pub fn glyphs(frame: &Frame, ts: Transform, out: &mut Vec<Glyph>) {
    for (pos, item) in frame.items() {
        let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => glyphs(&g.frame, at.pre_concat(g.transform), out),
            FrameItem::Text(t) => {
                let mut x = 0.0;
                for g in &t.glyphs {
                    let p = Point::new(Abs::pt(x + g.x_offset.at(t.size).to_pt()), Abs::zero()).transform(at);
                    let advance = g.x_advance.at(t.size).to_pt();
                    let natural = t.font.x_advance(g.id).map(|e| e.at(t.size).to_pt()).unwrap_or(advance);
                    for c in t.text[g.range()].chars() {
                        out.push(Glyph { y: p.y.to_pt(), x: p.x.to_pt(), c, size: t.size.to_pt(), natural });
                    }
                    x += advance;
                }
            }
            _ => {}
        }
    }
}
