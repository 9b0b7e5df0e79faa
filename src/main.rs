//! The `jixiao` command line. Exit codes: 0 success; 1 the input is wrong;
//! 2 a usage error; 3 the output could not be produced.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// See Cargo.toml: fewer fresh pages faulted in, faster small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Die quietly when the reader of a pipe goes away (`jixiao fonts | head`),
    // as command-line tools do, instead of failing on the next print.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // `verify` parses an untrusted PDF in a limited child process of its own.
    if std::env::args_os().nth(1).is_some_and(|a| a == jixiao::archive::isolate::EXTRACT_COMMAND) {
        return ExitCode::from(jixiao::archive::isolate::extract_child(jixiao::import::pdf::text_of) as u8);
    }
    jixiao::base::interrupt::install();
    // A defect must still speak Chinese, and a batch goes on past it.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!("（{}:{}）", l.file(), l.line())).unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("内部错误：jixiao 的程序缺陷{place}：{}；请把数据文件和这条信息一起报告给开发者", jixiao::base::diagnostic::shown(&what));
    }));
    // Started with no arguments at all (a double-click in a file manager, a
    // console window on Windows): the officer wants the editor, not usage.
    if std::env::args_os().len() == 1 {
        eprintln!("jixiao：没有给出命令，正在启动报告编辑器，并在浏览器中打开它。");
        eprintln!("报告文件写在当前文件夹；要结束，按 Ctrl+C 或关闭这个窗口（未保存的修改会丢失）。");
        return match cli::Cli::try_parse_from(["jixiao", "serve"]) {
            Ok(args) => cli::run(args),
            Err(e) => usage_error(e),
        };
    }
    match cli::Cli::try_parse() {
        Ok(args) => cli::run(args),
        Err(e) => usage_error(e),
    }
}

/// Usage errors in Chinese, like every other message; help and version as clap prints them.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
        ErrorKind::MissingRequiredArgument => {
            let arg = context(ContextKind::InvalidArg);
            if arg.contains("<DATA>") || arg.contains("<PDF>") || arg.contains("<INPUTS>") {
                "缺少要处理的文件：请在命令后写上文件名，如 jixiao render 报告.toml".to_string()
            } else {
                format!("缺少必需的参数：{arg}")
            }
        }
        ErrorKind::MissingSubcommand => "缺少命令：请写 jixiao render、check、init 等，jixiao --help 列出全部命令".into(),
        ErrorKind::InvalidSubcommand => {
            let near = context(ContextKind::SuggestedSubcommand);
            let near = if near.is_empty() { String::new() } else { format!("，是否想写 {near}？") };
            format!("没有命令“{}”{near}（jixiao --help 列出全部命令）", context(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => {
            let near = context(ContextKind::SuggestedArg);
            let near = if near.is_empty() { String::new() } else { format!("，是否想写 {near}？") };
            format!("不认识的选项“{}”{near}", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            let valid = if valid.is_empty() { String::new() } else { format!("；可用的取值：{valid}") };
            format!("选项 {} 的取值“{}”不对{valid}", context(ContextKind::InvalidArg), context(ContextKind::InvalidValue))
        }
        ErrorKind::ValueValidation => format!("选项 {} 的取值“{}”不对", context(ContextKind::InvalidArg), context(ContextKind::InvalidValue)),
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("参数有误：{}", context(ContextKind::InvalidArg))
        }
        _ => format!("命令写法有误：{}", e.kind()),
    };
    eprintln!("错误：{}\n用法见 jixiao --help，或 jixiao 命令 --help", jixiao::base::diagnostic::shown(&message));
    ExitCode::from(2)
}
