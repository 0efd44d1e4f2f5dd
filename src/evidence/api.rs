//! The admin API's answers as plain data, exactly as `assets/admin-api.yaml` describes them.
//!
//! The HTTP client decodes into these types and the demo server encodes from them, so the two
//! cannot drift apart; the mapping into facts reads them. No HTTP types here. Unknown fields are
//! ignored so that an adapter may say more than the contract asks.

use crate::secret::Fingerprint;
use chrono::{DateTime, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::net::IpAddr;

/// An enum of the values the contract lists, plus `Other` for one it does not (yet): a new
/// reason code, audit action or key status from the admin API is kept as "other: VALUE" and
/// never fails the answer it came in.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)+
            /// A value the contract does not list, as sent.
            Other(String),
        }

        impl $name {
            /// The value as the admin API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }

            /// For facts and people: the listed name, or `other: VALUE`, which no runbook
            /// condition mistakes for a listed one.
            pub fn label(&self) -> String {
                match self {
                    Self::Other(text) => format!("other: {text}"),
                    listed => listed.as_str().to_string(),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Ok(match text.as_str() {
                    $($text => Self::$variant,)+
                    _ => Self::Other(text),
                })
            }
        }
    };
}

/// An allowlist entry: a CIDR range, or a bare address meaning that address alone (/32, /128).
fn cidrs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|text| {
            crate::facts::parse_cidr(text.trim()).ok_or_else(|| {
                serde::de::Error::custom(format!("`{text}` is neither an address nor a CIDR range"))
            })
        })
        .collect()
}

/// `GET /v1/keys/{key_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    pub id: String,
    pub customer_id: String,
    pub environment: Environment,
    pub status: KeyStatus,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub revoked_by: Option<String>,
    #[serde(default)]
    pub revoke_reason: Option<String>,
    #[serde(default)]
    pub last_used_at: Option<DateTime<Utc>>,
    pub credential: Credential,
    /// Empty means any address may use the key.
    #[serde(deserialize_with = "cidrs")]
    pub allowed_ips: Vec<IpNet>,
    pub scopes: Vec<String>,
    pub rate_limit: RateLimit,
    #[serde(default)]
    pub quota: Option<Quota>,
    /// `sha256:` and the first 12 hex digits of the SHA-256 of the key's secret, as authdesk
    /// prints beside a mask: a pasted key with another fingerprint is another key.
    #[serde(default, deserialize_with = "lenient_fingerprint")]
    pub fingerprint: Option<Fingerprint>,
}

/// A fingerprint in a form authdesk cannot read is left out rather than failing the whole key
/// record: without it nothing is compared, and the key's status still decides.
fn lenient_fingerprint<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Fingerprint>, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .as_deref()
        .and_then(Fingerprint::parse))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Live,
    Test,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Live => "live",
            Environment::Test => "test",
        }
    }
}

open_enum!(KeyStatus {
    Active = "active",
    Disabled = "disabled",
    Revoked = "revoked",
    Expired = "expired",
});

/// Where the gateway reads the credential: `X-API-Key`, or `Authorization` with `Bearer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub header: String,
    #[serde(default)]
    pub scheme: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub limit: u64,
    pub window_s: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub limit: u64,
    /// `day` or `month`.
    pub period: String,
}

/// `GET /v1/customers/{customer_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub status: CustomerStatus,
    pub plan: String,
    /// The cell (region) serving the account; health and failure summaries can be scoped to it.
    #[serde(default)]
    pub cell: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Active,
    Suspended,
}

impl CustomerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Active => "active",
            CustomerStatus::Suspended => "suspended",
        }
    }
}

/// One page of a list; `next_cursor` is absent on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// `GET /v1/keys/{key_id}/audit-events`, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: AuditAction,
    #[serde(default)]
    pub before: Option<serde_json::Value>,
    #[serde(default)]
    pub after: Option<serde_json::Value>,
}

open_enum!(AuditAction {
    KeyCreated = "key.created",
    KeyRevoked = "key.revoked",
    KeyRotated = "key.rotated",
    KeyDisabled = "key.disabled",
    ScopesChanged = "scopes.changed",
    IpRulesChanged = "ip_rules.changed",
    RoleChanged = "role.changed",
    PlanChanged = "plan.changed",
    RateLimitChanged = "rate_limit.changed",
});

/// `GET /v1/keys/{key_id}/request-logs`, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLog {
    pub at: DateTime<Utc>,
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The gateway's reason code; absent when the upstream service decided.
    #[serde(default)]
    pub reason: Option<ReasonCode>,
    pub client_ip: IpAddr,
    pub decided_by: Decider,
}

open_enum!(ReasonCode {
    MissingCredentials = "missing_credentials",
    MalformedCredentials = "malformed_credentials",
    InvalidKey = "invalid_key",
    RevokedKey = "revoked_key",
    ExpiredKey = "expired_key",
    ExpiredToken = "expired_token",
    IpNotAllowed = "ip_not_allowed",
    InsufficientScope = "insufficient_scope",
    RateLimited = "rate_limited",
    QuotaExceeded = "quota_exceeded",
});

impl ReasonCode {
    /// Whether the code is about the credential itself rather than limits or permissions:
    /// a burst of these from many addresses is what credential stuffing looks like.
    /// Failures every client of a revoked or expired key, or of a deployment that lost its
    /// key, sees: many addresses failing this way is a fleet, not an attack.
    pub fn explained_by_key_state(&self) -> bool {
        matches!(
            self,
            ReasonCode::MissingCredentials
                | ReasonCode::RevokedKey
                | ReasonCode::ExpiredKey
                | ReasonCode::ExpiredToken
        )
    }

    pub fn is_credential_failure(&self) -> bool {
        matches!(
            self,
            ReasonCode::MissingCredentials
                | ReasonCode::MalformedCredentials
                | ReasonCode::InvalidKey
                | ReasonCode::RevokedKey
                | ReasonCode::ExpiredKey
                | ReasonCode::ExpiredToken
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    Gateway,
    Upstream,
}

/// `GET /v1/keys/{key_id}/usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub key_id: String,
    /// One entry per rate-limit window, shortest first.
    pub windows: Vec<UsageWindow>,
    #[serde(default)]
    pub quota: Option<QuotaUsage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageWindow {
    pub window_s: u64,
    pub limit: u64,
    pub used: u64,
    pub remaining: u64,
    pub resets_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaUsage {
    pub period: String,
    pub limit: u64,
    pub used: u64,
    pub remaining: u64,
    pub resets_at: DateTime<Utc>,
}

/// `GET /v1/endpoints/resolve?method=&path=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointRoute {
    pub method: String,
    pub route: String,
    pub required_scopes: Vec<String>,
}

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    pub auth_latency_ms: Latency,
    /// The cell the answer describes when the request was scoped to a key or customer.
    #[serde(default)]
    pub cell: Option<String>,
    pub checked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Degraded,
    Down,
}

impl HealthStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Ok => "ok",
            HealthStatus::Degraded => "degraded",
            HealthStatus::Down => "down",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
}

/// `GET /v1/auth-failures/summary?window=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailureSummary {
    pub window_s: u64,
    #[serde(default)]
    pub cell: Option<String>,
    pub customers_affected: u64,
    /// The customers above their baseline, worst first.
    pub customers: Vec<ElevatedCustomer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElevatedCustomer {
    pub customer_id: String,
    /// Share of the customer's requests answered 401 or 403 in the window, 0 to 1.
    pub failure_rate: f64,
    pub baseline_rate: f64,
}

/// An RFC 9457 problem (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

fn about_blank() -> String {
    "about:blank".into()
}
