//! Many reports in one process: fonts and the template are parsed once and
//! shared, reports are rendered in parallel, and one bad file never stops
//! the others.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::base::diagnostic::{Finding, Severity};
use crate::base::files::{output_target, write_atomically};
use crate::pipeline::render::{Failure, Options, render_with};

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

/// An input found: a data file, or an entry that could not be read (an
/// unreadable folder, a symbolic link loop), which the summary names.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub problem: Option<String>,
}

/// The `.toml` files named by `inputs`: files as given, folders' files
/// sorted. Nothing is skipped in silence: a folder that cannot be read and a
/// `.toml` entry that is not a readable file come back with their problem.
pub fn collect_inputs(inputs: &[PathBuf]) -> Vec<Input> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let entries = match std::fs::read_dir(p) {
                Ok(e) => e,
                Err(e) => {
                    files.push(Input { path: p.clone(), problem: Some(format!("无法读取文件夹：{}", crate::input::source::io_why(&e))) });
                    continue;
                }
            };
            let mut in_dir: Vec<Input> = Vec::new();
            for entry in entries {
                match entry {
                    Ok(e) => {
                        let f = e.path();
                        if f.extension().is_some_and(|x| x == "toml") && !f.is_dir() {
                            let problem = match std::fs::metadata(&f) {
                                Ok(m) if m.is_file() => None,
                                Ok(_) => Some("不是普通文件".to_string()),
                                Err(e) => Some(format!("无法读取：{}", crate::input::source::io_why(&e))),
                            };
                            in_dir.push(Input { path: f, problem });
                        }
                    }
                    Err(e) => in_dir.push(Input { path: p.clone(), problem: Some(format!("文件夹中有无法读取的条目：{}", crate::input::source::io_why(&e))) }),
                }
            }
            in_dir.sort_by(|a, b| a.path.cmp(&b.path));
            files.extend(in_dir);
        } else {
            files.push(Input { path: p.clone(), problem: None });
        }
    }
    files
}

/// The PDF name of each input in `out_dir`: its stem, or, where two inputs
/// share a stem (`a/报告.toml`, `b/报告.toml`), the stem with its folders
/// (`a-报告.pdf`). Names that still coincide (non-UTF-8 names that read the
/// same) are `Err` for every input involved, never a silent overwrite.
pub fn output_names(files: &[Input], out_dir: &Path) -> Vec<Result<PathBuf, String>> {
    use std::collections::HashMap;
    let stem = |p: &Path| p.file_stem().map_or("report".into(), |s| s.to_string_lossy().into_owned());
    let mut count: HashMap<String, usize> = HashMap::new();
    for f in files {
        *count.entry(stem(&f.path)).or_default() += 1;
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            let s = stem(&f.path);
            if count[&s] == 1 {
                return s;
            }
            let parts: Vec<String> = f
                .path
                .parent()
                .into_iter()
                .flat_map(|d| d.components())
                .filter_map(|c| match c {
                    std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            parts.into_iter().chain([s]).collect::<Vec<_>>().join("-")
        })
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for n in &names {
        *seen.entry(n.as_str()).or_default() += 1;
    }
    files
        .iter()
        .zip(&names)
        .map(|(f, n)| {
            if seen[n.as_str()] > 1 {
                let others: Vec<String> = files
                    .iter()
                    .zip(&names)
                    .filter(|(g, m)| *m == n && g.path != f.path)
                    .map(|(g, _)| crate::base::diagnostic::shown_path(&g.path))
                    .collect();
                Err(format!("输出文件名 {n}.pdf 与 {} 的相同，为免互相覆盖，两份都未生成；请改名后再试", others.join("、")))
            } else {
                Ok(out_dir.join(format!("{n}.pdf")))
            }
        })
        .collect()
}

/// Render every file into `out_dir` with `jobs` threads; `progress` is told
/// of each finished file. Results come back in input order.
pub fn run(files: &[Input], out_dir: &Path, options: &Options, jobs: usize, progress: &(dyn Fn(&Outcome) + Sync)) -> Vec<Outcome> {
    let library = options.library();
    let outputs = output_names(files, out_dir);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(files.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let outcome = match (&file.problem, &outputs[i]) {
                        (Some(problem), _) | (None, Err(problem)) => failed(&file.path, problem.clone()),
                        (None, Ok(out)) => {
                            // A defect met by one report is that report's failure; the rest go on.
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(&file.path, out, options, library.clone())))
                                .unwrap_or_else(|_| failed(&file.path, "内部错误（jixiao 的程序缺陷，请报告此问题）".into()))
                        }
                    };
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

fn failed(file: &Path, error: String) -> Outcome {
    Outcome {
        file: file.to_path_buf(),
        output: None,
        pages: None,
        total_score: None,
        grade: None,
        warnings: 0,
        error: Some(error),
        findings: Vec::new(),
    }
}

fn one(file: &Path, out: &Path, options: &Options, library: std::sync::Arc<crate::layout::fonts::FontLibrary>) -> Outcome {
    let mut outcome = failed(file, String::new());
    outcome.error = None;
    let out = out.to_path_buf();
    match render_with(file, options, library) {
        Ok(r) => {
            outcome.pages = Some(r.pages);
            outcome.total_score = r.prepared.derived.scores.total.map(|t| t.to_string());
            outcome.grade = r.prepared.derived.scores.grade.clone();
            outcome.warnings = r.prepared.findings.iter().filter(|f| f.severity == Severity::Warning).count();
            outcome.findings = r.prepared.findings;
            let mut inputs = vec![file.to_path_buf()];
            let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            inputs.extend(r.prepared.assets.iter().map(|(n, _)| dir.join(n)));
            let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
            let written = output_target(&out, &refs)
                .and_then(|t| write_atomically(&t, &r.bytes).map_err(|e| format!("无法写入 {}：{e}", crate::base::diagnostic::shown_path(&out))));
            match written {
                Ok(()) => outcome.output = Some(out),
                Err(m) => outcome.error = Some(m),
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
