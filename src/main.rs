//! The `jixiao` command line. Exit codes: 0 success; 1 the input is wrong;
//! 2 a usage error; 3 the output could not be produced.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::run(args)
}
