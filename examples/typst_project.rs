//! Write the Typst project jixiao compiles for a data file (the template and
//! the report as JSON) into a folder, so the same document can be compiled
//! by the typst CLI for comparison (docs/performance.md):
//!
//!     cargo run --release --example typst_project -- data/lechang-fulian-2022.toml /tmp/proj
//!     typst compile --root /tmp/proj --font-path fonts --ignore-system-fonts /tmp/proj/report.typ

use std::path::PathBuf;

use jixiao::pipeline::render::{Options, attachments, prepare};
use jixiao::layout::world::TEMPLATE;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(data), Some(dir)) = (args.next().map(PathBuf::from), args.next().map(PathBuf::from)) else {
        eprintln!("usage: typst_project DATA.toml OUT_DIR");
        std::process::exit(2);
    };
    // Plain PDF: the typst CLI is run without jixiao's PDF/A options.
    let options = Options { embed_source: false, ..Options::default() };
    let prepared = prepare(&data, &options).unwrap_or_else(|f| panic!("{f:?}"));
    let mut json = serde_json::to_value(&prepared.document).unwrap();
    json["embedded_files"] = serde_json::to_value(attachments(&prepared, &options)).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("report.typ"), TEMPLATE).unwrap();
    std::fs::write(dir.join("report.json"), serde_json::to_vec(&json).unwrap()).unwrap();
    eprintln!("wrote {}/report.typ and report.json", dir.display());
}
