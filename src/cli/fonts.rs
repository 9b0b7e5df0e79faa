//! `jixiao fonts`: which face each role resolves to, which asked-for faces
//! are missing, and how much of GB2312 each face covers.

use std::process::ExitCode;

use jixiao::fonts::{FontSet, Role};
use jixiao::render::Options;

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
    println!("{:<8}  {:<28}  {:<10}  来源", "用途", "字体（依次）", "字重");
    for role in Role::ALL {
        let chain = set.chain(role);
        for (k, step) in chain.steps.iter().enumerate() {
            let face = set.face(step.face);
            let family = face.typst_family().unwrap_or("?");
            let weight = if chain.synthetic_bold && k == 0 { format!("{}（加粗为合成）", face.weight()) } else { face.weight().to_string() };
            let label = if k == 0 { role.label() } else { "" };
            println!("{label:<8}  {:<28}  {weight:<10}  {}", format!("{}. {family}", k + 1), face.source.describe());
        }
        if !chain.missing.is_empty() {
            println!("{:<8}  未找到：{}", "", chain.missing.join("、"));
        }
    }
    println!();
    println!("字形覆盖（GB2312 汉字 6763 个）：");
    let gb2312 = gb2312_hanzi();
    let mut shown = Vec::new();
    for chain in &set.chains {
        for step in &chain.steps {
            if shown.contains(&step.face) {
                continue;
            }
            shown.push(step.face);
            let face = set.face(step.face);
            let n = gb2312.iter().filter(|&&c| face.covers(c)).count();
            println!("  {:<28}  {n}/{}", face.typst_family().unwrap_or("?"), gb2312.len());
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
