//! `verify`: take the data out of a PDF, render it again with this binary and
//! compare, byte for byte. The PDF may come from anyone: it is parsed in a
//! separate process with limited memory and time, its embedded names must be
//! plain relative names, and its files are served to the renderer from
//! memory. Nothing is written.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::archive::{Extracted, MANIFEST_NAME, RenderInfo, page_contents};
use crate::diagnostic::{Finding, shown};
use crate::fonts::FontOptions;
use crate::render::{Failure, Options, render_file};
use crate::source::{DataFile, check_relative};

/// The largest PDF `verify` reads (a 30-page report is a few MB).
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;
/// Memory and time the parsing process may use.
pub const EXTRACT_MEMORY: u64 = 1024 * 1024 * 1024;
pub const EXTRACT_SECONDS: u64 = 60;
/// The hidden subcommand the parsing process runs.
pub const EXTRACT_COMMAND: &str = "__extract-pdf";

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
    let files = &extracted.files;
    // An embedded name is a relative name of a file beside the data, or it is
    // bad input: never a path to follow.
    for name in files.keys() {
        if name.contains('\\') || check_relative(name).is_err() {
            return Err(format!("PDF 内嵌的文件名“{}”不是普通的文件名（含绝对路径、“..”或控制字符）；此 PDF 不是 jixiao 生成的，或已被改动，不予处理", shown(name)));
        }
    }
    let info: RenderInfo = files
        .get(MANIFEST_NAME)
        .ok_or("PDF 中没有内嵌的数据（缺少 jixiao.json）：它不是 jixiao 生成的，或生成时用了 --no-embed-source / --pdf-standard a-2b")
        .and_then(|j| serde_json::from_slice(j).map_err(|_| "内嵌的 jixiao.json 无法解析"))?;
    let version = env!("CARGO_PKG_VERSION");
    if info.version != version {
        return Err(format!("版本不同：PDF 由 jixiao {} 生成，本程序为 {version}；请用相同版本核验", shown(&info.version)));
    }
    if !is_plain_file_name(&info.source) {
        return Err(format!("jixiao.json 中的数据文件名“{}”不是普通的文件名；此 PDF 已被改动，不予处理", shown(&info.source)));
    }
    let source = files.get(&info.source).ok_or_else(|| format!("PDF 中缺少内嵌的数据文件 {}", shown(&info.source)))?;
    let text = String::from_utf8(source.clone()).map_err(|_| "内嵌的数据文件不是 UTF-8 文本".to_string())?;
    let mut assets = BTreeMap::new();
    for name in &info.assets {
        check_relative(name).map_err(|m| format!("jixiao.json 列出的图片：{m}"))?;
        let bytes = files.get(name).ok_or_else(|| format!("PDF 中缺少内嵌的图片 {}", shown(name)))?;
        assets.insert(name.clone(), bytes.clone());
    }
    let options = Options {
        fonts: fonts.clone(),
        standard: info.standard,
        blank_score_table: info.blank_score_table,
        date: info.date,
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
    let again = rendered.bytes;
    if again == pdf {
        return Ok(());
    }
    // A signed PDF is the rendered file followed by the signatures' updates.
    if !extracted.signatures.is_empty() && pdf.len() > again.len() && pdf.starts_with(&again) {
        *base = Some(again.len());
        return Ok(());
    }
    // Different fonts explain any difference: say so first.
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
    if !differing.is_empty() {
        return Err(format!("字体不同（{}）；请用 --font-path 提供生成时的字体后再核验", differing.join("；")));
    }
    let new: Vec<[u8; 32]> = page_contents(&again)?.iter().map(|c| Sha256::digest(c).into()).collect();
    let old = &extracted.pages;
    if old.len() != new.len() {
        return Err(format!("页数不同：PDF 有 {} 页，按内嵌数据重新生成为 {} 页", old.len(), new.len()));
    }
    let differing: Vec<String> =
        old.iter().zip(&new).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| (i + 1).to_string()).collect();
    if !differing.is_empty() {
        return Err(format!("第 {} 页的内容与按内嵌数据重新生成的不同", differing.join("、")));
    }
    let at = pdf.iter().zip(&again).position(|(a, b)| a != b).unwrap_or(pdf.len().min(again.len()));
    Err(format!(
        "字节不同（第 {at} 字节起；页面内容相同，差别在字体、元数据或文件结构中）；重新生成的 SHA-256 为 {}",
        crate::pdf::sha256_hex(&again)
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

/// Parse `pdf` in a child process (`exe __extract-pdf`) limited to
/// [`EXTRACT_MEMORY`] and [`EXTRACT_SECONDS`]: a PDF made to exhaust memory,
/// to recurse without end or to loop costs that process only.
pub fn extract_isolated(exe: &Path, pdf: &[u8]) -> Result<Extracted, String> {
    let out = run_isolated(exe, &[], pdf, OUTPUT_CAP)?;
    Extracted::decode(&out).ok_or_else(|| "解析进程的输出不完整".to_string())
}

/// In the same limited child process: what the revisions after the first
/// `base` bytes changed that signatures do not explain (see
/// [`crate::revisions::changes_after`]).
pub fn changes_isolated(exe: &Path, pdf: &[u8], base: usize) -> Result<Vec<String>, String> {
    let out = run_isolated(exe, &[base.to_string()], pdf, OUTPUT_CAP)?;
    let text = String::from_utf8(out).map_err(|_| "解析进程的输出不完整".to_string())?;
    Ok(text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
}

/// In the same limited child process: the text of the pages, separated by
/// form feeds (for `import`), at most [`crate::import::pdf::MAX_TEXT_BYTES`].
pub fn pdf_text_isolated(exe: &Path, pdf: &[u8]) -> Result<String, String> {
    let cap = crate::import::pdf::MAX_TEXT_BYTES as u64;
    let out = run_isolated(exe, &[TEXT_MODE.to_string()], pdf, cap)?;
    if out.len() as u64 > cap {
        return Err(format!("PDF 中的文字超过 {} MiB，不像是一份报告；不能导入", cap >> 20));
    }
    String::from_utf8(out).map_err(|_| "解析进程的输出不完整".to_string())
}

/// The most output read from the child for `verify`: the embedded files.
const OUTPUT_CAP: u64 = 64 * crate::archive::MAX_EMBEDDED_BYTES as u64 + (1 << 20);

/// The child's argument for page text.
const TEXT_MODE: &str = "text";
/// The child's argument for a parse that only says whether lopdf reads the
/// file: a PDF that would exhaust the stack or memory fails there, not in
/// the process that holds a signer's key.
const PARSE_MODE: &str = "parse";

/// In the same limited child process: whether the PDF parses at all (see
/// [`PARSE_MODE`]); `sign` asks before it parses the file itself.
pub fn parses_isolated(exe: &Path, pdf: &[u8]) -> Result<(), String> {
    run_isolated(exe, &[PARSE_MODE.to_string()], pdf, OUTPUT_CAP).map(|_| ())
}

/// `cap`: the most output read; one byte more is returned when there was more.
fn run_isolated(exe: &Path, args: &[String], pdf: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    let mut child = Command::new(exe)
        .arg(EXTRACT_COMMAND)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法启动解析进程：{e}"))?;
    let mut stdin = child.stdin.take().ok_or("无法启动解析进程")?;
    let input = pdf.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().ok_or("无法启动解析进程")?;
    let mut stderr = child.stderr.take().ok_or("无法启动解析进程")?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(cap + 1).read_to_end(&mut out);
        out
    });
    let err_reader = std::thread::spawn(move || {
        let mut err = String::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_string(&mut err);
        err
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > Duration::from_secs(EXTRACT_SECONDS * 2) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("解析 PDF 超时：它的结构异常（可能是被构造来消耗资源的文件）".into());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("解析进程出错：{e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if status.success() {
        return Ok(out);
    }
    if status.code() == Some(1) && !err.trim().is_empty() {
        return Err(err.trim().to_string());
    }
    Err("无法解析 PDF：文件已损坏或结构异常，解析时超出了内存或时间的上限（可能是被构造来消耗资源的文件）".into())
}

/// The child's side: limit its own memory and CPU time, read the PDF from
/// standard input, write what [`Extracted::encode`] gives. Exit 1 with a
/// message for a PDF that cannot be read.
pub fn extract_child() -> i32 {
    #[cfg(unix)]
    unsafe {
        let mem = libc::rlimit { rlim_cur: EXTRACT_MEMORY, rlim_max: EXTRACT_MEMORY };
        libc::setrlimit(libc::RLIMIT_AS, &mem);
        let cpu = libc::rlimit { rlim_cur: EXTRACT_SECONDS, rlim_max: EXTRACT_SECONDS + 5 };
        libc::setrlimit(libc::RLIMIT_CPU, &cpu);
    }
    let mut pdf = Vec::new();
    if std::io::stdin().lock().take(MAX_PDF_BYTES + 1).read_to_end(&mut pdf).is_err() || pdf.len() as u64 > MAX_PDF_BYTES {
        eprintln!("PDF 太大或无法读取");
        return 1;
    }
    let mode = std::env::args().nth(2);
    let base = mode.as_deref().and_then(|a| a.parse::<usize>().ok());
    let result = match (mode.as_deref(), base) {
        (Some(PARSE_MODE), _) => crate::archive::load_pdf(&pdf).map(|_| Vec::new()),
        (Some(TEXT_MODE), _) => crate::import::pdf::text_of(&pdf).map(String::into_bytes),
        (_, Some(base)) => crate::revisions::changes_after(&pdf, base).map(|c| c.join("\n").into_bytes()),
        _ => crate::archive::extract(&pdf).map(|x| x.encode()),
    };
    match result {
        Ok(x) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&x).and_then(|_| out.flush()).is_err() {
                return 2;
            }
            0
        }
        Err(m) => {
            eprintln!("{}", shown(&m));
            1
        }
    }
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
        x.signatures.push(crate::signature::RawSignature {
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
