//! Word's automatic numbering (numbering.xml): the numbers it would show,
//! counted as the document is read.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::styles::Styles;
use super::{MAX_ID, attr, is};

/// The largest counter: Word's own (its dialog takes a start of 32 767 at
/// most). A larger start (the XML allows 4 294 967 295) is counted from
/// here, with a note: no list has that many items.
pub(super) const MAX_COUNTER: u32 = 32_767;
/// List definitions read (`w:abstractNum`, and `w:num` apart): a document
/// has tens, a long-edited one some hundreds. Each costs a copy of its
/// levels, so the count is capped; those past it number nothing.
const MAX_LISTS: usize = 10_000;
/// Characters of a level's text (`第%1章`, `%1.%2.`): Word's are a few.
const MAX_LEVEL_TEXT: usize = 64;

/// One level of a numbering definition: its format and its text pattern.
#[derive(Clone, Default)]
pub(super) struct Level {
    /// As written (up to u32::MAX); counted from at most [`MAX_COUNTER`].
    pub(super) start: u64,
    pub(super) format: String,
    pub(super) text: String,
    /// The paragraph style this level is linked to (`w:pStyle` in the level).
    pub(super) style: Option<String>,
}

/// Word's list definitions and the counters of the document read so far.
#[derive(Default)]
pub(super) struct Numbering {
    /// numId → the levels of its abstract definition, with overrides.
    pub(super) nums: HashMap<String, Vec<Level>>,
    /// numId → counters per level.
    pub(super) counters: HashMap<String, Vec<u32>>,
    /// The largest start over [`MAX_COUNTER`], for the summary.
    pub(super) capped: Option<u64>,
}

impl Numbering {
    pub(super) fn read(doc: &Document, styles: &Styles) -> Numbering {
        let root = doc.root_element();
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        // A definition may only point at a numbering style (`w:numStyleLink`)
        // whose `w:numPr` names the list that holds the levels.
        let mut links = HashMap::new();
        for a in root.children().filter(|n| is(n, "abstractNum")).take(MAX_LISTS) {
            let Some(id) = attr(&a, "abstractNumId").filter(|i| i.len() <= MAX_ID) else { continue };
            if let Some(link) = a.children().find(|c| is(c, "numStyleLink")).and_then(|c| attr(&c, "val")) {
                links.insert(id.to_string(), link.to_string());
            }
            abstracts.insert(id.to_string(), levels(a));
        }
        let mut abstract_of = HashMap::new();
        let mut overrides = HashMap::new();
        for n in root.children().filter(|n| is(n, "num")).take(MAX_LISTS) {
            let (Some(id), Some(abs)) = (attr(&n, "numId"), n.children().find(|c| is(c, "abstractNumId")).and_then(|c| attr(&c, "val"))) else {
                continue;
            };
            if id.len() > MAX_ID || abs.len() > MAX_ID {
                continue;
            }
            abstract_of.insert(id.to_string(), abs.to_string());
            let mut starts = Vec::new();
            for o in n.children().filter(|c| is(c, "lvlOverride")) {
                let level = attr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|l| *l < 9);
                let start = o.children().find(|c| is(c, "startOverride")).and_then(|c| attr(&c, "val")).and_then(start_value);
                if let (Some(l), Some(s)) = (level, start) {
                    starts.push((l, s));
                }
            }
            overrides.insert(id.to_string(), starts);
        }
        let mut nums = HashMap::new();
        for (id, abs) in &abstract_of {
            let mut abs = abs.clone();
            // Follow a style link once: style → numId → its abstract definition.
            if let Some(link) = links.get(&abs) {
                if let Some(target) = styles.num(Some(link)).and_then(|(n, _)| abstract_of.get(&n)) {
                    abs = target.clone();
                }
            }
            let Some(mut levels) = abstracts.get(&abs).cloned() else { continue };
            for (l, s) in overrides.get(id).into_iter().flatten() {
                levels[*l].start = *s;
            }
            nums.insert(id.clone(), levels);
        }
        Numbering { nums, counters: Default::default(), capped: None }
    }

    /// The number Word shows before a paragraph with numbering `(numId,
    /// level)` and paragraph style `style`, counting it.
    pub(super) fn number(&mut self, num_id: &str, level: Option<usize>, style: Option<&str>) -> Option<String> {
        let levels = self.nums.get(num_id)?.clone();
        // A heading style linked to a list level names no level itself.
        let level = level
            .or_else(|| levels.iter().position(|l| l.style.is_some() && l.style.as_deref() == style))
            .unwrap_or(0)
            .min(8);
        // Starts over the cap are counted from the cap, and named.
        if let Some(big) = levels.iter().take(level + 1).map(|l| l.start).filter(|s| *s > u64::from(MAX_COUNTER)).max() {
            self.capped = self.capped.max(Some(big));
        }
        let first = |l: &Level| (l.start.min(u64::from(MAX_COUNTER)) as u32).saturating_sub(1);
        let counters = self.counters.entry(num_id.to_string()).or_insert_with(|| levels.iter().map(first).collect());
        counters[level] = counters[level].saturating_add(1).min(MAX_COUNTER);
        for deeper in level + 1..counters.len() {
            counters[deeper] = first(&levels[deeper]);
        }
        let lvl = &levels[level];
        if lvl.format == "bullet" || lvl.format == "none" || lvl.text.is_empty() {
            return None;
        }
        // One pass over the level's text: `%1`…`%9` are the counters of
        // the levels up to this one; any other `%` stays.
        let mut text = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            let k = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=level as u32 + 1).contains(d));
            match k {
                Some(k) if c == '%' => {
                    chars.next();
                    let k = k as usize - 1;
                    text.push_str(&format_number(counters[k].max(1), &levels[k].format));
                }
                _ => text.push(c),
            }
        }
        Some(text)
    }
}

/// The nine levels of an `w:abstractNum`.
pub(super) fn levels(a: Node) -> Vec<Level> {
    let mut levels = vec![Level::default(); 9];
    for l in a.children().filter(|n| is(n, "lvl")) {
        let Some(i) = attr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < 9) else { continue };
        let val = |name: &str| l.children().find(|c| is(c, name)).and_then(|c| attr(&c, "val"));
        // Values are short in Word; a long one is cut (the text) or
        // ignored (a name), so that nothing read here grows with the file.
        let short = |name: &str| val(name).filter(|v| v.len() <= MAX_ID).map(str::to_string);
        levels[i] = Level {
            start: val("start").and_then(start_value).unwrap_or(1),
            format: short("numFmt").unwrap_or_else(|| "decimal".into()),
            text: val("lvlText").map(|t| t.chars().take(MAX_LEVEL_TEXT).collect()).unwrap_or_default(),
            style: short("pStyle"),
        };
    }
    levels
}

/// A start value as written (`w:start`, `w:startOverride`): up to u32::MAX.
fn start_value(v: &str) -> Option<u64> {
    v.trim().parse::<u32>().ok().map(u64::from)
}

/// `(numId, ilvl)` of a `w:numPr`: `Some(None)` when it turns numbering
/// off (numId 0), as a paragraph may against its style.
pub(super) fn num_pr(n: Node) -> Option<Option<(String, Option<usize>)>> {
    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val")).filter(|i| i.len() <= MAX_ID)?;
    let level = n.children().find(|c| is(c, "ilvl")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse().ok()).filter(|l: &usize| *l < 9);
    Some((id != "0").then(|| (id.to_string(), level)))
}

/// A counter in a Word number format. Letters repeat (`aa`, `bb`) up to
/// 780 (`zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz`); a larger counter is written in
/// digits: the text stays short whatever the counter.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting" | "chineseCountingThousand" | "ideographTraditional" | "taiwaneseCounting" | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" | "japaneseCounting" | "ideographDigital" => crate::base::format::chinese_numeral(n),
        "decimalFullWidth" | "decimalFullWidth2" => n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_default(),
        "lowerLetter" if n <= 780 => letters(n, b'a'),
        "upperLetter" if n <= 780 => letters(n, b'A'),
        _ => n.to_string(),
    }
}

pub(super) fn letters(n: u32, base: u8) -> String {
    let c = (base + ((n.saturating_sub(1)) % 26) as u8) as char;
    c.to_string().repeat(((n.saturating_sub(1)) / 26 + 1) as usize)
}


#[cfg(test)]
mod tests {
    use super::*;

    fn numbering(start: u64, format: &str, text: &str) -> Numbering {
        let level = Level { start, format: format.into(), text: text.into(), style: None };
        let mut levels = vec![Level::default(); 9];
        levels[0] = level;
        levels[1] = Level { start: 1, format: "decimal".into(), text: "%1.%2 %%3".into(), style: None };
        Numbering { nums: [("1".to_string(), levels)].into(), counters: Default::default(), capped: None }
    }

    #[test]
    fn counters_are_capped_and_texts_stay_short() {
        let mut n = numbering(4_294_967_290, "lowerLetter", "%1%1%1%1、");
        assert_eq!(n.number("1", Some(0), None).as_deref(), Some("32767327673276732767、"));
        assert_eq!(n.number("1", Some(0), None).as_deref(), Some("32767327673276732767、"));
        assert_eq!(n.capped, Some(4_294_967_290));
        // `%3` names a deeper level than the paragraph's: it stays as written.
        assert_eq!(n.number("1", Some(1), None).as_deref(), Some("32767.1 %%3"));
        let mut n = numbering(27, "upperLetter", "%1.");
        assert_eq!(n.number("1", Some(0), None).as_deref(), Some("AA."));
        assert_eq!(n.capped, None);
        assert_eq!(format_number(780, "lowerLetter"), "z".repeat(30));
        assert_eq!(format_number(781, "lowerLetter"), "781");
    }
}
