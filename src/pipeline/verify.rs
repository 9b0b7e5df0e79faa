//! `verify`: take the data out of a PDF or an OFD, render it again with this
//! binary and compare, byte for byte. The PDF may come from anyone: it is parsed in a
//! separate process with limited memory and time, its embedded names must be
//! plain relative names, and its files are served to the renderer from
//! memory. Nothing is written.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::archive::attachments::{Extracted, MANIFEST_NAME, RenderInfo, page_contents};
use crate::base::diagnostic::{Finding, shown};
use crate::layout::fonts::FontOptions;
use crate::archive::ofd::read::read as read_ofd;
use crate::pipeline::render::{Failure, Formats, Options, Rendered, render_file};
use crate::input::source::{DataFile, check_relative};

/// The verdict, and the findings met on the way (the embedded data's own,
/// when it cannot be rendered).
pub struct Verdict {
    pub result: Result<(), String>,
    pub findings: Vec<Finding>,
    /// For a signed PDF: the length of its first revision, the bytes the
    /// embedded data renders to. What follows must only add signatures (see
    /// [`changes_isolated`]).
    pub base: Option<usize>,
}

/// Verify a PDF whose embedded files and page digests have been extracted.
pub fn verify(pdf: &[u8], extracted: &Extracted, fonts: &FontOptions) -> Verdict {
    let mut findings = Vec::new();
    let mut base = None;
    let result = verify_inner(pdf, extracted, fonts, &mut findings, &mut base);
    Verdict { result, findings, base }
}

fn verify_inner(
    pdf: &[u8],
    extracted: &Extracted,
    fonts: &FontOptions,
    findings: &mut Vec<Finding>,
    base: &mut Option<usize>,
) -> Result<(), String> {
    let (rendered, info) = rerender(&extracted.files, "PDF", Formats::default(), fonts, findings)?;
    let again = &rendered.bytes;
    if again == pdf {
        return Ok(());
    }
    // A signed PDF is the rendered file followed by the signatures' updates.
    if !extracted.signatures.is_empty() && pdf.len() > again.len() && pdf.starts_with(&again) {
        *base = Some(again.len());
        return Ok(());
    }
    // Different fonts explain any difference: say so first.
    if let Some(why) = font_difference(&info, &rendered) {
        return Err(why);
    }
    let new: Vec<[u8; 32]> = page_contents(&again)?.iter().map(|c| Sha256::digest(c).into()).collect();
    same_pages("PDF", &extracted.pages, &new)?;
    let at = pdf.iter().zip(again).position(|(a, b)| a != b).unwrap_or(pdf.len().min(again.len()));
    Err(format!(
        "字节不同（第 {at} 字节起；页面内容相同，差别在字体、元数据或文件结构中）；重新生成的 SHA-256 为 {}",
        crate::base::files::sha256_hex(again)
    ))
}

/// Render again from the files embedded in a PDF or OFD (`kind`): the data,
/// the images it names and how it was made (`jixiao.json`).
fn rerender(
    files: &BTreeMap<String, Vec<u8>>,
    kind: &str,
    formats: Formats,
    fonts: &FontOptions,
    findings: &mut Vec<Finding>,
) -> Result<(Rendered, RenderInfo), String> {
    // An embedded name is a relative name of a file beside the data, or it is
    // bad input: never a path to follow.
    for name in files.keys() {
        if name.contains('\\') || check_relative(name).is_err() {
            return Err(format!("{kind} 内嵌的文件名“{}”不是普通的文件名（含绝对路径、“..”或控制字符）；此 {kind} 不是 jixiao 生成的，或已被改动，不予处理", shown(name)));
        }
    }
    let info: RenderInfo = files
        .get(MANIFEST_NAME)
        .ok_or_else(|| format!("{kind} 中没有内嵌的数据（缺少 jixiao.json）：它不是 jixiao 生成的，或生成时用了 --no-embed-source / --pdf-standard a-2b"))
        .and_then(|j| serde_json::from_slice(j).map_err(|_| "内嵌的 jixiao.json 无法解析".to_string()))?;
    let version = env!("CARGO_PKG_VERSION");
    if info.version != version {
        return Err(format!("版本不同：{kind} 由 jixiao {} 生成，本程序为 {version}；请用相同版本核验", shown(&info.version)));
    }
    if !is_plain_file_name(&info.source) {
        return Err(format!("jixiao.json 中的数据文件名“{}”不是普通的文件名；此 {kind} 已被改动，不予处理", shown(&info.source)));
    }
    let source = files.get(&info.source).ok_or_else(|| format!("{kind} 中缺少内嵌的数据文件 {}", shown(&info.source)))?;
    let text = String::from_utf8(source.clone()).map_err(|_| "内嵌的数据文件不是 UTF-8 文本".to_string())?;
    let mut assets = BTreeMap::new();
    for name in &info.assets {
        check_relative(name).map_err(|m| format!("jixiao.json 列出的图片：{m}"))?;
        let bytes = files.get(name).ok_or_else(|| format!("{kind} 中缺少内嵌的图片 {}", shown(name)))?;
        assets.insert(name.clone(), bytes.clone());
    }
    let options = Options {
        fonts: fonts.clone(),
        standard: info.standard,
        blank_score_table: info.blank_score_table,
        date: info.date,
        formats,
        ..Options::default()
    };
    let file = DataFile::in_memory(&info.source, text, assets);
    let rendered = render_file(file, &options, options.library()).map_err(|f| match f {
        Failure::Input(mut f) => {
            findings.append(&mut f);
            "内嵌的数据有误，无法重新生成".to_string()
        }
        Failure::Output(m) => format!("无法重新生成：{m}"),
    })?;
    Ok((rendered, info))
}

/// The pages of a `kind` file against those rendered again, one by one:
/// which differ, named by number, or a different count.
fn same_pages<T: PartialEq>(kind: &str, old: &[T], new: &[T]) -> Result<(), String> {
    if old.len() != new.len() {
        return Err(format!("页数不同：{kind} 有 {} 页，按内嵌数据重新生成为 {} 页", old.len(), new.len()));
    }
    let differing: Vec<String> =
        old.iter().zip(new).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| (i + 1).to_string()).collect();
    if !differing.is_empty() {
        return Err(format!("第 {} 页的内容与按内嵌数据重新生成的不同", differing.join("、")));
    }
    Ok(())
}

/// Why the render differs when the fonts do: the roles whose faces changed.
fn font_difference(info: &RenderInfo, rendered: &Rendered) -> Option<String> {
    let used = &rendered.prepared.document.fonts.families;
    let differing: Vec<String> = info
        .fonts
        .iter()
        .filter(|(role, fams)| used.get(role.as_str()) != Some(*fams))
        .map(|(role, fams)| {
            format!(
                "{}：生成时用 {}，本次为 {}",
                shown(role),
                shown(&fams.join("、")),
                used.get(role.as_str()).map(|f| f.join("、")).unwrap_or_default()
            )
        })
        .collect();
    (!differing.is_empty()).then(|| format!("字体不同（{}）；请用 --font-path 提供生成时的字体后再核验", differing.join("；")))
}

/// Verify an OFD: read it within limits, render its embedded data again as
/// OFD and compare, page by page, then byte for byte.
pub fn verify_ofd(ofd: &[u8], fonts: &FontOptions) -> Verdict {
    let mut findings = Vec::new();
    let result = verify_ofd_inner(ofd, fonts, &mut findings);
    Verdict { result, findings, base: None }
}

fn verify_ofd_inner(ofd: &[u8], fonts: &FontOptions, findings: &mut Vec<Finding>) -> Result<(), String> {
    let parts = read_ofd(ofd)?;
    let (rendered, info) = rerender(&parts.files, "OFD", Formats { pdf: false, ofd: true }, fonts, findings)?;
    let again = rendered.ofd.as_deref().ok_or("无法重新生成 OFD")?;
    if again == ofd {
        return Ok(());
    }
    if let Some(why) = font_difference(&info, &rendered) {
        return Err(why);
    }
    same_pages("OFD", &parts.pages, &read_ofd(again)?.pages)?;
    Err(format!(
        "字节不同（页面内容相同，差别在字体、元数据或文件结构中）；重新生成的 SHA-256 为 {}",
        crate::base::files::sha256_hex(again)
    ))
}

/// A file name without any folder: what jixiao records for the data file.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names() {
        assert!(is_plain_file_name("报告.toml"));
        for bad in ["", "..", "/etc/passwd", "../x.toml", "a/b.toml", "a\\b", "C:x", "a\u{1b}b"] {
            assert!(!is_plain_file_name(bad), "{bad}");
        }
    }

    #[test]
    fn extracted_round_trips_and_refuses_truncation() {
        let mut x = Extracted::default();
        x.files.insert("a.toml".into(), b"unit = 1".to_vec());
        x.pages.push([7; 32]);
        x.signatures.push(crate::archive::signature::RawSignature {
            byte_range: vec![0, 10, 20, 30],
            contents: vec![0x30, 0x80],
            time: "D:20261129000000Z".into(),
            sub_filter: "ETSI.CAdES.detached".into(),
        });
        let e = x.encode();
        assert_eq!(Extracted::decode(&e), Some(x));
        assert_eq!(Extracted::decode(&e[..e.len() - 1]), None);
    }
}
