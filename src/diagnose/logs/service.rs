//! Service logs: JSON lines from an application rather than a gateway, where the status is
//! only in an error message (`{"err":{"message":"Request failed with status code 401"}}`),
//! and grouping by any field (`--by app --by userId`). Kept apart from the JSON fast path:
//! these lines are read with serde_json, which is slower, and only the lines the fast path
//! refuses (or every line, when grouping) come here.

use super::formats::{FieldNames, Record};
use regex::Regex;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How service lines are read.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Dotted paths of the fields that may hold an error message, tried in order.
    pub message_fields: Vec<String>,
    /// Finds the status in a message; its first capture group is the status.
    pub pattern: Regex,
    /// Dotted paths to group the requests by, in order.
    pub by: Vec<String>,
}

impl PartialEq for ServiceConfig {
    fn eq(&self, other: &Self) -> bool {
        self.message_fields == other.message_fields
            && self.pattern.as_str() == other.pattern.as_str()
            && self.by == other.by
    }
}

/// The phrasings of the HTTP clients and gateways services log with:
/// axios "Request failed with status code 401"; fetch wrappers "HTTP error! status: 401" or
/// "Response status: 403"; Python requests "401 Client Error: Unauthorized for url: …";
/// gateways and proxies "upstream returned 429", "responded with 401", "status=401".
pub const DEFAULT_PATTERN: &str =
    r"(?i)(?:status(?:\s+code)?\s*[:=]?\s*|returned\s+|responded\s+with\s+|^)([1-5][0-9]{2})\b";

// A constant pattern, which the tests below compile and exercise.
static DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DEFAULT_PATTERN).expect("the default status pattern compiles"));

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            message_fields: [
                "err.message",
                "error.message",
                "message",
                "msg",
                "error",
                "err",
            ]
            .map(String::from)
            .to_vec(),
            pattern: DEFAULT.clone(),
            by: Vec::new(),
        }
    }
}

/// The line as JSON, when it is a JSON object.
pub fn json(line: &[u8]) -> Option<Value> {
    serde_json::from_slice::<Value>(line)
        .ok()
        .filter(Value::is_object)
}

/// A value at a dotted path (`err.message`); a key that itself holds a dot is found too.
fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    v.get(path)
        .or_else(|| path.split('.').try_fold(v, |v, k| v.get(k)))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The request a service line describes: its status from an error message, the other
/// fields by the usual names.
pub fn record(v: &Value, names: &FieldNames, cfg: &ServiceConfig) -> Option<Record<'static>> {
    let status = cfg.message_fields.iter().find_map(|f| {
        let message = at(v, f)?.as_str()?;
        cfg.pattern
            .captures(message)?
            .get(1)?
            .as_str()
            .parse::<u16>()
            .ok()
            .filter(|s| (100..1000).contains(s))
    })?;
    let field = |name: &str| at(v, name).and_then(text).map(Cow::Owned);
    Some(Record {
        status,
        key: field(&names.key),
        ip: field(&names.ip),
        path: field(&names.path),
        method: field(&names.method),
        ts: at(v, &names.ts)
            .and_then(Value::as_str)
            .and_then(crate::facts::parse_time)
            .map(|t| t.timestamp()),
        latency_ms: at(v, &names.latency).and_then(Value::as_f64),
        customer: field(&names.customer),
    })
}

/// The group a line belongs to: its values at the `--by` paths, `-` where one is missing.
pub fn group(v: &Value, by: &[String]) -> Vec<String> {
    by.iter()
        .map(|p| at(v, p).and_then(text).unwrap_or_else(|| "-".into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(message: &str) -> Option<u16> {
        let line = serde_json::json!({"level":"error","err":{"message": message}});
        record(&line, &FieldNames::default(), &ServiceConfig::default()).map(|r| r.status)
    }

    #[test]
    fn client_and_gateway_phrasings_give_the_status() {
        assert_eq!(status("Request failed with status code 401"), Some(401));
        assert_eq!(status("HTTP error! status: 403"), Some(403));
        assert_eq!(status("Response status: 429"), Some(429));
        assert_eq!(
            status("401 Client Error: Unauthorized for url: https://api.example.com/v1/orders"),
            Some(401)
        );
        assert_eq!(status("upstream returned 502"), Some(502));
        assert_eq!(status("Gateway responded with 403 Forbidden"), Some(403));
        assert_eq!(
            status("auth failed status=401 reason=invalid_key"),
            Some(401)
        );
        // A number that is not a status says nothing.
        assert_eq!(status("retrying in 300 ms"), None);
        assert_eq!(status("API key expired"), None);
    }

    #[test]
    fn the_app_session_line_reads_with_its_fields() {
        let line = br#"{"level":"error","time":"2026-11-20T14:03:11.412Z","service":"app-session","app":"ios","packageName":"com.example.shop","userId":"u_1842","err":{"message":"Request failed with status code 401","stack":"AxiosError: Request failed"}}"#;
        let v = json(line).unwrap();
        let names = FieldNames {
            ts: "time".into(),
            key: "userId".into(),
            ..FieldNames::default()
        };
        let r = record(&v, &names, &ServiceConfig::default()).unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(r.key.as_deref(), Some("u_1842"));
        assert!(r.ts.is_some());
        let by = ["app", "userId", "service", "err.code"].map(String::from);
        assert_eq!(group(&v, &by), ["ios", "u_1842", "app-session", "-"]);
    }

    #[test]
    fn the_pattern_is_configurable() {
        let cfg = ServiceConfig {
            pattern: Regex::new(r"code=(\d{3})").unwrap(),
            ..ServiceConfig::default()
        };
        let v = serde_json::json!({"msg": "denied code=403"});
        assert_eq!(
            record(&v, &FieldNames::default(), &cfg).unwrap().status,
            403
        );
    }
}
