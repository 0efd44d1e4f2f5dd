//! `WWW-Authenticate` challenges (RFC 9110 §11.6.1): `scheme [token68 | auth-param, ...]`,
//! several challenges in one header separated by commas.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub scheme: String,
    /// Parameter names lower-cased (they are case-insensitive); values unquoted.
    pub params: Vec<(String, String)>,
    pub token68: Option<String>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The challenge with its parameter values and token68 redacted, as a report keeps it:
    /// an `error_description` may quote the refused key.
    pub fn redacted(self) -> Self {
        let redact = |v: &str| crate::secret::redact(v, &[]);
        Challenge {
            scheme: self.scheme,
            params: self
                .params
                .iter()
                .map(|(k, v)| (k.clone(), redact(v)))
                .collect(),
            token68: self.token68.as_deref().map(redact),
        }
    }
}

/// Why a header value is not a valid challenge list, with the byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeError {
    pub at: usize,
    pub reason: &'static str,
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

impl Cursor<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t') {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn token(&mut self) -> &str {
        let start = self.i;
        while self.peek().is_some_and(is_tchar) {
            self.i += 1;
        }
        // Only ASCII tchars were consumed, so this slice is valid UTF-8.
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default()
    }
    fn quoted(&mut self) -> Result<String, ChallengeError> {
        self.i += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    if let Some(n) = self.peek() {
                        out.push(n);
                        self.i += 1;
                    }
                }
                _ => out.push(b),
            }
        }
        Err(ChallengeError {
            at: self.i,
            reason: "unterminated quoted string",
        })
    }
}

pub fn parse_challenges(value: &str) -> Result<Vec<Challenge>, ChallengeError> {
    let mut c = Cursor {
        s: value.as_bytes(),
        i: 0,
    };
    let mut out: Vec<Challenge> = Vec::new();
    loop {
        c.ws();
        while c.peek() == Some(b',') {
            c.i += 1;
            c.ws();
        }
        if c.peek().is_none() {
            break;
        }
        let scheme = c.token().to_string();
        if scheme.is_empty() {
            return Err(ChallengeError {
                at: c.i,
                reason: "expected an auth scheme",
            });
        }
        let mut ch = Challenge {
            scheme,
            params: Vec::new(),
            token68: None,
        };
        c.ws();
        // Parameters until the next `scheme` (a token not followed by `=`) or the end.
        loop {
            c.ws();
            while c.peek() == Some(b',') {
                c.i += 1;
                c.ws();
            }
            let mark = c.i;
            let name = c.token().to_ascii_lowercase();
            if name.is_empty() {
                if c.peek().is_none() {
                    break;
                }
                return Err(ChallengeError {
                    at: c.i,
                    reason: "expected a parameter",
                });
            }
            c.ws();
            if c.peek() != Some(b'=') {
                c.i = mark;
                break;
            }
            c.i += 1;
            // `abc==` with nothing after is a token68, not a parameter.
            if matches!(c.peek(), None | Some(b'=' | b',')) && ch.params.is_empty() {
                while c.peek() == Some(b'=') {
                    c.i += 1;
                }
                ch.token68 = Some(String::from_utf8_lossy(&c.s[mark..c.i]).into_owned());
                continue;
            }
            c.ws();
            let value = if c.peek() == Some(b'"') {
                c.quoted()?
            } else {
                c.token().to_string()
            };
            ch.params.push((name, value));
        }
        out.push(ch);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6750_example() {
        let v = r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#;
        let ch = parse_challenges(v).unwrap();
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].param("error"), Some("invalid_token"));
        assert_eq!(
            ch[0].param("error_description"),
            Some("The access token expired")
        );
    }

    #[test]
    fn several_challenges_and_escapes() {
        let v = r#"Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\"", Negotiate abc=="#;
        let ch = parse_challenges(v).unwrap();
        let schemes: Vec<_> = ch.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Basic", "Newauth", "Negotiate"]);
        assert_eq!(ch[1].param("title"), Some(r#"Login to "apps""#));
        assert_eq!(ch[1].param("type"), Some("1"));
        assert_eq!(ch[2].token68.as_deref(), Some("abc=="));
    }

    #[test]
    fn broken_header_is_an_error() {
        assert!(parse_challenges(r#"Bearer realm="x"#).is_err());
        assert!(parse_challenges("=").is_err());
    }
}
