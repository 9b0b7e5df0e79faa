//! The step from last year's report to this year's, on a data file's text:
//! the year set, the title's year with it, every amount of `[finance]`
//! kept as last year's figure (`prior`, where the data format has one) and
//! last year's 成文日期 taken out; the other mentions of the old year are
//! listed, not changed (some are history and must stay). Used by
//! `jixiao import --year` and the editor's 新年度.

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike, Value};

use super::find::{self, Match};

/// The keys of `[finance]` that hold one amount (an `Amount`), which may be
/// written as a plain string; a table with an `amount` is one too.
const AMOUNTS: &[&str] = &["total", "basic", "personnel", "public", "project", "original", "depreciation", "net", "opening", "closing", "budget"];
/// What the report states about the change from last year: last year's
/// statement, not this year's.
const STATED_CHANGE: &[&str] = &["growth", "growth_rate"];

/// The report moved to a new year.
#[derive(Debug)]
pub struct NewYear {
    pub text: String,
    /// The year it was (None when the file had none).
    pub from: Option<i32>,
    pub to: i32,
    /// How many amounts now carry last year's figure as `prior`.
    pub moved: usize,
    /// Last year's 成文日期 was taken out.
    pub date_removed: bool,
    /// Every other mention of the old year in the text.
    pub mentions: Vec<Match>,
}

/// The year the report in `text` is for, if it states one.
pub fn year_of(text: &str) -> Option<i32> {
    let doc: DocumentMut = text.parse().ok()?;
    doc.get("year").and_then(Item::as_integer).and_then(|y| i32::try_from(y).ok())
}

/// Move the report in `text` to `year`; a report already of that year is
/// an error. Errors are in Chinese.
pub fn advance(text: &str, year: i32) -> Result<NewYear, String> {
    if !super::model::YEARS.contains(&year) {
        return Err(format!("年度 {year} 超出范围：应为 {} 到 {} 之间的年份", super::model::YEARS.start(), super::model::YEARS.end()));
    }
    let mut doc: DocumentMut = text.parse().map_err(|_| "数据有写法错误，先改正后再转入新年度".to_string())?;
    let from = doc.get("year").and_then(Item::as_integer).and_then(|y| i32::try_from(y).ok());
    if from == Some(year) {
        return Err(format!("报告已是 {year} 年度"));
    }
    match doc.get_mut("year").and_then(Item::as_value_mut) {
        Some(v) => {
            let decor = v.decor().clone();
            *v = Value::from(i64::from(year));
            *v.decor_mut() = decor;
        }
        None => {
            doc.insert("year", toml_edit::value(i64::from(year)));
        }
    }
    // The title names the report's own year.
    if let (Some(from), Some(Item::Value(Value::String(t)))) = (from, doc.get_mut("title")) {
        let (new, n) = find::replace_all(t.value(), &from.to_string(), &year.to_string(), true);
        if n > 0 {
            let decor = t.decor().clone();
            let mut v = Value::from(new);
            *v.decor_mut() = decor;
            doc["title"] = Item::Value(v);
        }
    }
    let mut moved = 0;
    if let Some(Item::Table(f)) = doc.get_mut("finance") {
        table(f, &mut moved);
    }
    let date_removed = match doc.get_mut("closing").and_then(Item::as_table_like_mut) {
        Some(c) => c.remove("date").is_some(),
        None => false,
    };
    let mentions = from.map(|y| find::find(&doc, &y.to_string(), true)).unwrap_or_default();
    Ok(NewYear { text: doc.to_string(), from, to: year, moved, date_removed, mentions })
}

/// The file name (without extension) for the new year: the old year in
/// the name replaced, or the new year added; never the old name.
pub fn file_stem(stem: &str, from: Option<i32>, to: i32) -> String {
    if let Some(f) = from
        && !find::occurrences(stem, &f.to_string(), true).is_empty()
    {
        return stem.replace(&f.to_string(), &to.to_string());
    }
    format!("{stem}（{to}年度）")
}

/// An amount written as a table (inline or not): last year's figure kept
/// as `prior`, and what the report stated about the change dropped.
/// Whether the table held an amount.
fn keep_as_prior(t: &mut dyn TableLike) -> bool {
    let Some(mut prior) = t.get("amount").and_then(Item::as_value).cloned() else { return false };
    prior.decor_mut().clear();
    t.insert("prior", Item::Value(prior));
    for k in STATED_CHANGE {
        t.remove(k);
    }
    true
}

fn table(t: &mut Table, moved: &mut usize) {
    if keep_as_prior(t) {
        *moved += 1;
    }
    for (k, item) in t.iter_mut() {
        let amount = AMOUNTS.contains(&k.get());
        match item {
            Item::Value(v) => value(v, amount, moved),
            Item::Table(sub) => table(sub, moved),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(|sub| table(sub, moved)),
            Item::None => {}
        }
    }
}

/// A value under `[finance]`; `amount`: its key holds one amount.
fn value(v: &mut Value, amount: bool, moved: &mut usize) {
    match v {
        Value::String(s) if amount => {
            let decor = s.decor().clone();
            let mut figure = Value::from(s.value().clone());
            figure.decor_mut().clear();
            let mut t = InlineTable::new();
            t.insert("amount", figure.clone());
            t.insert("prior", figure);
            let mut new = Value::InlineTable(t);
            *new.decor_mut() = decor;
            *v = new;
            *moved += 1;
        }
        Value::InlineTable(t) => {
            if keep_as_prior(t) {
                *moved += 1;
            }
            for (k, v) in t.iter_mut() {
                if k.get() != "amount" && k.get() != "prior" {
                    value(v, AMOUNTS.contains(&k.get()), moved);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| value(v, false, moved)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "unit = \"示例局\"\nyear = 2023 # 年度\ntitle = \"示例局2023年度部门整体支出绩效自评报告\"\n\n[finance.income]\ntotal = \"10.00\" # 合计\nsources = [\n  { name = \"财政拨款收入\", amount = \"10.00\", prior = \"8.00\", growth = \"2.00\" },\n]\n\n[finance.expenditure]\nbasic = { amount = \"4.00\", growth_rate = \"3.1\" }\n\n[[finance.units]]\nname = \"下属\"\nincome = \"1.00\"\n\n[closing]\ndate = 2024-03-01\n\n[[sections]]\ntitle = \"2023年工作\"\n\n[[sections.blocks]]\nparagraph = \"2020年至2023年，共……\"\n";

    #[test]
    fn figures_become_last_years_and_mentions_are_listed() {
        let n = advance(TEXT, 2024).unwrap();
        let t: toml::Table = toml::from_str(&n.text).unwrap();
        assert_eq!(t["year"].as_integer(), Some(2024));
        assert!(n.text.contains("year = 2024 # 年度"), "{}", n.text);
        assert_eq!(t["title"].as_str(), Some("示例局2024年度部门整体支出绩效自评报告"));
        let f = &t["finance"];
        assert_eq!(f["income"]["total"]["prior"].as_str(), Some("10.00"));
        assert!(n.text.contains("total = { amount = \"10.00\", prior = \"10.00\" } # 合计"), "{}", n.text);
        let source = f["income"]["sources"][0].as_table().unwrap();
        assert_eq!(source["prior"].as_str(), Some("10.00"));
        assert!(!source.contains_key("growth"));
        assert_eq!(f["expenditure"]["basic"]["prior"].as_str(), Some("4.00"));
        assert!(f["expenditure"]["basic"].get("growth_rate").is_none());
        // A sub-unit's figures have no last year's figure in the data format.
        assert_eq!(f["units"][0]["income"].as_str(), Some("1.00"));
        assert_eq!(n.moved, 3);
        assert!(n.date_removed && t["closing"].get("date").is_none());
        let at: Vec<&str> = n.mentions.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(at, ["sections[0].title", "sections[0].blocks[0].paragraph"]);
        assert_eq!(file_stem("示例局2023年度报告", Some(2023), 2024), "示例局2024年度报告");
        assert_eq!(file_stem("报告", Some(2023), 2024), "报告（2024年度）");
        assert!(advance(TEXT, 2023).is_err());
    }
}
