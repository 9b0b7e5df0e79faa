//! Data that is wrong, or unusual, through the binary: exit codes, messages,
//! and that no PDF is left behind.

mod common;

use common::*;

const MINIMAL: &str = r#"unit = "示例市示例局"
year = 2023

[[sections]]
title = "部门的基本情况"

[[sections.blocks]]
paragraph = "正文。"
"#;

#[test]
fn markup_characters_print_literally() {
    let dir = tempfile::tempdir().unwrap();
    let text = r##"unit = "示例局"
year = 2023

[[sections]]
title = "标题#含$符号*"

[[sections.blocks]]
paragraph = '成本#1 $x$ *粗体* _斜体_ [链接] @引用 <标签> 反斜杠\ 井号#set text(red) 双横--线'
"##;
    let data = write_data(dir.path(), "m.toml", text);
    let pdf = render_ok(&data, dir.path());
    let got = squeeze(&pdf_text(&pdf));
    for s in ["标题#含$符号*", "成本#1$x$*粗体*_斜体_[链接]@引用<标签>反斜杠\\井号#settext(red)双横--线"] {
        assert!(got.contains(s), "{s} not printed literally in: {got}");
    }
}

#[test]
fn unknown_key_is_refused_with_its_line_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "bad.toml", &MINIMAL.replace("title = \"部门的基本情况\"", "titel = \"部门的基本情况\""));
    for cmd in ["check", "render"] {
        let o = run(&[cmd, data.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("bad.toml:5:1"), "{cmd}: {err}");
        assert!(err.contains("未知的键 `titel`，是否想写 `title`？"), "{cmd}: {err}");
    }
    assert!(!dir.path().join("bad.pdf").exists());
}

#[test]
fn malformed_toml_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "broken.toml", "unit = \"x\"\nyear = 2023\ntitle = \"未闭合\n");
    let o = run(&["render", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("broken.toml:3:"), "{err}");
    assert!(!dir.path().join("broken.pdf").exists());
}

#[test]
fn non_utf8_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("gbk.toml");
    // "单位" in GBK.
    std::fs::write(&p, b"unit = \"\xb5\xa5\xce\xbb\"\nyear = 2023\n").unwrap();
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("gbk.toml:1") && err.contains("不是 UTF-8"), "{err}");
}

#[test]
fn missing_file_and_directory_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.toml");
    let o = run(&["render", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("文件不存在"), "{}", stderr(&o));
    let o = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("是一个目录"), "{}", stderr(&o));
}

#[test]
fn usage_error_exits_2() {
    let o = run(&["render"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn money_as_float_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{MINIMAL}\n[finance.income]\ntotal = 1485562.08\n");
    let text = text.replace("[finance.income]", "[finance]\n[finance.income]");
    let data = write_data(dir.path(), "f.toml", &text);
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("金额请写成字符串"), "{}", stderr(&o));
}

#[test]
fn unknown_placeholder_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = MINIMAL.replace("paragraph = \"正文。\"", "figures = \"总收入{income.totl}。\"");
    let data = write_data(dir.path(), "p.toml", &text);
    let o = run(&["render", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("p.toml:8:11") && err.contains("未知的占位符 {income.totl}"), "{err}");
    assert!(!dir.path().join("p.pdf").exists());
}

#[test]
fn default_output_goes_beside_the_data_and_replaces_old_pdf_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "r.toml", MINIMAL);
    std::fs::write(dir.path().join("r.pdf"), b"stale").unwrap();
    let o = run(&["render", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(dir.path().join("r.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"));
    // No temporary file is left in the folder.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn private_use_character_has_no_glyph_and_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "pua.toml", &MINIMAL.replace("正文。", "正文\u{E000}。"));
    let o = run(&["render", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("U+E000"), "{}", stderr(&o));
    assert!(!dir.path().join("pua.pdf").exists());
}

#[test]
fn derived_figures_fill_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"unit = "示例局"
year = 2023

[finance]
budget = "200.00"

[finance.expenditure]
total = "150.00"
basic = "100.00"
personnel = "60.00"
public = "40.00"
project = "50.00"

[finance.carry_over]
opening = "10.00"
closing = "5.00"

[[sections]]
title = "绩效分析"

[[sections.blocks]]
figures = "预算{budget}，执行率{execution_rate}，年初结转{carry_over.opening}，总分{total_score}（{grade}）。"

[[sections.sections]]
title = "全部指标"
weight = 100
score = 91.5
"#;
    let data = write_data(dir.path(), "d.toml", text);
    let pdf = render_ok(&data, dir.path());
    let got = squeeze(&pdf_text(&pdf));
    assert!(got.contains("预算200.00元，执行率75.00%，年初结转10.00元，总分91.5（优）。"), "{got}");
    // Without scores the sentence cannot be filled: an error naming the placeholder.
    let data = write_data(dir.path(), "e.toml", &text.replace("score = 91.5\n", ""));
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("占位符 {total_score} 需要全部指标的自评得分（score）"), "{}", stderr(&o));
}

#[test]
fn usage_errors_are_in_chinese() {
    let o = run(&["render"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("错误：缺少要处理的文件"), "{}", stderr(&o));
    let o = run(&["rendr", "x.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有命令“rendr”，是否想写 render？"), "{}", stderr(&o));
    let o = run(&["check", "x.toml", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("不认识的选项“--bogus”"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error:"), "{}", stderr(&o));
}

#[test]
fn a_name_without_toml_suggests_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), "报告.toml", "unit = \"示例局\"\nyear = 2023\n");
    let o = run(&["check", dir.path().join("报告").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("是否想写") && stderr(&o).contains("报告.toml？"), "{}", stderr(&o));
}
