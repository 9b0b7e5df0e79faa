//! Rules on the text a user writes, wherever it stands in the data: no
//! control characters (they are invisible, break the PDF's XML metadata and
//! can drive a terminal) and no bidirectional controls (they can make a name
//! read differently from what it is). A line break stands only where it
//! means one: in paragraphs, list items and run-in text.

use serde_json::Value;

use crate::base::diagnostic::{Finding, is_bidi_control};

/// Findings for every string of the report (as JSON, see
/// [`crate::check::check`]), each at its key path.
pub fn check(value: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    walk(value, String::new(), &mut findings);
    findings
}

fn walk(value: &Value, path: String, findings: &mut Vec<Finding>) {
    match value {
        Value::String(s) => {
            if let Some(f) = string_finding(s, &path) {
                findings.push(f);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), findings);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk(v, p, findings);
            }
        }
        _ => {}
    }
}

/// Keys whose text is prose, where a line break or a tab has a meaning.
fn is_prose(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    matches!(last, "paragraph" | "figures" | "run_in" | "items" | "note" | "text" | "rows" | "header" | "expected" | "actual" | "reason")
}

fn string_finding(s: &str, path: &str) -> Option<Finding> {
    // The report title may be broken into lines by hand.
    let prose = is_prose(path) || path == "title";
    let bad = s.chars().find(|&c| {
        is_bidi_control(c) || (c.is_control() && !(prose && matches!(c, '\n' | '\t' | '\r')) && c != '\t')
    })?;
    let what = if is_bidi_control(bad) {
        "双向文字控制符（会改变文字的显示顺序，使所见与实际不符）"
    } else if matches!(bad, '\n' | '\r') {
        "换行（此处只能写一行）"
    } else {
        "控制字符（看不见，也印不出来）"
    };
    let mut f = Finding::error(
        path,
        format!("文字中含有{what} U+{:04X}；请删去它（常见于从网页或其他软件复制来的文字）", bad as u32),
    );
    f.focus = Some(bad.to_string());
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_named_at_their_key() {
        assert!(string_finding("正常的标题", "title").is_none());
        let f = string_finding("标题\u{1b}]0;x\u{7}", "title").unwrap();
        assert!(f.message.contains("U+001B"), "{}", f.message);
        assert!(string_finding("第一行\n第二行", "sections[0].blocks[0].paragraph").is_none());
        assert!(string_finding("单位\n名称", "unit").is_some());
        assert!(string_finding("abc\u{202E}def", "sections[0].blocks[0].paragraph").is_some());
    }
}
