//! The finance sentences: income, expenditure and fixed assets, in the
//! wordings reports use. A paragraph is cut into sentences (a `其中…` goes
//! with the sentence before it); a sentence is recognised by its parts — a
//! subject (`收入总计`, `总支出`, `支出:`), an amount with its unit (元 or
//! 万元), the `其中` parts, last year's figure and the growth — and becomes
//! `[finance]` plus placeholders. The paragraph becomes a `figures` block
//! when one of its sentences is understood; the other sentences stay as
//! written in it. Parts that do not add up are imported as the report
//! states them (its numbers are the truth) and `check` names the difference.
//! Whether the placeholders print back the very text is verified after the
//! data is written (`super::verify_figures`).

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::Summary;
use super::doc::{Amt, Blk, Doc, FinanceOut, Sec};

/// An amount, a percentage, with what is written before it.
struct Found {
    /// The words between the previous delimiter and the number.
    label: String,
    amount: String,
    /// `万元`, `元` or `%`.
    unit: String,
    /// Byte range of the number and its unit.
    span: std::ops::Range<usize>,
    /// Byte start of the label.
    label_start: usize,
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+(?:\.\d+)?)\s*(万元|元|%|％)").unwrap());
static YEAR_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20|21)\d{2})(年)").unwrap());
static INCOME_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:部门|单位|全年|本年度?|年度|全年度|整体|决算|当年)*(?:总收入|收入(?:总额|总计|合计|共计|共|总数)?|收入总额)$").unwrap()
});
static EXPENDITURE_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:部门|单位|全年|本年度?|年度|全年度|整体|决算|当年)*(?:总支出|支出(?:总额|总计|合计|共计|共|总数)?|支出总额)$").unwrap()
});
static GROWTH_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(增加|减少|增长|下降|降低|上升|增幅|降幅|减幅)了?$").unwrap());
static PRIOR_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"上年|去年|上一年|上年度|上年同期").unwrap());

/// Every amount and percentage of `s`, with its label. None when a number
/// cannot be read safely (thousands separators, a number glued to another).
fn amounts(s: &str) -> Option<Vec<Found>> {
    let mut out = Vec::new();
    let mut prev_end = 0;
    for c in AMOUNT.captures_iter(s) {
        let m = c.get(0)?;
        if s[..m.start()].ends_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '.' || ch == ',' || ch == '，' && s[..m.start()].trim_end_matches('，').ends_with(|d: char| d.is_ascii_digit())) {
            return None;
        }
        let before = &s[prev_end..m.start()];
        // `支出:816.23万元`: the delimiter right before the number ends no label.
        let trimmed = before.trim_end_matches([':', '：', ' ']);
        let cut = trimmed.rfind(['，', '、', '；', '。', '：', ',', ';', ':', '（', '(']).map(|i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8)).unwrap_or(0);
        out.push(Found {
            label: trimmed[cut..].to_string(),
            amount: c[1].to_string(),
            unit: c[2].replace('％', "%"),
            span: m.range(),
            label_start: prev_end + cut,
        });
        prev_end = m.end();
    }
    Some(out)
}

/// A label without the words round the name: `其中`, `我部门`, the year, `为`…
fn clean(label: &str) -> String {
    let mut l = YEAR_WORD.replace_all(label, "").into_owned();
    l = l.trim_start_matches('度').trim_start_matches(['，', ' ']).to_string();
    for strip in ["其中", "我部门", "我单位", "本单位", "本部门", "我局", "我中心", "我委", "我院", "全年", "实现", "完成", "：", ":"] {
        l = l.trim_start_matches(strip).to_string();
    }
    for strip in ["为", "是", "共计", "总计", "合计", "达到", "共", "达", "计", "数", "的"] {
        if l.chars().count() > strip.chars().count() + 1 {
            l = l.trim_end_matches(strip).to_string();
        }
    }
    l.trim().to_string()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn places(s: &str) -> u32 {
    s.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Income,
    Expenditure,
    Assets,
}

/// The subject of a sentence, from its first amount's label.
fn kind_of(label: &str) -> Option<Kind> {
    let l = clean(label).replace(['总', '计'], "");
    let raw = clean(label);
    if INCOME_TOTAL.is_match(&raw) || l == "收入" {
        Some(Kind::Income)
    } else if EXPENDITURE_TOTAL.is_match(&raw) || l == "支出" {
        Some(Kind::Expenditure)
    } else if raw.contains("固定资产原值") || raw == "原值" || raw.contains("固定资产总额") {
        Some(Kind::Assets)
    } else {
        None
    }
}

fn expenditure_key(label: &str) -> Option<&'static str> {
    let l = clean(label);
    Some(if l.contains("基本支出") || l == "基本" {
        "basic"
    } else if l.contains("人员经费") || l.contains("人员支出") {
        "personnel"
    } else if l.contains("公用经费") || l.contains("公用支出") {
        "public"
    } else if l.contains("项目支出") || l.contains("项目经费") {
        "project"
    } else {
        return None;
    })
}

fn asset_key(label: &str) -> Option<&'static str> {
    Some(if label.contains("原值") || label.contains("固定资产总额") {
        "original"
    } else if label.contains("折旧") {
        "depreciation"
    } else if label.contains("净值") || label.contains("净额") {
        "net"
    } else {
        return None;
    })
}

/// What one number of a sentence says of the amount before it.
enum Role {
    /// A new amount: the subject's total or one of its parts.
    Main,
    Prior,
    /// A growth, with its sign: `减少` is negative.
    Growth(bool),
    Rate(bool),
    /// A percentage that is no growth rate (a share): left as written.
    Other,
}

fn role(f: &Found) -> Role {
    let negative = |l: &str| ["减少", "下降", "降低", "降幅", "减幅"].iter().any(|w| l.contains(w));
    let grows = GROWTH_WORD.is_match(&f.label);
    if f.unit == "%" {
        return if grows { Role::Rate(negative(&f.label)) } else { Role::Other };
    }
    if grows {
        return Role::Growth(negative(&f.label));
    }
    if PRIOR_WORD.is_match(&f.label) {
        return Role::Prior;
    }
    Role::Main
}

/// Cut a paragraph into sentences at `。` and `；`; a sentence that starts
/// with `其中` belongs to the one before it. Returns byte ranges.
fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '。' || c == '；' {
            let end = i + c.len_utf8();
            let piece = &text[start..end];
            match out.last_mut() {
                Some(prev) if piece.trim_start().starts_with("其中") => prev.end = end,
                _ => out.push(start..end),
            }
            start = end;
        }
    }
    if start < text.len() {
        let piece = &text[start..];
        match out.last_mut() {
            Some(prev) if piece.trim_start().starts_with("其中") => prev.end = text.len(),
            _ => out.push(start..text.len()),
        }
    }
    out
}

/// Text as a `figures` template reads it: braces doubled, this year's `2022年` as `{year}年`.
fn literal(text: &str, year: Option<i32>) -> String {
    let out = text.replace('{', "{{").replace('}', "}}");
    YEAR_WORD
        .replace_all(&out, |c: &regex::Captures| {
            if Some(c[1].parse::<i32>().unwrap_or(0)) == year { "{year}年".to_string() } else { c[0].to_string() }
        })
        .into_owned()
}

/// The template of `text` with each found number replaced by its key.
fn template(text: &str, found: &[Found], keys: &[Option<String>], year: Option<i32>) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (f, k) in found.iter().zip(keys) {
        let Some(k) = k else { continue };
        out.push_str(&literal(&text[at..f.span.start], year));
        out.push_str(&format!("{{{k}}}"));
        at = f.span.end;
    }
    out.push_str(&literal(&text[at..], year));
    out
}

pub fn recognise(mut doc: Doc, summary: &mut Summary) -> Doc {
    let mut fin = FinanceOut { decimals: 2, ..FinanceOut::default() };
    let year = doc.year.or_else(|| guess_year(&doc.sections));
    doc.year = year;
    walk(&mut doc.sections, &mut fin, year, summary);
    if fin.income.is_some() || !fin.expenditure.is_empty() || fin.economic.is_some() || !fin.fixed_assets.is_empty() {
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
        // A heading's run-in text: `1.部门整体收入。2022年，我部门总收入为…`.
        if let Some(r) = s.run_in.clone() {
            let (out, any, notes) = convert(&r, fin, year);
            for n in notes {
                summary.notes.push(format!("标题“{}”后的文字：{n}", s.title));
            }
            if any {
                summary.figures += 1;
                s.run_in = Some(out);
                s.run_in_source = Some(r);
            }
        }
        for b in &mut s.blocks {
            let Blk::Para(text, at) = b else { continue };
            let at = *at;
            let (out, any, notes) = convert(text, fin, year);
            for n in notes {
                summary.note(at, n);
            }
            if any {
                summary.figures += 1;
                summary.paragraphs = summary.paragraphs.saturating_sub(1);
                *b = Blk::Figures(out, text.clone(), at);
            }
        }
        walk(&mut s.sections, fin, year, summary);
    }
}

/// A paragraph as a template: its finance sentences as placeholders, the
/// others as written; whether any sentence was one, and the notes.
fn convert(text: &str, fin: &mut FinanceOut, year: Option<i32>) -> (String, bool, Vec<String>) {
    let mut out = String::new();
    let mut any = false;
    let mut notes = Vec::new();
    for r in sentences(text) {
        let piece = &text[r];
        match try_sentence(piece, fin, year) {
            Ok(Some((t, n))) => {
                any = true;
                out.push_str(&t);
                notes.extend(n);
            }
            Ok(None) => out.push_str(&literal(piece, year)),
            Err(why) => {
                notes.push(format!("收支数字未转为 [finance]，保留为原文：{why}"));
                out.push_str(&literal(piece, year));
            }
        }
    }
    (out, any, notes)
}

/// One amount with what the sentence says of last year.
fn attach(amt: &mut Amt, f: &Found, r: &Role) {
    match r {
        Role::Prior => amt.prior = Some(f.amount.clone()),
        Role::Growth(neg) => amt.growth = Some(if *neg { format!("-{}", f.amount) } else { f.amount.clone() }),
        Role::Rate(neg) => amt.rate = Some(if *neg { format!("-{}", f.amount) } else { f.amount.clone() }),
        _ => {}
    }
}

fn suffix(r: &Role) -> &'static str {
    match r {
        Role::Prior => ".prior",
        Role::Growth(_) => ".change",
        Role::Rate(_) => ".change_rate",
        _ => "",
    }
}

/// A sentence's template and the notes on it, if it is a finance sentence.
fn try_sentence(text: &str, fin: &mut FinanceOut, year: Option<i32>) -> Result<Option<(String, Vec<String>)>, String> {
    let Some(found) = amounts(text) else { return Ok(None) };
    let Some(first) = found.iter().position(|f| f.unit != "%") else { return Ok(None) };
    // `按经济分类：工资福利支出…万元，商品和服务支出…万元`: the amounts after
    // these words are another breakdown of the expenditure total.
    let econ = text.find("经济分类");
    let is_econ = |f: &Found| econ.is_some_and(|p| f.span.start > p);
    let kind = match kind_of(&found[first].label) {
        Some(k) => k,
        None if is_econ(&found[first]) => Kind::Expenditure,
        None => return Ok(None),
    };
    let unit = found[first].unit.clone();
    if found.iter().any(|f| f.unit != unit && f.unit != "%") {
        return Err("同一句中既有元又有万元".into());
    }
    if let Some(u) = &fin.money_unit {
        if *u != unit {
            return Err(format!("金额单位（{unit}）与前面的收支句（{u}）不同"));
        }
    }
    let max_places = if unit == "万元" { 6 } else { 2 };
    if let Some(f) = found.iter().find(|f| f.unit != "%" && places(&f.amount) > max_places) {
        return Err(format!("金额 {}{} 的小数位过多", f.amount, f.unit));
    }
    // Each number: which amount it belongs to (index into `mains`) and its role.
    let mut mains: Vec<(String, Amt)> = Vec::new();
    let mut econ_parts: Vec<(String, Amt)> = Vec::new();
    let mut last_econ = false;
    let mut keys: Vec<Option<String>> = Vec::new();
    let mut notes = Vec::new();
    for f in &found[..first] {
        let _ = f;
        keys.push(None);
    }
    let part = |label: &str, i: usize| -> Result<String, String> {
        match kind {
            Kind::Income => {
                let n = clean(label);
                if i == 0 {
                    Ok("total".into())
                } else if n.is_empty() || n.chars().count() > 30 || n.contains(['{', '}', ' ', '.', '%']) {
                    Err("有金额前没有收入项目的名称".into())
                } else {
                    Ok(n)
                }
            }
            Kind::Expenditure => {
                if i == 0 {
                    Ok("total".into())
                } else {
                    expenditure_key(label).map(str::to_string).ok_or_else(|| format!("不认识的支出项目“{}”", clean(label)))
                }
            }
            Kind::Assets => asset_key(label).map(str::to_string).ok_or_else(|| format!("不认识的资产项目“{}”", clean(label))),
        }
    };
    for f in &found[first..] {
        let r = role(f);
        match r {
            Role::Main if kind == Kind::Expenditure && is_econ(f) => {
                let n = clean(&f.label).trim_start_matches("按经济分类").trim_start_matches(['：', ':', '，', ' ']).to_string();
                if n.is_empty() || n.chars().count() > 30 || n.contains(['{', '}', ' ', '.', '%']) {
                    return Err("按经济分类的金额前没有支出项目的名称".into());
                }
                if econ_parts.iter().any(|(p, _)| *p == n) || mains.iter().any(|(p, _)| *p == n) {
                    return Err(format!("“{n}”出现了两次"));
                }
                keys.push(Some(n.clone()));
                econ_parts.push((n, Amt { amount: f.amount.clone(), ..Amt::default() }));
                last_econ = true;
            }
            Role::Main => {
                last_econ = false;
                let k = part(&f.label, mains.len())?;
                if mains.iter().any(|(p, _)| *p == k) {
                    return Err(format!("“{}”出现了两次", clean(&f.label)));
                }
                keys.push(Some(k.clone()));
                mains.push((k, Amt { amount: f.amount.clone(), ..Amt::default() }));
            }
            Role::Other => keys.push(None),
            _ => {
                let last = if last_econ { econ_parts.last_mut() } else { mains.last_mut() };
                let Some((k, amt)) = last else { return Ok(None) };
                attach(amt, f, &r);
                keys.push(Some(format!("{k}{}", suffix(&r))));
            }
        }
    }
    let prefix = match kind {
        Kind::Income => "income",
        Kind::Expenditure => "expenditure",
        Kind::Assets => "fixed_assets",
    };
    let get = |k: &str| mains.iter().find(|(p, _)| p == k).map(|(_, a)| dec(&a.amount));
    match kind {
        Kind::Income => {
            if fin.income.is_some() {
                return Err("前面已有一句收入".into());
            }
            let total = mains[0].1.clone();
            let sources: Vec<(String, Amt)> = mains[1..].to_vec();
            if !sources.is_empty() {
                let sum: Decimal = sources.iter().map(|(_, a)| dec(&a.amount)).sum();
                if sum != dec(&total.amount) {
                    notes.push(format!("各项收入之和 {sum} 不等于总收入 {}：照原文导入，check 会指出差额，请核对原文", total.amount));
                }
            }
            // `{income.sources}` prints `名称金额元，…`: use it where the text reads so.
            let plain = sources.iter().all(|(_, a)| a.prior.is_none() && a.growth.is_none() && a.rate.is_none());
            let n = found.len();
            let canonical: String = found[first + 1..].iter().map(|f| format!("{}{}{}", clean(&f.label), f.amount, f.unit)).collect::<Vec<_>>().join("，");
            fin.income = Some((Some(total), sources));
            if plain && n > first + 1 && found[first + 1..].iter().all(|f| matches!(role(f), Role::Main)) && text[found[first + 1].label_start..found[n - 1].span.end] == canonical {
                let head = template(&text[..found[first + 1].label_start], &found[..first + 1], &keys[..first + 1].iter().map(|k| k.as_ref().map(|k| format!("{prefix}.{k}"))).collect::<Vec<_>>(), year);
                let tail = literal(&text[found[n - 1].span.end..], year);
                set_unit(fin, &unit, &found);
                return Ok(Some((format!("{head}{{income.sources}}{tail}"), notes)));
            }
        }
        Kind::Expenditure => {
            if !fin.expenditure.is_empty() && !mains.is_empty() {
                return Err("前面已有一句支出".into());
            }
            if !econ_parts.is_empty() {
                if fin.economic.is_some() {
                    return Err("前面已有一句按经济分类的支出".into());
                }
                let sum: Decimal = econ_parts.iter().map(|(_, a)| dec(&a.amount)).sum();
                let total = get("total").or_else(|| fin.expenditure.iter().find(|(k, _)| *k == "total").map(|(_, a)| dec(&a.amount)));
                if let Some(t) = total.filter(|t| *t != sum) {
                    notes.push(format!("按经济分类各项之和 {sum} 不等于总支出 {t}：照原文导入，check 会指出差额，请核对原文"));
                }
                fin.economic = Some(econ_parts.clone());
            }
            if let (Some(t), Some(b), Some(p)) = (get("total"), get("basic"), get("project")) {
                if b + p != t {
                    notes.push(format!("基本支出 {b} + 项目支出 {p} 不等于总支出 {t}：照原文导入，check 会指出差额，请核对原文"));
                }
            }
            if let (Some(b), Some(p), Some(u)) = (get("basic"), get("personnel"), get("public")) {
                if p + u != b {
                    notes.push(format!("人员经费 {p} + 公用经费 {u} 不等于基本支出 {b}：照原文导入，check 会指出差额，请核对原文"));
                }
            }
            if let (Some(t), None, Some(p), Some(u), Some(j)) = (get("total"), get("basic"), get("personnel"), get("public"), get("project")) {
                if p + u + j != t {
                    notes.push(format!("人员经费 {p} + 公用经费 {u} + 项目支出 {j} 不等于总支出 {t}：照原文导入，check 会指出差额，请核对原文"));
                }
            }
            if !mains.is_empty() {
                fin.expenditure = mains.iter().map(|(k, a)| (exp_key(k), a.clone())).collect();
            }
        }
        Kind::Assets => {
            if !fin.fixed_assets.is_empty() {
                return Err("前面已有一句固定资产".into());
            }
            if let (Some(o), Some(d), Some(n)) = (get("original"), get("depreciation"), get("net")) {
                if o - d != n {
                    notes.push(format!("原值 {o} − 累计折旧 {d} 不等于净值 {n}：照原文导入，check 会指出差额，请核对原文"));
                }
            }
            fin.fixed_assets = mains.iter().map(|(k, a)| (asset_static(k), a.clone())).collect();
        }
    }
    set_unit(fin, &unit, &found);
    let keys: Vec<Option<String>> = keys.into_iter().map(|k| k.map(|k| format!("{prefix}.{k}"))).collect();
    Ok(Some((template(text, &found, &keys, year), notes)))
}

fn exp_key(k: &str) -> &'static str {
    ["total", "basic", "personnel", "public", "project"].into_iter().find(|s| *s == k).unwrap_or("total")
}

fn asset_static(k: &str) -> &'static str {
    ["original", "depreciation", "net"].into_iter().find(|s| *s == k).unwrap_or("original")
}

fn set_unit(fin: &mut FinanceOut, unit: &str, found: &[Found]) {
    fin.money_unit = Some(unit.to_string());
    fin.decimals = fin.decimals.max(found.iter().filter(|f| f.unit != "%").map(|f| places(&f.amount)).max().unwrap_or(0));
}
