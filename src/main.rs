//! The `jixiao` command line. Exit codes: 0 success; 1 the input is wrong;
//! 2 a usage error; 3 the output could not be produced.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Die quietly when the reader of a pipe goes away (`jixiao fonts | head`),
    // as command-line tools do, instead of failing on the next print.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // `verify` parses an untrusted PDF in a limited child process of its own.
    if std::env::args_os().nth(1).is_some_and(|a| a == jixiao::verify::EXTRACT_COMMAND) {
        return ExitCode::from(jixiao::verify::extract_child() as u8);
    }
    jixiao::interrupt::install();
    // A defect must still speak Chinese, and a batch goes on past it.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!("（{}:{}）", l.file(), l.line())).unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("内部错误：jixiao 的程序缺陷{place}：{}；请把数据文件和这条信息一起报告给开发者", jixiao::diagnostic::shown(&what));
    }));
    let args = cli::Cli::parse();
    cli::run(args)
}
