//! Reading a pasted request in whichever form the customer sent it: a curl command line, a
//! raw HTTP request, or a bare list of headers. Only structure lives here; judging the
//! credential is `checks`' job.

use crate::diagnose::DiagnoseError;
use base64::Engine;
use serde::Serialize;

/// The form a pasted request came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestForm {
    Curl,
    Http,
    Headers,
}

impl RequestForm {
    pub fn label(self) -> &'static str {
        match self {
            RequestForm::Curl => "curl command",
            RequestForm::Http => "raw HTTP request",
            RequestForm::Headers => "header list",
        }
    }
}

/// A header as sent: the value keeps its inner whitespace, quotes and line breaks, because
/// those are exactly what the checks look for.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    pub form: RequestForm,
    pub method: Option<String>,
    /// Host without port, lower-cased, when the request names one.
    pub host: Option<String>,
    pub headers: Vec<Header>,
    /// Decoded query parameters.
    pub query: Vec<(String, String)>,
}

pub fn parse(text: &str) -> Result<ParsedRequest, DiagnoseError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(DiagnoseError::input(1, "the input is empty"));
    }
    let first = trimmed.lines().next().unwrap_or_default();
    let first_word = first.trim_start_matches("$ ").split_whitespace().next();
    if first_word == Some("curl") || first_word == Some("curl.exe") {
        parse_curl(trimmed)
    } else if is_request_line(first) {
        parse_http(text)
    } else {
        parse_header_list(text)
    }
}

fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next();
    let version = parts.next().unwrap_or_default();
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && target.is_some()
        && version.starts_with("HTTP/")
}

/// curl options that take a value; anything else starting with `-` is a flag. Knowing them
/// keeps `-d '{"a":1}'` from being taken for the URL.
const CURL_VALUE_OPTIONS: &[&str] = &[
    "-A",
    "--user-agent",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--data-ascii",
    "--json",
    "-e",
    "--referer",
    "-E",
    "--cert",
    "--cacert",
    "--key",
    "-F",
    "--form",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-o",
    "--output",
    "-T",
    "--upload-file",
    "-w",
    "--write-out",
    "-x",
    "--proxy",
    "--resolve",
    "--retry",
    "-r",
    "--range",
    "--proxy-user",
    "-U",
];

fn parse_curl(text: &str) -> Result<ParsedRequest, DiagnoseError> {
    // Join shell line continuations (`\` on POSIX shells, `^` in cmd.exe) before splitting.
    let joined = text
        .replace("\\\r\n", " ")
        .replace("\\\n", " ")
        .replace("^\r\n", " ")
        .replace("^\n", " ");
    let words = shell_words::split(joined.trim_start_matches("$ ")).map_err(|e| {
        DiagnoseError::input(
            1,
            format!("the curl command does not parse as shell words: {e}"),
        )
    })?;
    let mut req = ParsedRequest {
        form: RequestForm::Curl,
        method: None,
        host: None,
        headers: Vec::new(),
        query: Vec::new(),
    };
    let mut url = None;
    let mut words = words.into_iter().skip(1);
    while let Some(word) = words.next() {
        let (flag, attached) = split_short_option(&word);
        match flag {
            "-H" | "--header" => {
                let value = attached.map(str::to_string).or_else(|| words.next());
                if let Some((name, value)) = value.as_deref().and_then(split_header) {
                    req.headers.push(Header { name, value });
                }
            }
            "-u" | "--user" => {
                if let Some(user) = attached.map(str::to_string).or_else(|| words.next()) {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(user);
                    req.headers.push(Header {
                        name: "Authorization".into(),
                        value: format!("Basic {encoded}"),
                    });
                }
            }
            "--oauth2-bearer" => {
                if let Some(token) = words.next() {
                    req.headers.push(Header {
                        name: "Authorization".into(),
                        value: format!("Bearer {token}"),
                    });
                }
            }
            "-X" | "--request" => {
                req.method = attached.map(str::to_string).or_else(|| words.next())
            }
            "--url" => url = words.next(),
            f if CURL_VALUE_OPTIONS.contains(&f) => {
                if attached.is_none() {
                    words.next();
                }
            }
            f if f.starts_with('-') => {}
            _ => url = url.or(Some(word)),
        }
    }
    let Some(url) = url else {
        return Err(DiagnoseError::input(1, "the curl command has no URL"));
    };
    let (host, query) = split_url(&url);
    req.host = host;
    req.query = query;
    Ok(req)
}

/// `-HX-API-Key: k` is `-H` with an attached value; long options never attach.
fn split_short_option(word: &str) -> (&str, Option<&str>) {
    if word.len() > 2
        && !word.starts_with("--")
        && word.starts_with('-')
        && word.is_char_boundary(2)
    {
        let (flag, rest) = word.split_at(2);
        if matches!(flag, "-H" | "-u" | "-X" | "-d") {
            return (flag, Some(rest));
        }
    }
    (word, None)
}

fn parse_http(text: &str) -> Result<ParsedRequest, DiagnoseError> {
    let mut lines = text.trim_start().lines();
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split_whitespace();
    let method = parts.next().map(str::to_string);
    let target = parts.next().unwrap_or_default();
    let headers = parse_headers(lines, 2, true)?;
    let (mut host, query) = split_url(target);
    if host.is_none() {
        host = headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("host"))
            .map(|h| host_only(h.value.trim()));
    }
    Ok(ParsedRequest {
        form: RequestForm::Http,
        method,
        host,
        headers,
        query,
    })
}

fn parse_header_list(text: &str) -> Result<ParsedRequest, DiagnoseError> {
    let headers = parse_headers(text.lines(), 1, false)?;
    if headers.is_empty() {
        return Err(DiagnoseError::input(
            1,
            "not a curl command, an HTTP request or a list of `Name: value` headers",
        ));
    }
    let host = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| host_only(h.value.trim()));
    Ok(ParsedRequest {
        form: RequestForm::Headers,
        method: None,
        host,
        headers,
        query: Vec::new(),
    })
}

/// Headers up to the first blank line. A line without a colon right after a header is the
/// rest of that header's value, broken by a paste; the line break is kept so the checks can
/// report it.
fn parse_headers<'a>(
    lines: impl Iterator<Item = &'a str>,
    first_line_no: usize,
    stop_at_blank: bool,
) -> Result<Vec<Header>, DiagnoseError> {
    let mut headers: Vec<Header> = Vec::new();
    for (i, line) in lines.enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if stop_at_blank && !headers.is_empty() {
                break;
            }
            continue;
        }
        match split_header(line) {
            Some(h) if !line.starts_with([' ', '\t']) => headers.push(Header {
                name: h.0,
                value: h.1,
            }),
            _ => match headers.last_mut() {
                Some(last) => {
                    last.value.push('\n');
                    last.value.push_str(line);
                }
                None => {
                    return Err(DiagnoseError::input(
                        first_line_no + i,
                        "expected a `Name: value` header",
                    ));
                }
            },
        }
    }
    Ok(headers)
}

/// `Name: value` with a token-like name; the value loses the one space after the colon only.
fn split_header(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    let is_token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.!#$%&'*+^`|~".contains(&b));
    if !is_token {
        return None;
    }
    let value = value.strip_prefix(' ').unwrap_or(value);
    Some((
        name.to_string(),
        value.trim_end_matches(['\r', '\n']).to_string(),
    ))
}

/// Host (lower-case, without port or credentials) and decoded query of an absolute or
/// origin-form URL.
fn split_url(url: &str) -> (Option<String>, Vec<(String, String)>) {
    let url = url.trim().trim_matches(['"', '\'']);
    let (before_query, query) = match url.split_once('?') {
        Some((b, q)) => (b, q.split('#').next().unwrap_or_default()),
        None => (url, ""),
    };
    let host = before_query.split_once("://").map(|(_, rest)| {
        let authority = rest.split('/').next().unwrap_or_default();
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        host_only(authority)
    });
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    (host, query)
}

fn host_only(authority: &str) -> String {
    let host = if authority.starts_with('[') {
        authority
            .split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.to_ascii_lowercase()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_with_continuations_and_data() {
        let r = parse(
            "curl -s -X POST https://api.example.com/v1/orders?limit=5 \\\n  -H 'X-API-Key: k1' \\\n  -d '{\"a\": 1}'",
        )
        .unwrap();
        assert_eq!(r.form, RequestForm::Curl);
        assert_eq!(r.method.as_deref(), Some("POST"));
        assert_eq!(r.host.as_deref(), Some("api.example.com"));
        assert_eq!(
            r.headers,
            vec![Header {
                name: "X-API-Key".into(),
                value: "k1".into()
            }]
        );
        assert_eq!(r.query, vec![("limit".into(), "5".into())]);
    }

    #[test]
    fn curl_user_becomes_basic() {
        let r = parse("curl -u sk_live_x: https://api.example.com/").unwrap();
        assert_eq!(r.headers[0].name, "Authorization");
        assert!(r.headers[0].value.starts_with("Basic "));
    }

    #[test]
    fn raw_http_takes_host_header() {
        let r = parse("GET /v1/orders?api_key=a%2Bb HTTP/1.1\r\nHost: API.example.com:443\r\nX-API-Key: k\r\n\r\nbody: no").unwrap();
        assert_eq!(r.form, RequestForm::Http);
        assert_eq!(r.host.as_deref(), Some("api.example.com"));
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.query, vec![("api_key".into(), "a+b".into())]);
    }

    #[test]
    fn header_list_keeps_a_broken_line_in_the_value() {
        let r = parse("Accept: */*\nX-API-Key: sk_live_abc\ndef\n").unwrap();
        assert_eq!(r.form, RequestForm::Headers);
        assert_eq!(r.headers[1].value, "sk_live_abc\ndef");
    }

    #[test]
    fn prose_is_not_a_request() {
        let err = parse("hello there").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(parse("curl -H 'X: y'").is_err());
        assert!(parse("   ").is_err());
    }
}
