//! `jixiao import`: last year's report (.txt, .docx, .pdf) into a data file.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::base::diagnostic::{shown, shown_path};

use super::{EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE};

#[derive(clap::Args)]
pub struct Args {
    /// 去年的报告：.docx、.txt（UTF-8 或 GBK）或带文字层的 .pdf
    file: PathBuf,
    /// 要写出的数据文件；缺省为报告旁的同名 .toml。已存在时不会覆盖
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// 把报告改为这一年度，原文的金额作为上年数（prior）保留
    #[arg(long)]
    year: Option<i32>,
}

pub fn run(args: Args) -> ExitCode {
    if let Some(y) = args.year {
        if !jixiao::input::model::YEARS.contains(&y) {
            eprintln!("错误：--year {y} 超出范围：应为 {} 到 {} 之间的年份", jixiao::input::model::YEARS.start(), jixiao::input::model::YEARS.end());
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let out = args.output.clone().unwrap_or_else(|| args.file.with_extension("toml"));
    if out == args.file {
        eprintln!("{} 错误：输出文件不能是输入文件本身", shown_path(&out));
        return ExitCode::from(EXIT_USAGE);
    }
    // Refuse early, before the work: never overwrite.
    if std::fs::symlink_metadata(&out).is_ok() {
        eprintln!("{} 错误：文件已存在，未做任何改动；请用 -o 换一个文件名", shown_path(&out));
        return ExitCode::from(EXIT_INPUT);
    }
    // A PDF from elsewhere is parsed in a limited child process.
    let imported = match std::env::current_exe() {
        Ok(exe) => jixiao::import::import_isolated(&args.file, args.year, &exe),
        Err(_) => jixiao::import::import(&args.file, args.year),
    };
    let (text, summary) = match imported {
        Ok(r) => r,
        Err(why) => {
            // Messages may quote the file (a name, a label): escaped, as every message is.
            eprintln!("{} 错误：{}", shown_path(&args.file), shown(&why));
            return ExitCode::from(EXIT_INPUT);
        }
    };
    // What is written must read back as TOML.
    if let Err(e) = toml::from_str::<toml::Table>(&text) {
        eprintln!("错误：导入结果无法读回（{}），未写入；请报告此问题", jixiao::base::diagnostic::shown(e.message()));
        return ExitCode::from(EXIT_OUTPUT);
    }
    match jixiao::base::files::write_new(&out, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("{} 错误：文件已存在，未做任何改动；请用 -o 换一个文件名", shown_path(&out));
            return ExitCode::from(EXIT_INPUT);
        }
        Err(e) => {
            eprintln!("{} 错误：无法写入：{e}", shown_path(&out));
            return ExitCode::from(EXIT_OUTPUT);
        }
    }
    let levels: Vec<String> = summary
        .sections_per_level
        .iter()
        .enumerate()
        .map(|(i, n)| format!("第{}级 {n} 个", ["一", "二", "三", "四", "五", "六", "七", "八"].get(i).unwrap_or(&"更深")))
        .collect();
    println!("已从{}导入：{}", summary.source_kind, shown_path(&args.file));
    println!("  标题：{}", if levels.is_empty() { "无".to_string() } else { levels.join("，") });
    println!("  段落：{} 个，列表：{} 个，表格：{} 个", summary.paragraphs, summary.lists, summary.tables);
    println!("  收支数字：{} 句转为 [finance] 与占位符", summary.figures);
    if !summary.notes.is_empty() {
        println!("需要核对的地方（{} 处）：", summary.notes.len());
        for n in &summary.notes {
            println!("  - {}", shown(n));
        }
    }
    println!("已写出 {}；下一步：jixiao check {}", shown_path(&out), shown_path(&out));
    ExitCode::SUCCESS
}
