//! The finance model as other units' reports state it: breakdowns of any
//! depth, optional figures, carry-over on one side, last year's figures and
//! growth, 万元, staffing, and placeholders in every kind of text.

use jixiao::check::check;
use jixiao::derive::Figures;
use jixiao::base::diagnostic::{Finding, Severity};
use jixiao::input::model::Report;
use std::process::Command;

mod common;

fn run(toml_text: &str) -> (Vec<Finding>, Figures) {
    let report: Report = toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"));
    let figures = jixiao::derive::figures(&report);
    (check(&report, &figures), figures)
}

fn shown(f: &[Finding], severity: Severity) -> Vec<String> {
    f.iter().filter(|f| f.severity == severity).map(|f| format!("{}：{}", f.path, f.message)).collect()
}

const HEAD: &str = "unit = \"示例局\"\nyear = 2024\n[[sections]]\ntitle = \"我单位无下属单位。\"\n";

fn jixiao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
}

#[test]
fn basic_expenditure_without_a_personnel_split_is_complete() {
    let (f, d) = run(&format!(
        "{HEAD}[finance.expenditure]\ntotal = \"100.00\"\nbasic = \"70.00\"\nproject = \"30.00\"\n"
    ));
    assert!(f.is_empty(), "{f:?}");
    // No made-up shares for figures the report does not state.
    let names: Vec<&str> = d.expenditure_shares.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["基本支出", "项目支出"]);
}

#[test]
fn a_nested_breakdown_must_add_up_at_every_level() {
    let (f, _) = run(&format!(
        r#"{HEAD}[finance]
money_unit = "万元"
[finance.income]
total = "1580.36"
[[finance.income.sources]]
name = "预算收入"
amount = "1526.36"
parts = [{{ name = "年初预算", amount = "1286.50" }}, {{ name = "调整追加", amount = "238.86" }}]
[[finance.income.sources]]
name = "其他资金来源"
amount = "54.00"
[[finance.income.breakdowns]]
name = "按预算类型"
parts = [{{ name = "一般公共预算", amount = "1402.16" }}, {{ name = "单位资金", amount = "54.00" }}]
"#
    ));
    assert_eq!(
        shown(&f, Severity::Error),
        [
            "finance.income.sources[0].amount：预算收入应为 年初预算 1286.50 + 调整追加 238.86 = 1525.36，实际填写 1526.36（相差 1.00）",
            "finance.income.total：收入合计（按预算类型）应为 一般公共预算 1402.16 + 单位资金 54.00 = 1456.16，实际填写 1580.36（相差 124.20）",
        ]
    );
}

#[test]
fn carry_over_on_one_side_is_worked_out_and_a_negative_one_named() {
    let exp = "[finance.income]\ntotal = \"100.00\"\n[finance.expenditure]\ntotal = \"90.00\"\n";
    let (f, d) = run(&format!("{HEAD}{exp}[finance.carry_over]\nclosing = \"10.00\"\n"));
    assert!(f.is_empty(), "{f:?}");
    let inferred = d.money.as_ref().and_then(|t| t.inferred_carry_over).map(|(side, v)| (side, v.to_string()));
    assert_eq!(inferred, Some(("opening", "0.00".to_string())));

    // A stated carry-over that leaves part of the difference unexplained is
    // named, as a warning: the report's own numbers stand and it renders.
    let (f, _) = run(&format!("{HEAD}{exp}[finance.carry_over]\nclosing = \"5.00\"\n"));
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    assert_eq!(
        shown(&f, Severity::Warning),
        ["finance.carry_over.opening：收支不平衡：按 收入 + 年初结转结余 = 支出 + 年末结转结余，由所填的年末结转结余推得年初结转结余为 -5.00元，不能为负：收入 100.00 与支出 90.00 之间有 5.00元 报告没有说明；请核对收入、支出和结转结余"]
    );
}

/// The shape of issue 25's report: income 90.37 from its parts, expenditure
/// 76.36, and "结余结转0万元" stated as the closing side — or the same
/// stated as the opening side: the 14.01 the report leaves unexplained is
/// named either way, as a warning, and the report renders.
#[test]
fn a_stated_carry_over_of_zero_names_what_is_unexplained_either_way() {
    let exp = "[finance]\nmoney_unit = \"万元\"\n[finance.income]\ntotal = \"90.37\"\n[finance.expenditure]\ntotal = \"76.36\"\n";
    let (f, _) = run(&format!("{HEAD}{exp}[finance.carry_over]\nclosing = \"0\"\n"));
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    let w = shown(&f, Severity::Warning);
    assert!(w.iter().any(|w| w.starts_with("finance.carry_over.opening：") && w.contains("-14.01万元") && w.contains("14.01万元 报告没有说明")), "{w:?}");
    let (f, _) = run(&format!("{HEAD}{exp}[finance.carry_over]\nopening = \"0\"\n"));
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    let w = shown(&f, Severity::Warning);
    assert!(w.iter().any(|w| w.starts_with("finance.carry_over.closing：报告没有写明年末结转结余") && w.contains("14.01万元")), "{w:?}");
    let dir = tempfile::tempdir().unwrap();
    let data = common::write_data(dir.path(), "r.toml", &format!("{HEAD}{exp}[finance.carry_over]\nclosing = \"0\"\n"));
    common::render_ok(&data, dir.path());
}

#[test]
fn stated_growth_is_checked_against_last_year() {
    let (f, d) = run(&format!(
        "{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\ntotal = {{ amount = \"1580.36\", prior = \"1342.18\", growth = \"238.18\", growth_rate = \"17.75\" }}\n"
    ));
    assert!(f.is_empty(), "{f:?}");
    let node = &d.money.as_ref().unwrap().nodes[0];
    assert_eq!((node.change.unwrap().to_string(), node.change_rate.unwrap().to_string()), ("238.18".into(), "17.75".into()));

    let (f, _) = run(&format!(
        "{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\ntotal = {{ amount = \"1580.36\", prior = \"1342.18\", growth = \"228.18\", growth_rate = \"18.62\" }}\n"
    ));
    assert_eq!(
        shown(&f, Severity::Error),
        [
            "finance.income.total.growth：“收入合计”的增减额应为 本年 1580.36 − 上年 1342.18 = 238.18万元，实际填写 228.18万元（相差 -10.00）",
            "finance.income.total.growth_rate：“收入合计”的增减率应为 (1580.36 − 1342.18) ÷ 1342.18 = 17.75%，实际填写 18.62%",
        ]
    );
}

#[test]
fn places_are_explained_in_the_unit_in_use() {
    let (f, _) = run(&format!("{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\ntotal = \"12.3456\"\n"));
    assert_eq!(
        shown(&f, Severity::Error),
        ["finance.income.total：金额最多 2 位小数（万元保留两位，即到百元），实际为 12.3456；如确需更多位，请在 [finance] 写 decimals = 4"]
    );
    let (f, _) = run(&format!("{HEAD}[finance]\nmoney_unit = \"万元\"\ndecimals = 4\n[finance.income]\ntotal = \"12.3456\"\n"));
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn staffing_sums_and_a_stated_total_that_does_not_add_up() {
    let staff = "[staffing]\nretired = 9\nauthorized_total = 31\ngroups = [{ name = \"行政编制\", authorized = 18, actual = 16 }, { name = \"工勤编制\", authorized = 12, actual = 11 }]\n";
    let (f, d) = run(&format!("{HEAD}{staff}"));
    assert_eq!(shown(&f, Severity::Error), ["staffing.authorized_total：编制数合计应为 行政编制 18 + 工勤编制 12 = 30，实际填写 31"]);
    let s = d.staffing.unwrap();
    assert_eq!((s.authorized, s.actual, s.retired, s.total), (Some(30), Some(27), Some(9), Some(36)));
}

/// Placeholders are expanded in titles, list items, run-in text and table
/// cells, and growth sentences come out in words; literal braces survive.
#[test]
fn placeholders_everywhere_in_the_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("p.toml");
    std::fs::write(
        &data,
        r#"unit = "示例局"
year = 2024
[finance]
money_unit = "万元"
[finance.income]
total = { amount = "1580.36", prior = "1342.18" }
[finance.expenditure]
total = { amount = "1200.00", prior = "1250.00" }
basic = "1200.00"
[finance.carry_over]
closing = "380.36"
[staffing]
groups = [{ name = "行政编制", authorized = 6 }, { name = "工勤人员", authorized = 1 }]
[[sections]]
title = "{year}年度收支"
run_in = "收入{income.total}。"
[[sections.blocks]]
list = { items = ["支出{expenditure.total}，比上年{expenditure.total.growth}。", "收入比上年{income.total.growth}。"] }
[[sections.blocks]]
paragraph = "共有{staffing.groups}。花括号照印：{{ 与 { a b }。"
[[sections.blocks]]
[sections.blocks.table]
columns = [{ title = "项目" }, { title = "金额" }]
rows = [["年末结转结余", "{carry_over.closing}"]]
"#,
    )
    .unwrap();
    let out = dir.join("p.pdf");
    let r = jixiao().arg("render").arg(&data).arg("-o").arg(&out).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = common::pdf_text(&out).replace(char::is_whitespace, "");
    for want in [
        "一、2024年度收支",
        "收入1580.36万元。",
        "比上年减少50.00万元，下降4.00%。",
        "收入比上年增加238.18万元，增长17.75%。",
        "共有行政编制6名，工勤人员1名。花括号照印：{与{ab}。",
        "年末结转结余380.36万元",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
}

#[test]
fn an_unknown_name_in_a_paragraph_is_an_error_listing_the_names() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("u.toml");
    std::fs::write(
        &data,
        "unit = \"示例局\"\nyear = 2024\n[finance.income]\ntotal = \"10\"\nsources = [{ name = \"财政拨款收入\", amount = \"10\" }]\n[[sections]]\ntitle = \"收入\"\n[[sections.blocks]]\nparagraph = \"收入{income.财政拨款}。\"\n",
    )
    .unwrap();
    let r = jixiao().arg("check").arg(&data).output().unwrap();
    assert_eq!(r.status.code(), Some(1));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("占位符 {income.财政拨款} 中的“财政拨款”在 [finance.income] 中没有；可用的有：total、财政拨款收入"), "{err}");
}

#[test]
fn the_wanyuan_example_checks_and_prints_growth() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example-wanyuan.toml");
    let r = jixiao().arg("check").arg(data).output().unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&r.stderr));
    for want in [
        "同比：收入合计 1580.36万元，上年 1342.18万元，增减额 238.18万元，增减率 17.75%",
        "同比：支出合计 1512.84万元，上年 1298.40万元，增减额 214.44万元，增减率 16.52%",
        "推算：年初结转结余 0.00万元",
        "合计：预算收入 = 年初预算 1286.50 + 调整追加 239.86 = 1526.36万元",
        "人员：编制数 32 人，实有在职 29 人，退休 9 人，在职与退休合计 38 人",
        "预算执行率：93.39%",
        "总分：92，等级：优（综合评分，数据中写明）",
    ] {
        assert!(out.contains(want), "{want} not in {out}");
    }
}

/// The wanyuan example's PDF: the staffing table with its sums, and the
/// finance table with last year's figures and the rates of change.
#[test]
fn the_wanyuan_example_prints_staffing_and_growth_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-wanyuan.toml");
    let pdf = common::render_ok(&data, tmp.path());
    let text = common::squeeze(&common::pdf_text(&pdf));
    for want in [
        "类别编制数（名）实有人数（名）行政编制1816事业编制1211工勤编制22合计3229退休人员9",
        "一、收入合计1580.36100.001342.1817.75",
        "按预算类型一般公共预算1402.1688.72",
        "三、年末结转结余67.52",
        "综合评分为92分，评价等级为“优”",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
}

/// 人员, 公用 and 项目 stated without 基本支出 (a common shape): their sum
/// is checked against the total like any stated sum.
#[test]
fn personnel_public_and_project_without_basic_add_up_to_the_total() {
    let exp = |total: &str| format!("{HEAD}[finance.income]\ntotal = \"816.23\"\n[finance.expenditure]\ntotal = \"{total}\"\npersonnel = \"543.25\"\npublic = \"90.63\"\nproject = \"182.35\"\n");
    let (f, _) = run(&exp("816.23"));
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    let (f, _) = run(&exp("826.23"));
    assert_eq!(
        shown(&f, Severity::Error),
        ["finance.expenditure.total：支出合计应为 人员经费 543.25 + 公用经费 90.63 + 项目支出 182.35 = 816.23，实际填写 826.23（相差 10.00）"]
    );
}

/// A report that lists its budget units by name only (三个预算单位：…):
/// accepted, no sum asked for; with amounts for every unit, the sum holds.
#[test]
fn budget_units_may_be_listed_by_name_alone() {
    let money = "[finance.income]\ntotal = \"100.00\"\n[finance.expenditure]\ntotal = \"90.00\"\n";
    let (f, _) = run(&format!("{HEAD}{money}[[finance.units]]\nname = \"本级\"\n[[finance.units]]\nname = \"下属中心\"\n"));
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    let (f, _) = run(&format!(
        "{HEAD}{money}[[finance.units]]\nname = \"本级\"\nincome = \"60.00\"\nexpenditure = \"50.00\"\n[[finance.units]]\nname = \"下属中心\"\nincome = \"30.00\"\nexpenditure = \"40.00\"\n"
    ));
    assert_eq!(
        shown(&f, Severity::Error).iter().map(|m| m.split('：').next().unwrap().to_string()).collect::<Vec<_>>(),
        ["finance.income.total"],
        "{f:?}"
    );
}

/// "增长31.39%" or "增加189.25万元" without last year's figure: accepted as
/// stated; with both, checked against each other; a stated rate prints at
/// the precision it was stated in (35.9% stays 35.9%).
#[test]
fn growth_without_last_year_stands_as_stated() {
    let head = format!("{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\n");
    let (f, d) = run(&format!("{head}total = {{ amount = \"816.23\", growth_rate = \"35.9\" }}\n"));
    assert!(f.is_empty(), "{f:?}");
    let node = &d.money.as_ref().unwrap().nodes[0];
    assert_eq!(node.change_rate.map(|r| r.to_string()), Some("35.9".into()));
    let (f, d) = run(&format!("{head}total = {{ amount = \"792.15\", growth = \"189.25\" }}\n"));
    assert!(f.is_empty(), "{f:?}");
    let node = &d.money.as_ref().unwrap().nodes[0];
    assert_eq!(node.change.map(|r| r.to_string()), Some("189.25".into()));
    // 189.25 on a prior of 602.90 is 31.39%.
    let (f, _) = run(&format!("{head}total = {{ amount = \"792.15\", growth = \"189.25\", growth_rate = \"31.39\" }}\n"));
    assert!(f.is_empty(), "{f:?}");
    let (f, _) = run(&format!("{head}total = {{ amount = \"792.15\", growth = \"189.25\", growth_rate = \"35.9\" }}\n"));
    assert_eq!(
        shown(&f, Severity::Error),
        ["finance.income.total.growth_rate：“收入合计”的增减率应为 增减额 189.25 ÷ 上年 (792.15 − 189.25 = 602.90) = 31.39%，实际填写 35.9%；请核对增减额和增减率"]
    );
    // And the sentence prints the rate as stated.
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{head}total = {{ amount = \"816.23\", growth_rate = \"35.9\" }}\n[[sections]]\ntitle = \"收支\"\n[[sections.blocks]]\nfigures = \"收入{{income.total}}，增长{{income.total.change_rate}}。\"\n"
    );
    let data = common::write_data(dir.path(), "g.toml", &text);
    let pdf = common::render_ok(&data, dir.path());
    let printed = common::squeeze(&common::pdf_text(&pdf));
    assert!(printed.contains("增长35.9%"), "{printed}");
}

/// A rate stated without last year's figure or the amount of the change
/// still prints through the growth placeholders: `.growth` is the rate
/// alone ("下降5.2%"), `.rate_trend` its direction.
#[test]
fn a_rate_alone_prints_through_the_growth_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\ntotal = {{ amount = \"816.23\", growth_rate = \"35.9\" }}\n[finance.expenditure]\ntotal = {{ amount = \"700.00\", growth_rate = \"-5.2\" }}\n[[sections]]\ntitle = \"收支\"\n[[sections.blocks]]\nfigures = \"收入{{income.total}}，比上年{{income.total.growth}}；支出{{expenditure.total}}，比上年{{expenditure.total.rate_trend}}{{expenditure.total.change_rate}}，即{{expenditure.total.growth}}。\"\n"
    );
    let data = common::write_data(dir.path(), "r.toml", &text);
    let pdf = common::render_ok(&data, dir.path());
    let printed = common::squeeze(&common::pdf_text(&pdf));
    assert!(printed.contains("收入816.23万元，比上年增长35.9%；支出700.00万元，比上年下降5.2%，即下降5.2%。"), "{printed}");
}

/// A total the report does not state is the sum of its stated parts (income
/// 90.37 = 69.06 + 21.31; expenditure 人员 + 公用 + 项目); the balance and
/// sub-unit sums read it; with neither total nor parts, check says so.
#[test]
fn a_total_the_report_does_not_state_is_the_sum_of_its_parts() {
    let text = format!(
        "{HEAD}[finance]\nmoney_unit = \"万元\"\n[finance.income]\nsources = [{{ name = \"财政拨款收入\", amount = \"69.06\" }}, {{ name = \"其他收入\", amount = \"21.31\" }}]\n[finance.expenditure]\npersonnel = \"50.00\"\npublic = \"10.00\"\nproject = \"16.36\"\n"
    );
    let (f, d) = run(&text);
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    // No "总收入 0 与总支出 76.36 相差 -76.36": the totals are 90.37 and 76.36.
    assert!(shown(&f, Severity::Warning).iter().all(|w| !w.contains("总收入 0")), "{f:?}");
    let tree = d.money.as_ref().unwrap();
    use jixiao::derive::money_tree::Part;
    assert_eq!(tree.total(Part::Income).map(|v| v.to_string()), Some("90.37".into()));
    assert_eq!(tree.total(Part::Expenditure).map(|v| v.to_string()), Some("76.36".into()));
    assert!(shown(&f, Severity::Warning).iter().any(|w| w.contains("总收入 90.37 与总支出 76.36 相差 14.01")), "{f:?}");

    let (f, _) = run(&format!("{HEAD}[finance]\n[finance.income]\n[finance.expenditure]\ntotal = \"5.00\"\n"));
    assert_eq!(
        shown(&f, Severity::Error),
        ["finance.income.total：没有收入合计：请写上 total = \"金额\"，或写出各项收入（sources），由它们相加"]
    );

    // Printed through its placeholder, and in a PDF.
    let dir = tempfile::tempdir().unwrap();
    let data = common::write_data(dir.path(), "t.toml", &format!("{text}[[sections]]\ntitle = \"收支\"\n[[sections.blocks]]\nfigures = \"收入合计{{income.total}}。\"\n"));
    let pdf = common::render_ok(&data, dir.path());
    assert!(common::squeeze(&common::pdf_text(&pdf)).contains("收入合计90.37万元"), "{}", common::pdf_text(&pdf));
}

/// 离休 and 退休 counted beside the serving staff, with a stated 实有 total:
/// they stay out of the 在职 sums and are counted as retired.
#[test]
fn retired_categories_stay_out_of_the_serving_sums() {
    let text = format!(
        "{HEAD}[staffing]\nactual_total = 128\ngroups = [{{ name = \"在职人员\", actual = 128 }}, {{ name = \"离休人员\", actual = 5 }}, {{ name = \"退休人员\", actual = 72 }}]\n"
    );
    let (f, d) = run(&text);
    assert!(shown(&f, Severity::Error).is_empty(), "{f:?}");
    let s = d.staffing.as_ref().unwrap();
    assert_eq!((s.actual, s.retired, s.total), (Some(128), Some(77), Some(205)));
    let (f, _) = run(&text.replace("actual_total = 128", "actual_total = 205"));
    assert_eq!(shown(&f, Severity::Error), ["staffing.actual_total：实有人数合计应为 在职人员 128 = 128，实际填写 205"]);
}

/// The sample in 万元 written as its report states it: income by parts
/// only, expenditure by 人员 + 公用 + 项目 only, and “年末结转结余0万元”,
/// which leaves 14.01 万元 unexplained. `check` passes with that warning and
/// the PDF prints the derived totals.
#[test]
fn the_sample_with_parts_only_and_a_carry_over_gap_renders_with_a_warning() {
    let data = common::repo().join("data/example-parts-gap.toml");
    let o = common::run(&["check", data.to_str().unwrap()]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("警告：finance.carry_over.opening：收支不平衡"), "{err}");
    assert!(err.contains("收入 90.37 与支出 76.36 之间有 14.01万元 报告没有说明"), "{err}");
    assert!(err.contains("共 0 个错误，1 个警告"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = common::render_ok(&data, dir.path());
    let text = common::squeeze(&common::pdf_text(&pdf));
    for want in ["总收入90.37万元，其中财政拨款收入69.06万元，其他收入21.31万元", "总支出76.36万元", "年末结转结余0万元"] {
        assert!(text.contains(want), "missing {want}: {text}");
    }
}
