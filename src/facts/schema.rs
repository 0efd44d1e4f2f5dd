//! The fact schema: every fact a runbook may name, its type, meaning and provider.
//!
//! Runbook inputs use the bare intake names; everything else is namespaced by what it describes
//! (`key.`, `ip.`, `usage.`, `audit.`, …) or by the diagnostic that reads it (`request.`,
//! `jwt.`, `response.`, `logs.`).

use super::{FactSource, FactType};

/// One fact's definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactDef {
    pub name: &'static str,
    pub ty: FactType,
    pub source: FactSource,
    pub meaning: &'static str,
    pub weight: Weight,
    /// A short name for the evidence panel, for the facts it shows.
    pub label: Option<&'static str>,
    /// The unit a number is in, shown after it.
    pub unit: Option<&'static str>,
}

impl FactDef {
    const fn labelled(self, label: &'static str) -> FactDef {
        FactDef {
            label: Some(label),
            ..self
        }
    }

    const fn in_unit(self, unit: &'static str) -> FactDef {
        FactDef {
            unit: Some(unit),
            ..self
        }
    }
}

/// How much a fact proves on its own. Trees decide on hard facts before statistics, and the
/// linter warns when a rule on a statistic comes first for the same cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// A definitive fact about the key, the account, the route or the pasted request: its
    /// status, who revoked it, its scopes, its allowlist, the account's status.
    Hard,
    /// A count or rate over many requests (the 24-hour top reason, log-derived figures): it
    /// says what usually happens, not what happened to this call.
    Statistic,
}

const fn def(
    name: &'static str,
    ty: FactType,
    source: FactSource,
    meaning: &'static str,
) -> FactDef {
    FactDef {
        name,
        ty,
        source,
        meaning,
        weight: Weight::Hard,
        label: None,
        unit: None,
    }
}

const fn stat(
    name: &'static str,
    ty: FactType,
    source: FactSource,
    meaning: &'static str,
) -> FactDef {
    FactDef {
        weight: Weight::Statistic,
        ..def(name, ty, source, meaning)
    }
}

use FactSource::{AdminApi as Api, Diagnostics as Diag, Intake};
use FactType::*;

/// Every fact authdesk knows, in the order screens and tickets list them.
pub const SCHEMA: &[FactDef] = &[
    // Intake: what the agent learns from the customer.
    def("customer_id", Text, Intake, "The customer's account id"),
    def(
        "key_id",
        Text,
        Intake,
        "The id of the API key the customer uses (not the secret)",
    ),
    def(
        "key",
        Secret,
        Intake,
        "The pasted API key or token; kept only masked",
    ),
    def("method", Text, Intake, "HTTP method of the failing request"),
    def(
        "endpoint",
        Text,
        Intake,
        "Path of the failing request, e.g. /v1/orders/123",
    ),
    def(
        "client_ip",
        Ip,
        Intake,
        "The customer's egress IP as the gateway sees it",
    ),
    def(
        "status",
        Number,
        Intake,
        "HTTP status the customer sees (401, 403, 429)",
    ),
    def(
        "error_body",
        Text,
        Intake,
        "The error response body the customer pasted",
    ),
    def("started_at", Time, Intake, "When the failures started"),
    def(
        "request_id",
        Text,
        Intake,
        "The request id the customer pasted from a failing response",
    ),
    def(
        "customer_ticket",
        Text,
        Intake,
        "The customer's own support ticket id, to quote back to them",
    ),
    def(
        "key.pasted_env",
        Text,
        Intake,
        "Environment the pasted key's prefix names: live or test",
    ),
    // The key, from the admin API.
    def(
        "key.status",
        Text,
        Api,
        "Key status: active, disabled, revoked, expired or not_found",
    )
    .labelled("status"),
    def(
        "key.env",
        Text,
        Api,
        "Environment the key belongs to: live or test",
    )
    .labelled("env"),
    def(
        "key.customer_id",
        Text,
        Api,
        "The customer that owns the key",
    )
    .labelled("customer"),
    def("key.created_at", Time, Api, "When the key was created").labelled("created"),
    def(
        "key.expires_at",
        Time,
        Api,
        "When the key expires, if it does",
    )
    .labelled("expires"),
    def("key.revoked_at", Time, Api, "When the key was revoked").labelled("revoked"),
    def("key.revoked_by", Text, Api, "Who revoked the key").labelled("revoked by"),
    def("key.revoke_reason", Text, Api, "Why the key was revoked").labelled("reason"),
    def(
        "key.last_used_at",
        Time,
        Api,
        "Last successful use of the key",
    )
    .labelled("last used"),
    def(
        "key.accepted_header",
        Text,
        Api,
        "Header the gateway reads the credential from",
    )
    .labelled("header"),
    def(
        "key.accepted_scheme",
        Text,
        Api,
        "Scheme the gateway expects in that header, if any",
    )
    .labelled("scheme"),
    def(
        "key.credential_header",
        Text,
        Api,
        "The header line the gateway reads, as a customer writes it: `X-API-Key: <your key>`",
    ),
    def(
        "key.allowed_ips",
        CidrList,
        Api,
        "IP ranges the key may be used from; empty means any",
    )
    .labelled("IP ranges"),
    def("key.scopes", TextList, Api, "Scopes granted to the key").labelled("scopes"),
    def(
        "key.fingerprint",
        Text,
        Api,
        "The key's fingerprint, sha256: and 12 hex digits of its secret's SHA-256, when the \
         admin API gives one: a pasted key with another is another key",
    )
    .labelled("fingerprint"),
    def(
        "customer.status",
        Text,
        Api,
        "Account status: active or suspended",
    )
    .labelled("account"),
    def("customer.plan", Text, Api, "The customer's plan").labelled("plan"),
    def(
        "customer.cell",
        Text,
        Api,
        "The cell (region) serving the customer's account",
    ),
    // Computed from the key and the intake.
    def(
        "ip.allowed",
        Bool,
        Api,
        "Whether client_ip is inside one of the key's allowed ranges",
    )
    .labelled("IP allowed"),
    def(
        "ip.matched_range",
        Text,
        Api,
        "The allowed range client_ip matched",
    ),
    def(
        "ip.nearest_miss",
        Text,
        Api,
        "The allowed range closest to client_ip when none matched",
    )
    .labelled("nearest range"),
    def(
        "endpoint.route",
        Text,
        Api,
        "Route template the endpoint resolves to",
    ),
    def(
        "endpoint.required_scopes",
        TextList,
        Api,
        "Scopes the endpoint requires",
    ),
    def(
        "scopes.missing",
        TextList,
        Api,
        "Required scopes the key lacks",
    )
    .labelled("missing scopes"),
    def(
        "scopes.sufficient",
        Bool,
        Api,
        "Whether the key has every scope the endpoint requires",
    ),
    // Usage.
    def(
        "usage.rate_limit",
        Number,
        Api,
        "Requests allowed per rate-limit window",
    )
    .labelled("rate limit"),
    def(
        "usage.rate_window_s",
        Number,
        Api,
        "Length of the rate-limit window, in seconds",
    ),
    def(
        "usage.rate_remaining",
        Number,
        Api,
        "Requests left in the current window",
    )
    .labelled("rate left"),
    def(
        "usage.rate_exhausted",
        Bool,
        Api,
        "Whether the current rate-limit window is used up",
    ),
    def(
        "usage.quota_remaining",
        Number,
        Api,
        "Requests left in the plan's quota",
    )
    .labelled("quota left"),
    def(
        "usage.quota_exhausted",
        Bool,
        Api,
        "Whether the plan's quota is used up",
    ),
    // Audit trail, within the recent window.
    def(
        "audit.permission_changed",
        Bool,
        Api,
        "Whether a role or scope change happened within the audit window",
    ),
    def(
        "audit.permission_narrowed",
        Bool,
        Api,
        "Whether a role or scope change within the audit window took something away (an \
         added scope does not)",
    ),
    def(
        "audit.ip_rules_changed",
        Bool,
        Api,
        "Whether the key's IP allowlist changed within the audit window",
    ),
    def(
        "audit.role_changed_at",
        Time,
        Api,
        "Most recent role change on the key or its owner",
    )
    .labelled("role"),
    def(
        "audit.role_changed_by",
        Text,
        Api,
        "Who made that role change",
    ),
    def(
        "audit.scopes_changed_at",
        Time,
        Api,
        "Most recent change to the key's scopes",
    )
    .labelled("scopes"),
    def(
        "audit.scopes_changed_by",
        Text,
        Api,
        "Who changed the key's scopes",
    ),
    def(
        "audit.ip_rules_changed_at",
        Time,
        Api,
        "Most recent change to the key's IP allowlist",
    )
    .labelled("IP rules"),
    def(
        "audit.ip_rules_changed_by",
        Text,
        Api,
        "Who changed the key's IP allowlist",
    ),
    def(
        "audit.plan_changed_at",
        Time,
        Api,
        "Most recent plan change",
    )
    .labelled("plan"),
    def(
        "audit.rate_limit_changed_at",
        Time,
        Api,
        "Most recent rate-limit change",
    )
    .labelled("rate limit"),
    def(
        "audit.key_rotated_at",
        Time,
        Api,
        "Most recent rotation of the key",
    )
    .labelled("key rotated"),
    // The gateway's recent failures for this key.
    stat(
        "failures.total",
        Number,
        Api,
        "Failed requests for this key in the recent window",
    ),
    stat(
        "failures.top_reason",
        Text,
        Api,
        "Most frequent gateway reason code among them, or none",
    ),
    stat(
        "failures.reasons",
        TextList,
        Api,
        "Every gateway reason code seen among them",
    ),
    stat(
        "failures.rate_limited",
        Number,
        Api,
        "How many of them were rate_limited",
    )
    .labelled("rate_limited"),
    stat(
        "failures.quota_exceeded",
        Number,
        Api,
        "How many of them were quota_exceeded",
    )
    .labelled("quota_exceeded"),
    stat(
        "failures.upstream_decided",
        Bool,
        Api,
        "Whether the upstream service, not the gateway, refused",
    ),
    stat(
        "failures.anomaly",
        Bool,
        Api,
        "Whether the auth failures look anomalous (credential stuffing, sudden burst from new IPs)",
    ),
    def(
        "failures.first_at",
        Time,
        Api,
        "The oldest failing request in the recent window: when the failures began",
    ),
    def(
        "failures.requests",
        TextList,
        Api,
        "The newest failing requests: id, time, method and path, client address, status and reason",
    ),
    def(
        "failures.client_ips",
        TextList,
        Api,
        "Distinct client addresses among the failing requests (the first 20)",
    ),
    // Platform health.
    def(
        "health.status",
        Text,
        Api,
        "Key validation service status: ok, degraded or down",
    )
    .labelled("validation"),
    stat(
        "health.auth_latency_p50_ms",
        Number,
        Api,
        "Authentication latency, median, in ms",
    )
    .labelled("auth p50")
    .in_unit("ms"),
    stat(
        "health.auth_latency_p99_ms",
        Number,
        Api,
        "Authentication latency, 99th percentile, in ms",
    )
    .labelled("auth p99")
    .in_unit("ms"),
    stat(
        "incident.customers_affected",
        Number,
        Api,
        "Customers with elevated 401/403 rates right now",
    )
    .labelled("customers hit"),
    def(
        "incident.cell",
        Text,
        Api,
        "The cell the failure summary describes, when scoped to the case",
    ),
    stat(
        "incident.failure_rate",
        Number,
        Api,
        "This customer's 401/403 rate now, 0 to 1 (when above its baseline)",
    ),
    stat(
        "incident.baseline_rate",
        Number,
        Api,
        "This customer's usual 401/403 rate, 0 to 1",
    ),
    // Diagnostics: the customer's request.
    def(
        "request.credential_present",
        Bool,
        Diag,
        "Whether the pasted request carries any credential",
    ),
    def(
        "request.header_name",
        Text,
        Diag,
        "Header the pasted request sends the credential in",
    ),
    def(
        "request.header_problem",
        Text,
        Diag,
        "First credential-format problem found, or none",
    ),
    def(
        "request.key_in_query",
        Bool,
        Diag,
        "Whether the key is sent in the query string",
    ),
    def(
        "request.key_env",
        Text,
        Diag,
        "Environment the sent key's prefix names",
    ),
    def(
        "request.key_fingerprint",
        Text,
        Diag,
        "The sent key's fingerprint (sha256: and 12 hex digits); none for a JWT or a placeholder",
    ),
    def(
        "request.key_is_this_key",
        Bool,
        Diag,
        "Whether the sent key is the key in question (its fingerprint is the key record's); \
         known only when both fingerprints are",
    ),
    def(
        "request.key_length_ok",
        Bool,
        Diag,
        "Whether the sent key has its format's length (only for a known key format)",
    ),
    def(
        "request.key_length",
        Number,
        Diag,
        "Length of a sent key whose length is wrong",
    ),
    def(
        "request.key_expected_length",
        Text,
        Diag,
        "The length the key's format expects (40, or 36 to 40), when the sent key's is wrong",
    ),
    def(
        "request.env_mismatch",
        Bool,
        Diag,
        "Whether the key's environment (test/live) differs from the API's the request targets",
    ),
    // Diagnostics: a JWT.
    def("jwt.alg", Text, Diag, "The token's signing algorithm"),
    def(
        "jwt.problem",
        Text,
        Diag,
        "Why the token is unusable whatever its times: alg-none, no-signature, \
         wrong-audience, malformed, or none",
    ),
    def(
        "jwt.expired",
        Bool,
        Diag,
        "Whether the token had expired at the time checked",
    ),
    def(
        "jwt.expired_for_s",
        Number,
        Diag,
        "Seconds since the token expired (negative: time left)",
    ),
    def(
        "jwt.not_yet_valid",
        Bool,
        Diag,
        "Whether nbf or iat lie in the future beyond the leeway",
    ),
    def(
        "jwt.clock_skew_s",
        Number,
        Diag,
        "Seconds the token's iat/nbf lie ahead of the reference clock",
    ),
    def("jwt.scopes", TextList, Diag, "Scopes the token claims"),
    // Diagnostics: the error response.
    def(
        "response.status",
        Number,
        Diag,
        "Status of the pasted response",
    ),
    def(
        "response.has_www_authenticate",
        Bool,
        Diag,
        "Whether a 401 carried WWW-Authenticate",
    ),
    def(
        "response.bearer_error",
        Text,
        Diag,
        "RFC 6750 error: invalid_token, insufficient_scope or invalid_request",
    ),
    def(
        "response.problem_type",
        Text,
        Diag,
        "RFC 9457 problem type of the body",
    ),
    def(
        "response.retry_after_s",
        Number,
        Diag,
        "Retry-After, in seconds",
    ),
    def(
        "response.rate_limit_remaining",
        Number,
        Diag,
        "Remaining requests the rate-limit headers report",
    ),
    def(
        "response.reason",
        Text,
        Diag,
        "What the response proves went wrong, in the gateway's reason words: rate_limited, \
         quota_exceeded, insufficient_scope, expired_token, wrong_endpoint, \
         missing_credentials, invalid_key, ip_not_allowed, token_not_yet_valid, waf_blocked",
    ),
    def(
        "response.required_scope",
        Text,
        Diag,
        "The scope an insufficient_scope challenge names",
    ),
    def(
        "response.request_id",
        Text,
        Diag,
        "The request id or block reference the pasted response carries (X-Request-Id, CF-Ray, a firewall page's Ray ID or Reference #)",
    ),
    // Diagnostics: access logs.
    stat(
        "logs.rate_401",
        Number,
        Diag,
        "Share of requests answered 401, 0 to 1",
    ),
    stat(
        "logs.rate_403",
        Number,
        Diag,
        "Share of requests answered 403, 0 to 1",
    ),
    stat(
        "logs.rate_429",
        Number,
        Diag,
        "Share of requests answered 429, 0 to 1",
    ),
    stat(
        "logs.band_401",
        Text,
        Diag,
        "The 401 rate's band: normal, watch, investigate, critical",
    ),
    stat(
        "logs.keys_failing",
        Number,
        Diag,
        "Distinct keys with failures in the logs",
    ),
    stat(
        "logs.customers_failing",
        Number,
        Diag,
        "Distinct customers with a 401 or 403 in the logs (needs the logs' customer field)",
    ),
    stat(
        "logs.ips_failing",
        Number,
        Diag,
        "Distinct client addresses with a 401 or 403 in the logs",
    ),
    stat(
        "logs.spike",
        Bool,
        Diag,
        "Whether failures per minute show a spike",
    ),
    stat(
        "logs.auth_latency_p99_ms",
        Number,
        Diag,
        "Auth latency p99 from the logs, in ms",
    ),
    stat(
        "logs.auth_latency_avg_ms",
        Number,
        Diag,
        "Average authentication latency from the logs, in ms (only when the latency field \
         measures authentication, not the whole request)",
    ),
];

/// The definition of a fact, by name.
pub fn lookup(name: &str) -> Option<&'static FactDef> {
    SCHEMA.iter().find(|d| d.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique() {
        let mut seen = HashSet::new();
        for d in SCHEMA {
            assert!(seen.insert(d.name), "`{}` defined twice", d.name);
        }
    }

    #[test]
    fn intake_inputs_scripts_rely_on_exist() {
        for name in [
            "customer_id",
            "key_id",
            "key",
            "method",
            "endpoint",
            "client_ip",
            "status",
            "error_body",
            "started_at",
        ] {
            assert_eq!(
                lookup(name).map(|d| d.source),
                Some(FactSource::Intake),
                "{name}"
            );
        }
    }
}
