//! Reading numbers, amounts, years and dates from TOML: exact decimals,
//! range-checked where they are read.

use rust_decimal::Decimal;
use serde::Deserialize;


/// Money amounts: a TOML string (`"1485562.08"`) or integer (`0`). Floats are
/// refused, because a TOML float has already been through binary floating point.
pub(super) mod money {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor { allow_float: false })
    }
}

/// Sane ranges, checked where the data is read so that no later sum or
/// product can overflow: an amount above 10^15 (元) is surely a typo, and no
/// weight, score or cap comes near a million.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;
pub const MAX_NUMBER: i64 = 1_000_000;
/// Decimal places an amount (万元 to 4 places, with room) or a score may have.
pub const MAX_AMOUNT_PLACES: u32 = 6;
pub const MAX_NUMBER_PLACES: u32 = 4;
/// Years a report may cover.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A TOML date, or a date in quotes written as Word users write it: the
/// intent is certain, so it is read rather than refused.
pub(super) fn lenient_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<toml::value::Datetime>, D::Error> {
    struct DateVisitor;
    impl<'de> serde::de::Visitor<'de> for DateVisitor {
        type Value = toml::value::Datetime;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("日期（如 2026-03-15，不加引号）")
        }

        fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Self::Value, E> {
            match crate::input::syntax_help::lenient_date(t) {
                Some((y, m, day)) => format!("{y:04}-{m:02}-{day:02}").parse().map_err(E::custom),
                None => Err(E::custom(format!("“{t}”不是日期；成文日期写成 2026-03-15（年月日用“-”连接，月和日都写两位，不加引号）"))),
            }
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            toml::value::Datetime::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(DateVisitor).map(Some)
}

pub(super) fn amount_places<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    places_within(d, MAX_AMOUNT_PLACES)
}

pub(super) fn score_places<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    places_within(d, MAX_AMOUNT_PLACES)
}

fn places_within<'de, D: serde::Deserializer<'de>>(d: D, max: u32) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    if !(0..=i64::from(max)).contains(&n) {
        return Err(serde::de::Error::custom(format!("小数位数 {n} 超出范围：应为 0 到 {max}")));
    }
    Ok(n as u32)
}

pub(super) fn year<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    let y = i64::deserialize(d)?;
    if !(i64::from(*YEARS.start())..=i64::from(*YEARS.end())).contains(&y) {
        return Err(serde::de::Error::custom(format!(
            "年度 {y} 超出范围：应为 {} 到 {} 之间的四位年份，如 2023",
            YEARS.start(),
            YEARS.end()
        )));
    }
    Ok(y as i32)
}

/// Scores, weights and caps: small numbers users naturally write as `0.5`, so
/// TOML floats are accepted and converted through their shortest decimal text,
/// which is exact for every value a person types.
pub(super) mod number {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.normalize().to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor { allow_float: true })
    }
}

pub(super) mod opt_money {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::money::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        super::money::deserialize(d).map(Some)
    }
}

pub(super) mod opt_number {
    use super::*;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::number::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        super::number::deserialize(d).map(Some)
    }
}

pub(super) struct DecimalVisitor {
    allow_float: bool,
}

impl serde::de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.allow_float {
            f.write_str("数字（如 5、0.5 或 \"18\"）")
        } else {
            f.write_str("金额字符串（如 \"1485562.08\"）")
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        let t = v.trim();
        // Decimal::from_str accepts "1e5" and "_" in some versions; keep to plain digits.
        let plain = !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && t.chars().filter(|&c| c == '.').count() <= 1
            && !t[1..].contains('-');
        if !plain {
            return Err(E::custom(format!("“{v}”不是数字")));
        }
        let digits = t.trim_start_matches('-').split('.').next().unwrap_or("").trim_start_matches('0').len();
        if digits > 20 {
            return Err(E::custom(self.out_of_range(t)));
        }
        let d = t.parse::<Decimal>().map_err(|_| E::custom(format!("“{v}”不是数字或超出范围")))?;
        self.in_range(d, t)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        self.in_range(Decimal::from(v), &v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        self.in_range(Decimal::from(v), &v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !self.allow_float {
            return Err(E::custom(format!(
                "金额请写成字符串（如 \"{v}\"），以免经过二进制浮点数而失去分位精度"
            )));
        }
        if !v.is_finite() || v.abs() >= MAX_NUMBER as f64 * 10.0 {
            return Err(E::custom(self.out_of_range(&v.to_string())));
        }
        // Rust prints the shortest text that round-trips, i.e. what the user typed.
        let text = format!("{v}");
        if text.split('.').nth(1).is_some_and(|f| f.len() as u32 > MAX_NUMBER_PLACES) {
            return Err(E::custom(self.too_precise(&text)));
        }
        let d = text.parse::<Decimal>().map_err(|_| E::custom(format!("{v} 不是有效数字")))?;
        self.in_range(d, &text)
    }
}

impl DecimalVisitor {
    fn limits(&self) -> (Decimal, u32) {
        if self.allow_float {
            (Decimal::from(MAX_NUMBER), MAX_NUMBER_PLACES)
        } else {
            (Decimal::from(MAX_AMOUNT), MAX_AMOUNT_PLACES)
        }
    }

    fn in_range<E: serde::de::Error>(&self, d: Decimal, text: &str) -> Result<Decimal, E> {
        let (max, places) = self.limits();
        if d.abs() > max {
            return Err(E::custom(self.out_of_range(text)));
        }
        if d.scale() > places {
            return Err(E::custom(self.too_precise(text)));
        }
        Ok(d)
    }

    fn out_of_range(&self, text: &str) -> String {
        if self.allow_float {
            format!("数字 {text} 超出合理范围（分值、得分、上限的绝对值不超过 {MAX_NUMBER}）；请检查是否多打了数字")
        } else {
            format!("金额 {text} 超出合理范围（绝对值不超过 10 的 15 次方，即 1000 万亿）；请检查是否多打了数字")
        }
    }

    fn too_precise(&self, text: &str) -> String {
        let (_, places) = self.limits();
        let what = if self.allow_float { "分值、得分" } else { "金额" };
        format!("{what} {text} 的小数位太多（最多 {places} 位）")
    }
}

