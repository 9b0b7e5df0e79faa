//! `jixiao schema`: the JSON Schema of the data format.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> ExitCode {
    println!("{}", jixiao::input::schema::schema_json());
    ExitCode::SUCCESS
}
