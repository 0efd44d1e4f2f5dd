//! Tickets as their readers get them (issue 14, items 8–12): one resolved case and three
//! escalations, each in Markdown and JSON, from facts as the admin API and intake would give
//! them and a fixed clock. Read a changed snapshot as the on-call engineer receiving it would:
//! what is broken, for whom, since when, what is asked of me, which requests to trace.

mod common;

use authdesk::facts::{Fact, FactValue, Facts, lookup};
use authdesk::runbook::{Catalog, Runbook};
use authdesk::secret::Redacted;
use authdesk::ticket::{Context, Related, Ticket};
use authdesk::walk::Walk;
use chrono::{DateTime, Utc};

fn now() -> DateTime<Utc> {
    "2026-11-22T10:00:00Z".parse().unwrap()
}

fn runbook(name: &str) -> Runbook {
    Catalog::builtin().find(name).unwrap().clone()
}

/// Facts as the case would hold them, each from the source that provides it.
fn facts(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (name, value) in pairs {
        let source = lookup(name).unwrap().source;
        f.insert_text(name, value, source, now()).unwrap();
    }
    f
}

/// A list fact whose items hold spaces (request lines), which text parsing would split.
fn list(f: &mut Facts, name: &str, items: &[&str], evidence: &str) {
    let fact = Fact {
        value: FactValue::TextList(items.iter().map(|i| Redacted::from(*i)).collect()),
        source: lookup(name).unwrap().source,
        at: now(),
        evidence: Some(evidence.into()),
    };
    f.insert(name, fact).unwrap();
}

const LOGS: &str = "GET /v1/keys/key_42/request-logs?status=4xx, request id ad-0001";

/// A healthy platform, an active account in cell eu-1 and an active key.
const HEALTHY: &[(&str, &str)] = &[
    ("customer_id", "cus_1001"),
    ("key_id", "key_42"),
    ("customer_ticket", "ZD-48213"),
    ("method", "GET"),
    ("endpoint", "/v1/orders/ord_77"),
    ("endpoint.route", "/v1/orders/{order_id}"),
    ("health.status", "ok"),
    ("health.auth_latency_p99_ms", "40"),
    ("incident.customers_affected", "0"),
    ("customer.status", "active"),
    ("customer.plan", "growth"),
    ("customer.cell", "eu-1"),
    ("key.status", "active"),
    ("key.accepted_header", "X-API-Key"),
    ("key.credential_header", "X-API-Key: <your key>"),
    ("usage.rate_exhausted", "false"),
    ("usage.quota_exhausted", "false"),
    ("failures.anomaly", "false"),
    ("failures.upstream_decided", "false"),
    ("ip.allowed", "true"),
    ("scopes.sufficient", "true"),
    ("audit.permission_changed", "false"),
    ("audit.permission_narrowed", "false"),
];

fn ticket(rb: &str, f: Facts, related: &[Related]) -> Ticket {
    let rb = runbook(rb);
    let walk = Walk::start(&rb, f, now()).unwrap();
    let cx = Context {
        agent: "alice",
        demo_data: false,
        now: now(),
        related,
    };
    Ticket::from_walk(&rb, &walk, &cx)
        .unwrap_or_else(|e| panic!("{e}: stopped at {}", walk.current()))
}

fn case(extra: &[(&str, &str)]) -> Facts {
    let mut f = facts(HEALTHY);
    f.extend(&facts(extra));
    f
}

fn snapshot(name: &str, t: &Ticket) {
    common::assert_valid_ticket(&serde_json::from_str(&t.to_json()).unwrap());
    insta::assert_snapshot!(format!("{name}_md"), t.to_markdown());
    insta::assert_snapshot!(format!("{name}_json"), t.to_json());
}

#[test]
fn resolved_a_leaked_key_our_scanner_revoked() {
    let mut f = case(&[
        ("status", "401"),
        ("request_id", "req_8f2a"),
        ("started_at", "2026-11-22T08:30:00Z"),
        ("key.status", "revoked"),
        ("key.revoked_at", "2026-11-22T08:12:00Z"),
        ("key.revoked_by", "secret-scanning@authdesk.example"),
        ("key.revoke_reason", "Found in a public gist"),
        ("failures.total", "214"),
        ("failures.top_reason", "revoked_key"),
        ("failures.first_at", "2026-11-22T08:12:04Z"),
    ]);
    list(
        &mut f,
        "failures.requests",
        &[
            "req_8f2a · 2026-11-22 09:58:41 UTC · GET /v1/orders/ord_77 · from 203.0.113.7 · 401 revoked_key",
            "req_8f29 · 2026-11-22 09:58:40 UTC · GET /v1/orders/ord_76 · from 203.0.113.7 · 401 revoked_key",
        ],
        LOGS,
    );
    let t = ticket("401", f, &[]);
    assert_eq!(t.outcome.id, "key-revoked-leaked");
    assert!(t.failing_requests[0].pasted);
    snapshot("resolved_leaked_key", &t);
}

#[test]
fn escalated_a_validation_outage_links_the_other_cases_of_the_incident() {
    let mut f = case(&[
        ("status", "401"),
        ("health.status", "degraded"),
        ("incident.customers_affected", "9"),
        ("incident.cell", "eu-1"),
        ("incident.failure_rate", "0.62"),
        ("incident.baseline_rate", "0.01"),
        ("failures.total", "1840"),
        ("failures.top_reason", "invalid_key"),
        ("failures.first_at", "2026-11-22T09:41:10Z"),
    ]);
    list(
        &mut f,
        "failures.requests",
        &[
            "req_c001 · 2026-11-22 09:59:58 UTC · GET /v1/orders/ord_77 · from 203.0.113.7 · 401 invalid_key",
        ],
        LOGS,
    );
    let related = [
        Related {
            ticket_id: "ESC-20261122-a1b2c3".into(),
            incident_key: "eu-1/escalate-validation-down/2026-11-22-08h".into(),
            outcome_id: "escalate-validation-down".into(),
            customer_id: Some("cus_2040".into()),
            duplicate: false,
        },
        Related {
            ticket_id: "ESC-20261122-d4e5f6".into(),
            incident_key: "eu-1/escalate-validation-down/2026-11-22-08h".into(),
            outcome_id: "escalate-validation-down".into(),
            customer_id: Some("cus_1001".into()),
            duplicate: false,
        },
        Related {
            ticket_id: "ESC-20261121-000000".into(),
            incident_key: "eu-1/escalate-validation-down/2026-11-21-08h".into(),
            outcome_id: "escalate-validation-down".into(),
            customer_id: Some("cus_1001".into()),
            duplicate: false,
        },
    ];
    let t = ticket("401", f, &related);
    assert_eq!(t.outcome.id, "escalate-validation-down");
    assert_eq!(
        t.incident_key,
        "eu-1/escalate-validation-down/2026-11-22-08h"
    );
    assert_eq!(t.related.len(), 2, "yesterday's incident is another one");
    assert_eq!(t.duplicate_of.as_deref(), Some("ESC-20261122-d4e5f6"));
    snapshot("escalated_validation_outage", &t);
}

#[test]
fn escalated_credential_stuffing_lists_the_addresses_and_networks() {
    let mut f = case(&[
        ("status", "401"),
        ("failures.anomaly", "true"),
        ("failures.total", "3120"),
        ("failures.top_reason", "invalid_key"),
        ("failures.first_at", "2026-11-22T06:02:00Z"),
        ("logs.spike", "true"),
        ("logs.ips_failing", "61"),
    ]);
    list(
        &mut f,
        "failures.requests",
        &[
            "req_s903 · 2026-11-22 09:59:59 UTC · POST /v1/login · from 198.51.100.23 · 401 invalid_key",
            "req_s902 · 2026-11-22 09:59:59 UTC · POST /v1/login · from 198.51.100.24 · 401 invalid_key",
            "req_s901 · 2026-11-22 09:59:58 UTC · POST /v1/login · from 192.0.2.200 · 401 invalid_key",
        ],
        LOGS,
    );
    list(
        &mut f,
        "failures.client_ips",
        &[
            "198.51.100.23",
            "198.51.100.24",
            "192.0.2.200",
            "2001:db8:7::1",
        ],
        LOGS,
    );
    let t = ticket("401", f, &[]);
    assert_eq!(t.outcome.id, "escalate-credential-stuffing");
    let a = t
        .addresses
        .as_ref()
        .expect("a security escalation lists addresses");
    assert_eq!(a.networks.len(), 3);
    snapshot("escalated_credential_stuffing", &t);
}

#[test]
fn escalated_several_customers_with_a_status_and_request_id_the_logs_contradict() {
    let mut f = case(&[
        ("status", "401"),
        ("request_id", "req_zz99"),
        ("started_at", "2026-11-22T09:00:00Z"),
        ("incident.customers_affected", "4"),
        ("incident.cell", "us-2"),
        ("customer.cell", "us-2"),
        ("incident.failure_rate", "0.18"),
        ("incident.baseline_rate", "0.02"),
        ("failures.total", "96"),
        ("failures.top_reason", "insufficient_scope"),
    ]);
    list(
        &mut f,
        "failures.requests",
        &[
            "req_m002 · 2026-11-22 09:57:12 UTC · GET /v1/orders/ord_77 · from 203.0.113.7 · 403 insufficient_scope",
            "req_m001 · 2026-11-22 09:57:03 UTC · GET /v1/orders/ord_77 · from 203.0.113.7 · 403 insufficient_scope",
        ],
        LOGS,
    );
    let t = ticket("401", f, &[]);
    assert_eq!(t.outcome.id, "escalate-multi-customer");
    let flagged: Vec<&str> = t.contradictions.iter().map(|c| c.fact.as_str()).collect();
    assert_eq!(flagged, ["status", "request_id"]);
    let labels = authdesk::ticket::trackers::github_issue(&t)["labels"].to_string();
    assert!(labels.contains("contradiction"), "{labels}");
    snapshot("escalated_multi_customer_contradicted", &t);
}

#[test]
fn escalated_on_403_without_a_status_keeps_the_customers_address_apart_and_flags_the_401s() {
    // The agent gave no status and walked 403; the gateway logged 401s from an attack, and
    // the customer's own address (from intake) is nowhere in them.
    let mut f = case(&[
        ("client_ip", "203.0.113.9"),
        ("failures.anomaly", "true"),
        ("failures.total", "100"),
        ("failures.top_reason", "invalid_key"),
        ("failures.first_at", "2026-11-22T09:26:00Z"),
    ]);
    list(
        &mut f,
        "failures.requests",
        &[
            "req_t002 · 2026-11-22 09:59:40 UTC · POST /v1/payments · from 185.220.101.4 · 401 invalid_key",
            "req_t001 · 2026-11-22 09:59:20 UTC · POST /v1/payments · from 185.220.101.9 · 401 invalid_key",
        ],
        LOGS,
    );
    list(
        &mut f,
        "failures.client_ips",
        &["185.220.101.4", "185.220.101.9"],
        LOGS,
    );
    let t = ticket("403", f, &[]);
    assert_eq!(t.outcome.id, "escalate-credential-stuffing");
    let a = t.addresses.as_ref().expect("addresses");
    assert_eq!(a.networks.len(), 1, "no network of the customer's own");
    assert_eq!(a.customers_own, "203.0.113.9".parse().ok());
    assert_eq!(t.scope.status, Some(401), "the status the logs agree on");
    let flagged: Vec<&str> = t.contradictions.iter().map(|c| c.fact.as_str()).collect();
    assert_eq!(flagged, ["status"]);
    snapshot("escalated_403_walk_of_logged_401s", &t);
}
