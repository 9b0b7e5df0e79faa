//! Number formatting, in one place: section numerals, money (as written, with
//! thousands separators, in 万元, in 人民币大写), percentages, dates.
//!
//! Rounding is always 四舍五入 — half away from zero — on exact decimals.

use rust_decimal::{Decimal, RoundingStrategy};

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese numeral for a section ordinal: `一`…`九十九`, then `一百`, `一百零一`…
pub fn chinese_numeral(n: u32) -> String {
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens as usize]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones as usize]);
            }
            s
        }
        _ => {
            let (hundreds, rest) = (n / 100, n % 100);
            let mut s = chinese_numeral(hundreds);
            s.push('百');
            match rest {
                0 => {}
                1..=9 => {
                    s.push('零');
                    s.push_str(DIGITS[rest as usize]);
                }
                // 一百一十, not 一百十
                10..=19 => {
                    s.push('一');
                    s.push_str(&chinese_numeral(rest));
                }
                _ => s.push_str(&chinese_numeral(rest)),
            }
            s
        }
    }
}

/// Fill a numbering pattern such as `（{cn}）` or `{n}.` with the ordinal `n`.
pub fn section_number(pattern: &str, n: u32) -> String {
    pattern
        .replace("{cn}", &chinese_numeral(n))
        .replace("{n}", &n.to_string())
}

/// A number typed by hand at the start of a title (`一、`, `（一）`, `1.`,
/// `1、`, `（1）`, `(1)`, `第一，`): its length in bytes. jixiao numbers
/// titles itself, so such a number would print twice.
pub fn handwritten_number(title: &str) -> Option<usize> {
    let t = title;
    let numeral = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十百零〇".contains(c);
    let run = |s: &str| s.char_indices().take_while(|(_, c)| numeral(*c)).last().map(|(i, c)| i + c.len_utf8());
    for (open, close) in [("（", "）"), ("(", ")")] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(n) = run(rest)
            && rest[n..].starts_with(close)
        {
            return Some(open.len() + n + close.len());
        }
    }
    let body = t.strip_prefix('第').unwrap_or(t);
    let n = run(body)?;
    let after = body[n..].chars().next()?;
    // `1.5万元` is a figure, not a number: a dot must not be followed by a digit.
    let dot_ok = !matches!(after, '.' | '．') || !body[n + after.len_utf8()..].starts_with(|c: char| c.is_ascii_digit());
    (matches!(after, '、' | '.' | '．' | '，' | ',') && dot_ok).then(|| t.len() - body.len() + n + after.len_utf8())
}

/// Round half away from zero (四舍五入) to `places` decimals.
pub fn round(d: Decimal, places: u32) -> Decimal {
    d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// A money amount as the data wrote it (its scale kept): `1485562.08`, `0`.
pub fn money_plain(d: Decimal) -> String {
    d.to_string()
}

/// With thousands separators, scale kept: `1,485,562.08`.
pub fn money_thousands(d: Decimal) -> String {
    let text = d.abs().to_string();
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// An amount in 元 shown in 万元, two decimals: `1485562.08` → `148.56`.
pub fn money_wan(yuan: Decimal) -> String {
    let mut wan = round(yuan / Decimal::from(10_000), 2);
    wan.rescale(2);
    wan.to_string()
}

/// `part / whole` as a percentage with `places` decimals, or `None` for a zero whole.
pub fn percent(part: Decimal, whole: Decimal, places: u32) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    Some(fixed(part * Decimal::ONE_HUNDRED / whole, places))
}

/// A rate or share as printed: rounded to `places` and shown with all of
/// them (`100.00`, not `100`), so every rate of a report has one look.
pub fn fixed(d: Decimal, places: u32) -> Decimal {
    let mut r = round(d, places);
    r.rescale(places);
    r
}

/// A weight, score or cap without trailing zeros: `5`, `0.5`.
pub fn number(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A date as documents write it (GB/T 9704 §7.3.5.4): `2023年3月1日`.
pub fn date_zh(year: u16, month: u8, day: u8) -> String {
    format!("{year}年{month}月{day}日")
}

const UPPER: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// 人民币大写: `1485562.08` → `壹佰肆拾捌万伍仟伍佰陆拾贰元零捌分`.
///
/// Rounded to the fen first. One 零 stands for any run of zeros between
/// non-zero digits; a zero 角 before a non-zero 分 is written 零; an amount
/// without 分 ends in 整. Amounts up to 万亿.
pub fn rmb_upper(amount: Decimal) -> String {
    let cents = round(amount.abs(), 2) * Decimal::ONE_HUNDRED;
    let cents: u128 = cents.trunc().to_string().parse().unwrap_or(0);
    let (yuan, jiao, fen) = (cents / 100, (cents / 10 % 10) as usize, (cents % 10) as usize);
    let mut out = String::new();
    if amount.is_sign_negative() && cents > 0 {
        out.push('负');
    }
    let int = integer_upper(yuan);
    if yuan > 0 {
        out.push_str(&int);
        out.push('元');
    }
    if jiao == 0 && fen == 0 {
        if yuan == 0 {
            out.push_str("零元");
        }
        out.push('整');
        return out;
    }
    if jiao > 0 {
        out.push(UPPER[jiao]);
        out.push('角');
    }
    if fen > 0 {
        if jiao == 0 && yuan > 0 {
            out.push('零');
        }
        out.push(UPPER[fen]);
        out.push('分');
    } else {
        out.push('整');
    }
    out
}

fn integer_upper(n: u128) -> String {
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    groups.reverse();
    let count = groups.len();
    let mut out = String::new();
    let mut zero = false;
    for (gi, &g) in groups.iter().enumerate() {
        let index = count - 1 - gi;
        if g == 0 {
            zero |= !out.is_empty();
            continue;
        }
        let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
        for (k, &d) in digits.iter().enumerate() {
            if d == 0 {
                zero |= !out.is_empty();
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            out.push(UPPER[d]);
            out.push_str(["仟", "佰", "拾", ""][k]);
        }
        out.push_str(match index {
            0 => "",
            1 => "万",
            2 => "亿",
            // 万亿 when the 亿 group below is empty, else 万 (then 亿 follows).
            _ if groups.get(gi + 1) == Some(&0) => "万亿",
            _ => "万",
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn numerals() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (115, "一百一十五"),
            (230, "二百三十"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_numeral(n), s, "{n}");
        }
    }

    #[test]
    fn patterns() {
        assert_eq!(section_number("{cn}、", 3), "三、");
        assert_eq!(section_number("（{cn}）", 12), "（十二）");
        assert_eq!(section_number("{n}.", 7), "7.");
        assert_eq!(section_number("（{n}）", 10), "（10）");
    }

    #[test]
    fn money_forms() {
        assert_eq!(money_plain(d("141200.00")), "141200.00");
        assert_eq!(money_plain(d("0")), "0");
        assert_eq!(money_thousands(d("1485562.08")), "1,485,562.08");
        assert_eq!(money_thousands(d("562.08")), "562.08");
        assert_eq!(money_thousands(d("-1000")), "-1,000");
        assert_eq!(money_wan(d("1485562.08")), "148.56");
        assert_eq!(money_wan(d("50")), "0.01");
        assert_eq!(money_wan(d("49")), "0.00");
        assert_eq!(number(d("5.0")), "5");
        assert_eq!(number(d("0.50")), "0.5");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round(d("2.345"), 2), d("2.35"));
        assert_eq!(round(d("-2.345"), 2), d("-2.35"));
        assert_eq!(round(d("2.344999"), 2), d("2.34"));
        assert_eq!(percent(d("1192005.88"), d("1485562.08"), 2), Some(d("80.24")));
        assert_eq!(percent(d("1"), d("0"), 2), None);
    }

    #[test]
    fn rmb_upper_cases() {
        let cases = [
            ("1485562.08", "壹佰肆拾捌万伍仟伍佰陆拾贰元零捌分"),
            ("0", "零元整"),
            ("0.08", "捌分"),
            ("0.5", "伍角整"),
            ("10", "壹拾元整"),
            ("100.10", "壹佰元壹角整"),
            ("10050", "壹万零伍拾元整"),
            ("200000", "贰拾万元整"),
            ("150001", "壹拾伍万零壹元整"),
            ("100000001", "壹亿零壹元整"),
            ("1000000000000", "壹万亿元整"),
            ("1192005.88", "壹佰壹拾玖万贰仟零伍元捌角捌分"),
            ("-3.2", "负叁元贰角整"),
        ];
        for (n, s) in cases {
            assert_eq!(rmb_upper(d(n)), s, "{n}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date_zh(2023, 3, 1), "2023年3月1日");
    }
}
