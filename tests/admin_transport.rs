//! What the admin-API client refuses to do and how it names it, over real loopback HTTP:
//! bodies that never end, redirects in a circle, a Referer nobody asked for, and a base URL
//! that points at the wrong path.

use authdesk::admin::demo::{DemoData, DemoOptions, DemoServer, Fault, FaultKind};
use authdesk::admin::{AdminClient, AdminToken, Connection, Gathered, Limits};
use authdesk::facts::{FactSource, Facts};
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Utc;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

async fn demo(fault: Option<FaultKind>) -> DemoServer {
    let options = DemoOptions {
        fault: fault.map(|kind| Fault { kind, rate: 1.0 }),
        ..DemoOptions::default()
    };
    DemoServer::start(loopback(), DemoData::built_in(Utc::now()).unwrap(), options)
        .await
        .unwrap()
}

async fn gather(base: &str, limits: Limits, timeout: Duration) -> (Gathered, Duration) {
    let client =
        AdminClient::with_limits(base, AdminToken::random(), timeout, timeout, limits).unwrap();
    let mut intake = Facts::new();
    intake
        .insert_text("key_id", "key_revoked", FactSource::Intake, Utc::now())
        .unwrap();
    let started = Instant::now();
    let g = Connection::to(client).gather_all(&intake, Utc::now()).await;
    (g, started.elapsed())
}

fn reason<'g>(g: &'g Gathered, what: &str) -> &'g str {
    g.unavailable.iter().find(|(w, _)| w == what).map_or_else(
        || panic!("{what} not reported: {:?}", g.unavailable),
        |(_, r)| r,
    )
}

#[tokio::test]
async fn an_endless_body_stops_at_max_body_bytes() {
    let server = demo(Some(FaultKind::EndlessBody)).await;
    let limits = Limits {
        max_body_bytes: 1 << 20,
        ..Limits::default()
    };
    // A timeout far longer than reading 1 MiB over loopback: the cap must be what stops it.
    let (g, took) = gather(&server.url(), limits, Duration::from_secs(20)).await;
    assert!(g.facts.is_empty(), "{:?}", g.facts);
    for what in ["key status", "request logs", "usage", "platform health"] {
        let why = reason(&g, what);
        assert!(
            why.contains("larger than 1048576 bytes") && why.contains("max_body_bytes"),
            "{what}: {why}"
        );
    }
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[tokio::test]
async fn a_redirect_loop_is_named_and_not_retried() {
    let server = demo(Some(FaultKind::RedirectLoop)).await;
    let (g, took) = gather(&server.url(), Limits::default(), Duration::from_secs(5)).await;
    assert!(g.facts.is_empty(), "{:?}", g.facts);
    let why = reason(&g, "key status");
    assert!(why.contains("a redirect loop"), "{why}");
    assert!(why.contains("/v1/keys/key_revoked"), "{why}");
    assert!(!why.contains("dropped"), "{why}");
    // No retries with backoff: one chain of two requests per query.
    assert!(took < Duration::from_secs(1), "{took:?}");
}

/// A server that redirects `/v1/hop` to `/v1/echo` (or, for `/v1/far`, to an `http://` host
/// off this machine) and answers with the headers the echo saw.
async fn echo_server() -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/v1/hop",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/v1/echo")]) }),
        )
        .route(
            "/v1/far",
            // TEST-NET-1: never reached, the redirect is refused first.
            get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "http://192.0.2.1/v1/echo")],
                )
            }),
        )
        .route(
            "/v1/chain/{n}",
            get(
                |axum::extract::Path(n): axum::extract::Path<u32>| async move {
                    let next = format!("/v1/chain/{}", n + 1);
                    (StatusCode::FOUND, [(header::LOCATION, next)])
                },
            ),
        )
        .route(
            "/v1/echo",
            get(|headers: HeaderMap| async move {
                let seen = |name: header::HeaderName| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(String::from)
                };
                axum::Json(serde_json::json!({
                    "referer": seen(header::REFERER),
                    "authorization": seen(header::AUTHORIZATION).is_some(),
                }))
            }),
        );
    let listener = tokio::net::TcpListener::bind(loopback()).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

#[tokio::test]
async fn redirects_carry_no_referer() {
    let (url, task) = echo_server().await;
    let client = AdminClient::new(
        &url,
        AdminToken::random(),
        Duration::from_secs(2),
        Duration::from_secs(2),
    )
    .unwrap();
    let seen = client
        .get::<serde_json::Value>("v1/hop", &[])
        .await
        .unwrap();
    assert_eq!(
        seen.body["referer"],
        serde_json::Value::Null,
        "{}",
        seen.body
    );
    assert_eq!(seen.body["authorization"], true, "{}", seen.body);
    task.abort();
}

#[tokio::test]
async fn a_redirect_to_plain_http_off_this_machine_is_refused() {
    let (url, task) = echo_server().await;
    let client = AdminClient::new(
        &url,
        AdminToken::random(),
        Duration::from_secs(2),
        Duration::from_secs(2),
    )
    .unwrap();
    let err = client
        .get::<serde_json::Value>("v1/far", &[])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("http://192.0.2.1/v1/echo") && err.contains("allow_insecure_http"),
        "{err}"
    );
    task.abort();
}

#[tokio::test]
async fn an_endless_chain_of_redirects_stops_after_a_few() {
    let (url, task) = echo_server().await;
    let client = AdminClient::new(
        &url,
        AdminToken::random(),
        Duration::from_secs(2),
        Duration::from_secs(2),
    )
    .unwrap();
    let err = client
        .get::<serde_json::Value>("v1/chain/0", &[])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than 5 redirects"), "{err}");
    task.abort();
}

#[tokio::test]
async fn a_wrong_base_path_is_a_misconfigured_api_not_a_missing_key() {
    let server = demo(None).await;
    let wrong = format!("{}/admin-api", server.url());
    let (g, _) = gather(&wrong, Limits::default(), Duration::from_secs(5)).await;
    assert_eq!(g.facts.get("key.status"), None, "{:?}", g.facts);
    let why = reason(&g, "key status");
    assert!(why.starts_with("admin API misconfigured"), "{why}");
    assert!(why.contains("GET /v1/keys/key_revoked"), "{why}");
}

#[tokio::test]
async fn a_missing_key_on_the_right_api_leaves_nothing_unavailable() {
    let server = demo(None).await;
    let client = AdminClient::new(
        &server.url(),
        AdminToken::random(),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .unwrap();
    let mut intake = Facts::new();
    intake
        .insert_text(
            "key_id",
            "key_nobody_issued",
            FactSource::Intake,
            Utc::now(),
        )
        .unwrap();
    let g = Connection::to(client).gather_all(&intake, Utc::now()).await;
    assert_eq!(
        g.facts.value("key.status").unwrap().to_string(),
        "not_found"
    );
    assert_eq!(g.facts.value("failures.total").unwrap().to_string(), "0");
    assert!(g.unavailable.is_empty(), "{:?}", g.unavailable);
}
