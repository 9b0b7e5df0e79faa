//! The seed report, rendered through the binary: its text, figures, fonts and
//! page size, read back from the PDF.

mod common;

use std::sync::OnceLock;

use common::*;
use lopdf::{Document, Object};

/// Render the seed once for all tests of this file.
fn seed_pdf() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static PDF: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    PDF.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = render_ok(&seed_data(), dir.path());
        (dir, pdf)
    })
}

fn seed_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| pdf_text(&seed_pdf().1))
}

/// The seed's own text, without the page numbers that stand alone on a line.
fn original() -> String {
    let raw = std::fs::read_to_string(repo().join("tests/fixtures/seed.txt")).unwrap();
    raw.lines()
        .filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The PDF's text without the `— N —` page numbers.
fn body_text() -> String {
    seed_text()
        .lines()
        .filter(|l| !(l.trim().starts_with('—') && l.trim().ends_with('—')))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn pdf_holds_the_seed_text_in_order() {
    let want: Vec<char> = squeeze(&original()).chars().collect();
    let got: Vec<char> = squeeze(&body_text()).chars().collect();
    let common = lcs(&want, &got);
    let ratio = common as f64 / want.len() as f64;
    assert!(ratio >= 0.99, "only {common} of {} seed characters in order ({ratio:.4})", want.len());
    // The PDF adds no more than the title and generated spacing.
    assert!(got.len() <= want.len() + 100, "PDF has {} characters, seed {}", got.len(), want.len());
}

#[test]
fn rare_name_character_prints() {
    assert!(squeeze(seed_text()).contains("市委常委李柱焜分别率队"), "李柱焜 missing from the PDF text");
}

#[test]
fn figures_print_exactly_as_in_the_seed() {
    let text = squeeze(seed_text());
    for s in [
        "总收入为1485562.08元，其中财政拨款收入1485562.08元，经营收入0元，其他收入0元。",
        "总支出为1485562.08元，基本支出1192005.88元，其中人员经费1050805.88元，公用经费141200.00元，项目支出293556.20元。",
        "固定资产原值为115594.66元，累计折旧45211.42元，固定资产净值为70383.24元。",
        "预算编制情况（28分）",
        "预算执行情况（42分）",
        "资金使用效益（30分）",
        "1.预算编制。指标分值18分，",
        "（1）预算编制合理性（5分）。",
        "（3）国库集中支付结转结余存量资金效率性（3分）我单位",
        "5.加减分项。该项指标反映",
    ] {
        assert!(text.contains(s), "{s} not in the PDF");
    }
}

#[test]
fn headings_are_numbered_in_order() {
    let text = squeeze(&body_text());
    let headings = [
        "一、部门的基本情况",
        "（一）部门整体概况",
        "1.部门主要职责。",
        "（1）贯彻执行市委",
        "（7）承办市委",
        "2.纳入预算编制范围下属单位。",
        "3.部门人员编制构成。",
        "（二）部门整体收支情况",
        "1.部门整体收入。",
        "2.部门整体支出情况。",
        "（三）部门整体支出目标及任务",
        "二、自评结论",
        "三、绩效分析",
        "（一）预算编制情况",
        "（4）预算编制科学性",
        "2.目标设置。",
        "（二）预算执行情况",
        "（7）预决算信息,绩效评价结果公开性",
        "5.制度管理。",
        "（三）资金使用效益",
        "5.加减分项。",
        "四、主要绩效",
        "（六）全面加强党的建设",
        "2.持续推进妇联改革",
        "五、存在问题",
        "（二）2022年中申请国有资产管理信息系统账号后",
        "六、相关建议",
        "（二）严格按照《固定资产管理办法》",
    ];
    let mut from = 0;
    for h in headings {
        match text[from..].find(h) {
            Some(i) => from += i + h.len(),
            None => panic!("heading {h} missing or out of order"),
        }
    }
}

#[test]
fn pages_are_a4() {
    let doc = Document::load(&seed_pdf().1).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 15, "{} pages", pages.len());
    for (n, id) in pages {
        let page = doc.get_dictionary(id).unwrap();
        let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let v: Vec<f32> = media.iter().map(|o| o.as_float().unwrap()).collect();
        assert!((v[2] - v[0] - 595.28).abs() < 0.01 && (v[3] - v[1] - 841.89).abs() < 0.01, "page {n}: {v:?}");
    }
}

#[test]
fn every_font_is_embedded_and_the_fallback_is_sc() {
    let doc = Document::load(&seed_pdf().1).unwrap();
    let mut names = Vec::new();
    for (_, obj) in doc.objects.iter() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor") {
            continue;
        }
        let name = String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).into_owned();
        let embedded = [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"].iter().any(|k| dict.has(k));
        assert!(embedded, "{name} is not embedded");
        names.push(name);
    }
    for want in ["FandolFang", "FandolHei", "FandolKai", "FandolSong-Bold", "FandolSong-Regular", "NotoSerifCJKsc"] {
        assert!(names.iter().any(|n| n.contains(want)), "{want} not among {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("JP")), "a Japanese face was used: {names:?}");
}

#[test]
fn page_numbers_are_dashed_and_consecutive() {
    let nums: Vec<String> = seed_text()
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('—') && l.ends_with('—'))
        .map(|l| squeeze(l.trim_matches('—')))
        .collect();
    let want: Vec<String> = (1..=nums.len()).map(|n| n.to_string()).collect();
    assert!(nums.len() >= 15);
    assert_eq!(nums, want);
}
