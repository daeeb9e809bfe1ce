//! The `format`s checked: integer and number widths, dates, times and UUIDs; any other is
//! an annotation.

use super::*;

/// The formats checked; any other is an annotation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Format {
    Date,
    Time,
    DateTime,
    Uuid,
    Ipv4,
    Ipv6,
    Email,
    Uri,
    Int32,
    Int64,
}

impl Format {
    pub(crate) fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "date" => Format::Date,
            "time" => Format::Time,
            "date-time" => Format::DateTime,
            "uuid" => Format::Uuid,
            "ipv4" => Format::Ipv4,
            "ipv6" => Format::Ipv6,
            "email" => Format::Email,
            "uri" => Format::Uri,
            "int32" => Format::Int32,
            "int64" => Format::Int64,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Date => "date",
            Format::Time => "time",
            Format::DateTime => "date-time",
            Format::Uuid => "uuid",
            Format::Ipv4 => "ipv4",
            Format::Ipv6 => "ipv6",
            Format::Email => "email",
            Format::Uri => "uri",
            Format::Int32 => "int32",
            Format::Int64 => "int64",
        }
    }
}

pub(crate) fn number_fits(format: Format, n: &Number) -> bool {
    match format {
        Format::Int32 => !is_integer(n) || n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        Format::Int64 => {
            !is_integer(n)
                || n.is_i64()
                || n.as_f64()
                    .is_some_and(|f| (-9.223372036854776e18..9.223372036854776e18).contains(&f))
        }
        _ => true,
    }
}

pub(crate) fn string_fits(format: Format, s: &str) -> bool {
    match format {
        Format::Date => is_date(s),
        Format::Time => is_time(s),
        Format::DateTime => s
            .find(['T', 't', ' '])
            .is_some_and(|at| is_date(&s[..at]) && is_time(&s[at + 1..])),
        Format::Uuid => is_uuid(s),
        Format::Ipv4 => s.parse::<std::net::Ipv4Addr>().is_ok(),
        Format::Ipv6 => s.parse::<std::net::Ipv6Addr>().is_ok(),
        Format::Email => s.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(char::is_whitespace)
        }),
        Format::Uri => s.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }),
        Format::Int32 | Format::Int64 => true,
    }
}

pub(crate) fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// RFC 3339 `full-date`.
pub(crate) fn is_date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `full-time`: `HH:MM:SS[.frac](Z|±HH:MM)`.
pub(crate) fn is_time(s: &str) -> bool {
    let (clock, offset) = if let Some(clock) = s.strip_suffix(['Z', 'z']) {
        (clock, None)
    } else {
        match s.rfind(['+', '-']) {
            Some(at) => (&s[..at], Some(&s[at + 1..])),
            None => return false,
        }
    };
    if let Some(offset) = offset {
        let Some((h, m)) = offset.split_once(':') else {
            return false;
        };
        if digits(h, 2).is_none_or(|h| h >= 24) || digits(m, 2).is_none_or(|m| m >= 60) {
            return false;
        }
    }
    let (whole, fraction) = match clock.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = whole.split(':');
    let (Some(h), Some(m), Some(sec), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    digits(h, 2).is_some_and(|h| h < 24)
        && digits(m, 2).is_some_and(|m| m < 60)
        && digits(sec, 2).is_some_and(|s| s <= 60)
}

pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}
