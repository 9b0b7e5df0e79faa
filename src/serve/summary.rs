//! Findings as the browser lists them. A report whose scores are being
//! filled in has one "score not filled in" warning per blank indicator:
//! twenty of them would bury every other finding, so past a few they are
//! one line ("还有 12 项指标未填自评得分") that holds each of them, still
//! clickable to its field from the list of findings.

use serde_json::{Value as Json, json};

use crate::base::diagnostic::{Finding, Severity};

use crate::check::{UNSCORED_IN_FULL as ONE_BY_ONE, is_unscored as unscored};

/// `findings` for the browser, each made by `shown`; many blank scores
/// become one summary (kind "unscored") whose `items` are those findings.
pub fn findings(findings: &[Finding], shown: impl Fn(&Finding) -> Json) -> Vec<Json> {
    let blank = findings.iter().filter(|f| unscored(f)).count();
    if blank <= ONE_BY_ONE {
        return findings.iter().map(shown).collect();
    }
    let mut out = Vec::with_capacity(findings.len() - blank + 1);
    let mut items = Vec::with_capacity(blank);
    let mut at = None;
    for f in findings {
        if unscored(f) {
            at.get_or_insert(out.len());
            items.push(shown(f));
        } else {
            out.push(shown(f));
        }
    }
    // What follows the "；" says why it matters (the total, or the stated score).
    let why = findings.iter().find(|f| unscored(f)).and_then(|f| f.message.split_once('；')).map_or("", |(_, w)| w);
    let summary = json!({
        "kind": "unscored",
        "severity": Severity::Warning,
        "label": Severity::Warning.label(),
        "path": "",
        "place": "指标评分",
        "message": format!("还有 {blank} 项指标未填自评得分；{why}"),
        "items": items,
    });
    out.insert(at.unwrap_or(out.len()), summary);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(i: usize) -> Finding {
        Finding::warning(format!("indicators[{i}].score"), format!("指标“甲{i}”{}（score）；各项都填写后才计算总分和等级", crate::check::UNSCORED))
    }

    #[test]
    fn many_blank_scores_are_one_line_holding_each() {
        let mut all = vec![Finding::error("year", "年度不对".to_string())];
        all.extend((0..12).map(blank));
        all.push(Finding::warning("unit", "单位为空".to_string()));
        let out = findings(&all, |f| json!({"path": f.path, "message": f.message}));
        assert_eq!(out.len(), 3);
        assert_eq!(out[1]["message"], "还有 12 项指标未填自评得分；各项都填写后才计算总分和等级");
        assert_eq!(out[1]["items"].as_array().unwrap().len(), 12);
        assert_eq!(out[1]["items"][11]["path"], "indicators[11].score");
        assert_eq!(out[2]["path"], "unit");
    }

    #[test]
    fn a_few_are_listed_one_by_one() {
        let all: Vec<Finding> = (0..ONE_BY_ONE).map(blank).collect();
        assert_eq!(findings(&all, |f| json!(f.path)).len(), ONE_BY_ONE);
    }
}
