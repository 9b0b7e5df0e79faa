//! TOML text → the model, reporting every problem at once.
//!
//! Syntax errors come from the parser's recovering mode, each explained in
//! Chinese (see [`crate::input::syntax_help`]). Wrong types, unknown and missing keys
//! come from deserializing: each error is recorded, the entry it is about is
//! taken out (or, for a missing key, a stand-in is put in) and the document
//! is read again, so one mistake never hides the next. The key paths taken
//! out or stood in for are "tainted": rules on figures there would speak of
//! numbers the user did not write, so their findings are dropped.

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::base::diagnostic::Finding;
use crate::input::key_path::{self, Seg};
use crate::input::model::Report;

/// The outcome of reading a data file.
#[derive(Clone)]
pub struct Parsed {
    /// The report, when it could be read at all (perhaps with entries taken out).
    pub report: Option<Report>,
    /// Every syntax, type and key error, in the order of the file.
    pub findings: Vec<Finding>,
    /// Key paths whose values were taken out or stood in for.
    pub tainted: Vec<String>,
}

impl Parsed {
    /// Whether a rule's finding speaks of a figure that was taken out.
    pub fn is_tainted(&self, f: &Finding) -> bool {
        // The finding is about a tainted entry, something inside it, or the
        // table that holds it (a rule on the table reads the missing entry).
        let hit = |p: &str| {
            self.tainted.iter().any(|t| {
                p == t || p.starts_with(&format!("{t}.")) || p.starts_with(&format!("{t}[")) || t.starts_with(&format!("{p}."))
            })
        };
        (!f.path.is_empty() && hit(&f.path)) || f.related.iter().any(|r| hit(r))
    }
}

/// How many entries may be taken out before giving up: a file with more
/// mistakes than this is not worth reading further.
const MAX_ROUNDS: usize = 200;
/// Syntax errors explained one by one.
const MAX_EXPLAINED: usize = 100;
/// Bytes of document the rounds may read again in all.
const WORK_BUDGET: usize = 20_000_000;

pub fn parse(text: &str) -> Parsed {
    if text.trim().is_empty() {
        return Parsed {
            report: None,
            findings: vec![Finding::error("", "数据文件是空的：至少需要 unit（单位名称）和 year（年度）")],
            tainted: Vec::new(),
        };
    }
    let (mut root, errors) = DeTable::parse_recoverable(text);
    let mut findings = Vec::new();
    let mut tainted = Vec::new();
    // Each explanation reads around its place in the text: past a hundred, a
    // file (perhaps made to hurt) gets a count instead of an essay.
    if errors.len() > MAX_EXPLAINED {
        let mut f = Finding::error(
            "",
            format!("还有 {} 处语法错误未逐一列出：请先改正以上 {MAX_EXPLAINED} 处，再运行 jixiao check", errors.len() - MAX_EXPLAINED),
        );
        f.span = errors[MAX_EXPLAINED].span();
        findings.push(f);
    }
    for e in errors.iter().take(MAX_EXPLAINED) {
        let span = e.span().unwrap_or(0..0);
        let (message, span) =
            crate::input::syntax_help::explain(text, span.clone(), e.message()).unwrap_or_else(|| (translate(e.message()), span));
        let path = path_at(root.get_ref(), span.start).map(|p| key_path::format(&p)).unwrap_or_default();
        if !path.is_empty() {
            tainted.push(path.clone());
        }
        let mut f = Finding::error(path, message);
        f.span = Some(span);
        findings.push(f);
    }
    // Stand-ins for missing keys get spans past the end of the text, so an
    // error about a stand-in (of the wrong type) is told from the user's own.
    let stand_in_base = text.len() + 1;
    let mut stand_ins: Vec<(Vec<Seg>, String, usize)> = Vec::new();
    let mut report = None;
    // Each round reads the whole document again: fewer rounds for a big
    // file, so the work stays linear in its size.
    let rounds = (WORK_BUDGET / text.len().max(1)).clamp(3, MAX_ROUNDS);
    for _ in 0..rounds {
        let e = match Report::deserialize(root.clone().into_deserializer()) {
            Ok(r) => {
                report = Some(r);
                break;
            }
            Err(e) => e,
        };
        let span = e.span();
        // An error about a stand-in: try the next kind of value.
        if let Some(k) = span.as_ref().and_then(|s| s.start.checked_sub(stand_in_base)).filter(|k| *k < stand_ins.len()) {
            let (table, key, tried) = stand_ins[k].clone();
            if tried + 1 >= STAND_INS.len() {
                break;
            }
            stand_ins[k].2 = tried + 1;
            if let Some(t) = table_at(root.get_mut(), &table) {
                t.insert(Spanned::new(0..0, Cow::Owned(key)), Spanned::new(stand_in_base + k..stand_in_base + k, stand_in(tried + 1)));
            }
            continue;
        }
        let message = e.message().trim().to_string();
        if let Some(rest) = message.strip_prefix("missing field `") {
            let key = rest.split('`').next().unwrap_or(rest).to_string();
            let table = span.as_ref().and_then(|s| table_path_at(root.get_ref(), s.start)).unwrap_or_default();
            let path = join(&key_path::format(&table), &key);
            // A key taken out for a wrong value is not missing: it was named already.
            if !tainted.contains(&path) {
                let mut f = Finding::error(path.clone(), translate(&message));
                f.span = span.filter(|s| s.start < text.len());
                findings.push(f);
                tainted.push(path);
            }
            let k = stand_ins.len();
            stand_ins.push((table.clone(), key.clone(), 0));
            match table_at(root.get_mut(), &table) {
                Some(t) => {
                    t.insert(Spanned::new(0..0, Cow::Owned(key)), Spanned::new(stand_in_base + k..stand_in_base + k, stand_in(0)));
                }
                None => break,
            }
            continue;
        }
        let at = span.as_ref().map_or(0, |s| s.start);
        let Some(seg) = path_at(root.get_ref(), at) else {
            let mut f = Finding::error("", translate(&message));
            f.span = span;
            findings.push(f);
            break;
        };
        let path = key_path::format(&seg);
        // A block emptied by taking out its unknown key was named already.
        let emptied = message.starts_with("wanted exactly 1 element, found 0") && tainted.iter().any(|t| t.starts_with(&path));
        let mut f = Finding::error(path, explain_value(&message, text, span.as_ref()));
        f.span = span;
        if !emptied {
            findings.push(f);
        }
        let mut whole = seg.clone();
        while matches!(whole.last(), Some(Seg::Index(_))) {
            whole.pop();
        }
        tainted.push(key_path::format(&whole));
        if !remove_at(root.get_mut(), &seg) {
            break;
        }
    }
    // The parser's recovery and the reading after it can report one mistake
    // several times: keep the first finding on each line, and drop missing
    // keys altogether when the file has syntax errors (the key may well be
    // there, on a line the parser could not read).
    if !errors.is_empty() {
        findings.retain(|f| !f.message.starts_with("缺少必填的键"));
    }
    findings.sort_by_key(|f| f.span.as_ref().map_or(usize::MAX, |s| s.start));
    let line_starts = crate::input::parse::line_starts(text);
    let mut seen_lines = std::collections::HashSet::new();
    findings.retain(|f| {
        let Some(span) = &f.span else { return true };
        seen_lines.insert(line_starts.partition_point(|&s| s <= span.start))
    });
    if report.is_none() && findings.is_empty() {
        findings.push(Finding::error("", "数据文件无法读取（错误太多）"));
    }
    if let Some(DeValue::Array(sections)) = root.get_ref().get("sections").map(|v| v.get_ref()) {
        blocks_after_subsections(sections, "sections", &mut findings);
    }
    Parsed { report, findings, tainted }
}

/// A `[[sections.blocks]]` written after a subsection belongs to the parent
/// section (a TOML array of tables attaches to the nearest parent), so the
/// text prints before the subsections though the file has it after them:
/// almost always a mistake in the nesting.
fn blocks_after_subsections(sections: &[Spanned<DeValue>], path: &str, out: &mut Vec<Finding>) {
    let items = |t: &DeTable, key: &str| -> Vec<Range<usize>> {
        match t.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Array(a)) => a.iter().map(|v| v.span()).collect(),
            _ => Vec::new(),
        }
    };
    for (i, s) in sections.iter().enumerate() {
        let DeValue::Table(t) = s.get_ref() else { continue };
        let here = format!("{path}[{i}]");
        let (blocks, subs) = (items(t, "blocks"), items(t, "sections"));
        let late = subs.first().and_then(|first| blocks.iter().enumerate().find(|(_, b)| b.start > first.start));
        if let Some((b, late)) = late {
            let mut f = Finding::warning(
                format!("{here}.blocks[{b}]"),
                "这个块写在下级章节之后，却属于上一层的章节：会印在本节标题之下、下级章节之前，而不是文件中的位置。\
                 要让它属于前面的下级章节，表头要多写一层 .sections（如 [[sections.sections.blocks]]）；\
                 要让它留在本节，请把它移到第一个下级章节之前"
                    .to_string(),
            );
            f.span = Some(late.clone());
            out.push(f);
        }
        if let Some(DeValue::Array(kids)) = t.get("sections").map(|v| v.get_ref()) {
            blocks_after_subsections(kids, &format!("{here}.sections"), out);
        }
    }
}

/// Values put in for a missing key, tried in turn until one has the type.
const STAND_INS: [&str; 4] = ["\"0\"", "2000", "[]", "{}"];

fn stand_in(i: usize) -> DeValue<'static> {
    let doc: &'static str = match i {
        0 => "v = \"0\"",
        1 => "v = 2000",
        2 => "v = []",
        _ => "v = {}",
    };
    DeTable::parse(doc).ok().and_then(|t| t.into_inner().remove("v")).map_or(DeValue::Boolean(false), Spanned::into_inner)
}

fn join(table: &str, key: &str) -> String {
    if table.is_empty() { key.to_string() } else { format!("{table}.{key}") }
}

fn contains(span: &Range<usize>, at: usize) -> bool {
    span.start <= at && at < span.end.max(span.start + 1)
}

/// The deepest entry whose key or value holds the byte `at`: its path.
fn path_at(table: &DeTable, at: usize) -> Option<Vec<Seg>> {
    for (k, v) in table.iter() {
        let here = vec![Seg::Key(k.get_ref().to_string())];
        if let Some(mut deeper) = value_path_at(v, at) {
            let mut p = here;
            p.append(&mut deeper);
            return Some(p);
        }
        if contains(&k.span(), at) || contains(&v.span(), at) {
            return Some(here);
        }
    }
    None
}

/// Within a value: the path below it to the deepest entry holding `at`.
fn value_path_at(v: &Spanned<DeValue>, at: usize) -> Option<Vec<Seg>> {
    match v.get_ref() {
        DeValue::Table(t) => path_at(t, at),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(mut deeper) = value_path_at(item, at) {
                    let mut p = vec![Seg::Index(i)];
                    p.append(&mut deeper);
                    return Some(p);
                }
                if contains(&item.span(), at) && !matches!(item.get_ref(), DeValue::Table(_)) {
                    return Some(vec![Seg::Index(i)]);
                }
            }
            None
        }
        _ => None,
    }
}

/// The path of the deepest table whose span holds `at` (a missing key's
/// table); empty for the document.
fn table_path_at(table: &DeTable, at: usize) -> Option<Vec<Seg>> {
    for (k, v) in table.iter() {
        let key = Seg::Key(k.get_ref().to_string());
        match v.get_ref() {
            DeValue::Table(t) => {
                if let Some(mut deeper) = table_path_at(t, at) {
                    let mut p = vec![key];
                    p.append(&mut deeper);
                    return Some(p);
                }
                if contains(&v.span(), at) {
                    return Some(vec![key]);
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        if let Some(mut deeper) = table_path_at(t, at) {
                            let mut p = vec![key.clone(), Seg::Index(i)];
                            p.append(&mut deeper);
                            return Some(p);
                        }
                        if contains(&item.span(), at) {
                            return Some(vec![key.clone(), Seg::Index(i)]);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn table_at<'a, 'i>(root: &'a mut DeTable<'i>, path: &[Seg]) -> Option<&'a mut DeTable<'i>> {
    let mut table = root;
    let mut i = 0;
    while i < path.len() {
        let Seg::Key(k) = &path[i] else { return None };
        let mut v = table.get_mut(k.as_str())?.get_mut();
        i += 1;
        while let Some(Seg::Index(n)) = path.get(i) {
            let DeValue::Array(items) = v else { return None };
            v = items.get_mut(*n)?.get_mut();
            i += 1;
        }
        let DeValue::Table(t) = v else { return None };
        table = t;
    }
    Some(table)
}

/// Take out the entry at `path`. For an item of an array, the whole array
/// is taken out: removing one item would renumber the rest, and the paths
/// named in later findings would no longer match the file.
fn remove_at(root: &mut DeTable, path: &[Seg]) -> bool {
    let mut path = path;
    while let Some((Seg::Index(_), parent)) = path.split_last() {
        path = parent;
    }
    let Some((Seg::Key(k), parent)) = path.split_last() else { return false };
    table_at(root, parent).and_then(|t| t.remove(k.as_str())).is_some()
}

/// A value error in Chinese, with what to type instead for the common slips
/// in a number: thousands separators, full-width digits, a unit, 万, 分 or %
/// typed after it.
fn explain_value(message: &str, text: &str, span: Option<&Range<usize>>) -> String {
    let value = span.and_then(|s| text.get(s.clone())).unwrap_or("").trim().trim_matches('"');
    let base = translate(message);
    if message.contains("不是数字") || message.contains("invalid type") {
        if let Some(hint) = number_slip(value) {
            return format!("{base}：{hint}");
        }
    }
    base
}

/// What was typed around a number, and the number to write instead.
fn number_slip(value: &str) -> Option<String> {
    // Full-width forms (Chinese input methods) to their ASCII forms.
    let half: String = value
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            '－' | '—' => '-',
            '％' => '%',
            _ => c,
        })
        .collect();
    let wide = half != value.trim();
    let digits_end = half.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-')).unwrap_or(half.len());
    let (number, rest) = half.split_at(digits_end);
    let plain: String = number.chars().filter(|&c| c != ',').collect();
    if !plain.chars().any(|c| c.is_ascii_digit()) || plain.parse::<rust_decimal::Decimal>().is_err() {
        return None;
    }
    let rest = rest.trim();
    let comma = number.contains(',');
    let hint = match rest {
        "" if wide => format!("数字请用半角（英文状态）输入，写成 \"{plain}\""),
        "" if comma => format!("去掉千分位逗号，写成 \"{plain}\""),
        "" => return None,
        "万" | "万元" | "亿" | "亿元" => {
            let factor = if rest.starts_with('万') { 10_000 } else { 100_000_000 };
            let yuan = plain.parse::<rust_decimal::Decimal>().ok()?.checked_mul(factor.into())?.normalize();
            format!(
                "金额里不要写“{rest}”：金额的单位在 [finance] 的 money_unit 中写一次（不写时为元）。以元为单位写成 \"{yuan}\"；报告以万元为单位时，写 money_unit = \"万元\"，这里写 \"{plain}\""
            )
        }
        "元" => format!("不要写单位（单位在 finance.money_unit 中写一次），写成 \"{plain}\""),
        "分" => format!("分值和得分只写数字，不写“分”，写成 {plain}"),
        "%" => format!("百分数只写数字，不写“%”，写成 {plain}"),
        unit if unit.chars().count() <= 4 && unit.chars().all(|c| !c.is_ascii_digit()) => format!("只写数字，不写单位“{unit}”，写成 \"{plain}\""),
        _ => return None,
    };
    Some(hint)
}

/// Turn serde's and toml's English messages into Chinese; keep anything
/// unrecognised as it is, behind a Chinese lead.
pub fn translate(message: &str) -> String {
    let msg = message.trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        return unknown(rest, "未知的键", "此处可用的键");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        return unknown(rest, "未知的取值或块类型", "可用的有");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("缺少必填的键 `{field}`");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return format!("类型不对：这里需要{}，实际是{}", expected_zh(expected), found_zh(found));
    }
    if msg.contains("recurse") && msg.contains("depth") {
        return "嵌套层数太多（数组或表一层套一层超过了上限）；数据文件中的数组和表最多嵌套几层即可".into();
    }
    if msg.starts_with("wanted exactly 1 element, found 0") {
        return "这个块是空的：每个块写一个键，如 paragraph = \"一段正文。\"".into();
    }
    if msg.starts_with("wanted exactly 1 element") {
        return "一个块只能写一个键（paragraph、list、table 等），这里写了好几个；请分成几个块，每个块前写一行块的表头（如 [[sections.blocks]]）".into();
    }
    if msg.starts_with("duplicate key") {
        return "这个键在同一个表中写了两次；请删去其中一个".into();
    }
    if msg.contains("invalid table header") || msg.contains("duplicate table") {
        return "这个表头重复或写法不对（如 [finance] 写了两次）；请合并成一个".into();
    }
    if msg.contains("expected") || msg.contains("invalid") || msg.contains("unclosed") {
        return format!("TOML 写法有误（{msg}）；请对照起步文件（jixiao init）检查这一行的引号、等号和括号");
    }
    msg.to_string()
}

/// `titel`, expected one of `title`, … → the word, the nearest choice, all choices.
fn unknown(rest: &str, lead: &str, listed: &str) -> String {
    let (word, expected) = rest.split_once('`').unwrap_or((rest, ""));
    let choices = backticked(expected);
    let mut out = format!("{lead} `{word}`");
    if let Some(near) = nearest(word, &choices) {
        out.push_str(&format!("，是否想写 `{near}`？"));
    }
    if !choices.is_empty() {
        out.push_str(&format!("（{listed}：{}）", choices.join("、")));
    }
    out
}

fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn expected_zh(e: &str) -> String {
    match e {
        "a string" => "文字（用英文双引号括起来）".into(),
        "i32" | "u32" | "i64" | "u64" | "an integer" => "整数".into(),
        "a boolean" => "true 或 false".into(),
        "a sequence" => "数组（用方括号 [ ] 括起来）".into(),
        "a TOML datetime" | "a datetime" => "日期（如 2026-03-15，不加引号）".into(),
        _ if e.starts_with("struct") || e.starts_with("a map") || e.contains("table") => "表".into(),
        _ if e.starts_with("数字") || e.starts_with("金额") => e.to_string(),
        _ => e.to_string(),
    }
}

fn found_zh(f: &str) -> String {
    if let Some(s) = f.strip_prefix("string ") {
        return format!("文字 {s}");
    }
    if let Some(n) = f.strip_prefix("integer ") {
        return format!("整数 {n}");
    }
    if let Some(n) = f.strip_prefix("floating point ") {
        return format!("小数 {n}");
    }
    match f {
        "sequence" => "数组".into(),
        "map" => "表".into(),
        _ if f.starts_with("boolean") => f.replace("boolean", "布尔值"),
        _ => f.to_string(),
    }
}

/// The choice closest to a mistyped key, when it is close enough to suggest.
fn nearest(word: &str, choices: &[String]) -> Option<String> {
    choices
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Byte offset of each line's start in `text`.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_near_one() {
        let m = translate("unknown field `titel`, expected one of `title`, `run_in`, `weight`");
        assert!(m.contains("未知的键 `titel`"), "{m}");
        assert!(m.contains("是否想写 `title`"), "{m}");
    }

    #[test]
    fn every_mistake_at_once() {
        let text = "unit = \"示例局\"\nyear = 2023\ntitel = \"x\"\n[finance]\nbudget = \"1,200.00\"\n[[sections]]\ntitle = \"a\"\nweight = \"五\"\n";
        let p = parse(text);
        let paths: Vec<&str> = p.findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["titel", "finance.budget", "sections[0].weight"], "{:?}", p.findings);
        assert!(p.report.is_some());
        assert!(p.findings[1].message.contains("去掉千分位逗号"), "{}", p.findings[1].message);
    }

    #[test]
    fn a_missing_key_is_named_and_the_rest_still_read() {
        let text = "year = 2023\n[[sections]]\ntitel = \"a\"\n";
        let p = parse(text);
        let msgs: Vec<String> = p.findings.iter().map(|f| format!("{}：{}", f.path, f.message)).collect();
        assert!(msgs.iter().any(|m| m.starts_with("unit：缺少必填的键")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("sections[0].titel：未知的键")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("sections[0].title：缺少必填的键")), "{msgs:?}");
    }
}
