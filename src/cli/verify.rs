//! `jixiao verify`: render the data embedded in a PDF again with this binary
//! and compare, byte for byte.

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::archive::{MANIFEST_NAME, RenderInfo, page_contents, read_attachments};
use jixiao::pdf::sha256_hex;
use jixiao::render::{Failure, Options, render};

use super::{EXIT_INPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 要核验的 PDF
    pdf: PathBuf,
    #[command(flatten)]
    fonts: FontArgs,
}

pub fn run(args: Args) -> ExitCode {
    let bytes = match std::fs::read(&args.pdf) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{} 错误：无法读取：{e}", args.pdf.display());
            return ExitCode::from(EXIT_INPUT);
        }
    };
    println!("SHA-256：{}  {}", sha256_hex(&bytes), args.pdf.display());
    match verify(&bytes, &args) {
        Ok(()) => {
            println!("一致：PDF 与其内嵌的数据用本程序（jixiao {}）重新生成的结果逐字节相同", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Err(why) => {
            println!("不一致：{why}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn verify(bytes: &[u8], args: &Args) -> Result<(), String> {
    let files = read_attachments(bytes)?;
    let info: RenderInfo = files
        .get(MANIFEST_NAME)
        .ok_or("PDF 中没有内嵌的数据（缺少 jixiao.json）：它不是 jixiao 生成的，或生成时用了 --no-embed-source / --pdf-standard a-2b")
        .and_then(|j| serde_json::from_slice(j).map_err(|_| "内嵌的 jixiao.json 无法解析"))?;
    let version = env!("CARGO_PKG_VERSION");
    if info.version != version {
        return Err(format!("版本不同：PDF 由 jixiao {} 生成，本程序为 {version}；请用相同版本核验", info.version));
    }
    let source = files.get(&info.source).ok_or_else(|| format!("PDF 中缺少内嵌的数据文件 {}", info.source))?;
    // Rebuild the data folder: the data file and the images it names.
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let data_path = dir.path().join(&info.source);
    std::fs::write(&data_path, source).map_err(|e| e.to_string())?;
    for name in &info.assets {
        let asset = files.get(name).ok_or_else(|| format!("PDF 中缺少内嵌的图片 {name}"))?;
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, asset).map_err(|e| e.to_string())?;
    }
    let options = Options {
        fonts: args.fonts.options(),
        standard: info.standard,
        blank_score_table: info.blank_score_table,
        ..Options::default()
    };
    let rendered = render(&data_path, &options).map_err(|f| match f {
        Failure::Input(findings) => {
            print_findings(&findings);
            "内嵌的数据有误，无法重新生成".to_string()
        }
        Failure::Output(m) => format!("无法重新生成：{m}"),
    })?;
    let again = rendered.bytes;
    if again == bytes {
        return Ok(());
    }
    // Different fonts explain any difference: say so first.
    let used = &rendered.prepared.document.fonts.families;
    let differing: Vec<String> = info
        .fonts
        .iter()
        .filter(|(role, fams)| used.get(role.as_str()) != Some(*fams))
        .map(|(role, fams)| format!("{role}：生成时用 {}，本次为 {}", fams.join("、"), used.get(role.as_str()).map(|f| f.join("、")).unwrap_or_default()))
        .collect();
    if !differing.is_empty() {
        return Err(format!("字体不同（{}）；请用 --font-path 提供生成时的字体后再核验", differing.join("；")));
    }
    let (old, new) = (page_contents(bytes)?, page_contents(&again)?);
    if old.len() != new.len() {
        return Err(format!("页数不同：PDF 有 {} 页，按内嵌数据重新生成为 {} 页", old.len(), new.len()));
    }
    let differing: Vec<String> =
        old.iter().zip(&new).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| (i + 1).to_string()).collect();
    if !differing.is_empty() {
        return Err(format!("第 {} 页的内容与按内嵌数据重新生成的不同", differing.join("、")));
    }
    let at = bytes.iter().zip(&again).position(|(a, b)| a != b).unwrap_or(bytes.len().min(again.len()));
    Err(format!(
        "字节不同（第 {at} 字节起；页面内容相同，差别在字体、元数据或文件结构中）；重新生成的 SHA-256 为 {}",
        sha256_hex(&again)
    ))
}
