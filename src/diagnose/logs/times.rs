//! Timestamps in access logs (ISO 8601 and the combined format's `[10/Oct/2000:13:55:36
//! -0700]`) as Unix seconds, with the same arithmetic and the same leniency as the reference
//! Python script, so both agree to the second. No calendar library: this runs per line.

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0')))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm); the
/// reference script uses the same arithmetic so results match to the second.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn epoch(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<i64> {
    let ok = (1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s <= 60;
    ok.then(|| days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// `10/Oct/2000:13:55:36 -0700`
pub fn clf_time(b: &[u8]) -> Option<i64> {
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[20] != b' ' {
        return None;
    }
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let mo = MONTHS.iter().position(|m| *m == &b[3..6])? as i64 + 1;
    let t = epoch(
        digits(&b[7..11])?,
        mo,
        digits(&b[0..2])?,
        digits(&b[12..14])?,
        digits(&b[15..17])?,
        digits(&b[18..20])?,
    )?;
    Some(t - offset(&b[21..])?)
}

/// `+0200`, `-07:00` as seconds east of UTC.
fn offset(b: &[u8]) -> Option<i64> {
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = match b.len() {
        5 => (&b[1..3], &b[3..5]),
        6 if b[3] == b':' => (&b[1..3], &b[4..6]),
        _ => return None,
    };
    Some(sign * (digits(h)? * 3600 + digits(m)? * 60))
}

/// `2026-11-22T10:00:00`, `.fraction` ignored, then `Z`, `±HH:MM`, `±HHMM` or nothing (UTC).
pub fn iso_time(b: &[u8]) -> Option<i64> {
    IsoMinute::default().iso_time(b)
}

/// The last ISO minute read (`2026-11-22T10:00`) and its Unix time. Consecutive log lines
/// nearly always share it, so a worker re-reads only the seconds and the zone; the date
/// arithmetic runs once a minute of log instead of once a line.
#[derive(Default)]
pub struct IsoMinute {
    minute: [u8; 16],
    start: Option<i64>,
}

impl IsoMinute {
    /// [`iso_time`], remembering the minute for the next call.
    pub fn iso_time(&mut self, b: &[u8]) -> Option<i64> {
        let head = b.first_chunk::<16>()?;
        if b.len() < 19 || b[16] != b':' {
            return None;
        }
        let start = match self.start {
            Some(t) if self.minute == *head => t,
            _ => {
                let t = minute_start(head)?;
                (self.minute, self.start) = (*head, Some(t));
                t
            }
        };
        let s = digits(&b[17..19])?;
        // `epoch` allows a leap second and no more.
        if s > 60 {
            return None;
        }
        let t = start + s;
        after_seconds(t, &b[19..])
    }
}

/// Applies what follows the seconds, `[.fraction][Z|±HH:MM]`, to `t`: fractions are dropped,
/// a zone offset is subtracted. Shared by the per-minute cache and the full parse.
fn after_seconds(t: i64, rest: &[u8]) -> Option<i64> {
    let mut rest = rest;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    match rest {
        b"" | b"Z" | b"z" => Some(t),
        _ => Some(t - offset(rest)?),
    }
}

/// `2026-11-22T10:00` as the Unix time of its first second.
fn minute_start(b: &[u8; 16]) -> Option<i64> {
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') || b[13] != b':' {
        return None;
    }
    epoch(
        digits(&b[0..4])?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(b"2026-11-22T10:00:00Z"), Some(1_795_341_600));
        assert_eq!(iso_time(b"2026-11-22 10:00:00.123456"), Some(1_795_341_600));
        assert_eq!(iso_time(b"2026-11-22T11:00:00+01:00"), Some(1_795_341_600));
        assert_eq!(iso_time(b"2026-11-22T11:00:00+0100"), Some(1_795_341_600));
        assert_eq!(iso_time(b"2026-11-22T10:00:00Q"), None);
        assert_eq!(iso_time(b"2026-13-22T10:00:00Z"), None);
        assert_eq!(iso_time(b"2026-11-22T10:00:61Z"), None);
        assert_eq!(iso_time(b"2026-11-22T10:00"), None);
    }

    /// The reading before the cache, field by field on every call: the cache must agree.
    fn uncached(b: &[u8]) -> Option<i64> {
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let t = epoch(
            digits(&b[0..4])?,
            digits(&b[5..7])?,
            digits(&b[8..10])?,
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        )?;
        after_seconds(t, &b[19..])
    }

    proptest! {
        #[test]
        fn cached_minutes_read_like_fresh_ones(stamps in prop::collection::vec(
            "20(2[5-7]|x1)-1[0-3]-(0[0-9]|2[2-3]|32)[T ]1[0-2]:0[0-1]:[0-6][0-9](\\.[0-9]{0,3})?(Z|z|[+-]0[0-2]:?[0-5]0|Q)?",
            1..40,
        )) {
            let mut cache = IsoMinute::default();
            for s in &stamps {
                prop_assert_eq!(cache.iso_time(s.as_bytes()), uncached(s.as_bytes()), "{}", s);
            }
        }
    }
}
