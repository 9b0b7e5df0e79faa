//! Commands, one module each.

mod batch;
mod check;
mod fonts;
mod import;
mod init;
mod preview;
mod render;
mod schema;
mod serve;
mod sign;
mod verify;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jixiao::base::diagnostic::Finding;
use jixiao::layout::fonts::{FontOptions, env_font_paths};

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "部门整体支出绩效自评报告排版工具：从 TOML 数据生成符合 GB/T 9704 的 PDF",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成 PDF（Render the report to PDF）
    Render(render::Args),
    /// 检查数据，不生成 PDF（Check the data without rendering）
    Check(check::Args),
    /// 列出各用途实际使用的字体及其覆盖范围（Show the fonts each role resolves to）
    Fonts(fonts::Args),
    /// 用 PDF 内嵌的数据重新生成并逐字节比较，并核验数字签名（Re-render the embedded data and compare; check signatures）
    Verify(verify::Args),
    /// 给 PDF 加数字签名（PAdES，增量更新，保持 PDF/A）（Add a PAdES digital signature）
    Sign(sign::Args),
    /// 生成一份带注释的起步数据文件（Write a commented starter data file）
    Init(init::Args),
    /// 把去年的报告（.docx、.txt、.pdf）导入为数据文件（Import last year's report）
    Import(import::Args),
    /// 输出数据格式的 JSON Schema（Print the JSON Schema of the data format）
    Schema(schema::Args),
    /// 把页面生成 PNG 图片以便快速查看（Render pages to PNG）
    Preview(preview::Args),
    /// 数据文件一改动就重新生成（Re-render on every change）
    Watch(watch::Args),
    /// 批量生成多份报告（Render many reports in parallel）
    Batch(batch::Args),
    /// 在浏览器中编辑报告，边改边看（Edit in the browser with live pages）
    Serve(serve::Args),
}

/// A data file and the PDF made from it, shared by `render` and `watch`.
#[derive(clap::Args)]
pub struct DataToPdf {
    /// 数据文件（.toml）
    pub data: PathBuf,
    /// 输出的 PDF；缺省为数据文件旁的同名 .pdf
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

impl DataToPdf {
    /// The PDF to write: `-o`, else the data file's name with `.pdf`, beside it.
    pub fn pdf_path(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.data.with_extension("pdf"))
    }
}

/// Where fonts come from, shared by the commands that typeset.
#[derive(clap::Args, Clone)]
pub struct FontArgs {
    /// 额外的字体目录或文件，可重复；也可用环境变量 JIXIAO_FONT_PATHS（多个路径按系统习惯分隔）
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
    /// 也使用本机系统字体（缺省不用，以免输出随机器而变）
    #[arg(long)]
    system_fonts: bool,
}

impl FontArgs {
    pub fn options(&self) -> FontOptions {
        let mut font_paths = self.font_paths.clone();
        font_paths.extend(env_font_paths());
        for p in &font_paths {
            if !p.exists() {
                eprintln!("警告：字体路径 {} 不存在，已忽略", jixiao::base::diagnostic::shown_path(&p));
            }
        }
        FontOptions { font_paths, system_fonts: self.system_fonts }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Render(args) => render::run(args),
        Command::Check(args) => check::run(args),
        Command::Fonts(args) => fonts::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Preview(args) => preview::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// The files a prepared report was read from: the data and the images it
/// names. An output must be none of them.
pub fn inputs_of(prepared: &jixiao::pipeline::render::Prepared) -> Vec<PathBuf> {
    let data = prepared.file.path.clone();
    let dir = data.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).to_path_buf();
    std::iter::once(data).chain(prepared.assets.iter().map(|(name, _)| dir.join(name))).collect()
}

/// Write `bytes` to `out` (see [`jixiao::base::files::output_target`]): never onto
/// an input, a device or a pipe; through a link to its target; atomically.
pub fn write_output(out: &std::path::Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), String> {
    let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    let target = jixiao::base::files::output_target(out, &inputs)?;
    jixiao::base::files::write_atomically(&target, bytes)
        .map_err(|e| format!("无法写入 {}：{}", jixiao::base::diagnostic::shown_path(out), jixiao::base::diagnostic::shown(&e.to_string())))
}

/// Exit codes shared by the commands.
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_OUTPUT: u8 = 3;

/// Print findings to stderr, errors first, with a count line at the end.
/// Many blank scores (a report being filled in) are one warning listing
/// each indicator on a line of its own, where it stands in the file, as the
/// editor shows them; a few are shown in full like any other warning.
pub fn print_findings(findings: &[Finding]) {
    use jixiao::check::{UNSCORED, UNSCORED_IN_FULL, is_unscored};
    let (errors, warnings): (Vec<&Finding>, Vec<&Finding>) = findings.iter().partition(|f| f.is_error());
    let blank: Vec<&Finding> = warnings.iter().copied().filter(|f| is_unscored(f)).collect();
    let summed = blank.len() > UNSCORED_IN_FULL;
    let mut summary_shown = false;
    for f in errors.iter().chain(warnings.iter()) {
        if !(summed && is_unscored(f)) {
            eprintln!("{f}\n");
            continue;
        }
        if std::mem::replace(&mut summary_shown, true) {
            continue;
        }
        // What follows the "；" says why it matters (the total, or the stated score).
        let why = f.message.split_once('；').map_or("", |(_, w)| w);
        let file = f.location.as_ref().map(|l| format!("{} ", jixiao::base::diagnostic::shown(&l.file))).unwrap_or_default();
        eprintln!("{file}警告：还有 {} 项指标未填自评得分（在各项的 weight 下一行写 score = 得分）；{why}", blank.len());
        for b in &blank {
            let line = b.location.as_ref().and_then(|l| l.line).map(|l| format!("第 {l} 行  ")).unwrap_or_default();
            let name = b.message.split(UNSCORED).next().unwrap_or_default();
            let place = b.place.as_deref().map(|p| format!("（{}）", jixiao::base::diagnostic::shown(p))).unwrap_or_default();
            eprintln!("  {line}{}{place}", jixiao::base::diagnostic::shown(name));
        }
        eprintln!();
    }
    if !findings.is_empty() {
        eprintln!("共 {} 个错误，{} 个警告", errors.len(), warnings.len());
    }
}

/// `text` padded with spaces to `width` terminal columns (a hanzi takes two),
/// so tables of Chinese names line up.
pub fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// `text` right-aligned in `width` terminal columns.
pub fn pad_left(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}
