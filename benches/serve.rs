//! Benchmark (criterion) of `jixiao serve`'s edit loop on the seed: one
//! paragraph edited, then the image of every page that changed, through the
//! same `Session` calls the server makes for `POST /api/edit` (the state
//! answered to the page) and `GET /page/N.png`. Each edit writes a new text,
//! so no edit is answered from an earlier one's caches.
//!
//! Besides criterion's estimates, every timed edit is kept and the mean,
//! median, p95 and maximum are printed at the end (criterion's samples are
//! averages over several edits each, which hides the slow tail).
//! Results: docs/performance.md.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::pipeline::render::Options;
use jixiao::serve::Session;

/// The paragraph the browser test edits too (一、（一）2. 的第一段).
const PARAGRAPH: &str = "sections[0].sections[0].sections[1].blocks[0].paragraph";

/// One edit as the browser makes it: the edit, the state sent back, and
/// the PNG of each page whose version changed. Returns the pages drawn
/// (their numbers) and the time spent drawing them.
fn edit_to_images(s: &mut Session, text: &str) -> (Vec<usize>, Duration) {
    let before = s.state()["pages"].clone();
    s.edit(PARAGRAPH, Some(text)).expect("the edit applies");
    let state = s.state();
    let pages = state["pages"].as_array().expect("page versions");
    let t = Instant::now();
    let mut drawn = Vec::new();
    for (i, v) in pages.iter().enumerate() {
        if before.get(i) != Some(v) {
            s.page_png(i, v.as_str().unwrap()).expect("the changed page renders");
            drawn.push(i + 1);
        }
    }
    (drawn, t.elapsed())
}

fn edit_loop(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("lechang-fulian-2022.toml");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lechang-fulian-2022.toml"), &data).unwrap();
    let mut session = Session::open(&data, Options::default()).unwrap_or_else(|_| panic!("the seed opens"));
    // The editor shows every page once before the first edit.
    let first = session.state();
    for (i, v) in first["pages"].as_array().unwrap().iter().enumerate() {
        session.page_png(i, v.as_str().unwrap()).unwrap();
    }
    let mut n = 0u64;
    let mut times: Vec<Duration> = Vec::new();
    let mut pages_drawn = 0usize;
    let mut drawing = Duration::ZERO;
    let mut which = std::collections::BTreeMap::<usize, usize>::new();
    let mut g = c.benchmark_group("serve");
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(15));
    g.bench_function("edit_to_page_png", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let text = format!("我部门无下属单位（第{n}次核实）。");
                let t = Instant::now();
                let (drawn, draw_time) = edit_to_images(&mut session, &text);
                let d = t.elapsed();
                pages_drawn += drawn.len();
                drawing += draw_time;
                for p in drawn {
                    *which.entry(p).or_default() += 1;
                }
                times.push(d);
                total += d;
            }
            total
        })
    });
    g.finish();
    report(&mut times, pages_drawn, drawing);
    println!("pages drawn (page: times): {which:?}");
}

/// Mean, median, p95 and maximum of every timed edit.
fn report(times: &mut [Duration], pages: usize, drawing: Duration) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    println!(
        "serve/edit_to_page_png over {} edits: mean {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms; {:.2} pages drawn per edit",
        times.len(),
        mean,
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1]),
        pages as f64 / times.len() as f64
    );
    println!(
        "  of which drawing and encoding the PNGs: {:.1} ms per page; the rest (edit, check, incremental layout, state): {:.1} ms per edit",
        ms(drawing) / pages.max(1) as f64,
        mean - ms(drawing) / times.len() as f64
    );
}

criterion_group!(benches, edit_loop);
criterion_main!(benches);
