//! Each check rule on its own, through the library: the data that breaks it,
//! and the message that names the figures.

use jixiao::check::check;
use jixiao::derive::Figures;
use jixiao::base::diagnostic::{Finding, Severity};
use jixiao::input::model::Report;
use rust_decimal::Decimal;

fn run(toml_text: &str) -> (Vec<Finding>, Figures) {
    let report: Report = toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"));
    let figures = jixiao::derive::figures(&report);
    (check(&report, &figures), figures)
}

fn errors(f: &[Finding]) -> Vec<String> {
    f.iter().filter(|f| f.severity == Severity::Error).map(|f| format!("{}：{}", f.path, f.message)).collect()
}

fn warnings(f: &[Finding]) -> Vec<String> {
    f.iter().filter(|f| f.severity == Severity::Warning).map(|f| format!("{}：{}", f.path, f.message)).collect()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const HEAD: &str = "unit = \"示例局\"\nyear = 2023\n";

/// A one-sentence section, so the report is not empty.
const SECTION: &str = "[[sections]]\ntitle = \"我单位无下属单位。\"\n";

fn finance(body: &str) -> String {
    format!("{HEAD}{SECTION}[finance]\n{body}")
}

const EXPENDITURE: &str = r#"
[finance.expenditure]
total = "1485562.08"
basic = "1192005.88"
personnel = "1050805.88"
public = "141200.00"
project = "293556.20"
"#;

#[test]
fn consistent_finance_has_no_finding() {
    let (f, _) = run(&finance(&format!(
        "[finance.income]\ntotal = \"1485562.08\"\nsources = [{{ name = \"财政拨款收入\", amount = \"1485562.08\" }}, {{ name = \"其他收入\", amount = \"0\" }}]\n{EXPENDITURE}"
    )));
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn income_total_is_the_sum_of_sources() {
    let (f, _) = run(&finance(
        "[finance.income]\ntotal = \"100.00\"\nsources = [{ name = \"财政拨款收入\", amount = \"60.00\" }, { name = \"其他收入\", amount = \"40.01\" }]\n",
    ));
    assert_eq!(
        errors(&f),
        ["finance.income.total：收入合计应为 财政拨款收入 60.00 + 其他收入 40.01 = 100.01，实际填写 100.00（相差 -0.01）"]
    );
    assert_eq!(f[0].related, ["finance.income.sources[0].amount", "finance.income.sources[1].amount"]);
}

#[test]
fn basic_is_personnel_plus_public() {
    let (f, _) = run(&finance(&EXPENDITURE.replace("1192005.88", "1192005.89").replace("total = \"1485562.08\"", "total = \"1485562.09\"")));
    assert_eq!(
        errors(&f),
        ["finance.expenditure.basic：基本支出应为 人员经费 1050805.88 + 公用经费 141200.00 = 1192005.88，实际填写 1192005.89（相差 0.01）"]
    );
}

#[test]
fn expenditure_is_basic_plus_project() {
    let (f, _) = run(&finance(&EXPENDITURE.replace("293556.20", "293556.21")));
    assert_eq!(
        errors(&f),
        ["finance.expenditure.total：支出合计应为 基本支出 1192005.88 + 项目支出 293556.21 = 1485562.09，实际填写 1485562.08（相差 -0.01）"]
    );
}

#[test]
fn projects_sum_to_project_expenditure() {
    let (f, _) = run(&finance(&format!(
        "projects = [{{ name = \"妇女创业贴息\", amount = \"200000.00\" }}, {{ name = \"婚调委\", amount = \"93556.00\" }}]\n{EXPENDITURE}"
    )));
    assert_eq!(
        errors(&f),
        ["finance.expenditure.project：项目支出应为 妇女创业贴息 200000.00 + 婚调委 93556.00 = 293556.00，实际填写 293556.20（相差 0.20）"]
    );
}

#[test]
fn subordinate_units_sum_to_totals() {
    let (f, _) = run(&finance(&format!(
        "units = [{{ name = \"本级\", income = \"100\", expenditure = \"1485562.08\" }}, {{ name = \"下属中心\", income = \"50\", expenditure = \"0\" }}]\n[finance.income]\ntotal = \"160\"\n{EXPENDITURE}"
    )));
    let e = errors(&f);
    assert!(e.contains(&"finance.income.total：各单位收入合计应为 本级 100 + 下属中心 50 = 150，实际填写 160（相差 10）".to_string()), "{e:?}");
    assert_eq!(e.len(), 1, "{e:?}");
}

#[test]
fn fixed_assets_net_is_original_less_depreciation() {
    let (f, _) = run(&finance("[finance.fixed_assets]\noriginal = \"115594.66\"\ndepreciation = \"45211.42\"\nnet = \"70383.34\"\n"));
    assert_eq!(
        errors(&f),
        ["finance.fixed_assets.net：固定资产净值应为 原值 115594.66 − 累计折旧 45211.42 = 70383.24，实际填写 70383.34（相差 0.10）"]
    );
}

#[test]
fn imbalance_without_carry_over_is_a_warning_naming_the_gap() {
    let (f, _) = run(&finance(&format!("[finance.income]\ntotal = \"1500000.00\"\n{EXPENDITURE}")));
    assert!(errors(&f).is_empty());
    let w = warnings(&f);
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("总收入 1500000.00 与总支出 1485562.08 相差 14437.92"), "{w:?}");
}

#[test]
fn carry_over_balance_is_checked() {
    let ok = format!("[finance.income]\ntotal = \"1500000.00\"\n[finance.carry_over]\nopening = \"10000.00\"\nclosing = \"24437.92\"\n{EXPENDITURE}");
    let (f, _) = run(&finance(&ok));
    assert!(f.is_empty(), "{f:?}");
    let (f, _) = run(&finance(&ok.replace("24437.92", "24437.93")));
    assert_eq!(
        errors(&f),
        ["finance.carry_over.closing：收支不平衡：收入 1500000.00 + 年初结转结余 10000.00 = 1510000.00，支出 1485562.08 + 年末结转结余 24437.93 = 1510000.01，相差 -0.01"]
    );
}

#[test]
fn amounts_have_at_most_two_places_and_are_not_negative() {
    let (f, _) = run(&finance("[finance.fixed_assets]\noriginal = \"10.005\"\ndepreciation = \"-1\"\nnet = \"11.005\"\n"));
    let e = errors(&f);
    assert!(e.contains(&"finance.fixed_assets.original：金额最多 2 位小数（到分），实际为 10.005；如确需更多位，请在 [finance] 写 decimals = 3".to_string()), "{e:?}");
    assert!(e.contains(&"finance.fixed_assets.depreciation：金额不能为负数：-1".to_string()), "{e:?}");
}

#[test]
fn execution_rate_is_derived_and_rounded_half_away() {
    let (f, dv) = run(&finance(&format!("budget = \"1500000.00\"\n{EXPENDITURE}")));
    assert!(f.is_empty(), "{f:?}");
    // 1485562.08 / 1500000 = 99.03747…%
    assert_eq!(dv.execution_rate, Some(d("99.04")));
    let (f, _) = run(&finance(&format!("budget = \"1000000.00\"\n{EXPENDITURE}")));
    assert!(warnings(&f)[0].contains("超过 100%"), "{f:?}");
}

/// A small framework: two categories, one with children, and a bonus.
fn framework(a: &str, a1: &str, a2: &str, b: &str, bonus_score: &str) -> String {
    format!(
        r#"{HEAD}
[[sections]]
title = "绩效分析"

[[sections.sections]]
title = "预算编制"
weight = 60
{a}

[[sections.sections.sections]]
title = "合理性"
weight = 40
{a1}

[[sections.sections.sections]]
title = "规范性"
weight = 20
{a2}

[[sections.sections]]
title = "效益"
weight = 40
{b}

[[sections.sections]]
title = "加减分项"
weight_at = "none"
{bonus_score}

[sections.sections.bonus]
cap = 5
groups = [{{ name = "省级", each = 1, cap = 3 }}, {{ name = "市级", each = 0.5, cap = 2 }}]
"#
    )
}

#[test]
fn weights_sum_to_their_parent_and_to_the_total() {
    let (f, _) = run(&framework("", "", "", "", ""));
    assert!(errors(&f).is_empty(), "{f:?}");
    let (f, _) = run(&framework("", "", "", "", "").replace("weight = 20", "weight = 21"));
    assert_eq!(errors(&f), ["sections[0].sections[0].weight：指标“预算编制”的分值应为其下各项之和 合理性 40 + 规范性 21 = 61，实际填写 60"]);
    let (f, _) = run(&framework("", "", "", "", "").replace("weight = 40\n\n\n[[sections.sections]]\ntitle = \"加减分项\"", "weight = 30\n\n\n[[sections.sections]]\ntitle = \"加减分项\""));
    assert_eq!(errors(&f), ["sections[0].sections[0].weight：一级指标分值之和应为 100，实际为 预算编制 60 + 效益 30 = 90"]);
}

#[test]
fn declared_total_is_data() {
    let text = framework("", "", "", "", "").replace("year = 2023\n", "year = 2023\n[scoring]\ntotal = 120\n");
    let (f, _) = run(&text);
    assert_eq!(errors(&f), ["sections[0].sections[0].weight：一级指标分值之和应为 120，实际为 预算编制 60 + 效益 40 = 100"]);
}

#[test]
fn scores_within_weight_and_summing_to_parent() {
    let (f, _) = run(&framework("score = 55", "score = 41", "score = 15", "score = 30", ""));
    let e = errors(&f);
    assert!(e.contains(&"sections[0].sections[0].sections[0].score：指标“合理性”的自评得分 41 应在 0 到分值 40 之间".to_string()), "{e:?}");
    assert!(e.contains(&"sections[0].sections[0].score：指标“预算编制”的得分应为其下各项得分之和 合理性 41 + 规范性 15 = 56，实际填写 55".to_string()), "{e:?}");
    let (f, _) = run(&framework("", "score = -1", "score = 15", "score = 30", ""));
    assert!(errors(&f)[0].contains("自评得分 -1 应在 0 到分值 40 之间"), "{f:?}");
}

#[test]
fn total_score_and_grade_are_derived() {
    // 38.5 + 18 (= 56.5, derived) + 33 + bonus 2.5 = 92 → 优
    let (f, dv) = run(&framework("", "score = 38.5", "score = 18", "score = 33", "score = 2.5"));
    assert!(errors(&f).is_empty(), "{f:?}");
    assert_eq!(dv.scores.categories[0].score, Some(d("56.5")));
    assert_eq!(dv.scores.total, Some(d("92.00")));
    assert_eq!(dv.scores.grade.as_deref(), Some("优"));
    // Band edges: lower bound inclusive.
    let (_, dv) = run(&framework("", "score = 30", "score = 15", "score = 35", "score = 0"));
    assert_eq!((dv.scores.total, dv.scores.grade.as_deref()), (Some(d("80.00")), Some("良")));
    let (_, dv) = run(&framework("", "score = 20", "score = 10", "score = 29.99", "score = 0"));
    assert_eq!((dv.scores.total, dv.scores.grade.as_deref()), (Some(d("59.99")), Some("差")));
}

#[test]
fn grade_bands_are_data() {
    let text = framework("", "score = 30", "score = 15", "score = 35", "score = 0")
        .replace("year = 2023\n", "year = 2023\n[scoring]\ngrades = [{ name = \"A\", min = 85 }, { name = \"B\", min = 70 }, { name = \"C\", min = 0 }]\n");
    let (_, dv) = run(&text);
    assert_eq!(dv.scores.grade.as_deref(), Some("B"));
}

#[test]
fn partial_scores_give_no_total() {
    let (f, dv) = run(&framework("", "score = 30", "score = 15", "", ""));
    assert_eq!(dv.scores.total, None);
    // Each indicator without a score is named at its own key.
    assert!(
        warnings(&f).iter().any(|w| w == "sections[0].sections[1].score：指标“效益”没有填写自评得分（score）；各项都填写后才计算总分和等级"),
        "{f:?}"
    );
}

#[test]
fn bonus_obeys_group_and_overall_caps() {
    let awards = |n_prov: usize, n_city: usize| {
        let mut s = String::new();
        for i in 0..n_prov {
            s.push_str(&format!("[[sections.sections.bonus.awards]]\ngroup = \"省级\"\nname = \"省表彰{i}\"\n"));
        }
        for i in 0..n_city {
            s.push_str(&format!("[[sections.sections.bonus.awards]]\ngroup = \"市级\"\nname = \"市表彰{i}\"\n"));
        }
        s
    };
    // 4 provincial (capped at 3) + 5 city × 0.5 (capped at 2) = 5, the overall cap.
    let text = framework("", "score = 30", "score = 15", "score = 35", "score = 5") + &awards(4, 5);
    let (f, dv) = run(&text);
    assert!(errors(&f).is_empty(), "{f:?}");
    assert_eq!(dv.scores.bonus, Some(d("5")));
    // Claimed 5 with only 2 provincial and 1 city: 2.5 is due.
    let text = framework("", "score = 30", "score = 15", "score = 35", "score = 5") + &awards(2, 1);
    let (f, _) = run(&text);
    assert_eq!(
        errors(&f),
        ["sections[0].sections[2].score：加减分项“加减分项”按所列表彰应得 2.5（省级 2 项 × 1 分（上限 3），市级 1 项 × 0.5 分（上限 2）；总上限 5），实际填写 5"]
    );
    // A score over the overall cap.
    let (f, _) = run(&framework("", "", "", "", "score = 6"));
    assert_eq!(errors(&f), ["sections[0].sections[2].score：加减分项“加减分项”的得分 6 超出上限 5"]);
    // An award in a group that does not exist.
    let text = framework("", "", "", "", "") + "[[sections.sections.bonus.awards]]\ngroup = \"国家级\"\nname = \"x\"\n";
    let (f, _) = run(&text);
    assert_eq!(errors(&f), ["sections[0].sections[2].bonus.awards[0].group：“国家级”不是本加减分项的分组；可用的分组：省级、市级"]);
}

#[test]
fn structure_empty_title_empty_section_duplicate_title() {
    let text = format!(
        "{HEAD}[[sections]]\ntitle = \"  \"\n[[sections.blocks]]\nparagraph = \"x\"\n[[sections]]\ntitle = \"存在问题\"\n[[sections]]\ntitle = \"存在问题\"\n[[sections.blocks]]\nparagraph = \"x\"\n[[sections]]\ntitle = \"我单位无财会人员。\"\n"
    );
    let (f, _) = run(&text);
    assert_eq!(errors(&f), ["sections[0].title：章节标题为空"]);
    let w = warnings(&f);
    assert!(w.iter().any(|w| w.starts_with("sections[1]：章节“存在问题”没有正文也没有下级章节")), "{w:?}");
    assert!(w.iter().any(|w| w == "sections[2].title：同一层中标题“存在问题”重复出现（另见 sections[1]）"), "{w:?}");
    // A heading that is a whole sentence is content enough.
    assert!(!w.iter().any(|w| w.starts_with("sections[3]")), "{w:?}");
}

#[test]
fn grade_bands_must_descend() {
    let text = format!("{HEAD}[scoring]\ngrades = [{{ name = \"优\", min = 80 }}, {{ name = \"良\", min = 90 }}]\n");
    let (f, _) = run(&text);
    assert_eq!(errors(&f), ["scoring.grades[1].min：等级须按下限从高到低排列：“良”的下限 90 不低于“优”的 80"]);
}

#[test]
fn closing_without_a_date_is_named() {
    let (f, _) = run(&format!("{HEAD}{SECTION}[closing]\nunit = \"示例局办公室\"\n"));
    assert_eq!(warnings(&f), ["closing：落款没有成文日期（date，如 2023-03-01），不排落款"]);
}

#[test]
fn in_wan_yuan_a_rounding_gap_is_a_warning_and_a_real_gap_an_error() {
    // 115594.66 − 45211.42 = 70383.24 元; rounded one by one to 万元: 11.5595 − 4.5211 ≠ 7.0383.
    let text = |net: &str| finance(&format!("money_unit = \"万元\"\ndecimals = 4\n[finance.fixed_assets]\noriginal = \"11.5595\"\ndepreciation = \"4.5211\"\nnet = \"{net}\"\n"));
    let (f, _) = run(&text("7.0383"));
    assert!(errors(&f).is_empty(), "{f:?}");
    assert_eq!(
        warnings(&f),
        ["finance.fixed_assets.net：固定资产净值应为 原值 11.5595 − 累计折旧 4.5211 = 7.0384，实际填写 7.0383（相差 -0.0001）；差额在万元四舍五入的尾差范围内（不超过 0.00015），请核对"]
    );
    let (f, _) = run(&text("7.0390"));
    assert_eq!(errors(&f), ["finance.fixed_assets.net：固定资产净值应为 原值 11.5595 − 累计折旧 4.5211 = 7.0384，实际填写 7.0390（相差 0.0006）"]);
    // In 元 the same one-cent gap is an error.
    let (f, _) = run(&finance("[finance.fixed_assets]\noriginal = \"115594.66\"\ndepreciation = \"45211.42\"\nnet = \"70383.23\"\n"));
    assert_eq!(errors(&f).len(), 1);
}

#[test]
fn a_report_without_sections_is_named() {
    let (f, _) = run(HEAD);
    assert_eq!(warnings(&f), ["：报告没有任何章节（[[sections]]），只会印出标题"]);
}

/// What `import` leaves when it is unsure: the placeholder year 2000, a unit
/// the title does not name. Both are warnings, named by key.
#[test]
fn placeholder_year_and_a_unit_not_in_the_title_are_warnings() {
    let (f, _) = run(&format!("unit = \"示例局\"\nyear = 2000\n{SECTION}"));
    assert!(errors(&f).is_empty(), "{:?}", errors(&f));
    assert!(warnings(&f).iter().any(|w| w.starts_with("year：年度为 2000") && w.contains("year = 2023")), "{:?}", warnings(&f));
    let (f, _) = run(&format!("unit = \"南县人民政府门户网站\"\nyear = 2022\ntitle = \"南县国库集中支付中心2022年度整体支出绩效自评报告\"\n{SECTION}"));
    assert!(
        warnings(&f).iter().any(|w| w.starts_with("unit：单位名称“南县人民政府门户网站”不在标题“南县国库集中支付中心2022年度整体支出绩效自评报告”中")),
        "{:?}",
        warnings(&f)
    );
    // The unit in a title with spaces, and the conventional title: no finding.
    let (f, _) = run(&format!("unit = \"南县国库集中支付中心\"\nyear = 2022\ntitle = \"南县国库集中支付中心 2022年度整体支出绩效自评报告\"\n{SECTION}"));
    assert!(!warnings(&f).iter().any(|w| w.starts_with("unit：") || w.starts_with("year：")), "{:?}", warnings(&f));
    let (f, _) = run(&format!("{HEAD}{SECTION}"));
    assert!(!warnings(&f).iter().any(|w| w.starts_with("unit：") || w.starts_with("year：")), "{:?}", warnings(&f));
}
