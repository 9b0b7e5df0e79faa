//! Starter data files: what `jixiao init` writes and `jixiao serve` offers
//! when it is started without a data file. One outline with a comment on
//! every field, or a scoring framework from `data/frameworks/`.

/// The starter without a framework: the standard outline, one section per
/// indicator of the Guangdong framework, every field commented.
const STARTER: &str = include_str!("starter.toml");

/// Scoring frameworks: data files under `data/frameworks/`, each a complete
/// report that checks, with its indicators in `[[indicators]]`.
/// (name, description in Chinese, text).
pub const FRAMEWORKS: &[(&str, &str, &str)] = &[
    (
        "guangdong",
        "广东式：预算编制情况 28 / 预算执行情况 42 / 资金使用效益 30，另有加减分项",
        include_str!("../../data/frameworks/guangdong.toml"),
    ),
    (
        "sichuan",
        "四川式：部门决策 25 / 综合管理 30 / 部门绩效情况 45，自评表只印得分（指标名称带分值；按四川单位公开的得分表，出处见文件）",
        include_str!("../../data/frameworks/sichuan.toml"),
    ),
    (
        "project",
        "财政部项目支出绩效自评表：预算执行率 10 + 产出 50 / 效益 30 / 满意度 10（财预〔2020〕10号）",
        include_str!("../../data/frameworks/project.toml"),
    ),
];

/// The name of the schema file written beside a new data file.
pub const SCHEMA_FILE: &str = "jixiao.schema.json";

/// The placeholder a starter has for a unit not given.
pub const UNIT_PLACEHOLDER: &str = "【请填写：单位名称】";

/// The year a report written now covers: the one before this one.
pub fn last_year() -> i32 {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    crate::base::date::civil_from_days(days as i64).year - 1
}

/// A framework's file with the unit and year put in.
fn from_framework(text: &str, unit: Option<&str>, year: i32) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.starts_with("year = ") {
            out.push_str(&format!("year = {year}                     # 报告所属年度"));
        } else if let (Some(u), true) = (unit, line.starts_with("unit = ")) {
            out.push_str(&format!("unit = \"{u}\"    # 单位名称"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The text of a new data file. `framework` names one of [`FRAMEWORKS`]
/// (None: the commented starter). Errors are in Chinese.
pub fn text(framework: Option<&str>, unit: Option<&str>, year: i32) -> Result<String, String> {
    let framework = match framework {
        None => None,
        Some(name) => Some(
            FRAMEWORKS
                .iter()
                .find(|(k, _, _)| *k == name)
                .map(|(_, _, t)| *t)
                .ok_or_else(|| format!("没有名为“{}”的评分框架", crate::base::diagnostic::shown(name)))?,
        ),
    };
    let given = unit.is_some();
    let unit = unit.unwrap_or(UNIT_PLACEHOLDER);
    if unit.trim().is_empty() || unit.chars().any(|c| c.is_control() || crate::base::diagnostic::is_bidi_control(c)) {
        return Err(format!("单位名称“{}”为空或含有换行、控制字符；请写成一行", crate::base::diagnostic::shown(unit)));
    }
    if !crate::input::model::YEARS.contains(&year) {
        return Err(format!("年度 {year} 超出范围：应为 {} 到 {} 之间的年份", crate::input::model::YEARS.start(), crate::input::model::YEARS.end()));
    }
    // The starter quotes the name itself: escape it as a TOML basic string's content.
    let inner = unit.replace('\\', "\\\\").replace('"', "\\\"");
    let text = match framework {
        Some(f) => from_framework(f, given.then_some(inner.as_str()), year),
        None => STARTER.replace("__UNIT__", &inner).replace("__NEXTYEAR__", &(year + 1).to_string()).replace("__YEAR__", &year.to_string()),
    };
    // What is written must read back: never offer a file that cannot be used.
    toml::from_str::<toml::Table>(&text)
        .map_err(|e| format!("生成的起步文件无法读回（{}）；请报告此问题", crate::base::diagnostic::shown(e.message())))?;
    Ok(text)
}

/// The frameworks that can be added to a report that has none: those with
/// a department's `[[indicators]]` (the project framework's belong to its
/// projects).
pub fn addable_frameworks() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    FRAMEWORKS.iter().filter(|(_, _, t)| t.lines().any(|l| l.trim() == "[[indicators]]"))
}

/// `text` with the indicators of the framework `name` added at its end, with
/// the framework's `[scoring]` (unless the report has one) and, unless the
/// report prints one already, an attachment with the 自评表: for a report
/// that has no indicators (an imported one), so its scores can be filled in.
/// Errors are in Chinese; nothing is added then.
pub fn add_framework(text: &str, name: &str) -> Result<String, String> {
    let (_, label, framework) = addable_frameworks()
        .find(|(k, _, _)| *k == name)
        .ok_or_else(|| format!("没有名为“{}”的可加入的指标框架", crate::base::diagnostic::shown(name)))?;
    let framework: toml_edit::DocumentMut = framework.parse().map_err(|_| "内置的指标框架无法读取；请报告此问题".to_string())?;
    add_tree(text, label, &framework)
}

/// Start an indicator tree of the unit's own in the report `text`: one
/// indicator to name, worth the full score, and the 自评表 attachment.
pub fn add_own_indicators(text: &str) -> Result<String, String> {
    let report: toml::Table = toml::from_str(text).map_err(|_| "数据有写法错误，先改正后再加入指标".to_string())?;
    let full = report.get("scoring").and_then(|s| s.get("total")).map_or("100".to_string(), |t| t.to_string());
    let tree = format!("[[indicators]]\nname = \"【请填写：指标名称】\"\nweight = {full}\n");
    let tree: toml_edit::DocumentMut = tree.parse().map_err(|_| "评分总分的写法有误；请先改正".to_string())?;
    add_tree(text, "本单位自建指标", &tree)
}

/// The indicators (and the scoring, when the report has none) of
/// `framework` after the report's own text, and a 自评表 unless it has one.
fn add_tree(text: &str, label: &str, framework: &toml_edit::DocumentMut) -> Result<String, String> {
    let report: toml::Table = toml::from_str(text).map_err(|_| "数据有写法错误，先改正后再加入指标".to_string())?;
    if report.contains_key("indicators") || report.get("sections").is_some_and(has_weight) {
        return Err("这份报告已有评分指标，不能再加入一套".into());
    }
    // Each key as a document of its own: its comments come with it, in its order.
    let piece = |key: &str| {
        let mut d = toml_edit::DocumentMut::new();
        if let Some(item) = framework.get(key) {
            d.insert(key, item.clone());
        }
        d.to_string()
    };
    let mut out = text.trim_end().to_string();
    out.push_str(&format!("\n\n# ============================================================\n# 评分框架：{label}\n"));
    if !report.contains_key("scoring") {
        out.push_str(&piece("scoring"));
    }
    out.push('\n');
    out.push_str(&piece("indicators"));
    if !has_key(&toml::Value::Table(report), "score_table") {
        out.push_str("\n[[attachments]]\ntitle = \"部门整体支出绩效自评表\"\n\n[[attachments.blocks]]\nscore_table = {}                # 由指标和得分生成\n");
    }
    toml::from_str::<toml::Table>(&out).map_err(|_| "报告的附件写成了一行，无法在其后加入自评表；请先在数据文件中把附件改为 [[attachments]] 的写法".to_string())?;
    Ok(out)
}

/// Does a section (at any depth) have a weight: is the report scored by its outline?
fn has_weight(sections: &toml::Value) -> bool {
    sections.as_array().into_iter().flatten().any(|s| s.get("weight").is_some() || s.get("sections").is_some_and(has_weight))
}

fn has_key(v: &toml::Value, key: &str) -> bool {
    match v {
        toml::Value::Table(t) => t.iter().any(|(k, v)| k == key || has_key(v, key)),
        toml::Value::Array(a) => a.iter().any(|v| has_key(v, key)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framework_is_added_once_to_a_report_without_indicators() {
        let bare = "unit = \"局\"\nyear = 2024\n\n[[sections]]\ntitle = \"概况\"\n";
        let out = add_framework(bare, "sichuan").unwrap();
        assert!(out.starts_with(bare.trim_end()), "{out}");
        let t: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(t["indicators"].as_array().unwrap()[0]["name"].as_str(), Some("部门决策"));
        assert_eq!(t["scoring"]["total"].as_integer(), Some(100));
        assert!(t["attachments"][0]["blocks"][0].get("score_table").is_some());
        assert!(add_framework(&out, "guangdong").unwrap_err().contains("已有评分指标"));
        // Scored by its outline: no second framework.
        let weighted = "unit = \"局\"\nyear = 2024\n\n[[sections]]\ntitle = \"概况\"\n\n[[sections.sections]]\ntitle = \"甲\"\nweight = 10\n";
        assert!(add_framework(weighted, "guangdong").is_err());
        assert!(add_framework(bare, "project").is_err());
    }
}
