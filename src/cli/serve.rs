//! `jixiao serve`: the browser editor (see [`jixiao::serve`]).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::pipeline::render::Options;
use jixiao::serve::{App, Guard, Session, bind, new_token, open_browser, serve};

use super::{EXIT_INPUT, EXIT_OUTPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件（.toml）；不写时在浏览器中新建（选择评分框架）或导入去年的报告，文件写在当前文件夹
    data: Option<PathBuf>,
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
    let app = match &args.data {
        Some(data) => match Session::open(data, options.clone()) {
            Ok(s) => App::editing(s, options),
            Err(findings) => {
                print_findings(&findings);
                eprintln!("无法打开：请先按上面的提示修改数据文件（jixiao check 可以逐条列出）");
                return ExitCode::from(EXIT_INPUT);
            }
        },
        None => match std::env::current_dir().and_then(|d| d.canonicalize()) {
            Ok(dir) => App::starting(dir, options),
            Err(e) => {
                eprintln!("错误：无法确定当前文件夹：{e}");
                return ExitCode::from(EXIT_INPUT);
            }
        },
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
    match &app.session {
        Some(s) => eprintln!("正在编辑 {}；在浏览器中打开上面的地址（按 Ctrl+C 结束）", jixiao::base::diagnostic::shown_path(s.path())),
        None => eprintln!(
            "没有指定数据文件：在浏览器中新建或导入一份，文件写在 {}（按 Ctrl+C 结束）",
            jixiao::base::diagnostic::shown_path(&app.dir)
        ),
    }
    // Kept while the server runs: the file the browser was sent through.
    let _opened = if args.no_open { None } else { open_browser(&url) };
    serve(server, app, Guard { token, port });
    ExitCode::SUCCESS
}
