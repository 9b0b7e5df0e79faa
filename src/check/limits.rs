//! Size limits on a report, so that the time and memory a data file can cost
//! are bounded well below what a hostile one could ask for, and far above any
//! real report (the seed has 60 sections and 12 000 characters of text; a
//! large one has a few hundred sections and 100 000 characters).

use serde_json::Value;

use crate::base::diagnostic::Finding;

/// Characters in one text (a paragraph is rarely over 2 000).
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Characters in a title or a unit's name (a real one has under 60; the
/// title is broken into balanced lines, which costs more per character).
pub const MAX_TITLE_CHARS: usize = 200;
/// Characters in all texts together (about 500 pages, under 5 s to lay out).
pub const MAX_TOTAL_CHARS: usize = 300_000;
/// Sections at all levels, together.
pub const MAX_SECTIONS: usize = 1_000;
/// Indicators of `[[indicators]]` at all levels, together (a framework has
/// under a hundred).
pub const MAX_INDICATORS: usize = 1_000;
/// Blocks (paragraphs, lists, tables…) together.
pub const MAX_BLOCKS: usize = 10_000;
/// Table cells, in every table together (tables cost the most to lay out:
/// 10 000 cells take about 2 s and 250 MB).
pub const MAX_CELLS: usize = 10_000;

/// Findings for a report (as JSON, see [`crate::check::check`]) over any limit.
pub fn check(value: &Value) -> Vec<Finding> {
    let mut tally = Tally::default();
    tally.walk(value, "", String::new());
    let mut findings = tally.findings;
    let mut over = |count: usize, max: usize, what: &str| {
        if count > max {
            findings.push(Finding::error(
                "",
                format!("报告过大：{what}共 {count} 个，超过上限 {max}；这不像是一份真实的报告，请检查数据是否重复粘贴"),
            ));
        }
    };
    over(tally.sections, MAX_SECTIONS, "章节（sections）");
    over(tally.indicators, MAX_INDICATORS, "指标（indicators）");
    over(tally.blocks, MAX_BLOCKS, "段落、列表和表格（blocks）");
    over(tally.cells, MAX_CELLS, "表格单元格");
    if tally.chars > MAX_TOTAL_CHARS {
        findings.push(Finding::error(
            "",
            format!("报告过大：文字共 {} 字，超过上限 {MAX_TOTAL_CHARS} 字；请检查数据是否重复粘贴", tally.chars),
        ));
    }
    findings
}


#[derive(Default)]
struct Tally {
    sections: usize,
    indicators: usize,
    blocks: usize,
    cells: usize,
    chars: usize,
    findings: Vec<Finding>,
}

impl Tally {
    fn walk(&mut self, value: &Value, key: &str, path: String) {
        match value {
            Value::String(s) => {
                let n = s.chars().count();
                self.chars += n;
                if n > MAX_TITLE_CHARS && matches!(path.as_str(), "unit" | "title" | "closing.unit") {
                    self.findings.push(Finding::error(
                        path.clone(),
                        format!("标题或单位名称有 {n} 字，超过上限 {MAX_TITLE_CHARS} 字；请检查是否把正文粘贴到了这里"),
                    ));
                }
                if n > MAX_TEXT_CHARS {
                    self.findings.push(Finding::error(
                        path,
                        format!("这段文字有 {n} 字，超过一段文字的上限 {MAX_TEXT_CHARS} 字；请分成几段"),
                    ));
                }
            }
            Value::Array(items) => {
                match key {
                    "sections" => self.sections += items.len(),
                    "indicators" => self.indicators += items.len(),
                    "blocks" => self.blocks += items.len(),
                    _ => {}
                }
                let rows = matches!(key, "rows" | "header");
                for (i, item) in items.iter().enumerate() {
                    if rows {
                        self.cells += item.as_array().map_or(1, Vec::len);
                    }
                    self.walk(item, if rows { "" } else { key }, format!("{path}[{i}]"));
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    self.walk(v, k, p);
                }
            }
            _ => {}
        }
    }
}
