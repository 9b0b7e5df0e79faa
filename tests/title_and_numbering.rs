//! Title breaks the data asks for, the PDF's Title, Subject and Keywords by
//! the kind of report, and numbering that starts past one.

mod common;

use common::{pdf_text, render_ok, squeeze, write_data};
use std::process::Command;

fn pdfinfo(pdf: &std::path::Path) -> String {
    let o = Command::new("pdfinfo").arg("-enc").arg("UTF-8").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or("")
}

#[test]
fn a_title_breaks_where_the_data_says_and_the_metadata_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(
        dir.path(),
        "t.toml",
        "unit = \"示例市示例局机关\"\nyear = 2024\ntitle = \"示例市示例局2024年度\\n机关整体支出绩效自评报告\"\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"正文。\"\n",
    );
    let pdf = render_ok(&data, dir.path());
    let info = pdfinfo(&pdf);
    assert_eq!(field(&info, "Title:"), "示例市示例局2024年度机关整体支出绩效自评报告", "{info}");
    assert_eq!(field(&info, "Subject:"), "机关整体支出绩效自评报告", "{info}");
    assert!(field(&info, "Keywords:").contains("机关整体支出绩效自评报告"), "{info}");
    // The first line of the page is the first part of the title.
    let text = pdf_text(&pdf);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    assert_eq!(squeeze(first), "示例市示例局2024年度", "{text}");
}

#[test]
fn the_seed_is_a_department_report() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&common::seed_data(), dir.path());
    let info = pdfinfo(&pdf);
    assert_eq!(field(&info, "Subject:"), "部门整体支出绩效自评报告", "{info}");
}

#[test]
fn numbering_may_start_past_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(
        dir.path(),
        "s.toml",
        "unit = \"示例局\"\nyear = 2024\n[style]\nstart = [3, 2]\n[[sections]]\ntitle = \"绩效分析\"\n[[sections.sections]]\ntitle = \"预算执行\"\n[[sections.sections.blocks]]\nparagraph = \"正文。\"\n[[sections]]\ntitle = \"问题\"\n[[sections.blocks]]\nparagraph = \"正文。\"\n",
    );
    let text = squeeze(&pdf_text(&render_ok(&data, dir.path())));
    assert!(text.contains("三、绩效分析（二）预算执行正文。四、问题"), "{text}");
}
