//! Benchmarks (criterion): the seed in-process by stage, the fixed cost of a
//! one-paragraph report, and a batch of 50 variants of the full example.
//! Results and the comparison with the typst CLI: docs/performance.md.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::pipeline::batch;
use jixiao::archive::pdf::{self, Standard};
use jixiao::pipeline::render::{Options, prepare, render, typeset};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn seed(c: &mut Criterion) {
    let data = repo("data/lechang-fulian-2022.toml");
    let options = Options::default();
    let mut g = c.benchmark_group("seed");
    g.sample_size(20);
    g.bench_function("parse_check", |b| b.iter(|| prepare(&data, &options).ok().unwrap()));
    let prepared = prepare(&data, &options).ok().unwrap();
    // Layout with the compiler's caches cleared each time, as a cold render has them.
    g.bench_function("layout", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            typeset(&prepared, &options).ok().unwrap()
        })
    });
    let (doc, _) = typeset(&prepared, &options).ok().unwrap();
    g.bench_function("pdf_export", |b| b.iter(|| pdf::export(&doc, Standard::A3b, prepared.date).unwrap()));
    g.bench_function("render_total", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            render(&data, &options).ok().unwrap()
        })
    });
    g.finish();
}

fn minimal(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("min.toml");
    std::fs::write(&data, "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"一段正文。\"\n").unwrap();
    let options = Options::default();
    let mut g = c.benchmark_group("minimal");
    g.sample_size(20);
    g.bench_function("render", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            render(&data, &options).ok().unwrap()
        })
    });
    g.finish();
}

fn batch50(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo("data/example-full.toml")).unwrap();
    let files: Vec<batch::Input> = (0..50)
        .map(|i| {
            let p = dir.path().join(format!("r{i:02}.toml"));
            std::fs::write(&p, text.replace("示例市示例局", &format!("示例市第{i}局"))).unwrap();
            batch::Input { path: p, problem: None }
        })
        .collect();
    let out = tempfile::tempdir().unwrap();
    let options = Options::default();
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.bench_function("example_full_x50", |b| {
        b.iter(|| {
            let r = batch::run(&files, out.path(), &options, jobs, &|_| {});
            assert!(r.iter().all(|o| o.error.is_none()));
        })
    });
    g.finish();
}

criterion_group!(benches, seed, minimal, batch50);
criterion_main!(benches);
