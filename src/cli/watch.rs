//! `jixiao watch`: render again whenever the data file (or an image it
//! names) changes. The compiler's caches live on between runs, so a
//! re-render costs less than the first; a run with errors keeps the last
//! good PDF in place.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use jixiao::pipeline::render::{Failure, Options, Rendered, render};

use super::{DataToPdf, EXIT_INPUT, FontArgs, inputs_of, print_findings, write_output};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: DataToPdf,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let out = args.target.pdf_path();
    let options = Options { fonts: args.fonts.options(), ..Options::default() };
    let dir = args.target.data.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        use notify::EventKind::{Create, Modify, Remove};
        use notify::event::ModifyKind;
        // Reading the data (ours included) raises access events: only writes count.
        if let Ok(ev) = ev
            && matches!(ev.kind, Create(_) | Remove(_) | Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any))
        {
            let _ = tx.send(ev.paths);
        }
    }) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("错误：无法监视文件变化：{e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    // Watch the folder: editors often save by writing a new file and renaming it.
    if let Err(e) = watcher.watch(&dir, RecursiveMode::Recursive) {
        eprintln!("错误：无法监视 {}：{e}", jixiao::base::diagnostic::shown_path(&dir));
        return ExitCode::from(EXIT_INPUT);
    }
    eprintln!("正在监视 {}（按 Ctrl+C 结束）", jixiao::base::diagnostic::shown_path(&args.target.data));
    let mut watched = once(&args.target.data, &out, &options);
    loop {
        let Ok(paths) = rx.recv() else { return ExitCode::SUCCESS };
        if !paths.iter().any(|p| is_watched(p, &watched)) {
            continue;
        }
        // Let a burst of events from one save settle.
        std::thread::sleep(Duration::from_millis(150));
        while rx.try_recv().is_ok() {}
        watched = once(&args.target.data, &out, &options);
    }
}

fn is_watched(p: &Path, watched: &[PathBuf]) -> bool {
    let canon = |x: &Path| x.canonicalize().unwrap_or_else(|_| x.to_path_buf());
    watched.iter().any(|w| canon(w) == canon(p) || w.file_name() == p.file_name())
}

/// One render; returns the files to watch (the data and what it names).
fn once(data: &Path, out: &Path, options: &Options) -> Vec<PathBuf> {
    let start = Instant::now();
    let mut watched = vec![data.to_path_buf()];
    // One bad save must not end the session: a defect is reported, and the
    // next save is rendered again.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(data, options)));
    let Ok(result) = result else {
        eprintln!("[{:.2} 秒] 内部错误，保留上一次的 PDF", start.elapsed().as_secs_f64());
        return watched;
    };
    match result {
        Ok(Rendered { bytes, pages, prepared, .. }) => {
            print_findings(&prepared.findings);
            let dir = data.parent().unwrap_or(Path::new("."));
            watched.extend(prepared.assets.iter().map(|(name, _)| dir.join(name)));
            match write_output(out, &bytes, &inputs_of(&prepared)) {
                Ok(()) => eprintln!("[{:.2} 秒] 已生成 {}（{pages} 页）", start.elapsed().as_secs_f64(), jixiao::base::diagnostic::shown_path(&out)),
                Err(m) => eprintln!("错误：{m}"),
            }
        }
        Err(Failure::Input(findings)) => {
            print_findings(&findings);
            eprintln!("[{:.2} 秒] 数据有误，保留上一次的 PDF", start.elapsed().as_secs_f64());
        }
        Err(Failure::Output(m)) => eprintln!("错误：{m}；保留上一次的 PDF"),
    }
    // Keep memory flat over a long session.
    typst::comemo::evict(10);
    watched
}
