//! One JSON-lines record, read fast: a single pass over a flat object that picks out the
//! configured fields without building a document. Anything the fast path does not handle
//! (escapes in strings, nested values) goes to serde_json, which is authoritative; the fast
//! path only answers for lines it fully understood.

use super::formats::{FieldNames, Record};
use super::json_scan::{Name, Seen, quote_or_backslash, window};
use super::number::{epoch_number, full, scan, status_number, status_text};
use super::times::{IsoMinute, iso_time};
use serde_json::Value;
use std::borrow::Cow;

enum Fast<'a> {
    Done(Option<Record<'a>>),
    /// Valid-looking but beyond the fast path: ask serde_json.
    Fallback,
}

/// Reads one line; for many lines, [`Picker::parse`] is faster.
pub fn parse<'a>(line: &'a [u8], names: &FieldNames) -> Option<Record<'a>> {
    Picker::new(names).parse(line)
}

// Slots of the configured names, in the order a line's key is matched against them.
const STATUS: usize = 0;
const KEY: usize = 1;
const IP: usize = 2;
const PATH: usize = 3;
const METHOD: usize = 4;
const TS: usize = 5;
const LATENCY: usize = 6;
const CUSTOMER: usize = 7;
/// How many configured fields a line is searched for.
const FIELDS: usize = 8;

#[derive(Clone, Copy)]
enum Val {
    /// A string's contents, without escapes, as a byte range of the line.
    Str(usize, usize),
    /// A number's range, and its value when reading it was cheap.
    Num(usize, usize, Option<f64>),
    Other,
}

/// Past JSON whitespace from `i`. Compact lines have none, and every byte that could be
/// whitespace is at most a space, so one compare settles the usual case.
fn skip_ws(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(c) if *c <= b' ' => skip_ws_from(b, i),
        _ => i,
    }
}

fn skip_ws_from(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// The configured fields, prepared once per worker, and what the last line looked like:
/// the order of its keys and the minute of its `ts`.
pub struct Picker {
    fields: FieldNames,
    names: [Name; FIELDS],
    /// The n-th key of the last line. One producer writes the same keys in the same order
    /// on every line, so this one is tried first and usually is the one.
    seen: [Seen; 16],
    texts_for: Option<Box<[u16]>>,
    minute: IsoMinute,
}

impl Picker {
    pub fn new(fields: &FieldNames) -> Self {
        let names = [
            &fields.status,
            &fields.key,
            &fields.ip,
            &fields.path,
            &fields.method,
            &fields.ts,
            &fields.latency,
            &fields.customer,
        ];
        let names = std::array::from_fn(|k| {
            let earlier: Vec<&str> = names[..k].iter().map(|n| n.as_str()).collect();
            Name::new(names[k], &earlier)
        });
        Self {
            fields: fields.clone(),
            names,
            seen: [Seen::NONE; 16],
            texts_for: None,
            minute: IsoMinute::default(),
        }
    }

    /// Leaves key, IP, path and method out of records whose status is not among `statuses`,
    /// for a caller that only reads them there: it saves checking and slicing them.
    pub fn texts_only_for(mut self, statuses: &[u16]) -> Self {
        self.texts_for = Some(statuses.into());
        self
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Option<Record<'a>> {
        match self.fast(line) {
            Fast::Done(r) => r,
            Fast::Fallback => slow(line, &self.fields),
        }
    }

    /// The slot of the key whose opening quote is at `i`, and where the key ends.
    /// `Err(true)` when the key holds an escape, `Err(false)` when it is not closed.
    /// `nth`: the key's place in the line.
    fn key(&mut self, b: &[u8], i: usize, nth: usize) -> Result<(Option<usize>, usize), bool> {
        let s = i + 1;
        let w = window(b, s);
        if let Some(seen) = self.seen.get(nth)
            && let Some(end) = seen.end_at(b, s, w)
        {
            return Ok((seen.slot, end));
        }
        let slot = self.names.iter().position(|n| n.is_key_at(b, s, w));
        let end = match slot {
            Some(slot) => s + self.names[slot].len(),
            None => match quote_or_backslash(b, s) {
                Some(q) if b[q] == b'"' => q,
                Some(_) => return Err(true),
                None => return Err(false),
            },
        };
        if let Some(seen) = self.seen.get_mut(nth) {
            *seen = Seen::new(w, end - s, slot);
        }
        Ok((slot, end))
    }

    fn fast<'a>(&mut self, b: &'a [u8]) -> Fast<'a> {
        let mut got: [Option<Val>; FIELDS] = [None; FIELDS];
        let mut nth = 0;
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
                let (slot, key_end) = match self.key(b, i, nth) {
                    Ok(k) => k,
                    Err(true) => return Fast::Fallback,
                    Err(false) => return Fast::Done(None),
                };
                i = skip_ws(b, key_end + 1);
                if b.get(i) != Some(&b':') {
                    return Fast::Done(None);
                }
                i = skip_ws(b, i + 1);
                let (val, end) = match b.get(i) {
                    Some(b'"') => match quote_or_backslash(b, i + 1) {
                        Some(q) if b[q] == b'"' => (Val::Str(i + 1, q), q + 1),
                        Some(_) => return Fast::Fallback,
                        None => return Fast::Done(None),
                    },
                    Some(b'-' | b'0'..=b'9') => match scan(b, i) {
                        Some((e, plain)) => (Val::Num(i, e, plain), e),
                        None => return Fast::Done(None),
                    },
                    Some(b't') if b[i..].starts_with(b"true") => (Val::Other, i + 4),
                    Some(b'f') if b[i..].starts_with(b"false") => (Val::Other, i + 5),
                    Some(b'n') if b[i..].starts_with(b"null") => (Val::Other, i + 4),
                    Some(b'{' | b'[') => return Fast::Fallback,
                    _ => return Fast::Done(None),
                };
                if let Some(slot) = slot {
                    got[slot] = Some(val);
                }
                nth += 1;
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
        Fast::Done(self.record(b, &got))
    }

    /// The record from the values found; `None` without a valid status.
    fn record<'a>(&mut self, b: &'a [u8], got: &[Option<Val>; FIELDS]) -> Option<Record<'a>> {
        let status = match got[STATUS] {
            Some(Val::Num(s, e, v)) => status_number(v.or_else(|| full(&b[s..e]))),
            Some(Val::Str(s, e)) => status_text(&b[s..e]),
            _ => None,
        }?;
        let wanted = self.texts_for.as_ref().is_none_or(|w| w.contains(&status));
        // One UTF-8 check of the whole line is cheaper than one per field; when it fails,
        // each field is checked alone, so a bad byte elsewhere costs no field.
        let line = if wanted {
            std::str::from_utf8(b).ok()
        } else {
            None
        };
        let text = |v: Option<Val>| match v {
            _ if !wanted => None,
            Some(Val::Str(s, e)) => match line {
                Some(line) => line.get(s..e),
                None => std::str::from_utf8(&b[s..e]).ok(),
            }
            .map(Cow::Borrowed),
            _ => None,
        };
        let ts = match got[TS] {
            Some(Val::Str(s, e)) => self.minute.iso_time(&b[s..e]),
            Some(Val::Num(s, e, v)) => v.or_else(|| full(&b[s..e])).and_then(epoch_number),
            _ => None,
        };
        let latency_ms = match got[LATENCY] {
            Some(Val::Num(s, e, v)) => v.or_else(|| full(&b[s..e])).filter(|v| *v >= 0.0),
            _ => None,
        };
        Some(Record {
            status,
            key: text(got[KEY]),
            ip: text(got[IP]),
            path: text(got[PATH]),
            method: text(got[METHOD]),
            ts,
            latency_ms,
            customer: text(got[CUSTOMER]),
        })
    }
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
        customer: text(&names.customer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let Fast::Done(Some(fast_r)) = Picker::new(&names).fast(line.as_bytes()) else {
            panic!()
        };
        assert_eq!(Some(fast_r), slow(line.as_bytes(), &names));
    }

    #[test]
    fn names_longer_than_a_window_and_odd_names() {
        let names = FieldNames {
            status: "http_response_status_code".into(),
            key: "k\\q".into(),
            ip: String::new(),
            ..FieldNames::default()
        };
        let line = br#"{"http_response_status_code":404,"http_response_status_cod":500,"":"9.9.9.9","k\\q":"x"}"#;
        let r = Picker::new(&names).parse(line).unwrap();
        assert_eq!(r.status, 404);
        assert_eq!(r.ip.as_deref(), Some("9.9.9.9"));
        assert_eq!(r.key.as_deref(), Some("x"));
    }

    #[test]
    fn invalid_utf8_costs_only_its_field() {
        let mut line = br#"{"status":401,"path":"/a","key_id":"k","ua":"?"}"#.to_vec();
        let q = line.iter().position(|c| *c == b'?').unwrap();
        line[q] = 0xff;
        let r = p_bytes(&line).unwrap();
        assert_eq!(
            (r.path.as_deref(), r.key.as_deref()),
            (Some("/a"), Some("k"))
        );
        line = br#"{"status":401,"path":"/?","key_id":"k"}"#.to_vec();
        let q = line.iter().position(|c| *c == b'?').unwrap();
        line[q] = 0xff;
        let r = p_bytes(&line).unwrap();
        assert_eq!((r.path.as_deref(), r.key.as_deref()), (None, Some("k")));
    }

    fn p_bytes(line: &[u8]) -> Option<Record<'_>> {
        parse(line, &FieldNames::default())
    }

    fn json_value() -> impl Strategy<Value = String> {
        prop_oneof![
            "\"[ -!#-\\[\\]-~]{0,30}\"",
            "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,4})?([eE][+-]?[0-9])?",
            "[1-5][0-9][0-9]",
            "\"[1-5][0-9]{2}\"",
            "\"20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,3})?(Z|[+-]0[0-9]:?[0-5][0-9])?\"",
            Just("true".to_string()),
            Just("null".to_string()),
            Just("{\"a\":[1]}".to_string()),
            Just("\"a\\\"b\"".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn fast_path_agrees_with_serde(lines in prop::collection::vec(
            prop::collection::vec(
                (prop_oneof![
                    Just("status"), Just("key_id"), Just("ip"), Just("path"), Just("method"),
                    Just("ts"), Just("latency_ms"), Just("ua"), Just("stat"), Just("tss"),
                ], json_value(), "[ ]{0,1}"),
                0..10,
            ),
            1..6,
        )) {
            // One picker for all lines, as a worker has: what it remembers from one line
            // (key order, minute) must never change how it reads the next.
            let names = FieldNames::default();
            let mut picker = Picker::new(&names);
            for fields in &lines {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v, ws)| format!("{ws}\"{k}\"{ws}:{ws}{v}{ws}"))
                    .collect();
                let line = format!("{{{}}}", body.join(","));
                match picker.fast(line.as_bytes()) {
                    Fast::Done(r) => prop_assert_eq!(r, slow(line.as_bytes(), &names), "{}", line),
                    Fast::Fallback => prop_assert!(line.contains('\\') || line.contains('[')),
                }
            }
        }
    }
}
