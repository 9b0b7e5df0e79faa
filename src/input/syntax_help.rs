//! What a TOML syntax error most likely means when someone types Chinese in a
//! text editor, and what to type instead. The parser's own words ("expected
//! newline, `#`") describe the grammar; these describe the mistake: an
//! English quote inside a text, a paragraph pasted with a line break, Word's
//! curly quotes, a Chinese colon, a date or an amount written as in Word or
//! Excel, full-width digits, a Chinese key name, a missing closing quote.

use std::ops::Range;

/// A Chinese explanation of a syntax error, and the span to point at (the
/// cause, which may be before where the parser stopped).
pub fn explain(text: &str, at: Range<usize>, parser_message: &str) -> Option<(String, Range<usize>)> {
    let mut at_start = at.start.min(text.len());
    while !text.is_char_boundary(at_start) {
        at_start -= 1;
    }
    let line_start = text[..at_start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at_start..].find('\n').map_or(text.len(), |i| at_start + i);
    let line = &text[line_start..line_end];
    let span = |from: usize, len: usize| line_start + from..line_start + from + len;

    // A paragraph broken across lines: the previous line opened a text and
    // never closed it.
    if line_start > 0 {
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let prev = &text[prev_start..line_start - 1];
        if let Some(eq) = value_start(prev)
            && opens_unclosed_string(&prev[eq..])
            && !looks_like_key_line(line)
        {
            return Some((
                "一段文字要写在一行里，或用三个英文引号 \"\"\"…\"\"\" 把多行文字包起来；这里的文字在行末断开了".into(),
                last_char(prev, prev_start),
            ));
        }
    }

    let key_end = line.find(['=', '＝', '：', ':']).unwrap_or(line.len());
    let key = line[..key_end].trim();

    // A Chinese colon, a full-width equals sign or an English colon between key and value.
    if let Some(i) = line.find(['：', '＝']).filter(|&i| i == key_end) {
        let ch = line[i..].chars().next().unwrap_or('：');
        return Some((
            format!("键和值之间要用英文等号 =，不能用“{ch}”；请写成 {} = …", if key.is_empty() { "键" } else { key }),
            span(i, ch.len_utf8()),
        ));
    }
    if line[..key_end].trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        && line.get(key_end..key_end + 1) == Some(":")
        && !key.is_empty()
    {
        return Some((format!("键和值之间要用等号 =，不能用冒号；请写成 {key} = …"), span(key_end, 1)));
    }

    // A key written in Chinese (or with other characters a bare key cannot have).
    if !key.is_empty()
        && !key.starts_with('[')
        && !key.starts_with('"')
        && key.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == ' '))
        && line.contains(['=', '＝'])
    {
        let hint = english_key(key).map(|k| format!("，这里多半是 {k}")).unwrap_or_default();
        return Some((
            format!("键名要用英文（如 title、unit、paragraph），“{key}”不是 jixiao 认识的键{hint}；可用的键见 jixiao schema 或起步文件"),
            span(line.find(key).unwrap_or(0), key.len()),
        ));
    }

    let Some(eq) = value_start(line) else { return None };
    let value = &line[eq..];
    let value_trimmed = value.trim_start();
    let value_at = eq + (value.len() - value_trimmed.len());

    // Word's curly quotes around a value.
    if let Some(q) = value_trimmed.chars().next().filter(|c| matches!(c, '“' | '”' | '‘' | '’' | '「' | '『')) {
        let inner: String = value_trimmed.trim_end().trim_matches(|c| matches!(c, '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』')).into();
        return Some((
            format!("值两边要用英文双引号 \"…\"，不能用中文引号 {q}…（Word 会自动把引号换成中文的）；请写成 {key} = \"{inner}\""),
            span(value_at, q.len_utf8()),
        ));
    }

    // Full-width digits.
    if let Some(i) = value_trimmed.find(|c: char| ('０'..='９').contains(&c) || c == '．') {
        let fixed: String = value_trimmed
            .trim_end()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                c => c,
            })
            .collect();
        return Some((
            format!("数字要用半角（英文）数字，不能用全角数字；请写成 {key} = {fixed}"),
            span(value_at + i, value_trimmed[i..].chars().next().map_or(1, char::len_utf8)),
        ));
    }

    // A date as people write it.
    if is_date_key(key) && !value_trimmed.starts_with('"') && value_trimmed.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let v = value_trimmed.trim_end();
        let iso = v.len() == 10 && v.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
        if iso && lenient_date(v).is_none() {
            return Some((format!("{v} 不是存在的日期（月份或日子超出范围）；请核对成文日期"), span(value_at, v.len())));
        }
        return Some((
            format!("成文日期写成 {}，年月日用“-”连接，月和日都写两位，不加引号", date_hint(value_trimmed)),
            span(value_at, value_trimmed.trim_end().len()),
        ));
    }

    // An amount with thousands separators or a unit, unquoted.
    if value_trimmed.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-') {
        let v = value_trimmed.trim_end();
        if v.contains(',') || v.contains('元') {
            let plain: String = v.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
            let why = if v.contains(',') { "去掉千分位逗号" } else { "不要写单位（单位在 finance.money_unit 中写一次）" };
            return Some((format!("金额要写成带英文引号的纯数字：{why}，写成 {key} = \"{plain}\""), span(value_at, v.len())));
        }
    }

    // An English quote inside a text: the text ends early, and what follows
    // the second quote is not TOML.
    if value_trimmed.starts_with('"') && !value_trimmed.starts_with("\"\"\"") {
        let bytes = value_trimmed.as_bytes();
        let quotes: Vec<usize> = value_trimmed.match_indices('"').map(|(i, _)| i).filter(|&i| i == 0 || bytes[i - 1] != b'\\').collect();
        if quotes.len() >= 3 {
            return Some((
                "文字里的英文双引号会提前结束这段文字；文字中的引号请改用中文引号“”".into(),
                span(value_at + quotes[1], 1),
            ));
        }
        if quotes.len() == 1 {
            return Some((
                "这段文字缺少结尾的英文双引号 \"；请在文字末尾补上 \"（一段文字要写在一行里）".into(),
                last_char(line, line_start),
            ));
        }
    }

    // A text without quotes.
    if parser_message.contains("must be quoted") {
        return Some((
            format!("文字要用英文双引号括起来；请写成 {key} = \"{}\"", value_trimmed.trim_end()),
            span(value_at, value_trimmed.trim_end().len().max(1)),
        ));
    }
    None
}

/// The span of a line's last visible character (`offset` is the line's start in the text).
fn last_char(line: &str, offset: usize) -> Range<usize> {
    match line.trim_end().char_indices().last() {
        Some((i, c)) => offset + i..offset + i + c.len_utf8(),
        None => offset..offset,
    }
}

/// Byte offset of a key–value line's value (after `=`), if it is one.
fn value_start(line: &str) -> Option<usize> {
    let t = line.trim_start();
    if t.starts_with('#') || t.starts_with('[') {
        return None;
    }
    line.find('=').map(|i| i + 1)
}

/// The value part opens a basic string that the line does not close.
fn opens_unclosed_string(value: &str) -> bool {
    let v = value.trim();
    if !v.starts_with('"') || v.starts_with("\"\"\"") {
        return false;
    }
    let bytes = v.as_bytes();
    let unescaped = v.match_indices('"').filter(|(i, _)| *i == 0 || bytes[i - 1] != b'\\').count();
    unescaped == 1
}

/// A line that starts a new key, a table or a comment: not the rest of a paragraph.
fn looks_like_key_line(line: &str) -> bool {
    let t = line.trim_start();
    if t.is_empty() || t.starts_with('#') || t.starts_with('[') {
        return true;
    }
    match t.find('=') {
        Some(i) => t[..i].trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '"'),
        None => false,
    }
}

fn is_date_key(key: &str) -> bool {
    key == "date" || key.ends_with(".date")
}

/// `2026/3/15`, `2026-3-15`, `2026年3月15日` → `2026-03-15`.
fn date_hint(value: &str) -> String {
    let nums: Vec<u32> = value.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    match nums.as_slice() {
        [y, m, d, ..] => format!("{y:04}-{m:02}-{d:02}"),
        _ => "2026-03-15".into(),
    }
}

/// The English key a Chinese key name most likely stands for.
fn english_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "标题" | "题目" => "title",
        "单位" | "单位名称" => "unit",
        "年度" | "年份" => "year",
        "段落" | "正文" => "paragraph",
        "分值" | "权重" => "weight",
        "得分" | "分数" => "score",
        "日期" | "成文日期" => "date",
        "说明" | "备注" => "note",
        _ => return None,
    })
}

/// A date written as a string the way Word users write it, read with
/// certainty: `2026年3月15日`, `2026-3-15`, `2026/3/15`, `2026.3.15`.
pub fn lenient_date(s: &str) -> Option<(u16, u8, u8)> {
    let t = s.trim();
    let nums: Vec<&str> = t.split(|c: char| matches!(c, '年' | '月' | '日' | '-' | '/' | '.')).filter(|p| !p.is_empty()).collect();
    let well_formed = t.chars().all(|c| c.is_ascii_digit() || matches!(c, '年' | '月' | '日' | '-' | '/' | '.'));
    let [y, m, d] = nums.as_slice() else { return None };
    if !well_formed || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let (y, m, d): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(text: &str, at: usize, msg: &str) -> (String, String) {
        let (m, span) = explain(text, at..at + 1, msg).expect("explained");
        (m, text[span].to_string())
    }

    #[test]
    fn each_mistake_is_named_at_its_cause() {
        let (m, at) = why("title = \"关于\"三公\"经费\"\n", 16, "unexpected key or value");
        assert!(m.contains("中文引号“”"), "{m}");
        assert_eq!(at, "\"");
        let (m, at) = why("unit：\"示例局\"\n", 14, "key with no value");
        assert!(m.contains("不能用“：”"), "{m}");
        assert_eq!(at, "：");
        let (m, _) = why("unit = “示例县农业农村局”\n", 7, "string values must be quoted");
        assert!(m.contains("unit = \"示例县农业农村局\""), "{m}");
        let (m, _) = why("[closing]\ndate = 2026/3/15\n", 17, "x");
        assert!(m.contains("2026-03-15"), "{m}");
        let (m, _) = why("score = ５\n", 8, "x");
        assert!(m.contains("score = 5"), "{m}");
        let (m, _) = why("标题 = \"x\"\n", 0, "invalid unquoted key");
        assert!(m.contains("title"), "{m}");
        let (m, at) = why("paragraph = \"第一行\n第二行\"\n", 24, "key with no value");
        assert!(m.contains("三个英文引号"), "{m}");
        assert_eq!(at, "行");
        let (m, _) = why("budget = 1,200.00\n", 10, "unexpected");
        assert!(m.contains("\"1200.00\"") && m.contains("千分位"), "{m}");
    }

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(lenient_date("2026年3月15日"), Some((2026, 3, 15)));
        assert_eq!(lenient_date("2026-3-15"), Some((2026, 3, 15)));
        assert_eq!(lenient_date("2026/03/15"), Some((2026, 3, 15)));
        assert_eq!(lenient_date("2026年2月30日"), None);
        assert_eq!(lenient_date("三月"), None);
    }
}
