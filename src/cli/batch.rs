//! `jixiao batch`: render many reports in one process, in parallel, with a
//! progress bar and a summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use jixiao::pipeline::batch::{Outcome, collect_inputs, run as run_batch, summary_csv};
use jixiao::pipeline::render::Options;

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件或文件夹（文件夹中的全部 .toml）
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出文件夹
    #[arg(short, long)]
    output: PathBuf,
    /// 并行数；缺省为 CPU 核数
    #[arg(long)]
    jobs: Option<usize>,
    /// 把汇总表另存为 CSV
    #[arg(long, value_name = "FILE.csv")]
    summary: Option<PathBuf>,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let files = collect_inputs(&args.inputs);
    if files.is_empty() {
        eprintln!("错误：没有找到 .toml 数据文件");
        return ExitCode::from(EXIT_INPUT);
    }
    if let Err(e) = std::fs::create_dir_all(&args.output) {
        eprintln!("错误：无法创建输出文件夹 {}：{e}", jixiao::base::diagnostic::shown_path(&args.output));
        return ExitCode::from(EXIT_OUTPUT);
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let options = Options { fonts: args.fonts.options(), subsets_ahead: false, ..Options::default() };
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let bar = if tty {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} 份 {elapsed_precise} 预计剩余 {eta} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let report = |o: &Outcome| {
        let line = match &o.error {
            None => format!("完成 {}", jixiao::base::diagnostic::shown_path(&o.file)),
            Some(e) => format!("失败 {}：{e}", jixiao::base::diagnostic::shown_path(&o.file)),
        };
        match &bar {
            Some(b) => {
                if o.error.is_some() {
                    b.println(line);
                }
                b.inc(1);
            }
            None => eprintln!("{line}"),
        }
    };
    let outcomes = run_batch(&files, &args.output, &options, jobs, &report);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    print_summary(&outcomes);
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    eprintln!(
        "共 {} 份：成功 {}，失败 {}；用时 {:.1} 秒（{} 个并行）",
        outcomes.len(),
        outcomes.len() - failed,
        failed,
        start.elapsed().as_secs_f64(),
        jobs
    );
    if let Some(csv) = &args.summary {
        let inputs: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        if let Err(m) = super::write_output(csv, summary_csv(&outcomes).as_bytes(), &inputs) {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_OUTPUT);
        }
        eprintln!("汇总表已写入 {}", jixiao::base::diagnostic::shown_path(&csv));
    }
    if failed > 0 { ExitCode::from(EXIT_INPUT) } else { ExitCode::SUCCESS }
}

fn print_summary(outcomes: &[Outcome]) {
    use super::{pad, pad_left};
    let files: Vec<String> = outcomes.iter().map(|o| jixiao::base::diagnostic::shown_path(&o.file)).collect();
    let width = files.iter().map(|f| unicode_width::UnicodeWidthStr::width(f.as_str())).max().unwrap_or(0).max(4);
    println!("{}  {}  {}  {}  {}  状态", pad("文件", width), pad_left("页数", 4), pad_left("总分", 7), pad("等级", 4), pad_left("警告", 4));
    for (o, file) in outcomes.iter().zip(&files) {
        println!(
            "{}  {}  {}  {}  {}  {}",
            pad(file, width),
            pad_left(&o.pages.map(|p| p.to_string()).unwrap_or_else(|| "-".into()), 4),
            pad_left(o.total_score.as_deref().unwrap_or("-"), 7),
            pad(o.grade.as_deref().unwrap_or("-"), 4),
            pad_left(&o.warnings.to_string(), 4),
            o.error.as_deref().unwrap_or("成功")
        );
    }
}
