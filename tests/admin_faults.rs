//! How gathering degrades when the admin API misbehaves: each injected fault, over real
//! loopback HTTP, gives a readable reason per query and no facts from it, never a panic.

use authdesk::admin::demo::{
    DemoData, DemoOptions, DemoServer, Fault, FaultKind, RETRY_AFTER_S, Received,
};
use authdesk::admin::{AdminClient, AdminToken, Connection, Gathered, MAX_TRIES};
use authdesk::facts::{FactSource, Facts};
use chrono::Utc;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

/// The key-status call of every gather here.
const KEY_CALL: &str = "/v1/keys/key_revoked";

const TIMEOUT: Duration = Duration::from_millis(300);

fn intake(key_id: &str) -> Facts {
    let mut f = Facts::new();
    f.insert_text("key_id", key_id, FactSource::Intake, Utc::now())
        .unwrap();
    f
}

/// Starts the demo API with `fault` on every request and gathers the evidence for a key;
/// returns what was gathered and the requests the server received.
async fn gather_with(fault: Option<FaultKind>) -> (Gathered, Vec<Received>) {
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
    let gathered = Connection::to(client)
        .gather_all(&intake("key_revoked"), Utc::now())
        .await;
    (gathered, server.received())
}

/// When the server received each try of the call to `target`, after checking that every try
/// was the same call (one `X-Request-Id`).
fn tries(received: &[Received], target: &str) -> Vec<Instant> {
    let tries: Vec<&Received> = received.iter().filter(|r| r.target == target).collect();
    assert!(!tries.is_empty(), "{target} never requested: {received:#?}");
    assert!(
        tries
            .iter()
            .all(|r| r.request_id.is_some() && r.request_id == tries[0].request_id),
        "tries of one call with different request ids: {tries:#?}"
    );
    tries.iter().map(|r| r.at).collect()
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
    let (g, received) = gather_with(Some(FaultKind::Latency)).await;
    assert_degraded(&g, "timed out after 0.3 s");
    assert_eq!(tries(&received, KEY_CALL).len(), MAX_TRIES as usize);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (g, received) = gather_with(Some(FaultKind::ServerError)).await;
    assert_degraded(&g, "the admin API failed: 500 Internal error");
    assert_eq!(tries(&received, KEY_CALL).len(), MAX_TRIES as usize);
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after_between_tries() {
    let (g, received) = gather_with(Some(FaultKind::RateLimited)).await;
    assert_degraded(&g, "rate limiting authdesk; retry after 1 s");
    let at = tries(&received, KEY_CALL);
    assert_eq!(at.len(), MAX_TRIES as usize);
    // The server saw each try at least `Retry-After` after the one before.
    for pair in at.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_secs(RETRY_AFTER_S),
            "tried again after {gap:?}"
        );
    }
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
    let (g, received) = gather_with(Some(FaultKind::RejectToken)).await;
    assert_degraded(
        &g,
        "rejected authdesk's admin token (401 Admin token rejected)",
    );
    assert_eq!(tries(&received, KEY_CALL).len(), 1, "retried a 401");
    let mut ids: Vec<_> = received.iter().map(|r| r.request_id.clone()).collect();
    let calls = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), calls, "some call was retried: {received:#?}");
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
