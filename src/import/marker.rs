//! A heading's number: which kind of numeral (一 or 1) in which form
//! (`一、`, `（一）`, `1.`, `（1）`…) and its value, read from the start of a
//! paragraph.

use std::sync::LazyLock;

use regex::Regex;

/// Numerals: Chinese (一、二…) or Arabic (1, 2…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Numeral {
    Cn,
    Arabic,
}

/// What follows or surrounds the numeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// `一、` `1、`
    Dun,
    /// `1.` `1．`
    Dot,
    /// `（一）` `(1)` and mixed widths.
    Paren,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    pub numeral: Numeral,
    pub form: Form,
}

#[derive(Debug, Clone)]
pub struct Marker {
    pub kind: Kind,
    pub value: u32,
    /// Bytes of the marker and the spaces after it.
    pub len: usize,
    /// The numbering pattern as written, for `[style] numbering`.
    pub pattern: String,
}

fn cn_value(s: &str) -> Option<u32> {
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|d| *d > 0),
        ['十', b] => digit(*b).filter(|d| *d > 0).map(|d| 10 + d),
        [a, '十'] => digit(*a).filter(|d| *d > 1).map(|d| d * 10),
        [a, '十', b] => Some(digit(*a).filter(|d| *d > 1)? * 10 + digit(*b).filter(|d| *d > 0)?),
        _ => None,
    }
}

/// A value written in Chinese numerals (up to 99), as a heading shows it.
pub fn cn_numeral(v: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match v {
        0..=9 => D[v as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(v % 10) as usize]),
        _ if v % 10 == 0 => format!("{}十", D[(v / 10 % 10) as usize]),
        _ => format!("{}十{}", D[(v / 10 % 10) as usize], D[(v % 10) as usize]),
    }
}

/// How deep a kind of number sits by the convention of official documents
/// (一、 （一） 1. （1）): the rank a report's levels are ordered by.
pub fn rank(k: Kind) -> u8 {
    match (k.numeral, k.form) {
        (Numeral::Cn, Form::Dun | Form::Dot) => 0,
        (Numeral::Cn, Form::Paren) => 1,
        (Numeral::Arabic, Form::Dot | Form::Dun) => 2,
        (Numeral::Arabic, Form::Paren) => 3,
    }
}

fn arabic_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 {
        return None;
    }
    let mut v = 0u32;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        v = v * 10 + d;
    }
    (v > 0).then_some(v)
}

/// The heading or list number at the start of `text`, if any.
pub fn parse_marker(text: &str) -> Option<Marker> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:([（(])\s*([一二三四五六七八九十]{1,3}|[0-9０-９]{1,3})\s*([）)])|([一二三四五六七八九十]{1,3}|[0-9０-９]{1,3})\s*([、.．]))[ \t\u{3000}]*")
            .unwrap()
    });
    let c = RE.captures(text)?;
    let whole = c.get(0)?;
    let (num, form, pattern) = if let Some(n) = c.get(2) {
        (n.as_str(), Form::Paren, format!("{}{{}}{}", &c[1], &c[3]))
    } else {
        let p = &c[5];
        (c.get(4)?.as_str(), if p == "、" { Form::Dun } else { Form::Dot }, format!("{{}}{p}"))
    };
    let rest = &text[whole.end()..];
    let (numeral, value) = match cn_value(num) {
        Some(v) => (Numeral::Cn, v),
        None => (Numeral::Arabic, arabic_value(num)?),
    };
    if form == Form::Dot {
        // `2.3万人次`, `1.5%`: a decimal, not a number of a heading.
        if rest.is_empty() || text[c.get(4)?.end()..].trim_start_matches(['.', '．']).starts_with(|ch: char| ch.is_ascii_digit()) {
            return None;
        }
    }
    if rest.trim().is_empty() {
        return None;
    }
    let slot = if numeral == Numeral::Cn { "{cn}" } else { "{n}" };
    let pattern = pattern.replace("{}", slot).replace('．', ".");
    Some(Marker { kind: Kind { numeral, form }, value, len: whole.end(), pattern })
}

/// Default numbering, as [`crate::input::model::Style`] has it.
pub fn default_numbering() -> Vec<String> {
    crate::input::model::Style::default().numbering
}

