//! Calendar dates (`YYYY-MM-DD`), proleptic Gregorian, with no time zone.

use std::fmt;
use std::str::FromStr;

/// A calendar date. Ordering is chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
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
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Format,
    /// The year 0000.
    NoSuchYear,
    /// A month outside 01 to 12.
    NoSuchMonth(u32),
    /// A day outside its month.
    NoSuchDay {
        year: i32,
        month: u8,
        day: u32,
    },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => f.write_str("expected a date as YYYY-MM-DD"),
            DateError::NoSuchYear => f.write_str("no such year: years run from 0001"),
            DateError::NoSuchMonth(month) => write!(f, "no such month: {month:02} (months run from 01 to 12)"),
            DateError::NoSuchDay { year, month, day } => {
                let name = MONTHS[usize::from(*month).clamp(1, 12) - 1];
                let days = days_in_month(*year, *month);
                write!(f, "no such day: {name} {year} has {days} days, not {day}")
            }
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| DateError::Format);
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if y == 0 {
            return Err(DateError::NoSuchYear);
        }
        let month = match u8::try_from(m) {
            Ok(month @ 1..=12) => month,
            _ => return Err(DateError::NoSuchMonth(m)),
        };
        let year = y as i32;
        let day = match u8::try_from(d) {
            Ok(day @ 1..) if day <= days_in_month(year, month) => day,
            _ => return Err(DateError::NoSuchDay { year, month, day: d }),
        };
        Date::new(year, month, day).ok_or(DateError::Format)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DD` in a format people read (JSON, YAML); in a binary one (the compiled
/// corpus) one number, `year << 9 | month << 5 | day`, which costs no text to write or
/// read back.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            serializer.serialize_u32(self.packed())
        }
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        if deserializer.is_human_readable() {
            let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            let packed = u32::deserialize(deserializer)?;
            Date::unpacked(packed).ok_or_else(|| serde::de::Error::custom(format!("no such date: {packed:#x}")))
        }
    }
}

impl Date {
    fn packed(self) -> u32 {
        // Years are 1..=9999 (`Date::new`), so they fit in 14 bits.
        (self.year as u32) << 9 | u32::from(self.month) << 5 | u32::from(self.day)
    }

    fn unpacked(packed: u32) -> Option<Date> {
        let year = i32::try_from(packed >> 9).ok()?;
        Date::new(year, ((packed >> 5) & 0xf) as u8, (packed & 0x1f) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_format_packs_a_date_into_one_number() {
        for text in ["0001-01-01", "2024-02-29", "2026-12-31", "9999-12-31"] {
            let date: Date = text.parse().unwrap();
            let bytes = postcard::to_stdvec(&date).unwrap();
            assert!(bytes.len() <= 4, "{text}: {bytes:?}");
            assert_eq!(postcard::from_bytes::<Date>(&bytes).unwrap(), date);
            assert_eq!(serde_json::to_string(&date).unwrap(), format!("\"{text}\""));
        }
        // 2023-02-29 packed: refused, as the text would be.
        let bad = postcard::to_stdvec(&(2023u32 << 9 | 2 << 5 | 29)).unwrap();
        assert!(postcard::from_bytes::<Date>(&bad).is_err());
    }

    #[test]
    fn parses_and_prints() {
        let d: Date = "2024-02-29".parse().unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(
            "2023-02-29".parse::<Date>(),
            Err(DateError::NoSuchDay {
                year: 2023,
                month: 2,
                day: 29
            })
        );
        assert_eq!("2024-2-29".parse::<Date>(), Err(DateError::Format));
        assert_eq!("2024-13-01".parse::<Date>(), Err(DateError::NoSuchMonth(13)));
        assert_eq!("+024-01-01".parse::<Date>(), Err(DateError::Format));
    }

    #[test]
    fn epoch_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_days_since_epoch(20_819).to_string(), "2027-01-01");
    }

    #[test]
    fn orders_chronologically() {
        let a: Date = "2022-09-30".parse().unwrap();
        let b: Date = "2022-10-01".parse().unwrap();
        assert!(a < b);
    }
}
