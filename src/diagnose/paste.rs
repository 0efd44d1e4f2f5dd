//! One paste, whatever it is: tells a curl command, raw request or header list, a JWT and an
//! error response apart, so the intake form runs the diagnostic `authdesk inspect` would and
//! hands its text to the same intake path as `run --request/--jwt/--response`.

/// What a paste holds, as far as its shape tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteKind {
    /// A curl command, a raw HTTP request or a list of headers.
    Request,
    /// A bearer token in JWT form, with or without `Bearer `.
    Jwt,
    /// What the customer got back: a status line and headers, or an error body alone.
    Response,
}

impl PasteKind {
    pub fn label(self) -> &'static str {
        match self {
            PasteKind::Request => "request",
            PasteKind::Jwt => "JWT",
            PasteKind::Response => "error response",
        }
    }
}

/// The kind of `text`, or `None` when it is blank. Anything not a token or a response is
/// read as a request: the request parser then says what it could not read.
pub fn detect(text: &str) -> Option<PasteKind> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.starts_with("HTTP/") || t.starts_with('{') || t.starts_with('<') {
        return Some(PasteKind::Response);
    }
    let token = t.strip_prefix("Authorization:").map(str::trim).unwrap_or(t);
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    if is_jwt(token) {
        return Some(PasteKind::Jwt);
    }
    Some(PasteKind::Request)
}

/// Three base64url parts, the first a JSON object (`eyJ` is how `{"` encodes).
fn is_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    let b64url = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
    };
    parts.len() == 3
        && s.starts_with("eyJ")
        && parts[..2].iter().all(|p| !p.is_empty())
        && parts.iter().all(|p| b64url(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_kind_of_paste_is_told_apart() {
        let cases = [
            (
                "curl -H 'X-API-Key: sk_live_x' https://api.example.com/v1/orders",
                PasteKind::Request,
            ),
            (
                "GET /v1/orders HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer sk_live_x",
                PasteKind::Request,
            ),
            (
                "Authorization: Token sk_live_x\nAccept: */*",
                PasteKind::Request,
            ),
            ("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln", PasteKind::Jwt),
            (
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln",
                PasteKind::Jwt,
            ),
            (
                "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.",
                PasteKind::Jwt,
            ),
            (
                "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\"",
                PasteKind::Response,
            ),
            ("{\"error\":\"invalid_api_key\"}", PasteKind::Response),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), Some(want), "{text}");
        }
        assert_eq!(detect(" \n "), None);
    }

    proptest! {
        #[test]
        fn any_text_gets_a_kind_unless_blank(text in "\\PC*") {
            prop_assert_eq!(detect(&text).is_none(), text.trim().is_empty());
        }
    }
}
