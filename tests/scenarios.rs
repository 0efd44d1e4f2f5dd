//! Realistic cases an API-support engineer walked (issue 14), driven through the core: the
//! facts a case would have (admin API, pastes, logs), the walk to its outcome, the ticket.
//! Each asserts the outcome, who it goes to, how severe it is and the reply's key sentence.

mod common;

use authdesk::runbook::Severity;
use authdesk::ticket::Ticket;
use common::cases::{assert_case, ticket};

/// The case: the shared active key overlaid with `extra`, walked with `answers`.
fn walk(rb: &str, extra: &[(&str, &str)], answers: &[&str]) -> Ticket {
    ticket(rb, extra, &[], answers)
}

#[test]
fn a_fleet_retrying_an_expired_key_is_the_expired_key_not_an_attack() {
    // Fourteen pods fail with expired_key; the digest does not call that an anomaly, and the
    // key's status decides before any statistic.
    let t = walk(
        "401",
        &[
            ("key.status", "expired"),
            ("key.expires_at", "2026-11-22T08:00:00Z"),
            ("failures.top_reason", "expired_key"),
            ("failures.total", "420"),
            ("logs.spike", "true"),
            ("logs.keys_failing", "1"),
            ("logs.ips_failing", "14"),
        ],
        &[],
    );
    assert_case(
        &t,
        "key-expired",
        None,
        Severity::Low,
        "The API key your requests use expired on 2026-11-22 08:00:00 UTC.",
    );
}

#[test]
fn a_validation_outage_pages_on_call_before_the_many_customers_in_the_log() {
    let t = walk(
        "401",
        &[
            ("health.status", "degraded"),
            ("logs.customers_failing", "9"),
            ("logs.keys_failing", "40"),
            ("logs.spike", "true"),
        ],
        &[],
    );
    assert_case(
        &t,
        "escalate-validation-down",
        Some("auth-platform-oncall"),
        Severity::Critical,
        "please do not rotate or regenerate them",
    );
}

#[test]
fn a_revoked_key_is_revoked_even_after_a_rate_limited_morning() {
    let t = walk(
        "401",
        &[
            ("key.status", "revoked"),
            ("key.revoked_at", "2026-11-22T09:10:00Z"),
            ("key.revoked_by", "admin@northwind.example"),
            ("failures.top_reason", "rate_limited"),
            ("failures.rate_limited", "380"),
        ],
        &[],
    );
    assert_case(
        &t,
        "key-revoked",
        None,
        Severity::Medium,
        "was revoked on 2026-11-22 09:10:00 UTC by an administrator of the account it belongs to",
    );
    // Who revoked it is for the ticket, never for the customer.
    assert!(
        !t.outcome.reply.contains("admin@northwind.example"),
        "{}",
        t.outcome.reply
    );
    assert!(
        t.summary.contains("admin@northwind.example"),
        "{}",
        t.summary
    );
}

#[test]
fn a_proven_missing_scope_beats_rate_limit_noise() {
    let t = walk(
        "403",
        &[
            ("method", "POST"),
            ("endpoint", "/v1/refunds"),
            ("scopes.sufficient", "false"),
            ("scopes.missing", "refunds:write"),
            ("failures.top_reason", "rate_limited"),
            ("failures.rate_limited", "57"),
        ],
        &[],
    );
    assert_case(
        &t,
        "insufficient-scope",
        None,
        Severity::Low,
        "(POST /v1/refunds) needs a permission (scope) that your API key does not have: \
         refunds:write",
    );
}

#[test]
fn a_key_read_from_authorization_bearer_is_told_to_use_that_header() {
    let t = walk(
        "401",
        &[
            ("key.accepted_header", "Authorization"),
            ("key.accepted_scheme", "Bearer"),
            ("key.credential_header", "Authorization: Bearer <your key>"),
            ("request.credential_present", "true"),
            ("request.header_name", "X-API-Key"),
            ("request.header_problem", "wrong_header"),
        ],
        &[],
    );
    assert_case(
        &t,
        "bad-header-format",
        None,
        Severity::Low,
        "Authorization: Bearer <your key>",
    );
    assert!(
        !t.outcome.reply.contains("X-API-Key"),
        "{}",
        t.outcome.reply
    );
}

#[test]
fn our_issuers_clock_running_ahead_is_ours_to_fix() {
    let t = walk(
        "401",
        &[
            ("jwt.alg", "RS256"),
            ("jwt.not_yet_valid", "true"),
            ("jwt.clock_skew_s", "95"),
        ],
        &["ask-whose-clock=ours"],
    );
    assert_case(
        &t,
        "escalate-issuer-clock",
        Some("auth-platform"),
        Severity::High,
        "the problem is on our side",
    );
    assert!(!t.outcome.reply.contains("NTP"), "{}", t.outcome.reply);
}

#[test]
fn a_billing_suspension_answered_with_401_says_we_suspended_the_account() {
    let t = walk(
        "401",
        &[
            ("status", "401"),
            ("customer.status", "suspended"),
            ("key.status", "disabled"),
        ],
        &[],
    );
    assert_case(
        &t,
        "account-suspended",
        None,
        Severity::Medium,
        "We have suspended your account on our side",
    );
    assert!(
        !t.outcome.reply.contains("can re-enable it"),
        "{}",
        t.outcome.reply
    );
}

#[test]
fn a_correct_curl_does_not_override_the_gateways_missing_credentials() {
    let t = walk(
        "401",
        &[
            ("request.credential_present", "true"),
            ("request.header_name", "X-API-Key"),
            ("request.header_problem", "none"),
            ("request.key_length_ok", "true"),
            ("failures.top_reason", "missing_credentials"),
        ],
        &["ask-credential-lost=secret-not-loaded"],
    );
    assert_case(
        &t,
        "works-in-curl-not-app",
        None,
        Severity::Low,
        "Your curl command is correct, but our gateway receives no usable key from your \
         application.",
    );
}

#[test]
fn a_redirect_or_proxy_dropping_the_header_is_its_own_branch() {
    let t = walk(
        "401",
        &[
            ("endpoint", "/v1/orders/"),
            ("request.credential_present", "true"),
            ("request.header_problem", "none"),
            ("failures.top_reason", "missing_credentials"),
        ],
        &["ask-credential-lost=redirect-or-proxy"],
    );
    assert_case(
        &t,
        "auth-header-dropped",
        None,
        Severity::Low,
        "HTTP clients drop the Authorization header when they follow a redirect",
    );
    assert!(
        t.outcome.reply.contains("/v1/orders/"),
        "{}",
        t.outcome.reply
    );
}

#[test]
fn a_cors_preflight_getting_401_is_decided_from_the_method() {
    let t = walk(
        "401",
        &[
            ("method", "OPTIONS"),
            ("request.credential_present", "false"),
        ],
        &[],
    );
    assert_case(
        &t,
        "cors-preflight-401",
        None,
        Severity::Low,
        "Browsers never send credentials on a preflight",
    );
}

#[test]
fn an_old_key_after_a_rotation_is_a_leftover_deployment() {
    for status in ["revoked", "expired"] {
        let t = walk(
            "401",
            &[
                ("key.status", status),
                ("audit.key_rotated_at", "2026-11-20T10:00:00Z"),
            ],
            &[],
        );
        assert_case(
            &t,
            "rotation-leftover",
            None,
            Severity::Low,
            "This key was rotated on 2026-11-20 10:00:00 UTC",
        );
    }
}

#[test]
fn an_expired_or_revoked_refresh_token_asks_for_a_new_sign_in() {
    let t = walk(
        "401",
        &[("failures.top_reason", "expired_token")],
        &["ask-token-timing=refresh-failed"],
    );
    assert_case(
        &t,
        "refresh-token-expired",
        None,
        Severity::Low,
        "its refresh token is no longer valid",
    );
}

#[test]
fn a_normal_401_rate_means_expected_401s_and_no_action() {
    let t = walk(
        "401",
        &[
            ("failures.top_reason", "none"),
            ("logs.band_401", "normal"),
            ("logs.rate_401", "0.02"),
        ],
        &[],
    );
    assert_case(
        &t,
        "expected-401",
        None,
        Severity::Low,
        "no action is needed",
    );
}

#[test]
fn a_key_our_secret_scanning_revoked_says_it_leaked() {
    let t = walk(
        "401",
        &[
            ("key.status", "revoked"),
            ("key.revoked_by", "secret-scanning@authdesk.example"),
            ("key.revoke_reason", "Found in a public gist"),
        ],
        &[],
    );
    assert_case(
        &t,
        "key-revoked-leaked",
        None,
        Severity::High,
        "We revoked this API key ourselves",
    );
    assert!(
        t.outcome.next_steps[0].contains("Do not re-enable"),
        "{:?}",
        t.outcome.next_steps
    );
    // The reason names the leak, so it, not who revoked, is what the engineer reads first.
    assert_eq!(t.deciding_fact.as_deref(), Some("key.revoke_reason"));
}

#[test]
fn a_key_billing_revoked_says_it_was_billing() {
    let t = walk(
        "401",
        &[
            ("key.status", "revoked"),
            ("key.revoked_by", "billing@authdesk.example"),
        ],
        &[],
    );
    assert_case(
        &t,
        "key-revoked-billing",
        None,
        Severity::Medium,
        "We revoked this API key on our side for a billing reason",
    );
}

#[test]
fn a_limit_we_lowered_is_ours_not_their_traffic() {
    for rb in ["401", "403"] {
        let t = walk(
            rb,
            &[
                ("usage.rate_exhausted", "true"),
                ("usage.rate_limit", "50"),
                ("audit.rate_limit_changed_at", "2026-11-18T10:00:00Z"),
            ],
            &[],
        );
        assert_case(
            &t,
            "limit-lowered",
            None,
            Severity::Medium,
            "was lowered on our side on 2026-11-18 10:00:00 UTC (it is now 50 requests per 60 \
             seconds)",
        );
    }
}

#[test]
fn an_added_scope_is_not_a_role_change() {
    let t = walk(
        "403",
        &[
            ("scopes.sufficient", "false"),
            ("scopes.missing", "refunds:write"),
            ("audit.permission_changed", "true"),
            ("audit.permission_narrowed", "false"),
        ],
        &[],
    );
    assert_case(
        &t,
        "insufficient-scope",
        None,
        Severity::Low,
        "refunds:write",
    );
}

#[test]
fn a_refusal_decided_upstream_goes_to_tier_2() {
    let t = walk("403", &[("failures.upstream_decided", "true")], &[]);
    assert_case(
        &t,
        "escalate-upstream-refused",
        Some("api-support-tier2"),
        Severity::Medium,
        "the refusal comes from the service behind it",
    );
}

#[test]
fn credential_stuffing_in_the_logs_goes_to_security() {
    let t = walk(
        "401",
        &[
            ("logs.spike", "true"),
            ("logs.keys_failing", "230"),
            ("logs.ips_failing", "61"),
        ],
        &[],
    );
    assert_case(
        &t,
        "escalate-credential-stuffing",
        Some("security"),
        Severity::High,
        "our security team is reviewing them",
    );
}

#[test]
fn a_spike_of_one_keys_failures_alone_is_no_security_event() {
    let t = walk(
        "403",
        &[
            ("logs.spike", "true"),
            ("logs.keys_failing", "1"),
            ("logs.ips_failing", "3"),
            ("failures.top_reason", "rate_limited"),
        ],
        &[],
    );
    assert_case(
        &t,
        "rate-limit-edge",
        None,
        Severity::Low,
        "of 600 requests per 60 seconds",
    );
}

#[test]
fn slow_auth_states_its_measure_on_the_ticket() {
    let t = walk("401", &[("logs.auth_latency_avg_ms", "180")], &[]);
    assert_case(
        &t,
        "escalate-auth-latency",
        Some("auth-platform"),
        Severity::High,
        "Authentication on our side is currently slower than normal",
    );
    assert!(
        t.summary.contains("average 180 ms in the logs"),
        "{}",
        t.summary
    );
    let met: Vec<&str> = t
        .criteria_matched
        .iter()
        .map(|c| c.title.as_str())
        .collect();
    assert!(
        met.iter()
            .any(|c| c.starts_with("Average authentication latency")),
        "{met:?}"
    );
}

#[test]
fn a_pasted_live_key_puts_redact_and_rotate_first_in_the_next_steps() {
    let t = walk(
        "401",
        &[
            ("key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("key.pasted_env", "live"),
            ("key.status", "expired"),
        ],
        &[],
    );
    assert!(
        t.outcome.next_steps[0].contains("redact it") && t.outcome.next_steps[0].contains("rotate"),
        "{:?}",
        t.outcome.next_steps
    );
    for text in [t.to_json(), t.to_markdown()] {
        assert!(!text.contains("4eC39HqLyjWDarjtT1zdp7dc"));
    }
}
