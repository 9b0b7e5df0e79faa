//! Reading a PDF that may come from anyone in a separate process with
//! limited memory and time (`exe __extract-pdf MODE`): a PDF made to exhaust
//! memory, to recurse without end or to loop costs that process only. The
//! modes: what `verify` needs (embedded files, page digests, signatures),
//! what the revisions after the signed base changed, each page's text (for
//! `import`), or only whether it parses (before `sign` parses it itself).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::archive::attachments::Extracted;
use crate::base::diagnostic::shown;

/// The largest PDF `verify` reads (a 30-page report is a few MB).
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;
/// Memory and time the parsing process may use.
pub const EXTRACT_MEMORY: u64 = 1024 * 1024 * 1024;
pub const EXTRACT_SECONDS: u64 = 60;
/// The hidden subcommand the parsing process runs.
pub const EXTRACT_COMMAND: &str = "__extract-pdf";

/// Parse `pdf` in a child process (`exe __extract-pdf`) limited to
/// [`EXTRACT_MEMORY`] and [`EXTRACT_SECONDS`]: a PDF made to exhaust memory,
/// to recurse without end or to loop costs that process only.
pub fn extract_isolated(exe: &Path, pdf: &[u8]) -> Result<Extracted, String> {
    let out = run_isolated(exe, &[], pdf, OUTPUT_CAP)?;
    Extracted::decode(&out).ok_or_else(|| "解析进程的输出不完整".to_string())
}

/// In the same limited child process: what the revisions after the first
/// `base` bytes changed that signatures do not explain (see
/// [`crate::archive::revisions::changes_after`]).
pub fn changes_isolated(exe: &Path, pdf: &[u8], base: usize) -> Result<Vec<String>, String> {
    let out = run_isolated(exe, &[base.to_string()], pdf, OUTPUT_CAP)?;
    let text = String::from_utf8(out).map_err(|_| "解析进程的输出不完整".to_string())?;
    Ok(text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
}

/// The most text of a PDF's pages read for `import`: a 30-page report is
/// some 100 KB.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// In the same limited child process: the text of the pages, separated by
/// form feeds (for `import`), at most [`MAX_TEXT_BYTES`].
pub fn pdf_text_isolated(exe: &Path, pdf: &[u8]) -> Result<String, String> {
    let cap = MAX_TEXT_BYTES as u64;
    let out = run_isolated(exe, &[TEXT_MODE.to_string()], pdf, cap)?;
    if out.len() as u64 > cap {
        return Err(format!("PDF 中的文字超过 {} MiB，不像是一份报告；不能导入", cap >> 20));
    }
    String::from_utf8(out).map_err(|_| "解析进程的输出不完整".to_string())
}

/// The most output read from the child for `verify`: the embedded files.
const OUTPUT_CAP: u64 = 64 * crate::archive::attachments::MAX_EMBEDDED_BYTES as u64 + (1 << 20);

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
        // The allocator (mimalloc) reserves 1 GiB of address space up front
        // by default, all of the child's RLIMIT_AS; a smaller reserve leaves
        // the limit for what the PDF really takes.
        .env("MIMALLOC_ARENA_RESERVE", "64MiB")
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
/// message for a PDF that cannot be read. `text_of` reads the text of the
/// pages (import's reader, which lives above this stage and is handed down
/// by the binary).
pub fn extract_child(text_of: fn(&[u8]) -> Result<String, String>) -> i32 {
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
        (Some(PARSE_MODE), _) => crate::archive::attachments::load_pdf(&pdf).map(|_| Vec::new()),
        (Some(TEXT_MODE), _) => text_of(&pdf).map(String::into_bytes),
        (_, Some(base)) => crate::archive::revisions::changes_after(&pdf, base).map(|c| c.join("\n").into_bytes()),
        _ => crate::archive::attachments::extract(&pdf).map(|x| x.encode()),
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

