use super::*;
use crate::evidence::api::*;
use crate::evidence::{AuditDigest, Evidence, Provenance, Query};
use crate::facts::Facts;

use crate::testing::now;

fn from(call: &str) -> Provenance {
    Provenance {
        call: call.into(),
        request_id: "req-1".into(),
        pages: 1,
    }
}

fn cite<T>(answer: T) -> Cited<T> {
    Cited {
        answer,
        from: from("GET /v1/x"),
    }
}

fn key(allowed: &[&str], scopes: &[&str]) -> Key {
    Key {
        id: "key_x".into(),
        customer_id: "cus_1".into(),
        environment: Environment::Live,
        status: KeyStatus::Revoked,
        created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
        expires_at: None,
        revoked_at: Some("2026-11-20T14:02:00Z".parse().unwrap()),
        revoked_by: Some("ops@example.com".into()),
        revoke_reason: Some("leaked in a public repository".into()),
        last_used_at: None,
        credential: Credential {
            header: "X-API-Key".into(),
            scheme: None,
        },
        allowed_ips: allowed.iter().map(|s| s.parse().unwrap()).collect(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        rate_limit: RateLimit {
            limit: 100,
            window_s: 60,
        },
        quota: None,
        fingerprint: None,
    }
}

fn failing(path: &str, ip: &str, reason: ReasonCode) -> RequestLog {
    RequestLog {
        at: "2026-11-22T09:58:00Z".parse().unwrap(),
        request_id: "req_gw_1".into(),
        method: "POST".into(),
        path: path.into(),
        status: 403,
        reason: Some(reason),
        client_ip: ip.parse().unwrap(),
        decided_by: Decider::Gateway,
    }
}

fn intake(pairs: &[(&str, &str)]) -> Intake {
    let mut f = Facts::new();
    for (k, v) in pairs {
        f.insert_text(k, v, FactSource::Intake, now()).unwrap();
    }
    Intake::from_facts(&f)
}

fn value(f: &Facts, name: &str) -> Option<String> {
    f.value(name).map(ToString::to_string)
}

fn healthy() -> Answer {
    Answer::Health(Cited {
        answer: Health {
            status: HealthStatus::Ok,
            auth_latency_ms: Latency {
                p50: 5.0,
                p99: 20.0,
            },
            cell: None,
            checked_at: now(),
        },
        from: from("GET /v1/health"),
    })
}

fn absent(query: Query, call: &str) -> Answer {
    Answer::Absent {
        query,
        from: from(call),
    }
}

/// Replays answers through `Evidence`, as a gather does: (facts, gaps).
fn replay(answers: Vec<Answer>) -> (Facts, Vec<(&'static str, String)>) {
    let mut e = Evidence::new(intake(&[("key_id", "key_x")]), now());
    for a in answers {
        e.record(a);
    }
    (e.facts(), e.gaps())
}

fn key_scoped_404s() -> Vec<Answer> {
    let since = now();
    vec![
        Answer::Key(cite(None)),
        absent(
            Query::RequestLogs {
                key_id: "key_x".into(),
                since,
            },
            "GET /v1/keys/key_x/request-logs",
        ),
        absent(
            Query::AuditEvents {
                key_id: "key_x".into(),
                since,
            },
            "GET /v1/keys/key_x/audit-events",
        ),
        absent(
            Query::Usage {
                key_id: "key_x".into(),
            },
            "GET /v1/keys/key_x/usage",
        ),
    ]
}

#[test]
fn missing_key_on_a_proven_api_is_the_fact_not_found() {
    let mut answers = key_scoped_404s();
    answers.push(healthy());
    let (f, gaps) = replay(answers);
    assert_eq!(value(&f, "key.status").as_deref(), Some("not_found"));
    // No logs for a key that does not exist, and the rest is not applicable: no gaps.
    assert_eq!(value(&f, "failures.total").as_deref(), Some("0"));
    assert_eq!(value(&f, "failures.top_reason").as_deref(), Some("none"));
    assert!(gaps.is_empty(), "{gaps:?}");
}

#[test]
fn a_404_for_the_key_without_health_is_a_misconfigured_api_not_a_missing_key() {
    let (f, gaps) = replay(key_scoped_404s());
    assert_eq!(f.get("key.status"), None);
    assert_eq!(f.get("failures.total"), None);
    let labels: Vec<_> = gaps.iter().map(|(w, _)| *w).collect();
    assert_eq!(
        labels,
        ["key status", "request logs", "audit events", "usage"]
    );
    for (what, why) in &gaps {
        assert!(why.starts_with("admin API misconfigured"), "{what}: {why}");
        assert!(why.contains("[admin] url"), "{what}: {why}");
    }
}

#[test]
fn unknown_enum_values_are_kept_as_other() {
    let json = r#"{"id":"key_x","customer_id":"cus_1","environment":"live",
        "status":"suspended_for_review","created_at":"2026-01-01T00:00:00Z",
        "credential":{"header":"X-API-Key"},"allowed_ips":["192.0.2.200","2001:db8::1","10.0.0.0/8"],
        "scopes":["orders:read"],"rate_limit":{"limit":10,"window_s":60}}"#;
    let k: Key = serde_json::from_str(json).unwrap();
    assert_eq!(k.status, KeyStatus::Other("suspended_for_review".into()));
    let shown: Vec<String> = k.allowed_ips.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["192.0.2.200/32", "2001:db8::1/128", "10.0.0.0/8"]);
    let f = facts(
        &intake(&[("key_id", "key_x"), ("client_ip", "192.0.2.200")]),
        &[Answer::Key(cite(Some(k))), healthy()],
        now(),
    );
    assert_eq!(
        value(&f, "key.status").as_deref(),
        Some("other: suspended_for_review")
    );
    assert_eq!(value(&f, "ip.allowed").as_deref(), Some("true"));

    let log: RequestLog = serde_json::from_str(
        r#"{"at":"2026-11-22T09:58:00Z","request_id":"r","method":"GET","path":"/v1/x",
            "status":401,"reason":"mtls_required","client_ip":"192.0.2.1","decided_by":"gateway"}"#,
    )
    .unwrap();
    assert_eq!(log.reason, Some(ReasonCode::Other("mtls_required".into())));
    let event: AuditEvent = serde_json::from_str(
        r#"{"id":"e","at":"2026-11-22T09:58:00Z","actor":"a","action":"key.renamed"}"#,
    )
    .unwrap();
    assert_eq!(event.action, AuditAction::Other("key.renamed".into()));
    // Written back as sent, so the demo API serves what it was given.
    assert_eq!(
        serde_json::to_string(&event.action).unwrap(),
        "\"key.renamed\""
    );
    let mut d = FailureDigest::default();
    d.add_page(&[log]);
    assert_eq!(d.top_reason(), "other: mtls_required");
}

#[test]
fn an_allowlist_entry_that_is_no_address_still_fails_the_answer() {
    let json = r#"{"id":"k","customer_id":"c","environment":"live","status":"active",
        "created_at":"2026-01-01T00:00:00Z","credential":{"header":"X-API-Key"},
        "allowed_ips":["10.0.0.300"],"scopes":[],"rate_limit":{"limit":1,"window_s":1}}"#;
    let err = serde_json::from_str::<Key>(json).unwrap_err().to_string();
    assert!(err.contains("10.0.0.300"), "{err}");
}

#[test]
fn a_key_fingerprint_becomes_a_fact_and_one_in_an_unknown_form_is_left_out() {
    let json = |fp: &str| {
        format!(
            r#"{{"id":"k","customer_id":"c","environment":"live","status":"active",
            "created_at":"2026-01-01T00:00:00Z","credential":{{"header":"X-API-Key"}},
            "allowed_ips":[],"scopes":[],"rate_limit":{{"limit":1,"window_s":1}}{fp}}}"#
        )
    };
    let fact_of = |fp: &str| {
        let k: Key = serde_json::from_str(&json(fp)).unwrap();
        let f = facts(
            &intake(&[("key_id", "k")]),
            &[Answer::Key(cite(Some(k)))],
            now(),
        );
        value(&f, "key.fingerprint")
    };
    let want = Some("sha256:d71a79887d2f".to_string());
    assert_eq!(fact_of(r#","fingerprint":"sha256:d71a79887d2f""#), want);
    assert_eq!(fact_of(r#","fingerprint":"D71A79887D2F""#), want);
    assert_eq!(fact_of(r#","fingerprint":"md5:0cc175b9c0f1""#), None);
    assert_eq!(fact_of(r#","fingerprint":null"#), None);
    assert_eq!(fact_of(""), None);
}

#[test]
fn revoked_key_facts_cite_the_request_id() {
    let k = key(&[], &["orders:read"]);
    let f = facts(
        &intake(&[("key_id", "key_x")]),
        &[Answer::Key(cite(Some(k)))],
        now(),
    );
    assert_eq!(value(&f, "key.status").as_deref(), Some("revoked"));
    assert_eq!(
        value(&f, "key.revoked_by").as_deref(),
        Some("ops@example.com")
    );
    let evidence = f.get("key.revoked_at").unwrap().evidence.clone().unwrap();
    assert!(evidence.contains("request id req-1"), "{evidence}");
    assert_eq!(f.get("key.status").unwrap().source, FactSource::AdminApi);
    // The owner fills a missing customer id, saying where it came from.
    assert_eq!(value(&f, "customer_id").as_deref(), Some("cus_1"));
    // No allowlist: every address is allowed, even one nobody knows yet.
    assert_eq!(value(&f, "ip.allowed").as_deref(), Some("true"));
    assert!(f.get("key.accepted_scheme").is_none());
}

#[test]
fn answers_that_say_nothing_still_set_their_facts() {
    let f = facts(
        &intake(&[("key_id", "key_x")]),
        &[
            Answer::RequestLogs(cite(FailureDigest::default())),
            Answer::AuditEvents(cite(AuditDigest::default())),
            Answer::Usage(cite(Usage {
                key_id: "key_x".into(),
                windows: vec![],
                quota: None,
            })),
        ],
        now(),
    );
    for (name, want) in [
        ("failures.top_reason", "none"),
        ("failures.total", "0"),
        ("failures.anomaly", "false"),
        ("failures.upstream_decided", "false"),
        ("audit.permission_changed", "false"),
        ("audit.ip_rules_changed", "false"),
        ("usage.rate_exhausted", "false"),
        ("usage.quota_exhausted", "false"),
    ] {
        assert_eq!(value(&f, name).as_deref(), Some(want), "{name}");
    }
    assert!(f.get("client_ip").is_none());
}

#[test]
fn cut_short_audit_trail_leaves_absence_unknown() {
    let d = AuditDigest {
        truncated: true,
        ..AuditDigest::default()
    };
    let f = facts(
        &intake(&[("key_id", "key_x")]),
        &[Answer::AuditEvents(cite(d))],
        now(),
    );
    assert!(f.get("audit.permission_changed").is_none());
    assert!(f.get("audit.ip_rules_changed").is_none());
}

#[test]
fn refused_ip_from_the_logs_names_the_nearest_range() {
    let mut logs = FailureDigest::default();
    logs.add_page(&[failing(
        "/v1/orders",
        "203.0.114.9",
        ReasonCode::IpNotAllowed,
    )]);
    let k = key(&["10.0.0.0/8", "203.0.113.0/24"], &["orders:read"]);
    let f = facts(
        &intake(&[("key_id", "key_x")]),
        &[Answer::RequestLogs(cite(logs)), Answer::Key(cite(Some(k)))],
        now(),
    );
    assert_eq!(value(&f, "ip.allowed").as_deref(), Some("false"));
    assert_eq!(
        value(&f, "ip.nearest_miss").as_deref(),
        Some("203.0.113.0/24")
    );
    let ip = f.get("client_ip").unwrap();
    assert_eq!(ip.value.to_string(), "203.0.114.9");
    assert!(
        ip.evidence
            .as_deref()
            .unwrap()
            .contains("not given at intake")
    );
    assert_eq!(value(&f, "endpoint").as_deref(), Some("/v1/orders"));
    assert_eq!(value(&f, "method").as_deref(), Some("POST"));
}

#[test]
fn intake_ip_wins_over_the_logged_one() {
    let mut logs = FailureDigest::default();
    logs.add_page(&[failing(
        "/v1/orders",
        "203.0.114.9",
        ReasonCode::IpNotAllowed,
    )]);
    let k = key(&["203.0.113.0/24"], &[]);
    let f = facts(
        &intake(&[("key_id", "key_x"), ("client_ip", "203.0.113.5")]),
        &[Answer::RequestLogs(cite(logs)), Answer::Key(cite(Some(k)))],
        now(),
    );
    assert_eq!(value(&f, "ip.allowed").as_deref(), Some("true"));
    assert_eq!(
        value(&f, "ip.matched_range").as_deref(),
        Some("203.0.113.0/24")
    );
    assert!(
        f.get("client_ip").is_none(),
        "intake facts are not restated"
    );
}

#[test]
fn an_internal_intake_ip_gives_way_to_the_address_the_gateway_logged() {
    // "Our IP is 10.0.4.17": the pod's own address, which the gateway never sees.
    let mut logs = FailureDigest::default();
    logs.add_page(&[failing(
        "/v1/orders",
        "198.51.100.23",
        ReasonCode::IpNotAllowed,
    )]);
    let k = key(&["203.0.113.0/24", "198.51.100.128/25"], &[]);
    let f = facts(
        &intake(&[("key_id", "key_x"), ("client_ip", "10.0.4.17")]),
        &[Answer::RequestLogs(cite(logs)), Answer::Key(cite(Some(k)))],
        now(),
    );
    assert_eq!(value(&f, "ip.allowed").as_deref(), Some("false"));
    let ip = f.get("client_ip").unwrap();
    assert_eq!(ip.value.to_string(), "198.51.100.23");
    assert!(
        ip.evidence
            .as_deref()
            .unwrap()
            .contains("10.0.4.17, given at intake, is an internal address"),
        "{:?}",
        ip.evidence
    );
}

#[test]
fn an_internal_intake_ip_without_logs_is_not_judged() {
    let k = key(&["203.0.113.0/24"], &[]);
    let f = facts(
        &intake(&[("key_id", "key_x"), ("client_ip", "192.168.1.20")]),
        &[Answer::Key(cite(Some(k)))],
        now(),
    );
    assert!(f.get("ip.allowed").is_none(), "{:?}", f.get("ip.allowed"));
}

#[test]
fn missing_scopes_are_named() {
    let k = key(&[], &["orders:*", "refunds:read"]);
    let route = EndpointRoute {
        method: "POST".into(),
        route: "/v1/refunds".into(),
        required_scopes: vec!["refunds:write".into(), "orders:read".into()],
    };
    let f = facts(
        &intake(&[("key_id", "key_x")]),
        &[
            Answer::Key(cite(Some(k))),
            Answer::Endpoint(cite(Some(route))),
        ],
        now(),
    );
    assert_eq!(value(&f, "scopes.sufficient").as_deref(), Some("false"));
    assert_eq!(
        value(&f, "scopes.missing").as_deref(),
        Some("refunds:write")
    );
}

#[test]
fn exhausted_window_and_quota_are_flagged() {
    let t: DateTime<Utc> = "2026-11-22T10:01:00Z".parse().unwrap();
    let usage = Usage {
        key_id: "key_x".into(),
        windows: vec![
            UsageWindow {
                window_s: 1,
                limit: 10,
                used: 3,
                remaining: 7,
                resets_at: t,
            },
            UsageWindow {
                window_s: 60,
                limit: 100,
                used: 100,
                remaining: 0,
                resets_at: t,
            },
        ],
        quota: Some(QuotaUsage {
            period: "month".into(),
            limit: 1000,
            used: 1000,
            remaining: 0,
            resets_at: t,
        }),
    };
    let f = facts(&Intake::default(), &[Answer::Usage(cite(usage))], now());
    assert_eq!(value(&f, "usage.rate_exhausted").as_deref(), Some("true"));
    assert_eq!(value(&f, "usage.rate_limit").as_deref(), Some("10"));
    assert_eq!(value(&f, "usage.quota_exhausted").as_deref(), Some("true"));
}

#[test]
fn permission_change_carries_who_and_the_change() {
    let mut d = AuditDigest::default();
    d.add_page(&[AuditEvent {
        id: "evt_9".into(),
        at: "2026-11-20T09:00:00Z".parse().unwrap(),
        actor: "admin@customer.example".into(),
        action: AuditAction::RoleChanged,
        before: Some(serde_json::json!("developer")),
        after: Some(serde_json::json!("viewer")),
    }]);
    let f = facts(&Intake::default(), &[Answer::AuditEvents(cite(d))], now());
    assert_eq!(
        value(&f, "audit.permission_changed").as_deref(),
        Some("true")
    );
    assert_eq!(
        value(&f, "audit.role_changed_by").as_deref(),
        Some("admin@customer.example")
    );
    let e = f
        .get("audit.role_changed_at")
        .unwrap()
        .evidence
        .clone()
        .unwrap();
    assert!(e.contains("\"developer\" → \"viewer\""), "{e}");
}

#[test]
fn platform_answers_become_incident_facts() {
    let health = Health {
        status: HealthStatus::Degraded,
        auth_latency_ms: Latency {
            p50: 40.0,
            p99: 240.0,
        },
        cell: Some("us-2".into()),
        checked_at: now(),
    };
    let summary = FailureSummary {
        window_s: 900,
        cell: None,
        customers_affected: 4,
        customers: vec![],
    };
    let f = facts(
        &Intake::default(),
        &[
            Answer::Health(cite(health)),
            Answer::FailureSummary(cite(summary)),
        ],
        now(),
    );
    assert_eq!(
        value(&f, "health.auth_latency_p99_ms").as_deref(),
        Some("240")
    );
    assert_eq!(
        value(&f, "incident.customers_affected").as_deref(),
        Some("4")
    );
    let e = f.get("health.status").unwrap().evidence.clone().unwrap();
    assert!(e.starts_with("cell us-2"), "{e}");
}

#[test]
fn evidence_asks_the_owner_and_the_logged_route_once() {
    let mut ev = Evidence::new(intake(&[("key_id", "key_x")]), now());
    let first = ev.initial_queries();
    assert!(!first.iter().any(|q| matches!(q, Query::Customer { .. })));
    let next = ev.record(Answer::Key(cite(Some(key(&[], &[])))));
    assert_eq!(
        next,
        [Query::Customer {
            customer_id: "cus_1".into()
        }]
    );
    let mut logs = FailureDigest::default();
    logs.add_page(&[failing(
        "/v1/refunds",
        "192.0.2.1",
        ReasonCode::InsufficientScope,
    )]);
    let next = ev.record(Answer::RequestLogs(cite(logs.clone())));
    assert_eq!(
        next,
        [Query::Endpoint {
            method: "POST".into(),
            path: "/v1/refunds".into()
        }]
    );
    assert!(ev.record(Answer::RequestLogs(cite(logs))).is_empty());
}
