//! Hostile files and faults: each case of issue 11 as it was reproduced, and
//! the outcome it must have now. Nothing panics (exit 101) or aborts (134),
//! nothing is read or written outside, nothing is lost.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{bin, repo, run, stderr, write_data};
use lopdf::{Document as Pdf, Object};

const HEAD: &str = "unit = \"示例局\"\nyear = 2023\n";
const SECTION: &str = "[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"我单位无下属单位。\"\n";

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small report, rendered: (data path, PDF path).
fn small_pdf(dir: &Path) -> (PathBuf, PathBuf) {
    let data = write_data(dir, "r.toml", &format!("{HEAD}{SECTION}"));
    let out = dir.join("r.pdf");
    let o = run(&["render", s(&data), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    (data, out)
}

fn decode_name(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => String::from_utf16_lossy(&rest.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Rewrite a jixiao PDF: embedded file names through `name`, the attached
/// `jixiao.json` through `json`, each embedded data file's content through
/// `content` (given its name). Returns the new PDF's bytes.
fn tamper(
    pdf: &Path,
    name: &dyn Fn(&str) -> String,
    json: &dyn Fn(&mut serde_json::Value),
    content: &dyn Fn(&str, &mut lopdf::Stream),
) -> Vec<u8> {
    let mut doc = Pdf::load(pdf).unwrap();
    let ids: Vec<_> = doc.objects.keys().cloned().collect();
    let mut data_streams = Vec::new();
    for id in &ids {
        if let Ok(Object::Dictionary(d)) = doc.get_object_mut(*id)
            && d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Filespec".as_slice())
        {
            let old = match d.get(b"UF").or_else(|_| d.get(b"F")) {
                Ok(Object::String(b, _)) => decode_name(b),
                _ => continue,
            };
            let new = name(&old);
            d.set("UF", Object::string_literal(new.clone()));
            d.set("F", Object::string_literal(new.clone()));
            if let Ok(Object::Dictionary(ef)) = d.get(b"EF")
                && let Ok(Object::Reference(r)) = ef.get(b"F")
            {
                data_streams.push((*r, old));
            }
        }
    }
    for (r, old) in data_streams {
        let Ok(Object::Stream(st)) = doc.get_object_mut(r) else { continue };
        if old == "jixiao.json" {
            let mut v: serde_json::Value = serde_json::from_slice(&st.decompressed_content().unwrap()).unwrap();
            json(&mut v);
            st.set_plain_content(serde_json::to_vec(&v).unwrap());
        } else {
            content(&old, st);
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn keep(n: &str) -> String {
    n.to_string()
}

// ---------------------------------------------------------------- security

#[test]
fn verify_never_writes_an_embedded_name_outside() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = small_pdf(dir.path());
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let absolute = s(&victim).to_string();
    for (label, evil) in [("absolute", absolute.clone()), ("dotdot", "../../victim.txt".to_string())] {
        // The data file's name, both in the PDF's file list and in jixiao.json.
        let evil2 = evil.clone();
        let bytes = tamper(
            &pdf,
            &|n| if n == "r.toml" { evil.clone() } else { n.to_string() },
            &|v| v["source"] = serde_json::Value::String(evil2.clone()),
            &|_, _| {},
        );
        let bad = dir.path().join(format!("{label}.pdf"));
        std::fs::write(&bad, bytes).unwrap();
        let o = run(&["verify", s(&bad)]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(code(&o), 1, "{label}: {out}{}", stderr(&o));
        assert!(out.contains("不是普通的文件名"), "{label}: {out}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me", "{label}");
    }
    // A name listed only in jixiao.json's images.
    let bytes = tamper(&pdf, &keep, &|v| v["assets"] = serde_json::json!(["../../victim.txt"]), &|_, _| {});
    let bad = dir.path().join("assets.pdf");
    std::fs::write(&bad, bytes).unwrap();
    let o = run(&["verify", s(&bad)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}");
    assert!(out.contains("离开了数据文件所在的文件夹"), "{out}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn verify_caps_an_inflating_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = small_pdf(dir.path());
    // 64 MiB of zeros deflate to about 64 KB: over the 16 MiB cap.
    let bomb = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..64 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap()
    };
    let bytes = tamper(&pdf, &keep, &|_| {}, &|n, st| {
        if n == "r.toml" {
            st.set_content(bomb.clone());
            st.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            st.dict.remove(b"DecodeParms");
        }
    });
    let bad = dir.path().join("bomb.pdf");
    std::fs::write(&bad, bytes).unwrap();
    let o = run(&["verify", s(&bad)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    assert!(out.contains("16 MiB 的上限"), "{out}");
}

/// A PDF whose one object nests arrays a million deep: a recursive parser
/// overflows its stack. The parse runs in a limited child process, so
/// `verify` still answers.
#[test]
fn verify_survives_a_parser_bomb() {
    let dir = tempfile::tempdir().unwrap();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let off1 = pdf.len();
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let off2 = pdf.len();
    pdf.extend_from_slice(b"2 0 obj\n");
    pdf.extend(std::iter::repeat_n(b'[', 1_000_000));
    pdf.extend(std::iter::repeat_n(b']', 1_000_000));
    pdf.extend_from_slice(b"\nendobj\n");
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 3\n0000000000 65535 f \n{off1:010} 00000 n \n{off2:010} 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let bad = dir.path().join("deep.pdf");
    std::fs::write(&bad, pdf).unwrap();
    let o = run(&["verify", s(&bad)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    assert!(out.contains("不一致"), "{out}");
}

#[test]
fn only_regular_files_of_sane_size_are_read() {
    let o = run(&["render", "/dev/zero", "-o", "/tmp/jixiao-never.pdf"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("不是普通文件"), "{}", stderr(&o));
    let o = run(&["check", "/dev/zero"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = run(&["verify", "/dev/zero"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));

    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(17 * 1024 * 1024).unwrap();
    let o = run(&["check", s(&big)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("上限 16 MiB"), "{}", stderr(&o));
}

#[test]
fn terminal_escapes_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "t.toml", &format!("{HEAD}title = \"报告\\u001b]0;pwned\\u0007\\u001b[2J\"\n{SECTION}"));
    let o = run(&["check", s(&data)]);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "raw control characters reached the terminal: {err:?}");
    assert!(err.contains("title") && err.contains("U+001B"), "{err}");
    // A file name with an escape in it is shown escaped too.
    let odd = dir.path().join("a\u{1b}[2Jb.toml");
    let o = run(&["check", s(&odd)]);
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("\\u{1b}"), "{err}");
}

#[test]
fn svg_seal_with_external_references_and_entities_reads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().parent().unwrap().join(format!("jixiao-secret-{}.txt", std::process::id()));
    std::fs::write(&secret, "TOPSECRET-1234").unwrap();
    let shape = r#"<circle cx="50" cy="50" r="45" fill="none" stroke="red" stroke-width="4"/>"#;
    let open = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">"#;
    let references = format!(
        "{open}{shape}<image href=\"file://{0}\" width=\"10\" height=\"10\"/><image xlink:href=\"{0}\" width=\"10\" height=\"10\"/><image href=\"../../etc/hostname\" width=\"10\" height=\"10\"/></svg>",
        secret.display()
    );
    let entity = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file://{}\">]>\n{open}{shape}<text x=\"10\" y=\"50\">&xxe;</text></svg>",
        secret.display()
    );
    let plain = format!("{open}{shape}</svg>");
    for (name, svg, exit) in [("plain.svg", plain, 0), ("refs.svg", references, 1), ("entity.svg", entity, 1)] {
        std::fs::write(dir.path().join(name), svg).unwrap();
        let data = write_data(
            dir.path(),
            "s.toml",
            &format!("{HEAD}{SECTION}[closing]\ndate = 2024-03-01\nseal = true\nseal_image = \"{name}\"\n"),
        );
        let out = dir.path().join("s.pdf");
        let _ = std::fs::remove_file(&out);
        let o = run(&["render", s(&data), "-o", s(&out)]);
        assert_eq!(code(&o), exit, "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("TOPSECRET"), "{name}");
        if exit == 0 {
            assert!(!common::pdf_text(&out).contains("TOPSECRET"), "{name}: the seal read a file outside");
            let raw = std::fs::read(&out).unwrap();
            assert!(!raw.windows(9).any(|w| w == b"TOPSECRET"), "{name}");
        } else {
            assert!(stderr(&o).contains("closing.seal_image"), "{name}: {}", stderr(&o));
            assert!(!out.exists());
        }
    }
    let _ = std::fs::remove_file(secret);
}

// ------------------------------------------------------------------ crashes

#[test]
fn huge_numbers_are_findings_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("amount", "[finance]\nbudget = \"1000000000000000000000000000\"\n"),
        (
            "sources",
            "[finance.income]\ntotal = \"1\"\nsources = [{ name = \"a\", amount = \"50000000000000000000000000000\" }, { name = \"b\", amount = \"50000000000000000000000000000\" }]\n",
        ),
        (
            "bonus",
            "[[sections]]\ntitle = \"加分\"\nweight = 5\n[sections.bonus]\ncap = 5\ngroups = [{ name = \"g\", each = 5e28, cap = 5 }]\nawards = [{ group = \"g\", name = \"x\" }, { group = \"g\", name = \"y\" }]\n",
        ),
        (
            "table",
            "[[sections]]\ntitle = \"表\"\n[[sections.blocks]]\n[sections.blocks.table]\ncolumns = [{ title = \"项\" }, { title = \"数\" }]\nrows = [[\"a\", \"79228162514264337593543950335\"], [\"b\", \"79228162514264337593543950335\"]]\ntotal = { columns = [2] }\n",
        ),
    ];
    for (label, body) in cases {
        let data = write_data(dir.path(), &format!("{label}.toml"), &format!("{HEAD}{SECTION}{body}"));
        for cmd in ["check", "render"] {
            let o = run(&[cmd, s(&data), "-o", s(&dir.path().join("x.pdf"))].as_slice()[..if cmd == "check" { 2 } else { 4 }]);
            let err = stderr(&o);
            assert_eq!(code(&o), 1, "{label} {cmd}: {err}");
            assert!(err.contains("超出合理范围") || err.contains("不是数字"), "{label} {cmd}: {err}");
        }
    }
    // A batch with one such file goes on and writes its summary.
    let inbox = dir.path().join("in");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("bad.toml"), format!("{HEAD}{SECTION}{}", cases[0].1)).unwrap();
    std::fs::write(inbox.join("good.toml"), format!("{HEAD}{SECTION}")).unwrap();
    let csv = dir.path().join("sum.csv");
    let o = run(&["batch", s(&inbox), "-o", s(&dir.path().join("out")), "--summary", s(&csv)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let sum = std::fs::read_to_string(&csv).unwrap();
    assert!(sum.contains("good.toml") && sum.contains("成功"), "{sum}");
    assert!(sum.contains("bad.toml") && sum.contains("超出合理范围"), "{sum}");
    assert!(dir.path().join("out/good.pdf").exists());
}

#[test]
fn spans_beyond_the_table_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    for span in ["rowspan = 4294967295", "colspan = 4294967295", "rowspan = 10000000"] {
        let data = write_data(
            dir.path(),
            "span.toml",
            &format!(
                "{HEAD}{SECTION}[[sections.blocks]]\n[sections.blocks.table]\ncolumns = [{{ title = \"甲\" }}, {{ title = \"乙\" }}]\nrows = [[{{ text = \"合\", {span} }}, \"x\"], [\"y\"]]\n"
            ),
        );
        let o = run(&["render", s(&data), "-o", s(&dir.path().join("span.pdf"))]);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{span}: {err}");
        assert!(err.contains("超出了表格"), "{span}: {err}");
    }
}

// ---------------------------------------------------------------- data loss

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("tests/fixtures/seal-test.png"), dir.path().join("seal.png")).unwrap();
    let text = format!("{HEAD}{SECTION}[closing]\ndate = 2024-03-01\nseal = true\nseal_image = \"seal.png\"\n");
    let data = write_data(dir.path(), "a.toml", &text);
    let link = dir.path().join("hard.toml");
    std::fs::hard_link(&data, &link).unwrap();
    let seal = std::fs::read(dir.path().join("seal.png")).unwrap();
    for out in [data.clone(), link.clone(), dir.path().join("seal.png")] {
        let o = run(&["render", s(&data), "-o", s(&out)]);
        let err = stderr(&o);
        assert_ne!(code(&o), 0, "{err}");
        assert!(err.contains("就是输入文件"), "{err}");
        assert_eq!(std::fs::read_to_string(&data).unwrap(), text);
        assert_eq!(std::fs::read(dir.path().join("seal.png")).unwrap(), seal);
    }
}

#[cfg(unix)]
#[test]
fn outputs_onto_special_files_are_refused_and_links_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "a.toml", &format!("{HEAD}{SECTION}"));
    let fifo = dir.path().join("pipe.pdf");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let o = run(&["render", s(&data), "-o", s(&fifo)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("不是普通文件"), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let o = run(&["render", s(&data), "-o", "/dev/null"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());

    // A link is written through to its target, and stays a link.
    let target = dir.path().join("real.pdf");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.pdf");
    std::os::unix::fs::symlink("real.pdf", &link).unwrap();
    let o = run(&["render", s(&data), "-o", s(&link)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
}

#[cfg(unix)]
#[test]
fn batch_never_lets_one_output_replace_another() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("in"), dir.path().join("in2"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("a.toml"), format!("unit = \"甲单位\"\nyear = 2023\n{SECTION}")).unwrap();
    std::fs::write(b.join("a.toml"), format!("unit = \"乙单位\"\nyear = 2023\n{SECTION}")).unwrap();
    // A link loop and an unreadable entry are named, not skipped.
    std::os::unix::fs::symlink("loop.toml", a.join("loop.toml")).unwrap();
    let out = dir.path().join("out");
    let csv = dir.path().join("s.csv");
    let o = run(&["batch", s(&a), s(&b), "-o", s(&out), "--summary", s(&csv)]);
    let sum = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(code(&o), 1, "{sum}");
    assert!(sum.contains("loop.toml") && sum.contains("循环"), "{sum}");
    let pdfs: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(pdfs.len(), 2, "{pdfs:?}");
    let texts: Vec<String> = pdfs.iter().map(|p| common::pdf_text(p)).collect();
    assert!(texts.iter().any(|t| t.contains("甲单位")) && texts.iter().any(|t| t.contains("乙单位")), "{pdfs:?}");
}

#[cfg(unix)]
fn interrupted_render(signal: i32) -> (PathBuf, tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "a.toml", &format!("{HEAD}{SECTION}"));
    let out = dir.path().join("a.pdf");
    std::fs::write(&out, "old complete PDF").unwrap();
    let child = bin()
        .args(["render", s(&data), "-o", s(&out)])
        .env("JIXIAO_TEST_WRITE_PAUSE_MS", "20000")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let tmp_exists = || {
        std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".jixiao-"))
    };
    let start = std::time::Instant::now();
    while !tmp_exists() {
        assert!(start.elapsed().as_secs() < 60, "the temporary file never appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, signal) };
    let o = child.wait_with_output().unwrap();
    (out, dir, o)
}

#[cfg(unix)]
#[test]
fn signals_during_the_write_leave_no_temporary_file() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let (out, dir, o) = interrupted_render(sig);
        assert_eq!(o.status.code(), Some(128 + sig), "signal {sig}");
        let left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(!left.iter().any(|n| n.starts_with(".jixiao-")), "signal {sig}: {left:?}");
        assert_eq!(std::fs::read(&out).unwrap(), b"old complete PDF");
    }
    // SIGKILL cannot be caught: the output is still the old complete file.
    let (out, _dir, _) = interrupted_render(libc::SIGKILL);
    assert_eq!(std::fs::read(&out).unwrap(), b"old complete PDF");
}

// ------------------------------------------------------------- wrong output

#[test]
fn control_characters_in_text_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    for (key, text) in [("unit", "示例\\u0000局"), ("title", "标题\\u0001"), ("unit", "示例\\u001b局")] {
        let body = if key == "unit" {
            format!("unit = \"{text}\"\nyear = 2023\n{SECTION}")
        } else {
            format!("{HEAD}title = \"{text}\"\n{SECTION}")
        };
        let data = write_data(dir.path(), "c.toml", &body);
        let o = run(&["render", s(&data), "-o", s(&dir.path().join("c.pdf"))]);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{err}");
        assert!(err.contains(&format!("{key}：文字中含有控制字符")), "{err}");
    }
}

#[test]
fn a_misspelled_font_family_is_named_with_its_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "f.toml", &format!("{HEAD}{SECTION}[fonts]\nbody = [\"FandolFang-拼错\"]\n"));
    let o = run(&["check", s(&data)]);
    let err = stderr(&o);
    assert!(err.contains("找不到字体“FandolFang-拼错”"), "{err}");
    assert!(err.contains("“FandolFang”"), "{err}");
    assert!(err.contains("fonts.body"), "{err}");
}

#[test]
fn invisible_format_characters_are_not_tofu_and_bidi_controls_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "张\u{200B}三\u{200D}李\u{2060}四\u{FE0F}王\u{E0101}五";
    let data = write_data(dir.path(), "i.toml", &format!("{HEAD}[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"{text}\"\n"));
    let out = dir.path().join("i.pdf");
    let o = run(&["render", s(&data), "-o", s(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("方框"), "{}", stderr(&o));
    for bidi in ["\u{202E}", "\u{2066}", "\u{200F}"] {
        let data = write_data(dir.path(), "b.toml", &format!("{HEAD}[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"甲{bidi}乙\"\n"));
        let o = run(&["check", s(&data)]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("双向文字控制符"), "{}", stderr(&o));
    }
}

#[test]
fn broken_seal_images_are_bad_input_at_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(repo().join("tests/fixtures/seal-test.png")).unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.png", b"", "空文件"),
        ("text.png", b"not an image at all", "不是可读的 PNG"),
        ("real-png.svg", &png, "内容是 PNG"),
        ("trunc.png", &png[..png.len() / 3], "PNG"),
    ];
    for (name, bytes, says) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let data = write_data(
            dir.path(),
            "s.toml",
            &format!("{HEAD}{SECTION}[closing]\ndate = 2024-03-01\nseal = true\nseal_image = \"{name}\"\n"),
        );
        let o = run(&["render", s(&data), "-o", s(&dir.path().join("s.pdf"))]);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{name}: {err}");
        assert!(err.contains("closing.seal_image") && err.contains(says), "{name}: {err}");
    }
    // JPEG is documented and works: the fixture re-encoded is not needed;
    // a PNG named .png renders.
    std::fs::write(dir.path().join("ok.png"), &png).unwrap();
    let data = write_data(dir.path(), "s.toml", &format!("{HEAD}{SECTION}[closing]\ndate = 2024-03-01\nseal = true\nseal_image = \"ok.png\"\n"));
    let o = run(&["render", s(&data), "-o", s(&dir.path().join("s.pdf"))]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn years_and_dates_out_of_range_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    for (body, says) in [
        ("unit = \"示例局\"\nyear = 99999\n", "年度 99999 超出范围"),
        ("unit = \"示例局\"\nyear = 0\n", "年度 0 超出范围"),
        ("unit = \"示例局\"\nyear = 2023\n[closing]\ndate = 0000-01-01\n", "成文日期 0000-01-01 的年份超出范围"),
    ] {
        let data = write_data(dir.path(), "y.toml", &format!("{body}{SECTION}"));
        let o = run(&["check", s(&data)]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
    // A far SOURCE_DATE_EPOCH is ignored with a word, not a failure.
    let data = write_data(dir.path(), "y.toml", &format!("{HEAD}{SECTION}"));
    let o = bin().args(["render", s(&data), "-o", s(&dir.path().join("y.pdf"))]).env("SOURCE_DATE_EPOCH", "999999999999999").output().unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));
}

#[test]
fn verify_uses_the_date_the_pdf_was_made_with() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "d.toml", &format!("{HEAD}{SECTION}"));
    let out = dir.path().join("d.pdf");
    let o = bin().args(["render", s(&data), "-o", s(&out)]).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = bin().args(["verify", s(&out)]).env_remove("SOURCE_DATE_EPOCH").output().unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let plain = dir.path().join("p.pdf");
    let o = bin().args(["render", s(&data), "-o", s(&plain)]).env_remove("SOURCE_DATE_EPOCH").output().unwrap();
    assert_eq!(code(&o), 0);
    let o = bin().args(["verify", s(&plain)]).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
}

// -------------------------------------------------------------------- small

#[cfg(unix)]
#[test]
fn smaller_faults_get_their_own_words() {
    let dir = tempfile::tempdir().unwrap();
    // A seal that is a link loop.
    std::os::unix::fs::symlink("loop.png", dir.path().join("loop.png")).unwrap();
    let data = write_data(dir.path(), "l.toml", &format!("{HEAD}{SECTION}[closing]\ndate = 2024-03-01\nseal_image = \"loop.png\"\n"));
    let o = run(&["check", s(&data)]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("循环的符号链接"), "{}", stderr(&o));

    // Pages that do not exist.
    let data = write_data(dir.path(), "p.toml", &format!("{HEAD}{SECTION}"));
    let o = run(&["preview", s(&data), "--pages", "999", "-o", s(&dir.path().join("png"))]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("只有 1 页"), "{}", stderr(&o));

    // A zero budget is named as zero, not as missing.
    let data = write_data(dir.path(), "b.toml", &format!("{HEAD}{SECTION}[finance]\nbudget = \"0\"\n"));
    let o = run(&["check", s(&data)]);
    assert!(stderr(&o).contains("全年预算数为 0"), "{}", stderr(&o));

    // init with a line break in the unit writes nothing.
    let starter = dir.path().join("new.toml");
    let o = run(&["init", s(&starter), "--unit", "a\nb"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(!starter.exists());
    let o = run(&["init", s(&starter), "--unit", "示例\"局\\"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&starter).unwrap();
    assert!(toml::from_str::<toml::Table>(&text).is_ok());

    // A manifest that cannot be written says the PDF was kept.
    let data = write_data(dir.path(), "m.toml", &format!("{HEAD}{SECTION}"));
    let out = dir.path().join("m.pdf");
    std::fs::create_dir(dir.path().join("m.pdf.sha256")).unwrap();
    let o = run(&["render", s(&data), "-o", s(&out), "--manifest"]);
    assert_eq!(code(&o), 3);
    let err = stderr(&o);
    assert!(err.contains("错误：无法写入校验文件：") && err.contains("m.pdf.sha256 是一个文件夹；请给出要写入的文件名\n"), "{err}");
    assert!(err.contains("PDF 已生成并保留在 ") && err.contains("m.pdf；只是没有写出校验文件。"), "{err}");
    assert!(out.exists());
    // The same for an OFD, by the same rule.
    let ofd = dir.path().join("m.ofd");
    std::fs::create_dir(dir.path().join("m.ofd.sha256")).unwrap();
    let o = run(&["render", s(&data), "--format", "ofd", "-o", s(&ofd), "--manifest"]);
    assert_eq!(code(&o), 3);
    let err = stderr(&o);
    assert!(err.contains("m.ofd.sha256 是一个文件夹；请给出要写入的文件名\n"), "{err}");
    assert!(err.contains("OFD 已生成并保留在 ") && err.contains("m.ofd；只是没有写出校验文件。"), "{err}");
    assert!(ofd.exists());

    // A weight too fine to print.
    let data = write_data(dir.path(), "w.toml", &format!("{HEAD}[[sections]]\ntitle = \"指标\"\nweight = 1e-30\n"));
    let o = run(&["check", s(&data)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("小数位太多"), "{}", stderr(&o));
}

#[test]
fn reports_past_the_size_limits_are_refused_before_layout() {
    let dir = tempfile::tempdir().unwrap();
    let many_sections: String = (0..1001).map(|i| format!("[[sections]]\ntitle = \"第{i}节\"\n")).collect();
    let long = "长".repeat(50_001);
    let cells: String = (0..5001).map(|i| format!("[\"{i}\", \"{i}\"],")).collect();
    for (label, body, says) in [
        ("sections", format!("{HEAD}{many_sections}"), "章节（sections）共 1001 个，超过上限 1000"),
        ("text", format!("{HEAD}[[sections]]\ntitle = \"x\"\n[[sections.blocks]]\nparagraph = \"{long}\"\n"), "超过一段文字的上限 50000 字"),
        (
            "cells",
            format!("{HEAD}{SECTION}[[sections.blocks]]\n[sections.blocks.table]\ncolumns = [{{ title = \"a\" }}, {{ title = \"b\" }}]\nrows = [{cells}]\n"),
            "表格单元格共 10002 个",
        ),
    ] {
        let data = write_data(dir.path(), "big.toml", &body);
        let o = run(&["render", s(&data), "-o", s(&dir.path().join("big.pdf"))]);
        assert_eq!(code(&o), 1, "{label}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{label}: {}", stderr(&o));
        assert!(!dir.path().join("big.pdf").exists(), "{label}");
    }
}

#[test]
fn a_file_that_is_not_a_pdf_is_named_so_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not.pdf");
    std::fs::write(&bad, "这不是 PDF，只是一段文字。").unwrap();
    let o = run(&["verify", s(&bad)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}");
    assert!(out.contains("不一致：无法解析 PDF：文件已损坏，或者并不是 PDF"), "{out}");
}

/// A file with thousands of syntax errors (the data fuzzer's slowest case
/// took 14 s explaining 940 of them): the first hundred are explained, the
/// rest counted, and no PDF is written.
#[test]
fn thousands_of_syntax_errors_are_counted_not_each_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("unit = \"示例局\"\nyear = 2023\n");
    for i in 0..3000 {
        text.push_str(&format!("[[sections]]\ntitle = \"节{i}\"\ntitle = \"重复\"\n"));
    }
    let data = write_data(dir.path(), "many.toml", &text);
    let o = run(&["render", s(&data)]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert_eq!(err.matches("这个键在同一个表中写了两次").count(), 100, "{}", &err[err.len().saturating_sub(500)..]);
    assert!(err.contains("还有 2900 处语法错误未逐一列出：请先改正以上 100 处，再运行 jixiao check"), "{}", &err[err.len().saturating_sub(500)..]);
    assert!(!dir.path().join("many.pdf").exists());
}

/// A file replaced keeps its mode (a data file only its owner may read
/// stays so); a new file is created under the user's umask.
#[test]
#[cfg(unix)]
fn outputs_keep_the_mode_of_the_file_replaced_and_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "r.toml", &format!("{HEAD}{SECTION}"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let render = |umask: &str, out: &Path| {
        let cmd = format!("umask {umask} && exec \"$0\" render \"$1\" -o \"$2\"");
        let o = std::process::Command::new("sh")
            .args(["-c", &cmd])
            .arg(std::env::var_os("JIXIAO_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_jixiao").into()))
            .arg(&data)
            .arg(out)
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    };
    let private = dir.path().join("private.pdf");
    render("077", &private);
    assert_eq!(mode(&private), 0o600);
    let shared = dir.path().join("shared.pdf");
    render("022", &shared);
    assert_eq!(mode(&shared), 0o644);
    // Replacing a 0640 file, whatever the umask, keeps 0640.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
    render("077", &shared);
    assert_eq!(mode(&shared), 0o640);
}
