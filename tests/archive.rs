//! The archival PDF: PDF/A-3a (with PDF/UA-1) and the data inside, the same bytes every
//! time, metadata, `verify`, the manifest, and the seal image's path rules.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use jixiao::archive::attachments::read_attachments;
use lopdf::{Document, Object};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Copy the seed's data into `dir` and render it there, from `cwd`.
fn render_seed_in(dir: &Path, cwd: &Path, extra: &[&str]) -> PathBuf {
    let data = dir.join("lechang-fulian-2022.toml");
    std::fs::copy(seed_data(), &data).unwrap();
    let mut args = vec!["render", data.to_str().unwrap()];
    args.extend(extra);
    let o = bin().args(&args).current_dir(cwd).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("lechang-fulian-2022.pdf")
}

fn xmp(pdf: &Path) -> String {
    let doc = Document::load(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let Object::Stream(s) = doc.get_object(id).unwrap() else { panic!("no XMP stream") };
    String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())).into_owned()
}

#[test]
fn same_bytes_in_any_folder_and_after_touch() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pa = render_seed_in(a.path(), a.path(), &[]);
    let pb = render_seed_in(b.path(), Path::new("/"), &[]);
    let (ba, bb) = (std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap());
    assert_eq!(sha256(&ba), sha256(&bb));
    // Touching the data changes its mtime, not the PDF.
    let data = b.path().join("lechang-fulian-2022.toml");
    let f = std::fs::File::options().append(true).open(&data).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600)).unwrap();
    let o = run(&["render", data.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(sha256(&std::fs::read(&pb).unwrap()), sha256(&ba));
    // No path of the machine is in the PDF.
    for dir in [a.path(), b.path()] {
        let needle = dir.to_str().unwrap().as_bytes();
        assert!(!ba.windows(needle.len()).any(|w| w == needle) && !bb.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn pdfa3a_with_the_data_inside_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_seed_in(dir.path(), dir.path(), &[]);
    let x = xmp(&pdf);
    assert!(x.contains("<pdfaid:part>3</pdfaid:part>"), "{x}");
    assert!(x.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{x}");
    let files = read_attachments(&std::fs::read(&pdf).unwrap()).unwrap();
    assert_eq!(files["lechang-fulian-2022.toml"], std::fs::read(seed_data()).unwrap());
    let info: serde_json::Value = serde_json::from_slice(&files["jixiao.json"]).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["standard"], "a-3a");
}

#[test]
fn metadata_and_outline() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_seed_in(dir.path(), dir.path(), &[]);
    let doc = Document::load(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let lang = catalog.get(b"Lang").unwrap().as_str().unwrap();
    assert_eq!(lang, b"zh-CN");
    let x = xmp(&pdf);
    for s in ["乐昌市妇女联合会2022年度部门整体支出绩效自评报告", "jixiao 0.1.0", "部门整体支出绩效自评报告", "2023-01-01"] {
        assert!(x.contains(s), "{s} not in XMP");
    }
    // Outline: count the bookmarks and read their titles.
    let outlines = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let mut titles = Vec::new();
    let mut stack = vec![outlines.get(b"First").unwrap().as_reference().unwrap()];
    while let Some(id) = stack.pop() {
        let item = doc.get_dictionary(id).unwrap();
        let Object::String(t, _) = item.get(b"Title").unwrap() else { panic!() };
        let units: Vec<u16> = t[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        titles.push(String::from_utf16_lossy(&units));
        for key in [b"Next".as_slice(), b"First"] {
            if let Ok(r) = item.get(key).and_then(Object::as_reference) {
                stack.push(r);
            }
        }
    }
    for want in ["一、部门的基本情况", "（一）预算编制情况（28分）", "1.预算编制。", "（1）预算编制合理性（5分）。", "六、相关建议"] {
        assert!(titles.iter().any(|t| t == want), "{want} not among {titles:?}");
    }
    assert!(titles.len() >= 70, "{} bookmarks", titles.len());
}

#[test]
fn verify_accepts_the_pdf_and_rejects_changes() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_seed_in(dir.path(), dir.path(), &[]);
    let o = run(&["verify", pdf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(out.contains(&format!("SHA-256：{}", sha256(&bytes))) && out.contains("一致"), "{out}");

    // One figure changed in the embedded source (consistently, so it still checks).
    let mut doc = Document::load(&pdf).unwrap();
    let ids: Vec<_> = doc.objects.keys().copied().collect();
    let mut changed = false;
    for id in ids {
        if let Ok(Object::Stream(s)) = doc.get_object_mut(id) {
            let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
            let text = String::from_utf8_lossy(&content);
            if text.starts_with("# 乐昌市妇女联合会") {
                s.set_plain_content(text.replace("我部门无下属单位。", "我部门无下属单位了。").into_bytes());
                changed = true;
            }
        }
    }
    assert!(changed);
    let edited = dir.path().join("edited.pdf");
    doc.save(&edited).unwrap();
    let o = run(&["verify", edited.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    // Page 1 is untouched; the change on page 2 moves the text after it.
    assert!(out.contains("不一致：第 2、3、"), "{out}");

    // One byte of a page content stream changed in place.
    let page1 = *Document::load_mem(&bytes).unwrap().get_pages().get(&1).unwrap();
    let contents = Document::load_mem(&bytes).unwrap().get_dictionary(page1).unwrap().get(b"Contents").unwrap().as_reference().unwrap();
    let header = format!("\n{} {} obj", contents.0, contents.1);
    let at = bytes.windows(header.len()).position(|w| w == header.as_bytes()).unwrap();
    let start = at + bytes[at..].windows(6).position(|w| w == b"stream").unwrap() + 20;
    let mut flipped = bytes.clone();
    flipped[start] ^= 0xFF;
    let f = dir.path().join("flipped.pdf");
    std::fs::write(&f, &flipped).unwrap();
    let o = run(&["verify", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("不一致"));
}

#[test]
fn manifest_is_sha256sum_format() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_seed_in(dir.path(), dir.path(), &["--manifest"]);
    let manifest = std::fs::read_to_string(dir.path().join("lechang-fulian-2022.pdf.sha256")).unwrap();
    assert_eq!(manifest, format!("{}  lechang-fulian-2022.pdf\n", sha256(&std::fs::read(pdf).unwrap())));
}

#[test]
fn other_standards_and_no_source() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_seed_in(dir.path(), dir.path(), &["--pdf-standard", "a-3b"]);
    assert!(xmp(&pdf).contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(!xmp(&pdf).contains("pdfuaid"));
    let o = run(&["verify", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let pdf = render_seed_in(dir.path(), dir.path(), &["--pdf-standard", "a-2b"]);
    assert!(xmp(&pdf).contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(read_attachments(&std::fs::read(&pdf).unwrap()).unwrap().is_empty());
    let pdf = render_seed_in(dir.path(), dir.path(), &["--pdf-standard", "1.7", "--no-embed-source"]);
    assert!(!xmp(&pdf).contains("pdfaid"));
    assert!(read_attachments(&std::fs::read(&pdf).unwrap()).unwrap().is_empty());
    let o = run(&["verify", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("没有内嵌的数据"));
}

const DOC: &str = r#"unit = "示例市示例局"
year = 2023

[closing]
date = 2024-03-01
seal_image = "SEAL"

[[sections]]
title = "基本情况"

[[sections.blocks]]
paragraph = "正文。"
"#;

#[test]
fn seal_image_inside_the_folder_is_placed_and_attached() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/seal-test.png"), dir.path().join("img/seal.png")).unwrap();
    let data = write_data(dir.path(), "s.toml", &DOC.replace("SEAL", "img/seal.png"));
    let o = run(&["render", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("s.pdf");
    let files = read_attachments(&std::fs::read(&pdf).unwrap()).unwrap();
    assert_eq!(files["img/seal.png"], std::fs::read(dir.path().join("img/seal.png")).unwrap());
    let doc = Document::load(&pdf).unwrap();
    assert!(doc.objects.values().any(|o| matches!(o, Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))));
    // verify rebuilds the folder with the image.
    let o = run(&["verify", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn seal_paths_leaving_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("data");
    std::fs::create_dir(&inner).unwrap();
    std::fs::copy(repo().join("tests/fixtures/seal-test.png"), dir.path().join("seal.png")).unwrap();
    let abs = dir.path().join("seal.png");
    for (path, msg) in [("../seal.png", "离开了数据文件所在的文件夹"), (abs.to_str().unwrap(), "不能是绝对路径")] {
        let data = write_data(&inner, "s.toml", &DOC.replace("SEAL", path));
        let o = run(&["render", data.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("s.toml:6:14") && stderr(&o).contains(msg), "{}", stderr(&o));
        assert!(!inner.join("s.pdf").exists());
    }
}

#[test]
fn a_restricted_font_is_kept_out_of_pdfa_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "k.toml", "unit = \"示例市示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.sections]]\ntitle = \"正文示例\"\n[[sections.sections.blocks]]\nparagraph = \"正文。\"\n");
    let fonts = repo().join("tests/fixtures/fonts");
    let o = run(&["render", data.to_str().unwrap(), "--font-path", fonts.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("字体“楷体_GB2312”") && err.contains("授权禁止嵌入") && err.contains("改用内置的“FandolKai”"), "{err}");
    // Plain PDF may embed it.
    let o = run(&["render", data.to_str().unwrap(), "--font-path", fonts.to_str().unwrap(), "--pdf-standard", "1.7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("授权禁止嵌入"));
}

#[test]
fn verify_repeats_the_options_recorded_and_names_missing_fonts() {
    let dir = tempfile::tempdir().unwrap();
    // A blank score table is part of how the PDF was made: verify repeats it.
    let pdf = render_seed_in(dir.path(), dir.path(), &["--blank-score-table"]);
    let o = run(&["verify", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    // Made with a user font, verified without it: the fonts are named.
    let data = write_data(dir.path(), "u.toml", "unit = \"示例市示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"正文示例。\"\n");
    let fonts = repo().join("tests/fixtures/fonts");
    let o = run(&["render", data.to_str().unwrap(), "--font-path", fonts.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.path().join("u.pdf");
    let o = run(&["verify", pdf.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("字体不同（body：生成时用 FangSong_GB2312、FandolFang R、Noto Serif CJK SC，本次为 FandolFang R、Noto Serif CJK SC"), "{out}");
    let o = run(&["verify", pdf.to_str().unwrap(), "--font-path", fonts.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
}
