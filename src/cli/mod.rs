//! Commands, one module each.

mod check;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jixiao::diagnostic::Finding;

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
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Render(args) => render::run(args),
        Command::Check(args) => check::run(args),
    }
}

/// Exit codes shared by the commands.
pub const EXIT_INPUT: u8 = 1;
pub const EXIT_OUTPUT: u8 = 3;

/// Print findings to stderr, errors first, with a count line at the end.
pub fn print_findings(findings: &[Finding]) {
    let (errors, warnings): (Vec<&Finding>, Vec<&Finding>) = findings.iter().partition(|f| f.is_error());
    for f in errors.iter().chain(warnings.iter()) {
        eprintln!("{f}\n");
    }
    if !findings.is_empty() {
        eprintln!("共 {} 个错误，{} 个警告", errors.len(), warnings.len());
    }
}
