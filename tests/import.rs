//! `jixiao import`: the seed's text, a .docx made as units make them and the
//! PDF jixiao renders all come back as data that checks and renders to the
//! same report; numbering styles and skipped levels; hostile input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use lopdf::{Document, Object};

fn seed_txt() -> PathBuf {
    repo().join("tests/fixtures/seed.txt")
}

/// Import `input` into `dir/name`, asserting success; returns the data file and stdout.
fn import_ok(input: &Path, dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join(name);
    let mut args = vec!["import", input.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "import failed: {}{stdout}", stderr(&o));
    (out, stdout)
}

fn check_ok(data: &Path) {
    let o = run(&["check", data.to_str().unwrap()]);
    assert!(o.status.success(), "check failed: {}\n{}", stderr(&o), std::fs::read_to_string(data).unwrap());
}

/// Bookmarks in document order: (level, title).
fn bookmarks(pdf: &Path) -> Vec<(usize, String)> {
    let doc = Document::load(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let outlines = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let mut out = Vec::new();
    fn walk(doc: &Document, first: Option<lopdf::ObjectId>, level: usize, out: &mut Vec<(usize, String)>) {
        let mut next = first;
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            let Object::String(t, _) = item.get(b"Title").unwrap() else { panic!() };
            let title = if t.starts_with(&[0xfe, 0xff]) {
                let units: Vec<u16> = t[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(t).into_owned()
            };
            out.push((level, title));
            walk(doc, item.get(b"First").and_then(Object::as_reference).ok(), level + 1, out);
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    walk(&doc, outlines.get(b"First").and_then(Object::as_reference).ok(), 1, &mut out);
    out
}

fn seed_pdf() -> &'static (tempfile::TempDir, PathBuf) {
    static PDF: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    PDF.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = render_ok(&seed_data(), dir.path());
        (dir, pdf)
    })
}

/// The seed's text without the page numbers alone on a line.
fn original() -> String {
    let raw = std::fs::read_to_string(seed_txt()).unwrap();
    raw.lines().filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit())).collect::<Vec<_>>().join("\n")
}

/// Share of the seed's text found in order in `pdf`, and share of the
/// reference outline's entries (title and level) found in `pdf`'s.
fn measure(pdf: &Path) -> (f64, f64) {
    let want: Vec<char> = squeeze(&original()).chars().collect();
    let text: String = pdf_text(pdf)
        .lines()
        .filter(|l| !(l.trim().starts_with('—') && l.trim().ends_with('—')))
        .collect::<Vec<_>>()
        .join("\n");
    let got: Vec<char> = squeeze(&text).chars().collect();
    let ratio = lcs(&want, &got) as f64 / want.len() as f64;
    let reference = bookmarks(&seed_pdf().1);
    let mine = bookmarks(pdf);
    let matched = reference.iter().filter(|e| mine.contains(e)).count();
    let missing: Vec<_> = reference.iter().filter(|e| !mine.contains(e)).take(10).collect();
    eprintln!("text in order {ratio:.4}; outline {matched}/{} (missing e.g. {missing:?})", reference.len());
    (ratio, matched as f64 / reference.len() as f64)
}

fn finance_of(data: &Path) -> toml::Table {
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(data).unwrap()).unwrap();
    t["finance"].as_table().unwrap().clone()
}

fn assert_seed_finance(data: &Path) {
    let f = finance_of(data);
    assert_eq!(f["income"]["total"].as_str(), Some("1485562.08"), "{f:?}");
    assert_eq!(f["expenditure"]["total"].as_str(), Some("1485562.08"));
    assert_eq!(f["expenditure"]["basic"].as_str(), Some("1192005.88"));
    assert_eq!(f["expenditure"]["project"].as_str(), Some("293556.20"));
    assert_eq!(f["fixed_assets"]["original"].as_str(), Some("115594.66"));
    assert_eq!(f["fixed_assets"]["net"].as_str(), Some("70383.24"));
}

fn round_trip(input: &Path, name: &str) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let (data, summary) = import_ok(input, dir.path(), name, &[]);
    eprintln!("{summary}");
    check_ok(&data);
    assert_seed_finance(&data);
    let pdf = render_ok(&data, dir.path());
    let (ratio, outline) = measure(&pdf);
    assert!(ratio >= 0.98, "only {ratio:.4} of the seed's text in order");
    assert!(outline >= 0.95, "outline matches on {outline:.4}");
    (ratio, outline)
}

#[test]
fn seed_text_imports_to_the_same_report() {
    round_trip(&seed_txt(), "seed.toml");
}

#[test]
fn seed_docx_imports_to_the_same_report() {
    round_trip(&repo().join("tests/fixtures/import/seed.docx"), "seed.toml");
}

#[test]
fn rendered_pdf_imports_to_the_same_report() {
    round_trip(&seed_pdf().1, "seed.toml");
}

#[test]
fn gbk_text_is_converted() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed_txt()).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let input = dir.path().join("seed-gbk.txt");
    std::fs::write(&input, &gbk).unwrap();
    let (data, summary) = import_ok(&input, dir.path(), "out.toml", &[]);
    assert!(summary.contains("GBK"), "{summary}");
    check_ok(&data);
    assert_seed_finance(&data);
}

#[test]
fn never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.toml");
    std::fs::write(&out, "keep").unwrap();
    let o = run(&["import", seed_txt().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("已存在"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
}

#[test]
fn new_year_keeps_last_years_figures_as_prior() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = import_ok(&seed_txt(), dir.path(), "out.toml", &["--year", "2023"]);
    let text = std::fs::read_to_string(&data).unwrap();
    assert!(text.contains("year = 2023"), "{text}");
    let f = finance_of(&data);
    assert_eq!(f["income"]["total"]["prior"].as_str(), Some("1485562.08"));
    assert!(text.contains("figures = \"{year}年，我部门总收入为{income.total}"), "{text}");
    check_ok(&data);
}

/// `--year` without `-o`: the file is named for the new year beside last
/// year's (which is not touched), the figures become last year's, and the
/// old year's other mentions are listed by their place in the outline.
#[test]
fn new_year_names_the_file_for_it_and_lists_the_old_year() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("乐昌市妇联2022年度报告.txt");
    std::fs::copy(seed_txt(), &input).unwrap();
    let last_year = dir.path().join("乐昌市妇联2022年度报告.toml");
    std::fs::write(&last_year, "# 去年的数据文件\n").unwrap();
    let o = run(&["import", input.to_str().unwrap(), "--year", "2023"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}{out}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&last_year).unwrap(), "# 去年的数据文件\n");
    let data = dir.path().join("乐昌市妇联2023年度报告.toml");
    let text = std::fs::read_to_string(&data).unwrap();
    let t: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(t["year"].as_integer(), Some(2023));
    assert_eq!(t["finance"]["expenditure"]["total"]["prior"].as_str(), Some("1485562.08"), "{text}");
    assert!(out.contains("个金额的原数记为上年数"), "{out}");
    let listed: Vec<&str> = out.lines().filter(|l| l.starts_with("  - ") && l.contains("【2022】")).collect();
    assert!(listed.len() >= 10, "{out}");
    assert!(listed.iter().any(|l| l.starts_with("  - 三、") && l.contains(" › ")), "{out}");
    assert!(!out.contains("sections["), "{out}");
    check_ok(&data);
}

/// Import a small report written in `text`; returns the data as a table.
fn import_text(text: &str) -> (toml::Table, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, text).unwrap();
    let (data, summary) = import_ok(&input, dir.path(), "r.toml", &[]);
    check_ok(&data);
    (toml::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap(), summary)
}

fn titles(t: &toml::Table) -> Vec<(usize, String)> {
    fn walk(v: &toml::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        for s in v.as_array().into_iter().flatten() {
            out.push((depth, s["title"].as_str().unwrap().to_string()));
            if let Some(c) = s.get("sections") {
                walk(c, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&t["sections"], 1, &mut out);
    out
}

fn numbering(t: &toml::Table) -> Vec<String> {
    t.get("style")
        .and_then(|s| s.get("numbering"))
        .and_then(|n| n.as_array())
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

const HEAD: &str = "示例市示例局2023年度部门整体支出绩效自评报告\n";

#[test]
fn standard_numbering_needs_no_style() {
    let (t, _) = import_text(&format!(
        "{HEAD}一、基本情况\n（一）职能\n1.主要职责。负责全市示例工作。\n（1）甲项。\n内容。\n（2）乙项。\n内容。\n二、自评结论\n良好。\n"
    ));
    assert_eq!(t["unit"].as_str(), Some("示例市示例局"));
    assert_eq!(t["year"].as_integer(), Some(2023));
    assert!(t.get("style").is_none(), "{t:?}");
    assert_eq!(
        titles(&t),
        [(1, "基本情况"), (2, "职能"), (3, "主要职责"), (4, "甲项"), (4, "乙项"), (1, "自评结论")]
            .map(|(d, s)| (d, s.to_string()))
    );
}

#[test]
fn each_numbering_style_is_recognised() {
    for (marks, want) in [
        (["一、", "（一）", "1.", "（1）"], vec!["{cn}、", "（{cn}）", "{n}.", "（{n}）"]),
        (["一、", "(一)", "1、", "(1)"], vec!["{cn}、", "({cn})", "{n}、", "({n})"]),
        (["1.", "（1）", "", ""], vec!["{n}.", "（{n}）"]),
        (["一、", "1．", "（1）", ""], vec!["{cn}、", "{n}.", "（{n}）"]),
    ] {
        let mut text = HEAD.to_string();
        for top in 1..=2 {
            let n = |m: &str, i: u32| {
                let cn = ["", "一", "二", "三"][i as usize];
                if m.contains('一') { m.replace('一', cn) } else { m.replace('1', &i.to_string()) }
            };
            text += &format!("{}第{top}部分\n", n(marks[0], top));
            for sub in 1..=2 {
                if want.len() > 1 {
                    text += &format!("{}第{top}.{sub}节\n", n(marks[1], sub));
                }
                if want.len() > 2 {
                    for k in 1..=2 {
                        text += &format!("{}第{k}小节。正文。\n", n(marks[2], k));
                    }
                }
                if want.len() > 3 {
                    text += &format!("{}最深一层。\n正文。\n", n(marks[3], 1));
                }
            }
        }
        let (t, _) = import_text(&text);
        let got = numbering(&t);
        let default = ["{cn}、", "（{cn}）", "{n}.", "（{n}）"];
        if want == default {
            assert!(got.is_empty(), "{marks:?}: {got:?}");
        } else {
            assert_eq!(&got[..want.len()], want.as_slice(), "{marks:?}");
        }
        let depth = titles(&t).iter().map(|(d, _)| *d).max().unwrap();
        assert_eq!(depth, want.len(), "{marks:?}: {:?}", titles(&t));
    }
}

#[test]
fn a_report_that_skips_a_level() {
    // 一、 goes straight to 1.; then one part uses （一） under 二、.
    let (t, summary) = import_text(&format!(
        "{HEAD}一、基本情况\n1.主要职责。负责示例工作。\n2.机构设置。设2个股室。\n二、自评结论\n1.总体评价。良好。\n"
    ));
    assert_eq!(numbering(&t)[..2], ["{cn}、", "{n}."]);
    assert_eq!(
        titles(&t),
        [(1, "基本情况"), (2, "主要职责"), (2, "机构设置"), (1, "自评结论"), (2, "总体评价")].map(|(d, s)| (d, s.to_string()))
    );
    // A level skipped in one place only is imported one level up and named in the summary.
    let (t, summary2) = import_text(&format!(
        "{HEAD}一、基本情况\n（一）职能\n1.主要职责。负责示例工作。\n二、自评结论\n1.总体评价。良好。\n"
    ));
    assert_eq!(titles(&t)[4], (2, "总体评价".to_string()));
    assert!(summary2.contains("跳过了上一层"), "{summary}\n{summary2}");
}

#[test]
fn decimals_and_stray_numbers_are_not_headings() {
    let (t, _) = import_text(&format!(
        "{HEAD}一、基本情况\n服务2.3万人次，详见佐证材料文件夹\n五、其他）。\n二、自评结论\n良好。\n"
    ));
    assert_eq!(titles(&t), [(1, "基本情况".to_string()), (1, "自评结论".to_string())]);
}

/// The report's own numbers are the truth: figures that do not add up are
/// imported as written, the summary says so, and `check` names the difference.
#[test]
fn figures_that_do_not_add_up_are_imported_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    std::fs::write(&input, format!("{HEAD}一、基本情况\n2023年，我部门总支出为100.00元，基本支出60.00元，项目支出30.00元。\n二、自评结论\n良好。\n")).unwrap();
    let (data, summary) = import_ok(&input, dir.path(), "r.toml", &[]);
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(t["finance"]["expenditure"]["total"].as_str(), Some("100.00"));
    assert_eq!(t["finance"]["expenditure"]["project"].as_str(), Some("30.00"));
    assert!(summary.contains("基本支出 60.00 + 项目支出 30.00 不等于总支出 100.00：照原文导入"), "{summary}");
    let o = run(&["check", data.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("finance.expenditure"), "{}", stderr(&o));
}

#[test]
fn hostile_inputs_are_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("a.docx", b"PK\x03\x04 not really".to_vec()),
        ("b.pdf", b"%PDF-1.7\n garbage".to_vec()),
        ("c.docx", b"plain text".to_vec()),
        ("d.txt", vec![0u8; 100]),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let out = dir.path().join(format!("{name}.toml"));
        let o = run(&["import", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("错误"), "{name}: {}", stderr(&o));
        assert!(!out.exists(), "{name}: wrote output");
    }
    let o = run(&["import", "/dev/zero", "-o", dir.path().join("z.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn docx_tables_keep_merged_cells() {
    let dir = tempfile::tempdir().unwrap();
    let (data, summary) = import_ok(&repo().join("tests/fixtures/import/table.docx"), dir.path(), "t.toml", &[]);
    assert!(summary.contains("表格：1 个"), "{summary}");
    check_ok(&data);
    let text = std::fs::read_to_string(&data).unwrap();
    assert!(text.contains("{ text = \"金额（元）\", colspan = 2 }"), "{text}");
    assert!(text.contains("{ text = \"收入\", rowspan = 2 }"), "{text}");
    render_ok(&data, dir.path());
}

/// jixiao's own PDF sets quotation marks and digits in other fonts than
/// the text and justifies lines with gaps; the text is read back by where
/// the glyphs stand: a paragraph is one paragraph, whatever its lines, with
/// its quotation marks in place, and the finance table is a table whose
/// rows keep their cells, apart from the paragraph after it.
#[test]
fn a_rendered_pdf_keeps_paragraphs_quotes_and_tables() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&repo().join("data/example-full.toml"), dir.path());
    let (data, _) = import_ok(&pdf, dir.path(), "full.toml", &[]);
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    let body = all_text(&t);
    for said in [
        "\n围绕“服务便民、数据惠民”的年度目标，完成政务服务能力提升、示例数据平台运行维护、基层服务站点建设三个项目，保障机关和下属单位正常运转，以及完成市委、市政府交办的各项工作任务。\n",
        // Broken by the page: one paragraph still.
        "\n我局国库集中支付结转结余存量资金已按规定清理盘活，无长期沉淀资金。\n",
    ] {
        assert!(body.contains(said), "{said:?} not one paragraph in\n{body}");
    }
    let rows = table_rows(&t);
    let row = |cells: &[&str]| rows.iter().any(|r| r.iter().filter(|c| !c.is_empty()).map(String::as_str).eq(cells.iter().copied()));
    assert!(row(&["一、收入合计", "8426731.58", "100.00"]), "{rows:?}");
    assert!(row(&["四、年末结转结余", "437744.11"]), "{rows:?}");
}

/// Debugging aid: `JIXIAO_DUMP=file.pdf cargo test --release --test import dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let p = std::env::var("JIXIAO_DUMP").unwrap();
    for (i, page) in pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(p).unwrap()).unwrap().iter().enumerate().take(8) {
        println!("=== page {i}\n{page:?}");
    }
}

/// A .docx whose headings are numbered by Word itself (`w:numPr` and
/// numbering.xml, in paragraphs and through a heading style), as units'
/// templates do: the numbers are not in the text, yet the outline is read.
#[test]
fn word_automatic_numbering_gives_the_outline() {
    use std::io::Write;
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let para = |text: &str, num: Option<(u32, u32)>, style: Option<&str>| {
        let num = num.map(|(id, l)| format!("<w:numPr><w:ilvl w:val=\"{l}\"/><w:numId w:val=\"{id}\"/></w:numPr>")).unwrap_or_default();
        let style = style.map(|s| format!("<w:pStyle w:val=\"{s}\"/>")).unwrap_or_default();
        format!("<w:p><w:pPr>{style}{num}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
    };
    let body = [
        para("示例局2023年度部门整体支出绩效自评报告", None, None),
        para("部门基本情况", None, Some("H1")),
        para("部门职责", Some((1, 1)), None),
        para("本局负责全县的示例工作。", None, None),
        para("人员情况", Some((1, 1)), None),
        para("本局共有编制10名。", None, None),
        para("绩效分析", None, Some("H1")),
        para("预算执行", Some((1, 1)), None),
        para("资金管理", Some((1, 2)), None),
        para("资金使用合规。", None, None),
    ]
    .concat();
    let document = format!("<?xml version=\"1.0\"?><w:document {w}><w:body>{body}</w:body></w:document>");
    let lvl = |i: u32, fmt: &str, text: &str| format!("<w:lvl w:ilvl=\"{i}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/></w:lvl>");
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering {w}><w:abstractNum w:abstractNumId=\"0\">{}{}{}</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
        lvl(0, "chineseCounting", "%1、"),
        lvl(1, "chineseCounting", "（%2）"),
        lvl(2, "decimal", "%3."),
    );
    let styles = format!(
        "<?xml version=\"1.0\"?><w:styles {w}><w:style w:type=\"paragraph\" w:styleId=\"H1\"><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style></w:styles>"
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("auto.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&input).unwrap());
    for (name, text) in [("word/document.xml", &document), ("word/numbering.xml", &numbering), ("word/styles.xml", &styles)] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let (data, _) = import_ok(&input, dir.path(), "auto.toml", &[]);
    check_ok(&data);
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(
        titles(&t),
        [(1, "部门基本情况"), (2, "部门职责"), (2, "人员情况"), (1, "绩效分析"), (2, "预算执行"), (3, "资金管理")]
            .map(|(l, s)| (l, s.to_string()))
    );
}

/// Import a fixture .docx; returns the data (checked), its text and the summary.
fn import_fixture(name: &str) -> (toml::Table, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (data, summary) = import_ok(&repo().join("tests/fixtures/import").join(name), dir.path(), "out.toml", &[]);
    check_ok(&data);
    let text = std::fs::read_to_string(&data).unwrap();
    (toml::from_str(&text).unwrap(), text, summary)
}

/// Every paragraph, list item, run-in and cell of the data, in order.
fn all_text(t: &toml::Table) -> String {
    fn walk(v: &toml::Value, out: &mut String) {
        match v {
            toml::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            toml::Value::Table(t) => t.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(&t["sections"], &mut out);
    out
}

/// A Chinese Word's file (tests/support/make_import_word.py): headings by
/// style (ids `1` `2` `3`, names `heading 1`…), the first two levels numbered
/// by a list linked to the styles, the third by the style alone, one by a
/// direct outline level; the table of contents, page numbers, field codes,
/// deletions and a placeholder left out; a text box read once.
#[test]
fn word_headings_by_style_and_what_is_not_text() {
    let (t, text, summary) = import_fixture("word.docx");
    assert_eq!(t["unit"].as_str(), Some("示例县示例局"));
    assert_eq!(
        titles(&t),
        [
            (1, "部门基本情况"),
            (2, "部门职责"),
            (2, "人员情况"),
            (1, "绩效自评情况"),
            (2, "预算执行（20分）"),
            (3, "资金使用"),
            (3, "资产管理"),
            (2, "评分情况"),
        ]
        .map(|(d, s)| (d, s.to_string()))
    );
    // The first two levels are numbered in the source, the third is not.
    assert_eq!(numbering(&t)[..3], ["{cn}、", "（{cn}）", ""]);
    let body = all_text(&t);
    assert_eq!(body.matches("注：人员数据截至2023年12月31日。").count(), 1, "text box read twice or not at all:\n{body}");
    for kept in [
        "本局是县政府工作部门，负责全县的示例工作，2023年完成各项任务（详见门户网站）。",
        "全年共办理群众来信120件，办结率100%。",
        "内设机构3个：办公室、业务股、财务股。",
        "资产账实相符√，编号A-01号台账已更新。",
        "存在问题：部分项目支出进度偏慢。",
    ] {
        assert!(body.contains(kept), "missing {kept:?} in\n{body}");
    }
    for dropped in ["旧的数字", "单击或点击此处", "PAGE", "HYPERLINK", "MERGEFORMAT", "TOC", "目录", "—", "示例县示例局\n"] {
        assert!(!body.contains(dropped), "{dropped:?} leaked into\n{body}");
    }
    assert!(summary.contains("目录（4 行）未导入"), "{summary}");
    assert!(summary.contains("页码（1 处）"), "{summary}");
    // The weight of one indicator alone does not add up to 100: kept as words.
    assert!(summary.contains("分值不能自洽"), "{summary}");
    assert!(!text.contains("weight ="), "{text}");
    // The score table: its title row is a paragraph before it; merged cells kept.
    assert!(body.contains("2023年度部门整体支出绩效评价指标表\n"), "{body}");
    assert!(text.contains("{ title = \"一级指标\" },\n  { title = \"二级指标\" },\n  { title = \"分值\" },\n  { title = \"得分\" },"), "{text}");
    assert!(text.contains("[{ text = \"预算执行\", rowspan = 2 }, \"资金使用\", \"10\", \"10\"],"), "{text}");
    assert!(text.contains("[{ text = \"合计\", colspan = 2 }, \"20\", \"19\"],"), "{text}");
    assert_eq!(t["closing"]["date"].as_datetime().map(|d| d.to_string()), Some("2024-03-01".into()));
    // The table sits in the section it follows, 二、… › （二）评分情况.
    let scored = &t["sections"][1]["sections"][1];
    assert_eq!(scored["title"].as_str(), Some("评分情况"));
    assert!(scored["blocks"].as_array().unwrap().iter().any(|b| b.get("table").is_some()), "{scored:?}");
    // A table nested in a cell is kept as the cell's text, row by row.
    assert!(text.contains("[\"资金来源\", \"财政拨款 100% 其他 0%\"],"), "{text}");
    assert!(summary.contains("图片（1 张）未导入"), "{summary}");
    // The staffing sentence: [staffing] and placeholders that print it back.
    let st = &t["staffing"];
    assert_eq!(st["groups"].as_array().unwrap().len(), 2, "{st:?}");
    assert_eq!(st["groups"][0]["name"].as_str(), Some("行政编制"));
    assert_eq!(st["groups"][0]["authorized"].as_integer(), Some(8));
    assert_eq!(st["actual_total"].as_integer(), Some(9));
    assert_eq!(st["retired"].as_integer(), Some(3));
    assert!(
        text.contains("figures = \"本局核定{staffing.groups}；实有在职人员{staffing.actual}名，退休人员{staffing.retired}名。\""),
        "{text}"
    );
}

/// WPS names its styles `1` (Normal), `2` (heading 1), `3` (heading 2): the
/// level comes from the style's name and outline level, never from its id.
/// The title set in heading 1 is the title; a unit's own style based on
/// heading 2 is a heading too; a VML text box is read once.
#[test]
fn wps_heading_styles_by_name_not_by_id() {
    let (t, _, summary) = import_fixture("wps.docx");
    assert_eq!(t["unit"].as_str(), Some("示例县示例局"));
    assert_eq!(t["year"].as_integer(), Some(2023));
    assert_eq!(titles(&t), [(1, "部门概况"), (1, "收支情况"), (1, "存在问题")].map(|(d, s)| (d, s.to_string())));
    // Unnumbered in the source: printed without numbers.
    assert_eq!(numbering(&t)[0], "");
    let body = all_text(&t);
    assert_eq!(body.matches("（本段摘自三定方案）").count(), 1, "{body}");
    assert!(body.contains("主要职能如下。\n"), "{body}");
    assert!(!body.contains("- 3 -"), "{body}");
    assert!(!summary.contains("跳过"), "{summary}");
    assert!(t["staffing"].is_table());
    // The data renders, and the report says what the source said.
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "wps.toml", &toml::to_string(&t).unwrap());
    let pdf = squeeze(&pdf_text(&render_ok(&data, dir.path())));
    for said in ["部门概况", "本局共有行政编制6名，工勤人员1名。", "主要职能如下。（本段摘自三定方案）", "存在问题"] {
        assert!(pdf.contains(said), "{said:?} not in {pdf}");
    }
    assert!(!pdf.contains("一、"), "the source has no numbers: {pdf}");
}

/// Staff numbers become [staffing] only when the sentence prints back the
/// same: categories joined otherwise, or a total that is not their sum, stay words.
#[test]
fn staffing_only_when_certain() {
    let (t, _) = import_text(&format!("{HEAD}一、基本情况\n本局核定编制8名，其中行政编制6名，事业编制2名，退休人员4名。\n二、自评结论\n良好。\n"));
    let text = toml::to_string(&t).unwrap();
    assert_eq!(t["staffing"]["retired"].as_integer(), Some(4), "{text}");
    assert!(text.contains("本局核定编制{staffing.authorized}名，其中{staffing.groups}，退休人员{staffing.retired}名。"), "{text}");
    for unsure in ["本局核定编制9名，其中行政编制6名，事业编制2名。", "本局有行政编制6名、事业编制2名。"] {
        let (t, _) = import_text(&format!("{HEAD}一、基本情况\n{unsure}\n二、自评结论\n良好。\n"));
        if unsure.contains("9名") {
            // The groups are certain, the total is not: it stays a number.
            assert!(toml::to_string(&t).unwrap().contains("本局核定编制9名，其中{staffing.groups}。"), "{t:?}");
        } else {
            assert!(t.get("staffing").is_none(), "{t:?}");
        }
    }
}

/// A file with no styles and no numbers: short bold lines are the headings,
/// each named in the summary as unsure; bold words inside a sentence are not.
#[test]
fn bold_lines_are_headings_when_nothing_else_is() {
    let (t, _, summary) = import_fixture("bold.docx");
    assert_eq!(titles(&t), [(1, "部门基本情况"), (1, "绩效自评结论")].map(|(d, s)| (d, s.to_string())));
    assert!(all_text(&t).contains("重点工作：完成年度目标。"));
    assert_eq!(summary.matches("不确定").count(), 2, "{summary}");
}

/// Write `parts` as a .docx in `dir`.
fn write_docx(dir: &Path, name: &str, parts: &[(&str, &[u8])]) -> PathBuf {
    use std::io::Write;
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (n, bytes) in parts {
        zip.start_file(*n, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// A zip bomb (a document.xml that unpacks to 40 MiB of nothing) and a
/// huge XML (millions of empty paragraphs, under the size cap) are refused
/// in Chinese with exit 1, within a bounded address space.
#[test]
fn docx_bombs_are_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let head = b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    let mut bomb = head.to_vec();
    bomb.resize(40 << 20, b' ');
    let mut many = head.to_vec();
    while many.len() < 30 << 20 {
        many.extend_from_slice(b"<w:p/>");
    }
    many.extend_from_slice(b"</w:body></w:document>");
    for (name, xml, says) in [("bomb.docx", bomb, "压缩炸弹"), ("many.docx", many, "节点超过")] {
        let input = write_docx(dir.path(), name, &[("word/document.xml", &xml)]);
        assert!(std::fs::metadata(&input).unwrap().len() < 1 << 20);
        let out = dir.path().join(format!("{name}.toml"));
        // 1 GiB of address space: the caps keep the import well inside it.
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$0\" import \"$1\" -o \"$2\"")
            .arg(env!("CARGO_BIN_EXE_jixiao"))
            .arg(&input)
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
        assert!(!out.exists());
    }
}

/// Word's title style carries outline level 1 (标题 in a Chinese Word): it
/// is no heading of the report, even when the title reads unlike the usual
/// one. A heading whose paragraph turns its style's numbering off (numId 0)
/// is still a heading of its style's level.
#[test]
fn the_title_style_is_no_heading() {
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let p = |style: &str, extra: &str, text: &str| format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{extra}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>");
    let body = [
        p("a3", "", "关于示例局整体支出绩效情况的说明"),
        p("1", "", "基本情况"),
        p("a", "", "本局负责示例工作。"),
        p("1", "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"0\"/></w:numPr>", "自评结论"),
        p("a", "", "良好。"),
    ]
    .concat();
    let document = format!("<w:document {w}><w:body>{body}</w:body></w:document>");
    let styles = format!(
        "<w:styles {w}><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"a\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"a3\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"a\"/><w:pPr><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr></w:style></w:styles>"
    );
    let numbering_xml = format!(
        "<w:numbering {w}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    let dir = tempfile::tempdir().unwrap();
    let input = write_docx(
        dir.path(),
        "title.docx",
        &[("word/document.xml", document.as_bytes()), ("word/styles.xml", styles.as_bytes()), ("word/numbering.xml", numbering_xml.as_bytes())],
    );
    let (data, _) = import_ok(&input, dir.path(), "title.toml", &[]);
    check_ok(&data);
    let t: toml::Table = toml::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(titles(&t), [(1, "基本情况"), (1, "自评结论")].map(|(d, s)| (d, s.to_string())));
    // The level is numbered 一、 where the style numbers it: the default, no [style].
    assert!(numbering(&t).is_empty(), "{t:?}");
}

/// A table of contents typed by hand (dot leaders, page numbers) is not the
/// outline: the headings after it are.
#[test]
fn a_typed_table_of_contents_is_left_out() {
    let (t, summary) = import_text(&format!(
        "{HEAD}目  录\n一、基本情况……………………1\n二、自评结论……………………2\n一、基本情况\n本局负责示例工作。\n二、自评结论\n良好。\n"
    ));
    assert_eq!(titles(&t), [(1, "基本情况"), (1, "自评结论")].map(|(d, s)| (d, s.to_string())));
    assert!(summary.contains("手写的目录（3 行）"), "{summary}");
}

/// What files saved by Word showed (none committed: see
/// tests/support/make_import_word.py `online()`): Word for the web names
/// the main part word/document2.xml, found through the package's
/// relationships, and its styles styles2.xml; table rows in a repeating
/// section and cells in content controls are read (a control showing its
/// placeholder as an empty cell); check boxes typed in symbol fonts print
/// as □ and ■, U+0085 as …
#[test]
fn word_for_the_web_content_controls_and_check_boxes() {
    let (t, text, summary) = import_fixture("online.docx");
    assert_eq!(titles(&t), [(1, "部门基本情况"), (1, "绩效指标完成情况")].map(|(d, s)| (d, s.to_string())), "{summary}");
    let all = all_text(&t);
    assert!(all.contains("自评结论：■优□良■合格□不合格√达标"), "{all}");
    assert!(all.contains("旧系统转来的文字…"), "{all}");
    assert!(text.contains(r#"["覆盖乡镇", "12个"]"#), "{text}");
    assert!(text.contains(r#"["培训人次", ""]"#), "{text}");
    assert!(!all.contains("单击或点击"), "{all}");
}

/// A document with no heading at all (a notice: no numbers, no heading
/// styles) keeps all its text, tables included, in one section whose title
/// is left to fill in; before, everything was silently dropped.
#[test]
fn a_document_with_no_heading_keeps_its_text() {
    let (t, text, summary) = import_fixture("plain.docx");
    assert!(summary.contains("没有识别出任何标题"), "{summary}");
    let all = all_text(&t);
    for want in ["关于做好示例工作的通知", "各单位：", "现将有关事项通知如下，请认真贯彻执行。", "示例局"] {
        assert!(all.contains(want), "{want}: {all}");
    }
    assert!(text.contains("【请填写：标题】"), "{text}");
    assert!(text.contains("date = 2024-02-19"), "{text}");
}

/// Files named .docx that are something else get a Chinese message naming
/// what they are and what to do, exit 1: an old binary .doc or .wps, a
/// .docx encrypted with a password (both OLE compound files), Word 2003
/// XML, Word's `~$` lock file. A real .docx named .doc is imported.
#[test]
fn old_encrypted_and_lock_files_named_docx() {
    let dir = tempfile::tempdir().unwrap();
    let compound = |name: &str, streams: &[&str]| {
        let path = dir.path().join(name);
        let mut c = cfb::create(&path).unwrap();
        for s in streams {
            use std::io::Write;
            c.create_stream(format!("/{s}")).unwrap().write_all(&[0u8; 600]).unwrap();
        }
        c.flush().unwrap();
        path
    };
    let mut lock = vec![0u8; 162];
    lock[1..14].copy_from_slice(b"Administrator");
    let cases = [
        (compound("旧版.docx", &["WordDocument", "1Table"]), "另存为"),
        (compound("wps.wps", &["WordDocument"]), "另存为"),
        (compound("加密.docx", &["EncryptionInfo", "EncryptedPackage"]), "密码"),
        (
            {
                let p = dir.path().join("2003.docx");
                std::fs::write(&p, "<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><w:wordDocument xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\"/>").unwrap();
                p
            },
            "Word 2003 XML",
        ),
        (
            {
                let p = dir.path().join("~$报告.docx");
                std::fs::write(&p, &lock).unwrap();
                p
            },
            "锁定文件",
        ),
    ];
    for (input, says) in cases {
        let out = dir.path().join("out.toml");
        let o = run(&["import", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{input:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("错误") && stderr(&o).contains(says), "{input:?}: {}", stderr(&o));
        assert!(!out.exists());
    }
    let misnamed = dir.path().join("报告.doc");
    std::fs::copy(repo().join("tests/fixtures/import/wps.docx"), &misnamed).unwrap();
    let (data, _) = import_ok(&misnamed, dir.path(), "doc.toml", &[]);
    check_ok(&data);
}

// --- The corpus: documents shaped as real reports are -----------------------

/// Where a corpus document comes from.
enum Src {
    Text(&'static str),
    /// tests/fixtures/import/<name> (tests/support/make_import_word.py).
    Fixture(&'static str),
    SeedText,
    /// The seed's text with one number written wrong, as in a real copy:
    /// (what, written instead).
    SeedSlip(&'static str, &'static str),
    SeedPdf,
}

struct Case {
    name: &'static str,
    src: Src,
    unit: &'static str,
    year: i64,
    /// (level, title); None: the seed's own outline.
    headings: Option<Vec<(usize, &'static str)>>,
    /// (path under [finance], amount) as the text states it.
    figures: &'static [(&'static str, &'static str)],
    /// Body text that must be kept.
    kept: &'static [&'static str],
    /// Text that is no part of the report and must be gone.
    dropped: &'static [&'static str],
    /// What the summary must name: each loss and each doubt.
    notes: &'static [&'static str],
    closing: Option<&'static str>,
    /// Leaf indicators read from a score table.
    indicators: usize,
    /// The error `check` must give (the report's own numbers do not add up).
    check_error: Option<&'static str>,
    /// Text that must not stay in the sections (it went elsewhere).
    not_in_body: &'static [&'static str],
    /// Text the rendered PDF must hold exactly once (not twice over).
    once_in_pdf: &'static [&'static str],
    /// Rows that must come back as rows of a table in the sections.
    table_rows: &'static [&'static [&'static str]],
}

const SLIPS: &str = "汕尾市城区民政局2022年度部门整体支出绩效自评报告

一、部门基本情况

（一）部门职责

负责全区社会救助、社会福利、社会事务和基层政权建设等工作。

（二）人员情况

本局内设股室5个，下属事业单位2个。

二、部门整体收支情况

2022年度收入总计890.37万元，其中财政拨款收入860.12万元，其他收入30.25万元。

二、部门整体绩效情况

（一）预算编制

1.预算编制合理性。预算编制符合本单位职责。

2.目标设置。绩效目标明确、细化。

（二）预算执行

全年预算执行率98.60%。

四、存在问题

部分项目支出进度偏慢。

五、改进措施

加强预算执行监控。
";

const WEB: &str = "南县人民政府
南县人民政府门户网站
首页 > 政务公开 > 部门预决算 > 绩效评价
南县国库集中支付中心2020年度整体支出绩效自评报告
发布时间：2021-05-01 来源：南县财政局 浏览次数：236
【字体：大 中 小】 【打印】 【关闭】
一、基本情况
南县国库集中支付中心为县财政局所属事业单位，核定事业编制8名。
二、收支情况
支出:816.23万元。其中:人员经费支出543.25万元,公用经费支出90.63万元,项目支出182.35万元。
三、绩效自评
（一）预算编制
预算编制合理，符合单位职责。
（二）预算执行
全年预算执行率为96.07%。
四、存在问题
项目绩效目标不够细化。
南县国库集中支付中心
2021年4月20日
扫一扫在手机打开当前页
主办单位：南县人民政府办公室 承办单位：南县政务服务中心
版权所有：南县人民政府 网站标识码：4309210001 湘ICP备05001234号
";

const CONTENTS_PAGED: &str = "乐昌市林业局
2022年度部门整体支出绩效自评报告
乐昌市林业局
2023年5月
目  录
一、部门基本情况 ……………………………… 1
（一）部门职责 ……………………………… 1
（二）人员编制 ……………………………… 1
二、部门整体支出情况 ……………………… 2
三、自评结论 ………………………………… 2
一、部门基本情况
（一）部门职责
负责全市林业资源保护管理和森林防火工作。
（二）人员编制
人员编制
21
实有人数
21
- 1 -
二、部门整体支出情况
2022年，我部门总支出为3126587.45元，基本支出2626587.45元，其中人员经费2201345.20元，公用经费425242.25元，项目支出500000.00元。
- 2 -
三、自评结论
经自评，我局部门整体支出绩效等级为优。
";

const CONTENTS_PLAIN: &str = "2021年度茂名市发展和改革局部门整体支出绩效自评报告
目录
一、部门概况
二、部门整体支出绩效情况
三、存在的问题
四、下一步工作
一、部门概况
茂名市发展和改革局内设科室12个，下属事业单位2个。
二、部门整体支出绩效情况
（一）收支情况
2021年度收入合计2568.34万元，比上年增加230.12万元，增长9.84%，其中财政拨款收入2468.34万元，其他收入100.00万元。
（二）绩效目标完成情况
全年完成重点项目前期工作18项。
三、存在的问题
绩效目标设置不够细化。
四、下一步工作
加强绩效目标管理。
";

const YEAR_FIRST: &str = "关于2022年度韶关市浈江区卫生健康局部门整体支出绩效自评报告
一、部门基本情况
（1）主要职能。贯彻执行卫生健康工作方针政策。
（一）机构设置
内设机构8个。
（二）收支情况
2022年收入合计12563248.60元，其中财政拨款收入12063248.60元，事业收入500000.00元。
2022年支出合计12236510.25元，其中基本支出8236510.25元，项目支出4000000.00元。
二、绩效自评结论
经自评，我局整体支出绩效等级为良。
";

const GROWTH: &str = "清远市清城区统计局2022年度部门整体支出绩效自评报告
一、部门概况
本局负责全区统计调查工作。
二、部门整体支出情况
2022年度支出总计1580.36万元，比上年增加238.18万元，增长17.75%，其中基本支出936.72万元，项目支出643.64万元。
四、资产情况
截至2022年底，固定资产原值为356.20万元，累计折旧120.45万元，净值235.75万元。
五、自评结论
自评等级为优。
";

const MISMATCH: &str = "佛冈县水利局2022年度部门整体支出绩效自评报告
一、部门收入情况
2022年度收入总计100.00万元，其中财政拨款收入95.00万元，其他收入4.00万元。
二、自评结论
自评等级为良。
";

const CLOSING_CN: &str = "连州市档案馆2022年度部门整体支出绩效自评报告
一、基本情况
本馆核定事业编制10名。
二、绩效目标完成情况
（一）档案接收
全年接收进馆档案3200卷。
（二）档案利用
接待查档群众1500人次。
三、自评结论
自评等级为优。
连州市档案馆
二〇二三年三月十日
附件：连州市档案馆2022年度部门整体支出绩效自评表
";

const SCORE_ROWS: &str = "阳山县农业农村局2022年度部门整体支出绩效自评报告
一、部门基本情况
本局内设股室6个，下属事业单位3个。
二、绩效自评结果
经自评，本局2022年度部门整体支出绩效得分92分，等级为优。
部门整体支出绩效自评表
一级指标 二级指标 三级指标 分值 得分
部门决策 目标设定 绩效目标合理性 8 8
预算编制 预算编制科学性 12 11
部门管理 资金管理 预算执行率 30 27
资产管理 资产管理规范性 10 10
部门绩效 产出 重点工作完成率 20 19
效益 社会效益 20 17
合计 100 92
三、存在问题
部分绩效指标不够量化。
阳山县农业农村局
2023年4月6日
";

const RUN_IN: &str = "云浮市云城区审计局2022年度部门整体支出绩效自评报告
一、部门整体收支情况
1.部门整体收入。2022年，我部门总收入为5236410.52元，其中财政拨款收入5236410.52元。
2.部门整体支出。2022年，我部门总支出为5198765.30元，基本支出4398765.30元，项目支出800000.00元。
二、自评结论
自评等级为优。
";

const INVERTED: &str = "德庆县自然资源局2022年度部门整体支出绩效自评报告
一、部门基本情况
1.主要职能
负责全县自然资源调查监测评价和国土空间规划工作。
2.机构设置
（一）内设机构
局机关内设股室9个。
（二）下属单位
下属事业单位3个。
二、部门整体支出绩效情况
1.预算编制
（一）预算编制合理性
预算编制依据充分，符合本部门职责。
（二）绩效目标设置
绩效目标明确、细化、量化。
2.预算执行
（一）预算执行率
全年预算执行率为97.35%。
（二）结转结余
年末结转结余资金较上年减少。
三、存在问题
个别项目支出进度偏慢。
德庆县自然资源局  2023年3月
";

const ECONOMIC: &str = "罗定市交通运输局2022年度部门整体支出绩效自评报告
一、部门基本情况
本局内设股室7个，下属事业单位2个。
二、部门整体支出情况
2022年度支出总计1256.80万元，其中基本支出856.80万元，项目支出400.00万元。按经济分类：工资福利支出652.30万元，商品和服务支出398.50万元，对个人和家庭的补助26.00万元，资本性支出180.00万元。
三、绩效目标完成情况
1.公路养护
（1）养护里程
全年完成农村公路养护里程320公里。
（2）路况水平
优良路率达到85.6%。
2.运输服务
（1）客运服务
新开通镇村公交线路3条。
四、存在问题
部分项目资金拨付进度偏慢。
罗定市交通运输局 二〇二三年三月十日
";

fn corpus() -> Vec<Case> {
    let base = || Case {
        name: "",
        src: Src::SeedText,
        unit: "",
        year: 0,
        headings: None,
        figures: &[],
        kept: &[],
        dropped: &[],
        notes: &[],
        closing: None,
        indicators: 0,
        check_error: None,
        not_in_body: &[],
        once_in_pdf: &[],
        table_rows: &[],
    };
    vec![
        Case {
            name: "编号重复与跳号（文本）",
            src: Src::Text(SLIPS),
            unit: "汕尾市城区民政局",
            year: 2022,
            headings: Some(vec![
                (1, "部门基本情况"), (2, "部门职责"), (2, "人员情况"), (1, "部门整体收支情况"), (1, "部门整体绩效情况"),
                (2, "预算编制"), (3, "预算编制合理性"), (3, "目标设置"), (2, "预算执行"), (1, "存在问题"), (1, "改进措施"),
            ]),
            figures: &[("income.total", "890.37"), ("income.sources.财政拨款收入", "860.12")],
            kept: &["全年预算执行率98.60%。", "加强预算执行监控。"],
            notes: &["编号“二、”重复了上一个编号（前一个是“二、”），仍作为第 1 层标题导入；生成的编号是“三、”"],
            ..base()
        },
        Case {
            name: "网页另存的文本",
            src: Src::Text(WEB),
            unit: "南县国库集中支付中心",
            year: 2020,
            headings: Some(vec![(1, "基本情况"), (1, "收支情况"), (1, "绩效自评"), (2, "预算编制"), (2, "预算执行"), (1, "存在问题")]),
            figures: &[("expenditure.total", "816.23"), ("expenditure.personnel", "543.25"), ("expenditure.public", "90.63"), ("expenditure.project", "182.35")],
            kept: &["预算编制合理，符合单位职责。", "项目绩效目标不够细化。"],
            dropped: &["发布时间", "首页", "ICP", "打印", "门户网站", "扫一扫"],
            notes: &["网页上的栏目、网址、发布时间等（6 行）未导入", "标题之前的文字（网站名称、封面等，2 段）未导入"],
            closing: Some("2021-04-20"),
            ..base()
        },
        Case {
            name: "封面、带页码的目录、单独成行的数字",
            src: Src::Text(CONTENTS_PAGED),
            unit: "乐昌市林业局",
            year: 2022,
            headings: Some(vec![(1, "部门基本情况"), (2, "部门职责"), (2, "人员编制"), (1, "部门整体支出情况"), (1, "自评结论")]),
            figures: &[("expenditure.total", "3126587.45"), ("expenditure.basic", "2626587.45"), ("expenditure.project", "500000.00")],
            kept: &["人员编制", "21", "实有人数"],
            dropped: &["…", "2023年5月"],
            notes: &["手写的目录（6 行）未导入", "单独成行的页码（2 处）未导入", "标题之前的文字（网站名称、封面等，2 段）未导入"],
            ..base()
        },
        Case {
            name: "年度在前的标题、不带页码的目录",
            src: Src::Text(CONTENTS_PLAIN),
            unit: "茂名市发展和改革局",
            year: 2021,
            headings: Some(vec![
                (1, "部门概况"), (1, "部门整体支出绩效情况"), (2, "收支情况"), (2, "绩效目标完成情况"), (1, "存在的问题"), (1, "下一步工作"),
            ]),
            figures: &[("income.total.amount", "2568.34"), ("income.total.growth", "230.12"), ("income.total.growth_rate", "9.84"), ("income.sources.其他收入", "100.00")],
            kept: &["全年完成重点项目前期工作18项。"],
            notes: &["手写的目录（5 行）未导入"],
            ..base()
        },
        Case {
            name: "“关于”开头、（1）先于（一）、金额以元计",
            src: Src::Text(YEAR_FIRST),
            unit: "韶关市浈江区卫生健康局",
            year: 2022,
            headings: Some(vec![(1, "部门基本情况"), (2, "主要职能"), (2, "机构设置"), (2, "收支情况"), (1, "绩效自评结论")]),
            figures: &[("income.total", "12563248.60"), ("income.sources.事业收入", "500000.00"), ("expenditure.total", "12236510.25")],
            kept: &["内设机构8个。"],
            notes: &["编号“（1）”跳过了上一层"],
            ..base()
        },
        Case {
            name: "上年数与增减、固定资产",
            src: Src::Text(GROWTH),
            unit: "清远市清城区统计局",
            year: 2022,
            headings: Some(vec![(1, "部门概况"), (1, "部门整体支出情况"), (1, "资产情况"), (1, "自评结论")]),
            figures: &[
                ("expenditure.total.amount", "1580.36"), ("expenditure.total.growth", "238.18"), ("expenditure.total.growth_rate", "17.75"),
                ("expenditure.basic", "936.72"), ("fixed_assets.original", "356.20"), ("fixed_assets.net", "235.75"),
            ],
            notes: &["编号“四、”跳过了编号（前一个是“二、”），仍作为第 1 层标题导入"],
            ..base()
        },
        Case {
            name: "各项加不平的收入句",
            src: Src::Text(MISMATCH),
            unit: "佛冈县水利局",
            year: 2022,
            headings: Some(vec![(1, "部门收入情况"), (1, "自评结论")]),
            figures: &[("income.total", "100.00"), ("income.sources.其他收入", "4.00")],
            notes: &["各项收入之和 99.00 不等于总收入 100.00"],
            check_error: Some("finance.income"),
            ..base()
        },
        Case {
            name: "落款（中文数字日期）与附件说明",
            src: Src::Text(CLOSING_CN),
            unit: "连州市档案馆",
            year: 2022,
            headings: Some(vec![(1, "基本情况"), (1, "绩效目标完成情况"), (2, "档案接收"), (2, "档案利用"), (1, "自评结论")]),
            kept: &["附件：连州市档案馆2022年度部门整体支出绩效自评表"],
            closing: Some("2023-03-10"),
            ..base()
        },
        Case {
            name: "以文字行写成的自评表、落款",
            src: Src::Text(SCORE_ROWS),
            unit: "阳山县农业农村局",
            year: 2022,
            headings: Some(vec![(1, "部门基本情况"), (1, "绩效自评结果"), (1, "存在问题")]),
            kept: &["部分绩效指标不够量化。"],
            notes: &[
                "以文字行写成的自评表（7 行）已按表格导入",
                "自评表（6 项末级指标）已转为 [[indicators]]",
                "原文的自评表及其标题“部门整体支出绩效自评表”已从正文中移出",
            ],
            not_in_body: &["部门整体支出绩效自评表", "预算编制科学性", "重点工作完成率"],
            once_in_pdf: &["预算编制科学性", "重点工作完成率"],
            closing: Some("2023-04-06"),
            indicators: 6,
            ..base()
        },
        Case {
            name: "标题后接排的收支句",
            src: Src::Text(RUN_IN),
            unit: "云浮市云城区审计局",
            year: 2022,
            headings: Some(vec![(1, "部门整体收支情况"), (2, "部门整体收入"), (2, "部门整体支出"), (1, "自评结论")]),
            figures: &[("income.total", "5236410.52"), ("expenditure.total", "5198765.30"), ("expenditure.project", "800000.00")],
            ..base()
        },
        Case {
            name: "Word：编号重复、加粗的一级标题、（1）先于（一）",
            src: Src::Fixture("corpus-slips.docx"),
            unit: "和平县文化广电旅游体育局",
            year: 2022,
            headings: Some(vec![
                (1, "部门基本情况"), (2, "主要职能"), (2, "部门职责"), (2, "机构设置"), (1, "部门整体收支情况"), (2, "收入情况"), (2, "支出情况"),
                (1, "绩效自评情况"), (2, "预算编制"), (3, "预算编制合理"), (3, "目标设置明确"), (2, "预算执行"), (3, "支出进度"),
                (1, "存在问题"), (1, "改进措施"),
            ]),
            figures: &[("income.total", "1026.48"), ("expenditure.project", "305.82")],
            notes: &["编号“二、”重复了上一个编号"],
            closing: Some("2023-03-15"),
            ..base()
        },
        Case {
            name: "Word：封面、手打的目录、标题重复",
            src: Src::Fixture("corpus-cover.docx"),
            unit: "茂名市发展和改革局",
            year: 2022,
            headings: Some(vec![(1, "部门概况"), (1, "部门整体支出情况"), (2, "收入"), (2, "支出"), (1, "绩效自评结论"), (1, "存在的问题及改进措施")]),
            figures: &[("income.total", "3562100.00"), ("expenditure.basic", "2998765.40")],
            dropped: &["二〇二三年四月"],
            notes: &["标题之前的文字（网站名称、封面等"],
            ..base()
        },
        Case {
            name: "Word：自评表、落款在附件之前",
            src: Src::Fixture("corpus-score.docx"),
            unit: "信宜市林业局",
            year: 2021,
            headings: Some(vec![(1, "部门基本情况"), (1, "收支情况"), (1, "自评结果")]),
            figures: &[("income.total.amount", "2156.78"), ("income.total.prior", "1988.20"), ("expenditure.total.growth", "95.16")],
            notes: &["自评表（6 项末级指标）已转为 [[indicators]]", "印在附件“信宜市林业局2021年度部门整体支出绩效自评表”中"],
            not_in_body: &["附件：", "绩效目标合理性", "资产管理规范性"],
            once_in_pdf: &["绩效目标合理性", "资产管理规范性"],
            closing: Some("2022-04-28"),
            indicators: 6,
            ..base()
        },
        Case {
            name: "从 PDF 复制的文本（样本）",
            src: Src::SeedText,
            unit: "乐昌市妇女联合会",
            year: 2022,
            figures: &[("income.total", "1485562.08"), ("expenditure.personnel", "1050805.88"), ("fixed_assets.net", "70383.24")],
            notes: &["单独成行的页码（2 处）未导入", "单位名称取自"],
            ..base()
        },
        Case {
            name: "样本：“三、绩效分析”误写为“二、”",
            src: Src::SeedSlip("三、绩效分析", "二、绩效分析"),
            unit: "乐昌市妇女联合会",
            year: 2022,
            figures: &[("expenditure.total", "1485562.08")],
            notes: &["编号“二、”重复了上一个编号（前一个是“二、”），仍作为第 1 层标题导入；生成的编号是“三、”"],
            ..base()
        },
        Case {
            name: "层级倒置：一、› 1. ›（一）；落款单位与年月同行",
            src: Src::Text(INVERTED),
            unit: "德庆县自然资源局",
            year: 2022,
            headings: Some(vec![
                (1, "部门基本情况"), (2, "主要职能"), (2, "机构设置"), (3, "内设机构"), (3, "下属单位"),
                (1, "部门整体支出绩效情况"), (2, "预算编制"), (3, "预算编制合理性"), (3, "绩效目标设置"),
                (2, "预算执行"), (3, "预算执行率"), (3, "结转结余"), (1, "存在问题"),
            ]),
            kept: &["个别项目支出进度偏慢。"],
            not_in_body: &["2023年3月"],
            notes: &["落款日期“2023年3月”没有写日"],
            ..base()
        },
        Case {
            name: "按经济分类的支出、一、› 1. ›（1）、落款同行（〇）",
            src: Src::Text(ECONOMIC),
            unit: "罗定市交通运输局",
            year: 2022,
            headings: Some(vec![
                (1, "部门基本情况"), (1, "部门整体支出情况"), (1, "绩效目标完成情况"), (2, "公路养护"), (3, "养护里程"), (3, "路况水平"),
                (2, "运输服务"), (3, "客运服务"), (1, "存在问题"),
            ]),
            figures: &[
                ("expenditure.total", "1256.80"), ("expenditure.project", "400.00"),
                ("expenditure.breakdowns.按经济分类.parts.工资福利支出", "652.30"),
                ("expenditure.breakdowns.按经济分类.parts.商品和服务支出", "398.50"),
                ("expenditure.breakdowns.按经济分类.parts.对个人和家庭的补助", "26.00"),
                ("expenditure.breakdowns.按经济分类.parts.资本性支出", "180.00"),
            ],
            kept: &["新开通镇村公交线路3条。"],
            not_in_body: &["二〇二三年三月十日"],
            closing: Some("2023-03-10"),
            ..base()
        },
        Case {
            name: "PDF：封面、带页码的目录、另一字体的引号、表格",
            src: Src::Fixture("corpus-cover.pdf"),
            unit: "封开县市场监督管理局",
            year: 2022,
            headings: Some(vec![
                (1, "部门基本情况"), (2, "部门职责"), (2, "人员情况"), (1, "部门整体收支情况"), (1, "绩效自评情况"), (1, "存在问题及改进措施"),
            ]),
            figures: &[("income.total", "1862.45"), ("income.sources.财政拨款收入", "1802.45"), ("income.sources.其他收入", "60.00")],
            kept: &[
                "负责全县市场综合监督管理，统一登记市场主体，组织开展“双随机、一公开”监管和“放管服”改革，承担食品安全、药品安全和特种设备安全监督管理工作，推进质量强县建设。\n",
                "\n以上人员均按规定纳入财政供养范围，人员经费由县财政全额保障。\n",
                "\n经自评，本局2022年度部门整体支出绩效等级为“优”。\n",
            ],
            dropped: &["……", "2023年4月", "目录"],
            notes: &["手写的目录", "标题之前的文字（网站名称、封面等，2 段）未导入", "PDF 中的表格（1 个）按文字的位置还原"],
            table_rows: &[&["类别", "编制数（名）", "实有人数（名）"], &["行政编制", "36", "34"], &["事业编制", "12", "11"]],
            ..base()
        },
        Case {
            name: "PDF（样本）",
            src: Src::SeedPdf,
            unit: "乐昌市妇女联合会",
            year: 2022,
            figures: &[("income.total", "1485562.08"), ("expenditure.public", "141200.00")],
            ..base()
        },
    ]
}

/// The value at a dotted path of [finance]: `income.total`,
/// `income.total.growth`, `income.sources.财政拨款收入`.
fn finance_at(t: &toml::Table, path: &str) -> Option<String> {
    let f = t.get("finance")?;
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut v = f.get(first)?;
    for p in parts {
        // In an array (`sources`, `breakdowns`, `parts`) an entry by its name.
        v = match v.as_array() {
            Some(arr) => arr.iter().find(|s| s.get("name").and_then(|n| n.as_str()) == Some(p))?,
            None => v.get(p)?,
        };
    }
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Table(t) => t.get("amount")?.as_str().map(str::to_string),
        other => Some(other.to_string()),
    }
}

/// Every row of every table in the sections, the head included.
fn table_rows(t: &toml::Table) -> Vec<Vec<String>> {
    fn walk(v: &toml::Value, out: &mut Vec<Vec<String>>) {
        match v {
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            toml::Value::Table(t) => {
                if let Some(tb) = t.get("table") {
                    let cells = |r: &toml::Value| r.as_array().map(|a| a.iter().map(|c| c.as_str().or_else(|| c.get("title")?.as_str()).unwrap_or("").to_string()).collect::<Vec<_>>());
                    out.extend(tb.get("columns").and_then(cells));
                    out.extend(tb.get("rows").and_then(|r| r.as_array()).into_iter().flatten().filter_map(cells));
                }
                t.values().for_each(|x| walk(x, out));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&t["sections"], &mut out);
    out
}

/// Leaf indicators of the data.
fn leaves(v: Option<&toml::Value>) -> usize {
    v.and_then(|v| v.as_array())
        .map(|a| a.iter().map(|i| if i.get("indicators").is_some() { leaves(i.get("indicators")) } else { 1 }).sum())
        .unwrap_or(0)
}

/// At least twelve documents shaped as real reports are: slips in the
/// numbering, web pages, covers and contents, year-first titles, each
/// figures wording, a score table, a closing, lone numbers. Per document:
/// text kept, headings at the right level, figures landed, unit right, and
/// each loss named in the summary. Over the corpus ≥ 95% of the headings
/// land at their level; the unit is right on every document.
#[test]
fn corpus_of_real_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let seed: toml::Table = toml::from_str(&std::fs::read_to_string(seed_data()).unwrap()).unwrap();
    let seed_headings = titles(&seed);
    let (mut right, mut expected) = (0usize, 0usize);
    let mut failures = Vec::new();
    let cases = corpus();
    assert!(cases.len() >= 12);
    for (n, c) in cases.iter().enumerate() {
        let input = match &c.src {
            Src::Text(t) => {
                let p = dir.path().join(format!("c{n}.txt"));
                std::fs::write(&p, t).unwrap();
                p
            }
            Src::Fixture(f) => repo().join("tests/fixtures/import").join(f),
            Src::SeedText => seed_txt(),
            Src::SeedSlip(what, instead) => {
                let p = dir.path().join(format!("c{n}.txt"));
                let seed = std::fs::read_to_string(seed_txt()).unwrap();
                assert!(seed.contains(what));
                std::fs::write(&p, seed.replacen(what, instead, 1)).unwrap();
                p
            }
            Src::SeedPdf => seed_pdf().1.clone(),
        };
        let (data, summary) = import_ok(&input, dir.path(), &format!("c{n}.toml"), &[]);
        let text = std::fs::read_to_string(&data).unwrap();
        let t: toml::Table = toml::from_str(&text).unwrap();
        let got = titles(&t);
        let want: Vec<(usize, String)> = match &c.headings {
            Some(h) => h.iter().map(|(l, s)| (*l, s.to_string())).collect(),
            None => seed_headings.clone(),
        };
        // Headings found at their level, in order (a PDF cannot tell a
        // space in a title from the gap of justified type).
        let mut at = 0;
        let mut found = 0;
        for w in &want {
            if let Some(k) = got[at..].iter().position(|g| g.0 == w.0 && squeeze(&g.1) == squeeze(&w.1)) {
                found += 1;
                at += k + 1;
            }
        }
        right += found;
        expected += want.len();
        let body = all_text(&t);
        let kept = c.kept.iter().filter(|k| body.contains(*k)).count();
        let landed = c.figures.iter().filter(|(p, a)| finance_at(&t, p).as_deref() == Some(*a)).count();
        let unit = t["unit"].as_str() == Some(c.unit);
        let named = c.notes.iter().filter(|s| summary.contains(*s)).count();
        let gone = c.dropped.iter().filter(|d| !text.contains(*d)).count();
        println!(
            "{:<36} 正文 {}/{}  标题 {}/{}（所得 {}）  数字 {}/{}  单位 {}  摘要 {}/{}  略去 {}/{}",
            c.name, kept, c.kept.len(), found, want.len(), got.len(), landed, c.figures.len(),
            if unit { "对" } else { "错" }, named, c.notes.len(), gone, c.dropped.len()
        );
        let mut why = Vec::new();
        if !unit {
            why.push(format!("unit = {:?}", t["unit"]));
        }
        if t["year"].as_integer() != Some(c.year) {
            why.push(format!("year = {:?}", t["year"]));
        }
        if kept < c.kept.len() {
            why.push(format!("text lost: {:?}", c.kept.iter().filter(|k| !body.contains(*k)).collect::<Vec<_>>()));
        }
        if landed < c.figures.len() {
            why.push(format!("figures: {:?}", c.figures.iter().map(|(p, _)| (p, finance_at(&t, p))).collect::<Vec<_>>()));
        }
        if named < c.notes.len() {
            why.push(format!("summary lacks {:?}", c.notes.iter().filter(|s| !summary.contains(*s)).collect::<Vec<_>>()));
        }
        if gone < c.dropped.len() {
            why.push(format!("furniture kept: {:?}", c.dropped.iter().filter(|d| text.contains(*d)).collect::<Vec<_>>()));
        }
        if found < want.len() {
            why.push(format!("headings {got:?}"));
        }
        let closing = t.get("closing").and_then(|c| c.get("date")).map(|d| d.to_string());
        if closing.as_deref() != c.closing {
            why.push(format!("closing date {closing:?}"));
        }
        if leaves(t.get("indicators")) != c.indicators {
            why.push(format!("indicators: {}", leaves(t.get("indicators"))));
        }
        let rows = table_rows(&t);
        let missing: Vec<_> = c.table_rows.iter().filter(|r| !rows.iter().any(|g| g == *r)).collect();
        if !missing.is_empty() {
            why.push(format!("table rows missing: {missing:?} in {rows:?}"));
        }
        let lingering: Vec<_> = c.not_in_body.iter().filter(|s| body.contains(*s)).collect();
        if !lingering.is_empty() {
            why.push(format!("still in the body: {lingering:?}"));
        }
        if !c.once_in_pdf.is_empty() {
            let pdf = squeeze(&pdf_text(&render_ok(&data, dir.path())));
            for s in c.once_in_pdf {
                let n = pdf.matches(s).count();
                if n != 1 {
                    why.push(format!("{s:?} printed {n} times"));
                }
            }
        }
        let o = run(&["check", data.to_str().unwrap()]);
        let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        match c.check_error {
            None if !o.status.success() => why.push(format!("check failed: {out}")),
            Some(e) if o.status.success() || !out.contains(e) => why.push(format!("check should name {e}: {out}")),
            _ => {}
        }
        if !why.is_empty() {
            failures.push(format!("{}:\n  {}\n{summary}", c.name, why.join("\n  ")));
        }
    }
    let share = right as f64 / expected as f64;
    println!("标题在正确层级：{right}/{expected}（{:.1}%）", share * 100.0);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(share >= 0.95, "{right}/{expected}");
}
