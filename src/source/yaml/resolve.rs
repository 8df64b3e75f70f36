//! Scalar typing exactly as `js-yaml` does it: the implicit resolvers of the
//! default schema (null, bool, int, float, timestamp, merge) for plain
//! scalars, the explicit core tags, and the JavaScript conversions the
//! framework applies afterwards (`String(key)`, `Date#toISOString`).
//!
//! Sources: js-yaml 4.3.2 `lib/type/*.js` and js-yaml 3.15.2
//! `lib/js-yaml/type/*.js`.

use super::Dialect;
use crate::source::node::js_number_to_string;

/// A scalar after implicit or explicit typing.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Typed {
    Null,
    Bool(bool),
    Number(f64),
    /// Keep the scalar text as a string.
    Str,
    /// A JavaScript `Date`: milliseconds since the epoch (never NaN here).
    Date(f64),
    /// The merge type (`<<`): a string value, a merge when used as a key.
    Merge,
}

/// Implicit typing of a plain, untagged scalar (js-yaml's `?` tag).
pub(super) fn implicit(s: &str, dialect: Dialect) -> Typed {
    if is_null(s) {
        return Typed::Null;
    }
    if let Some(b) = bool_value(s) {
        return Typed::Bool(b);
    }
    if let Some(n) = int_value(s, dialect) {
        return Typed::Number(n);
    }
    if let Some(n) = float_value(s, dialect) {
        return Typed::Number(n);
    }
    if let Some(ms) = timestamp_value(s) {
        return Typed::Date(ms);
    }
    if s == "<<" {
        return Typed::Merge;
    }
    Typed::Str
}

pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

pub(super) fn bool_value(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `tag:yaml.org,2002:int`: resolve + construct.
pub(super) fn int_value(s: &str, dialect: Dialect) -> Option<f64> {
    match dialect {
        Dialect::JsYaml4 => int4(s),
        Dialect::JsYaml3 => int3(s),
    }
}

/// `tag:yaml.org,2002:float`: resolve + construct.
pub(super) fn float_value(s: &str, dialect: Dialect) -> Option<f64> {
    match dialect {
        Dialect::JsYaml4 => float4(s),
        Dialect::JsYaml3 => float3(s),
    }
}

fn split_sign(s: &str) -> (f64, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (-1.0, &s[1..]),
        Some(b'+') => (1.0, &s[1..]),
        _ => (1.0, s),
    }
}

/// `parseInt(digits, radix)` for a string of valid digits (no sign, no prefix).
fn parse_radix(digits: &str, radix: u32) -> f64 {
    if radix == 10 {
        return digits.parse::<f64>().unwrap_or(f64::NAN);
    }
    if let Ok(n) = u128::from_str_radix(digits, radix) {
        return n as f64;
    }
    // Longer than 128 bits: only the magnitude matters (it is either huge or
    // infinite); accumulate in floating point.
    digits.chars().fold(0.0, |acc, c| {
        acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
    })
}

fn int4(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (sign, body) = split_sign(s);
    let bb = body.as_bytes();
    if bb.first() == Some(&b'0') {
        if bb.len() == 1 {
            return Some(0.0);
        }
        let (radix, ok): (u32, fn(u8) -> bool) = match bb[1] {
            b'b' => (2, |c| c == b'0' || c == b'1'),
            b'x' => (16, |c| c.is_ascii_hexdigit()),
            b'o' => (8, |c| (b'0'..=b'7').contains(&c)),
            _ => (10, |c| c.is_ascii_digit()),
        };
        if radix != 10 {
            let digits = &body[2..];
            if digits.is_empty() || !digits.bytes().all(ok) {
                return None;
            }
            let v = sign * parse_radix(digits, radix);
            return v.is_finite().then_some(v);
        }
    }
    if bb.is_empty() || !bb.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = parse_radix(body, 10);
    if !v.is_finite() {
        return None;
    }
    // `parseYamlInteger` returns 0 (not -0) for a bare "0" after the sign.
    Some(if body == "0" { 0.0 } else { sign * v })
}

fn int3(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (_, body) = split_sign(s);
    let bb = body.as_bytes();
    let &first = bb.first()?;
    if first == b'0' {
        if bb.len() == 1 {
            return Some(0.0);
        }
        let (rest, ok): (&[u8], fn(u8) -> bool) = match bb[1] {
            b'b' => (&bb[2..], |c| c == b'0' || c == b'1'),
            b'x' => (&bb[2..], |c| c.is_ascii_hexdigit()),
            _ => (&bb[1..], |c| (b'0'..=b'7').contains(&c)),
        };
        let mut has_digits = false;
        for &c in rest {
            if c == b'_' {
                continue;
            }
            if !ok(c) {
                return None;
            }
            has_digits = true;
        }
        if !has_digits || bb.last() == Some(&b'_') {
            return None;
        }
        return Some(construct_int3(s));
    }
    if first == b'_' {
        return None;
    }
    let mut has_digits = false;
    let mut colon_at = None;
    let mut last = first;
    for (i, &c) in bb.iter().enumerate() {
        last = c;
        if c == b'_' {
            continue;
        }
        if c == b':' {
            colon_at = Some(i);
            break;
        }
        if !c.is_ascii_digit() {
            return None;
        }
        has_digits = true;
    }
    if !has_digits || last == b'_' {
        return None;
    }
    match colon_at {
        None => Some(construct_int3(s)),
        Some(i) => sexagesimal_tail(&body[i..]).then(|| construct_int3(s)),
    }
}

/// `/^(:[0-5]?[0-9])+$/`
fn sexagesimal_tail(tail: &str) -> bool {
    if tail.is_empty() {
        return false;
    }
    tail.split(':').skip(1).all(|part| {
        let p = part.as_bytes();
        match p.len() {
            1 => p[0].is_ascii_digit(),
            2 => (b'0'..=b'5').contains(&p[0]) && p[1].is_ascii_digit(),
            _ => false,
        }
    }) && tail.starts_with(':')
}

fn construct_int3(s: &str) -> f64 {
    let value: String = s.chars().filter(|c| *c != '_').collect();
    let (sign, body) = split_sign(&value);
    if body == "0" {
        return 0.0;
    }
    let bb = body.as_bytes();
    if bb.first() == Some(&b'0') {
        return match bb.get(1) {
            Some(b'b') => sign * parse_radix(&body[2..], 2),
            Some(b'x') => sign * parse_radix(&body[2..], 16),
            _ => sign * parse_radix(&body[1..], 8),
        };
    }
    if body.contains(':') {
        let mut total = 0.0;
        for part in body.split(':') {
            total = total * 60.0 + parse_radix(part, 10);
        }
        return sign * total;
    }
    sign * parse_radix(body, 10)
}

fn digits(b: &[u8], mut i: usize, allow_underscore: bool) -> usize {
    while i < b.len() && (b[i].is_ascii_digit() || (allow_underscore && b[i] == b'_')) {
        i += 1;
    }
    i
}

/// Length of `[eE][-+]?[0-9]+` at `i`, if present.
fn exponent(b: &[u8], i: usize) -> Option<usize> {
    if !matches!(b.get(i), Some(b'e' | b'E')) {
        return None;
    }
    let mut j = i + 1;
    if matches!(b.get(j), Some(b'-' | b'+')) {
        j += 1;
    }
    let end = digits(b, j, false);
    (end > j).then_some(end)
}

fn special_float(s: &str) -> Option<f64> {
    let (sign, body) = split_sign(s);
    match body {
        ".inf" | ".Inf" | ".INF" => Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if s.len() == body.len() => Some(f64::NAN),
        _ => None,
    }
}

/// js-yaml 4: `[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? | \.[0-9]+([eE][-+]?[0-9]+)?`
/// (finite values only), `.inf`, `.nan`.
fn float4(s: &str) -> Option<f64> {
    if let Some(v) = special_float(s) {
        return Some(v);
    }
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'.') {
        let end = digits(b, 1, false);
        if end == 1 {
            return None;
        }
        i = end;
    } else {
        if matches!(b.first(), Some(b'-' | b'+')) {
            i = 1;
        }
        let end = digits(b, i, false);
        if end == i {
            return None;
        }
        i = end;
        if b.get(i) == Some(&b'.') {
            i = digits(b, i + 1, false);
        }
    }
    if let Some(end) = exponent(b, i) {
        i = end;
    }
    if i != b.len() {
        return None;
    }
    let v = parse_decimal(s);
    v.is_finite().then_some(v)
}

/// `sign * parseFloat(body)` for text already matched by a float pattern.
fn parse_decimal(s: &str) -> f64 {
    let (sign, body) = split_sign(s);
    let body = body.strip_suffix('.').unwrap_or(body);
    let fixed;
    let body = if body.contains(".e") || body.contains(".E") {
        fixed = body.replacen('.', "", 1);
        fixed.as_str()
    } else {
        body
    };
    sign * body.parse::<f64>().unwrap_or(f64::NAN)
}

/// js-yaml 3:
/// `[-+]?(0|[1-9][0-9_]*)(\.[0-9_]*)?([eE][-+]?[0-9]+)?`
/// `| \.[0-9_]+([eE][-+]?[0-9]+)?`
/// `| [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`, `.inf`, `.nan`; not ending in `_`.
fn float3(s: &str) -> Option<f64> {
    if let Some(v) = special_float(s) {
        return Some(v);
    }
    if s.ends_with('_') || s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let matched = float3_plain(b) || float3_sexagesimal(b);
    if !matched {
        return None;
    }
    let value: String = s.chars().filter(|c| *c != '_').collect();
    let (sign, body) = split_sign(&value);
    if body.contains(':') {
        let mut total = 0.0;
        for part in body.split(':') {
            let p = part.strip_suffix('.').unwrap_or(part);
            total = total * 60.0 + p.parse::<f64>().unwrap_or(0.0);
        }
        return Some(sign * total);
    }
    Some(parse_decimal(&value))
}

fn float3_plain(b: &[u8]) -> bool {
    let mut i = 0;
    if b.first() == Some(&b'.') {
        let end = digits(b, 1, true);
        if end == 1 {
            return false;
        }
        i = end;
    } else {
        if matches!(b.first(), Some(b'-' | b'+')) {
            i = 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(b, i + 1, true),
            _ => return false,
        }
        if b.get(i) == Some(&b'.') {
            i = digits(b, i + 1, true);
        }
    }
    if let Some(end) = exponent(b, i) {
        i = end;
    }
    i == b.len()
}

fn float3_sexagesimal(b: &[u8]) -> bool {
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i = digits(b, i + 1, true);
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(d)) if d.is_ascii_digit() => i += 2,
            (Some(d), _) if d.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 || b.get(i) != Some(&b'.') {
        return false;
    }
    digits(b, i + 1, true) == b.len()
}

// ---------------------------------------------------------------- timestamps

fn num(b: &[u8]) -> i64 {
    b.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0'))
}

/// `tag:yaml.org,2002:timestamp`: milliseconds since the epoch, as
/// `new Date(Date.UTC(...))` computes them.
pub(super) fn timestamp_value(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // ^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)
    let d4 = |i: usize| b.get(i..i + 4).filter(|x| x.iter().all(u8::is_ascii_digit));
    let year = num(d4(0)?);
    if b.get(4) != Some(&b'-') {
        return None;
    }
    // One or two digits starting at `i`; returns (value, next index).
    let one_or_two = |i: usize| -> Option<(i64, usize)> {
        let first = b.get(i).filter(|c| c.is_ascii_digit())?;
        match b.get(i + 1) {
            Some(c) if c.is_ascii_digit() => Some((num(&[*first, *c]), i + 2)),
            _ => Some((num(&[*first]), i + 1)),
        }
    };
    let two = |i: usize| -> Option<i64> {
        let x = b
            .get(i..i + 2)
            .filter(|x| x.iter().all(u8::is_ascii_digit))?;
        Some(num(x))
    };
    let (month, i) = one_or_two(5)?;
    if b.get(i) != Some(&b'-') {
        return None;
    }
    let (day, i) = one_or_two(i + 1)?;
    if i == b.len() {
        // Date only: exactly YYYY-MM-DD.
        if b.len() != 10 {
            return None;
        }
        return date_utc(year, month - 1, day, 0, 0, 0, 0);
    }
    // (?:[Tt]|[ \t]+)
    let mut i = i;
    match b.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(b' ' | b'\t') => {
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
        }
        _ => return None,
    }
    let (hour, i) = one_or_two(i)?;
    if b.get(i) != Some(&b':') {
        return None;
    }
    let minute = two(i + 1)?;
    if b.get(i + 3) != Some(&b':') {
        return None;
    }
    let second = two(i + 4)?;
    let mut i = i + 6;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = digits(b, start, false);
        let mut f: Vec<u8> = b[start..i].iter().take(3).copied().collect();
        while f.len() < 3 {
            f.push(b'0');
        }
        fraction = num(&f);
    }
    // (?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$
    let mut delta = 0;
    if i < b.len() {
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(&c @ (b'-' | b'+')) => {
                let (tz_hour, j) = one_or_two(i + 1)?;
                i = j;
                let mut tz_minute = 0;
                if b.get(i) == Some(&b':') {
                    tz_minute = two(i + 1)?;
                    i += 3;
                }
                delta = (tz_hour * 60 + tz_minute) * 60_000;
                if c == b'-' {
                    delta = -delta;
                }
            }
            _ => return None,
        }
        if i != b.len() {
            return None;
        }
    }
    let t = date_utc(year, month - 1, day, hour, minute, second, fraction)?;
    Some(t - delta as f64)
}

/// `Date.UTC(year, month, day, h, m, s, ms)` (month 0-based; years 0–99 mean 1900–1999).
fn date_utc(year: i64, month: i64, day: i64, h: i64, m: i64, s: i64, ms: i64) -> Option<f64> {
    let year = if (0..=99).contains(&year) {
        1900 + year
    } else {
        year
    };
    let y = year + month.div_euclid(12);
    let mo = month.rem_euclid(12);
    let days = days_from_civil(y, mo + 1, 1) + day - 1;
    let t = days * 86_400_000 + h * 3_600_000 + m * 60_000 + s * 1000 + ms;
    let t = t as f64;
    (t.abs() <= 8.64e15).then_some(t)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day) of a day count since the epoch.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

struct Parts {
    year: i64,
    month: i64,
    day: i64,
    weekday: i64,
    h: i64,
    m: i64,
    s: i64,
    ms: i64,
}

fn parts(t: f64) -> Parts {
    let t = t as i64;
    let days = t.div_euclid(86_400_000);
    let in_day = t.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Parts {
        year,
        month,
        day,
        weekday: (days + 4).rem_euclid(7),
        h: in_day / 3_600_000,
        m: in_day / 60_000 % 60,
        s: in_day / 1000 % 60,
        ms: in_day % 1000,
    }
}

/// `Date.prototype.toISOString()`.
pub(super) fn iso_string(t: f64) -> String {
    let p = parts(t);
    let year = if (0..=9999).contains(&p.year) {
        format!("{:04}", p.year)
    } else if p.year < 0 {
        format!("-{:06}", -p.year)
    } else {
        format!("+{:06}", p.year)
    };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.month, p.day, p.h, p.m, p.s, p.ms
    )
}

/// `String(date)` (`Date.prototype.toString()`) in UTC, which is what the
/// framework produces for a timestamp used as a mapping key when it runs
/// with `TZ=UTC`. In another time zone the key text differs.
pub(super) fn date_to_string(t: f64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let p = parts(t);
    let wd = DAYS.get(p.weekday as usize).copied().unwrap_or("Sun");
    let mo = MONTHS.get((p.month - 1) as usize).copied().unwrap_or("Jan");
    let year = if p.year < 0 {
        format!("-{:06}", -p.year)
    } else {
        format!("{:04}", p.year)
    };
    format!(
        "{wd} {mo} {:02} {year} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        p.day, p.h, p.m, p.s
    )
}

/// JavaScript `String(number)`.
pub(super) fn number_string(n: f64) -> String {
    js_number_to_string(n)
}

// ------------------------------------------------------------------- binary

const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r";

/// `tag:yaml.org,2002:binary`: resolve + construct.
pub(super) fn binary_value(s: &str) -> Option<Vec<u8>> {
    let mut bitlen = 0usize;
    for c in s.bytes() {
        match BASE64.iter().position(|&x| x == c) {
            Some(code) if code > 64 => {}
            Some(_) => bitlen += 6,
            None => return None,
        }
    }
    if !s.is_ascii() || !bitlen.is_multiple_of(8) {
        return None;
    }
    let input: Vec<u8> = s
        .bytes()
        .filter(|c| !matches!(c, b'\r' | b'\n' | b'='))
        .collect();
    let code = |c: u8| -> u32 { BASE64.iter().position(|&x| x == c).unwrap_or(0) as u32 };
    let mut out = Vec::with_capacity(input.len() * 3 / 4 + 3);
    let mut bits: u32 = 0;
    for (idx, &c) in input.iter().enumerate() {
        if idx % 4 == 0 && idx > 0 {
            out.extend([(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]);
        }
        bits = (bits << 6) | code(c);
    }
    match (input.len() % 4) * 6 {
        0 => out.extend([(bits >> 16) as u8, (bits >> 8) as u8, bits as u8]),
        18 => out.extend([(bits >> 10) as u8, (bits >> 2) as u8]),
        12 => out.push((bits >> 4) as u8),
        _ => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V4: Dialect = Dialect::JsYaml4;
    const V3: Dialect = Dialect::JsYaml3;

    #[test]
    fn ints() {
        assert_eq!(int_value("0755", V4), Some(755.0));
        assert_eq!(int_value("0755", V3), Some(493.0));
        assert_eq!(int_value("0o755", V4), Some(493.0));
        assert_eq!(int_value("0o755", V3), None);
        assert_eq!(int_value("1:20", V3), Some(80.0));
        assert_eq!(int_value("1:20", V4), None);
        assert_eq!(int_value("1_000", V3), Some(1000.0));
        assert_eq!(int_value("1_000", V4), None);
        assert_eq!(int_value("-0x1F", V4), Some(-31.0));
        assert_eq!(int_value("0b101", V3), Some(5.0));
        assert_eq!(int_value("08", V3), None);
        assert_eq!(int_value("08", V4), Some(8.0));
    }

    #[test]
    fn floats() {
        assert_eq!(float_value("1e3", V4), Some(1000.0));
        assert_eq!(float_value("1.", V4), Some(1.0));
        assert_eq!(float_value(".5", V4), Some(0.5));
        assert_eq!(float_value("-.5", V4), None);
        assert_eq!(float_value("1e400", V4), None);
        assert_eq!(float_value("1e400", V3), Some(f64::INFINITY));
        assert_eq!(float_value("1:20.5", V3), Some(80.5));
        assert_eq!(float_value("-.INF", V4), Some(f64::NEG_INFINITY));
        assert!(float_value(".NaN", V3).is_some_and(f64::is_nan));
        assert_eq!(float_value("+.nan", V4), None);
    }

    #[test]
    fn timestamps() {
        let t = timestamp_value("2001-12-14").unwrap_or(f64::NAN);
        assert_eq!(iso_string(t), "2001-12-14T00:00:00.000Z");
        assert_eq!(
            date_to_string(t),
            "Fri Dec 14 2001 00:00:00 GMT+0000 (Coordinated Universal Time)"
        );
        let t = timestamp_value("2001-12-14 21:59:43.10 -5").unwrap_or(f64::NAN);
        assert_eq!(iso_string(t), "2001-12-15T02:59:43.100Z");
        let t = timestamp_value("0001-01-01").unwrap_or(f64::NAN);
        assert_eq!(iso_string(t), "1901-01-01T00:00:00.000Z");
        assert_eq!(timestamp_value("2001-1-14"), None);
    }

    #[test]
    fn binary() {
        assert_eq!(binary_value("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(binary_value("a"), None);
    }
}
