//! Findings: what a diagnostic noticed, under a stable code that scripts, runbooks and the
//! table in docs/diagnostics.md rely on. Codes never change meaning; new ones may be added.

use crate::secret::Redacted;
use serde::Serialize;
use std::fmt;

/// How much a finding matters to the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context worth knowing (a request id, a challenge's realm).
    Info,
    /// Probably not the cause, but wrong or risky.
    Warning,
    /// Enough on its own to explain a 401 or 403.
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $summary:literal;)*) => {
        /// Every finding code, with the one-line summary the table in docs/diagnostics.md shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `wrong-header`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    // Requests.
    NoCredential => "no-credential", "The request carries no API key or token at all";
    WrongHeader => "wrong-header", "The credential is in a header the gateway does not read";
    BasicInsteadOfBearer => "basic-instead-of-bearer", "Basic credentials where a Bearer token is expected";
    WrongScheme => "wrong-scheme", "An authorization scheme other than the expected one";
    SchemeMissing => "scheme-missing", "The expected scheme (e.g. `Bearer `) is missing before the key";
    SchemeDoubled => "scheme-doubled", "The scheme is written twice (`Bearer Bearer …`)";
    UnexpectedScheme => "unexpected-scheme", "A scheme word before a key the gateway reads verbatim";
    KeyLineBreak => "key-line-break", "A line break inside the key";
    KeyInvisibleChar => "key-invisible-char", "A zero-width or non-ASCII character inside the key";
    KeyQuoted => "key-quoted", "Quotes around the key, sent as part of it";
    KeyWhitespace => "key-whitespace", "Spaces or tabs inside or around the key";
    KeyTooShort => "key-too-short", "The key is shorter than the key format (truncated copy-paste)";
    KeyTooLong => "key-too-long", "The key is longer than the key format (extra characters pasted)";
    KeyPlaceholder => "key-placeholder", "The key is an unset variable's text (`undefined`, `None`, `${API_KEY}`), not a key";
    KeyUnknownFormat => "key-unknown-format", "The key does not look like one of the gateway's keys";
    KeyEnvMismatch => "key-env-mismatch", "A test key against the live API, or the reverse";
    KeyInQuery => "key-in-query", "The key is in the query string, where it leaks into logs";
    CredentialSentTwice => "credential-sent-twice", "Credentials sent in more than one place (RFC 6750: invalid_request)";
    WrongHost => "wrong-host", "The request goes to a host that is not the API's";
    // Tokens.
    AlgNone => "alg-none", "The JWT is unsigned (`alg: none`)";
    NoSignature => "no-signature", "The JWT's signature part is empty";
    TokenExpired => "token-expired", "The JWT's `exp` lies in the past, beyond the leeway";
    ExpiresSoon => "expires-soon", "The JWT expires within five minutes";
    NoExpiry => "no-expiry", "The JWT has no `exp` claim";
    WrongAudience => "wrong-audience", "The JWT's `aud` does not name this API's configured audience";
    NotYetValid => "not-yet-valid", "The JWT's `nbf` lies in the future, beyond the leeway";
    IssuedInFuture => "issued-in-future", "The JWT's `iat` lies in the future: a clock is skewed";
    // Responses.
    MissingWwwAuthenticate => "missing-www-authenticate", "A 401 without `WWW-Authenticate` (RFC 9110 requires it)";
    MalformedChallenge => "malformed-challenge", "A `WWW-Authenticate` header that does not parse";
    AuthChallenge => "auth-challenge", "The scheme and realm the server asks for";
    InvalidToken => "invalid-token", "RFC 6750 `invalid_token`: expired, revoked or malformed credential";
    InsufficientScope => "insufficient-scope", "RFC 6750 `insufficient_scope`: the credential lacks a scope";
    InvalidRequest => "invalid-request", "RFC 6750 `invalid_request`: credentials missing, doubled or malformed";
    ProblemDetails => "problem-details", "An RFC 9457 problem details body";
    RateLimited => "rate-limited", "Rate limited: 429, or no requests left in the window";
    RetryAfter => "retry-after", "When the server says to retry";
    QuotaExceeded => "quota-exceeded", "The error body says the key's quota for the period is used up";
    WrongEndpoint => "wrong-endpoint", "The error means the path or method does not exist (AWS: `Missing Authentication Token`)";
    GatewayError => "gateway-error", "A gateway's own error body (Kong, Tyk, AWS, Apigee, Azure) naming the reason";
    RequestId => "request-id", "The request id to quote when escalating";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One thing a diagnostic noticed. The message is plain language and redacted: it quotes
/// pasted text (a problem's detail, an `error_description`), which may hold a key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: Redacted,
}

impl Finding {
    pub fn new(code: Code, severity: Severity, message: impl AsRef<str>) -> Self {
        Self {
            code,
            severity,
            message: Redacted::new(message.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{s}"
            );
        }
    }

    #[test]
    fn every_code_is_in_the_docs_table() {
        let doc = include_str!("../../docs/diagnostics.md");
        for c in Code::ALL {
            let row = format!("| `{}` |", c.as_str());
            assert!(doc.contains(&row), "{c} missing from docs/diagnostics.md");
        }
    }
}
