//! Every fact name as a constant, in schema order, so code names a fact the compiler knows
//! (a misspelt constant does not build) instead of a string literal only a test would catch.
//! The test below keeps this list and [`super::SCHEMA`] the same set. Runbook TOML keeps
//! strings: the loader checks those against the schema.

macro_rules! names {
    ($($constant:ident = $name:literal,)*) => {
        $(pub const $constant: &str = $name;)*
        /// Every constant above, in schema order.
        #[cfg(test)]
        const ALL: &[&str] = &[$($constant),*];
    };
}

names! {
    CUSTOMER_ID = "customer_id",
    KEY_ID = "key_id",
    KEY = "key",
    METHOD = "method",
    ENDPOINT = "endpoint",
    CLIENT_IP = "client_ip",
    STATUS = "status",
    ERROR_BODY = "error_body",
    STARTED_AT = "started_at",
    REQUEST_ID = "request_id",
    CUSTOMER_TICKET = "customer_ticket",
    KEY_PASTED_ENV = "key.pasted_env",
    KEY_STATUS = "key.status",
    KEY_ENV = "key.env",
    KEY_CUSTOMER_ID = "key.customer_id",
    KEY_CREATED_AT = "key.created_at",
    KEY_EXPIRES_AT = "key.expires_at",
    KEY_REVOKED_AT = "key.revoked_at",
    KEY_REVOKED_BY = "key.revoked_by",
    KEY_REVOKE_REASON = "key.revoke_reason",
    KEY_LAST_USED_AT = "key.last_used_at",
    KEY_ACCEPTED_HEADER = "key.accepted_header",
    KEY_ACCEPTED_SCHEME = "key.accepted_scheme",
    KEY_CREDENTIAL_HEADER = "key.credential_header",
    KEY_ALLOWED_IPS = "key.allowed_ips",
    KEY_SCOPES = "key.scopes",
    KEY_FINGERPRINT = "key.fingerprint",
    CUSTOMER_STATUS = "customer.status",
    CUSTOMER_PLAN = "customer.plan",
    CUSTOMER_CELL = "customer.cell",
    IP_ALLOWED = "ip.allowed",
    IP_MATCHED_RANGE = "ip.matched_range",
    IP_NEAREST_MISS = "ip.nearest_miss",
    ENDPOINT_ROUTE = "endpoint.route",
    ENDPOINT_REQUIRED_SCOPES = "endpoint.required_scopes",
    SCOPES_MISSING = "scopes.missing",
    SCOPES_SUFFICIENT = "scopes.sufficient",
    USAGE_RATE_LIMIT = "usage.rate_limit",
    USAGE_RATE_WINDOW_S = "usage.rate_window_s",
    USAGE_RATE_REMAINING = "usage.rate_remaining",
    USAGE_RATE_EXHAUSTED = "usage.rate_exhausted",
    USAGE_QUOTA_REMAINING = "usage.quota_remaining",
    USAGE_QUOTA_EXHAUSTED = "usage.quota_exhausted",
    AUDIT_PERMISSION_CHANGED = "audit.permission_changed",
    AUDIT_PERMISSION_NARROWED = "audit.permission_narrowed",
    AUDIT_IP_RULES_CHANGED = "audit.ip_rules_changed",
    AUDIT_ROLE_CHANGED_AT = "audit.role_changed_at",
    AUDIT_ROLE_CHANGED_BY = "audit.role_changed_by",
    AUDIT_SCOPES_CHANGED_AT = "audit.scopes_changed_at",
    AUDIT_SCOPES_CHANGED_BY = "audit.scopes_changed_by",
    AUDIT_IP_RULES_CHANGED_AT = "audit.ip_rules_changed_at",
    AUDIT_IP_RULES_CHANGED_BY = "audit.ip_rules_changed_by",
    AUDIT_PLAN_CHANGED_AT = "audit.plan_changed_at",
    AUDIT_RATE_LIMIT_CHANGED_AT = "audit.rate_limit_changed_at",
    AUDIT_KEY_ROTATED_AT = "audit.key_rotated_at",
    FAILURES_TOTAL = "failures.total",
    FAILURES_TOP_REASON = "failures.top_reason",
    FAILURES_REASONS = "failures.reasons",
    FAILURES_RATE_LIMITED = "failures.rate_limited",
    FAILURES_QUOTA_EXCEEDED = "failures.quota_exceeded",
    FAILURES_UPSTREAM_DECIDED = "failures.upstream_decided",
    FAILURES_ANOMALY = "failures.anomaly",
    FAILURES_FIRST_AT = "failures.first_at",
    FAILURES_REQUESTS = "failures.requests",
    FAILURES_CLIENT_IPS = "failures.client_ips",
    HEALTH_STATUS = "health.status",
    HEALTH_AUTH_LATENCY_P50_MS = "health.auth_latency_p50_ms",
    HEALTH_AUTH_LATENCY_P99_MS = "health.auth_latency_p99_ms",
    INCIDENT_CUSTOMERS_AFFECTED = "incident.customers_affected",
    INCIDENT_CELL = "incident.cell",
    INCIDENT_FAILURE_RATE = "incident.failure_rate",
    INCIDENT_BASELINE_RATE = "incident.baseline_rate",
    REQUEST_CREDENTIAL_PRESENT = "request.credential_present",
    REQUEST_HEADER_NAME = "request.header_name",
    REQUEST_HEADER_PROBLEM = "request.header_problem",
    REQUEST_KEY_IN_QUERY = "request.key_in_query",
    REQUEST_KEY_ENV = "request.key_env",
    REQUEST_KEY_FINGERPRINT = "request.key_fingerprint",
    REQUEST_KEY_IS_THIS_KEY = "request.key_is_this_key",
    REQUEST_KEY_LENGTH_OK = "request.key_length_ok",
    REQUEST_KEY_LENGTH = "request.key_length",
    REQUEST_KEY_EXPECTED_LENGTH = "request.key_expected_length",
    REQUEST_ENV_MISMATCH = "request.env_mismatch",
    JWT_ALG = "jwt.alg",
    JWT_PROBLEM = "jwt.problem",
    JWT_EXPIRED = "jwt.expired",
    JWT_EXPIRED_FOR_S = "jwt.expired_for_s",
    JWT_NOT_YET_VALID = "jwt.not_yet_valid",
    JWT_CLOCK_SKEW_S = "jwt.clock_skew_s",
    JWT_SCOPES = "jwt.scopes",
    RESPONSE_STATUS = "response.status",
    RESPONSE_HAS_WWW_AUTHENTICATE = "response.has_www_authenticate",
    RESPONSE_BEARER_ERROR = "response.bearer_error",
    RESPONSE_PROBLEM_TYPE = "response.problem_type",
    RESPONSE_RETRY_AFTER_S = "response.retry_after_s",
    RESPONSE_RATE_LIMIT_REMAINING = "response.rate_limit_remaining",
    RESPONSE_REASON = "response.reason",
    RESPONSE_REQUIRED_SCOPE = "response.required_scope",
    RESPONSE_REQUEST_ID = "response.request_id",
    LOGS_RATE_401 = "logs.rate_401",
    LOGS_RATE_403 = "logs.rate_403",
    LOGS_RATE_429 = "logs.rate_429",
    LOGS_BAND_401 = "logs.band_401",
    LOGS_KEYS_FAILING = "logs.keys_failing",
    LOGS_CUSTOMERS_FAILING = "logs.customers_failing",
    LOGS_IPS_FAILING = "logs.ips_failing",
    LOGS_SPIKE = "logs.spike",
    LOGS_AUTH_LATENCY_P99_MS = "logs.auth_latency_p99_ms",
    LOGS_AUTH_LATENCY_AVG_MS = "logs.auth_latency_avg_ms",
}

#[cfg(test)]
mod tests {
    use super::ALL;
    use crate::facts::SCHEMA;

    #[test]
    fn every_constant_is_a_schema_fact_and_every_schema_fact_has_one() {
        let schema: Vec<&str> = SCHEMA.iter().map(|d| d.name).collect();
        assert_eq!(ALL, schema.as_slice());
    }
}
