//! One page's `Content.xml` from its Typst frame: text runs as `TextObject`s
//! (the Unicode text, each character's advance as `DeltaX`, `CGTransform`
//! only where the font's `cmap` would not find the glyph), shapes as
//! `PathObject`s, raster images as `ImageObject`s. Units are millimetres,
//! y downwards, as in both Typst and OFD.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::TextItem;
use typst::visualize::{Curve, CurveItem, ExchangeFormat, FixedStroke, Geometry, ImageKind, Paint, RasterFormat, Shape};
use xmlwriter::XmlWriter;

use super::fonts::Fonts;
use super::xml::{num, nums, part};
use crate::layout::glyphs::is_default_ignorable;

/// An image the pages show, stored once per distinct file.
pub struct Media {
    pub id: u32,
    pub format: &'static str,
    pub bytes: Vec<u8>,
}

/// What the pages share: ids, fonts, images.
pub struct Shared {
    pub next_id: u32,
    pub fonts: Fonts,
    pub media: Vec<Media>,
}

/// The `Content.xml` of a page.
pub fn content(frame: &Frame, shared: &mut Shared) -> Vec<u8> {
    let mut w = part("ofd:Page");
    let size = frame.size();
    w.start_element("ofd:Area");
    w.start_element("ofd:PhysicalBox");
    w.write_text(&nums(&[0.0, 0.0, size.x.to_mm(), size.y.to_mm()]));
    w.end_element();
    w.end_element();
    w.start_element("ofd:Content");
    shared.next_id += 1;
    w.start_element("ofd:Layer");
    w.write_attribute("ID", &shared.next_id);
    let mut page = PageWriter { w, shared, page: [size.x.to_mm(), size.y.to_mm()] };
    page.frame(frame, Transform::identity());
    let mut w = page.w;
    w.end_element();
    w.end_element();
    w.end_document().into_bytes()
}

struct PageWriter<'a> {
    w: XmlWriter,
    shared: &'a mut Shared,
    page: [f64; 2],
}

/// Where an object goes: its `Boundary`, its `CTM` when the frame is rotated
/// or scaled, and the offset to add to its own coordinates.
struct Placement {
    boundary: [f64; 4],
    ctm: Option<[f64; 6]>,
    offset: [f64; 2],
}

impl PageWriter<'_> {
    fn frame(&mut self, frame: &Frame, ts: Transform) {
        for (pos, item) in frame.items() {
            let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => self.frame(&g.frame, at.pre_concat(g.transform)),
                FrameItem::Text(t) => self.text(t, at),
                FrameItem::Shape(s, _) => self.shape(s, at),
                FrameItem::Image(image, size, _) => match image.kind() {
                    ImageKind::Raster(raster) => {
                        let format = match raster.format() {
                            RasterFormat::Exchange(ExchangeFormat::Png) => Some("PNG"),
                            RasterFormat::Exchange(ExchangeFormat::Jpg) => Some("JPEG"),
                            _ => None,
                        };
                        if let Some(format) = format {
                            self.image(raster.data().as_slice(), format, *size, at);
                        }
                    }
                    // OFD images are raster: an SVG seal is drawn at 300 dpi.
                    ImageKind::Svg(svg) => {
                        if let Some(png) = rasterize(svg.tree(), *size) {
                            self.image(&png, "PNG", *size, at);
                        }
                    }
                    _ => {}
                },
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
    }

    /// The placement of an object whose own box is `bbox` (x0, y0, x1, y1 in mm).
    fn place(&self, ts: Transform, bbox: [f64; 4]) -> Placement {
        let plain = ts.sx.get() == 1.0 && ts.sy.get() == 1.0 && ts.kx.get() == 0.0 && ts.ky.get() == 0.0;
        if plain {
            let (x, y) = (ts.tx.to_mm(), ts.ty.to_mm());
            Placement {
                boundary: [x + bbox[0], y + bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1]],
                ctm: None,
                offset: [-bbox[0], -bbox[1]],
            }
        } else {
            Placement {
                boundary: [0.0, 0.0, self.page[0], self.page[1]],
                ctm: Some([ts.sx.get(), ts.ky.get(), ts.kx.get(), ts.sy.get(), ts.tx.to_mm(), ts.ty.to_mm()]),
                offset: [0.0, 0.0],
            }
        }
    }

    fn start(&mut self, element: &str, p: &Placement) {
        self.shared.next_id += 1;
        self.w.start_element(element);
        self.w.write_attribute("ID", &self.shared.next_id);
        self.w.write_attribute("Boundary", &nums(&p.boundary));
        if let Some(ctm) = p.ctm {
            self.w.write_attribute("CTM", &nums(&ctm));
        }
    }

    fn text(&mut self, item: &TextItem, ts: Transform) {
        if item.glyphs.is_empty() {
            return;
        }
        let size = item.size.to_mm();
        let font = item.font.font();
        let face = self.shared.fonts.face(font, &mut self.shared.next_id);
        // Each character at the pen position of the glyph that shows it.
        let (mut text, mut xs, mut glyphs) = (String::new(), Vec::new(), Vec::new());
        let (mut pen, mut all_mapped, mut last_range) = (0.0, true, None);
        for g in &item.glyphs {
            let range = g.range();
            let whole = item.text.get(range.clone()).unwrap_or("");
            // Invisible format characters (the word joiner that keeps a unit
            // on its number's line) ride in the visible character's cluster;
            // written out they would take a code of their own at the same
            // place, and readers that advance per glyph draw the next
            // character on top of this one.
            let visible: String = whole.chars().filter(|&c| !is_default_ignorable(c)).collect();
            let chars = if visible.is_empty() { whole } else { visible.as_str() };
            let single = (chars.chars().count() == 1).then(|| chars.chars().next()).flatten();
            let fresh = last_range.as_ref() != Some(&range);
            let (gid, mapped) = self.shared.fonts.glyph(face, g.id, if fresh { single } else { None });
            glyphs.push(gid);
            all_mapped &= mapped;
            if fresh {
                for c in chars.chars() {
                    text.push(c);
                    xs.push(pen + g.x_offset.at(item.size).to_mm());
                }
            }
            last_range = Some(range);
            pen += g.x_advance.at(item.size).to_mm();
        }
        if text.is_empty() {
            return;
        }
        let ascent = item.font.metrics().ascender.get().max(0.9) * size;
        let descent = (-item.font.metrics().descender.get()).max(0.2) * size;
        let p = self.place(ts, [0.0, -ascent, pen.max(size * 0.1), descent]);
        self.start("ofd:TextObject", &p);
        self.w.write_attribute("Font", &self.shared.fonts.id(face));
        self.w.write_attribute("Size", &num(size));
        self.fill(Some(&item.fill));
        if !all_mapped {
            self.w.start_element("ofd:CGTransform");
            self.w.write_attribute("CodePosition", "0");
            self.w.write_attribute("CodeCount", &text.chars().count());
            self.w.write_attribute("GlyphCount", &glyphs.len());
            self.w.start_element("ofd:Glyphs");
            self.w.write_text(&glyphs.iter().map(u16::to_string).collect::<Vec<_>>().join(" "));
            self.w.end_element();
            self.w.end_element();
        }
        self.w.start_element("ofd:TextCode");
        self.w.write_attribute("X", &num(xs[0] + p.offset[0]));
        self.w.write_attribute("Y", &num(p.offset[1]));
        if xs.len() > 1 {
            let deltas: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
            self.w.write_attribute("DeltaX", &nums(&deltas));
        }
        self.w.write_text(&text);
        self.w.end_element();
        self.w.end_element();
    }

    fn shape(&mut self, shape: &Shape, ts: Transform) {
        let mut data = Vec::new();
        let mut points = Vec::new();
        let mut op = |code: &str, ps: &[Point]| {
            let coords: Vec<[f64; 2]> = ps.iter().map(|p| [p.x.to_mm(), p.y.to_mm()]).collect();
            points.extend(coords.iter().copied());
            data.push((code.to_string(), coords));
        };
        match &shape.geometry {
            Geometry::Line(to) => {
                op("M", &[Point::zero()]);
                op("L", &[*to]);
            }
            Geometry::Rect(size) => {
                let (w, h) = (size.x, size.y);
                op("M", &[Point::zero()]);
                op("L", &[Point::new(w, Abs::zero())]);
                op("L", &[Point::new(w, h)]);
                op("L", &[Point::new(Abs::zero(), h)]);
                op("C", &[]);
            }
            Geometry::Curve(curve) => curve_ops(curve, &mut op),
        }
        if points.is_empty() {
            return;
        }
        let half = shape.stroke.as_ref().map_or(0.0, |s| s.thickness.to_mm() / 2.0);
        let bbox = points.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
            [b[0].min(p[0] - half), b[1].min(p[1] - half), b[2].max(p[0] + half), b[3].max(p[1] + half)]
        });
        let p = self.place(ts, bbox);
        self.start("ofd:PathObject", &p);
        if let Some(stroke) = &shape.stroke {
            self.stroke_attributes(stroke);
        } else {
            self.w.write_attribute("Stroke", "false");
        }
        if shape.fill.is_some() {
            self.w.write_attribute("Fill", "true");
        }
        self.fill(shape.fill.as_ref());
        if let Some(stroke) = &shape.stroke {
            self.color("ofd:StrokeColor", &stroke.paint);
        }
        self.w.start_element("ofd:AbbreviatedData");
        let text: Vec<String> = data
            .iter()
            .map(|(code, cs)| {
                let mut parts = vec![code.clone()];
                parts.extend(cs.iter().map(|c| format!("{} {}", num(c[0] + p.offset[0]), num(c[1] + p.offset[1]))));
                parts.join(" ")
            })
            .collect();
        self.w.write_text(&text.join(" "));
        self.w.end_element();
        self.w.end_element();
    }

    fn stroke_attributes(&mut self, stroke: &FixedStroke) {
        self.w.write_attribute("LineWidth", &num(stroke.thickness.to_mm()));
        if let Some(dash) = &stroke.dash {
            let array: Vec<f64> = dash.array.iter().map(|a| a.to_mm()).collect();
            if !array.is_empty() {
                self.w.write_attribute("DashOffset", &num(dash.phase.to_mm()));
                self.w.write_attribute("DashPattern", &nums(&array));
            }
        }
    }

    fn fill(&mut self, paint: Option<&Paint>) {
        if let Some(paint) = paint {
            self.color("ofd:FillColor", paint);
        }
    }

    /// A colour as sRGB 0–255 (gradients and tilings as black: the
    /// template uses neither).
    fn color(&mut self, element: &str, paint: &Paint) {
        let [r, g, b, a] = match paint {
            Paint::Solid(c) => c.to_vec4_u8(),
            _ => [0, 0, 0, 255],
        };
        self.w.start_element(element);
        self.w.write_attribute("Value", &format!("{r} {g} {b}"));
        if a != 255 {
            self.w.write_attribute("Alpha", &a);
        }
        self.w.end_element();
    }

    fn image(&mut self, bytes: &[u8], format: &'static str, size: typst::layout::Size, ts: Transform) {
        let id = match self.shared.media.iter().find(|m| m.bytes == bytes) {
            Some(m) => m.id,
            None => {
                self.shared.next_id += 1;
                self.shared.media.push(Media { id: self.shared.next_id, format, bytes: bytes.to_vec() });
                self.shared.next_id
            }
        };
        let (w, h) = (size.x.to_mm(), size.y.to_mm());
        let mut p = self.place(ts, [0.0, 0.0, w, h]);
        // An image fills its unit square: the CTM scales it to its size.
        p.ctm = Some(match p.ctm {
            None => [w, 0.0, 0.0, h, 0.0, 0.0],
            Some([a, b, c, d, e, f]) => [a * w, b * w, c * h, d * h, e, f],
        });
        self.start("ofd:ImageObject", &p);
        self.w.write_attribute("ResourceID", &id);
        self.w.end_element();
    }
}

fn curve_ops(curve: &Curve, op: &mut impl FnMut(&str, &[Point])) {
    for item in curve.0.iter() {
        match item {
            CurveItem::Move(p) => op("M", &[*p]),
            CurveItem::Line(p) => op("L", &[*p]),
            CurveItem::Cubic(a, b, c) => op("B", &[*a, *b, *c]),
            CurveItem::Close => op("C", &[]),
        }
    }
}

/// An SVG as a PNG of `size` at 300 dpi (at most 4000 pixels a side).
fn rasterize(tree: &usvg::Tree, size: typst::layout::Size) -> Option<Vec<u8>> {
    let px = |mm: f64| (mm / 25.4 * 300.0).round().clamp(1.0, 4000.0) as u32;
    let (w, h) = (px(size.x.to_mm()), px(size.y.to_mm()));
    let mut pixmap = tiny_skia::Pixmap::new(w, h)?;
    let natural = tree.size();
    let t = tiny_skia::Transform::from_scale(w as f32 / natural.width(), h as f32 / natural.height());
    resvg::render(tree, t, &mut pixmap.as_mut());
    pixmap.encode_png().ok()
}
