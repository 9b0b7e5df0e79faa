//! Whole processes, as a user starts them: `jixiao check` and `jixiao render`
//! on the seed report and on a one-paragraph report, each against
//! `typst compile` of the same document (jixiao's own Typst project, written
//! by `write_typst_project`, with the same fonts), in turn A B A B…, with
//! the ratio taken pair by pair. Prints medians of wall time and peak memory.
//!
//!     TYPST=/path/to/typst cargo bench --bench cold     # typst 0.15 CLI; `typst` on PATH otherwise
//!     ROUNDS=15 …                                         # pairs per case (default 9)

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Wall seconds and peak resident memory (MiB) of one run of `cmd`.
fn run(cmd: &[String]) -> (f64, f64) {
    let start = Instant::now();
    let child = Command::new(&cmd[0]).args(&cmd[1..]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("the command starts");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it in for the
    // child just spawned, which nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed");
    (wall, usage.ru_maxrss as f64 / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn strings(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(9);
    let jixiao = env!("CARGO_BIN_EXE_jixiao");
    let typst = std::env::var("TYPST").unwrap_or_else(|_| "typst".into());
    let have_typst = Command::new(&typst).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let one = dir.path().join("one-paragraph.toml");
    std::fs::write(&one, "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"一段正文。\"\n").expect("written");
    let fonts = repo("fonts");
    println!("{:<28} {:>10} {:>10} {:>10} {:>12} {:>12}", "case", "jixiao ms", "typst ms", "ratio", "jixiao MiB", "typst MiB");
    for (name, data) in [("seed", repo("data/lechang-fulian-2022.toml")), ("one paragraph", one.clone())] {
        let project = dir.path().join(format!("proj-{}", name.replace(' ', "-")));
        jixiao::pipeline::render::write_typst_project(&data, &project).expect("the project is written");
        let pdf = dir.path().join("out.pdf");
        let typst_cmd = strings(&[
            &typst,
            "compile",
            "--root",
            &project.to_string_lossy(),
            "--font-path",
            &fonts.to_string_lossy(),
            "--ignore-system-fonts",
            &project.join("report.typ").to_string_lossy(),
            &project.join("out.pdf").to_string_lossy(),
        ]);
        for verb in ["check", "render"] {
            let mut cmd = strings(&[jixiao, verb, &data.to_string_lossy()]);
            if verb == "render" {
                cmd.extend(strings(&["-o", &pdf.to_string_lossy()]));
            }
            run(&cmd);
            if have_typst {
                run(&typst_cmd);
            }
            let (mut a, mut b, mut ratio, mut a_mem, mut b_mem) = (vec![], vec![], vec![], vec![], vec![]);
            for _ in 0..rounds {
                let (t, m) = run(&cmd);
                a.push(t * 1000.0);
                a_mem.push(m);
                if have_typst {
                    let (u, n) = run(&typst_cmd);
                    b.push(u * 1000.0);
                    b_mem.push(n);
                    ratio.push(t / u);
                }
            }
            let label = format!("jixiao {verb} ({name})");
            if have_typst {
                println!(
                    "{label:<28} {:>10.1} {:>10.1} {:>10.2} {:>12.1} {:>12.1}",
                    median(a),
                    median(b),
                    median(ratio),
                    median(a_mem),
                    median(b_mem)
                );
            } else {
                println!("{label:<28} {:>10.1} {:>10} {:>10} {:>12.1} {:>12}", median(a), "-", "-", median(a_mem), "-");
            }
        }
    }
    if !have_typst {
        println!("（没有找到 typst 0.15 命令行：用 TYPST=路径 指定，才能并排比较）");
    }
    println!("median of {rounds} runs each; ratio = jixiao / typst, pair by pair");
}
