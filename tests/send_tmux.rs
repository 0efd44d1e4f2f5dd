//! Issue 11: `S` on the outcome screen files the saved ticket at the configured tracker, over
//! real loopback HTTP, and the outcome box shows where it went.

mod common;

use common::tmux::Pane;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "canary-tmux-cred-5e1d7c";
const ISSUE_URL: &str = "https://github.example/acme/support/issues/7";

/// A GitHub stand-in on loopback: answers every request with a created issue, and keeps what
/// it was sent (method, path, authorization).
struct Tracker {
    url: String,
    seen: Arc<Mutex<Vec<(String, String, String)>>>,
    _rt: tokio::runtime::Runtime,
}

impl Tracker {
    fn start() -> Tracker {
        use axum::http::{HeaderMap, Method, Uri};
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let seen: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
        let s = seen.clone();
        let handler = move |method: Method, uri: Uri, headers: HeaderMap| {
            let s = s.clone();
            async move {
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                s.lock()
                    .unwrap()
                    .push((method.to_string(), uri.path().to_string(), auth));
                (
                    axum::http::StatusCode::CREATED,
                    format!(r#"{{"number":7,"html_url":"{ISSUE_URL}"}}"#),
                )
            }
        };
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        rt.spawn(async move { axum::serve(listener, axum::Router::new().fallback(handler)).await });
        Tracker { url, seen, _rt: rt }
    }
}

#[test]
fn s_on_the_outcome_screen_files_the_ticket_and_shows_the_remote_url() {
    let tracker = Tracker::start();
    let p = Pane::new(120, 40);
    let config = p.sb.write(
        "authdesk.toml",
        &format!(
            "[[tracker]]\nname = \"gh\"\nkind = \"github\"\nurl = \"{}\"\nrepo = \"acme/support\"\ncredential = {{ env = \"TRACKER_TOKEN\" }}\n",
            tracker.url
        ),
    );
    let config = config.display().to_string();
    p.run(
        &["walk", "401", "--input", "customer_id=cus_1003"],
        &[("AUTHDESK_CONFIG", &config), ("TRACKER_TOKEN", TOKEN)],
    );
    p.wait_for("Intake");
    p.text("key_revoked");
    p.keys(&["C-s"]);
    p.wait_walking();
    p.answer_until(
        &[("┌ Platform incident? ", "5"), ("┌ Key status? ", "2")],
        "Ticket preview",
    );
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    p.keys(&["S"]);
    let screen = p.wait_for(ISSUE_URL);
    assert!(screen.contains("✓ sent"), "{screen}");
    assert!(!screen.contains(TOKEN), "{screen}");
    let seen = tracker.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        (seen[0].0.as_str(), seen[0].1.as_str()),
        ("POST", "/repos/acme/support/issues")
    );
    assert_eq!(seen[0].2, format!("Bearer {TOKEN}"));
    // The send is recorded: a second S comments on the same issue instead of filing another.
    p.keys(&["S"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tracker.seen.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let seen = tracker.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].1, "/repos/acme/support/issues/7/comments");
    for (path, text) in p.sb.all_files() {
        assert!(!text.contains(TOKEN), "{}", path.display());
    }
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}
