//! Scores as frameworks have them: indicators stated apart from the outline,
//! a stated total, partial scores, starter frameworks, the table's columns.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// The lines of a PDF as `pdftotext -layout` reads them (a table row is a
/// line), whitespace dropped, joined by newlines.
fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext").args(["-layout", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext (poppler-utils)");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).lines().map(squeeze).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// A report in prose whose framework (25/30/45) is only in the 自评表.
/// `scores` are the three leaves' scores as TOML lines ("" for none).
fn prose_report(scoring: &str, s1: &str, s2: &str, s3: &str) -> String {
    format!(
        r#"unit = "示例县示例局"
year = 2024

[scoring]
{scoring}

[[sections]]
title = "部门整体预算绩效管理情况"

[[sections.blocks]]
paragraph = "我局预算编制科学，资金管理规范，产出与效果达到预期。"

[[indicators]]
name = "部门决策"
weight = 25

[[indicators.indicators]]
name = "绩效目标"
weight = 25
{s1}

[[indicators]]
name = "部门管理"
weight = 30

[[indicators.indicators]]
name = "资金管理"
weight = 30

[[indicators.indicators.indicators]]
name = "预算执行率"
weight = 30
{s2}

[[indicators]]
name = "部门绩效"
weight = 45
{s3}

[[attachments]]
title = "部门整体支出绩效自评表"

[[attachments.blocks]]
score_table = {{}}
"#
    )
}

fn check(dir: &Path, text: &str) -> (Option<i32>, String, String) {
    let data = write_data(dir, "r.toml", text);
    let o = run(&["check", data.to_str().unwrap()]);
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), stderr(&o))
}

#[test]
fn indicators_only_report_prints_its_scores_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let text = prose_report("", "score = 23.5", "score = 27", "score = 41");
    let (code, out, err) = check(dir.path(), &text);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("总分：91.5，等级：优"), "{out}");
    let pdf = render_ok(&write_data(dir.path(), "r.toml", &text), dir.path());
    let got = pdftotext(&pdf);
    // Rows: name, weight, score; the subtotals; the total and grade.
    for row in ["绩效目标2523.5", "小计2523.5", "预算执行率3027", "部门绩效4541", "合计10091.5", "评价等级优"] {
        assert!(got.contains(row), "{row} not in: {got}");
    }
    // The body is prose: no indicator became a heading.
    assert!(!got.contains("（一）部门决策"), "{got}");
}

#[test]
fn stated_total_that_disagrees_with_the_sum_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = prose_report("score = 92", "score = 23.5", "score = 27", "score = 41");
    let (code, _, err) = check(dir.path(), &text);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("错误：scoring.score：综合评分填写 92，而各指标得分之和为 部门决策 23.5 + 部门管理 27 + 部门绩效 41 = 91.5，相差 0.5；请核对综合评分或各指标得分"),
        "{err}"
    );
    // Agreeing, it passes and is the total.
    let (code, out, err) = check(dir.path(), &text.replace("score = 92", "score = 91.5"));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("总分：91.5，等级：优（综合评分，数据中写明）"), "{out}");
}

#[test]
fn stated_total_without_indicator_scores_is_printed_and_graded() {
    let dir = tempfile::tempdir().unwrap();
    let text = prose_report("score = 86", "", "", "")
        .replace("paragraph = \"我局", "figures = \"综合评分为{total_score}分，评价等级为“{grade}”。\"\n\n[[sections.blocks]]\nparagraph = \"我局");
    let (code, out, err) = check(dir.path(), &text);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("没有填写自评得分"), "no score is written, none is missing: {err}");
    assert!(out.contains("总分：86，等级：良"), "{out}");
    let pdf = render_ok(&write_data(dir.path(), "r.toml", &text), dir.path());
    let got = pdftotext(&pdf);
    assert!(got.contains("综合评分为86分，评价等级为“良”。"), "{got}");
    assert!(got.contains("合计10086\n评价等级良"), "{got}");
}

#[test]
fn partial_scores_are_printed_and_the_missing_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = prose_report("", "score = 23.5", "", "score = 41");
    let (code, out, err) = check(dir.path(), &text);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("警告：indicators[1].indicators[0].indicators[0].score：指标“预算执行率”没有填写自评得分（score）；各项都填写后才计算总分和等级"),
        "{err}"
    );
    assert_eq!(err.matches("没有填写自评得分").count(), 1, "{err}");
    assert!(out.contains("自评得分未填全"), "{out}");
    let pdf = render_ok(&write_data(dir.path(), "r.toml", &text), dir.path());
    let got = pdftotext(&pdf);
    assert!(got.contains("绩效目标2523.5") && got.contains("部门绩效4541"), "{got}");
    // The missing one is blank, and so are the total and grade.
    assert!(got.contains("预算执行率30\n"), "{got}");
    assert!(got.contains("\n合计100\n"), "{got}");
    assert!(!got.contains("评价等级"), "{got}");
}

#[test]
fn both_sources_at_once_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = prose_report("", "", "", "").replace(
        "[[sections.blocks]]\nparagraph",
        "[[sections.sections]]\ntitle = \"部门决策\"\nweight = 100\n\n[[sections.blocks]]\nparagraph",
    );
    let (code, _, err) = check(dir.path(), &text);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("错误：indicators：指标写了两处"), "{err}");
    assert!(err.contains("请只选一处"), "{err}");
}

#[test]
fn the_table_columns_follow_the_framework() {
    let dir = tempfile::tempdir().unwrap();
    let table = "[scoring.table]\nnote = false\ngrade = false\nscore_header = \"得分\"\nweight_in_name = true";
    let text = prose_report(table, "score = 23.5\nnote = \"目标明确。\"", "score = 27", "score = 41");
    let pdf = render_ok(&write_data(dir.path(), "r.toml", &text), dir.path());
    let got = pdftotext(&pdf);
    assert!(got.contains("一级指标二级指标三级指标分值得分"), "{got}");
    assert!(!got.contains("评分说明") && !got.contains("自评得分") && !got.contains("目标明确"), "{got}");
    assert!(!got.contains("评价等级"), "{got}");
    assert!(got.contains("绩效目标（25分）2523.5") && got.contains("部门绩效（45分）4541"), "{got}");
    // The default: the seed's columns.
    let pdf = render_ok(&write_data(dir.path(), "r.toml", &prose_report("", "score = 23.5\nnote = \"目标明确。\"", "", "")), dir.path());
    let got = pdftotext(&pdf);
    assert!(got.contains("一级指标二级指标三级指标分值自评得分评分说明") && got.contains("目标明确。"), "{got}");
}

#[test]
fn init_with_a_framework_checks_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    for (name, weights) in [("sichuan", ["部门决策：分值 25", "综合管理：分值 30", "部门绩效情况：分值 45"]), ("guangdong", ["预算编制情况：分值 28", "预算执行情况：分值 42", "资金使用效益：分值 30"])] {
        let x = dir.path().join(format!("{name}.toml"));
        let o = run(&["init", x.to_str().unwrap(), "--framework", name, "--unit", "示例县示例局", "--year", "2024"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(&x).unwrap();
        assert!(text.starts_with("#:schema ./jixiao.schema.json"), "{text}");
        assert!(text.contains("unit = \"示例县示例局\"") && text.contains("year = 2024"), "{text}");
        let o = run(&["check", x.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("共 0 个错误"), "{}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        for w in weights {
            assert!(out.contains(w), "{out}");
        }
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        let pdf = render_ok(&x, &sub);
        let got = pdftotext(&pdf);
        assert!(got.contains("部门整体支出绩效自评表"), "{got}");
    }
    // Sichuan's published 得分表: weights in the names, no 分值 column, no
    // 小计; 履职成效 weighs what the department's own items weigh.
    let got = pdftotext(&dir.path().join("sichuan/out.pdf"));
    assert!(got.contains("一级指标二级指标三级指标得分\n"), "{got}");
    assert!(got.contains("中期评估（2分）执行中期评估（2分）\n") && got.contains("履职成效（20分）"), "{got}");
    assert!(!got.contains("评分说明") && !got.contains("小计") && !got.contains("部门管理"), "{got}");
    let starter = std::fs::read_to_string(dir.path().join("sichuan.toml")).unwrap();
    assert!(starter.contains("出处：") && starter.contains("http://nyj.dazhou.gov.cn/xxgk-show-16453.html"), "the starter cites its source");
}

/// Scores being filled in: many blank ones are one warning that lists each
/// indicator with its line, not a page of warnings; a few stay in full.
#[test]
fn many_blank_scores_are_one_warning_listing_each_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("r.toml");
    let o = run(&["init", x.to_str().unwrap(), "--framework", "guangdong", "--unit", "示例县示例局", "--year", "2024"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&x).unwrap();
    // One score written: the other 26 leaves are blank.
    let text = text.replacen("name = \"预算编制合理性\"\nweight = 5\n", "name = \"预算编制合理性\"\nweight = 5\nscore = 4.5\n", 1);
    std::fs::write(&x, &text).unwrap();
    let o = run(&["check", x.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("警告：还有 26 项指标未填自评得分（在各项的 weight 下一行写 score = 得分）；各项都填写后才计算总分和等级"),
        "{err}"
    );
    assert!(!err.contains("没有填写自评得分"), "no blank score is shown in full: {err}");
    // Each is listed on a line of its own, at the line of its table (the
    // `[[indicators…]]` right above its name).
    let line_of = |name: &str| text.lines().position(|l| l == format!("name = \"{name}\"")).unwrap();
    for name in ["预算编制规范性", "国库集中支付结转结余存量资金效率性", "公平性"] {
        assert!(err.contains(&format!("\n  第 {} 行  指标“{name}”\n", line_of(name))), "{name}: {err}");
    }
    assert_eq!(err.matches("\n  第 ").count(), 26, "{err}");
    // The count still counts each.
    assert!(err.contains("共 0 个错误，34 个警告"), "{err}");
}

#[test]
fn init_lists_the_frameworks_and_refuses_an_unknown_one() {
    let o = run(&["init", "--framework", "list"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("可用的评分框架") && out.contains("guangdong") && out.contains("sichuan"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.toml");
    let o = run(&["init", x.to_str().unwrap(), "--framework", "hubei"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有名为“hubei”的评分框架") && stderr(&o).contains("sichuan"), "{}", stderr(&o));
    assert!(!x.exists());
}

/// Every data file shipped, the frameworks included, checks and renders.
#[test]
fn every_data_file_checks_and_renders() {
    let mut files = Vec::new();
    for dir in ["data", "data/frameworks"] {
        for e in std::fs::read_dir(repo().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 4, "{files:?}");
    let out = tempfile::tempdir().unwrap();
    for f in files {
        let o = run(&["check", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", f.display(), stderr(&o));
        let pdf = out.path().join("x.pdf");
        let o = run(&["render", f.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
        assert!(o.status.success(), "{}: {}", f.display(), stderr(&o));
    }
}

/// Sichuan's table: no 分值 column (the weights are in the names), no 小计
/// rows, and a framework level that states no weight of its own weighs what
/// its items weigh (履职成效 20 = 10 + 10).
#[test]
fn sichuan_table_without_weight_column_subtotals_or_group_weight() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"unit = "示例县示例局"
year = 2024

[scoring.table]
note = false
weight = false
subtotal = false
score_header = "得分"
weight_in_name = true

[[sections]]
title = "评价结论"

[[sections.blocks]]
paragraph = "我局整体支出绩效良好。"

[[indicators]]
name = "部门决策"
weight = 25

[[indicators.indicators]]
name = "目标任务"
weight = 25
score = 24

[[indicators]]
name = "综合管理"
weight = 30
score = 28

[[indicators]]
name = "部门绩效情况"
weight = 45

[[indicators.indicators]]
name = "履职成效"

[[indicators.indicators.indicators]]
name = "重点工作完成率"
weight = 10
score = 10

[[indicators.indicators.indicators]]
name = "群众办事满意率"
weight = 10
score = 9

[[indicators.indicators]]
name = "可持续发展能力"
weight = 25
score = 22

[[attachments]]
title = "部门整体支出绩效自评表"

[[attachments.blocks]]
score_table = {}
"#;
    let (code, out, err) = check(dir.path(), text);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.starts_with("检查通过"), "{err}");
    assert!(out.contains("总分：93，等级：优"), "{out}");
    let pdf = render_ok(&write_data(dir.path(), "r.toml", text), dir.path());
    let got = pdftotext(&pdf);
    assert!(got.contains("一级指标二级指标三级指标得分\n"), "{got}");
    assert!(!got.contains("分值") && !got.contains("小计"), "{got}");
    assert!(got.contains("履职成效（20分）") && got.contains("重点工作完成率（10分）10"), "{got}");
    assert!(got.contains("合计93\n评价等级优"), "{got}");
}

/// A score table that runs over pages keeps its last indicator with the
/// 合计 and 评价等级 rows: no page holds only the repeated header and the
/// totals. With 11 and 26 items the old layout left 评价等级 (26) or 合计
/// and 评价等级 (11) alone on the last page.
#[test]
fn a_long_score_table_keeps_its_last_indicator_with_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    for n in [11usize, 12, 25, 26, 27] {
        let mut text = String::from("unit = \"示例县示例局\"\nyear = 2024\n[[sections]]\ntitle = \"部门整体预算绩效管理情况\"\n[[sections.blocks]]\nparagraph = \"我局预算编制科学，资金管理规范。\"\n");
        let per = [n / 3, n / 3, n - 2 * (n / 3)];
        for ((name, w), m) in [("部门决策", 25), ("部门管理", 30), ("部门绩效", 45)].into_iter().zip(per) {
            text.push_str(&format!("[[indicators]]\nname = \"{name}\"\nweight = {w}\n"));
            for j in 0..m {
                let ww = if j + 1 < m { 1 } else { w - (m - 1) };
                text.push_str(&format!(
                    "[[indicators.indicators]]\nname = \"{name}第{}项指标\"\nweight = {ww}\nscore = {ww}\nnote = \"按评分标准逐项核对，得满分。\"\n",
                    j + 1
                ));
            }
        }
        text.push_str("[[attachments]]\ntitle = \"部门整体支出绩效自评表\"\n[[attachments.blocks]]\nscore_table = {}\n");
        let sub = dir.path().join(n.to_string());
        std::fs::create_dir(&sub).unwrap();
        let pdf = render_ok(&write_data(&sub, "r.toml", &text), &sub);
        let pages: Vec<String> = pdf_extract::extract_text_by_pages(&pdf).unwrap().iter().map(|p| squeeze(p)).collect();
        let table: Vec<&String> = pages.iter().filter(|p| p.contains("一级指标二级指标三级指标")).collect();
        assert!(table.len() >= 2, "{n} items: the table should run over pages");
        for (k, p) in table.iter().enumerate() {
            assert!(p.contains("项指标"), "{n} items: table page {} holds no indicator: {p}", k + 1);
        }
        assert!(table.last().unwrap().contains("合计100100评价等级优"), "{n} items");
    }
}
