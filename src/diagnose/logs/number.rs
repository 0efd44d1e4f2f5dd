//! JSON numbers as the log fields use them: the grammar check, the status code and the
//! latency, the latter read without the general float parser when the number is a plain
//! decimal (it nearly always is, and then the result is provably the same).

/// A JSON number's grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`; returns its end.
pub fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i > s).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    i = digits(b, i)?;
    if b[int_start] == b'0' && i - int_start > 1 {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

/// The value of a number that passed [`number_end`].
pub fn value(n: &[u8]) -> Option<f64> {
    decimal(n).or_else(|| std::str::from_utf8(n).ok()?.parse().ok())
}

/// `-?\d+(\.\d+)?` with at most 15 digits, exactly as `str::parse::<f64>` reads it: the
/// digits as an integer are below 2^53 and so exact, 10^k for k <= 15 is exact, and IEEE
/// division rounds the exact quotient correctly, as the full parser does (Clinger's fast
/// path). `None` for any other shape, which the full parser then reads.
fn decimal(n: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, body) = match n.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, n),
    };
    if body.is_empty() || body.len() > 16 {
        return None;
    }
    let (mut m, mut count, mut point) = (0u64, 0usize, None);
    for (i, c) in body.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    if count > 15 || point.is_some_and(|p| p + 1 == body.len()) {
        return None;
    }
    let scale = point.map_or(0, |p| body.len() - p - 1);
    let v = m as f64 / POW10[scale];
    Some(if negative { -v } else { v })
}

/// A status is an integer 100..=999, as a JSON integer or a three-digit string.
pub fn status_number(n: Option<f64>) -> Option<u16> {
    let n = n?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}

/// Three digits, not starting with 0: a status written as a string, and also the shape of
/// nearly every status written as a number, read here without going through f64.
pub fn status_text(s: &[u8]) -> Option<u16> {
    if s.len() != 3 || !s.iter().all(u8::is_ascii_digit) || s[0] == b'0' {
        return None;
    }
    Some(s.iter().fold(0u16, |n, c| n * 10 + u16::from(c - b'0')))
}

/// Epoch seconds, or milliseconds when the value is too large to be seconds.
pub fn epoch_number(v: f64) -> Option<i64> {
    if v.is_nan() || v.abs() >= 1e15 {
        return None;
    }
    Some(if v >= 1e11 {
        (v / 1000.0).floor() as i64
    } else {
        v.floor() as i64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(s: &str) -> f64 {
        s.parse().unwrap()
    }

    #[test]
    fn plain_decimals_take_the_short_way() {
        for s in [
            "0",
            "-0",
            "12",
            "12.5",
            "3919.7",
            "0.1",
            "999999999999999",
            "1.00000000000001",
        ] {
            let v = decimal(s.as_bytes()).unwrap();
            assert_eq!(v.to_bits(), parsed(s).to_bits(), "{s}");
        }
        for s in [
            "1e3",
            "1.5E-2",
            "1234567890123456",
            "12.",
            ".5",
            "1.2.3",
            "-",
            "",
        ] {
            assert!(decimal(s.as_bytes()).is_none(), "{s}");
        }
        assert_eq!(value(b"3e2"), Some(300.0));
    }

    #[test]
    fn three_digit_statuses() {
        assert_eq!(status_text(b"401"), Some(401));
        assert_eq!(status_text(b"099"), None);
        assert_eq!(status_text(b"4x1"), None);
        assert_eq!(status_number(value(b"4.01e2")), Some(401));
        assert_eq!(status_number(value(b"401.5")), None);
    }

    proptest! {
        #[test]
        fn decimal_agrees_with_the_full_parser(s in "-?(0|[1-9][0-9]{0,15})(\\.[0-9]{1,16})?") {
            let full = parsed(&s);
            prop_assert!(number_end(s.as_bytes(), 0) == Some(s.len()));
            if let Some(v) = decimal(s.as_bytes()) {
                prop_assert_eq!(v.to_bits(), full.to_bits(), "{}", s);
            }
            prop_assert_eq!(value(s.as_bytes()).map(f64::to_bits), Some(full.to_bits()));
        }
    }
}
