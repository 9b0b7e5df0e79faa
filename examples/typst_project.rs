//! Write the Typst project jixiao compiles for a data file (the template and
//! the report as JSON) into a folder, so the same document can be compiled
//! by the typst CLI for comparison (docs/performance.md):
//!
//!     cargo run --release --example typst_project -- data/lechang-fulian-2022.toml /tmp/proj
//!     typst compile --root /tmp/proj --font-path fonts --ignore-system-fonts /tmp/proj/report.typ

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(data), Some(dir)) = (args.next().map(PathBuf::from), args.next().map(PathBuf::from)) else {
        eprintln!("usage: typst_project DATA.toml OUT_DIR");
        std::process::exit(2);
    };
    if let Err(e) = jixiao::pipeline::render::write_typst_project(&data, &dir) {
        eprintln!("{e}");
        std::process::exit(1);
    }
    eprintln!("wrote {}/report.typ and report.json", dir.display());
}
