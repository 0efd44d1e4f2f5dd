//! JSON numbers as the log fields use them: the grammar check, the status code and the
//! latency, the latter read without the general float parser when the number is a plain
//! decimal (it nearly always is, and then the result is provably the same).

/// A JSON number's grammar, `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`, checked from `start`:
/// its end, and its value when it is a plain decimal of at most 15 digits. That value is
/// exactly what `str::parse::<f64>` gives: the digits as an integer are below 2^53 and so
/// exact, 10^k for k <= 15 is exact, and IEEE division rounds the exact quotient correctly,
/// as the full parser does (Clinger's fast path). Other numbers go through [`full`].
pub fn scan(b: &[u8], start: usize) -> Option<(usize, Option<f64>)> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    // Wrapping: past 19 digits `m` is garbage, but then it is not used.
    let digits = |i: &mut usize, m: &mut u64| {
        let from = *i;
        while let Some(c @ b'0'..=b'9') = b.get(*i).copied() {
            *m = m.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            *i += 1;
        }
        *i - from
    };
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    i += usize::from(negative);
    let int_start = i;
    let mut m = 0u64;
    let int_digits = digits(&mut i, &mut m);
    if int_digits == 0 || (b[int_start] == b'0' && int_digits > 1) {
        return None;
    }
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(&mut i, &mut m);
        if frac_digits == 0 {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        return (digits(&mut i, &mut m) > 0).then_some((i, None));
    }
    let plain = (int_digits + frac_digits <= 15).then(|| {
        let v = m as f64 / POW10[frac_digits];
        if negative { -v } else { v }
    });
    Some((i, plain))
}

/// The JSON number at `start`: where it ends and its value. `None` when it breaks the
/// grammar or, as serde_json has it, when it is too large for an `f64`.
pub fn number(b: &[u8], start: usize) -> Option<(usize, f64)> {
    let (end, plain) = scan(b, start)?;
    let v = plain.or_else(|| full(&b[start..end]))?;
    v.is_finite().then_some((end, v))
}

/// The value of a number that passed [`scan`] without one.
pub fn full(n: &[u8]) -> Option<f64> {
    std::str::from_utf8(n).ok()?.parse().ok()
}

/// A status is an integer 100..=999, as a JSON integer or a three-digit string.
pub fn status_number(n: Option<f64>) -> Option<u16> {
    let n = n?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}

/// A status written as a string: three digits, not starting with 0.
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

    fn value(s: &str) -> Option<f64> {
        let (end, plain) = scan(s.as_bytes(), 0)?;
        (end == s.len()).then(|| plain.or_else(|| full(s.as_bytes())))?
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
            let (end, v) = scan(s.as_bytes(), 0).unwrap();
            assert_eq!(
                (end, v.map(f64::to_bits)),
                (s.len(), Some(parsed(s).to_bits())),
                "{s}"
            );
        }
        for s in ["1e3", "1.5E-2", "1234567890123456", "-1.234567890123456"] {
            assert_eq!(scan(s.as_bytes(), 0), Some((s.len(), None)), "{s}");
        }
        for s in ["12.", ".5", "-", "", "01", "1e", "-x"] {
            assert_eq!(scan(s.as_bytes(), 0), None, "{s}");
        }
        assert_eq!(value("3e2"), Some(300.0));
        assert_eq!(scan(b"1.5,", 0), Some((3, Some(1.5))));
    }

    #[test]
    fn three_digit_statuses() {
        assert_eq!(status_text(b"401"), Some(401));
        assert_eq!(status_text(b"099"), None);
        assert_eq!(status_text(b"4x1"), None);
        assert_eq!(status_number(value("4.01e2")), Some(401));
        assert_eq!(status_number(value("401.5")), None);
    }

    proptest! {
        #[test]
        fn scan_agrees_with_the_full_parser(
            s in "-?(0|[1-9][0-9]{0,15})(\\.[0-9]{1,16})?([eE][+-]?[0-9]{1,2})?",
        ) {
            let full_value = parsed(&s);
            let (end, plain) = scan(s.as_bytes(), 0).unwrap();
            prop_assert_eq!(end, s.len());
            if let Some(v) = plain {
                prop_assert_eq!(v.to_bits(), full_value.to_bits(), "{}", s);
            }
            prop_assert_eq!(value(&s).map(f64::to_bits), Some(full_value.to_bits()));
        }
    }
}
