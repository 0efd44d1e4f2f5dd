//! Redaction of text that comes from logs and is shown back (malformed-line samples, key
//! fields): anything that looks like a key or token is replaced by its mask.

use crate::secret::MaskedSecret;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Prefixed keys (`sk_live_…`), JWTs, and long opaque runs that are probably secrets.
static SECRET: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: it compiles, as the unit tests show.
    Regex::new(
        r"[A-Za-z]{2,8}_(?:live|test)_[A-Za-z0-9]{6,}|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?|[A-Za-z0-9_-]{32,}",
    )
    .expect("constant regex")
});

pub fn redact(text: &str) -> Cow<'_, str> {
    SECRET.replace_all(text, |c: &regex::Captures| {
        let m = MaskedSecret::new(&c[0]);
        // A mask keeps the last characters, which for a JWT would be its signature.
        if c[0].starts_with("eyJ") {
            format!("eyJ…(JWT sha256:{})", m.fingerprint())
        } else {
            m.mask().to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tokens_are_masked_ids_stay() {
        let key = "sk_live_CANARY0123456789canary0123456789";
        let text = format!(
            "{{\"key\":\"{key}\",\"auth\":\"Bearer eyJhbGciOi.eyJzdWIiOjF9.c2ln\",\"key_id\":\"key_42\""
        );
        let out = redact(&text);
        assert!(!out.contains(key) && !out.contains("c2ln"), "{out}");
        assert!(
            out.contains("sk_live_CANA…6789") && out.contains("key_42"),
            "{out}"
        );
    }
}
