//! Property tests of the number formats, each checked against an independent
//! reading of the output (a parser written here), not against the formatter.

use jixiao::base::format::{chinese_numeral, money_plain, money_thousands, money_wan, percent, rmb_upper, round};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Read 人民币大写 back into fen.
fn parse_upper(s: &str) -> i128 {
    let digit = |c: char| "零壹贰叁肆伍陆柒捌玖".chars().position(|d| d == c).map(|v| v as i128);
    let (neg, s) = s.strip_prefix('负').map_or((false, s), |r| (true, r));
    let s = s.trim_end_matches('整');
    let (int_part, frac) = match s.split_once('元') {
        Some((i, f)) => (i, f),
        None if s.ends_with('角') || s.ends_with('分') => ("", s),
        None => (s, ""),
    };
    // Integer: sections split by 亿 and 万.
    let mut total: i128 = 0;
    let mut section: i128 = 0;
    let mut current: i128 = 0;
    for c in int_part.chars() {
        if let Some(v) = digit(c) {
            current = v;
            continue;
        }
        match c {
            '拾' => section += current * 10,
            '佰' => section += current * 100,
            '仟' => section += current * 1000,
            '万' => {
                section += current;
                // 万亿: scale what is already read by 万 on top of 亿.
                if total > 0 && section == 0 {
                    total *= 10_000;
                } else {
                    total += section * 10_000;
                }
                section = 0;
            }
            '亿' => {
                section += current;
                total = (total + section) * 100_000_000;
                section = 0;
            }
            _ => panic!("unexpected {c} in {s}"),
        }
        current = 0;
    }
    total += section + current;
    let mut fen = total * 100;
    let mut current = 0;
    for c in frac.chars() {
        if let Some(v) = digit(c) {
            current = v;
        } else if c == '角' {
            fen += current * 10;
        } else if c == '分' {
            fen += current;
        }
    }
    if neg { -fen } else { fen }
}

fn cents() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..1_000, 0i64..100_000_000, 0i64..1_000_000_000_000_000]
}

proptest! {
    #[test]
    fn rmb_upper_reads_back(c in cents()) {
        let d = Decimal::new(c, 2);
        let s = rmb_upper(d);
        prop_assert_eq!(parse_upper(&s), c as i128, "{} → {}", d, s);
        prop_assert!(!s.contains("零零"), "{}", s);
        prop_assert!(s.ends_with('整') || s.ends_with('分'), "{}", s);
        prop_assert!(!s.starts_with('零') || c == 0, "{}", s);
        // 整 only when there is no 分.
        prop_assert_eq!(s.ends_with('整'), c % 10 == 0, "{}", s);
    }

    #[test]
    fn thousands_only_adds_separators(c in cents(), scale in 0u32..3) {
        let d = Decimal::new(c, scale);
        let t = money_thousands(d);
        prop_assert_eq!(t.replace(',', ""), money_plain(d));
        let int = t.split('.').next().unwrap();
        let groups: Vec<&str> = int.split(',').collect();
        prop_assert!(!groups[0].is_empty() && groups[0].len() <= 3, "{}", t);
        prop_assert!(groups[1..].iter().all(|g| g.len() == 3), "{}", t);
    }

    #[test]
    fn wan_is_within_half_a_unit_of_the_last_place(c in cents()) {
        let yuan = Decimal::new(c, 2);
        let wan: Decimal = money_wan(yuan).parse().unwrap();
        prop_assert_eq!(wan.scale(), 2);
        let back = wan * Decimal::from(10_000);
        prop_assert!((back - yuan).abs() <= Decimal::from(50), "{} → {}", yuan, wan);
    }

    #[test]
    fn rounding_is_half_away_from_zero(n in -1_000_000i64..1_000_000) {
        // n ends in 5 at the third place: a midpoint.
        let d = Decimal::new(n * 10 + 5, 3);
        let r = round(d, 2);
        prop_assert_eq!(r.abs(), (d.abs() + Decimal::new(5, 3)).trunc_with_scale(2));
    }

    #[test]
    fn percent_is_rounded_ratio(part in 0i64..1_000_000, whole in 1i64..1_000_000) {
        let p = percent(Decimal::from(part), Decimal::from(whole), 2).unwrap();
        let exact = Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole);
        prop_assert!((p - exact).abs() <= Decimal::new(5, 3), "{} vs {}", p, exact);
        prop_assert_eq!(p.scale(), 2);
    }

    #[test]
    fn numerals_read_back(n in 1u32..1000) {
        let s = chinese_numeral(n);
        let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|v| v as u32);
        let mut total = 0;
        let mut current = 0;
        let mut seen_unit = false;
        for c in s.chars() {
            match c {
                '百' => { total += current * 100; current = 0; seen_unit = true; }
                // A leading 十 means 一十.
                '十' => { total += if current == 0 && (!seen_unit || total == 0) { 10 } else { current * 10 }; current = 0; seen_unit = true; }
                _ => current = digit(c).unwrap(),
            }
        }
        prop_assert_eq!(total + current, n, "{}", s);
        if n < 100 { prop_assert!(!s.contains('零')); }
    }
}
