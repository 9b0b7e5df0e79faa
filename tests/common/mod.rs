//! Helpers shared by the integration tests: run the binary, read PDFs.
#![allow(dead_code)]

pub mod layout;
pub mod sign;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test; `JIXIAO_TEST_BIN` names another (an older build,
/// to show that a test fails on it).
pub fn bin() -> Command {
    Command::new(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed_data() -> PathBuf {
    repo().join("data/lechang-fulian-2022.toml")
}

/// Run `jixiao args…` and return its output.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run jixiao")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Render `data` to `dir/out.pdf`, asserting success; returns the PDF path.
pub fn render_ok(data: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("out.pdf");
    let o = run(&["render", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "render failed: {}", stderr(&o));
    out
}

/// Write a data file into `dir` and return its path.
pub fn write_data(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The text of every page of a PDF, through its ToUnicode maps.
pub fn pdf_text(path: &Path) -> String {
    pdf_extract::extract_text(path).expect("extract PDF text")
}

/// Drop all whitespace: line breaks and inter-script spacing are layout, not text.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Length of the longest common subsequence of two char sequences.
pub fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for ca in a {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as usize
}
