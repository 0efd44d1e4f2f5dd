//! One JSON-lines record, read fast: a single pass over a flat object that picks out the
//! configured fields without building a document. Anything the fast path does not handle
//! (escapes in strings, nested values) goes to serde_json, which is authoritative; the fast
//! path only answers for lines it fully understood.

use super::formats::{FieldNames, Record, iso_time};
use serde_json::Value;
use std::borrow::Cow;

enum Fast<'a> {
    Done(Option<Record<'a>>),
    /// Valid-looking but beyond the fast path: ask serde_json.
    Fallback,
}

pub fn parse<'a>(line: &'a [u8], names: &FieldNames) -> Option<Record<'a>> {
    match fast(line, names) {
        Fast::Done(r) => r,
        Fast::Fallback => slow(line, names),
    }
}

#[derive(Clone, Copy)]
enum Val<'a> {
    Str(&'a [u8]),
    Num(&'a [u8]),
    Other,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// A JSON number's grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`; returns its end.
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
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

fn fast<'a>(b: &'a [u8], names: &FieldNames) -> Fast<'a> {
    let fields: [&[u8]; 7] = [
        names.status.as_bytes(),
        names.key.as_bytes(),
        names.ip.as_bytes(),
        names.path.as_bytes(),
        names.method.as_bytes(),
        names.ts.as_bytes(),
        names.latency.as_bytes(),
    ];
    let mut got: [Option<Val<'a>>; 7] = [None; 7];
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Fast::Done(None);
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return Fast::Done(None);
            }
            let Some(q) = memchr::memchr2(b'"', b'\\', &b[i + 1..]) else {
                return Fast::Done(None);
            };
            if b[i + 1 + q] == b'\\' {
                return Fast::Fallback;
            }
            let key = &b[i + 1..i + 1 + q];
            i = skip_ws(b, i + q + 2);
            if b.get(i) != Some(&b':') {
                return Fast::Done(None);
            }
            i = skip_ws(b, i + 1);
            let (val, end) = match b.get(i) {
                Some(b'"') => {
                    let Some(q) = memchr::memchr2(b'"', b'\\', &b[i + 1..]) else {
                        return Fast::Done(None);
                    };
                    if b[i + 1 + q] == b'\\' {
                        return Fast::Fallback;
                    }
                    (Val::Str(&b[i + 1..i + 1 + q]), i + q + 2)
                }
                Some(b'-' | b'0'..=b'9') => match number_end(b, i) {
                    Some(e) => (Val::Num(&b[i..e]), e),
                    None => return Fast::Done(None),
                },
                Some(b't') if b[i..].starts_with(b"true") => (Val::Other, i + 4),
                Some(b'f') if b[i..].starts_with(b"false") => (Val::Other, i + 5),
                Some(b'n') if b[i..].starts_with(b"null") => (Val::Other, i + 4),
                Some(b'{' | b'[') => return Fast::Fallback,
                _ => return Fast::Done(None),
            };
            if let Some(slot) = fields.iter().position(|f| *f == key) {
                got[slot] = Some(val);
            }
            i = skip_ws(b, end);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return Fast::Done(None),
            }
        }
    }
    if skip_ws(b, i) != b.len() {
        return Fast::Done(None);
    }
    let str_of = |v: Option<Val<'a>>| match v {
        Some(Val::Str(s)) => std::str::from_utf8(s).ok().map(Cow::Borrowed),
        _ => None,
    };
    let num_of = |v: &[u8]| std::str::from_utf8(v).ok()?.parse::<f64>().ok();
    let status = match got[0] {
        Some(Val::Num(n)) => status_number(num_of(n)),
        Some(Val::Str(s)) => status_text(s),
        _ => None,
    };
    let Some(status) = status else {
        return Fast::Done(None);
    };
    let ts = match got[5] {
        Some(Val::Str(s)) => iso_time(s),
        Some(Val::Num(n)) => num_of(n).and_then(epoch_number),
        _ => None,
    };
    let latency_ms = match got[6] {
        Some(Val::Num(n)) => num_of(n).filter(|v| *v >= 0.0),
        _ => None,
    };
    Fast::Done(Some(Record {
        status,
        key: str_of(got[1]),
        ip: str_of(got[2]),
        path: str_of(got[3]),
        method: str_of(got[4]),
        ts,
        latency_ms,
    }))
}

/// A status is an integer 100..=999, as a JSON integer or a three-digit string.
fn status_number(n: Option<f64>) -> Option<u16> {
    let n = n?;
    (n.fract() == 0.0 && (100.0..1000.0).contains(&n)).then_some(n as u16)
}

fn status_text(s: &[u8]) -> Option<u16> {
    if s.len() != 3 || !s.iter().all(u8::is_ascii_digit) || s[0] == b'0' {
        return None;
    }
    Some(s.iter().fold(0u16, |n, c| n * 10 + u16::from(c - b'0')))
}

/// Epoch seconds, or milliseconds when the value is too large to be seconds.
fn epoch_number(v: f64) -> Option<i64> {
    if v.is_nan() || v.abs() >= 1e15 {
        return None;
    }
    Some(if v >= 1e11 {
        (v / 1000.0).floor() as i64
    } else {
        v.floor() as i64
    })
}

fn slow<'a>(line: &'a [u8], names: &FieldNames) -> Option<Record<'a>> {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(line) else {
        return None;
    };
    let text = |k: &str| match obj.get(k) {
        Some(Value::String(s)) => Some(Cow::Owned(s.clone())),
        _ => None,
    };
    let status = match obj.get(&names.status)? {
        Value::Number(n) if n.is_i64() || n.is_u64() || n.is_f64() => status_number(n.as_f64()),
        Value::String(s) => status_text(s.as_bytes()),
        _ => None,
    }?;
    let ts = match obj.get(&names.ts) {
        Some(Value::String(s)) => iso_time(s.as_bytes()),
        Some(Value::Number(n)) => n.as_f64().and_then(epoch_number),
        _ => None,
    };
    let latency_ms = match obj.get(&names.latency) {
        Some(Value::Number(n)) => n.as_f64().filter(|v| *v >= 0.0),
        _ => None,
    };
    Some(Record {
        status,
        key: text(&names.key),
        ip: text(&names.ip),
        path: text(&names.path),
        method: text(&names.method),
        ts,
        latency_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Option<Record<'_>> {
        parse(line.as_bytes(), &FieldNames::default())
    }

    #[test]
    fn typical_gateway_line() {
        let r = p(r#"{"ts":"2026-11-22T10:00:00.120Z","method":"GET","path":"/v1/orders/9","status":401,"key_id":"key_42","ip":"203.0.113.9","latency_ms":12.5,"ua":"x","ok":false,"n":null}"#).unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(r.key.as_deref(), Some("key_42"));
        assert_eq!(r.ts, Some(1_795_341_600));
        assert_eq!(r.latency_ms, Some(12.5));
    }

    #[test]
    fn escapes_and_nesting_go_through_serde() {
        let r = p(r#"{"status":"403","path":"/v1/a\"b","meta":{"x":[1,2]},"ts":1795341600123}"#)
            .unwrap();
        assert_eq!(r.status, 403);
        assert_eq!(r.path.as_deref(), Some("/v1/a\"b"));
        assert_eq!(r.ts, Some(1_795_341_600));
    }

    #[test]
    fn malformed_lines() {
        for bad in [
            r#"{"status":401"#,
            r#"{"status":401} x"#,
            r#"{"status":01}"#,
            r#"{"status":4.5}"#,
            r#"{"path":"/"}"#,
            r#"[401]"#,
            r#"{"status":401,}"#,
            r#"{"status":"4x1"}"#,
            r#"{"status": 401, "a": tru}"#,
        ] {
            assert!(p(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn fast_and_slow_paths_agree() {
        let line = r#"{ "status" : 429 , "key_id":"k", "ip":"1.2.3.4","path":"/x","method":"POST","ts":"2026-11-22 10:00:00+01:00","latency_ms":3e2 }"#;
        let names = FieldNames::default();
        let Fast::Done(Some(fast_r)) = fast(line.as_bytes(), &names) else {
            panic!()
        };
        assert_eq!(Some(fast_r), slow(line.as_bytes(), &names));
    }
}
