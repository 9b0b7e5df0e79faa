//! `jixiao verify`: render the data embedded in a PDF again with this binary
//! and compare, byte for byte. The PDF is parsed in a limited child process
//! and nothing is written (see [`jixiao::verify`]).

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::diagnostic::shown_path;
use jixiao::pdf::sha256_hex;
use jixiao::source::read_regular;
use jixiao::verify::{MAX_PDF_BYTES, extract_isolated, verify};

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 要核验的 PDF
    pdf: PathBuf,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let shown = shown_path(&args.pdf);
    let bytes = match read_regular(&args.pdf, MAX_PDF_BYTES, "PDF 文件") {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{shown} 错误：无法读取：{e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    println!("SHA-256：{}  {shown}", sha256_hex(&bytes));
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误：找不到本程序的路径，无法启动解析进程：{e}");
            return ExitCode::from(EXIT_OUTPUT);
        }
    };
    let extracted = match extract_isolated(&exe, &bytes) {
        Ok(x) => x,
        Err(why) => {
            println!("不一致：{why}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let verdict = verify(&bytes, &extracted, &args.fonts.options());
    print_findings(&verdict.findings);
    match verdict.result {
        Ok(()) => {
            println!("一致：PDF 与其内嵌的数据用本程序（jixiao {}）重新生成的结果逐字节相同", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Err(why) => {
            println!("不一致：{why}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
