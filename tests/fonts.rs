//! Font roles, user font folders and glyph coverage, through the binary.

mod common;

use common::*;
use lopdf::{Document, Object};

const DOC: &str = r#"unit = "示例市示例局"
year = 2023

[[sections]]
title = "基本情况"

[[sections.blocks]]
paragraph = "正文示例。"
"#;

fn font_names(pdf: &std::path::Path) -> Vec<String> {
    let doc = Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor"))
        .map(|d| String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned())
        .collect()
}

fn fixture_fonts() -> String {
    repo().join("tests/fixtures/fonts").to_str().unwrap().to_string()
}

#[test]
fn an_official_face_in_a_font_folder_is_used_for_its_role() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "d.toml", DOC);
    let out = dir.path().join("d.pdf");
    let o = run(&["render", data.to_str().unwrap(), "-o", out.to_str().unwrap(), "--font-path", &fixture_fonts()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = font_names(&out);
    assert!(names.iter().any(|n| n.ends_with("+FangSongGB2312")), "{names:?}");
    // The body no longer needs the bundled Fang face.
    assert!(!names.iter().any(|n| n.contains("FandolFang")), "{names:?}");
}

#[test]
fn font_folders_also_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "d.toml", DOC);
    let out = dir.path().join("d.pdf");
    let o = bin()
        .args(["render", data.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .env("JIXIAO_FONT_PATHS", std::env::join_paths(["/nonexistent-dir", &fixture_fonts()]).unwrap())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(font_names(&out).iter().any(|n| n.ends_with("+FangSongGB2312")));
}

#[test]
fn without_font_folders_the_bundled_faces_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "d.toml", DOC);
    let pdf = render_ok(&data, dir.path());
    let names = font_names(&pdf);
    assert!(names.iter().any(|n| n.contains("FandolFang")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("GB2312")), "{names:?}");
}

#[test]
fn a_role_list_in_the_data_names_faces_by_their_chinese_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{DOC}\n[fonts]\nheading1 = [\"仿宋_GB2312\"]\n").replace("基本情况", "正文示例");
    let data = write_data(dir.path(), "d.toml", &text);
    let out = dir.path().join("d.pdf");
    let o = run(&["render", data.to_str().unwrap(), "-o", out.to_str().unwrap(), "--font-path", &fixture_fonts()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names = font_names(&out);
    assert!(!names.iter().any(|n| n.contains("FandolHei")), "heading 1 still in Hei: {names:?}");
}

#[test]
fn seed_warns_about_the_rare_character_with_its_place_and_passes() {
    let o = run(&["check", seed_data().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("lechang-fulian-2022.toml:436:187 警告：sections[3].sections[4].sections[2].run_in（四、主要绩效 › （五）加强沟通联系服务，提升妇女儿童获得感幸福感安全感 › 3.积极开展招善引爱，主动链接社会各界爱心资源关爱帮扶困境妇女儿童）：字符“焜”（U+711C）：正文的首选字体 FandolFang R 没有这个字，改用 Noto Serif CJK SC（依次尝试：FandolFang R → Noto Serif CJK SC）"),
        "{err}"
    );
}

#[test]
fn a_character_no_face_has_is_an_error_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "pua.toml", &DOC.replace("正文示例。", "正文\u{E000}。"));
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("pua.toml:8:16 错误：sections[0].blocks[0].paragraph（一、基本情况）：字符“\u{E000}”（U+E000）：正文的所有字体都没有这个字，会印成方框"), "{}", stderr(&o));
    let o = run(&["render", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.path().join("pua.pdf").exists());
    // PDF/A cannot hold a missing glyph at all; plain PDF can, when asked.
    let o = run(&["render", data.to_str().unwrap(), "--allow-missing-glyphs"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("PDF/A 不允许缺字"), "{}", stderr(&o));
    assert!(!dir.path().join("pua.pdf").exists());
    let o = run(&["render", data.to_str().unwrap(), "--allow-missing-glyphs", "--pdf-standard", "1.7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.path().join("pua.pdf").exists());
}

#[test]
fn fonts_command_lists_every_role() {
    let o = run(&["fonts", "--font-path", &fixture_fonts()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for role in ["标题", "正文", "一级标题", "二级标题", "三级标题", "四级标题", "表格", "表头", "页码"] {
        assert!(out.lines().any(|l| l.starts_with(role)), "{role} missing:\n{out}");
    }
    assert!(out.contains("1. FangSong_GB2312"), "{out}");
    assert!(out.contains("未找到：方正小标宋简体"), "{out}");
    assert!(out.contains("FandolFang R                  6763/6763"), "{out}");
}
