//! How gathering degrades when the admin API misbehaves: each injected fault, over real
//! loopback HTTP, gives a readable reason per query and no facts from it, never a panic.

use authdesk::admin::demo::{DemoData, DemoOptions, DemoServer, Fault, FaultKind};
use authdesk::admin::{AdminClient, AdminToken, Connection, Gathered, MAX_TRIES};
use authdesk::facts::{FactSource, Facts};
use chrono::Utc;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_millis(300);

fn intake(key_id: &str) -> Facts {
    let mut f = Facts::new();
    f.insert_text("key_id", key_id, FactSource::Intake, Utc::now())
        .unwrap();
    f
}

/// Starts the demo API with `fault` on every request and gathers the evidence for a key.
async fn gather_with(fault: Option<FaultKind>) -> (Gathered, Duration) {
    let token = "fault-test-token";
    let server = DemoServer::start(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        DemoData::built_in(Utc::now()).unwrap(),
        DemoOptions {
            fault: fault.map(|kind| Fault { kind, rate: 1.0 }),
            token: Some(token.into()),
            ..DemoOptions::default()
        },
    )
    .await
    .unwrap();
    let client = AdminClient::new(&server.url(), token_from(token), TIMEOUT, TIMEOUT).unwrap();
    let started = Instant::now();
    let gathered = Connection::to(client)
        .gather_all(&intake("key_revoked"), Utc::now())
        .await;
    (gathered, started.elapsed())
}

fn token_from(value: &str) -> AdminToken {
    let var = "AUTHDESK_TEST_TOKEN";
    let config = config(Some("http://unused".into()), var);
    AdminToken::load(&config, &|name| (name == var).then(|| value.to_string())).unwrap()
}

fn config(url: Option<String>, token_env: &str) -> authdesk::config::AdminConfig {
    use authdesk::config::{AdminConfig, Origin, Setting};
    fn set<T>(value: T) -> Setting<T> {
        Setting {
            value,
            origin: Origin::Default,
        }
    }
    AdminConfig {
        url: set(url.map(authdesk::config::AdminUrl::new)),
        token_env: set(token_env.to_string()),
        token_file: set(None),
        connect_timeout_ms: set(300),
        request_timeout_ms: set(300),
        allow_insecure_http: set(false),
        max_body_bytes: set(authdesk::config::DEFAULT_MAX_BODY_BYTES),
    }
}

/// Every query failed with a reason containing `want`, and no admin fact was set.
fn assert_degraded(g: &Gathered, want: &str) {
    assert!(g.facts.is_empty(), "facts despite the fault: {:?}", g.facts);
    let labels: Vec<&str> = g.unavailable.iter().map(|(w, _)| w.as_str()).collect();
    for what in [
        "key status",
        "request logs",
        "audit events",
        "usage",
        "platform health",
    ] {
        assert!(labels.contains(&what), "{what} not reported: {labels:?}");
    }
    for (what, why) in &g.unavailable {
        assert!(why.contains(want), "{what}: `{why}` does not say `{want}`");
    }
}

#[tokio::test]
async fn healthy_api_gathers_without_failures() {
    let (g, _) = gather_with(None).await;
    assert!(g.unavailable.is_empty(), "{:?}", g.unavailable);
    assert_eq!(g.facts.value("key.status").unwrap().to_string(), "revoked");
    assert_eq!(
        g.facts.value("customer.status").unwrap().to_string(),
        "active"
    );
}

#[tokio::test]
async fn slow_api_times_out_after_the_request_timeout() {
    let (g, took) = gather_with(Some(FaultKind::Latency)).await;
    assert_degraded(&g, "timed out after 0.3 s");
    // Three tries of 0.3 s each, with short backoffs, all queries at once.
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (g, _) = gather_with(Some(FaultKind::ServerError)).await;
    assert_degraded(&g, "the admin API failed: 500 Internal error");
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after_between_tries() {
    let (g, took) = gather_with(Some(FaultKind::RateLimited)).await;
    assert_degraded(&g, "rate limiting authdesk; retry after 1 s");
    // Honouring `Retry-After: 1` between each of the tries.
    let waited = Duration::from_secs(u64::from(MAX_TRIES - 1));
    assert!(
        took >= waited,
        "gave up after {took:?}, before {waited:?} of waiting"
    );
}

#[tokio::test]
async fn malformed_json_is_reported_with_the_call() {
    let (g, _) = gather_with(Some(FaultKind::MalformedJson)).await;
    assert_degraded(&g, "malformed answer to GET /v1/");
    let key = &g
        .unavailable
        .iter()
        .find(|(w, _)| w == "key status")
        .unwrap()
        .1;
    assert!(
        key.contains("GET /v1/keys/key_revoked") && key.contains("EOF"),
        "{key}"
    );
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named() {
    let (g, _) = gather_with(Some(FaultKind::BadField)).await;
    assert_degraded(&g, "malformed answer");
    let key = &g
        .unavailable
        .iter()
        .find(|(w, _)| w == "key status")
        .unwrap()
        .1;
    assert!(
        key.contains("`created_at` invalid type: integer `12345`"),
        "{key}"
    );
    let logs = &g
        .unavailable
        .iter()
        .find(|(w, _)| w == "request logs")
        .unwrap()
        .1;
    assert!(logs.contains("`items[0].at`"), "{logs}");
}

#[tokio::test]
async fn dropped_connections_are_reported() {
    let (g, _) = gather_with(Some(FaultKind::DropConnection)).await;
    assert_degraded(&g, "the connection dropped before the admin API answered");
}

#[tokio::test]
async fn a_rejected_admin_token_tells_the_agent_and_is_not_retried() {
    let (g, took) = gather_with(Some(FaultKind::RejectToken)).await;
    assert_degraded(
        &g,
        "rejected authdesk's admin token (401 Admin token rejected)",
    );
    assert!(took < Duration::from_millis(250), "retried a 401: {took:?}");
}

#[tokio::test]
async fn an_unreachable_api_is_named() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let client = AdminClient::new(&url, token_from("t"), TIMEOUT, TIMEOUT).unwrap();
    let g = Connection::to(client)
        .gather_all(&intake("key_revoked"), Utc::now())
        .await;
    assert_degraded(&g, &format!("the admin API at {url} is unreachable"));
}

#[test]
fn gather_blocking_without_a_token_says_how_to_set_one() {
    let config = config(
        Some("http://127.0.0.1:9".into()),
        "AUTHDESK_TEST_UNSET_TOKEN",
    );
    let g = authdesk::admin::gather_blocking(&config, &intake("key_revoked"), Utc::now());
    assert!(!g.demo);
    assert_eq!(g.unavailable.len(), 1);
    assert!(
        g.unavailable[0].1.contains("$AUTHDESK_TEST_UNSET_TOKEN"),
        "{:?}",
        g.unavailable
    );
}

#[test]
fn gather_blocking_without_a_url_uses_the_demo_api() {
    let config = config(None, "AUTHDESK_TEST_UNSET_TOKEN");
    let g = authdesk::admin::gather_blocking(&config, &intake("key_iplocked"), Utc::now());
    assert!(g.demo);
    assert!(g.unavailable.is_empty(), "{:?}", g.unavailable);
    assert_eq!(g.facts.value("ip.allowed").unwrap().to_string(), "false");
    let ip = g.facts.get("client_ip").unwrap();
    assert!(
        ip.evidence.as_deref().unwrap().contains("request id ad-"),
        "{ip:?}"
    );
}
