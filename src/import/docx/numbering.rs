//! Word's automatic numbering (numbering.xml): the numbers it would show,
//! counted as the document is read.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::styles::Styles;
use super::{attr, is};

/// One level of a numbering definition: its format and its text pattern.
#[derive(Clone, Default)]
pub(super) struct Level {
    pub(super) start: u32,
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
}

impl Numbering {
    pub(super) fn read(doc: &Document, styles: &Styles) -> Numbering {
        let root = doc.root_element();
        let mut abstracts = HashMap::new();
        // A definition may only point at a numbering style (`w:numStyleLink`)
        // whose `w:numPr` names the list that holds the levels.
        let mut links = HashMap::new();
        for a in root.children().filter(|n| is(n, "abstractNum")) {
            let Some(id) = attr(&a, "abstractNumId") else { continue };
            if let Some(link) = a.children().find(|c| is(c, "numStyleLink")).and_then(|c| attr(&c, "val")) {
                links.insert(id.to_string(), link.to_string());
            }
            abstracts.insert(id.to_string(), levels(a));
        }
        let mut abstract_of = HashMap::new();
        let mut overrides = HashMap::new();
        for n in root.children().filter(|n| is(n, "num")) {
            let (Some(id), Some(abs)) = (attr(&n, "numId"), n.children().find(|c| is(c, "abstractNumId")).and_then(|c| attr(&c, "val"))) else {
                continue;
            };
            abstract_of.insert(id.to_string(), abs.to_string());
            let mut starts = Vec::new();
            for o in n.children().filter(|c| is(c, "lvlOverride")) {
                let level = attr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|l| *l < 9);
                let start = o.children().find(|c| is(c, "startOverride")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse::<u32>().ok());
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
        Numbering { nums, counters: Default::default() }
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
        let counters = self.counters.entry(num_id.to_string()).or_insert_with(|| levels.iter().map(|l| l.start.saturating_sub(1)).collect());
        counters[level] = counters[level].saturating_add(1);
        for deeper in level + 1..counters.len() {
            counters[deeper] = levels[deeper].start.saturating_sub(1);
        }
        let lvl = &levels[level];
        if lvl.format == "bullet" || lvl.format == "none" || lvl.text.is_empty() {
            return None;
        }
        let mut text = lvl.text.clone();
        for (k, l) in levels.iter().enumerate().take(level + 1) {
            text = text.replace(&format!("%{}", k + 1), &format_number(counters[k].max(1), &l.format));
        }
        Some(text)
    }
}

/// The nine levels of an `w:abstractNum`.
pub(super) fn levels(a: Node) -> Vec<Level> {
    let mut levels = vec![Level::default(); 9];
    for l in a.children().filter(|n| is(n, "lvl")) {
        let Some(i) = attr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|i| *i < 9) else { continue };
        let val = |name: &str| l.children().find(|c| is(c, name)).and_then(|c| attr(&c, "val")).map(str::to_string);
        levels[i] = Level {
            start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
            format: val("numFmt").unwrap_or_else(|| "decimal".into()),
            text: val("lvlText").unwrap_or_default(),
            style: val("pStyle"),
        };
    }
    levels
}

/// `(numId, ilvl)` of a `w:numPr`: `Some(None)` when it turns numbering
/// off (numId 0), as a paragraph may against its style.
pub(super) fn num_pr(n: Node) -> Option<Option<(String, Option<usize>)>> {
    let id = n.children().find(|c| is(c, "numId")).and_then(|c| attr(&c, "val"))?;
    let level = n.children().find(|c| is(c, "ilvl")).and_then(|c| attr(&c, "val")).and_then(|v| v.parse().ok()).filter(|l: &usize| *l < 9);
    Some((id != "0").then(|| (id.to_string(), level)))
}

/// A counter in a Word number format.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting" | "chineseCountingThousand" | "ideographTraditional" | "taiwaneseCounting" | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" | "japaneseCounting" | "ideographDigital" => crate::base::format::chinese_numeral(n),
        "decimalFullWidth" | "decimalFullWidth2" => n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_default(),
        "lowerLetter" => letters(n, b'a'),
        "upperLetter" => letters(n, b'A'),
        _ => n.to_string(),
    }
}

pub(super) fn letters(n: u32, base: u8) -> String {
    let c = (base + ((n.saturating_sub(1)) % 26) as u8) as char;
    c.to_string().repeat(((n.saturating_sub(1)) / 26 + 1) as usize)
}

