//! The outline from the numbering: which paragraphs are headings, at which
//! level, and what the report's numbering style is. Levels come from the
//! order a report uses its kinds of number, not from fixed patterns: the
//! first kind seen is level 1, a new kind starting at 1 opens the next level.

use std::sync::LazyLock;

use regex::Regex;

use super::doc::{Blk, Doc, Sec};
use super::marker::{Kind, Marker, Numeral, default_numbering, parse_marker};
use super::{Hint, Item, Place, Summary};

struct Builder {
    /// Kind of each level, in the order first met; `None` for a level
    /// opened by unnumbered headings (a Word heading style, a bold line).
    levels: Vec<Option<Kind>>,
    patterns: Vec<Option<String>>,
    /// Last number at each open level.
    open: Vec<u32>,
    /// The kind of number that opened each open level (None: a style).
    open_kind: Vec<Option<Kind>>,
    root: Vec<Sec>,
}

impl Builder {
    /// The section list at depth `d` (0 = top) along the open path.
    fn children(&mut self, d: usize) -> &mut Vec<Sec> {
        let mut v = &mut self.root;
        for _ in 0..d {
            v = &mut v.last_mut().expect("open path").sections;
        }
        v
    }

    fn current(&mut self) -> Option<&mut Sec> {
        let d = self.open.len();
        if d == 0 {
            return None;
        }
        self.children(d - 1).last_mut()
    }

    /// Open a section at `level` (0-based, at most one deeper than the open path).
    fn open_at(&mut self, level: usize, number: u32, kind: Option<Kind>, sec: Sec) {
        self.open.truncate(level);
        self.open.push(number);
        self.open_kind.truncate(level);
        self.open_kind.push(kind);
        if self.levels.len() <= level {
            self.levels.resize(level + 1, None);
            self.patterns.resize(level + 1, None);
        }
        self.children(level).push(sec);
    }

    /// The level (0-based) a marker opens, if it is a heading here, and the
    /// number to count on from. `next` is the value of the next marker of
    /// the same kind in the document; `likely` says the paragraph reads as a
    /// heading (short, or styled or bold as one). A repeated or skipped
    /// number is still a heading when what follows confirms it: the next
    /// number continues from it, or from the number it should have had.
    fn level_of(&mut self, m: &Marker, at: Place, next: Option<u32>, likely: bool, summary: &mut Summary) -> Option<(usize, u32)> {
        let shown = |v: u32| {
            let cn = super::marker::cn_numeral(v);
            m.pattern.replace("{cn}", &cn).replace("{n}", &v.to_string())
        };
        match self.levels.iter().position(|k| *k == Some(m.kind)) {
            // The level is open with a heading of another kind (placed there
            // when a level was skipped): this kind's run starts afresh.
            Some(l) if l < self.open.len() && self.open_kind[l] != Some(m.kind) && m.value == 1 => Some((l, 1)),
            Some(l) if l < self.open.len() => {
                let last = self.open[l];
                if m.value == last + 1 {
                    return Some((l, m.value));
                }
                let slip = m.value == last || (m.value > last + 1 && m.value <= last + 3);
                let confirmed = next.is_some_and(|n| n == m.value + 1 || n == last + 2);
                let ends = next.is_none_or(|n| n == 1);
                if slip && likely && (confirmed || ends) {
                    let what = if m.value == last { "重复了上一个编号" } else { "跳过了编号" };
                    summary.note(at, format!(
                        "编号“{}”{what}（前一个是“{}”），仍作为第 {} 层标题导入；生成的编号是“{}”，请核对原文",
                        shown(m.value), shown(last), l + 1, shown(last + 1)
                    ));
                    return Some((l, m.value.max(last + 1)));
                }
                if likely {
                    summary.note(at, format!("编号“{}”与前一个“{}”不接续，作为正文导入，请核对", shown(m.value), shown(last)));
                }
                None
            }
            Some(l) if m.value == 1 => {
                if l > self.open.len() {
                    summary.note(at, format!(
                        "编号“{}”跳过了上一层，已作为第 {} 层标题导入，生成的编号会与原文不同，请核对",
                        shown(1),
                        self.open.len() + 1
                    ));
                }
                Some((self.open.len(), 1))
            }
            // The first heading of a level numbered as if it were not the first.
            Some(l) if l == self.open.len() && m.value <= 3 && likely && next.is_some_and(|n| n == m.value + 1) => {
                summary.note(at, format!("编号“{}”是这一层的第一个标题，仍作为第 {} 层标题导入，生成的编号从 1 起，请核对", shown(m.value), l + 1));
                Some((l, 1))
            }
            Some(_) => {
                if likely {
                    summary.note(at, format!("编号“{}”前面没有同层的标题，作为正文导入，请核对", shown(m.value)));
                }
                None
            }
            None if m.value == 1 || (self.levels.iter().all(Option::is_none) && m.value <= 20) => {
                let d = self.open.len();
                match self.levels.get(d) {
                    Some(Some(_)) => {
                        summary.note(at, format!(
                            "这一层的编号“{}”与报告其他地方同一层的编号不同，已按第 {} 层导入，请核对",
                            m.pattern.replace("{cn}", "一").replace("{n}", "1"),
                            d + 1
                        ));
                    }
                    Some(None) => {
                        self.levels[d] = Some(m.kind);
                        self.patterns[d] = Some(m.pattern.clone());
                    }
                    None => {
                        self.levels.push(Some(m.kind));
                        self.patterns.push(Some(m.pattern.clone()));
                    }
                }
                Some((d, m.value))
            }
            None => None,
        }
    }
}

static WEIGHT_IN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]\s*(\d{1,3}(?:\.\d{1,2})?)\s*分\s*[)）]\s*$").unwrap());
static WEIGHT_RUN_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^指标分值\s*(\d{1,3}(?:\.\d{1,2})?)\s*分[，,]\s*").unwrap());
static WEIGHT_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:指标)?分值(?:为)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分").unwrap());
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d\s*(?:万元|元)").unwrap());
/// A line of a table of contents typed by hand: dot leaders and a page number.
static TOC_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:…{2,}|\.{4,}|·{4,}|．{4,}|-{4,})\s*\d{1,3}$").unwrap());

/// A heading's text after its number: title, run-in, weight, end.
fn heading(level: usize, kind: Option<Kind>, rest: &str) -> Sec {
    let style = crate::input::model::Style::default();
    let default_end = style.title_end.get(level).or(style.title_end.last()).cloned().unwrap_or_default();
    let mut sec = Sec::default();
    // `1.预算编制。该指标…`: Arabic-numbered headings run in, at any level.
    let (mut title, run_in) = if default_end == "。" || (kind.is_some_and(|k| k.numeral == Numeral::Arabic) && rest.contains('。')) {
        match rest.split_once('。') {
            Some((t, r)) => {
                if default_end != "。" {
                    sec.end = Some("。".into());
                }
                (t.to_string(), Some(r.trim().to_string()).filter(|r| !r.is_empty()))
            }
            None => {
                sec.end = Some(String::new());
                (rest.to_string(), None)
            }
        }
    } else if rest.chars().count() > 120 {
        // A first- or second-level heading with a paragraph run on.
        match rest.split_once('。') {
            Some((t, r)) if !r.trim().is_empty() => (format!("{t}。"), Some(r.trim().to_string())),
            _ => (rest.to_string(), None),
        }
    } else {
        (rest.to_string(), None)
    };
    if let Some(c) = WEIGHT_IN_TITLE.captures(&title) {
        sec.weight = Some(c[1].to_string());
        title.truncate(c.get(0).unwrap().start());
        title = title.trim_end().to_string();
        if run_in.is_some() {
            sec.weight_at = Some("title");
        }
    }
    let mut run_in = run_in;
    if sec.weight.is_none() {
        if let Some(r) = run_in.clone() {
            if let Some(c) = WEIGHT_RUN_IN.captures(&r) {
                sec.weight = Some(c[1].to_string());
                run_in = Some(r[c.get(0).unwrap().end()..].to_string()).filter(|r| !r.is_empty());
                if run_in.is_none() {
                    // Nothing after the weight: print it in the title instead.
                    sec.weight_at = Some("title");
                }
            } else if let Some(c) = WEIGHT_ANYWHERE.captures(&r) {
                // Written otherwise than jixiao prints it: keep the words, don't print it twice.
                sec.weight = Some(c[1].to_string());
                sec.weight_at = Some("none");
            }
        }
    }
    sec.title = title.trim().to_string();
    sec.run_in = run_in;
    sec
}

/// Items of a run-in list: `（1）…（2）…` with the numbers in sequence.
fn run_in_list(m: &Marker, text: &str) -> Option<Vec<String>> {
    if m.value != 1 {
        return None;
    }
    let mut items = Vec::new();
    let mut rest = &text[m.len..];
    let mut next = 2;
    loop {
        let found = rest.char_indices().find_map(|(i, _)| {
            let mk = parse_marker(&rest[i..])?;
            (mk.kind == m.kind && mk.value == next && i > 0).then_some((i, mk.len))
        });
        match found {
            Some((i, len)) => {
                items.push(rest[..i].trim().to_string());
                rest = &rest[i + len..];
                next += 1;
            }
            None => {
                items.push(rest.trim().to_string());
                break;
            }
        }
    }
    (items.len() >= 2 && items.iter().all(|i| !i.is_empty())).then_some(items)
}

/// A bold line that may be a heading without a number: short, not a sentence.
fn bold_line(text: &str) -> bool {
    let n = text.chars().count();
    (2..=40).contains(&n) && !text.ends_with(['。', '；', '，', '：', ':', ';', ',']) && closing_date(text).is_none()
}

/// A heading's look apart from its number: styled or bold as one, or short
/// with no figures in it and its brackets closed (a line broken before `五、其他）。`
/// is no heading).
fn heading_like(rest: &str, hint: Hint) -> bool {
    if hint.outline.is_some() || hint.bold {
        return true;
    }
    let head = rest.split('。').next().unwrap_or(rest);
    let opens = head.matches(['（', '(']).count();
    let closes = head.matches(['）', ')']).count();
    head.chars().count() <= 40 && closes <= opens && !AMOUNT.is_match(head) && !rest.trim_end().ends_with(['，', '、', '；'])
}

/// The evidence of the whole document before any heading is placed: the
/// kinds of number that start a run (a value 1), ordered by the
/// convention's rank and then by first use; and for each paragraph, the
/// value of the next number of its kind.
fn plan(items: &[Item]) -> (Vec<(Kind, String)>, Vec<Option<u32>>) {
    let mut kinds: Vec<(Kind, String)> = Vec::new();
    let mut next = vec![None; items.len()];
    let mut seen: std::collections::HashMap<Kind, u32> = Default::default();
    for (i, it) in items.iter().enumerate().rev() {
        if let Item::Para { text, .. } = it {
            if let Some(m) = parse_marker(text) {
                next[i] = seen.get(&m.kind).copied();
                seen.insert(m.kind, m.value);
            }
        }
    }
    // Which kind nests in which, as the document shows it: a run that
    // starts again at 1 right after a number of another kind sits under
    // that kind (`2.…` then `（一）…` again: `（一）` is under `1.`).
    let mut above: std::collections::HashMap<(Kind, Kind), usize> = Default::default();
    let mut last: Option<Kind> = None;
    let mut started: std::collections::HashSet<Kind> = Default::default();
    for it in items {
        if let Item::Para { text, .. } = it {
            let Some(m) = parse_marker(text) else { continue };
            if m.value == 1 {
                if !kinds.iter().any(|(k, _)| *k == m.kind) {
                    kinds.push((m.kind, m.pattern));
                }
                if let Some(p) = last.filter(|p| *p != m.kind && !started.insert(m.kind)) {
                    *above.entry((p, m.kind)).or_default() += 1;
                }
                started.insert(m.kind);
            }
            last = Some(m.kind);
        }
    }
    (order(kinds, &above), next)
}

/// The kinds in the order of their levels: each kind below every kind the
/// document more often restarts it under (taken transitively), and by the
/// convention of official documents (一、 （一） 1. （1）) where the
/// document says nothing or contradicts itself. At most a handful of
/// kinds: the quadratic loop is over those.
fn order(mut kinds: Vec<(Kind, String)>, above: &std::collections::HashMap<(Kind, Kind), usize>) -> Vec<(Kind, String)> {
    kinds.sort_by_key(|(k, _)| super::marker::rank(*k));
    let over = |a: Kind, b: Kind| above.get(&(a, b)).copied().unwrap_or(0) > above.get(&(b, a)).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(kinds.len());
    while !kinds.is_empty() {
        // The first kind by convention that no remaining kind is over.
        let i = kinds.iter().position(|(k, _)| !kinds.iter().any(|(a, _)| over(*a, *k))).unwrap_or(0);
        out.push(kinds.remove(i));
    }
    out
}

pub fn build(items: Vec<Item>, front: super::front::Title, summary: &mut Summary) -> Doc {
    let mut doc = Doc::default();
    let mut b = Builder { levels: Vec::new(), patterns: Vec::new(), open: Vec::new(), open_kind: Vec::new(), root: Vec::new() };
    // What comes before the first heading: paragraphs and tables that go to
    // the start of the first section (the title was taken off before).
    let mut preamble: Vec<(Blk, Place)> = Vec::new();
    let (kinds, next) = plan(&items);
    // Levels from the evidence as a whole — unless Word's heading styles
    // open levels with no number of their own, where the order of use tells.
    let first_styled_unnumbered = items
        .iter()
        .find_map(|it| match it {
            Item::Para { text, hint, .. } if hint.outline.is_some() => Some(parse_marker(text).is_none()),
            _ => None,
        })
        .unwrap_or(false);
    if !first_styled_unnumbered {
        for (k, p) in kinds {
            b.levels.push(Some(k));
            b.patterns.push(Some(p));
        }
    }
    // Word's heading styles: the outline levels they use, in order, give
    // the depth of an unnumbered heading (a report may start at 标题 2).
    let styled: std::collections::BTreeSet<u8> = items
        .iter()
        .enumerate()
        .filter_map(|(_, it)| match it {
            Item::Para { text, hint, .. } if text.chars().count() <= crate::check::limits::MAX_TITLE_CHARS => hint.outline,
            _ => None,
        })
        .collect();
    // Bold lines are headings only in a report with no other sign of its
    // outline: no typed or automatic numbers, no heading styles.
    let bold_headings = styled.is_empty()
        && !items.iter().any(|it| matches!(it, Item::Para { text, .. } if parse_marker(text).is_some_and(|m| m.value == 1)));
    // Outline level → depth, as the numbered headings with a style show it.
    let mut depth_of: std::collections::HashMap<u8, usize> = Default::default();
    let mut toc_lines = 0;
    for (i, item) in items.into_iter().enumerate() {
        let (text, at, hint) = match item {
            Item::Table { rows, columns, at } => {
                summary.tables += 1;
                match b.current() {
                    Some(s) => s.blocks.push(Blk::Table(rows, columns)),
                    None => preamble.push((Blk::Table(rows, columns), at)),
                }
                continue;
            }
            Item::Para { text, at, hint } => (text, at, hint),
        };
        // A table of contents typed by hand, and its heading: the outline makes its own.
        if TOC_LINE.is_match(&text) || (b.open.is_empty() && text.chars().filter(|c| !c.is_whitespace()).collect::<String>() == "目录") {
            toc_lines += 1;
            continue;
        }
        if let Some(m) = parse_marker(&text) {
            if let Some(list) = run_in_list(&m, &text) {
                if let Some(s) = b.current() {
                    summary.lists += 1;
                    s.blocks.push(Blk::List(list));
                    let d = b.open.len();
                    if d < b.levels.len() && b.levels[d].is_some_and(|k| k != m.kind) {
                        summary.note(at, "列表编号与同一层标题的编号不同，生成的编号会与原文不同，请核对");
                    } else if d == b.levels.len() || b.levels[d].is_none() {
                        b.levels.resize(d.max(b.levels.len()), None);
                        b.patterns.resize(d.max(b.patterns.len()), None);
                        if d == b.levels.len() {
                            b.levels.push(Some(m.kind));
                            b.patterns.push(Some(m.pattern.clone()));
                        } else {
                            b.levels[d] = Some(m.kind);
                            b.patterns[d] = Some(m.pattern.clone());
                        }
                    }
                    continue;
                }
            }
            let likely = heading_like(&text[m.len..], hint);
            if let Some((level, number)) = b.level_of(&m, at, next[i], likely, summary) {
                let sec = heading(level, Some(m.kind), &text[m.len..]);
                if sec.title.chars().count() > crate::check::limits::MAX_TITLE_CHARS {
                    summary.note(at, "标题过长，请核对是否应拆出正文");
                }
                if let Some(o) = hint.outline {
                    depth_of.entry(o).or_insert(level);
                }
                b.open_at(level, number, Some(m.kind), sec);
                continue;
            }
        }
        // A heading by its Word style, with no number typed or automatic,
        // or with one that does not continue the numbers before it.
        if let Some(o) = hint.outline.filter(|_| text.chars().count() <= crate::check::limits::MAX_TITLE_CHARS) {
            let text = match parse_marker(&text) {
                Some(m) => {
                    summary.note(at, format!("标题“{}”的编号与前面的编号不接续，已按 Word 标题样式导入，编号由层级生成，请核对", short(&text)));
                    text[m.len..].to_string()
                }
                None => text,
            };
            let want = depth_of.get(&o).copied().unwrap_or_else(|| styled.range(..o).count());
            let level = want.min(b.open.len());
            if level < want {
                summary.note(at, format!("标题“{}”（Word 标题 {} 样式）跳过了上一层，已作为第 {} 层导入，请核对", short(&text), o + 1, level + 1));
            }
            let number = if level < b.open.len() { b.open[level] + 1 } else { 1 };
            b.open_at(level, number, None, heading(level, None, &text));
            continue;
        }
        if hint.bold && bold_line(&text) {
            if bold_headings {
                summary.note(at, format!("加粗的短句“{}”没有编号，已作为第一层标题导入（不确定），请核对", short(&text)));
                let number = b.open.first().map_or(1, |n| n + 1);
                b.open_at(0, number, None, heading(0, None, &text));
                continue;
            }
            if b.current().is_some() {
                summary.note(at, format!("加粗的短句“{}”没有编号，可能是标题（不确定），已作为正文导入，请核对", short(&text)));
            }
        }
        match b.current() {
            Some(s) => s.blocks.push(Blk::Para(text, at)),
            None => preamble.push((Blk::Para(text, at), at)),
        }
    }
    if toc_lines > 0 {
        summary.notes.push(format!("手写的目录（{toc_lines} 行）未导入：目录由标题生成"));
    }
    doc.unit = front.unit;
    doc.year = front.year;
    doc.title = front.text;
    doc.unit_unsure = front.unsure;
    let rest: Vec<(Blk, Place)> = preamble;
    if !rest.is_empty() && b.root.is_empty() {
        // No heading at all (none numbered, none styled): the text is kept
        // as one section whose title is left to fill in, not dropped.
        summary.notes.push("没有识别出任何标题（既没有编号，也没有 Word 标题样式）：全文作为一节导入，标题写为“【请填写：标题】”；请按原文分节".into());
        b.root.push(heading(0, None, "【请填写：标题】"));
        b.patterns.resize(b.patterns.len().max(1), None);
    } else if !rest.is_empty() {
        summary.note(rest[0].1, "第一个标题之前的段落或表格，已放在第一节的开头，请核对位置");
    }
    if let Some(first) = b.root.first_mut() {
        first.blocks.splice(0..0, rest.into_iter().map(|(blk, _)| blk));
    }
    // A closing at the end: the unit's name, then a date, as the last paragraphs.
    closing(&mut b.root, &mut doc);
    // Levels without numbers in the source print without numbers.
    let patterns: Vec<String> = b.patterns.iter().map(|p| p.clone().unwrap_or_default()).collect();
    if patterns.iter().zip(default_numbering()).any(|(p, d)| *p != d) {
        let mut n = patterns.clone();
        let rest: Vec<String> = default_numbering().into_iter().filter(|d| !n.contains(d)).collect();
        n.extend(rest);
        doc.numbering = Some(n);
    }
    count(&b.root, 0, summary);
    doc.sections = b.root;
    doc
}

/// The report's limits on sections and blocks, as the outline makes them:
/// a file over them is refused before anything is written out.
pub fn within_limits(doc: &Doc) -> Result<(), String> {
    use crate::check::limits::{MAX_BLOCKS, MAX_SECTIONS};
    fn walk(secs: &[Sec], n: &mut (usize, usize)) {
        for s in secs {
            n.0 += 1;
            n.1 += s.blocks.len();
            walk(&s.sections, n);
        }
    }
    let mut n = (0, 0);
    walk(&doc.sections, &mut n);
    if n.0 > MAX_SECTIONS {
        return Err(format!("标题共 {} 个，超过一份报告的上限 {MAX_SECTIONS} 个；不能导入，这不像是一份真实的报告", n.0));
    }
    if n.1 > MAX_BLOCKS {
        return Err(format!("段落、列表和表格共 {} 个，超过一份报告的上限 {MAX_BLOCKS} 个；不能导入，请检查文档是否重复粘贴了内容", n.1));
    }
    Ok(())
}

fn last_blocks(secs: &mut [Sec]) -> Option<&mut Vec<Blk>> {
    let s = secs.last_mut()?;
    if s.sections.is_empty() { Some(&mut s.blocks) } else { last_blocks(&mut s.sections) }
}

/// A date as a closing writes it, at the end of a line: `2023年3月15日`,
/// in Chinese numerals `二〇二三年三月十五日` (〇, ○ or 零), or the year and
/// month only (`2023年3月`). Group 1: year, 2: month, 3: day.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20|21)\d{2}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$").unwrap()
});

/// A closing date found at the end of `t`: (year, month, day if written)
/// and the byte offset where the date begins (a unit may stand before it:
/// `连州市档案馆  2023年3月10日`).
fn closing_date(t: &str) -> Option<((i32, u32, Option<u32>), usize)> {
    let t = t.trim_end();
    let c = DATE_TAIL.captures(t)?;
    let digit = |ch: char| "〇一二三四五六七八九".chars().position(|x| x == ch).or_else(|| "零○ＯO".contains(ch).then_some(0));
    let year = if c[1].starts_with(|ch: char| ch.is_ascii_digit()) {
        c[1].parse().ok()?
    } else {
        c[1].chars().map(digit).try_fold(0i32, |a, d| Some(a * 10 + d? as i32))?
    };
    let num = |s: &str| -> Option<u32> {
        if s.starts_with(|ch: char| ch.is_ascii_digit()) {
            return s.parse().ok();
        }
        super::marker::parse_marker(&format!("{s}、x")).filter(|m| m.kind.numeral == Numeral::Cn).map(|m| m.value)
    };
    let month = num(&c[2])?;
    let day = match c.get(3) {
        Some(d) => Some(num(d.as_str())?),
        None => None,
    };
    let ok = (1..=12).contains(&month) && day.is_none_or(|d| (1..=31).contains(&d)) && crate::input::model::YEARS.contains(&year);
    ok.then_some(((year, month, day), c.get(0)?.start()))
}

/// A line that may be the closing's unit: short, no sentence in it.
fn closing_unit(u: &str) -> bool {
    let u = u.trim();
    (2..=40).contains(&u.chars().count()) && !u.contains(['。', '，', '；', '：', ':']) && !u.starts_with("附件")
}

/// The closing: the unit's name, then the date, as the last paragraphs —
/// or both on one line, or before an attachment's note and table
/// (`附件：…自评表` and the table).
fn closing(root: &mut [Sec], doc: &mut Doc) {
    let Some(blocks) = last_blocks(root) else { return };
    let n = blocks.len();
    // Look back over what may follow a closing: attachments' notes and tables.
    let mut at = None;
    for k in (n.saturating_sub(8)..n).rev() {
        match &blocks[k] {
            Blk::Para(t, _) if t.chars().count() <= 60 && closing_date(t).is_some() => {
                at = Some(k);
                break;
            }
            Blk::Para(t, _) if t.starts_with("附件") || t.starts_with("附表") || t.chars().count() <= 40 => {}
            Blk::Table(..) => {}
            _ => return,
        }
    }
    let Some(k) = at else { return };
    let Blk::Para(line, _) = &blocks[k] else { return };
    let Some(((y, m, d), start)) = closing_date(line) else { return };
    let before = line[..start].trim().to_string();
    // On the date's line, only a name that reads as a unit's (the report's
    // own, or ending as units' names end): `截至2023年3月` is no closing.
    let unit_like = |u: &str| {
        doc.unit.as_deref() == Some(u) || (super::front::plausible_unit(u) && u.ends_with(|c: char| "局委会院心馆所站办处室队校部厅社团行司府道镇乡村场园署庭".contains(c)))
    };
    if !before.is_empty() && !(closing_unit(&before) && unit_like(&before)) {
        return;
    }
    match d {
        Some(d) => doc.closing_date = Some(format!("{y:04}-{m:02}-{d:02}")),
        None => doc.closing_month = Some((y, m)),
    }
    blocks.remove(k);
    if !before.is_empty() {
        doc.closing_unit = Some(before);
    } else if k > 0 {
        if let Blk::Para(u, _) = &blocks[k - 1] {
            if closing_unit(u) {
                doc.closing_unit = Some(u.trim().to_string());
                blocks.remove(k - 1);
            }
        }
    }
}

fn count(secs: &[Sec], depth: usize, summary: &mut Summary) {
    for s in secs {
        if summary.sections_per_level.len() <= depth {
            summary.sections_per_level.resize(depth + 1, 0);
        }
        summary.sections_per_level[depth] += 1;
        summary.paragraphs += s.blocks.iter().filter(|b| matches!(b, Blk::Para(..))).count();
        count(&s.sections, depth + 1, summary);
    }
}

/// The start of a text, for the summary.
fn short(t: &str) -> String {
    let mut s: String = t.chars().take(20).collect();
    if t.chars().count() > 20 {
        s.push('…');
    }
    s
}

/// Put the weights back into the words they were read from: the titles'
/// `（28分）`, the run-ins' `指标分值18分，`.
pub fn unweight(secs: &mut [Sec]) {
    for s in secs {
        if let Some(w) = s.weight.take() {
            match (s.weight_at.take(), &s.run_in) {
                (Some("none"), _) => {}
                (Some("title"), _) | (None, None) => s.title = format!("{}（{w}分）", s.title),
                (_, Some(r)) => s.run_in = Some(format!("指标分值{w}分，{r}")),
                (_, None) => s.title = format!("{}（{w}分）", s.title),
            }
        }
        unweight(&mut s.sections);
    }
}
