//! Secrets given at intake (API keys, bearer tokens, JWTs) and the only form in which they
//! may leave memory: a mask plus a short fingerprint.
//!
//! `MaskedSecret` is built from the raw secret and keeps no copy of it, so nothing downstream
//! (screens, tickets, logs, saved sessions) can print the secret by mistake. Free text that may
//! hold a secret (a pasted error body, a note) is kept only as [`Redacted`] text.

mod fingerprint;
mod redact;

pub use fingerprint::Fingerprint;
pub use redact::{Redacted, redact, redact_json};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A secret reduced to what a person may see: `sk_live_ab12…9f3e` and a SHA-256 fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SavedMask")]
pub struct MaskedSecret {
    mask: String,
    fingerprint: String,
}

/// A mask as read from a file: redacted again, so a hand-edited session cannot carry a key.
#[derive(Deserialize)]
struct SavedMask {
    mask: String,
    fingerprint: String,
}

impl From<SavedMask> for MaskedSecret {
    fn from(saved: SavedMask) -> Self {
        MaskedSecret {
            mask: redact(&saved.mask, &[]),
            fingerprint: redact(&saved.fingerprint, &[]),
        }
    }
}

/// Secrets shorter than this are masked entirely: showing any of them would show too much.
const MIN_LEN_FOR_HINTS: usize = 16;
/// Characters kept at the end of a long secret.
const TAIL_CHARS: usize = 4;
/// Characters kept after a recognised prefix such as `sk_live_`.
const HEAD_CHARS: usize = 4;

impl MaskedSecret {
    pub fn new(raw: &str) -> Self {
        let trimmed = raw.trim();
        Self {
            mask: mask(trimmed),
            fingerprint: fingerprint(trimmed),
        }
    }

    /// The masked form, e.g. `sk_live_ab12…9f3e`.
    pub fn mask(&self) -> &str {
        &self.mask
    }

    /// The first 12 hex digits of the SHA-256 of the secret: enough to match two tickets about
    /// the same key, far too little to recover it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The fingerprint to hold against a key record's, when the secret was a key: not a JWT
    /// (a token is never a key's secret) and not a placeholder such as `xxxx…xxxx`. Read from
    /// the mask, which keeps exactly that much, so a key restored from a session still tells.
    pub fn key_fingerprint(&self) -> Option<Fingerprint> {
        let shown: String = self.mask.chars().filter(|c| *c != '…').collect();
        if self.mask.starts_with(JWT_MASK) || redact::is_placeholder(&shown) {
            return None;
        }
        Fingerprint::parse(&self.fingerprint)
    }
}

/// The start of every JWT's mask.
const JWT_MASK: &str = "eyJ…(JWT";

/// Whether a raw credential is a key whose fingerprint may be held against a key record's:
/// not a JWT and not a placeholder (`xxxx`, `<your key>`, `$API_KEY`).
pub fn is_comparable_key(raw: &str) -> bool {
    let raw = raw.trim();
    !raw.is_empty() && !is_jwt(raw) && !redact::is_placeholder(raw)
}

fn is_jwt(secret: &str) -> bool {
    secret.starts_with("eyJ") && secret.matches('.').count() == 2
}

impl fmt::Display for MaskedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (sha256:{})", self.mask, self.fingerprint)
    }
}

fn mask(secret: &str) -> String {
    // A JWT's last characters are its signature: show only that it is one, and its size.
    if is_jwt(secret) {
        return format!("{JWT_MASK}, {} chars)", secret.len());
    }
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < MIN_LEN_FOR_HINTS {
        return format!("…({} chars)", chars.len());
    }
    let prefix_len = known_prefix_len(secret).unwrap_or(0);
    // Never reveal more than a quarter of the secret, whatever its prefix.
    let head = (prefix_len + HEAD_CHARS).min(chars.len() / 4 + prefix_len);
    let head: String = chars[..head.min(chars.len() - TAIL_CHARS)].iter().collect();
    let tail: String = chars[chars.len() - TAIL_CHARS..].iter().collect();
    format!("{head}…{tail}")
}

/// Length of a conventional, non-secret key prefix (`sk_live_`, `pk_test_`, `Bearer `…).
fn known_prefix_len(secret: &str) -> Option<usize> {
    let mut parts = secret.splitn(3, '_');
    let (kind, env) = (parts.next()?, parts.next()?);
    parts.next()?;
    // Conventional prefixes are lower-case words (`sk`, `live`); a mixed-case or digit-bearing
    // run before an underscore is part of the random secret, and showing it would both reveal
    // most of a short key and make a mask that no longer reads as one.
    let is_word = |s: &str| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase());
    (is_word(kind) && is_word(env)).then(|| kind.len() + env.len() + 2)
}

fn fingerprint(secret: &str) -> String {
    Fingerprint::of(secret).hex().to_string()
}

/// Which environment a key's prefix says it belongs to (`sk_live_…` or `sk_test_…`).
pub fn key_environment(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    if raw.contains("_live_") || raw.starts_with("live_") {
        Some("live")
    } else if raw.contains("_test_") || raw.starts_with("test_") {
        Some("test")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_live_ab12cd34ef56gh78ij90kl12mn9f3e";

    #[test]
    fn mask_keeps_prefix_a_few_chars_and_the_tail() {
        let m = MaskedSecret::new(KEY);
        assert_eq!(m.mask(), "sk_live_ab12…9f3e");
        assert_eq!(m.fingerprint().len(), 12);
    }

    #[test]
    fn short_secrets_are_hidden_entirely() {
        let m = MaskedSecret::new("hunter2");
        assert!(!m.mask().contains("hunter"), "{}", m.mask());
        assert!(m.mask().contains("7 chars"));
    }

    #[test]
    fn display_and_serde_never_contain_the_secret() {
        let m = MaskedSecret::new(KEY);
        let shown = format!("{m} {m:?} {}", serde_json::to_string(&m).unwrap());
        assert!(!shown.contains(KEY));
        assert!(!shown.contains("cd34ef56"));
    }

    #[test]
    fn a_key_written_into_a_saved_mask_is_masked_when_read() {
        let json = format!(r#"{{"mask":"{KEY}","fingerprint":"abc"}}"#);
        let m: MaskedSecret = serde_json::from_str(&json).unwrap();
        assert_eq!(m.mask(), "sk_live_ab12…9f3e");
        let real = MaskedSecret::new(KEY);
        let back: MaskedSecret =
            serde_json::from_str(&serde_json::to_string(&real).unwrap()).unwrap();
        assert_eq!(back, real);
    }

    #[test]
    fn same_key_same_fingerprint_whitespace_ignored() {
        assert_eq!(
            MaskedSecret::new(KEY).fingerprint(),
            MaskedSecret::new(&format!(" {KEY}\n")).fingerprint()
        );
        assert_ne!(
            MaskedSecret::new(KEY).fingerprint(),
            MaskedSecret::new("sk_live_ab12cd34ef56gh78ij90kl12mn9f3f").fingerprint()
        );
    }

    #[test]
    fn unprefixed_long_secret_reveals_at_most_a_quarter() {
        let token = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
        let m = MaskedSecret::new(token);
        let visible = m.mask().chars().filter(|c| *c != '…').count();
        assert!(visible * 4 <= token.len() + 4, "{}", m.mask());
    }

    #[test]
    fn a_jwt_mask_shows_none_of_its_signature() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
        let m = MaskedSecret::new(jwt);
        assert_eq!(m.mask(), format!("eyJ…(JWT, {} chars)", jwt.len()));
    }

    #[test]
    fn only_a_key_has_a_fingerprint_to_compare() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
        assert_eq!(
            MaskedSecret::new(KEY).key_fingerprint(),
            Some(Fingerprint::of(KEY))
        );
        for not_a_key in [jwt, &"x".repeat(40)] {
            assert_eq!(
                MaskedSecret::new(not_a_key).key_fingerprint(),
                None,
                "{not_a_key}"
            );
        }
        for not_a_key in [jwt, &"x".repeat(40), "<your key>", "$API_KEY", "  "] {
            assert!(!is_comparable_key(not_a_key), "{not_a_key}");
        }
        assert!(is_comparable_key(KEY));
    }

    #[test]
    fn environment_from_prefix() {
        assert_eq!(key_environment(KEY), Some("live"));
        assert_eq!(key_environment("sk_test_abc"), Some("test"));
        assert_eq!(key_environment("abc"), None);
    }
}
