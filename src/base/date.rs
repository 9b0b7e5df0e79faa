//! Calendar dates without a clock: the document date of a PDF comes from
//! the report or `SOURCE_DATE_EPOCH`, never from when it is rendered.

/// A calendar date, for the document's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// `SOURCE_DATE_EPOCH` as a date: `None` when unset; an error (and ignored)
/// when it is not a number of seconds for a year from 1900 to 9999.
pub fn source_date_epoch() -> Result<Option<Date>, String> {
    let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") else { return Ok(None) };
    let secs = v.trim().parse::<i64>().map_err(|_| format!("环境变量 SOURCE_DATE_EPOCH“{}”不是秒数，已忽略", crate::base::diagnostic::shown(&v)))?;
    // 1900-01-01 to 9999-12-31, the years a PDF date can hold.
    if !(-2_208_988_800..=253_402_300_799).contains(&secs) {
        return Err(format!("环境变量 SOURCE_DATE_EPOCH {secs} 超出 1900 到 9999 年的范围，已忽略"));
    }
    Ok(Some(civil_from_days(secs.div_euclid(86_400))))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(civil_from_days(0), Date { year: 1970, month: 1, day: 1 });
        assert_eq!(civil_from_days(19_417), Date { year: 2023, month: 3, day: 1 });
        assert_eq!(civil_from_days(11_016), Date { year: 2000, month: 2, day: 29 });
    }
}
