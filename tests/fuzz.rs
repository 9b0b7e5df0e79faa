//! Structure-aware fuzzing of the two ways untrusted files come in.
//!
//! * Data: the example files, parsed, with hostile values put into random
//!   fields (and sometimes the text itself cut or spliced), run through
//!   check and render in this process. A panic, a case over 10 s or memory
//!   over 1 GiB fails.
//! * PDF: a rendered report with bytes flipped, cut, duplicated or
//!   replaced, and crafted streams, run through `jixiao verify` as a user
//!   would. Any exit but 0 or 1, or over 30 s, fails.
//!
//! `cargo test --release --test fuzz` runs a short, deterministic round of
//! each. The long runs recorded in docs/reliability.md are:
//!
//! ```sh
//! JIXIAO_FUZZ_SECONDS=1800 cargo test --release --test fuzz -- --ignored --nocapture fuzz_data_long
//! JIXIAO_FUZZ_SECONDS=1800 cargo test --release --test fuzz -- --ignored --nocapture fuzz_verify_long
//! ```
//!
//! (`JIXIAO_FUZZ_BIN=/path/to/jixiao` makes the PDF run use that binary.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{bin, repo};
use jixiao::pipeline::render::{Options, render_file};
use jixiao::input::source::DataFile;
use toml::Value;

/// A small deterministic generator (xorshift64*): the same seed, the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "1e28",
    "1,200.00",
    "38652418.36元",
    "99999999999999999999999999999",
    "79228162514264337593543950335",
    "0.000000000000000000000000001",
    "-1",
    "{income.total}",
    "{",
    "}{",
    "{unknown}",
    "\u{1b}]0;x\u{7}\u{1b}[2J",
    "\u{0}",
    "a\nb",
    "\u{202E}abc",
    "\u{200B}\u{200D}\u{FE0F}\u{E0101}",
    "𠀀𪚥𰻞",
    "😀",
    "\u{FFFF}",
    "一、部门的基本情况",
    "../../../etc/passwd",
    "/etc/passwd",
    "seal.png",
    "C:\\x",
    "元",
    "万元",
    "优",
];

fn hostile(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0..=3 => Value::String(rng.pick(STRINGS).to_string()),
        4 => Value::String("长".repeat(rng.below(20_000))),
        5 => Value::Integer(*rng.pick(&[0, -1, 1, 2, 99999, 4_294_967_295, i64::MAX, i64::MIN, 1_000_000_000_000_000])),
        6 => Value::Float(*rng.pick(&[0.0, -0.0, 1e-30, 5e28, 0.5, f64::NAN, f64::INFINITY, 1e300, -7.25])),
        7 => Value::Boolean(rng.below(2) == 0),
        8 => Value::Array(Vec::new()),
        9 => Value::Table(toml::Table::new()),
        10 => {
            let mut t = toml::Table::new();
            t.insert("text".into(), Value::String("合".into()));
            t.insert("rowspan".into(), Value::Integer(*rng.pick(&[0, 1, 2, 4_294_967_295, 10_000_000])));
            t.insert("colspan".into(), Value::Integer(*rng.pick(&[0, 1, 3, 4_294_967_295])));
            Value::Table(t)
        }
        _ => Value::Datetime(rng.pick(&["0000-01-01", "9999-12-31", "2024-02-29", "2023-03-01T10:00:00"]).parse().unwrap()),
    }
}

/// A hostile value of the same TOML type as `v` (a table or an array gets a
/// hostile value in one of its places instead).
fn same_kind(v: &Value, rng: &mut Rng) -> Value {
    for _ in 0..64 {
        let h = hostile(rng);
        if std::mem::discriminant(&h) == std::mem::discriminant(v) {
            return h;
        }
    }
    match v {
        Value::Array(a) if !a.is_empty() => {
            let mut a = a.clone();
            let i = rng.below(a.len());
            a[i] = same_kind(&a[i], rng);
            Value::Array(a)
        }
        Value::Table(t) if !t.is_empty() => {
            let mut t = t.clone();
            let keys: Vec<String> = t.keys().cloned().collect();
            let k = rng.pick(&keys).clone();
            let new = same_kind(&t[&k], rng);
            t.insert(k, new);
            Value::Table(t)
        }
        _ => hostile(rng),
    }
}

/// Every place in a value: a path of keys and indices.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn places(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Table(t) => {
            for (k, v) in t {
                here.push(Step::Key(k.clone()));
                places(v, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                here.push(Step::Index(i));
                places(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut v = v;
    for s in path {
        v = match (s, v) {
            (Step::Key(k), Value::Table(t)) => t.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// One mutated data file from `base`.
fn mutate_data(base: &str, rng: &mut Rng) -> String {
    let mut value: Value = toml::from_str(base).unwrap();
    let mut all = Vec::new();
    places(&value, &mut Vec::new(), &mut all);
    for _ in 0..1 + rng.below(4) {
        let path = rng.pick(&all).clone();
        let Some(slot) = at(&mut value, &path) else { continue };
        match rng.below(10) {
            // Grow an array: many copies of one element.
            0 => {
                if let Value::Array(a) = slot
                    && let Some(first) = a.first().cloned()
                {
                    let n = *rng.pick(&[2, 50, 2000]);
                    a.extend(std::iter::repeat_n(first, n));
                }
            }
            // Add an unknown or a known key to a table.
            1 => {
                if let Value::Table(t) = slot {
                    let key = rng.pick(&["titel", "weight", "score", "run_in", "bonus", "seal_image", "money_unit", "places", "decimals"]);
                    t.insert(key.to_string(), hostile(rng));
                }
            }
            // Mostly keep the type, so that the case gets past parsing into
            // the checks, the layout and the PDF export.
            2..=6 => *slot = same_kind(slot, rng),
            _ => *slot = hostile(rng),
        }
    }
    let mut text = toml::to_string(&value).unwrap_or_else(|_| base.to_string());
    // Sometimes damage the text itself.
    if rng.below(5) == 0 && !text.is_empty() {
        let cut = rng.below(text.len());
        let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        match rng.below(3) {
            0 => text.truncate(cut),
            1 => text.insert(cut, '"'),
            _ => text.insert_str(cut, "\n[[sections]]\ntitle = \"x\"\n"),
        }
    }
    text
}

fn max_rss_bytes() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

/// Run data cases for `budget` (or `cases` cases); returns a summary line.
fn fuzz_data(seed: u64, cases: usize, budget: Duration) -> String {
    let bases: Vec<String> = ["data/lechang-fulian-2022.toml", "data/example-full.toml"]
        .iter()
        .map(|p| std::fs::read_to_string(repo().join(p)).unwrap())
        .collect();
    let png = std::fs::read(repo().join("tests/fixtures/seal-test.png")).unwrap();
    let mut rng = Rng(seed);
    let start = Instant::now();
    let (mut n, mut rendered, mut slowest) = (0usize, 0usize, Duration::ZERO);
    // One worker thread for every case, as `batch` keeps its workers: a
    // thread per case gave the allocator a new arena each time, and the
    // process's memory grew with the number of cases, not with any one.
    let (jobs, job_rx) = mpsc::channel::<(String, BTreeMap<String, Vec<u8>>)>();
    let (done_tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (case_text, files) in job_rx {
            let result = std::panic::catch_unwind(|| {
                let file = DataFile::in_memory("fuzz.toml", case_text, files);
                let options = Options::default();
                render_file(file, &options, options.library()).is_ok()
            });
            if done_tx.send(result).is_err() {
                break;
            }
        }
    });
    while n < cases && start.elapsed() < budget {
        let base = &bases[rng.below(bases.len())];
        let text = mutate_data(base, &mut rng);
        let files = BTreeMap::from([("seal.png".to_string(), png.clone())]);
        let t0 = Instant::now();
        jobs.send((text.clone(), files)).expect("the fuzz worker is alive");
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(ok)) => rendered += usize::from(ok),
            Ok(Err(_)) => panic!("case {n} panicked; its data:\n{text}"),
            Err(_) => panic!("case {n} ran over 10 s; its data:\n{text}"),
        }
        slowest = slowest.max(t0.elapsed());
        n += 1;
        // Typst's layout cache lives on between cases, as in `batch`: evict
        // it as `batch` does, so the peak is what one case costs, not the sum.
        if n % 10 == 0 {
            typst::comemo::evict(0);
        }
    }
    let rss = max_rss_bytes();
    let summary = format!(
        "data: {n} cases in {:.0} s, {rendered} rendered, the rest refused with findings; slowest {:.2} s; peak RSS {} MiB; no panic, no hang",
        start.elapsed().as_secs_f64(),
        slowest.as_secs_f64(),
        rss >> 20
    );
    assert!(rss < 1 << 30, "peak memory {rss} bytes is over 1 GiB ({summary})");
    summary
}

/// `base` with its embedded data file replaced by `data` (stored plain).
fn with_data(base: &[u8], original: &str, data: &str) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(base).unwrap();
    for obj in doc.objects.values_mut() {
        if let lopdf::Object::Stream(st) = obj
            && st.decompressed_content().is_ok_and(|c| c == original.as_bytes())
        {
            st.set_plain_content(data.as_bytes().to_vec());
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// One mutated PDF from `base`, whose embedded data is `data`.
fn mutate_pdf(base: &[u8], data: &str, rng: &mut Rng) -> Vec<u8> {
    let mut b = base.to_vec();
    match rng.below(10) {
        8 | 9 => {
            // Hostile data inside an otherwise intact PDF: verify renders it.
            let text = mutate_data(data, rng);
            b = with_data(base, data, &text);
        }
        0 => {
            for _ in 0..1 + rng.below(20) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
        }
        1 => b.truncate(rng.below(b.len())),
        2 => {
            let i = rng.below(b.len());
            let j = (i + rng.below(4096)).min(b.len());
            let chunk = b[i..j].to_vec();
            let at = rng.below(b.len());
            b.splice(at..at, chunk);
        }
        3 => {
            // Replace a number with a huge or negative one (lengths, offsets, counts).
            let digits: Vec<usize> = b.iter().enumerate().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
            if !digits.is_empty() {
                let i = *rng.pick(&digits);
                let new = rng.pick(&["99999999999", "-1", "0", "4294967295", "18446744073709551616"]).as_bytes();
                b.splice(i..i + 1, new.iter().copied());
            }
        }
        4 => {
            // Deep nesting inserted after an `obj` keyword.
            if let Some(i) = b.windows(4).position(|w| w == b" obj") {
                let depth = *rng.pick(&[1000, 100_000, 1_000_000]);
                let nest: Vec<u8> = std::iter::repeat_n(b'[', depth).chain(std::iter::repeat_n(b']', depth)).collect();
                b.splice(i + 4..i + 4, nest);
            }
        }
        5 => {
            // Names of embedded files rewritten to paths.
            let evil = rng.pick(&["(../../x.toml)", "(/tmp/jixiao-fuzz-owned)", "(a/../../b)", "(\x1b[2J)"]);
            if let Some(i) = b.windows(4).position(|w| w == b"/UF ") {
                let end = b[i..].iter().position(|&c| c == b'/' || c == b'>').map_or(b.len(), |e| i + 4 + e.max(1) - 1);
                b.splice(i + 4..end.max(i + 4), evil.bytes());
            }
        }
        6 => b.extend_from_slice(b"\n%%EOF garbage \x00\xff trailer << /Root 9999 0 R /Size -5 >>"),
        _ => {
            for _ in 0..rng.below(5) + 1 {
                let i = rng.below(b.len());
                let len = rng.below(256).min(b.len() - i);
                b.drain(i..i + len);
            }
        }
    }
    b
}

fn fuzz_verify(seed: u64, cases: usize, budget: Duration) -> String {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("data/example-full.toml")).unwrap();
    let data = common::write_data(dir.path(), "v.toml", &text);
    let base = common::render_ok(&data, dir.path());
    let base = std::fs::read(base).unwrap();
    let case = dir.path().join("case.pdf");
    let mut rng = Rng(seed);
    let start = Instant::now();
    let (mut n, mut slowest) = (0usize, Duration::ZERO);
    let mut outcomes: BTreeMap<i32, usize> = BTreeMap::new();
    while n < cases && start.elapsed() < budget {
        let bytes = mutate_pdf(&base, &text, &mut rng);
        std::fs::write(&case, &bytes).unwrap();
        let t0 = Instant::now();
        // JIXIAO_FUZZ_BIN runs a copy of the binary, so a long run can go on while the tree is rebuilt.
        let mut command = match std::env::var_os("JIXIAO_FUZZ_BIN") {
            Some(p) => std::process::Command::new(p),
            None => bin(),
        };
        let mut child = command.args(["verify", case.to_str().unwrap()]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if t0.elapsed() > Duration::from_secs(150) {
                let _ = child.kill();
                let _ = std::fs::write("/tmp/jixiao-fuzz-hang.pdf", &bytes);
                panic!("case {n} hung (saved to /tmp/jixiao-fuzz-hang.pdf)");
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        slowest = slowest.max(t0.elapsed());
        let code = status.code().unwrap_or(-1);
        if !matches!(code, 0 | 1) {
            let _ = std::fs::write("/tmp/jixiao-fuzz-crash.pdf", &bytes);
            panic!("case {n}: verify exited {status:?} (saved to /tmp/jixiao-fuzz-crash.pdf)");
        }
        *outcomes.entry(code).or_default() += 1;
        n += 1;
    }
    assert!(!Path::new("/tmp/jixiao-fuzz-owned").exists(), "verify wrote a file named in the PDF");
    format!(
        "verify: {n} cases in {:.0} s, exit codes {outcomes:?}; slowest {:.2} s; no crash, no hang, nothing written",
        start.elapsed().as_secs_f64(),
        slowest.as_secs_f64()
    )
}

fn long_budget() -> Duration {
    Duration::from_secs(std::env::var("JIXIAO_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60))
}

#[test]
fn fuzz_data_short() {
    eprintln!("{}", fuzz_data(0x9d8e_4283_7db0_7b56, 60, Duration::from_secs(600)));
}

#[test]
fn fuzz_verify_short() {
    eprintln!("{}", fuzz_verify(0x7db0_7b56_9d8e_4283, 40, Duration::from_secs(600)));
}

#[test]
#[ignore = "long run: set JIXIAO_FUZZ_SECONDS"]
fn fuzz_data_long() {
    let seed = std::env::var("JIXIAO_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    eprintln!("{}", fuzz_data(seed, usize::MAX, long_budget()));
}

#[test]
#[ignore = "long run: set JIXIAO_FUZZ_SECONDS"]
fn fuzz_verify_long() {
    let seed = std::env::var("JIXIAO_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    eprintln!("{}", fuzz_verify(seed, usize::MAX, long_budget()));
}
