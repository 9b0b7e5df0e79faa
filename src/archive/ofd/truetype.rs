//! CFF outlines turned into TrueType ones. Many OFD readers load fonts
//! through TrueType-only code (reportlab behind easyofd refuses "postscript
//! outlines" and then searches the whole system for each character), while
//! the bundled Fandol and Noto faces are CFF. Each cubic becomes quadratics
//! within a tenth of a font unit (kurbo), written as `glyf`/`loca`
//! (write-fonts); contours are reversed, as TrueType winds them clockwise.

use kurbo::{BezPath, CubicBez, Point};
use write_fonts::tables::glyf::{GlyfLocaBuilder, Glyph, SimpleGlyph};
use write_fonts::tables::loca::LocaFormat;
use write_fonts::tables::maxp::Maxp;

/// The `glyf` and `loca` tables for every glyph of `font`, whether `loca`
/// is long, and the largest point and contour counts (for `maxp`).
pub struct Outlines {
    pub glyf: Vec<u8>,
    pub loca: Vec<u8>,
    pub long_loca: bool,
    pub max_points: u16,
    pub max_contours: u16,
}

pub fn outlines(font: &[u8], glyphs: u16) -> Option<Outlines> {
    let face = ttf_parser::Face::parse(font, 0).ok()?;
    let mut builder = GlyfLocaBuilder::new();
    let (mut max_points, mut max_contours) = (0u16, 0u16);
    for gid in 0..glyphs {
        let mut pen = Pen { path: BezPath::new(), last: Point::ZERO };
        face.outline_glyph(ttf_parser::GlyphId(gid), &mut pen);
        let glyph = if pen.path.elements().is_empty() {
            Glyph::Empty
        } else {
            let simple = SimpleGlyph::from_bezpath(&pen.path.reverse_subpaths()).ok()?;
            let points: usize = simple.contours.iter().map(|c| c.len()).sum();
            max_points = max_points.max(points as u16);
            max_contours = max_contours.max(simple.contours.len() as u16);
            Glyph::Simple(simple)
        };
        builder.add_glyph(&glyph).ok()?;
    }
    let (glyf, loca, format) = builder.build();
    Some(Outlines {
        glyf: write_fonts::dump_table(&glyf).ok()?,
        loca: write_fonts::dump_table(&loca).ok()?,
        long_loca: format == LocaFormat::Long,
        max_points,
        max_contours,
    })
}

/// `maxp` version 1.0, as TrueType requires: no composites, instructions
/// or twilight points.
pub fn maxp(glyphs: u16, o: &Outlines) -> Maxp {
    Maxp {
        num_glyphs: glyphs,
        max_points: Some(o.max_points),
        max_contours: Some(o.max_contours),
        max_composite_points: Some(0),
        max_composite_contours: Some(0),
        max_zones: Some(2),
        max_twilight_points: Some(0),
        max_storage: Some(0),
        max_function_defs: Some(0),
        max_instruction_defs: Some(0),
        max_stack_elements: Some(0),
        max_size_of_instructions: Some(0),
        max_component_elements: Some(0),
        max_component_depth: Some(0),
    }
}

struct Pen {
    path: BezPath,
    last: Point,
}

impl ttf_parser::OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.last = Point::new(x.into(), y.into());
        self.path.move_to(self.last);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.last = Point::new(x.into(), y.into());
        self.path.line_to(self.last);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.last = Point::new(x.into(), y.into());
        self.path.quad_to(Point::new(x1.into(), y1.into()), self.last);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let end = Point::new(x.into(), y.into());
        let cubic = CubicBez::new(self.last, Point::new(x1.into(), y1.into()), Point::new(x2.into(), y2.into()), end);
        for (_, _, q) in cubic.to_quads(0.1) {
            self.path.quad_to(q.p1, q.p2);
        }
        self.last = end;
    }
    fn close(&mut self) {
        self.path.close_path();
    }
}
