//! `jixiao fonts`: which face each role resolves to, which asked-for faces
//! are missing, and how much of GB2312 each face covers.

use std::process::ExitCode;

use jixiao::layout::fonts::{FontSet, Role};
use jixiao::pipeline::render::Options;

use super::FontArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let options = Options { fonts: args.fonts.options(), ..Options::default() };
    let library = options.library();
    let set = FontSet::resolve(library, &|_| None, false);
    use super::pad;
    println!("{}  {}  {}  来源", pad("用途", 10), pad("字体（依次）", 30), pad("字重", 6));
    let mut synthetic = Vec::new();
    for role in Role::ALL {
        let chain = set.chain(role);
        if chain.synthetic_bold {
            synthetic.push(role.label());
        }
        for (k, step) in chain.steps.iter().enumerate() {
            let face = set.face(step.face);
            let family = face.typst_family().unwrap_or("?");
            let label = if k == 0 { role.label() } else { "" };
            println!(
                "{}  {}  {}  {}",
                pad(label, 10),
                pad(&format!("{}. {family}", k + 1), 30),
                pad(&face.weight().to_string(), 6),
                face.source.describe()
            );
        }
        if !chain.missing.is_empty() {
            println!("{}  未找到：{}", pad("", 10), chain.missing.join("、"));
        }
    }
    // Only a role that may be bold (三级标题, with style.heading3_bold) has a synthetic bold to mention.
    if !synthetic.is_empty() {
        println!();
        println!("注：{}设为加粗（style.heading3_bold = true）时，所用字体没有粗体，加粗为合成。", synthetic.join("、"));
    }
    println!();
    println!("字形覆盖（GB2312 汉字 6763 个）：");
    let gb2312 = gb2312_hanzi();
    let mut shown = Vec::new();
    for chain in &set.chains {
        for step in &chain.steps {
            let face = set.face(step.face);
            // One line per family: its weights cover the same characters.
            let family = face.typst_family().unwrap_or("?").to_string();
            if shown.contains(&family) {
                continue;
            }
            shown.push(family);
            let n = gb2312.iter().filter(|&&c| face.covers(c)).count();
            println!("  {}  {n}/{}", pad(face.typst_family().unwrap_or("?"), 28), gb2312.len());
        }
    }
    ExitCode::SUCCESS
}

/// The 6763 hanzi of GB2312 (rows 16–87), decoded from their GB codes.
fn gb2312_hanzi() -> Vec<char> {
    let mut out = Vec::new();
    for hi in 0xB0u8..=0xF7 {
        for lo in 0xA1u8..=0xFE {
            let bytes = [hi, lo];
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
            let Some(c) = text.chars().next() else { continue };
            // Row 55 ends at D7F9; D7FA–D7FE are empty in GB2312 (filled only in GBK).
            if !had_errors && (hi != 0xD7 || lo <= 0xF9) {
                out.push(c);
            }
        }
    }
    out
}
