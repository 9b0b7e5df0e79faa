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
    /// 转入这一年度：金额的原数作为上年数（prior），不写 -o 时文件名中的年份随之改好，并列出正文中其余写着旧年份的地方
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
    // With a new year and no name given, the file is named for the new year
    // once the old one is known (below): last year's name is never the one written.
    let named = args.output.clone().or_else(|| args.year.is_none().then(|| args.file.with_extension("toml")));
    if let Some(out) = &named
        && *out != args.file
    {
        // Refuse early, before the work: never overwrite.
        if std::fs::symlink_metadata(out).is_ok() {
            eprintln!("{} 错误：文件已存在，未做任何改动；请用 -o 换一个文件名", shown_path(out));
            return ExitCode::from(EXIT_INPUT);
        }
    }
    // A PDF from elsewhere is parsed in a limited child process.
    let imported = match std::env::current_exe() {
        Ok(exe) => jixiao::import::import_isolated(&args.file, &exe),
        Err(_) => jixiao::import::import(&args.file),
    };
    let (text, summary) = match imported {
        Ok(r) => r,
        Err(why) => {
            // Messages may quote the file (a name, a label): escaped, as every message is.
            eprintln!("{} 错误：{}", shown_path(&args.file), shown(&why));
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let (text, moved) = match args.year {
        None => (text, None),
        Some(y) if jixiao::input::new_year::year_of(&text) == Some(y) => (text, None),
        Some(y) => match jixiao::input::new_year::advance(&text, y) {
            Ok(n) => (n.text.clone(), Some(n)),
            Err(why) => {
                eprintln!("{} 错误：{}", shown_path(&args.file), shown(&why));
                return ExitCode::from(EXIT_INPUT);
            }
        },
    };
    let out = named.unwrap_or_else(|| {
        let stem = args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        match &moved {
            Some(n) => args.file.with_file_name(format!("{}.toml", jixiao::input::new_year::file_stem(&stem, n.from, n.to))),
            None => args.file.with_extension("toml"),
        }
    });
    if out == args.file {
        eprintln!("{} 错误：输出文件不能是输入文件本身", shown_path(&out));
        return ExitCode::from(EXIT_USAGE);
    }
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
    if let Some(n) = &moved {
        print_new_year(n, &jixiao::input::source::DataFile::with_text(&out, n.text.clone()));
    }
    println!("已写出 {}；下一步：jixiao check {}", shown_path(&out), shown_path(&out));
    ExitCode::SUCCESS
}

/// What the new-year step did, and where the old year is still written.
fn print_new_year(n: &jixiao::input::new_year::NewYear, file: &jixiao::input::source::DataFile) {
    println!("已转为 {} 年度：{} 个金额的原数记为上年数（prior），请逐项改为本年数", n.to, n.moved);
    if n.date_removed {
        println!("  去年的成文日期已去掉，请填写今年的");
    }
    let Some(from) = n.from else { return };
    if n.mentions.is_empty() {
        return;
    }
    println!("正文中还有 {} 处写着 {from}（有的是历史，应保留；该改的请改为 {}）：", n.mentions.len(), n.to);
    let paths: Vec<&str> = n.mentions.iter().map(|m| m.path.as_str()).collect();
    for (m, place) in n.mentions.iter().zip(file.places(&paths)) {
        println!("  - {place}：…{}【{}】{}…", shown(&m.before), m.found, shown(&m.after));
    }
}
