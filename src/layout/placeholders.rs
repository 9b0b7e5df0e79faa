//! Placeholders in text (`{income.total}`): each figure is written once in
//! the data (or derived by the checks) and printed wherever text names it:
//! paragraphs, list items, run-in text, titles and table cells.
//!
//! A placeholder names a part and an amount by its key or its name, with an
//! optional suffix for last year's figure and the growth:
//! `{income.total}`, `{income.调整追加}`, `{expenditure.basic.prior}`,
//! `{income.total.growth}` (`增加235.50万元，增长18.62%`).

use crate::derive::Figures;
use crate::base::format::{money_plain, money_thousands, number};
use crate::input::model::{Finance, MoneyFormat, Report};
use crate::derive::money_tree::{Lookup, MoneyTree, Node, Part};
use rust_decimal::Decimal;

/// Expand the placeholders of a `figures` sentence: every `{…}` must be a
/// placeholder. Unknown or unavailable ones come back as errors, all at once.
pub fn expand(template: &str, report: &Report, derived: &Figures) -> Result<String, Vec<String>> {
    expand_with(template, report, derived, true)
}

/// Expand the placeholders of any other text: a `{…}` that cannot be a
/// placeholder (spaces inside, no closing brace) is kept as written, and
/// `{{` / `}}` print one brace.
pub fn expand_text(text: &str, report: &Report, derived: &Figures) -> Result<String, Vec<String>> {
    if !text.contains(['{', '}']) {
        return Ok(text.to_string());
    }
    expand_with(text, report, derived, false)
}

/// The placeholders of `text`, each once, in order of first use.
pub fn keys(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            rest = stripped;
            continue;
        }
        match after.find('}').map(|close| &after[..close]).filter(|k| is_placeholder(k)) {
            Some(key) => {
                if !out.iter().any(|k| k == key) {
                    out.push(key.to_string());
                }
                rest = &after[key.len() + 1..];
            }
            None => rest = after,
        }
    }
    out
}

/// What a placeholder stands for, in words (`收入合计`, `基本支出·上年数`),
/// and its value now (or why there is none), for the editor to show.
pub fn describe(key: &str, report: &Report, derived: &Figures) -> (String, Result<String, String>) {
    let fixed = match key {
        "year" => Some("年度"),
        "unit" => Some("单位"),
        "total_score" => Some("总分"),
        "grade" => Some("评价等级"),
        "execution_rate" => Some("预算执行率"),
        "income.sources" => Some("收入各项"),
        _ => None,
    };
    let label = fixed.map(str::to_string).unwrap_or_else(|| {
        let (head, rest) = key.split_once('.').unwrap_or((key, ""));
        let (name, suffix) = match rest.rsplit_once('.') {
            Some((n, s)) if SUFFIXES.iter().any(|(k, _)| *k == s) => (n, Some(s)),
            _ => (rest, None),
        };
        let node = Part::from_key(head).zip(derived.money.as_ref()).and_then(|(part, tree)| {
            if part == Part::Budget { tree.only(part) } else { tree.find(part, name).ok() }
        });
        let base = node.map(|n| n.name.clone()).unwrap_or_else(|| if head == "staffing" { "人员".into() } else { key.to_string() });
        let what = suffix.and_then(|s| SUFFIXES.iter().find(|(k, _)| *k == s)).map(|(_, d)| d.split('（').next().unwrap_or(d));
        match what {
            Some(w) => format!("{base}·{w}"),
            None => base,
        }
    });
    (label, lookup(key, report, derived))
}

fn expand_with(template: &str, report: &Report, derived: &Figures, strict: bool) -> Result<String, Vec<String>> {
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let brace = &rest[open..];
        if brace.starts_with("{{") || brace.starts_with("}}") {
            out.push_str(&brace[..1]);
            rest = &brace[2..];
            continue;
        }
        if brace.starts_with('}') {
            out.push('}');
            rest = &brace[1..];
            continue;
        }
        let after = &rest[open + 1..];
        let key = after.find('}').map(|close| &after[..close]).filter(|k| is_placeholder(k));
        let Some(key) = key else {
            if strict {
                errors.push(format!("“{{”没有配对的“}}”：{}（要印出花括号本身，请写两个：{{{{）", short(brace)));
                rest = "";
                break;
            }
            out.push('{');
            rest = after;
            continue;
        };
        match lookup(key, report, derived) {
            Ok(v) => out.push_str(&v),
            Err(e) => errors.push(e),
        }
        rest = &after[key.len() + 1..];
    }
    out.push_str(rest);
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// What may stand between braces as a placeholder: a key path without
/// spaces or punctuation of running text, not too long.
fn is_placeholder(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= 60
        && key.chars().all(|c| !c.is_whitespace() && !"{}，。；：、,;:“”\"'（）()".contains(c))
}

fn short(text: &str) -> String {
    text.chars().take(20).collect()
}

/// The placeholders that do not name an amount.
pub const PLACEHOLDERS: &[&str] = &[
    "year",
    "unit",
    "income.total",
    "income.sources",
    "expenditure.total",
    "expenditure.basic",
    "expenditure.personnel",
    "expenditure.public",
    "expenditure.project",
    "fixed_assets.original",
    "fixed_assets.depreciation",
    "fixed_assets.net",
    "budget",
    "execution_rate",
    "carry_over.opening",
    "carry_over.closing",
    "staffing.groups",
    "staffing.authorized",
    "staffing.actual",
    "staffing.retired",
    "staffing.total",
    "total_score",
    "grade",
];

/// Suffixes after an amount: last year's figure and the growth.
pub const SUFFIXES: &[(&str, &str)] = &[
    ("prior", "上年数"),
    ("change", "增减额（绝对值，带单位）"),
    ("change_rate", "增减率（绝对值，如 18.62%）"),
    ("trend", "“增加”“减少”或“持平”"),
    ("rate_trend", "“增长”“下降”或“持平”"),
    ("growth", "整句：增加235.50万元，增长18.62%"),
    ("parts", "其下各项：名称金额，名称金额"),
    ("share", "占合计的比例，如 80.25%"),
];

fn lookup(key: &str, report: &Report, derived: &Figures) -> Result<String, String> {
    let unscored = || format!("占位符 {{{key}}} 需要全部指标的自评得分（score），但数据中没有填全；也可在 [scoring] 中写明综合评分，如 score = 92");
    match key {
        "year" => return Ok(report.year.to_string()),
        "unit" => return Ok(report.unit.clone()),
        "total_score" => return derived.scores.total.map(number).ok_or_else(unscored),
        "grade" => return derived.scores.grade.clone().ok_or_else(unscored),
        "execution_rate" => {
            return derived
                .execution_rate
                .map(|r| format!("{r}%"))
                .ok_or_else(|| match report.finance.as_ref().and_then(|f| f.budget.as_ref()) {
                    Some(b) if b.amount.is_zero() => "占位符 {execution_rate} 无法计算：全年预算数 budget 为 0".to_string(),
                    _ => "占位符 {execution_rate} 需要 [finance] 的 budget（全年预算数）和支出合计".to_string(),
                });
        }
        _ => {}
    }
    let (head, rest) = key.split_once('.').unwrap_or((key, ""));
    if head == "staffing" {
        return staffing(key, rest, report, derived);
    }
    let unknown = || {
        format!(
            "未知的占位符 {{{key}}}；可用的有：{}；金额也可按名称引用（如 {{income.财政拨款收入}}），后加 .prior、.growth 等（见 docs/data-format.md）",
            PLACEHOLDERS.join("、")
        )
    };
    let part = Part::from_key(head).ok_or_else(unknown)?;
    let missing = || format!("占位符 {{{key}}} 需要 [finance.{head}]，但数据中没有");
    // Without the part, a key that is not a standard one is most likely a typo.
    let absent = || if PLACEHOLDERS.contains(&key) || SUFFIXES.iter().any(|(s, _)| key.ends_with(&format!(".{s}"))) { missing() } else { unknown() };
    let finance = report.finance.as_ref().filter(|f| finance_has(f, part)).ok_or_else(absent)?;
    let tree = derived.money.as_ref().ok_or_else(missing)?;
    // `budget` has no name of its own: `{budget}`, `{budget.prior}`.
    let (name, suffix) = if part == Part::Budget {
        ("", rest)
    } else {
        match rest.rsplit_once('.') {
            Some((n, s)) if SUFFIXES.iter().any(|(k, _)| *k == s) => (n, s),
            _ => (rest, ""),
        }
    };
    if part == Part::Income && name == "sources" && suffix.is_empty() {
        let root = tree.nodes.iter().position(|n| n.part == Part::Income && n.depth == 0).ok_or_else(missing)?;
        return Ok(parts_text(tree, root, finance));
    }
    let node = if part == Part::Budget {
        tree.only(Part::Budget).ok_or_else(missing)?
    } else {
        tree.find(part, name).map_err(|e| match e {
            Lookup::Ambiguous => format!("占位符 {{{key}}} 不明确：[finance.{head}] 中有多项名为“{name}”；请给其中一项写 key = \"…\"，用 {{{head}.key}} 引用"),
            Lookup::Missing if finance_has(finance, part) => {
                let names: Vec<String> =
                    tree.nodes.iter().filter(|n| n.part == part).map(|n| n.key.clone().unwrap_or_else(|| n.name.clone())).collect();
                format!("占位符 {{{key}}} 中的“{name}”在 [finance.{head}] 中没有；可用的有：{}", names.join("、"))
            }
            Lookup::Missing => {
                if PLACEHOLDERS.contains(&key) || ["total"].contains(&name) {
                    missing()
                } else {
                    unknown()
                }
            }
        })?
    };
    amount_text(node, suffix, key, tree, finance, report.scoring.places)
}

fn finance_has(f: &Finance, part: Part) -> bool {
    match part {
        Part::Income => f.income.is_some(),
        Part::Expenditure => f.expenditure.is_some(),
        Part::CarryOver => f.carry_over.is_some(),
        Part::FixedAssets => f.fixed_assets.is_some(),
        Part::Budget => f.budget.is_some(),
    }
}

fn amount_text(node: &Node, suffix: &str, key: &str, tree: &MoneyTree, finance: &Finance, places: u32) -> Result<String, String> {
    let money = |d: Decimal| money_text(d, finance);
    let no_prior = || format!("占位符 {{{key}}} 需要“{}”的上年数：请把它写成 {{ amount = \"…\", prior = \"上年金额\" }}", node.name);
    let change = node.change.ok_or_else(no_prior);
    let trend = |d: Decimal, up: &str, down: &str| {
        if d.is_zero() {
            "持平".to_string()
        } else if d.is_sign_negative() {
            down.to_string()
        } else {
            up.to_string()
        }
    };
    let rate = || {
        node.change_rate.ok_or_else(|| {
            if node.value.prior.is_some() { format!("占位符 {{{key}}} 无法计算：上年数为 0") } else { no_prior() }
        })
    };
    Ok(match suffix {
        "" => money(node.value.amount),
        "prior" => money(node.value.prior.ok_or_else(no_prior)?),
        "change" => money(change?.abs()),
        "trend" => trend(change?, "增加", "减少"),
        // A rate stated without last year's figure still has its direction.
        "rate_trend" => trend(node.change.or(node.change_rate).ok_or_else(no_prior)?, "增长", "下降"),
        "change_rate" => format!("{}%", rate()?.abs()),
        "growth" => {
            let c = match (node.change, node.change_rate) {
                (Some(c), _) => c,
                // Only the rate is stated (增长31.39%): the sentence is the rate.
                (None, Some(r)) if !r.is_zero() => return Ok(format!("{}{}%", trend(r, "增长", "下降"), r.abs())),
                _ => change?,
            };
            if c.is_zero() {
                "与上年持平".to_string()
            } else {
                let r = rate()?;
                format!("{}{}，{}{}%", trend(c, "增加", "减少"), money(c.abs()), trend(c, "增长", "下降"), r.abs())
            }
        }
        "share" => {
            let root = root_of(tree, node);
            let p = crate::base::format::percent(node.value.amount, root.value.amount, places)
                .ok_or_else(|| format!("占位符 {{{key}}} 无法计算：{}为 0", root.name))?;
            format!("{p}%")
        }
        _ => {
            let at = tree.index_of(node).unwrap_or_default();
            let text = parts_text(tree, at, finance);
            if text.is_empty() {
                return Err(format!("占位符 {{{key}}}：“{}”下没有分项（parts）", node.name));
            }
            text
        }
    })
}

fn root_of<'a>(tree: &'a MoneyTree, node: &'a Node) -> &'a Node {
    let mut n = node;
    while let Some(p) = n.parent {
        n = &tree.nodes[p];
    }
    n
}

/// `名称金额，名称金额`: the parts directly under a node.
fn parts_text(tree: &MoneyTree, at: usize, finance: &Finance) -> String {
    tree.children(at).map(|(_, n)| format!("{}{}", n.name, money_text(n.value.amount, finance))).collect::<Vec<_>>().join("，")
}

fn staffing(key: &str, field: &str, report: &Report, derived: &Figures) -> Result<String, String> {
    let s = report.staffing.as_ref().ok_or_else(|| format!("占位符 {{{key}}} 需要 [staffing]，但数据中没有"))?;
    let fig = derived.staffing.clone().unwrap_or_else(|| crate::derive::staffing::StaffFigures::of(s));
    let count = |n: Option<u32>, what: &str| n.map(|n| n.to_string()).ok_or_else(|| format!("占位符 {{{key}}} 需要{what}，但 [staffing] 中没有"));
    match field {
        "groups" => Ok(crate::derive::staffing::groups_text(s)),
        "authorized" => count(fig.authorized, "编制数（authorized）"),
        "actual" => count(fig.actual, "实有人数（actual）"),
        "retired" => count(fig.retired, "退休人员数（retired）"),
        "total" => count(fig.total, "实有人数和退休人员数"),
        name => {
            let g = s.groups.iter().find(|g| g.name == name).ok_or_else(|| {
                let names: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
                format!("占位符 {{{key}}}：[staffing] 中没有“{name}”；可用的有 groups、authorized、actual、retired、total，及类别名 {}", names.join("、"))
            })?;
            count(g.authorized.or(g.actual), "该类别的人数")
        }
    }
}

/// An amount with its unit, as the seed prints it: `1485562.08元`.
pub fn money_text(d: Decimal, finance: &Finance) -> String {
    let digits = match finance.money_format {
        MoneyFormat::Plain => money_plain(d),
        MoneyFormat::Thousands => money_thousands(d),
    };
    format!("{digits}{}", finance.money_unit.label())
}
