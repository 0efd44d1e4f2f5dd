//! The one secret detector: finds keys, tokens and passwords in free text and replaces each
//! with its mask. Everything typed, pasted or read from outside that a session, a ticket, the
//! clipboard or a log keeps is [`Redacted`], which can only be made by running this detector.
//!
//! A mask is never taken for a secret (see `MASK`), so redacting twice changes nothing.

use super::MaskedSecret;
use regex::{Captures, Regex};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::sync::LazyLock;

/// Names that announce a credential, in headers, parameters and JSON members.
macro_rules! secret_names {
    () => {
        r"(?:x-)?(?:api[_-]?key|apikey|api[_-]?token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|private[_-]?key|secret|token|password|passwd|pwd|passphrase|session[_-]?id)"
    };
}

/// Where a secret sits in text: the whole match, or a `v…` group when a name or a scheme
/// announces it (`api_key=`, `Authorization: Bearer `).
static SHAPED: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: it compiles, as every test of this module shows.
    Regex::new(concat!(
        // A header or a key/value pair whose name says a credential follows.
        r#"(?i:\b(?:proxy-)?authorization"?\s*[:=]\s*"?(?:(?:bearer|basic|token|digest|apikey|api-key)\s+)?)(?P<v1>[^\s"'`,;]+)"#,
        r"|(?i:\b",
        secret_names!(),
        r#""?\s*[:=]\s*"?)(?P<v2>[^\s"'`&,;<>{}\[\]]+)"#,
        // A query parameter that carries a key or an authorization code.
        r#"|(?i:[?&](?:key|code)=)(?P<v3>[^\s"'`&#]+)"#,
        // The password in a URL's user information.
        r#"|(?i:\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)(?P<v4>[^\s/]+)@"#,
        // A token after its scheme, wherever it stands.
        r#"|(?i:\b(?:bearer|basic)\s+)(?P<v5>[A-Za-z0-9._~+/=-]{16,})"#,
        // Keys by their prefix: ours (`sk_live_…`), GitHub, Slack, AWS, Google.
        r"|[a-z]{2,8}_(?:live|test)_[A-Za-z0-9]{8,}",
        r"|(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}",
        r"|xox[abprs]-[A-Za-z0-9-]{10,}",
        r"|AKIA[0-9A-Z]{16}",
        r"|AIza[0-9A-Za-z_-]{35}",
        // A JWT.
        r"|eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
    ))
    .expect("constant regex")
});

/// The groups of `SHAPED` that hold only the secret (the regex crate wants distinct names).
const VALUE_GROUPS: [&str; 5] = ["v1", "v2", "v3", "v4", "v5"];

/// What a mask looks like from its start: at most a key prefix and four characters, `…`,
/// then four characters or a length. Text that fits shows no more than a mask would.
static MASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z0-9]{1,8}_[A-Za-z0-9]{1,8}_)?[^…\s]{0,4}…(?:[^…\s]{4}(?:$|[^…])|\((?:JWT, )?\d+ chars\))")
        .expect("constant regex")
});

/// What documentation writes where a secret goes: `<key>`, `$YOUR_API_KEY`, `${TOKEN}`,
/// `{key}`, `xxxx`, `****`. Runbook replies quote such lines, and they must copy as written.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:<[^<>]*>?|\$\{?[A-Z][A-Z0-9_]*\}?|\{[^{}]*\}?|[xX*•.]+)[.,:!?)\]]*$")
        .expect("constant regex")
});

/// Whether a credential's value is a stand-in the customer wrote instead of a key.
pub(super) fn is_placeholder(value: &str) -> bool {
    PLACEHOLDER.is_match(value)
}

/// A long run of key characters: masked when it mixes upper case, lower case and digits, as
/// random keys do and request ids, hashes and UUIDs (one case, or hex) do not.
static OPAQUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_-]{32,}").expect("constant regex"));

/// Replaces every secret in free text with its mask: the `known` secrets (the key pasted at
/// intake), and anything shaped like a key, a token, a password or a credential header.
pub fn redact(text: &str, known: &[&str]) -> String {
    let mut out = text.to_string();
    for secret in known.iter().map(|s| s.trim()).filter(|s| s.len() >= 8) {
        out = out.replace(secret, MaskedSecret::new(secret).mask());
    }
    let out = SHAPED.replace_all(&out, |caps: &Captures<'_>| {
        let whole = &caps[0];
        let Some(value) = VALUE_GROUPS.iter().find_map(|g| caps.name(g)) else {
            return MaskedSecret::new(whole).mask().to_string();
        };
        // A mask, a placeholder, or `Authorization: Bearer` with no token after it.
        let start = value.start() - caps.get(0).map_or(0, |m| m.start());
        if MASK.is_match(&out[value.start()..])
            || PLACEHOLDER.is_match(value.as_str())
            || is_scheme_word(value.as_str())
            || is_prose(&whole[..start], value.as_str())
        {
            return whole.to_string();
        }
        let end = start + value.len();
        format!(
            "{}{}{}",
            &whole[..start],
            MaskedSecret::new(value.as_str()).mask(),
            &whole[end..]
        )
    });
    OPAQUE
        .replace_all(&out, |caps: &Captures<'_>| {
            let run = &caps[0];
            let mixed = run.chars().any(|c| c.is_ascii_uppercase())
                && run.chars().any(|c| c.is_ascii_lowercase())
                && run.chars().any(|c| c.is_ascii_digit());
            if mixed {
                MaskedSecret::new(run).mask().to_string()
            } else {
                run.to_string()
            }
        })
        .into_owned()
}

/// `token: our auth server`, `secret: none`: the bare words `token` and `secret` head prose
/// as often as credentials, so a lower-case word after them is read as prose. Every other
/// credential name (`password`, `api_key`, …) masks whatever follows it.
fn is_prose(name: &str, value: &str) -> bool {
    let name = name
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '=' | '"'))
        .to_ascii_lowercase();
    matches!(name.as_str(), "token" | "secret")
        && value.len() <= 12
        && value.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_scheme_word(value: &str) -> bool {
    let value = value.trim_end_matches(['.', ',', ':', '!', '?', ')', ']']);
    ["bearer", "basic", "token", "digest"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w))
}

/// A run of characters a key or token may consist of, as `with_masked` looks for one.
static KEY_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9_~+/.=:-]{8,}").expect("constant regex"));

/// A JSON member name that says its value is a credential (`"api_key"`, `"password"`).
static SECRET_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(concat!("^(?i:", secret_names!(), ")$")).expect("constant regex"));

/// Every string in a JSON document redacted, and every value of a member whose name says it
/// is a credential masked whole: decoded JWT claims and headers are shown this way.
pub fn redact_json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(redact(s, &[])),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, v)| {
                    let v = match v {
                        Value::String(s) if SECRET_NAME.is_match(name) => {
                            Value::String(MaskedSecret::new(s).mask().to_string())
                        }
                        v => redact_json(v),
                    };
                    (name.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Free text that went through [`redact`]: the only form in which text typed, pasted or read
/// from outside is kept. There is no way to build one without redacting, and reading one
/// back from a file redacts it again.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Redacted(String);

impl Redacted {
    /// `text` with every secret shape masked.
    pub fn new(text: &str) -> Self {
        Self::with_known(text, &[])
    }

    /// `text` with every secret shape and every one of the `known` secrets masked.
    pub fn with_known(text: &str, known: &[&str]) -> Self {
        Redacted(redact(text, known))
    }

    /// `text` redacted, and any secret behind one of the `masked` found in it masked too. A
    /// key given at intake is kept only masked, so a note typed later that repeats it is
    /// matched by fingerprint.
    pub fn with_masked(text: &str, masked: &[&MaskedSecret]) -> Self {
        let mut found = Vec::new();
        for run in KEY_RUN.find_iter(text) {
            let run = run.as_str().trim_end_matches(['.', ',', ':']);
            let after_equals = run.match_indices('=').map(|(i, _)| &run[i + 1..]);
            for piece in std::iter::once(run).chain(after_equals) {
                let fingerprint = MaskedSecret::new(piece);
                if masked
                    .iter()
                    .any(|m| m.fingerprint() == fingerprint.fingerprint())
                {
                    found.push(piece);
                }
            }
        }
        Self::with_known(text, &found)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Redacted {
    fn from(text: &str) -> Self {
        Redacted::new(text)
    }
}

impl From<String> for Redacted {
    fn from(text: String) -> Self {
        Redacted::new(&text)
    }
}

impl From<&String> for Redacted {
    fn from(text: &String) -> Self {
        Redacted::new(text)
    }
}

impl std::ops::Deref for Redacted {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Redacted {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Redacted {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Redacted {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Redacted {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl<'de> Deserialize<'de> for Redacted {
    /// A file edited by hand, or written by an older version, cannot smuggle a secret in.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Redacted::new(&s))
    }
}

#[cfg(test)]
mod tests;
