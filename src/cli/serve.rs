//! `jixiao serve`: the browser editor (see [`jixiao::serve`]).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::render::Options;
use jixiao::serve::{Guard, Session, bind, new_token, open_browser, serve};

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件（.toml）
    data: PathBuf,
    /// 端口；缺省由系统挑一个空闲的
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// 不自动打开浏览器
    #[arg(long)]
    no_open: bool,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let options = Options { fonts: args.fonts.options(), ..Options::default() };
    let mut session = match Session::open(&args.data, options) {
        Ok(s) => s,
        Err(findings) => {
            print_findings(&findings);
            eprintln!("无法打开：请先按上面的提示修改数据文件（jixiao check 可以逐条列出）");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let (server, port) = match bind(args.port) {
        Ok(s) => s,
        Err(m) => {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_OUTPUT);
        }
    };
    let token = match new_token() {
        Ok(t) => t,
        Err(m) => {
            eprintln!("错误：{m}");
            return ExitCode::from(EXIT_OUTPUT);
        }
    };
    let url = format!("http://127.0.0.1:{port}/?token={token}");
    // The first line of stdout is the address, for scripts and tests.
    println!("{url}");
    let _ = std::io::stdout().flush();
    eprintln!("正在编辑 {}；在浏览器中打开上面的地址（按 Ctrl+C 结束）", jixiao::diagnostic::shown_path(session.path()));
    if !args.no_open {
        open_browser(&url);
    }
    serve(&server, &mut session, &Guard { token, port });
    ExitCode::SUCCESS
}
