//! Calendar dates and RFC 3339 timestamps, validated without a date-time library (the PWA must
//! stay small: no chrono in the wasm).

use serde::{Deserialize, Serialize};
use std::fmt;

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

fn parse_ymd(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&s[..4])?, digits(&s[5..7])?, digits(&s[8..])?);
    (y >= 1900 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

/// A calendar date `YYYY-MM-DD` (the day a health report is for).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(String);

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        parse_ymd(s)
            .map(|_| Date(s.to_owned()))
            .ok_or_else(|| "must be a date YYYY-MM-DD".to_owned())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        Date::parse(&s)
    }
}
impl From<Date> for String {
    fn from(d: Date) -> String {
        d.0
    }
}
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An RFC 3339 timestamp with an offset: `2026-11-28T09:30:00Z`, `…T17:30:00.123+08:00`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(String);

impl Timestamp {
    pub fn parse(s: &str) -> Result<Timestamp, String> {
        let err = || "must be an RFC 3339 time like 2026-11-28T09:30:00Z".to_owned();
        if s.len() < 20 || !s.is_char_boundary(10) || !s.is_char_boundary(19) {
            return Err(err());
        }
        parse_ymd(&s[..10]).ok_or_else(err)?;
        let sep = s.as_bytes()[10];
        if !matches!(sep, b'T' | b't') {
            return Err(err());
        }
        let t = &s[11..19];
        let tb = t.as_bytes();
        if tb[2] != b':' || tb[5] != b':' {
            return Err(err());
        }
        let (h, m, sec) = (
            digits(&t[..2]).ok_or_else(err)?,
            digits(&t[3..5]).ok_or_else(err)?,
            digits(&t[6..]).ok_or_else(err)?,
        );
        if h > 23 || m > 59 || sec > 60 {
            return Err(err());
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err(err());
            }
            rest = &frac[n..];
        }
        let offset_ok = match rest {
            "Z" | "z" => true,
            o if o.len() == 6
                && (o.starts_with('+') || o.starts_with('-'))
                && o.as_bytes()[3] == b':' =>
            {
                matches!((digits(&o[1..3]), digits(&o[4..])), (Some(oh), Some(om)) if oh <= 23 && om <= 59)
            }
            _ => false,
        };
        if !offset_ok {
            return Err(err());
        }
        Ok(Timestamp(s.to_owned()))
    }

    /// Formats Unix milliseconds as a UTC timestamp `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    pub fn from_unix_ms(ms: i64) -> Timestamp {
        let secs = ms.div_euclid(1000);
        let millis = ms.rem_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Timestamp(format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            sod / 3600,
            sod % 3600 / 60,
            sod % 60
        ))
    }

    /// The UTC calendar date of a Unix time in milliseconds.
    pub fn date_of_unix_ms(ms: i64) -> Date {
        let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
        Date(format!("{y:04}-{m:02}-{d:02}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Milliseconds since the Unix epoch (the offset applied; leap seconds count as :59).
    pub fn unix_ms(&self) -> i64 {
        let s = self.0.as_str();
        let num =
            |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
        let days = days_from_civil(num(0..4), num(5..7), num(8..10));
        let secs = days * 86_400 + num(11..13) * 3600 + num(14..16) * 60 + num(17..19).min(59);
        let mut rest = &s[19..];
        let mut millis = 0;
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            let digits = format!("{:0<3}", &frac[..n.min(3)]);
            millis = digits.parse::<i64>().unwrap_or(0);
            rest = &frac[n..];
        }
        let offset = match rest.as_bytes().first() {
            Some(b'+') | Some(b'-') => {
                let sign = if rest.starts_with('-') { -1 } else { 1 };
                let h: i64 = rest[1..3].parse().unwrap_or(0);
                let m: i64 = rest[4..6].parse().unwrap_or(0);
                sign * (h * 3600 + m * 60)
            }
            _ => 0,
        };
        (secs - offset) * 1000 + millis
    }
}

/// A civil date to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl TryFrom<String> for Timestamp {
    type Error = String;
    fn try_from(s: String) -> Result<Timestamp, String> {
        Timestamp::parse(&s)
    }
}
impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.0
    }
}
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_check_the_calendar() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-04-31").is_err());
        assert!(Date::parse("2026-4-1").is_err());
        assert!(Date::parse("2026-11-28").is_ok());
    }

    #[test]
    fn timestamps_accept_rfc3339_with_offsets() {
        for ok in [
            "2026-11-28T09:30:00Z",
            "2026-11-28T17:30:00.123+08:00",
            "2026-11-28T09:30:00-05:30",
        ] {
            assert!(Timestamp::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-11-28 09:30:00",
            "2026-11-28T09:30:00",
            "2026-11-28T24:00:00Z",
            "2026-11-28T09:30:00+0800",
            "",
            "2026-11-28T09:30:00.Z",
            "2026-11-28T09:30:00ZZ",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unix_times_format_as_utc() {
        assert_eq!(
            Timestamp::from_unix_ms(0).as_str(),
            "1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            Timestamp::from_unix_ms(1_795_861_800_123).as_str(),
            "2026-11-28T10:30:00.123Z"
        );
        assert_eq!(
            Timestamp::date_of_unix_ms(951_782_400_000).as_str(),
            "2000-02-29"
        );
        let t = Timestamp::from_unix_ms(1_795_861_800_123);
        assert_eq!(Timestamp::parse(t.as_str()).unwrap(), t);
        assert_eq!(t.unix_ms(), 1_795_861_800_123);
        let local = Timestamp::parse("2026-11-28T18:30:00.123+08:00").unwrap();
        assert_eq!(local.unix_ms(), 1_795_861_800_123, "offsets are applied");
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:00Z").unwrap().unix_ms(),
            0
        );
    }
}
