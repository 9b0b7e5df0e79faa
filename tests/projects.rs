//! 项目支出绩效自评表: the example's figures and PDF, each rule's message,
//! and a long form across pages.

mod common;

use common::*;
use jixiao::check::check;
use jixiao::base::diagnostic::{Finding, Severity};
use jixiao::input::model::Report;

fn example() -> std::path::PathBuf {
    repo().join("data/example-projects.toml")
}

fn pages(pdf: &std::path::Path) -> Vec<String> {
    pdf_extract::extract_text_by_pages(pdf).unwrap().iter().map(|p| squeeze(p)).collect()
}

fn findings(text: &str, severity: Severity) -> Vec<String> {
    let report: Report = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    let f = check(&report, &jixiao::derive::figures(&report));
    f.iter().filter(|f: &&Finding| f.severity == severity).map(|f| format!("{}：{}", f.path, f.message)).collect()
}

const HEAD: &str = "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"我单位无下属单位。\"\n";

/// One project: funds 100 budget, `executed` spent; indicators appended.
fn project(funds_extra: &str, indicators: &str) -> String {
    format!(
        "{HEAD}[[projects]]\nname = \"测试项目\"\n[projects.funds]\ntotal = {{ budget = \"100.00\", executed = \"98.50\" }}\n{funds_extra}\
         [projects.goal]\nexpected = \"目标。\"\nactual = \"完成。\"\n{indicators}"
    )
}

fn indicator(name: &str, sense: &str, target: &str, actual: &str, weight: u32, score: &str, reason: &str) -> String {
    let mut s = format!(
        "[[projects.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"数量指标\"\nname = \"{name}\"\ntarget = \"{target}\"\nactual = \"{actual}\"\nweight = {weight}\nscore = {score}\n"
    );
    if !sense.is_empty() {
        s.push_str(&format!("sense = \"{sense}\"\nunit = \"场\"\n"));
    }
    if !reason.is_empty() {
        s.push_str(&format!("reason = \"{reason}\"\n"));
    }
    s
}

#[test]
fn example_checks_and_prints_each_projects_figures() {
    let o = run(&["check", example().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    for want in [
        "项目“全民健身设施提升”：",
        "  执行率：94.44%",
        "  执行率得分：9.44（执行率 94.44% × 分值 10 = 9.44）",
        "  总分：97.77，等级：优",
        "项目“公共文化惠民演出”：",
        "  执行率：99.80%",
        "  总分：99.98，等级：优",
    ] {
        assert!(out.lines().any(|l| l == want), "missing {want:?} in\n{out}");
    }
    // The one score below full marks has its reason: no warning.
    assert!(!stderr(&o).contains("警告"), "{}", stderr(&o));
}

#[test]
fn example_pdf_holds_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&example(), dir.path());
    let pages = pages(&pdf);
    let all = pages.concat();
    assert!(all.contains("附件：1.全民健身设施提升项目支出绩效自评表2.公共文化惠民演出项目支出绩效自评表"), "{all}");
    for (n, name) in [(1, "全民健身设施提升"), (2, "公共文化惠民演出")] {
        let start = format!("附件{n}{name}项目支出绩效自评表（2023年度）");
        assert!(pages.iter().any(|p| p.starts_with(&start)), "no page starts with {start}");
    }
    for cell in [
        // Project 1: name, units, the funds rows, a reason, the total.
        "项目名称全民健身设施提升",
        "主管部门示例县文化体育局实施单位示例县全民健身服务中心",
        "年度资金总额120.00128.50121.361094.44%9.44",
        "其中：财政拨款120.00120.00112.86———",
        "上年结转资金8.508.50———",
        "新建改造健身路径数量≥12条11条2018.331条健身路径因选址调整",
        "总分10097.77",
        // Project 2.
        "年度资金总额50.0056.0055.891099.80%9.98",
        "其他资金5.005.005.00———",
        "每场演出平均成本≤0.70万元0.65万元2020",
        "总分10099.98",
    ] {
        assert!(all.contains(cell), "missing {cell}");
    }
    assert_eq!(all.matches("评价等级优").count(), 2);
}

#[test]
fn weights_must_sum_to_100() {
    let text = project("", &indicator("演出场次", "≥", "80", "86", 80, "80", ""));
    assert_eq!(findings(&text, Severity::Error), ["projects[0].indicators：项目“测试项目”的分值之和应为 100，实际为 执行率 10 + 产出指标 80 = 90"]);
}

#[test]
fn a_stated_rate_score_must_be_the_derived_one() {
    let text = project("score = 10\n", &indicator("演出场次", "≥", "80", "86", 90, "90", ""));
    assert_eq!(findings(&text, Severity::Error), ["projects[0].funds.score：执行率得分应为 执行率 98.50% × 分值 10 = 9.85，实际填写 10"]);
    // The rule is data: full marks from 95%.
    let text = project("score = 10\nrate_rule = { full_at = 95 }\n", &indicator("演出场次", "≥", "80", "86", 90, "90", ""));
    assert!(findings(&text, Severity::Error).is_empty(), "{:?}", findings(&text, Severity::Error));
    let text = project("score = 9.85\nrate_rule = { full_at = 99, below = \"scaled\" }\n", &indicator("演出场次", "≥", "80", "86", 90, "90", ""));
    assert_eq!(findings(&text, Severity::Error), ["projects[0].funds.score：执行率得分应为 执行率 98.50% ÷ 99% × 分值 10 = 9.95，实际填写 9.85"]);
}

#[test]
fn a_score_below_the_weight_needs_a_reason() {
    let text = project("", &indicator("演出场次", "≥", "80", "76", 90, "85.5", ""));
    assert_eq!(
        findings(&text, Severity::Warning),
        ["projects[0].indicators[0].score：指标“演出场次”得分 85.5 低于分值 90，请填写偏差原因分析及改进措施（reason）"]
    );
    let text = project("", &indicator("演出场次", "≥", "80", "76", 90, "85.5", "雨季取消4场。"));
    assert!(findings(&text, Severity::Warning).is_empty());
}

#[test]
fn a_missed_target_with_full_marks_is_a_warning() {
    let cases = [
        ("≥", "80", "76", "实际完成值 76场 未达到年度指标值 ≥80场"),
        ("≤", "0.70", "0.75", "实际完成值 0.75场 超过年度指标值 ≤0.70场"),
        ("=", "14", "13", "实际完成值 13场 不等于年度指标值 =14场"),
    ];
    for (sense, target, actual, what) in cases {
        let text = project("", &indicator("演出场次", sense, target, actual, 90, "90", ""));
        assert_eq!(
            findings(&text, Severity::Warning),
            [format!("projects[0].indicators[0].score：指标“演出场次”的{what}，却得满分 90；请核对得分或实际完成值")]
        );
    }
    // Met, or qualitative: nothing to say.
    for (sense, target, actual) in [("≥", "80", "80"), ("≤", "0.70", "0.7"), ("", "按时完成", "基本完成")] {
        let text = project("", &indicator("演出场次", sense, target, actual, 90, "90", ""));
        assert!(findings(&text, Severity::Warning).is_empty(), "{sense}{target}: {:?}", findings(&text, Severity::Warning));
    }
}

#[test]
fn funds_rows_sum_scores_stay_within_weights_and_a_stated_total_is_checked() {
    let funds = "fiscal = { budget = \"90.00\", executed = \"90.00\" }\nother = { budget = \"8.00\", executed = \"8.50\" }\n";
    let mut inds = indicator("演出场次", "≥", "80", "86", 40, "41", "");
    inds.push_str(&indicator("覆盖乡镇", "", "全覆盖", "全覆盖", 50, "50", ""));
    let text = project(funds, &inds).replace("name = \"测试项目\"\n", "name = \"测试项目\"\ntotal = 99\n");
    assert_eq!(
        findings(&text, Severity::Error),
        [
            "projects[0].funds.total.budget：年度资金总额的全年预算数应为 财政拨款 90.00 + 其他资金 8.00 = 98.00，实际填写 100.00（相差 2.00）",
            "projects[0].indicators[0].score：指标“演出场次”的得分 41 应在 0 到分值 40 之间",
            "projects[0].total：项目“测试项目”的总分应为 执行率得分 9.85 + 指标得分 91 = 100.85，实际填写 99",
        ]
    );
}

#[test]
fn a_bad_amount_is_refused_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = project("", &indicator("演出场次", "≥", "80", "86", 90, "90", "")).replace("\"98.50\"", "98.5");
    let data = write_data(dir.path(), "p.toml", &text);
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("金额请写成字符串"), "{}", stderr(&o));
}

#[test]
fn a_long_form_repeats_its_header_and_labels_on_every_page() {
    let mut inds = String::new();
    for k in 1..=40 {
        let (l1, l2) = if k <= 30 { ("产出指标", "数量指标") } else { ("效益指标", "社会效益指标") };
        inds.push_str(&format!(
            "[[projects.indicators]]\nlevel1 = \"{l1}\"\nlevel2 = \"{l2}\"\nname = \"第{k}项指标\"\nsense = \"≥\"\ntarget = \"{k}\"\nunit = \"个\"\nactual = \"{k}\"\nweight = 2.25\nscore = 2.25\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "long.toml", &project("", &inds));
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = render_ok(&data, dir.path());
    let pages = pages(&pdf);
    let form: Vec<&String> = pages.iter().skip_while(|p| !p.starts_with("附件测试项目项目支出绩效自评表")).collect();
    assert!(form.len() >= 3, "40 indicators should take at least three pages, got {}", form.len());
    let header = "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施";
    for (n, p) in form.iter().enumerate() {
        assert_eq!(p.matches(header).count(), 1, "header on form page {}: {p}", n + 1);
    }
    // The merged 一级 and 二级 cells are labelled on every page their rows
    // reach (the form is drawn in one piece only when a break does not cut them).
    for (n, p) in form.iter().enumerate() {
        let ks: Vec<u32> = (1..=40).filter(|k| p.contains(&format!("第{k}项指标≥"))).collect();
        if ks.iter().any(|&k| k <= 30) {
            assert!(p.contains("产出指标数量指标"), "form page {} not labelled 产出指标: {p}", n + 1);
        }
        if ks.iter().any(|&k| k > 30) {
            assert!(p.contains("效益指标社会效益指标"), "form page {} not labelled 效益指标: {p}", n + 1);
        }
    }
    // Every indicator once.
    let all: String = form.iter().map(|s| s.as_str()).collect();
    for k in 1..=40 {
        assert_eq!(all.matches(&format!("第{k}项指标")).count(), 1, "第{k}项指标");
    }
}

#[test]
fn the_schema_has_the_project_keys() {
    let o = run(&["schema"]);
    assert!(o.status.success());
    let schema = String::from_utf8_lossy(&o.stdout);
    for key in ["\"projects\"", "\"implementer\"", "\"rate_rule\"", "\"full_at\"", "\"indicators\"", "\"reason\"", "\"sense\""] {
        assert!(schema.contains(key), "schema lacks {key}");
    }
}

/// Rates print with the report's places always (`100.00%`, like `90.00%`),
/// and the score is worked from the rate as shown: 99.245% shows as 99.25%,
/// and 99.25% × 10 = 9.925 → 9.93, not the 9.92 of the unrounded rate.
#[test]
fn rates_print_with_their_places_and_scores_follow_the_shown_rate() {
    let dir = tempfile::tempdir().unwrap();
    let inds = indicator("演出场次", "≥", "80", "86", 90, "90", "");
    let near = project("", &inds).replace("budget = \"100.00\", executed = \"98.50\"", "budget = \"400.00\", executed = \"396.98\"");
    let data = write_data(dir.path(), "near.toml", &near);
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    for want in ["  执行率：99.25%", "  执行率得分：9.93（执行率 99.25% × 分值 10 = 9.93）", "  总分：99.93，等级：优"] {
        assert!(out.lines().any(|l| l == want), "missing {want:?} in\n{out}");
    }
    // A stated score of what the shown factors give is accepted.
    let stated = near.replace("[projects.goal]", "score = 9.93\n[projects.goal]");
    let data = write_data(dir.path(), "stated.toml", &stated);
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let full = project("", &inds).replace("executed = \"98.50\"", "executed = \"100.00\"");
    let data = write_data(dir.path(), "full.toml", &full);
    let o = run(&["check", data.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.lines().any(|l| l == "  执行率：100.00%"), "{out}");
    let pdf = render_ok(&data, dir.path());
    let all = pages(&pdf).concat();
    assert!(all.contains("10100.00%10"), "the form's rate cell: {all}");
}

/// A province's form as data, filed alone: 四川's title, fund rows and
/// column names, and no body page (no report title, 附件 label or note).
#[test]
fn a_sichuan_form_filed_alone() {
    let data = repo().join("data/sichuan-project-form.toml");
    let o = run(&["check", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("检查通过"), "no warning expected: {}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.lines().any(|l| l == "  总分：96.75，等级：优"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&data, dir.path());
    let pages = pages(&pdf);
    assert_eq!(pages.len(), 2, "the form alone: {pages:?}");
    assert!(pages[0].starts_with("部门预算项目支出绩效自评表（2023年度）项目名称51000023R000000012345-项目前期工作经费"), "{}", pages[0]);
    let all = pages.concat();
    for cell in [
        "年度预算数（万元）年初预算调整后预算数预算执行数权重预算执行率得分原因总额30.0036.0031.501087.50%8.75",
        "预算执行情况（10分）年中追加的2个项目",
        "其中：财政资金30.0034.0029.50———",
        "财政专户管理资金0.000.000.00———",
        "单位资金0.002.002.00———",
        "一级指标二级指标三级指标指标值完成值权重得分未完成原因分析",
        "合计10096.75",
    ] {
        assert!(all.contains(cell), "missing {cell}: {all}");
    }
    for absent in ["附件", "部门整体支出绩效自评报告", "项目支出绩效自评表（2023年度）（2023年度）"] {
        assert!(!all.contains(absent), "{absent}: {all}");
    }
}

/// Named fund sources take part in the sums like the fixed rows, and each
/// needs its name.
#[test]
fn named_fund_sources_are_summed_and_need_a_name() {
    let funds = "sources = [ { name = \"财政资金\", budget = \"90.00\", executed = \"90.00\" }, { budget = \"8.00\", executed = \"8.50\" } ]\n";
    let text = project(funds, &indicator("演出场次", "≥", "80", "86", 90, "90", ""));
    assert_eq!(
        findings(&text, Severity::Error),
        [
            "projects[0].funds.sources[1].name：资金来源没有名称；请写上 name，如 name = \"财政资金\"",
            "projects[0].funds.total.budget：年度资金总额的全年预算数应为 财政资金 90.00 + 资金来源2 8.00 = 98.00，实际填写 100.00（相差 2.00）",
        ]
    );
}
