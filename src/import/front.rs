//! What is not the report: the lines a web page puts round it (site name,
//! breadcrumb, URL, `发布时间：…`, print and close buttons, copyright), a
//! cover before the title, a table of contents typed or printed (with or
//! without page numbers). The title line is found first — it ends in 报告
//! and holds the year and the kind — and the unit and year are read from it,
//! whether the year comes before the unit or after it. Everything dropped is
//! counted in the summary. All rules look at a bounded window or one line at
//! a time: linear in the input.

use std::sync::LazyLock;

use regex::Regex;

use super::{Item, Summary};

/// The title as found: its text (spaces squeezed out), unit and year.
#[derive(Debug, Default)]
pub struct Title {
    pub text: Option<String>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    /// The unit was read from something other than a clean title.
    pub unsure: bool,
}

/// How far into the document the title and the contents are looked for.
const FRONT_WINDOW: usize = 120;
/// How far from the end a web page's footer is looked for.
const TAIL_WINDOW: usize = 12;
/// The longest table of contents taken as one.
const MAX_TOC_LINES: usize = 400;

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20|21)\d{2})\s*年度?").unwrap());
/// Where the unit's name ends and the report's kind begins.
static KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:部门|单位)?(?:整体|财政)?(?:支出|预算|资金)?(?:绩效|整体支出|项目支出|决算)").unwrap()
});
static WEB_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"https?://|www\.|\.gov\.cn|",
        r"^(?:发布时间|发布日期|发文日期|更新时间|时间|来源|信息来源|文章来源|作者|编辑|责任编辑|浏览次数|浏览量|点击数|点击量|阅读次数|访问量|字号|字体|分享到|索引号|主题分类|发布机构|发文机关|文号|成文日期)\s*[：:]|",
        r"打印本页|关闭窗口|【打印】|【关闭】|【大\s*中\s*小】|字体\s*[：:]?\s*大\s*中\s*小|扫一扫|在手机上打开|",
        r"版权所有|ICP备|公网安备|网站标识码|网站地图|联系我们|主办单位\s*[：:]|承办单位\s*[：:]|技术支持\s*[：:]|",
        r"当前位置|您的位置|您现在的位置|首页\s*[>＞»›/]|[>＞»›]\s*(?:政务公开|信息公开|财政信息|部门预决算|通知公告|预决算公开)"
    ))
    .unwrap()
});
/// A contents entry's page number and its leader.
static TOC_TAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\s.…·．\-—_]*\d{1,3}$").unwrap());

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Unit and year of a title line: `乐昌市妇女联合会2022年度部门整体支出绩效自评报告`
/// or `2022年度乐昌市妇女联合会部门整体支出绩效自评报告`. None when the
/// line is no report title.
pub fn parse_title(line: &str) -> Option<(Option<String>, i32)> {
    let s = squeeze(line);
    let n = s.chars().count();
    if !(8..=80).contains(&n) || !s.ends_with("报告") || !(s.contains("绩效") || s.contains("自评")) {
        return None;
    }
    if s.contains(['。', '，', '；']) {
        return None;
    }
    let y = YEAR.captures(&s)?;
    let whole = y.get(0)?;
    let year: i32 = y[1].parse().ok()?;
    // A `关于` in front is no part of the unit.
    let before = s[..whole.start()].trim_start_matches("关于");
    let after = &s[whole.end()..];
    let unit = if before.chars().count() >= 2 {
        // Year last: everything before it.
        before.trim_end_matches('的').to_string()
    } else {
        // Year first: the words up to where the kind begins.
        let cut = KIND.find(after).map_or(0, |m| m.start());
        after[..cut].trim_end_matches('的').to_string()
    };
    let unit = Some(unit).filter(|u| u.chars().count() >= 2);
    Some((unit, year))
}

/// A unit's name that looks like one: Han characters (and brackets),
/// no digits, no sentence punctuation, not too long.
pub fn plausible_unit(u: &str) -> bool {
    let n = u.chars().count();
    (2..=40).contains(&n)
        && u.chars().all(|c| c.is_alphabetic() || "（）()·、".contains(c))
        && !u.chars().any(|c| c.is_ascii_alphanumeric())
}

fn para_text(it: &Item) -> Option<&str> {
    match it {
        Item::Para { text, .. } => Some(text),
        Item::Table { .. } => None,
    }
}

/// Find the title within the first items: a line that is a whole title
/// with its unit; else up to three short lines joined (a cover sets the
/// unit and the title on lines of their own, or breaks the title); else a
/// title with no unit. Returns the range of items it spans, the title, and
/// the unit and year.
fn find_title(items: &[&Item]) -> Option<(std::ops::Range<usize>, String, Option<String>, i32)> {
    // A title stands above the body: after a paragraph of body text (long)
    // or a table, a line shaped as a title is a quotation, not the title,
    // and what comes before it is no cover to drop.
    let body = items
        .iter()
        .position(|it| para_text(it).is_none_or(|t| t.chars().count() > 100 || (t.ends_with('。') && t.chars().count() > 30)))
        .unwrap_or(items.len());
    // Nor does it come after the first heading, unless that heading is an
    // entry of a contents page.
    let contents = items.iter().position(|it| para_text(it).is_some_and(|t| matches!(squeeze(t).as_str(), "目录" | "目次")));
    let heading = items
        .iter()
        .position(|it| para_text(it).and_then(super::parse_marker).is_some_and(|m| m.value == 1))
        .filter(|h| contents.is_none_or(|c| c > *h))
        .unwrap_or(items.len());
    let body = body.min(heading);
    let window = items.len().min(FRONT_WINDOW).min(body);
    let line = |i: usize| para_text(items[i]).filter(|t| t.chars().count() <= 80);
    let mut unitless = None;
    for i in 0..window {
        if let Some((unit, year)) = line(i).and_then(parse_title) {
            if unit.as_deref().is_some_and(plausible_unit) {
                return Some((i..i + 1, squeeze(line(i)?), unit, year));
            }
            unitless.get_or_insert((i..i + 1, squeeze(line(i)?), unit, year));
        }
    }
    for end in 0..window {
        let Some(last) = line(end) else { continue };
        if !last.contains("报告") {
            continue;
        }
        for start in (end.saturating_sub(2)..end).rev() {
            let Some(joined) = (start..=end).map(line).collect::<Option<Vec<&str>>>().map(|v| squeeze(&v.concat())) else { break };
            if let Some((unit, year)) = parse_title(&joined) {
                if unit.as_deref().is_some_and(plausible_unit) {
                    return Some((start..end + 1, joined, unit, year));
                }
            }
        }
    }
    unitless
}

/// The contents starting at `start` (a line `目录`): how many items it
/// spans. It ends where its first entry appears again as the body's first
/// heading, where the title appears again, or at the first line that is
/// no entry (a sentence, or longer than a heading).
fn toc_len(items: &[&Item], start: usize, title: Option<&str>) -> usize {
    let mut first: Option<(String, Option<(super::Kind, u32)>)> = None;
    let mut n = 1;
    while start + n < items.len() && n <= MAX_TOC_LINES {
        let Some(t) = para_text(&items[start + n]) else { break };
        let s = squeeze(t);
        let entry = TOC_TAIL.replace(&s, "").into_owned();
        // The title again above the body, whole or its first line.
        if title.is_some_and(|ti| s == ti || (s.chars().count() >= 6 && ti.starts_with(&s))) {
            break;
        }
        match &first {
            Some((f, _)) if entry == *f && s == entry => break,
            // The body's first heading, worded otherwise than its entry.
            Some((_, Some((k, v)))) if s == entry && super::parse_marker(&s).is_some_and(|m| m.kind == *k && m.value == *v) => break,
            _ => {}
        }
        if entry.is_empty() || entry.chars().count() > 50 || entry.ends_with(['。', '；', '，', '：']) {
            break;
        }
        if first.is_none() {
            let marker = super::parse_marker(&entry).map(|m| (m.kind, m.value));
            first = Some((entry, marker));
        }
        n += 1;
    }
    n
}

/// Drop the furniture, the cover and the contents; return what is left and
/// the title. Notes in `summary` count each kind of line dropped.
pub fn strip(items: Vec<Item>, summary: &mut Summary) -> (Vec<Item>, Title) {
    let mut keep = vec![true; items.len()];
    let mut web = 0usize;
    // A web page's lines stand above the report and below it: looked for
    // only there, so a sentence of the body that names a time, a source or
    // a web address is never taken for them.
    let head_end = items
        .iter()
        .position(|it| para_text(it).and_then(super::parse_marker).is_some_and(|m| m.value == 1))
        .unwrap_or(items.len().min(10));
    let tail_start = items.len().saturating_sub(TAIL_WINDOW);
    for (i, it) in items.iter().enumerate() {
        if i >= head_end && i < tail_start {
            continue;
        }
        if let Some(t) = para_text(it) {
            if t.chars().count() <= 120 && WEB_LINE.is_match(t.trim()) {
                keep[i] = false;
                web += 1;
            }
        }
    }
    // The title is looked for among what is left.
    let kept_idx: Vec<usize> = (0..items.len()).filter(|i| keep[*i]).collect();
    let view: Vec<&Item> = kept_idx.iter().map(|i| &items[*i]).collect();
    let found = find_title(&view);
    let mut title = Title::default();
    let mut cover = 0usize;
    let mut toc = 0usize;
    let mut after_title = 0;
    if let Some((range, text, unit, year)) = found {
        // Lines before the title: a site's name, a cover.
        for &i in &kept_idx[..range.start] {
            if matches!(items[i], Item::Para { .. }) {
                cover += 1;
            }
            keep[i] = false;
        }
        for &i in &kept_idx[range.clone()] {
            keep[i] = false;
        }
        after_title = range.end;
        title.unsure = unit.as_deref().is_none_or(|u| !plausible_unit(u));
        title.unit = unit.filter(|u| plausible_unit(u));
        title.year = Some(year);
        title.text = Some(text);
    }
    // A contents page, and the title repeated after it (cover, contents, body).
    let limit = kept_idx.len().min(after_title + FRONT_WINDOW);
    let mut k = after_title;
    while k < limit {
        let i = kept_idx[k];
        let Some(t) = para_text(&items[i]) else {
            k += 1;
            continue;
        };
        let s = squeeze(t);
        if s == "目录" || s == "目次" || s.eq_ignore_ascii_case("contents") {
            // What stands between the title and the contents is the cover's.
            for &j in &kept_idx[after_title..k] {
                if matches!(items[j], Item::Para { .. }) {
                    cover += 1;
                }
                keep[j] = false;
            }
            let n = toc_len(&view, k, title.text.as_deref());
            for &j in &kept_idx[k..k + n] {
                keep[j] = false;
            }
            toc += n;
            k += n;
            // The title printed again above the body, on up to three lines.
            if let Some(ti) = title.text.as_deref() {
                let mut joined = String::new();
                for n in 0..3 {
                    let Some(t) = kept_idx.get(k + n).and_then(|&j| para_text(&items[j])) else { break };
                    joined.push_str(&squeeze(t));
                    if joined == ti {
                        kept_idx[k..=k + n].iter().for_each(|&j| keep[j] = false);
                        break;
                    }
                    if !ti.starts_with(&joined) {
                        break;
                    }
                }
            }
            break;
        }
        if title.text.as_deref() == Some(s.as_str()) {
            // The title again with no contents between: the cover's lines
            // between the two are the cover's too.
            for &j in &kept_idx[after_title..=k] {
                if keep[j] && matches!(items[j], Item::Para { .. }) {
                    cover += 1;
                }
                keep[j] = false;
            }
            break;
        }
        if super::parse_marker(t).is_some() {
            break;
        }
        k += 1;
    }
    if web > 0 {
        summary.notes.push(format!("网页上的栏目、网址、发布时间等（{web} 行）未导入"));
    }
    if cover > 0 {
        summary.notes.push(format!("标题之前的文字（网站名称、封面等，{cover} 段）未导入"));
    }
    if toc > 0 {
        summary.notes.push(format!("手写的目录（{toc} 行）未导入：目录由标题生成"));
    }
    let items = items.into_iter().zip(keep).filter_map(|(it, k)| k.then_some(it)).collect();
    (items, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_year_first_and_last() {
        assert_eq!(parse_title("乐昌市妇女联合会2022年度部门整体支出绩效自评报告"), Some((Some("乐昌市妇女联合会".into()), 2022)));
        assert_eq!(parse_title("2022年度茂名市发展和改革局部门整体支出绩效自评报告"), Some((Some("茂名市发展和改革局".into()), 2022)));
        assert_eq!(parse_title("关于南县国库集中支付中心2020年度整体支出绩效自评报告"), Some((Some("南县国库集中支付中心".into()), 2020)));
        assert_eq!(parse_title("2021年部门整体支出绩效自评报告"), Some((None, 2021)));
        assert_eq!(parse_title("关于2022年度韶关市浈江区卫生健康局部门整体支出绩效自评报告"), Some((Some("韶关市浈江区卫生健康局".into()), 2022)));
        assert_eq!(parse_title("我单位2022年度工作总结"), None);
    }
}
