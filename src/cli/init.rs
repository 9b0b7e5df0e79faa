//! `jixiao init`: a starter data file with the standard outline, the full
//! indicator framework and a comment on every field.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::input::schema::schema_json;

use super::EXIT_INPUT;

use jixiao::input::starter::{FRAMEWORKS, SCHEMA_FILE};

#[derive(clap::Args)]
pub struct Args {
    /// 要创建的数据文件；已存在时不会覆盖
    #[arg(default_value = "绩效自评报告.toml")]
    path: PathBuf,
    /// 单位名称
    #[arg(long)]
    unit: Option<String>,
    /// 报告所属年度；缺省为上一年
    #[arg(long)]
    year: Option<i32>,
    /// 评分框架：guangdong、sichuan、project；写 list 列出全部。不写时按广东式框架生成逐项分节的正文
    #[arg(long, value_name = "NAME")]
    framework: Option<String>,
}

/// The names of the frameworks, one a line, in Chinese.
fn framework_list() -> String {
    FRAMEWORKS.iter().map(|(k, d, _)| format!("  {k:<10} {d}\n")).collect()
}

pub fn run(args: Args) -> ExitCode {
    let framework = match args.framework.as_deref() {
        None => None,
        Some("list") => {
            println!("可用的评分框架（jixiao init --framework 名称）：");
            print!("{}", framework_list());
            return ExitCode::SUCCESS;
        }
        Some(name) => match FRAMEWORKS.iter().find(|(k, _, _)| *k == name) {
            Some((key, _, _)) => Some(*key),
            None => {
                eprintln!("错误：没有名为“{}”的评分框架；可用的有：", jixiao::base::diagnostic::shown(name));
                eprint!("{}", framework_list());
                return ExitCode::from(super::EXIT_USAGE);
            }
        },
    };
    // Reports are written in the year after the one they cover.
    let year = args.year.unwrap_or_else(jixiao::input::starter::last_year);
    let given_unit = args.unit.is_some();
    let unit = args.unit.unwrap_or_else(|| jixiao::input::starter::UNIT_PLACEHOLDER.into());
    if unit.trim().is_empty() || unit.chars().any(|c| c.is_control() || jixiao::base::diagnostic::is_bidi_control(c)) {
        eprintln!("错误：--unit 的单位名称“{}”为空或含有换行、控制字符；请写成一行，如 --unit 示例市示例局", jixiao::base::diagnostic::shown(&unit));
        return ExitCode::from(super::EXIT_USAGE);
    }
    if !jixiao::input::model::YEARS.contains(&year) {
        eprintln!("错误：--year {year} 超出范围：应为 {} 到 {} 之间的年份", jixiao::input::model::YEARS.start(), jixiao::input::model::YEARS.end());
        return ExitCode::from(super::EXIT_USAGE);
    }
    let text = match jixiao::input::starter::text(framework, given_unit.then_some(unit.as_str()), year) {
        Ok(t) => t,
        Err(m) => {
            eprintln!("错误：{m}，未写入");
            return ExitCode::from(super::EXIT_OUTPUT);
        }
    };
    // Never over a file someone has been editing.
    match jixiao::base::files::write_new(&args.path, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("{} 错误：文件已存在，未做任何改动；请换一个文件名", jixiao::base::diagnostic::shown_path(&args.path));
            return ExitCode::from(EXIT_INPUT);
        }
        Err(e) => {
            eprintln!("{} 错误：无法写入：{e}", jixiao::base::diagnostic::shown_path(&args.path));
            return ExitCode::from(EXIT_INPUT);
        }
    }
    // The schema beside it, for the `#:schema` line editors read.
    let dir = args.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let schema = dir.join(SCHEMA_FILE);
    if !schema.exists() {
        let _ = std::fs::write(&schema, schema_json() + "\n");
    }
    eprintln!("已创建 {}（编辑器补全与校验用的 {} 在同一文件夹）", jixiao::base::diagnostic::shown_path(&args.path), SCHEMA_FILE);
    eprintln!("下一步：填写其中的“【请填写……】”，然后运行 jixiao check {}", jixiao::base::diagnostic::shown_path(&args.path));
    ExitCode::SUCCESS
}
