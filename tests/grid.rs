//! The GB/T 9704 grid, measured on the laid-out pages of the seed: full pages
//! hold 22 body lines, and hanzi advance 156mm / 28 = 15.79pt.

mod common;

use std::collections::BTreeMap;

use jixiao::pipeline::render::{Options, prepare, typeset};
use common::layout::glyphs;
use typst::layout::Transform;

const PT_PER_MM: f64 = 72.0 / 25.4;

fn is_hanzi(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[test]
fn body_sits_on_a_22_by_28_grid() {
    let options = Options::default();
    let prepared = prepare(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lechang-fulian-2022.toml"), &options)
        .unwrap_or_else(|f| panic!("{f:?}"));
    let (doc, _) = typeset(&prepared, &options).unwrap_or_else(|_| panic!("typeset"));
    let area_bottom = (297.0 - 35.0) * PT_PER_MM;
    let mut full_pages = 0;
    let mut advances = Vec::new();
    for (n, page) in doc.pages().iter().enumerate() {
        let mut gs = Vec::new();
        glyphs(&page.frame, Transform::identity(), &mut gs);
        // Body lines: 16pt glyphs inside the type area, grouped by baseline.
        let mut lines: BTreeMap<i64, Vec<(f64, char)>> = BTreeMap::new();
        for gl in gs {
            if (gl.size - 16.0).abs() < 0.01 && gl.y < area_bottom {
                lines.entry((gl.y * 10.0).round() as i64).or_default().push((gl.x, gl.c));
            }
        }
        let baselines: Vec<f64> = lines.keys().map(|&k| k as f64 / 10.0).collect();
        // Lines are a whole number of pitches apart.
        let pitch = (225.0 * PT_PER_MM - 16.0) / 21.0;
        for w in baselines.windows(2) {
            let steps = (w[1] - w[0]) / pitch;
            assert!((steps - steps.round()).abs() < 0.01, "page {}: lines {w:?} off the grid", n + 1);
        }
        if n > 0 && n + 1 < doc.pages().len() && baselines.len() == 22 {
            full_pages += 1;
        }
        assert!(baselines.len() <= 22, "page {} has {} lines", n + 1, baselines.len());
        for chars in lines.values_mut() {
            // Latin letters and digits are not a whole number of cells wide, so a
            // justified line holding them cannot keep the grid; judge the others.
            // (A line whose last characters kinsoku pushes down is stretched too:
            // Typst cannot hang punctuation in the margin as Word does.)
            if chars.iter().any(|(_, c)| c.is_ascii()) {
                continue;
            }
            chars.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in chars.windows(2) {
                if is_hanzi(w[0].1) && is_hanzi(w[1].1) {
                    advances.push(w[1].0 - w[0].0);
                }
            }
        }
    }
    assert!(full_pages >= 10, "only {full_pages} pages with 22 lines");
    let cell = 156.0 * PT_PER_MM / 28.0;
    let on_grid = advances.iter().filter(|a| (**a - cell).abs() < 0.02).count();
    assert!(on_grid as f64 >= 0.95 * advances.len() as f64, "{on_grid} of {} hanzi pairs advance {cell:.2}pt", advances.len());
}
