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
    let args = cli::Cli::parse();
    cli::run(args)
}
