//! Access-log line formats and their detection: JSON lines (fields named in
//! [`FieldNames`]), nginx combined and common log format, and uvicorn's access lines. Each
//! parser turns one line into a [`Record`] or says it is malformed; none allocates unless a
//! JSON string holds escapes.

use super::json_line;
use super::times::clf_time;
use serde::Serialize;
use std::borrow::Cow;

/// One request as a log line describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record<'a> {
    pub status: u16,
    pub key: Option<Cow<'a, str>>,
    pub ip: Option<Cow<'a, str>>,
    pub path: Option<Cow<'a, str>>,
    pub method: Option<Cow<'a, str>>,
    /// Unix seconds.
    pub ts: Option<i64>,
    pub latency_ms: Option<f64>,
    /// The customer the request was made for, when the gateway logs it.
    pub customer: Option<Cow<'a, str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    JsonLines,
    /// nginx/Apache combined or common log format (the referer and user agent are optional).
    Clf,
    Uvicorn,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::JsonLines => "JSON lines",
            Format::Clf => "combined/common log format",
            Format::Uvicorn => "uvicorn access log",
        }
    }
}

/// JSON field names; defaults match what most gateways log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldNames {
    pub status: String,
    pub key: String,
    pub ip: String,
    pub path: String,
    pub method: String,
    pub ts: String,
    pub latency: String,
    pub customer: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        Self {
            status: "status".into(),
            key: "key_id".into(),
            ip: "ip".into(),
            path: "path".into(),
            method: "method".into(),
            ts: "ts".into(),
            latency: "latency_ms".into(),
            customer: "customer_id".into(),
        }
    }
}

impl FieldNames {
    /// The names in the order the JSON readers keep them: status, key, ip, path, method,
    /// ts, latency. A name given to two fields belongs to the first.
    pub fn in_slot_order(&self) -> [&str; 8] {
        [
            &self.status,
            &self.key,
            &self.ip,
            &self.path,
            &self.method,
            &self.ts,
            &self.latency,
            &self.customer,
        ]
    }
}

/// Reads one line. `texts_for`: the statuses whose records need key, IP, path and method;
/// checking those as UTF-8 is most of the work on a short access-log line.
pub fn parse_line<'a>(
    format: Format,
    line: &'a [u8],
    names: &FieldNames,
    texts_for: Option<&[u16]>,
) -> Option<Record<'a>> {
    match format {
        Format::JsonLines => json_line::parse(line, names),
        Format::Clf => parse_clf(line, texts_for),
        Format::Uvicorn => parse_uvicorn(line, texts_for),
    }
}

/// The text of `b` when `status` is among `texts_for` (or all are wanted) and it is UTF-8.
fn text_for<'a>(
    b: Option<&'a [u8]>,
    status: u16,
    texts_for: Option<&[u16]>,
) -> Option<Cow<'a, str>> {
    if texts_for.is_some_and(|t| !t.contains(&status)) {
        return None;
    }
    text(b?)
}

/// The format most of the first non-blank lines parse as; JSON lines when none do (every
/// line is then reported malformed, which says more than guessing).
pub fn detect(sample: &[u8], names: &FieldNames) -> Format {
    let lines: Vec<&[u8]> = non_blank_lines(sample).take(DETECT_LINES).collect();
    let mut best = (Format::JsonLines, 0);
    for f in [Format::JsonLines, Format::Clf, Format::Uvicorn] {
        let n = lines
            .iter()
            .filter(|l| parse_line(f, l, names, None).is_some())
            .count();
        if n > best.1 {
            best = (f, n);
        }
    }
    best.0
}

/// How many non-blank lines at the start of a file decide its format…
pub const DETECT_LINES: usize = 20;
/// …if they come within this many bytes (the default chunk size): memory stays bounded on a
/// file of blank or enormous lines.
pub const DETECT_BYTES: usize = 4 << 20;

pub fn non_blank_lines(sample: &[u8]) -> impl Iterator<Item = &[u8]> {
    sample
        .split(|b| *b == b'\n')
        .map(trim)
        .filter(|l| !l.is_empty())
}

/// Strips the whitespace both this parser and the reference Python script skip.
pub fn trim(line: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c');
    let start = line.iter().position(|b| !ws(b)).unwrap_or(line.len());
    let end = line.iter().rposition(|b| !ws(b)).map_or(start, |e| e + 1);
    &line[start..end]
}

fn text(b: &[u8]) -> Option<Cow<'_, str>> {
    std::str::from_utf8(b).ok().map(Cow::Borrowed)
}

/// `$remote_addr - $remote_user [$time_local] "$request" $status $bytes ["$referer" "$ua"]`.
/// Gateways that log the key id as `$remote_user` get it reported as the key.
fn parse_clf<'a>(line: &'a [u8], texts_for: Option<&[u16]>) -> Option<Record<'a>> {
    let sp = memchr::memchr(b' ', line)?;
    let ip = &line[..sp];
    let rest = &line[sp + 1..];
    let sp = memchr::memchr(b' ', rest)?; // ident
    let rest = &rest[sp + 1..];
    let sp = memchr::memchr(b' ', rest)?;
    let user = &rest[..sp];
    let rest = rest[sp + 1..].strip_prefix(b"[")?;
    let close = memchr::memchr(b']', rest)?;
    let ts = clf_time(&rest[..close])?;
    let rest = rest[close + 1..].strip_prefix(b" \"")?;
    let (words, rest) = request_and_rest(rest)?;
    let rest = rest.strip_prefix(b" ")?;
    let status = status3(rest)?;
    let rest = &rest[3..];
    if !(rest.is_empty() || rest[0] == b' ') {
        return None;
    }
    let text = |b| text_for(b, status, texts_for);
    Some(Record {
        status,
        key: text((user != b"-").then_some(user)),
        ip: text(Some(ip)),
        path: text(words.map(|w| w.1)),
        method: text(words.map(|w| w.0)),
        ts: Some(ts),
        latency_ms: None,
        customer: None,
    })
}

/// `INFO:     172.26.0.3:37290 - "GET /api/v1/auth/validate HTTP/1.1" 401 Unauthorized`
fn parse_uvicorn<'a>(line: &'a [u8], texts_for: Option<&[u16]>) -> Option<Record<'a>> {
    let mut rest = line;
    // A `LEVEL:` prefix, then padding.
    if let Some(colon) = memchr::memchr(b':', rest)
        && rest[..colon].iter().all(u8::is_ascii_uppercase)
        && colon > 0
    {
        rest = trim(&rest[colon + 1..]);
    }
    let sp = memchr::memchr(b' ', rest)?;
    let addr = &rest[..sp];
    let colon = memchr::memrchr(b':', addr)?;
    if !addr[colon + 1..].iter().all(u8::is_ascii_digit) || colon + 1 == addr.len() {
        return None;
    }
    let rest = rest[sp..].strip_prefix(b" - \"")?;
    let (words, rest) = request_and_rest(rest)?;
    let rest = rest.strip_prefix(b" ")?;
    let status = status3(rest)?;
    if !(rest.len() == 3 || rest[3] == b' ') {
        return None;
    }
    let text = |b| text_for(b, status, texts_for);
    Some(Record {
        status,
        ip: text(Some(&addr[..colon])),
        path: text(words.map(|w| w.1)),
        method: text(words.map(|w| w.0)),
        ..Record::default()
    })
}

/// A request line's method and path.
type Words<'a> = Option<(&'a [u8], &'a [u8])>;

/// `METHOD PATH PROTO"` up to the closing quote, and what follows it. A request line that
/// is not three words (`"-"`, garbage from scanners) still makes a record, without method
/// and path.
fn request_and_rest(rest: &[u8]) -> Option<(Words<'_>, &[u8])> {
    let close = memchr::memchr(b'"', rest)?;
    let request = &rest[..close];
    let words = match memchr::memchr(b' ', request) {
        Some(a) if a > 0 => {
            let tail = &request[a + 1..];
            match memchr::memchr(b' ', tail) {
                Some(b) if !tail[b + 1..].contains(&b' ') => Some((&request[..a], &tail[..b])),
                _ => None,
            }
        }
        _ => None,
    };
    Some((words, &rest[close + 1..]))
}

fn status3(b: &[u8]) -> Option<u16> {
    let d = b.get(..3)?;
    if !d.iter().all(u8::is_ascii_digit) || d[0] == b'0' {
        return None;
    }
    Some(d.iter().fold(0u16, |n, c| n * 10 + u16::from(c - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &[u8] = br#"203.0.113.9 - key_live_42 [22/Nov/2026:10:00:07 +0100] "GET /v1/orders/123?x=1 HTTP/1.1" 401 71 "-" "curl/8.5.0""#;

    #[test]
    fn combined_line() {
        let r = parse_clf(COMBINED, None).unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(r.ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(r.key.as_deref(), Some("key_live_42"));
        assert_eq!(r.path.as_deref(), Some("/v1/orders/123?x=1"));
        assert_eq!(r.ts, Some(1_795_338_007)); // 09:00:07Z
    }

    #[test]
    fn common_line_and_garbage_request() {
        let r = parse_clf(
            br#"10.0.0.1 - - [22/Nov/2026:10:00:07 +0000] "-" 400 0"#,
            None,
        )
        .unwrap();
        assert_eq!((r.status, r.key, r.path), (400, None, None));
        let r = parse_clf(COMBINED, Some(&[403])).unwrap();
        assert_eq!(
            (r.status, r.ip, r.path, r.ts),
            (401, None, None, Some(1_795_338_007))
        );
        assert!(
            parse_clf(
                br#"10.0.0.1 - - [22/Nov/2026:10:00:07 +0000] "GET / HTTP/1.1" 4"#,
                None
            )
            .is_none()
        );
        assert!(
            parse_clf(
                br#"10.0.0.1 - - [22/Foo/2026:10:00:07 +0000] "GET / HTTP/1.1" 200 1"#,
                None
            )
            .is_none()
        );
    }

    #[test]
    fn uvicorn_line() {
        let r = parse_uvicorn(br#"INFO:     172.26.0.3:37290 - "GET /api/v1/auth/validate HTTP/1.1" 401 Unauthorized"#, None).unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(r.ip.as_deref(), Some("172.26.0.3"));
        assert_eq!(r.path.as_deref(), Some("/api/v1/auth/validate"));
        assert_eq!(r.ts, None);
        assert!(parse_uvicorn(br#"172.26.0.3:37290 - "GET / HTTP/1.1" 200"#, None).is_some());
        assert!(parse_uvicorn(b"INFO:     Application startup complete.", None).is_none());
    }

    #[test]
    fn detection_picks_the_majority() {
        let names = FieldNames::default();
        let mut sample = COMBINED.to_vec();
        sample.extend_from_slice(b"\n\ngarbage\n");
        assert_eq!(detect(&sample, &names), Format::Clf);
        assert_eq!(detect(b"{\"status\":200}\n", &names), Format::JsonLines);
        assert_eq!(
            detect(b"172.1.1.1:5 - \"GET / HTTP/1.1\" 200 OK", &names),
            Format::Uvicorn
        );
    }
}
