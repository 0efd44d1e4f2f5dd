//! Typing a condition's operator and value against the fact it tests, when a runbook loads:
//! this is where "a time compared with a string" becomes an error with a reason.

use super::condition::{Test, TimeRef};
use crate::facts::{FactType, FactValue};
use chrono::Duration;
use ipnet::IpNet;
use regex::Regex;

/// The operators a runbook may use, by their names in the file.
pub const OPERATORS: &[&str] = &[
    "eq",
    "ne",
    "in",
    "contains",
    "exists",
    "gt",
    "lt",
    "before",
    "after",
    "within",
    "cidr_contains",
    "matches",
];

/// Builds a typed test for `op` on a fact of type `ty`; the error says what does not fit.
pub fn build_test<'v>(
    op: &str,
    ty: FactType,
    value: Option<&'v toml::Value>,
) -> Result<Test, String> {
    use FactType as T;
    let need = |v: Option<&'v toml::Value>| v.ok_or_else(|| format!("`{op}` needs a `value`"));
    Ok(match (op, ty) {
        ("exists", _) => Test::Exists(match value {
            None => true,
            Some(toml::Value::Boolean(b)) => *b,
            Some(v) => return Err(format!("`exists` takes true or false, not {v}")),
        }),
        (_, T::Secret) => return Err("a secret can only be tested with `exists`".into()),
        ("eq" | "ne", T::Text | T::Number | T::Bool | T::Time | T::Ip) => {
            let v = typed(ty, need(value)?)?;
            if op == "eq" { Test::Eq(v) } else { Test::Ne(v) }
        }
        ("in", T::Text | T::Number | T::Ip) => match need(value)? {
            toml::Value::Array(items) => Test::In(
                items
                    .iter()
                    .map(|i| typed(ty, i))
                    .collect::<Result<_, _>>()?,
            ),
            v => return Err(format!("`in` needs a list of values, not {v}")),
        },
        ("contains", T::Text | T::TextList) => Test::Contains(text(need(value)?)?.to_string()),
        ("gt" | "lt", T::Number) => {
            let n = number(need(value)?)?;
            if op == "gt" { Test::Gt(n) } else { Test::Lt(n) }
        }
        ("before" | "after", T::Time) => {
            let t = time_ref(need(value)?)?;
            if op == "before" {
                Test::Before(t)
            } else {
                Test::After(t)
            }
        }
        ("within", T::Time) => Test::Within(duration(text(need(value)?)?)?),
        ("cidr_contains", T::Ip) => Test::InRanges(ranges(need(value)?)?),
        ("cidr_contains", T::CidrList) => {
            let t = text(need(value)?)?;
            Test::RangesContain(
                t.parse()
                    .map_err(|_| format!("`{t}` is not an IP address"))?,
            )
        }
        ("matches", T::Text) => {
            let t = text(need(value)?)?;
            Test::Matches(Regex::new(t).map_err(|e| format!("bad regular expression: {e}"))?)
        }
        (op, _) if OPERATORS.contains(&op) => {
            return Err(format!("`{op}` does not apply to a {ty} fact"));
        }
        (op, _) => {
            return Err(format!(
                "unknown operator `{op}` (expected one of: {})",
                OPERATORS.join(", ")
            ));
        }
    })
}

/// A literal of the fact's own type; strings are parsed as that type.
fn typed(ty: FactType, value: &toml::Value) -> Result<FactValue, String> {
    let mismatch = || format!("a {ty} fact cannot be compared with {value}");
    match (ty, value) {
        (FactType::Number, toml::Value::Integer(i)) => Ok(FactValue::Number(*i as f64)),
        (FactType::Number, toml::Value::Float(f)) => Ok(FactValue::Number(*f)),
        (FactType::Bool, toml::Value::Boolean(b)) => Ok(FactValue::Bool(*b)),
        (FactType::Time, toml::Value::Datetime(d)) => {
            FactValue::parse(ty, &d.to_string()).map_err(|e| e.to_string())
        }
        (FactType::Text | FactType::Time | FactType::Ip, toml::Value::String(s)) => {
            FactValue::parse(ty, s).map_err(|_| mismatch())
        }
        _ => Err(mismatch()),
    }
}

fn text(value: &toml::Value) -> Result<&str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("expected a string, not {value}"))
}

fn number(value: &toml::Value) -> Result<f64, String> {
    match value {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        v => Err(format!("a number fact cannot be compared with {v}")),
    }
}

fn time_ref(value: &toml::Value) -> Result<TimeRef, String> {
    if value.as_str() == Some("now") {
        return Ok(TimeRef::Now);
    }
    match typed(FactType::Time, value)? {
        FactValue::Time(t) => Ok(TimeRef::At(t)),
        _ => Err(format!("`{value}` is not a time")),
    }
}

fn ranges(value: &toml::Value) -> Result<Vec<IpNet>, String> {
    let one = |v: &toml::Value| {
        let t = text(v)?;
        crate::facts::parse_cidr(t).ok_or_else(|| format!("`{t}` is not a CIDR range"))
    };
    match value {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        v => Ok(vec![one(v)?]),
    }
}

/// Parses `90s`, `15m`, `24h` or `7d`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration (use e.g. 90s, 15m, 24h, 7d)");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = text[..split].parse().map_err(|_| bad())?;
    match &text[split..] {
        "s" => Ok(Duration::seconds(n)),
        "m" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_mismatches_are_rejected_with_a_reason() {
        let err = build_test("before", FactType::Time, Some(&"soon".into())).unwrap_err();
        assert!(err.contains("time fact cannot be compared"), "{err}");
        let err = build_test("gt", FactType::Text, Some(&1.into())).unwrap_err();
        assert!(err.contains("does not apply to a text fact"), "{err}");
        let err = build_test("approx", FactType::Text, Some(&1.into())).unwrap_err();
        assert!(err.contains("unknown operator"), "{err}");
        let err = build_test("eq", FactType::Secret, Some(&"x".into())).unwrap_err();
        assert!(err.contains("secret"), "{err}");
        let err = build_test("matches", FactType::Text, Some(&"(".into())).unwrap_err();
        assert!(err.contains("regular expression"), "{err}");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(duration("7d"), Ok(Duration::days(7)));
        assert!(duration("7 days").is_err());
        assert!(duration("d").is_err());
    }
}
