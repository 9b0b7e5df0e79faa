//! Import bombs (issue 24): small files made to cost memory or time out of
//! all proportion, and text made to mislead the terminal. Each runs the
//! binary in a bounded address space and under a time bound: an abort
//! (exit 134), a kill or a hang is a failure; a refusal in Chinese (exit 1)
//! or a bounded import (exit 0) is not. Time bounds only tell quadratic
//! (minutes) from linear (seconds): CI is a loaded machine.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
/// Address space for the importer: 1 GiB, as `docx_bombs_are_refused_with_bounded_memory`.
const MEMORY_KIB: u64 = 1 << 20;
/// Killed after this: the old code ran for many minutes.
const KILL_AFTER: Duration = Duration::from_secs(120);
/// A linear import of these files takes a second or two; quadratic, minutes.
const LINEAR: Duration = Duration::from_secs(40);

/// Write `parts` as a .docx (deflated) in `dir`.
fn write_docx(dir: &Path, name: &str, parts: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (n, bytes) in parts {
        zip.start_file(*n, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn document(body: &str) -> String {
    format!("<?xml version=\"1.0\"?><w:document {W}><w:body>{body}</w:body></w:document>")
}

/// The binary under test (`JIXIAO_TEST_BIN` names another, as in `common`).
fn exe() -> std::ffi::OsString {
    std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into())
}

struct Ran {
    code: Option<i32>,
    took: Duration,
    stdout: String,
    stderr: String,
}

/// `jixiao import input -o out` with `ulimit -v` and killed after [`KILL_AFTER`].
fn import_bounded(input: &Path, out: &Path) -> Ran {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" import \"$1\" -o \"$2\""))
        .arg(exe())
        .arg(input)
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let so = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = so.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let se = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = se.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    Ran { code: status.and_then(|s| s.code()), took, stdout: so.join().unwrap(), stderr: se.join().unwrap() }
}

/// Exit 0 or 1 (never an abort, a signal or a kill), within [`LINEAR`].
fn assert_bounded(what: &str, r: &Ran) {
    eprintln!("{what}: exit {:?} in {:?}: {}{}", r.code, r.took, r.stderr.trim(), r.stdout.lines().filter(|l| l.contains("编号")).collect::<String>());
    assert!(
        matches!(r.code, Some(0 | 1)),
        "{what}: exit {:?} after {:?} (134 is an abort at the memory limit, None a kill): {}",
        r.code,
        r.took,
        r.stderr
    );
    assert!(r.took < LINEAR, "{what}: took {:?}", r.took);
}

/// Word's numbering starting at 4 294 967 290 as letters (`aaaa…`, 165
/// million of them), four times in the level's text: the old import built
/// the strings and aborted at the memory limit. Now counters are capped:
/// the import is small and says so.
#[test]
fn numbering_that_starts_at_four_billion_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let para = |t: &str| format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body: String = ["示例局2023年度部门整体支出绩效自评报告", "部门基本情况", "自评结论"].iter().map(|t| para(t)).collect();
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"4294967290\"/>\
         <w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%1%1%1%1、\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    let input = write_docx(dir.path(), "start.docx", &[("word/document.xml", document(&body).as_bytes()), ("word/numbering.xml", numbering.as_bytes())]);
    assert!(std::fs::metadata(&input).unwrap().len() < 4096);
    let out = dir.path().join("start.toml");
    let r = import_bounded(&input, &out);
    assert_bounded("numbering from 4294967290", &r);
    if r.code == Some(0) {
        assert!(std::fs::metadata(&out).unwrap().len() < 64 * 1024, "{}", r.stdout);
        assert!(r.stdout.contains("编号"), "the cap is not named: {}", r.stdout);
    } else {
        assert!(!out.exists());
    }
}

/// A PDF of a few KB whose page shows a million spaces between two words.
fn spaces_pdf() -> Vec<u8> {
    let mut content = b"BT /F1 12 Tf 72 720 Td (Report".to_vec();
    content.extend(std::iter::repeat_n(b' ', 1_000_000));
    content.extend_from_slice(b"text) Tj ET");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&content).unwrap();
    let stream = z.finish().unwrap();
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |pdf: &mut Vec<u8>, body: &[u8]| {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    };
    object(&mut pdf, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(&mut pdf, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object(&mut pdf, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>");
    let mut s = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes();
    s.extend_from_slice(&stream);
    s.extend_from_slice(b"\nendstream");
    object(&mut pdf, &s);
    object(&mut pdf, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in &offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes());
    pdf
}

/// The parent process squashed the spaces of each line by looking ahead
/// from every space: quadratic, outside the limits of the child that
/// parsed the PDF (killed after 90 s in the report). Now every stage is linear.
#[test]
fn a_pdf_of_a_million_spaces_imports_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = spaces_pdf();
    assert!(pdf.len() < 8 * 1024, "{}", pdf.len());
    let input = dir.path().join("spaces.pdf");
    std::fs::write(&input, &pdf).unwrap();
    let out = dir.path().join("spaces.toml");
    let r = import_bounded(&input, &out);
    assert_bounded("a million spaces", &r);
    if r.code == Some(0) {
        assert!(std::fs::metadata(&out).unwrap().len() < 64 * 1024);
    }
}

/// A docx of 1–2 MB whose text (40 000 paragraphs of 250 characters: ten
/// million characters) is far over what a report may hold: the old import
/// wrote a data file of tens of MB that `check` then refused. Now it is
/// refused up front, naming what is too big, and no file is written.
#[test]
fn an_oversized_docx_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "本年度我单位围绕中心工作，认真履行职责，各项工作取得了明显成效。".repeat(8);
    let mut body = String::from("<w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p>");
    for i in 0..40_000 {
        body.push_str(&format!("<w:p><w:r><w:t>{i}{sentence}</w:t></w:r></w:p>"));
    }
    let input = write_docx(dir.path(), "big.docx", &[("word/document.xml", document(&body).as_bytes())]);
    assert!(std::fs::metadata(&input).unwrap().len() < 4 << 20);
    let out = dir.path().join("big.toml");
    let r = import_bounded(&input, &out);
    assert_bounded("an oversized docx", &r);
    assert_eq!(r.code, Some(1), "imported: {} bytes\n{}", std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0), r.stdout);
    assert!(r.stderr.contains("上限"), "{}", r.stderr);
    assert!(!out.exists());
}

/// One table row of 40 000 cells each spanning 64 grid columns, and 1 500
/// rows under it: 2.5 million columns, each written out as a column title
/// (tens of MB) and walked for every row. Refused up front.
#[test]
fn a_table_of_millions_of_columns_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let wide = "<w:tc><w:tcPr><w:gridSpan w:val=\"64\"/></w:tcPr></w:tc>".repeat(40_000);
    let row = "<w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr>".repeat(1_500);
    let body = format!("<w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p><w:tbl><w:tr>{wide}</w:tr>{row}</w:tbl>");
    let input = write_docx(dir.path(), "wide.docx", &[("word/document.xml", document(&body).as_bytes())]);
    let out = dir.path().join("wide.toml");
    let r = import_bounded(&input, &out);
    assert_bounded("a table of millions of columns", &r);
    assert_eq!(r.code, Some(1), "imported: {} bytes", std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0));
    assert!(r.stderr.contains("表格"), "{}", r.stderr);
    assert!(!out.exists());
}

/// A field instruction of 8 MB of spaces, and 300 000 (empty) runs after
/// it in the same paragraph: the old import took the first word of the
/// instruction again for every run.
#[test]
fn a_long_field_instruction_costs_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let instr = " ".repeat(8 << 20);
    let runs = format!("<w:r><w:t>结果</w:t></w:r>{}", "<w:r><w:t></w:t></w:r>".repeat(300_000));
    let body = format!(
        "<w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\">{instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{runs}\
         <w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
    );
    let input = write_docx(dir.path(), "field.docx", &[("word/document.xml", document(&body).as_bytes())]);
    let out = dir.path().join("field.toml");
    let r = import_bounded(&input, &out);
    assert_bounded("a long field instruction", &r);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// The summary quotes the source (an amount's label here): a right-to-left
/// override in it must not reach the terminal raw.
#[test]
fn bidirectional_controls_in_the_summary_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bidi.txt");
    std::fs::write(
        &input,
        "示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n2023年，本年支出合计100元，\u{202E}其他支出50元。\n二、自评结论\n良好。\n",
    )
    .unwrap();
    let out = dir.path().join("bidi.toml");
    let r = import_bounded(&input, &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("其他支出"), "the label is not in the summary: {}", r.stdout);
    assert!(!r.stdout.contains('\u{202E}') && !r.stderr.contains('\u{202E}'), "raw U+202E: {}", r.stdout);
    assert!(r.stdout.contains("\\u{202e}"), "{}", r.stdout);
}

/// `jixiao serve` without a data file, in a bounded address space; its URL
/// is the first line it prints: (child, port, token).
fn serve_bounded(dir: &Path) -> (std::process::Child, u16, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" serve --port 0 --no-open", 2 * MEMORY_KIB))
        .arg(exe())
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let rest = line.trim().strip_prefix("http://127.0.0.1:").unwrap_or_else(|| panic!("first line is not the URL: {line:?}")).to_string();
    let (port, token) = rest.split_once("/?token=").unwrap();
    (child, port.parse().unwrap(), token.to_string())
}

/// POST `body` to `/api/import` as the page does; the status, or None when
/// the connection closed without an answer (the server died).
fn upload(port: u16, token: &str, name: &str, body: &[u8]) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(KILL_AFTER)).unwrap();
    let head = format!(
        "POST /api/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nX-Jixiao-Token: {token}\r\nX-File-Name: {name}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.split(' ').nth(1).and_then(|c| c.parse().ok())
}

/// The same bombs uploaded to the editor: it answers each and stays up.
#[test]
fn uploads_to_serve_are_bounded_and_the_editor_stays_up() {
    let files = tempfile::tempdir().unwrap();
    let para = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>部门基本情况</w:t></w:r></w:p>";
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"4294967290\"/>\
         <w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"%1%1%1%1、\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    let docx = write_docx(files.path(), "start.docx", &[("word/document.xml", document(&para.repeat(3)).as_bytes()), ("word/numbering.xml", numbering.as_bytes())]);
    for (name, bytes) in [("start.docx", std::fs::read(&docx).unwrap()), ("spaces.pdf", spaces_pdf())] {
        // A server of its own for each: a successful import opens the report.
        let dir = tempfile::tempdir().unwrap();
        let (mut child, port, token) = serve_bounded(dir.path());
        let start = Instant::now();
        let status = upload(port, &token, name, &bytes);
        let took = start.elapsed();
        let alive = child.try_wait().unwrap().is_none();
        if !alive || status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        assert!(alive, "{name}: the server died ({:?}) after {took:?}", child.try_wait().ok().flatten());
        assert!(status.is_some_and(|s| s == 200 || s == 400 || s == 422), "{name}: status {status:?} after {took:?}");
        assert!(took < LINEAR, "{name}: took {took:?}");
        let _ = child.kill();
        let _ = child.wait();
    }
}
