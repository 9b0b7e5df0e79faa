//! Findings as the browser shows them: the data file's words left out.
//! A message written for someone editing the TOML names tables and keys
//! (`[finance.carry_over]`, `opening（年初）`, `（score）`); the officer in
//! the browser never sees those, so they become the Chinese they stand for.

use std::sync::OnceLock;

use regex::Regex;

/// The Chinese name of a table a message names (`[finance.income]`).
fn table_name(key: &str) -> &'static str {
    match key {
        "finance" => "收支数字",
        "finance.income" => "收入",
        "finance.expenditure" => "支出",
        "finance.carry_over" => "结转结余",
        "finance.fixed_assets" => "固定资产",
        "staffing" => "人员情况",
        "scoring" => "评分",
        "closing" => "落款",
        "style" => "版式",
        _ => "相应的栏目",
    }
}

struct Rules {
    /// `[finance.carry_over]`: a table's header.
    table: Regex,
    /// `opening（年初）`: a key with its Chinese gloss.
    glossed: Regex,
    /// `分值（weight）`: a key after the Chinese word.
    key_after: Regex,
    /// `score = 92`, `weight = 5`: a line to type into the file.
    assignment: Regex,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules {
        // The spaces that set a key apart from Chinese text go with it.
        table: Regex::new(r" ?\[\[?([a-z_]+(?:\.[a-z_]+)*)\]?\] ?").expect("pattern"),
        glossed: Regex::new(r" ?\b[a-z_]+（([^）a-zA-Z]+)）").expect("pattern"),
        key_after: Regex::new(r"[（(][a-z_]+(?:\.[a-z_]+)*[)）]").expect("pattern"),
        assignment: Regex::new(r"\b[a-z_]+ = ").expect("pattern"),
    })
}

/// `message` in the officer's words.
pub fn message(message: &str) -> String {
    let r = rules();
    let m = r.glossed.replace_all(message, "$1");
    let m = r.key_after.replace_all(&m, "");
    let m = r.table.replace_all(&m, |c: &regex::Captures| format!("“{}”", table_name(&c[1])));
    r.assignment.replace_all(&m, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_words() {
        assert_eq!(
            message("总收入 10 与总支出 12 相差 2；如有结转结余，请在 [finance.carry_over] 填写 opening（年初）和 closing（年末），以核对收支平衡"),
            "总收入 10 与总支出 12 相差 2；如有结转结余，请在“结转结余”填写年初和年末，以核对收支平衡"
        );
        assert_eq!(message("指标“效率性”没有填写自评得分（score）；各项都填写后才计算总分和等级"), "指标“效率性”没有填写自评得分；各项都填写后才计算总分和等级");
        assert_eq!(message("也可在 [scoring] 中写明综合评分，如 score = 92"), "也可在“评分”中写明综合评分，如 92");
        assert_eq!(message("占位符 {income.total} 的数字"), "占位符 {income.total} 的数字");
        assert_eq!(message("基本支出应为 人员经费 1.00"), "基本支出应为 人员经费 1.00");
    }
}
