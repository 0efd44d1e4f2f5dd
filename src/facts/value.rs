//! Typed fact values and their parsing from text.

use crate::secret::{MaskedSecret, Redacted};
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// The type of a fact, as the schema declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactType {
    Text,
    Number,
    Bool,
    /// An instant, RFC 3339 in UTC.
    Time,
    Ip,
    /// IP ranges in CIDR notation; an empty list means "any address".
    CidrList,
    TextList,
    /// A pasted credential: only its mask and fingerprint are kept.
    Secret,
}

impl fmt::Display for FactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FactType::Text => "text",
            FactType::Number => "number",
            FactType::Bool => "bool",
            FactType::Time => "time",
            FactType::Ip => "ip",
            FactType::CidrList => "cidr list",
            FactType::TextList => "text list",
            FactType::Secret => "secret",
        })
    }
}

/// A fact's value. Serialized as `{"type": "...", "value": ...}` so a saved session and a JSON
/// ticket keep the type. Text comes from people, pastes and the admin API, so it is only ever
/// held redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FactValue {
    Text(Redacted),
    /// A count stays an integer in JSON (`420`, not `420.0`), so scripts can compare it.
    #[serde(serialize_with = "whole_as_integer")]
    Number(f64),
    Bool(bool),
    Time(DateTime<Utc>),
    Ip(IpAddr),
    CidrList(Vec<IpNet>),
    TextList(Vec<Redacted>),
    Secret(MaskedSecret),
}

/// Text that does not parse as the type a fact needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {expected}{hint}")]
pub struct ParseFactError {
    /// The text as given, redacted: an error message is shown and logged.
    pub text: Redacted,
    pub expected: FactType,
    hint: &'static str,
}

impl FactValue {
    pub fn fact_type(&self) -> FactType {
        match self {
            FactValue::Text(_) => FactType::Text,
            FactValue::Number(_) => FactType::Number,
            FactValue::Bool(_) => FactType::Bool,
            FactValue::Time(_) => FactType::Time,
            FactValue::Ip(_) => FactType::Ip,
            FactValue::CidrList(_) => FactType::CidrList,
            FactValue::TextList(_) => FactType::TextList,
            FactValue::Secret(_) => FactType::Secret,
        }
    }

    /// Parses text typed by a person or a script into a value of type `ty`.
    pub fn parse(ty: FactType, text: &str) -> Result<FactValue, ParseFactError> {
        let trimmed = text.trim();
        let fail = |hint| ParseFactError {
            // A secret that failed to parse must not echo back.
            text: if ty == FactType::Secret {
                MaskedSecret::new(trimmed).mask().into()
            } else {
                trimmed.into()
            },
            expected: ty,
            hint,
        };
        Ok(match ty {
            FactType::Text => FactValue::Text(text.into()),
            FactType::Secret => {
                if trimmed.is_empty() {
                    return Err(fail(" (it is empty)"));
                }
                FactValue::Secret(MaskedSecret::new(trimmed))
            }
            FactType::Number => FactValue::Number(
                trimmed
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| fail(""))?,
            ),
            FactType::Bool => FactValue::Bool(match trimmed.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" => true,
                "false" | "no" | "n" | "0" => false,
                _ => return Err(fail(" (use true or false)")),
            }),
            FactType::Time => FactValue::Time(
                parse_time(trimmed)
                    .ok_or_else(|| fail(" (use RFC 3339, e.g. 2026-11-20T14:02:00Z)"))?,
            ),
            FactType::Ip => FactValue::Ip(trimmed.parse().map_err(|_| fail(""))?),
            FactType::CidrList => FactValue::CidrList(
                split_list(trimmed)
                    .map(parse_cidr)
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| fail(" (use CIDR ranges such as 203.0.113.0/24)"))?,
            ),
            FactType::TextList => {
                FactValue::TextList(split_list(trimmed).map(Redacted::from).collect())
            }
        })
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            FactValue::Text(s) => Some(s.as_str()),
            _ => None,
        }
    }
}

/// A whole number within the range JSON readers take exactly is written as an integer.
fn whole_as_integer<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    // 2^53: beyond it an f64 no longer holds every integer, so a float says so honestly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.fract() == 0.0 && n.abs() <= EXACT {
        // In range and whole, so the cast is exact.
        s.serialize_i64(*n as i64)
    } else {
        s.serialize_f64(*n)
    }
}

/// Accepts RFC 3339, or a date and time without zone (taken as UTC), or a bare date.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A CIDR range, or a bare address taken as a single-host range.
pub fn parse_cidr(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Text(s) => f.write_str(s),
            FactValue::Number(n) => write!(f, "{n}"),
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Time(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S UTC")),
            FactValue::Ip(ip) => write!(f, "{ip}"),
            FactValue::CidrList(nets) if nets.is_empty() => f.write_str("any address"),
            FactValue::CidrList(nets) => {
                let parts: Vec<String> = nets.iter().map(ToString::to_string).collect();
                f.write_str(&parts.join(", "))
            }
            FactValue::TextList(items) if items.is_empty() => f.write_str("(none)"),
            FactValue::TextList(items) => {
                let parts: Vec<&str> = items.iter().map(Redacted::as_str).collect();
                f.write_str(&parts.join(", "))
            }
            FactValue::Secret(s) => write!(f, "{s}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_type() {
        assert_eq!(
            FactValue::parse(FactType::Number, " 42 "),
            Ok(FactValue::Number(42.0))
        );
        assert_eq!(
            FactValue::parse(FactType::Bool, "Yes"),
            Ok(FactValue::Bool(true))
        );
        assert!(matches!(
            FactValue::parse(FactType::Time, "2026-11-20 14:02"),
            Ok(FactValue::Time(_))
        ));
        assert_eq!(
            FactValue::parse(FactType::CidrList, "203.0.113.0/24, 198.51.100.7")
                .unwrap()
                .to_string(),
            "203.0.113.0/24, 198.51.100.7/32"
        );
    }

    #[test]
    fn whole_numbers_serialize_as_integers_and_read_back() {
        let json = serde_json::to_string(&FactValue::Number(420.0)).unwrap();
        assert_eq!(json, r#"{"type":"number","value":420}"#);
        let back: FactValue = serde_json::from_str(&json).unwrap();
        assert_eq!(back, FactValue::Number(420.0));
        let rate = serde_json::to_string(&FactValue::Number(0.25)).unwrap();
        assert_eq!(rate, r#"{"type":"number","value":0.25}"#);
    }

    #[test]
    fn bad_text_names_the_type() {
        let err = FactValue::parse(FactType::Time, "yesterday").unwrap_err();
        assert!(err.to_string().contains("not a valid time"), "{err}");
        assert!(FactValue::parse(FactType::Number, "NaN").is_err());
        assert!(FactValue::parse(FactType::Ip, "300.1.1.1").is_err());
    }

    #[test]
    fn secret_parse_keeps_only_the_mask() {
        let raw = "sk_live_0123456789abcdef0123";
        let v = FactValue::parse(FactType::Secret, raw).unwrap();
        assert!(!serde_json::to_string(&v).unwrap().contains(raw));
        assert!(!v.to_string().contains(raw));
    }
}
