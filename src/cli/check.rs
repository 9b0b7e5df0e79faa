//! `jixiao check`: validate a data file without writing a PDF.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::render::prepare;

use super::{EXIT_INPUT, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件（.toml）
    data: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    match prepare(&args.data) {
        Ok(prepared) => {
            print_findings(&prepared.findings);
            eprintln!("检查通过：{}", args.data.display());
            ExitCode::SUCCESS
        }
        Err(findings) => {
            print_findings(&findings);
            ExitCode::from(EXIT_INPUT)
        }
    }
}
