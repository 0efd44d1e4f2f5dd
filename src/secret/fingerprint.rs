//! A key's fingerprint: the first 12 hex digits of the SHA-256 of the trimmed key, written
//! `sha256:d71a79887d2f`. It is what authdesk prints beside a mask, and what the admin API's
//! key record may carry (`fingerprint`), so a pasted key and a key id can be told apart
//! without either side ever holding the other's secret.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Hex digits kept: enough to tell keys apart, far too few to recover one.
const HEX_DIGITS: usize = 12;
/// Hex digits of a whole SHA-256, which an admin API that stores the full hash may send.
const FULL_HEX_DIGITS: usize = 64;
const PREFIX: &str = "sha256:";

/// Twelve lower-case hex digits, always: [`Fingerprint::parse`] refuses anything else.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of a raw key; surrounding whitespace is not part of the key.
    pub fn of(secret: &str) -> Self {
        Self(crate::digest::short_sha256(secret.trim().as_bytes()))
    }

    /// `sha256:` and 12 hex digits, the documented form; leniently also the bare digits, upper
    /// case, or a whole 64-digit SHA-256 (its first 12 digits are the fingerprint).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let hex = match text.get(..PREFIX.len()) {
            Some(head) if head.eq_ignore_ascii_case(PREFIX) => &text[PREFIX.len()..],
            _ => text,
        };
        let fits = matches!(hex.len(), HEX_DIGITS | FULL_HEX_DIGITS)
            && hex.bytes().all(|b| b.is_ascii_hexdigit());
        fits.then(|| Self(hex[..HEX_DIGITS].to_ascii_lowercase()))
    }

    /// The 12 hex digits without the prefix, as [`super::MaskedSecret::fingerprint`] gives them.
    pub fn hex(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", self.0)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a key fingerprint (sha256: and 12 hex digits)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::MaskedSecret;

    const KEY: &str = "sk_live_CANARY0123456789canary0123456789";

    #[test]
    fn the_fingerprint_is_the_one_printed_beside_the_mask() {
        let fp = Fingerprint::of(&format!("  {KEY}\n"));
        assert_eq!(fp.hex(), MaskedSecret::new(KEY).fingerprint());
        assert_eq!(fp.to_string(), format!("sha256:{}", fp.hex()));
        assert_eq!(
            serde_json::to_string(&fp).unwrap(),
            format!("\"sha256:{}\"", fp.hex())
        );
    }

    #[test]
    fn parse_takes_the_documented_form_and_the_lenient_ones() {
        let fp = Fingerprint::of(KEY);
        let full = {
            use sha2::{Digest, Sha256};
            Sha256::digest(KEY.as_bytes())
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<String>()
        };
        for text in [
            fp.to_string(),
            fp.hex().to_string(),
            fp.to_string().to_ascii_uppercase(),
            format!("sha256:{full}"),
            full,
        ] {
            assert_eq!(Fingerprint::parse(&text).as_ref(), Some(&fp), "{text}");
        }
    }

    #[test]
    fn parse_refuses_what_is_not_a_fingerprint() {
        for text in [
            "",
            "sha256:",
            "md5:d71a79887d2f",
            "d71a79887d2",
            "d71a79887d2fz",
            KEY,
        ] {
            assert_eq!(Fingerprint::parse(text), None, "{text}");
        }
        assert!(serde_json::from_str::<Fingerprint>("\"nope\"").is_err());
    }
}
