//! The score table (自评表, 得分表): a table whose head names the
//! indicators' levels (`一级指标`, `二级指标`…), the weight (`分值`, `权重`)
//! and the score (`得分`, `自评得分`) becomes `[[indicators]]`. Merged cells
//! (a first-level name over several rows) are laid out on a grid first; a
//! parent's weight is the sum of its children's, as `check` wants it.

use std::sync::LazyLock;

use regex::Regex;

use super::doc::{Blk, Ind, Sec};
use super::{SrcCell, Summary};

/// A score table's row written as a line: names, the weight, the score.
static TEXT_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\D*?)\s*(\d{1,3}(?:\.\d{1,2})?)\s*分?(?:\s+(\d{1,3}(?:\.\d{1,2})?)\s*分?)?$").unwrap()
});

/// A score table written as lines of text (from a PDF, a plain-text copy):
/// a head line `一级指标 二级指标 三级指标 分值 得分`, then a line per
/// indicator ending in its weight and score, the upper levels' names only
/// on the first of their rows. Made a table, as Word would hold it.
pub fn tables_from_text(secs: &mut [Sec], summary: &mut Summary) {
    for s in secs.iter_mut() {
        let mut k = 0;
        while k < s.blocks.len() {
            if let Some((table, n)) = text_table(&s.blocks[k..]) {
                summary.notes.push(format!("以文字行写成的自评表（{} 行）已按表格导入，请核对", n - 1));
                s.blocks.splice(k..k + n, std::iter::once(table));
            }
            k += 1;
        }
        tables_from_text(&mut s.sections, summary);
    }
}

fn text_table(blocks: &[Blk]) -> Option<(Blk, usize)> {
    let Some(Blk::Para(head, _)) = blocks.first() else { return None };
    if head.chars().count() > 80 {
        return None;
    }
    let head: Vec<String> = head.split_whitespace().map(str::to_string).collect();
    let cols = columns(&head)?;
    // Only names, weight and score: other columns cannot be told apart in a line.
    if head.len() != cols.names.len() + 1 + usize::from(cols.score.is_some()) || cols.names.iter().any(|c| *c > cols.weight) {
        return None;
    }
    let mut rows = vec![head.iter().map(|h| SrcCell { text: h.clone(), rowspan: 1, colspan: 1 }).collect::<Vec<_>>()];
    let levels = cols.names.len();
    // Where the cell of each level's name now stands (row, place in the
    // row): an upper level's name, left out of a line, merges down into it.
    let mut anchor: Vec<Option<(usize, usize)>> = vec![None; levels];
    let cell = |t: &str, colspan: u32| SrcCell { text: t.to_string(), rowspan: 1, colspan };
    for b in &blocks[1..] {
        let Blk::Para(t, _) = b else { break };
        let Some(c) = TEXT_ROW.captures(t.trim()) else { break };
        let names: Vec<&str> = c[1].split_whitespace().collect();
        if names.is_empty() || names.len() > levels || c[1].chars().count() > 60 {
            break;
        }
        let mut row = Vec::new();
        if names.len() == 1 && (names[0].contains("合计") || names[0].contains("总分")) {
            // The total row spans the names' columns.
            row.push(cell(names[0], levels as u32));
            anchor = vec![None; levels];
        } else {
            let skip = levels - names.len();
            for j in 0..skip {
                match anchor[j] {
                    Some((r, k)) => rows[r][k].rowspan += 1,
                    None => {
                        anchor[j] = Some((rows.len(), row.len()));
                        row.push(cell("", 1));
                    }
                }
            }
            for (i, n) in names.iter().enumerate() {
                anchor[skip + i] = Some((rows.len(), row.len()));
                row.push(cell(n, 1));
            }
        }
        row.push(cell(&c[2], 1));
        if cols.score.is_some() {
            row.push(cell(c.get(3).map_or("", |m| m.as_str()), 1));
        }
        rows.push(row);
    }
    let n = rows.len();
    (n >= 3).then(|| (Blk::Table(rows, head.len()), n))
}

/// The columns of a score table: names by level, weight, score.
struct Columns {
    names: Vec<usize>,
    weight: usize,
    score: Option<usize>,
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn columns(head: &[String]) -> Option<Columns> {
    let names: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|(_, h)| (h.ends_with("指标") || h.ends_with("指标名称")) && !h.contains("值"))
        .map(|(i, _)| i)
        .collect();
    let weight = head.iter().position(|h| ["分值", "权重", "标准分", "满分", "指标分值"].iter().any(|w| h.contains(w)))?;
    let score = head.iter().position(|h| h.contains("得分") || h == "评分" || h.contains("自评分"));
    (!names.is_empty()).then_some(Columns { names, weight, score })
}

/// The table on a grid: each cell's text at every position it covers.
fn grid(rows: &[Vec<SrcCell>], width: usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    // Rows a merged cell above still covers, and its text, per column.
    let mut pending: Vec<(u32, String)> = vec![(0, String::new()); width];
    for r in rows {
        let mut line = vec![String::new(); width];
        let mut col = 0;
        let mut cells = r.iter();
        while col < width {
            if pending[col].0 > 0 {
                pending[col].0 -= 1;
                line[col] = pending[col].1.clone();
                col += 1;
                continue;
            }
            let Some(c) = cells.next() else { break };
            let t = squeeze(&c.text);
            for k in col..(col + c.colspan.max(1) as usize).min(width) {
                line[k] = t.clone();
                if c.rowspan > 1 {
                    pending[k] = (c.rowspan - 1, t.clone());
                }
            }
            col += c.colspan.max(1) as usize;
        }
        out.push(line);
    }
    out
}

fn number(s: &str) -> Option<String> {
    let t = s.trim_end_matches('分');
    let d: rust_decimal::Decimal = t.parse().ok()?;
    (d >= rust_decimal::Decimal::ZERO && d <= rust_decimal::Decimal::from(1000)).then(|| t.to_string())
}

/// The indicators of the first score table in `secs`, if any.
pub fn recognise(secs: &[Sec], summary: &mut Summary) -> Vec<Ind> {
    fn find<'a>(secs: &'a [Sec]) -> Option<(&'a Vec<Vec<SrcCell>>, usize)> {
        for s in secs {
            for b in &s.blocks {
                if let Blk::Table(rows, width) = b {
                    let head: Vec<String> = rows.first()?.iter().map(|c| squeeze(&c.text)).collect();
                    if columns(&head).is_some() {
                        return Some((rows, *width));
                    }
                }
            }
            if let Some(t) = find(&s.sections) {
                return Some(t);
            }
        }
        None
    }
    let Some((rows, width)) = find(secs) else { return Vec::new() };
    let g = grid(rows, width);
    let Some(cols) = columns(&g[0]) else { return Vec::new() };
    let mut roots: Vec<Ind> = Vec::new();
    let mut leaves = 0;
    for line in &g[1..] {
        let names: Vec<&str> = cols.names.iter().map(|c| line[*c].as_str()).collect();
        if names.iter().all(|n| n.is_empty()) || names.iter().any(|n| n.contains("合计") || n.contains("总分")) {
            continue;
        }
        let Some(weight) = number(&line[cols.weight]) else { continue };
        let score = cols.score.and_then(|c| number(&line[c]));
        // Down the levels: the same name as the last child continues it.
        let depth = names.iter().rposition(|n| !n.is_empty()).unwrap_or(0);
        let mut level = &mut roots;
        for (d, n) in names.iter().enumerate().take(depth + 1) {
            let name = if n.is_empty() { "（未命名）" } else { n };
            if level.last().is_none_or(|l| l.name != name) || d == depth {
                level.push(Ind { name: name.to_string(), ..Ind::default() });
            }
            if d == depth {
                let leaf = level.last_mut().expect("pushed");
                leaf.weight = Some(weight.clone());
                leaf.score = score.clone();
                leaves += 1;
            } else {
                level = &mut level.last_mut().expect("pushed").children;
            }
        }
    }
    fn sum(inds: &mut [Ind]) {
        for i in inds {
            if !i.children.is_empty() {
                sum(&mut i.children);
                let w: rust_decimal::Decimal = i.children.iter().filter_map(|c| c.weight.as_deref()?.parse::<rust_decimal::Decimal>().ok()).sum();
                i.weight = Some(w.normalize().to_string());
            }
        }
    }
    sum(&mut roots);
    if leaves > 0 {
        summary.notes.push(format!("自评表（{leaves} 项末级指标）已转为 [[indicators]]（分值、得分）"));
    }
    roots
}

fn is_score_table(rows: &[Vec<SrcCell>]) -> bool {
    rows.first().is_some_and(|r| columns(&r.iter().map(|c| squeeze(&c.text)).collect::<Vec<_>>()).is_some())
}

/// Once the score table is `[[indicators]]`, it is printed from them (as
/// an attachment's `score_table`): the table read from the source leaves
/// the body, and so does its caption (`附件：…自评表`, `部门整体支出绩效自评表`)
/// right above it. Returns the caption without `附件：`, the attachment's
/// title, when there was one.
pub fn take_table(secs: &mut [Sec], summary: &mut Summary) -> Option<Option<String>> {
    for s in secs.iter_mut() {
        if let Some(k) = s.blocks.iter().position(|b| matches!(b, Blk::Table(rows, _) if is_score_table(rows))) {
            s.blocks.remove(k);
            let caption = match k.checked_sub(1).map(|c| &s.blocks[c]) {
                Some(Blk::Para(t, _)) if t.chars().count() <= 60 && !t.contains('。') && (t.ends_with('表') || t.contains("自评表") || t.contains("得分表")) => {
                    let title = CAPTION_HEAD.replace(t.trim(), "").trim().to_string();
                    s.blocks.remove(k - 1);
                    Some(title).filter(|t| !t.is_empty())
                }
                _ => None,
            };
            summary.notes.push(match &caption {
                Some(t) => format!("原文的自评表及其标题“{t}”已从正文中移出：自评表由 [[indicators]] 生成，印在附件“{t}”中"),
                None => "原文的自评表已从正文中移出：自评表由 [[indicators]] 生成，印在附件中".to_string(),
            });
            return Some(caption);
        }
        if let Some(c) = take_table(&mut s.sections, summary) {
            return Some(c);
        }
    }
    None
}

/// `附件：`, `附件1：`, `附表 2.` before an attachment's name.
static CAPTION_HEAD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^附[件表]\s*\d*\s*[：:.．、]?\s*").unwrap());
