//! Administration dates: ISO 8601 by default, other layouts only when declared.
//!
//! A date orders a client's administrations; nothing else is done with it, so it is kept as a
//! count of seconds since 1970-01-01 (proleptic Gregorian calendar, no time zones: an offset in
//! an ISO 8601 date-time is applied, so `2026-01-06T10:00+02:00` is `2026-01-06T08:00Z`).
//!
//! ```
//! use screenscore::date::{DateFormat, Timestamp};
//!
//! let iso = DateFormat::Iso8601;
//! assert!(iso.parse("2026-01-06")? < iso.parse("2026-01-06T09:30")?);
//! let uk = DateFormat::pattern("%d/%m/%Y")?;
//! assert_eq!(uk.parse("06/01/2026")?, iso.parse("2026-01-06")?);
//! assert_eq!(iso.parse("2026-01-06")?.to_string(), "2026-01-06");
//! assert!(iso.parse("06/01/2026").is_err());
//! # Ok::<(), String>(())
//! ```

use std::fmt;

/// The first second of year 0000 and the last of year 9999: the years written with four
/// digits, the only ones a date is read in, so that every timestamp read is shown in a form
/// that reads back (an offset could otherwise move `0000-01-01T00:30+01:00` to year −1).
const FIRST_SECOND: i64 = -62_167_219_200;
const LAST_SECOND: i64 = 253_402_300_799;

/// A point in time: seconds since 1970-01-01T00:00:00Z, and whether a time of day was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
    has_time: bool,
    /// Whether this is a position in a list of events (`seconds` is the 0-based position), not
    /// a point in time.
    event: bool,
}

impl Timestamp {
    /// Midnight (UTC) of a calendar date; `None` if the date does not exist, or its year is
    /// not one of 0000 to 9999.
    ///
    /// ```
    /// use screenscore::date::Timestamp;
    ///
    /// assert_eq!(Timestamp::from_date(2024, 2, 29).unwrap().to_string(), "2024-02-29");
    /// assert!(Timestamp::from_date(2026, 2, 29).is_none());
    /// assert!(Timestamp::from_date(10_000, 1, 1).is_none());
    /// assert!(Timestamp::from_date(-1, 12, 31).is_none());
    /// ```
    pub fn from_date(year: i64, month: u32, day: u32) -> Option<Timestamp> {
        if !(0..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Timestamp {
            seconds: days_from_civil(year, month, day) * 86_400,
            has_time: false,
            event: false,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn seconds(self) -> i64 {
        self.seconds
    }

    /// The calendar date: year, month, day.
    pub fn date(self) -> (i64, u32, u32) {
        civil_from_days(self.seconds.div_euclid(86_400))
    }

    /// The date (UTC) of a moment given in seconds since 1970-01-01T00:00:00Z.
    pub fn day_of(seconds: i64) -> Timestamp {
        Timestamp {
            seconds: seconds - seconds.rem_euclid(86_400),
            has_time: false,
            event: false,
        }
    }

    /// Today's date, from the system clock (UTC).
    pub fn today() -> Timestamp {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        Timestamp::day_of(now)
    }
}

impl fmt::Display for Timestamp {
    /// `2026-01-06`, or `2026-01-06T08:00:00Z` when a time was given; `event 2` for the
    /// second event of an event list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.event {
            return write!(f, "event {}", self.seconds + 1);
        }
        let (y, m, d) = self.date();
        write!(f, "{y:04}-{m:02}-{d:02}")?;
        if self.has_time {
            let s = self.seconds.rem_euclid(86_400);
            write!(f, "T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)?;
        }
        Ok(())
    }
}

/// How dates are written in an input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by `T` (or a space) and `hh:mm[:ss[.fff]]`, and `Z` or
    /// `±hh:mm`.
    #[default]
    Iso8601,
    /// A declared layout: `%Y` (4-digit year), `%m` (month), `%d` (day), `%H`, `%M`, `%S`; any
    /// other character must appear as is. Months, days, hours and minutes take 1 or 2 digits.
    Pattern(String),
    /// No date: the cell names an event of this list (REDCap's unique event names, in the
    /// project's order), and administrations are ordered by their event's position.
    ///
    /// ```
    /// use screenscore::date::DateFormat;
    ///
    /// let events = DateFormat::Events(vec!["baseline_arm_1".into(), "week_4_arm_1".into()]);
    /// assert!(events.parse("baseline_arm_1")? < events.parse("week_4_arm_1")?);
    /// assert_eq!(events.parse("week_4_arm_1")?.to_string(), "event 2");
    /// assert!(events.parse("2026-01-06").is_err());
    /// # Ok::<(), String>(())
    /// ```
    Events(Vec<String>),
}

impl DateFormat {
    /// A declared layout such as `%d/%m/%Y`; it must contain `%Y`, `%m` and `%d`.
    pub fn pattern(layout: &str) -> Result<DateFormat, String> {
        let mut rest = layout;
        let mut seen = Vec::new();
        while let Some(i) = rest.find('%') {
            let spec = rest[i + 1..].chars().next();
            match spec {
                Some(c @ ('Y' | 'm' | 'd' | 'H' | 'M' | 'S')) => seen.push(c),
                _ => {
                    return Err(format!(
                        "date format `{layout}`: use %Y, %m, %d, %H, %M or %S after %"
                    ));
                }
            }
            rest = &rest[i + 2..];
        }
        for needed in ['Y', 'm', 'd'] {
            if !seen.contains(&needed) {
                return Err(format!("date format `{layout}` needs %Y, %m and %d"));
            }
        }
        Ok(DateFormat::Pattern(layout.to_string()))
    }

    /// Read a date; the error says what was expected.
    pub fn parse(&self, text: &str) -> Result<Timestamp, String> {
        let text = text.trim();
        let parsed = match self {
            DateFormat::Iso8601 => parse_iso(text),
            DateFormat::Pattern(layout) => parse_pattern(text, layout),
            DateFormat::Events(names) => names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(text))
                .map(|p| Timestamp {
                    seconds: p as i64,
                    has_time: false,
                    event: true,
                }),
        };
        parsed.ok_or_else(|| match self {
            DateFormat::Events(_) => format!("\"{text}\" is not {}", self.describe()),
            _ => format!("\"{text}\" is not a date of the form {}", self.describe()),
        })
    }

    /// The layout, for messages: `YYYY-MM-DD (ISO 8601)` or the pattern.
    pub fn describe(&self) -> String {
        match self {
            DateFormat::Iso8601 => "YYYY-MM-DD (ISO 8601)".to_string(),
            DateFormat::Pattern(layout) => layout.clone(),
            DateFormat::Events(names) => {
                let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
                let more = if names.len() > 3 { ", …" } else { "" };
                format!("an event of the event list ({}{more})", shown.join(", "))
            }
        }
    }
}

/// Digits at the start of `s`: between `min` and `max` of them.
fn digits(s: &str, min: usize, max: usize) -> Option<(i64, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n < min {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

fn parse_iso(text: &str) -> Option<Timestamp> {
    let (year, rest) = digits(text, 4, 4)?;
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits(rest, 2, 2)?;
    let date = Timestamp::from_date(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    if rest.is_empty() {
        return Some(date);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let (hour, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (minute, mut rest) = digits(rest, 2, 2)?;
    let mut second = 0;
    if let Some(r) = rest.strip_prefix(':') {
        let (s, r) = digits(r, 2, 2)?;
        second = s;
        rest = r;
        if let Some(r) = rest.strip_prefix('.') {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            rest = &r[n..];
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, r) = digits(&rest[1..], 2, 2)?;
            let r = r.strip_prefix(':').unwrap_or(r);
            let (om, r) = digits(r, 2, 2)?;
            if !r.is_empty() || oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    in_range(Timestamp {
        seconds: date.seconds + hour * 3600 + minute * 60 + second - offset,
        has_time: true,
        event: false,
    })
}

/// `t` when it lies in years 0000 to 9999 (after an offset, or a leap second, moved it).
fn in_range(t: Timestamp) -> Option<Timestamp> {
    (FIRST_SECOND..=LAST_SECOND)
        .contains(&t.seconds)
        .then_some(t)
}

fn parse_pattern(text: &str, layout: &str) -> Option<Timestamp> {
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let mut has_time = false;
    let mut rest = text;
    let mut spec = layout.chars();
    while let Some(c) = spec.next() {
        if c != '%' {
            rest = rest.strip_prefix(c)?;
            continue;
        }
        let kind = spec.next()?;
        let (value, r) = match kind {
            'Y' => digits(rest, 4, 4)?,
            _ => digits(rest, 1, 2)?,
        };
        rest = r;
        match kind {
            'Y' => year = Some(value),
            'm' => month = Some(value),
            'd' => day = Some(value),
            'H' => (hour, has_time) = (value, true),
            'M' => (minute, has_time) = (value, true),
            'S' => (second, has_time) = (value, true),
            _ => return None,
        }
    }
    if !rest.is_empty() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let date = Timestamp::from_date(
        year?,
        u32::try_from(month?).ok()?,
        u32::try_from(day?).ok()?,
    )?;
    in_range(Timestamp {
        seconds: date.seconds + hour * 3600 + minute * 60 + second,
        has_time,
        event: false,
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a count of days since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Timestamp {
        DateFormat::Iso8601.parse(text).unwrap()
    }

    #[test]
    fn known_days_since_the_epoch() {
        assert_eq!(iso("1970-01-01").seconds(), 0);
        assert_eq!(iso("1970-01-02").seconds(), 86_400);
        // 2000-03-01: 30 years of 365 days + 7 leap days (72..96) + Jan 31 + Feb 29 = 11017 days.
        assert_eq!(
            iso("2000-03-01").seconds(),
            (30 * 365 + 7 + 31 + 29) * 86_400
        );
        assert_eq!(iso("1969-12-31").seconds(), -86_400);
    }

    #[test]
    fn dates_round_trip_through_days() {
        for text in [
            "1900-02-28",
            "1900-03-01",
            "2000-02-29",
            "2024-12-31",
            "2026-11-21",
        ] {
            assert_eq!(iso(text).to_string(), text);
        }
    }

    #[test]
    fn impossible_dates_and_other_layouts_are_refused() {
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-6",
            "06/01/2026",
            "2026-01-06T25:00",
            "2026-01-06x",
            "",
        ] {
            assert!(DateFormat::Iso8601.parse(bad).is_err(), "{bad}");
        }
        assert!(DateFormat::Iso8601.parse("1900-02-29").is_err());
        assert_eq!(
            DateFormat::Iso8601.parse("6/1/26").unwrap_err(),
            "\"6/1/26\" is not a date of the form YYYY-MM-DD (ISO 8601)"
        );
    }

    #[test]
    fn times_and_offsets_order_administrations() {
        assert_eq!(iso("2026-01-06T10:00+02:00"), iso("2026-01-06T08:00Z"));
        assert_eq!(
            iso("2026-01-06 08:00:30.5").seconds(),
            iso("2026-01-06").seconds() + 8 * 3600 + 30
        );
        assert!(iso("2026-01-06T23:59") < iso("2026-01-07"));
        assert_eq!(iso("2026-01-06T08:00Z").to_string(), "2026-01-06T08:00:00Z");
    }

    #[test]
    fn the_first_and_last_seconds_are_those_of_years_0000_and_9999() {
        assert_eq!(FIRST_SECOND, days_from_civil(0, 1, 1) * 86_400);
        assert_eq!(LAST_SECOND, days_from_civil(10_000, 1, 1) * 86_400 - 1);
    }

    #[test]
    fn every_date_read_is_shown_in_a_form_that_reads_back() {
        let pattern = DateFormat::pattern("%d.%m.%Y %H:%M:%S").unwrap();
        for (format, text) in [
            (&DateFormat::Iso8601, "0000-01-01"),
            (&DateFormat::Iso8601, "0000-01-01T00:00Z"),
            (&DateFormat::Iso8601, "0000-01-01T00:30-00:30"),
            (&DateFormat::Iso8601, "0000-01-01T01:00+01:00"),
            (&DateFormat::Iso8601, "9999-12-31"),
            (&DateFormat::Iso8601, "9999-12-31T23:59:59Z"),
            (&DateFormat::Iso8601, "9999-12-31T22:59:59-01:00"),
            (&DateFormat::Iso8601, "9999-12-31T23:59:59.999+00:00"),
            (&DateFormat::Iso8601, "2026-01-06T10:00+02:00"),
            (&pattern, "01.01.0000 00:00:00"),
            (&pattern, "31.12.9999 23:59:59"),
        ] {
            let read = format.parse(text).unwrap();
            let shown = read.to_string();
            assert_eq!(
                DateFormat::Iso8601.parse(&shown),
                Ok(read),
                "{text} -> {shown}"
            );
        }
        // An offset or a leap second that moves a date out of years 0000 to 9999.
        for text in [
            "0000-01-01T00:00+00:01",
            "0000-01-01T00:30+01:00",
            "9999-12-31T23:00-01:00",
            "9999-12-31T23:59:60Z",
        ] {
            assert!(DateFormat::Iso8601.parse(text).is_err(), "{text}");
        }
        assert!(pattern.parse("31.12.9999 23:59:60").is_err());
    }

    #[test]
    fn declared_patterns() {
        let us = DateFormat::pattern("%m/%d/%Y").unwrap();
        assert_eq!(us.parse("1/6/2026").unwrap(), iso("2026-01-06"));
        let de = DateFormat::pattern("%d.%m.%Y %H:%M").unwrap();
        assert_eq!(
            de.parse("06.01.2026 08:30").unwrap(),
            iso("2026-01-06T08:30")
        );
        assert!(us.parse("13/1/2026").is_err());
        assert!(DateFormat::pattern("%d/%m").is_err());
        assert!(DateFormat::pattern("%d/%m/%y").is_err());
    }
}
