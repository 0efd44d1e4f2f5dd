//! Redaction of text that comes from logs and is shown back (malformed-line samples, key
//! fields). On top of the secrets `secret::redact` recognises, a log masks any long opaque
//! run: a log line has no intake key to compare with, and a raw credential there has no
//! telltale prefix.

use crate::secret::MaskedSecret;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static OPAQUE: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: it compiles, as the unit tests show.
    Regex::new(r"[A-Za-z0-9_-]{32,}").expect("constant regex")
});

pub fn redact(text: &str) -> Cow<'_, str> {
    let shaped = crate::secret::redact(text, &[]);
    let masked = OPAQUE.replace_all(&shaped, |c: &regex::Captures| {
        MaskedSecret::new(&c[0]).mask().to_string()
    });
    if masked == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(masked.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tokens_are_masked_ids_stay() {
        let key = "sk_live_CANARY0123456789canary0123456789";
        let text = format!(
            "{{\"key\":\"{key}\",\"auth\":\"Bearer eyJhbGciOi.eyJzdWIiOjF9.c2ln\",\"key_id\":\"key_42\"}}"
        );
        let out = redact(&text);
        assert!(!out.contains(key) && !out.contains("c2ln"), "{out}");
        assert!(
            out.contains("sk_live_CANA…6789") && out.contains("key_42"),
            "{out}"
        );
    }

    #[test]
    fn a_long_unprefixed_credential_is_masked() {
        let raw = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0";
        let line = format!("X-API-Key: {raw}");
        let out = redact(&line);
        assert!(!out.contains(raw), "{out}");
        assert_eq!(redact("GET /v1/orders 401"), "GET /v1/orders 401");
    }
}
