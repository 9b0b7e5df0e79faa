//! Number formatting: section numerals and money, in one place.

use rust_decimal::Decimal;

/// Chinese numeral for 1..=99 (`一`…`九十九`), as used by `一、` and `（一）`.
/// Larger numbers fall back to the general reading (`一百`, `一百零一`).
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
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

/// A money amount as the data wrote it (its scale kept): `1485562.08`, `0`.
pub fn money_plain(d: Decimal) -> String {
    d.to_string()
}

/// A weight, score or cap without trailing zeros: `5`, `0.5`.
pub fn number(d: Decimal) -> String {
    d.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn money_keeps_written_scale() {
        assert_eq!(money_plain("141200.00".parse().unwrap()), "141200.00");
        assert_eq!(money_plain("0".parse().unwrap()), "0");
        assert_eq!(number("5.0".parse().unwrap()), "5");
        assert_eq!(number("0.50".parse().unwrap()), "0.5");
    }
}
