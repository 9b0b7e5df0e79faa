//! Many reports in one process: fonts and the template are parsed once and
//! shared, reports are rendered in parallel, and one bad file never stops
//! the others.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::diagnostic::{Finding, Severity};
use crate::pdf::write_atomically;
use crate::render::{Failure, Options, render_with};

/// The outcome for one data file.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub file: PathBuf,
    pub output: Option<PathBuf>,
    pub pages: Option<usize>,
    pub total_score: Option<String>,
    pub grade: Option<String>,
    pub warnings: usize,
    /// `None` when the PDF was written; else why not.
    pub error: Option<String>,
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// The `.toml` files named by `inputs`: files as given, folders' files sorted.
pub fn collect_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut in_dir: Vec<PathBuf> = std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|e| e == "toml") && f.is_file())
                .collect();
            in_dir.sort();
            files.extend(in_dir);
        } else {
            files.push(p.clone());
        }
    }
    files
}

/// Render every file into `out_dir` with `jobs` threads; `progress` is told
/// of each finished file. Results come back in input order.
pub fn run(files: &[PathBuf], out_dir: &Path, options: &Options, jobs: usize, progress: &(dyn Fn(&Outcome) + Sync)) -> Vec<Outcome> {
    let library = options.library();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(files.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let outcome = one(file, out_dir, options, library.clone());
                    progress(&outcome);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                    // Keep memory flat over thousands of files: drop cached
                    // layout results older than a few reports.
                    typst::comemo::evict(4);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

fn one(file: &Path, out_dir: &Path, options: &Options, library: std::sync::Arc<crate::fonts::FontLibrary>) -> Outcome {
    let mut outcome = Outcome {
        file: file.to_path_buf(),
        output: None,
        pages: None,
        total_score: None,
        grade: None,
        warnings: 0,
        error: None,
        findings: Vec::new(),
    };
    let stem = file.file_stem().map_or("report".into(), |s| s.to_string_lossy().into_owned());
    let out = out_dir.join(format!("{stem}.pdf"));
    match render_with(file, options, library) {
        Ok(r) => {
            outcome.pages = Some(r.pages);
            outcome.total_score = r.prepared.derived.total_score.map(|t| t.to_string());
            outcome.grade = r.prepared.derived.grade.clone();
            outcome.warnings = r.prepared.findings.iter().filter(|f| f.severity == Severity::Warning).count();
            outcome.findings = r.prepared.findings;
            match write_atomically(&out, &r.bytes) {
                Ok(()) => outcome.output = Some(out),
                Err(e) => outcome.error = Some(format!("无法写入 {}：{e}", out.display())),
            }
        }
        Err(Failure::Input(findings)) => {
            let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
            outcome.warnings = findings.len() - errors.len();
            outcome.error = Some(match errors.first() {
                Some(f) => {
                    let more = if errors.len() > 1 { format!("（另有 {} 个错误）", errors.len() - 1) } else { String::new() };
                    format!("{}{more}", f.to_string().lines().next().unwrap_or_default())
                }
                None => "数据有误".into(),
            });
            outcome.findings = findings;
        }
        Err(Failure::Output(m)) => outcome.error = Some(m),
    }
    outcome
}

/// The summary as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese).
pub fn summary_csv(outcomes: &[Outcome]) -> String {
    let esc = |s: &str| if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() };
    let mut out = String::from("\u{FEFF}文件,页数,总分,等级,警告,状态\n");
    for o in outcomes {
        let status = o.error.clone().unwrap_or_else(|| "成功".into());
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            esc(&o.file.display().to_string()),
            o.pages.map(|p| p.to_string()).unwrap_or_default(),
            o.total_score.clone().unwrap_or_default(),
            esc(&o.grade.clone().unwrap_or_default()),
            o.warnings,
            esc(&status)
        ));
    }
    out
}
