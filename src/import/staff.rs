//! The staffing sentence: `共有行政编制6名，工勤人员1名` becomes `[staffing]`
//! and a `figures` sentence with `{staffing.groups}`, as the data format has
//! it. Only when certain: the categories must be written one after the
//! other as jixiao prints them (`名称N名`, joined by `，`), so the sentence
//! prints the same; a stated total (核定编制N名) becomes a placeholder only
//! when it is their sum. 实有人数 and 退休人员 in the same paragraph go along.

use std::sync::LazyLock;

use regex::Regex;

use super::Summary;
use super::doc::{Blk, Sec, StaffOut};


const NAMES: &str = "行政编制|事业编制|工勤编制|参公编制|参照公务员法管理事业编制|机关工勤编制|政法专项编制|工勤人员|事业人员|行政人员";

static GROUP: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"({NAMES})(\d{{1,4}})名")).unwrap());
static AUTHORIZED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:核定|核编)(?:人员)?编制(?:数|总数)?(?:为|共|合计)?(\d{1,4})名").unwrap());
static ACTUAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"实有(?:在职|在编)?(?:人员|人数)?(?:为|共|合计)?(\d{1,4})(?:名|人)").unwrap());
static RETIRED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"退休(?:人员)?(?:为|共|合计)?(\d{1,4})(?:名|人)").unwrap());

/// The first paragraph that states the staff by category.
pub fn recognise(secs: &mut [Sec], summary: &mut Summary) -> Option<StaffOut> {
    for s in secs.iter_mut() {
        for b in &mut s.blocks {
            let Blk::Para(text, at) = b else { continue };
            let at = *at;
            if text.contains(['{', '}']) {
                continue;
            }
            if let Some((figures, out)) = sentence(text) {
                summary.paragraphs = summary.paragraphs.saturating_sub(1);
                summary.notes.push(format!(
                    "人员编制（{}）已转为 [staffing] 与占位符，请核对",
                    out.groups.iter().map(|(n, c)| format!("{n}{c}名")).collect::<Vec<_>>().join("，")
                ));
                *b = Blk::Figures(figures, text.clone(), at);
                return Some(out);
            }
        }
        if let Some(out) = recognise(&mut s.sections, summary) {
            return Some(out);
        }
    }
    None
}

/// The categories written one after the other, as `{staffing.groups}` prints them.
fn sentence(text: &str) -> Option<(String, StaffOut)> {
    let mut out = StaffOut::default();
    let mut run: Option<std::ops::Range<usize>> = None;
    for c in GROUP.captures_iter(text) {
        let m = c.get(0)?;
        match &run {
            None => run = Some(m.range()),
            Some(r) if text[r.end..m.start()] == *"，" => run = Some(r.start..m.end()),
            // A second list, or one joined otherwise (`、`, `；`): not certain.
            Some(_) => return None,
        }
        if out.groups.iter().any(|(n, _)| *n == c[1]) {
            return None;
        }
        out.groups.push((c[1].to_string(), c[2].parse().ok()?));
    }
    let run = run?;
    // Replacements, back to front so the byte ranges hold.
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = vec![(run.clone(), "{staffing.groups}")];
    let sum: u32 = out.groups.iter().map(|(_, n)| n).sum();
    if let Some(c) = AUTHORIZED.captures(text) {
        let n = c.get(1)?;
        if n.as_str().parse::<u32>().ok()? == sum && n.end() <= run.start {
            edits.push((n.range(), "{staffing.authorized}"));
        }
    }
    for (re, key) in [(&*ACTUAL, "{staffing.actual}"), (&*RETIRED, "{staffing.retired}")] {
        let mut found = re.captures_iter(text);
        let (Some(c), None) = (found.next(), found.next()) else { continue };
        let n = c.get(1)?;
        if run.contains(&n.start()) {
            continue;
        }
        let v = n.as_str().parse::<u32>().ok()?;
        if key == "{staffing.actual}" {
            out.actual_total = Some(v);
        } else {
            out.retired = Some(v);
        }
        edits.push((n.range(), key));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut figures = text.to_string();
    for (r, with) in edits {
        figures.replace_range(r, with);
    }
    Some((figures, out))
}
