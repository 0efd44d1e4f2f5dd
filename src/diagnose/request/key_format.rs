//! The kinds of key a gateway issues (`[[key_format]]` in the config): a prefix, a length or
//! a range of lengths, and the environment the key belongs to. Only a key whose prefix is
//! known is measured; an unknown key is never "too short".

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFormat {
    /// What every key of this kind starts with, e.g. `sk_live_`.
    pub prefix: String,
    /// The full length, prefix included, when all keys have one.
    pub length: Option<usize>,
    /// A range of lengths, when keys vary (both ends included).
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `live` or `test`, compared with the environment the request targets.
    pub environment: Option<String>,
}

impl KeyFormat {
    pub fn fixed(prefix: &str, length: usize, environment: &str) -> Self {
        Self {
            prefix: prefix.into(),
            length: Some(length),
            min_length: None,
            max_length: None,
            environment: Some(environment.into()),
        }
    }

    /// The shortest and longest lengths allowed; an open end allows anything.
    pub fn range(&self) -> (usize, usize) {
        match self.length {
            Some(n) => (n, n),
            None => (
                self.min_length.unwrap_or(self.prefix.len()),
                self.max_length.unwrap_or(usize::MAX),
            ),
        }
    }

    /// `40`, `36 to 40` or `at least 36`, for messages.
    pub fn describe_length(&self) -> String {
        match self.range() {
            (a, b) if a == b => a.to_string(),
            (a, usize::MAX) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        }
    }

    /// Why a format cannot be used, for the config loader.
    pub fn problem(&self) -> Option<String> {
        if self.prefix.is_empty() {
            return Some("a key format needs a non-empty `prefix`".into());
        }
        if self.length.is_some() && (self.min_length.is_some() || self.max_length.is_some()) {
            return Some(format!(
                "key format `{}`: give `length` or `min_length`/`max_length`, not both",
                self.prefix
            ));
        }
        let (a, b) = self.range();
        if a > b {
            return Some(format!(
                "key format `{}`: min_length {a} is above max_length {b}",
                self.prefix
            ));
        }
        if let Some(env) = &self.environment
            && !matches!(env.as_str(), "live" | "test")
        {
            return Some(format!(
                "key format `{}`: environment `{env}` is neither `live` nor `test`",
                self.prefix
            ));
        }
        None
    }
}

/// The company's own keys: `sk_live_` or `sk_test_` followed by 32 characters.
pub fn defaults() -> Vec<KeyFormat> {
    vec![
        KeyFormat::fixed("sk_live_", 40, "live"),
        KeyFormat::fixed("sk_test_", 40, "test"),
    ]
}

/// The format a key belongs to: the longest matching prefix.
pub fn find<'a>(formats: &'a [KeyFormat], key: &str) -> Option<&'a KeyFormat> {
    formats
        .iter()
        .filter(|f| key.starts_with(&f.prefix))
        .max_by_key(|f| f.prefix.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_wins() {
        let mut formats = defaults();
        formats.push(KeyFormat::fixed("sk_live_eu_", 43, "live"));
        let f = find(&formats, "sk_live_eu_0123").unwrap();
        assert_eq!(f.prefix, "sk_live_eu_");
        assert!(find(&formats, "pk_live_0123").is_none());
    }

    #[test]
    fn ranges_describe_themselves() {
        let f = KeyFormat {
            prefix: "ak_".into(),
            length: None,
            min_length: Some(36),
            max_length: Some(40),
            environment: None,
        };
        assert_eq!(f.describe_length(), "36 to 40");
        assert_eq!(KeyFormat::fixed("x_", 9, "live").describe_length(), "9");
    }

    #[test]
    fn bad_formats_are_named() {
        let mut f = KeyFormat::fixed("sk_", 40, "prod");
        assert!(f.problem().unwrap().contains("prod"));
        f.environment = None;
        f.min_length = Some(3);
        assert!(f.problem().unwrap().contains("not both"));
    }
}
