//! The demo data set: customers, keys, audit trails, request logs, routes and cells.
//!
//! Times in the file are written relative to the moment the server starts (`"now-3d"`,
//! `"now+30d2h"`), so the demo tells the same story whenever it runs. A request log entry may
//! stand for a burst (`"repeat": 60, "every_s": 20`, several `client_ips`), which keeps
//! realistic volumes readable.

use crate::evidence::api::{
    AuditEvent, Customer, ElevatedCustomer, EndpointRoute, HealthStatus, Key, Latency, Page,
    RequestLog,
};
use crate::secret::Fingerprint;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The data set shipped inside the binary.
pub const BUILT_IN: &str = include_str!("../../../assets/demo/dataset.json");

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("demo data: {0}")]
    Json(#[from] serde_path_to_error::Error<serde_json::Error>),
    #[error("demo data: `{0}` is not a time (use RFC 3339 or now±<n>d<n>h<n>m<n>s)")]
    Time(String),
    #[error("demo data: {0}")]
    Invalid(String),
}

/// One cell (region) of the platform: its validation health and who sees elevated failures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    pub status: HealthStatus,
    pub auth_latency_ms: Latency,
    #[serde(default)]
    pub elevated: Vec<ElevatedCustomer>,
}

/// A key with everything the admin API knows about it.
#[derive(Debug, Clone)]
pub struct DemoKey {
    pub key: Key,
    pub rate_used: u64,
    pub quota_used: u64,
    /// Newest first.
    pub audit: Vec<AuditEvent>,
    /// Newest first.
    pub logs: Vec<RequestLog>,
}

#[derive(Debug, Clone)]
pub struct DemoData {
    pub loaded_at: DateTime<Utc>,
    pub default_cell: String,
    pub cells: BTreeMap<String, Cell>,
    pub customers: Vec<Customer>,
    pub keys: Vec<DemoKey>,
    /// Requests that presented a key id no key has: the gateway logs them anyway.
    pub unknown_key_logs: BTreeMap<String, Vec<RequestLog>>,
    pub routes: Vec<EndpointRoute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    default_cell: String,
    cells: BTreeMap<String, Cell>,
    customers: Vec<Customer>,
    keys: Vec<RawKey>,
    #[serde(default)]
    unknown_key_logs: BTreeMap<String, Vec<RawLog>>,
    routes: Vec<EndpointRoute>,
}

#[derive(Deserialize)]
struct RawKey {
    #[serde(flatten)]
    key: Key,
    /// The key's secret, invented for the demo: only its fingerprint is served, computed
    /// here so the two cannot drift apart.
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    rate_used: u64,
    #[serde(default)]
    quota_used: u64,
    #[serde(default)]
    audit: Vec<AuditEvent>,
    #[serde(default)]
    logs: Vec<RawLog>,
}

/// A request log entry, or a burst of them.
#[derive(Deserialize)]
struct RawLog {
    #[serde(flatten)]
    log: LogFields,
    #[serde(default = "one")]
    repeat: u32,
    #[serde(default)]
    every_s: i64,
    /// Addresses a burst cycles through, instead of `client_ip`.
    #[serde(default)]
    client_ips: Vec<IpAddr>,
}

#[derive(Deserialize)]
struct LogFields {
    at: DateTime<Utc>,
    request_id: String,
    method: String,
    path: String,
    status: u16,
    #[serde(default)]
    reason: Option<crate::evidence::api::ReasonCode>,
    #[serde(default)]
    client_ip: Option<IpAddr>,
    decided_by: crate::evidence::api::Decider,
}

fn one() -> u32 {
    1
}

impl DemoData {
    /// The built-in data set, its times anchored at `now`.
    pub fn built_in(now: DateTime<Utc>) -> Result<Self, DataError> {
        Self::parse(BUILT_IN, now)
    }

    pub fn parse(text: &str, now: DateTime<Utc>) -> Result<Self, DataError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| DataError::Invalid(format!("not JSON: {e}")))?;
        Self::from_value(value, now)
    }

    /// A training scenario's data: `overlay` laid over the built-in data set, or over an
    /// empty one (see [`super::overlay`] for the rules).
    pub fn with_overlay(
        builtin: bool,
        overlay: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<Self, DataError> {
        let base = if builtin {
            BUILT_IN
        } else {
            super::overlay::EMPTY
        };
        let mut value: serde_json::Value =
            serde_json::from_str(base).map_err(|e| DataError::Invalid(format!("not JSON: {e}")))?;
        super::overlay::overlay(&mut value, overlay);
        Self::from_value(value, now)
    }

    /// The data set from its JSON, its relative times anchored at `now`.
    pub fn from_value(mut value: serde_json::Value, now: DateTime<Utc>) -> Result<Self, DataError> {
        // Whole seconds read better in tickets, and nothing in the story is finer.
        let now = now.trunc_subsecs(0);
        resolve_times(&mut value, now)?;
        let raw: RawData = serde_path_to_error::deserialize(value)?;
        if !raw.cells.contains_key(&raw.default_cell) {
            return Err(DataError::Invalid(format!(
                "default_cell `{}` is not among the cells",
                raw.default_cell
            )));
        }
        let keys = raw
            .keys
            .into_iter()
            .map(|k| {
                let mut audit = k.audit;
                audit.sort_by_key(|e| std::cmp::Reverse(e.at));
                Ok(DemoKey {
                    logs: expand(k.logs)?,
                    key: with_fingerprint(k.key, k.secret.as_deref())?,
                    rate_used: k.rate_used,
                    quota_used: k.quota_used,
                    audit,
                })
            })
            .collect::<Result<_, DataError>>()?;
        let unknown_key_logs = raw
            .unknown_key_logs
            .into_iter()
            .map(|(id, logs)| Ok((id, expand(logs)?)))
            .collect::<Result<_, DataError>>()?;
        Ok(Self {
            loaded_at: now,
            default_cell: raw.default_cell,
            cells: raw.cells,
            customers: raw.customers,
            keys,
            unknown_key_logs,
            routes: raw.routes,
        })
    }

    pub fn key(&self, id: &str) -> Option<&DemoKey> {
        self.keys.iter().find(|k| k.key.id == id)
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.id == id)
    }

    /// The cell serving a key or customer; the default cell for anything unknown.
    pub fn cell_of(&self, key_id: Option<&str>, customer_id: Option<&str>) -> &str {
        let customer = customer_id.map(str::to_string).or_else(|| {
            key_id
                .and_then(|k| self.key(k))
                .map(|k| k.key.customer_id.clone())
        });
        customer
            .and_then(|c| self.customer(&c))
            .and_then(|c| c.cell.as_deref())
            .filter(|c| self.cells.contains_key(*c))
            .unwrap_or(&self.default_cell)
    }

    /// The route a request path matches: `{name}` stands for one path segment.
    pub fn route(&self, method: &str, path: &str) -> Option<&EndpointRoute> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.routes.iter().find(|r| {
            let pattern: Vec<&str> = r.route.split('/').collect();
            r.method.eq_ignore_ascii_case(method)
                && pattern.len() == segments.len()
                && pattern
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p == s || (p.starts_with('{') && p.ends_with('}')))
        })
    }
}

/// The key with its secret's fingerprint. A data set may give a fingerprint without a
/// secret (a key whose secret the demo does not know); one that contradicts the secret is
/// a mistake in the data set.
fn with_fingerprint(mut key: Key, secret: Option<&str>) -> Result<Key, DataError> {
    let Some(secret) = secret else {
        return Ok(key);
    };
    let computed = Fingerprint::of(secret);
    if let Some(given) = key.fingerprint.as_ref().filter(|given| **given != computed) {
        return Err(DataError::Invalid(format!(
            "key {} has fingerprint {given}, but its secret's is {computed}",
            key.id
        )));
    }
    key.fingerprint = Some(computed);
    Ok(key)
}

/// Replaces every `now±…` string with an RFC 3339 time.
fn resolve_times(value: &mut serde_json::Value, now: DateTime<Utc>) -> Result<(), DataError> {
    match value {
        serde_json::Value::String(s)
            if s == "now" || s.starts_with("now-") || s.starts_with("now+") =>
        {
            *s = relative_time(s, now)?.to_rfc3339();
        }
        serde_json::Value::Array(items) => {
            for v in items {
                resolve_times(v, now)?;
            }
        }
        serde_json::Value::Object(map) => {
            for v in map.values_mut() {
                resolve_times(v, now)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `now`, `now-3d`, `now+1d2h30m`, `now-45s`.
pub fn relative_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, DataError> {
    let bad = || DataError::Time(text.to_string());
    let rest = &text[3..];
    if rest.is_empty() {
        return Ok(now);
    }
    let (sign, mut rest) = match rest.split_at(1) {
        ("-", r) => (-1, r),
        ("+", r) => (1, r),
        _ => return Err(bad()),
    };
    let mut total = Duration::zero();
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = match &rest[digits..=digits] {
            "d" => Duration::days(n),
            "h" => Duration::hours(n),
            "m" => Duration::minutes(n),
            "s" => Duration::seconds(n),
            _ => return Err(bad()),
        };
        total += unit;
        rest = &rest[digits + 1..];
    }
    Ok(now + total * sign)
}

/// Expands bursts and sorts newest first.
fn expand(raw: Vec<RawLog>) -> Result<Vec<RequestLog>, DataError> {
    let mut out = Vec::new();
    for r in raw {
        let ips = if r.client_ips.is_empty() {
            vec![r.log.client_ip.ok_or_else(|| {
                DataError::Invalid(format!("log {} has no client_ip", r.log.request_id))
            })?]
        } else {
            r.client_ips
        };
        for i in 0..r.repeat {
            let request_id = if r.repeat == 1 {
                r.log.request_id.clone()
            } else {
                format!("{}-{i:03}", r.log.request_id)
            };
            out.push(RequestLog {
                at: r.log.at - Duration::seconds(r.every_s * i64::from(i)),
                request_id,
                method: r.log.method.clone(),
                path: r.log.path.clone(),
                status: r.log.status,
                reason: r.log.reason.clone(),
                client_ip: ips[i as usize % ips.len()],
                decided_by: r.log.decided_by,
            });
        }
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.at));
    Ok(out)
}

/// One page of `items` from an opaque cursor (`o<offset>`).
pub fn page<T: Clone>(items: &[T], cursor: Option<&str>, limit: usize) -> Option<Page<T>> {
    let offset = match cursor {
        None => 0,
        Some(c) => c.strip_prefix('o')?.parse::<usize>().ok()?,
    };
    let end = (offset + limit).min(items.len());
    Some(Page {
        items: items.get(offset..end).unwrap_or_default().to_vec(),
        next_cursor: (end < items.len()).then(|| format!("o{end}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::now;

    #[test]
    fn relative_times_resolve_against_now() {
        let t = relative_time("now-1d2h30m", now()).unwrap();
        assert_eq!(t, "2026-11-21T07:30:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(relative_time("now", now()).unwrap(), now());
        assert!(relative_time("now-3x", now()).is_err());
        assert!(relative_time("nowish", now()).is_err());
    }

    #[test]
    fn built_in_data_set_loads_and_every_key_has_a_customer() {
        let d = DemoData::built_in(now()).unwrap();
        assert!(d.customers.len() >= 12, "a dozen customers");
        for k in &d.keys {
            assert!(
                d.customer(&k.key.customer_id).is_some(),
                "{} belongs to an unknown customer",
                k.key.id
            );
        }
    }

    #[test]
    fn a_key_with_a_secret_serves_its_computed_fingerprint() {
        let raw: serde_json::Value = serde_json::from_str(BUILT_IN).unwrap();
        let secrets: Vec<(&str, &str)> = raw["keys"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|k| Some((k["id"].as_str()?, k["secret"].as_str()?)))
            .collect();
        assert!(secrets.len() >= 20, "the demo knows most keys' secrets");
        let d = DemoData::built_in(now()).unwrap();
        for (id, secret) in secrets {
            let served = d.key(id).unwrap().key.fingerprint.clone();
            assert_eq!(served, Some(Fingerprint::of(secret)), "{id}");
            let json = serde_json::to_string(&d.key(id).unwrap().key).unwrap();
            assert!(!json.contains(secret), "{id} serves its secret");
        }
    }

    #[test]
    fn a_fingerprint_that_contradicts_the_secret_is_refused() {
        let mut value: serde_json::Value = serde_json::from_str(BUILT_IN).unwrap();
        value["keys"][0]["fingerprint"] = "sha256:000000000000".into();
        let err = DemoData::from_value(value, now()).unwrap_err().to_string();
        assert!(err.contains("fingerprint sha256:000000000000"), "{err}");
    }

    #[test]
    fn routes_match_templates_segment_by_segment() {
        let d = DemoData::built_in(now()).unwrap();
        let r = d.route("get", "/v1/orders/ord_123").unwrap();
        assert_eq!(r.route, "/v1/orders/{order_id}");
        assert!(d.route("GET", "/v1/nothing/here").is_none());
    }

    #[test]
    fn pages_follow_the_cursor_to_the_end() {
        let items: Vec<u32> = (0..5).collect();
        let p1 = page(&items, None, 2).unwrap();
        assert_eq!(p1.items, [0, 1]);
        let p3 = page(&items, Some("o4"), 2).unwrap();
        assert_eq!(p3.items, [4]);
        assert_eq!(p3.next_cursor, None);
        assert!(page(&items, Some("garbage"), 2).is_none());
    }
}
