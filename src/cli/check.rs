//! `jixiao check`: validate a data file without writing a PDF; print every
//! finding and the derived figures (total score, grade, rates, shares).

use std::path::PathBuf;
use std::process::ExitCode;

use jixiao::derive::Figures;
use jixiao::derive::money_tree::MoneyTree;
use jixiao::base::diagnostic::Finding;
use jixiao::base::format::number;
use jixiao::pipeline::render::{Options, prepare};

use super::{EXIT_INPUT, FontArgs, print_findings};

#[derive(clap::Args)]
pub struct Args {
    /// 数据文件（.toml）
    data: PathBuf,
    /// 输出格式：text（给人看）或 json（给程序读）
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    fonts: FontArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let options = Options { fonts: args.fonts.options(), ..Options::default() };
    let (findings, derived) = match prepare(&args.data, &options) {
        Ok(p) => (p.findings, Some(p.derived)),
        Err(findings) => (findings, None),
    };
    let failed = findings.iter().any(Finding::is_error);
    match args.format {
        Format::Json => {
            let out = serde_json::json!({
                "file": args.data.display().to_string(),
                "ok": !failed,
                "findings": findings,
                "derived": derived,
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Format::Text => {
            print_findings(&findings);
            if let Some(d) = &derived {
                print_derived(d);
            }
            if failed {
                eprintln!("检查未通过：{}", jixiao::base::diagnostic::shown_path(&args.data));
            } else {
                eprintln!("检查通过：{}", jixiao::base::diagnostic::shown_path(&args.data));
            }
        }
    }
    if failed { ExitCode::from(EXIT_INPUT) } else { ExitCode::SUCCESS }
}

fn print_derived(d: &Figures) {
    let sc = &d.scores;
    if !sc.categories.is_empty() || !sc.bonuses.is_empty() {
        println!("指标：");
        for c in &sc.categories {
            print_node(c, 1);
        }
        for b in &sc.bonuses {
            match b.score {
                Some(s) => println!("  {}：得分 {}（上限 {}）", b.name, number(s), number(b.rules.cap)),
                None => println!("  {}：上限 {}", b.name, number(b.rules.cap)),
            }
        }
        if let (Some(sum), Some(_)) = (sc.sum, sc.stated) {
            println!("各指标得分之和：{}", number(sum));
        }
        let said = if sc.stated.is_some() { "（综合评分，数据中写明）" } else { "" };
        match (&sc.total, &sc.grade) {
            (Some(t), Some(g)) => println!("总分：{t}，等级：{g}{said}"),
            (Some(t), None) => println!("总分：{t}{said}"),
            _ if sc.any_given() => println!("自评得分未填全：不计算总分和等级"),
            _ => println!("未填写自评得分：不计算总分和等级"),
        }
    } else if let Some(t) = sc.total {
        match &sc.grade {
            Some(g) => println!("总分：{t}，等级：{g}（综合评分，数据中写明）"),
            None => println!("总分：{t}（综合评分，数据中写明）"),
        }
    }
    if let Some(r) = d.execution_rate {
        println!("预算执行率：{r}%");
    }
    for p in &d.projects {
        println!("项目“{}”：", p.name);
        let rate = p.rate.map_or("无法计算（全年预算数为 0）".to_string(), |r| format!("{r}%"));
        println!("  执行率：{rate}");
        if let Some(s) = p.rate_score {
            println!("  执行率得分：{}（{}）", number(s), p.rate_working);
        }
        match (&p.total, &p.grade) {
            (Some(t), Some(g)) => println!("  总分：{}，等级：{g}", number(*t)),
            (Some(t), None) => println!("  总分：{}", number(*t)),
            _ => println!("  指标未全部填写得分：不计算总分和等级"),
        }
    }
    let shares = |label: &str, v: &[(String, rust_decimal::Decimal)]| {
        if !v.is_empty() {
            let parts: Vec<String> = v.iter().map(|(n, p)| format!("{n} {p}%")).collect();
            println!("{label}：{}", parts.join("，"));
        }
    };
    shares("收入构成", &d.income_shares);
    shares("支出构成", &d.expenditure_shares);
    if let Some(t) = &d.money {
        print_money(t);
    }
    if let Some(s) = &d.staffing {
        let mut parts = Vec::new();
        for (label, n) in [("编制数", s.authorized), ("实有在职", s.actual), ("退休", s.retired), ("在职与退休合计", s.total)] {
            if let Some(n) = n {
                parts.push(format!("{label} {n} 人"));
            }
        }
        if !parts.is_empty() {
            println!("人员：{}", parts.join("，"));
        }
    }
}

/// The sums as checked, the carry-over worked out, and every growth, so a
/// finance officer can read them against the text.
fn print_money(t: &MoneyTree) {
    let u = t.unit.label();
    for rule in &t.sums {
        let parts: Vec<String> = rule.parts.iter().map(|&i| format!("{} {}", t.nodes[i].name, t.nodes[i].value.amount)).collect();
        let sum: rust_decimal::Decimal = rule.parts.iter().map(|&i| t.nodes[i].value.amount).sum();
        println!("合计：{} = {} = {sum}{u}", rule.what, parts.join(" + "));
    }
    if let Some((side, v)) = t.inferred_carry_over {
        let name = if side == "opening" { "年初结转结余" } else { "年末结转结余" };
        println!("推算：{name} {v}{u}（由 收入 + 年初结转结余 = 支出 + 年末结转结余）");
    }
    for n in &t.nodes {
        let (Some(prior), Some(change)) = (n.value.prior, n.change) else { continue };
        let rate = n.change_rate.map(|r| format!("，增减率 {r}%")).unwrap_or_default();
        println!("同比：{} {}{u}，上年 {prior}{u}，增减额 {change}{u}{rate}", n.name, n.value.amount);
    }
}

/// An indicator and, indented, its sub-indicators: weight and score.
fn print_node(n: &jixiao::derive::scores::Node, depth: usize) {
    let indent = "  ".repeat(depth);
    match n.score {
        Some(s) => println!("{indent}{}：分值 {}，得分 {}", n.name, number(n.weight), number(s)),
        None => println!("{indent}{}：分值 {}", n.name, number(n.weight)),
    }
    for c in &n.children {
        print_node(c, depth + 1);
    }
}
