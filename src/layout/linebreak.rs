//! Where a line may break in Chinese text: a number never leaves its unit
//! (`1680万元`, `2024年`, `98%`), and a title breaks between words, in
//! balanced lines (GB/T 9704 §7.3.1: 回行时要做到词意完整，排列对称，长短适宜).

use std::collections::BTreeMap;

use crate::layout::segment;

/// U+2060 WORD JOINER, as a marker between characters that must stay on
/// one line. The template keeps a number with its unit by a joiner of its
/// own and sets other such runs in an unbreakable box, dropping the marker;
/// either way it never reaches the PDF's text.
pub const WORD_JOINER: char = '\u{2060}';

/// Units and measure words that stay on the line of the number before them.
/// Longest first, so `万元` is joined as a whole rather than as `万`.
const UNITS: &[&str] = &[
    "平方公里", "万人次", "平方米", "立方米", "个百分点", "百分点", "万元", "亿元", "千元", "万人", "人次", "公里", "公顷",
    "千米", "小时", "个月", "季度", "学时", "课时", "元", "%", "％", "‰", "年", "月", "日", "号", "时", "分", "秒", "天", "周",
    "个", "人", "名", "位", "次", "项", "件", "户", "家", "所", "座", "台", "辆", "套", "份", "场", "期", "批", "条", "篇",
    "本", "册", "张", "笔", "宗", "起", "类", "种", "处", "间", "栋", "亩", "吨", "米", "岁", "倍", "万", "亿", "届", "轮",
    "节", "块", "组", "支", "单", "例", "床",
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The unit that follows a number at the start of `rest`, if any.
fn unit_at(rest: &str) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| rest.starts_with(u))
}

/// One run the template keeps on one line, found in a text: byte offsets
/// of its start and end, and, for a number with its unit, the Chinese
/// character before it (if any), the number and the unit. A run joined by
/// [`WORD_JOINER`]s has none of the three.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Kept(pub usize, pub usize, pub Option<String>, pub Option<String>, pub Option<String>);

/// The runs of every text in `data` (the template's JSON) that keeps any,
/// keyed by the text: the template looks a text up here before setting it
/// (`txt` in report.typ). Found here, once, rather than by a regular
/// expression in Typst, whose automaton took some 4 ms to build and its
/// matching 9 ms more, on every render.
pub fn keeps_in(data: &serde_json::Value) -> BTreeMap<String, Vec<Kept>> {
    fn walk(v: &serde_json::Value, out: &mut BTreeMap<String, Vec<Kept>>) {
        match v {
            serde_json::Value::String(s) if !out.contains_key(s.as_str()) => {
                let runs = kept_runs(s);
                if !runs.is_empty() {
                    out.insert(s.clone(), runs);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(data, &mut out);
    out
}

/// The runs of `s` kept on one line, left to right, not overlapping: a
/// number with the unit after it (and the Chinese character before it,
/// which Typst would space from the number only within one run of text),
/// or characters joined by [`WORD_JOINER`]. Leftmost first; at one place
/// a number before a joined run, as the regular expression
/// `(\p{Han})?([0-9０-９][0-9０-９.,]*)(UNITS)|[^⁠](?:⁠[^⁠])+` would find them.
pub fn kept_runs(s: &str) -> Vec<Kept> {
    let mut out = Vec::new();
    let mut at = 0;
    // Where a number without a unit after it ends: no number starting
    // before it can have a unit either (the same digits run to the same end).
    let mut unitless_to = 0;
    while at < s.len() {
        let found = number_at(s, at, &mut unitless_to).or_else(|| joined_at(s, at));
        match found {
            Some(k) => {
                at = k.1;
                out.push(k);
            }
            None => at += s[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// A number with its unit starting at `at`, with the Chinese character
/// before the number when there is one at `at`.
fn number_at(s: &str, at: usize, unitless_to: &mut usize) -> Option<Kept> {
    let first = s[at..].chars().next()?;
    let (han, digits_from) = if is_han_script(first) { (Some(first), at + first.len_utf8()) } else { (None, at) };
    if digits_from < *unitless_to && han.is_none() {
        return None;
    }
    let mut chars = s[digits_from..].char_indices();
    let (_, lead) = chars.next()?;
    if !is_digit(lead) {
        return None;
    }
    let end = chars.find(|&(_, c)| !(is_digit(c) || c == '.' || c == ',')).map_or(s.len(), |(i, _)| digits_from + i);
    let Some(unit) = unit_at(&s[end..]) else {
        *unitless_to = end;
        return None;
    };
    Some(Kept(
        at,
        end + unit.len(),
        han.map(String::from),
        Some(s[digits_from..end].to_string()),
        Some(unit.to_string()),
    ))
}

/// Characters joined by word joiners starting at `at`: one character, then
/// at least one joiner-and-character pair.
fn joined_at(s: &str, at: usize) -> Option<Kept> {
    let mut chars = s[at..].char_indices().peekable();
    let (_, first) = chars.next()?;
    if first == WORD_JOINER {
        return None;
    }
    let mut end = None;
    while let Some((_, WORD_JOINER)) = chars.next_if(|&(_, c)| c == WORD_JOINER) {
        match chars.next_if(|&(_, c)| c != WORD_JOINER) {
            Some((i, c)) => end = Some(at + i + c.len_utf8()),
            None => break,
        }
    }
    end.map(|end| Kept(at, end, None, None, None))
}

/// Whether `c` is of the Han script (Unicode's Script property, as `\p{Han}`).
fn is_han_script(c: char) -> bool {
    use unicode_script::UnicodeScript;
    c.script() == unicode_script::Script::Han
}

/// `text` with a word joiner inside every word, so that a line breaks only
/// between words (`预算编制 / 情况`, never `预算编制情 / 况`); numbers keep
/// their units too. Meant for short labels: headers and names in tables.
pub fn keep_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for word in segment::cut(text) {
        let mut chars = word.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if let Some(&next) = chars.peek()
                && !c.is_whitespace()
                && !next.is_whitespace()
                && !no_break_after(c)
                && !no_break_before(next)
            {
                out.push(WORD_JOINER);
            }
        }
    }
    out
}

/// The words of `text`, as the segmenter finds them.
pub fn words(text: &str) -> Vec<&str> {
    segment::cut(text)
}

/// Punctuation a line may not begin with (it closes or follows what precedes).
fn no_break_before(c: char) -> bool {
    "，。、；：？！）》」』〉】”’…—·%％".contains(c) || c == WORD_JOINER
}

/// Punctuation a line may not end with (it opens what follows).
fn no_break_after(c: char) -> bool {
    "（《「『〈【“‘".contains(c)
}

/// Width in title characters: half-width characters take half a cell, and
/// Typst sets a quarter of a character between Chinese and Latin or digits.
fn width(s: &str) -> f64 {
    let chars: Vec<char> = s.chars().filter(|&c| c != WORD_JOINER).collect();
    let own: f64 = chars.iter().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum();
    let spaces = chars.windows(2).filter(|w| w[0].is_ascii_alphanumeric() != w[1].is_ascii_alphanumeric() && !w[0].is_ascii_punctuation() && !w[1].is_ascii_punctuation() && (is_han(w[0]) || is_han(w[1]))).count();
    own + 0.25 * spaces as f64
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Byte offsets where `title` may break, each with a penalty (lower is a
/// better place): between words, never inside a number and its unit, never
/// before closing or after opening punctuation.
fn break_points(title: &str, unit: &str) -> Vec<(usize, f64)> {
    // The unit's name, where the title starts with it, is a whole: break
    // after it gladly, inside it only when nothing else will do.
    let unit_end = if !unit.is_empty() && title.starts_with(unit) { unit.len() } else { 0 };
    let mut at = 0;
    let mut ends = Vec::new();
    for word in segment::cut(title) {
        at += word.len();
        ends.push(at);
    }
    ends.pop(); // the end of the title is not a break
    ends.into_iter()
        .filter_map(|i| {
            let before = title[..i].chars().next_back()?;
            let after = title[i..].chars().next()?;
            if no_break_before(after) || no_break_after(before) || (is_digit(before) && (is_digit(after) || after == '.')) {
                return None;
            }
            if is_digit(before) && unit_at(&title[i..]).is_some() {
                return None;
            }
            // After a comma or enumeration mark is the best place; before a
            // year the next best (a unit's name, then what it reports on);
            // before an opening bracket the worst (`部门 / （单位）`).
            let penalty = if i < unit_end {
                20.0
            } else if i == unit_end {
                -4.0
            } else if "，、；：".contains(before) {
                -3.0
            } else if is_digit(after) {
                -1.0
            } else if after == '（' {
                4.0
            } else {
                0.0
            };
            Some((i, penalty))
        })
        .collect()
}

/// Break a title into lines of at most `max` characters: the fewest lines,
/// as even as possible, at word boundaries, shorter lines above longer ones
/// (a trapezoid). A title that fits stays whole; lines written with `\n`
/// are kept as written.
pub fn title_lines(title: &str, max: f64, unit: &str) -> Vec<String> {
    if title.contains('\n') {
        return title.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    }
    // Balanced breaking costs more than linear time: a title past the limit
    // (which the checks refuse anyway) is left whole rather than searched.
    if width(title) <= max || title.chars().count() > crate::check::limits::MAX_TITLE_CHARS {
        return vec![title.to_string()];
    }
    let mut points = break_points(title, unit);
    // A title with no word break that fits (one very long word) breaks
    // between any two characters instead.
    let fallback: Vec<(usize, f64)> = title.char_indices().skip(1).map(|(i, _)| (i, 0.0)).collect();
    for candidates in [std::mem::take(&mut points), fallback] {
        let min_lines = (width(title) / max).ceil() as usize;
        for lines in min_lines..=min_lines + 2 {
            if let Some(best) = best_breaks(title, &candidates, lines, max) {
                let mut out = Vec::new();
                let mut from = 0;
                for b in best.into_iter().chain([title.len()]) {
                    out.push(title[from..b].to_string());
                    from = b;
                }
                return out;
            }
        }
    }
    vec![title.to_string()]
}

/// The best `lines - 1` breaks among `candidates` so that every line fits
/// `max`, by exhaustive dynamic programming (titles are short).
fn best_breaks(title: &str, candidates: &[(usize, f64)], lines: usize, max: f64) -> Option<Vec<usize>> {
    let mean = width(title) / lines as f64;
    let line_cost = |from: usize, to: usize, last: bool| -> Option<f64> {
        let w = width(&title[from..to]);
        if w > max {
            return None;
        }
        // Evenness first; an upper line longer than the mean costs a little
        // more, so the shape is a trapezoid, short side up.
        let top_heavy = if last { 0.0 } else { (w - mean).max(0.0) * 0.5 };
        Some((w - mean).powi(2) + top_heavy)
    };
    // points: 0, candidates…, end
    let mut pts: Vec<(usize, f64)> = vec![(0, 0.0)];
    pts.extend_from_slice(candidates);
    pts.push((title.len(), 0.0));
    let n = pts.len();
    // best[k][j]: cheapest way to end line k at point j, with the previous point.
    let mut best: Vec<Vec<Option<(f64, usize)>>> = vec![vec![None; n]; lines + 1];
    best[0][0] = Some((0.0, 0));
    for k in 1..=lines {
        for j in 1..n {
            if k == lines && j != n - 1 {
                continue;
            }
            for i in 0..j {
                let Some((cost, _)) = best[k - 1][i] else { continue };
                let Some(c) = line_cost(pts[i].0, pts[j].0, j == n - 1) else { continue };
                let total = cost + c + if j == n - 1 { 0.0 } else { pts[j].1 };
                if best[k][j].is_none_or(|(b, _)| total < b) {
                    best[k][j] = Some((total, i));
                }
            }
        }
    }
    best[lines][n - 1]?;
    let mut breaks = Vec::new();
    let mut j = n - 1;
    for k in (1..=lines).rev() {
        let (_, i) = best[k][j]?;
        if k > 1 {
            breaks.push(pts[i].0);
        }
        j = i;
    }
    breaks.reverse();
    Some(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        s.replace(WORD_JOINER, "|")
    }

    #[test]
    fn words_and_units_are_kept() {
        assert_eq!(plain(&keep_words("预算编制情况")).replace('|', "").chars().count(), 6);
        assert!(plain(&keep_words("自评得分")).contains('|'));
    }

    /// The regular expression the template used to match with, before
    /// jixiao found the runs itself: the reference for [`kept_runs`].
    fn keep_pattern() -> String {
        format!("(\\p{{Han}})?([0-9０-９][0-9０-９.,]*)({})|[^{WORD_JOINER}](?:{WORD_JOINER}[^{WORD_JOINER}])+", UNITS.join("|"))
    }

    fn by_regex(re: &regex::Regex, s: &str) -> Vec<Kept> {
        let own = |m: Option<regex::Match>| m.map(|m| m.as_str().to_string());
        re.captures_iter(s)
            .map(|c| {
                let m = c.get(0).unwrap();
                Kept(m.start(), m.end(), own(c.get(1)), own(c.get(2)), own(c.get(3)))
            })
            .collect()
    }

    #[test]
    fn kept_runs_are_the_regular_expressions_matches() {
        let re = regex::Regex::new(&keep_pattern()).unwrap();
        let cases = [
            "预算1680万元，增长12.5%，共98人次。",
            "2024年1月1日至12月31日",
            "１２３万元与4,567.89元",
            "编\u{2060}制\u{2060}情况",
            "a\u{2060}\u{2060}b\u{2060}",
            "\u{2060}x\u{2060}y",
            "1234567890",
            "3.元和，5,个",
            "年12万元",
            "元年度3平方公里4平方米",
            "",
        ];
        for s in cases {
            assert_eq!(kept_runs(s), by_regex(&re, s), "{s:?}");
        }
        // Random texts from the characters that matter: every difference
        // from the regular expression shows here.
        let alphabet: Vec<char> = "年元万个人次平方公里米%％0123456789０９.,，a \u{2060}中𠀀〇々"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 8 * 8)) as usize + i * 7) % alphabet.len()])
                .collect();
            assert_eq!(kept_runs(&s), by_regex(&re, &s), "{s:?}");
        }
    }

    /// The same Han as the regular expression's, wherever both know the
    /// character (unicode-script may be of a newer Unicode than regex).
    #[test]
    fn han_is_the_regular_expressions_han() {
        let re = regex::Regex::new(r"^\p{Han}$").unwrap();
        let unassigned = regex::Regex::new(r"^\p{Cn}$").unwrap();
        let mut buf = [0u8; 4];
        let mut differ = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            if is_han_script(c) != re.is_match(s) {
                assert!(unassigned.is_match(s), "U+{:04X}", c as u32);
                differ += 1;
            }
        }
        assert!(differ < 5_000, "{differ}");
    }

    #[test]
    fn long_titles_break_between_words() {
        let t = "示例市示例区人力资源和社会保障局2023年度部门（单位）整体支出绩效自评报告";
        let lines = title_lines(t, 20.0, "示例市示例区人力资源和社会保障局");
        assert_eq!(lines.concat(), t);
        assert_eq!(lines[0], "示例市示例区人力资源和社会保障局");
        assert!(lines.iter().all(|l| width(l) <= 20.0), "{lines:?}");
        assert!(!lines[0].ends_with("2023年") && !lines[0].ends_with("（单"), "{lines:?}");
        assert_eq!(title_lines("短标题", 20.0, ""), vec!["短标题"]);
        assert_eq!(title_lines("第一行\n第二行", 20.0, ""), vec!["第一行", "第二行"]);
    }
}
