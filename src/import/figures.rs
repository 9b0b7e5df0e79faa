//! The finance sentences: income, expenditure and fixed assets. A sentence
//! becomes `[finance]` plus a `figures` block only when every amount in it
//! is understood and the amounts add up, so the data checks; otherwise it
//! stays a paragraph and the summary says why.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::Summary;
use super::doc::{Blk, Doc, FinanceOut, Sec};


/// An amount with its label: the words between the previous delimiter and it.
struct Found {
    label: String,
    amount: String,
    unit: String,
    /// Byte range of the amount and its unit.
    span: std::ops::Range<usize>,
    /// Byte start of the label.
    label_start: usize,
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+(?:\.\d+)?)\s*(万元|元)").unwrap());
static YEAR_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20|21)\d{2})(年)").unwrap());

fn amounts(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut prev_end = 0;
    for c in AMOUNT.captures_iter(text) {
        let m = c.get(0).unwrap();
        // A number right after a digit, letter or `.` is part of something else.
        if text[..m.start()].ends_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '.') {
            return Vec::new();
        }
        let before = &text[prev_end..m.start()];
        let cut = before.rfind(['，', '、', '；', '。', '：', ',', ';']).map(|i| i + before[i..].chars().next().unwrap().len_utf8()).unwrap_or(0);
        let mut label = &before[cut..];
        let label_start = prev_end + cut;
        for strip in ["其中", "我部门", "我单位", "本单位", "本部门"] {
            label = label.trim_start_matches(strip);
        }
        for strip in ["为", "是", "共计", "共", "合计", "达", "计"] {
            label = label.trim_end_matches(strip);
        }
        let label = YEAR_WORD.replace_all(label, "").trim_start_matches('度').trim_start_matches(['，', ' ']).to_string();
        out.push(Found { label, amount: c[1].to_string(), unit: c[2].to_string(), span: m.range(), label_start });
        prev_end = m.end();
    }
    out
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn places(s: &str) -> u32 {
    s.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

enum Kind {
    Income,
    Expenditure,
    Assets,
}

fn kind_of(found: &[Found]) -> Option<Kind> {
    let first = &found.first()?.label;
    if first.ends_with("收入") && (first.contains("总") || first.contains("合计") || first == "收入" || first.contains("本年")) {
        Some(Kind::Income)
    } else if first.ends_with("支出") && (first.contains("总") || first.contains("合计") || first == "支出" || first.contains("本年")) {
        Some(Kind::Expenditure)
    } else if first.contains("固定资产原值") || first == "原值" {
        Some(Kind::Assets)
    } else {
        None
    }
}

fn expenditure_key(label: &str, first: bool) -> Option<&'static str> {
    Some(if first {
        "total"
    } else if label.ends_with("基本支出") {
        "basic"
    } else if label.ends_with("人员经费") || label.ends_with("人员支出") {
        "personnel"
    } else if label.ends_with("公用经费") || label.ends_with("公用支出") {
        "public"
    } else if label.ends_with("项目支出") {
        "project"
    } else {
        return None;
    })
}

fn asset_key(label: &str) -> Option<&'static str> {
    Some(if label.contains("原值") {
        "original"
    } else if label.contains("折旧") {
        "depreciation"
    } else if label.contains("净值") {
        "net"
    } else {
        return None;
    })
}

/// Replace each amount of `found` by its placeholder, and the year by `{year}`.
fn sentence(text: &str, found: &[Found], keys: &[String], year: Option<i32>) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (f, k) in found.iter().zip(keys) {
        out.push_str(&text[at..f.span.start]);
        out.push_str(&format!("{{{k}}}"));
        at = f.span.end;
    }
    out.push_str(&text[at..]);
    let out = out.replace('{', "\u{1}").replace('}', "\u{2}");
    let out = YEAR_WORD.replace_all(&out, |c: &regex::Captures| {
        if Some(c[1].parse::<i32>().unwrap_or(0)) == year { "\u{1}year\u{2}年".to_string() } else { c[0].to_string() }
    });
    // Braces in the text itself print as braces.
    out.replace('{', "{{").replace('}', "}}").replace('\u{1}', "{").replace('\u{2}', "}")
}

pub fn recognise(mut doc: Doc, summary: &mut Summary) -> Doc {
    let mut fin = FinanceOut { decimals: 2, ..FinanceOut::default() };
    let year = doc.year.or_else(|| guess_year(&doc.sections));
    doc.year = year;
    walk(&mut doc.sections, &mut fin, year, summary);
    if fin.income.is_some() || !fin.expenditure.is_empty() || !fin.fixed_assets.is_empty() {
        doc.finance = Some(fin);
    }
    doc
}

/// The year most often written as `2022年`.
fn guess_year(secs: &[Sec]) -> Option<i32> {
    let mut counts = std::collections::BTreeMap::<i32, usize>::new();
    fn go(secs: &[Sec], counts: &mut std::collections::BTreeMap<i32, usize>) {
        for s in secs {
            for t in std::iter::once(&s.title).chain(s.run_in.iter()).chain(s.blocks.iter().filter_map(|b| match b {
                Blk::Para(t, _) => Some(t),
                _ => None,
            })) {
                for c in YEAR_WORD.captures_iter(t) {
                    *counts.entry(c[1].parse().unwrap_or(0)).or_default() += 1;
                }
            }
            go(&s.sections, counts);
        }
    }
    go(secs, &mut counts);
    counts.into_iter().max_by_key(|(y, n)| (*n, *y)).map(|(y, _)| y)
}

fn walk(secs: &mut [Sec], fin: &mut FinanceOut, year: Option<i32>, summary: &mut Summary) {
    for s in secs {
        for b in &mut s.blocks {
            let Blk::Para(text, at) = b else { continue };
            let at = *at;
            match try_sentence(text, fin, year) {
                Ok(Some(f)) => {
                    summary.figures += 1;
                    summary.paragraphs = summary.paragraphs.saturating_sub(1);
                    *b = Blk::Figures(f);
                }
                Ok(None) => {}
                Err(why) => summary.note(at, format!("收支数字未转为 [finance]，保留为段落：{why}")),
            }
        }
        walk(&mut s.sections, fin, year, summary);
    }
}

fn try_sentence(text: &str, fin: &mut FinanceOut, year: Option<i32>) -> Result<Option<String>, String> {
    let found = amounts(text);
    let Some(kind) = kind_of(&found) else { return Ok(None) };
    let unit = found[0].unit.clone();
    if found.iter().any(|f| f.unit != unit) {
        return Err("同一句中既有元又有万元".into());
    }
    if let Some(u) = &fin.money_unit {
        if *u != unit {
            return Err(format!("金额单位（{unit}）与前面的收支句（{u}）不同"));
        }
    }
    let max_places = if unit == "万元" { 6 } else { 2 };
    if let Some(f) = found.iter().find(|f| places(&f.amount) > max_places) {
        return Err(format!("金额 {}{} 的小数位过多", f.amount, f.unit));
    }
    let keys: Vec<String>;
    match kind {
        Kind::Income => {
            if fin.income.is_some() {
                return Err("前面已有一句收入".into());
            }
            let total = found[0].amount.clone();
            let sources: Vec<(String, String)> = found[1..].iter().map(|f| (f.label.clone(), f.amount.clone())).collect();
            if sources.iter().any(|(n, _)| n.is_empty() || n.chars().count() > 30 || n.contains(['{', '}', ' '])) {
                return Err("有金额前没有收入项目的名称".into());
            }
            if !sources.is_empty() {
                let sum: Decimal = sources.iter().map(|(_, a)| dec(a)).sum();
                if sum != dec(&total) {
                    return Err(format!("各项收入之和 {sum} 不等于总收入 {total}"));
                }
            }
            // `{income.sources}` prints `名称金额元，…`: use it where the text reads so.
            let canonical: String =
                found[1..].iter().map(|f| format!("{}{}{}", f.label, f.amount, f.unit)).collect::<Vec<_>>().join("，");
            if found.len() > 1 && text[found[1].label_start..found[found.len() - 1].span.end] == canonical {
                let head = sentence(&text[..found[1].label_start], &found[..1], &["income.total".into()], year);
                let tail = sentence(&text[found[found.len() - 1].span.end..], &[], &[], year);
                fin.income = Some((total, sources));
                fin.money_unit = Some(unit);
                fin.decimals = fin.decimals.max(found.iter().map(|f| places(&f.amount)).max().unwrap_or(0));
                return Ok(Some(format!("{head}{{income.sources}}{tail}")));
            }
            keys = std::iter::once("income.total".to_string()).chain(sources.iter().map(|(n, _)| format!("income.{n}"))).collect();
            fin.income = Some((total, sources));
        }
        Kind::Expenditure => {
            if !fin.expenditure.is_empty() {
                return Err("前面已有一句支出".into());
            }
            let mut parts: Vec<(&'static str, String)> = Vec::new();
            for (i, f) in found.iter().enumerate() {
                let k = expenditure_key(&f.label, i == 0).ok_or_else(|| format!("不认识的支出项目“{}”", f.label))?;
                if parts.iter().any(|(p, _)| *p == k) {
                    return Err(format!("“{}”出现了两次", f.label));
                }
                parts.push((k, f.amount.clone()));
            }
            let get = |k: &str| parts.iter().find(|(p, _)| *p == k).map(|(_, a)| dec(a));
            if let (Some(t), Some(b), Some(p)) = (get("total"), get("basic"), get("project")) {
                if b + p != t {
                    return Err(format!("基本支出 {b} + 项目支出 {p} 不等于总支出 {t}"));
                }
            }
            if let (Some(b), Some(p), Some(u)) = (get("basic"), get("personnel"), get("public")) {
                if p + u != b {
                    return Err(format!("人员经费 {p} + 公用经费 {u} 不等于基本支出 {b}"));
                }
            }
            keys = parts.iter().map(|(k, _)| format!("expenditure.{k}")).collect();
            fin.expenditure = parts;
        }
        Kind::Assets => {
            if !fin.fixed_assets.is_empty() {
                return Err("前面已有一句固定资产".into());
            }
            let mut parts: Vec<(&'static str, String)> = Vec::new();
            for f in &found {
                let k = asset_key(&f.label).ok_or_else(|| format!("不认识的资产项目“{}”", f.label))?;
                if parts.iter().any(|(p, _)| *p == k) {
                    return Err(format!("“{}”出现了两次", f.label));
                }
                parts.push((k, f.amount.clone()));
            }
            let get = |k: &str| parts.iter().find(|(p, _)| *p == k).map(|(_, a)| dec(a));
            if let (Some(o), Some(d), Some(n)) = (get("original"), get("depreciation"), get("net")) {
                if o - d != n {
                    return Err(format!("原值 {o} − 累计折旧 {d} 不等于净值 {n}"));
                }
            }
            keys = parts.iter().map(|(k, _)| format!("fixed_assets.{k}")).collect();
            fin.fixed_assets = parts;
        }
    }
    fin.money_unit = Some(unit);
    fin.decimals = fin.decimals.max(found.iter().map(|f| places(&f.amount)).max().unwrap_or(0));
    Ok(Some(sentence(text, &found, &keys, year)))
}
