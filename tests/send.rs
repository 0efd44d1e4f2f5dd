//! `authdesk send` against a loopback server per target: method, path, the credential where
//! each vendor takes it, the body; the second send; every failure; the pending queue; and a
//! canary credential that must never show up in output or files.

mod common;
use common::{Output, Sandbox};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CANARY: &str = "canary-cred-7f3e9a1b2c4d5e6f";

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: serde_json::Value,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Reply = (u16, Vec<(&'static str, String)>, String);

/// A loopback HTTP server answering from a script, recording every request.
struct Loopback {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    _rt: tokio::runtime::Runtime,
}

impl Loopback {
    fn start() -> Self {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, Method, Uri};
        use axum::response::IntoResponse;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let replies: Arc<Mutex<VecDeque<Reply>>> = Arc::default();
        let (s, r) = (seen.clone(), replies.clone());
        let handler = move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (s, r) = (s.clone(), r.clone());
            async move {
                s.lock().unwrap().push(Seen {
                    method: method.to_string(),
                    path: uri.path().to_string(),
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                        .collect(),
                    body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
                });
                let (status, headers, body) = r.lock().unwrap().pop_front().unwrap_or((
                    500,
                    vec![],
                    "no reply scripted".into(),
                ));
                let mut resp =
                    (axum::http::StatusCode::from_u16(status).unwrap(), body).into_response();
                for (k, v) in headers {
                    resp.headers_mut().insert(k, v.parse().unwrap());
                }
                resp
            }
        };
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(handler);
        rt.spawn(async move { axum::serve(listener, app).await });
        Loopback {
            url,
            seen,
            replies,
            _rt: rt,
        }
    }

    fn reply(&self, status: u16, headers: &[(&'static str, &str)], body: &str) -> &Self {
        self.replies.lock().unwrap().push_back((
            status,
            headers.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            body.to_string(),
        ));
        self
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A sandbox with one escalation ticket (validation down, critical) and a config of
/// `trackers`; returns it with the ticket id.
fn desk(trackers: &str) -> (Sandbox, String) {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--input",
        "customer_id=cus_1001",
        "--input",
        "key_id=key_42",
        "--answer",
        "ask-wider-incident=validation-down",
    ]);
    assert_eq!(out.code, 10, "{}", out.stderr);
    let id = sb.tickets()[0].1["id"].as_str().unwrap().to_string();
    sb.write("authdesk.toml", trackers);
    (sb, id)
}

fn send(sb: &Sandbox, args: &[&str]) -> Output {
    let config = sb.path().join("authdesk.toml");
    let mut cmd = sb.cmd();
    cmd.arg("--config").arg(&config).arg("send").args(args);
    cmd.env("TRACKER_TOKEN", CANARY);
    let out = sb.run_cmd(&mut cmd);
    assert_no_canary(sb, &out);
    out
}

fn assert_no_canary(sb: &Sandbox, out: &Output) {
    assert!(!out.stdout.contains(CANARY), "stdout: {}", out.stdout);
    assert!(!out.stderr.contains(CANARY), "stderr: {}", out.stderr);
    for (path, text) in sb.all_files() {
        assert!(!text.contains(CANARY), "{}", path.display());
    }
}

fn tracker(name: &str, kind: &str, url: &str, extra: &str) -> String {
    format!(
        "[[tracker]]\nname = \"{name}\"\nkind = \"{kind}\"\nurl = \"{url}\"\n{extra}\ncredential = {{ env = \"TRACKER_TOKEN\" }}\n"
    )
}

#[test]
fn github_files_once_then_comments_and_records_the_remote() {
    let srv = Loopback::start();
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        &srv.url,
        "repo = \"acme/support\"",
    ));
    srv.reply(
        201,
        &[],
        r#"{"number":7,"html_url":"https://github.example/acme/support/issues/7"}"#,
    );
    let out = send(&sb, &[&id, "--to", "gh"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("filed at gh: https://github.example/acme/support/issues/7"),
        "{}",
        out.stdout
    );
    let first = &srv.seen()[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("POST", "/repos/acme/support/issues")
    );
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {CANARY}").as_str())
    );
    assert_eq!(first.header("x-github-api-version"), Some("2022-11-28"));
    assert!(first.header("referer").is_none());
    assert!(
        first.body["title"]
            .as_str()
            .unwrap()
            .starts_with(&format!("[{id}]"))
    );

    srv.reply(201, &[], r#"{"id":1}"#);
    let again = send(&sb, &[&id, "--to", "gh"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains("commented at gh: https://github.example/acme/support/issues/7"),
        "{}",
        again.stdout
    );
    assert_eq!(srv.seen()[1].path, "/repos/acme/support/issues/7/comments");
    let record = sb.data_dir().join("sent").join(&id).join("gh.json");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(record["state"], "sent");
    assert_eq!(record["remote"]["id"], "7");
    assert_eq!(record["log"].as_array().unwrap().len(), 2);
}

#[test]
fn each_vendor_gets_its_credential_where_it_takes_it() {
    use base64::Engine;
    let srv = Loopback::start();
    let cfg = [
        tracker(
            "jira",
            "jira",
            &srv.url,
            "project = \"SUP\"\nemail = \"bot@acme.example\"",
        ),
        tracker("gl", "gitlab", &srv.url, "project = \"acme/support\""),
        tracker("lin", "linear", &srv.url, "team = \"team-1\""),
        tracker("zd", "zendesk", &srv.url, "email = \"bot@acme.example\""),
        tracker("pd", "pagerduty", &srv.url, "min_severity = \"high\""),
    ]
    .concat();
    let (sb, id) = desk(&cfg);
    srv.reply(201, &[], r#"{"id":"10000","key":"SUP-24","self":"x"}"#)
        .reply(201, &[], r#"{"iid":3,"web_url":"https://gl.example/acme/support/-/issues/3"}"#)
        .reply(200, &[], r#"{"data":{"issueCreate":{"success":true,"issue":{"id":"u","identifier":"ENG-1","url":"https://linear.example/ENG-1"}}}}"#)
        .reply(201, &[], r#"{"ticket":{"id":35436}}"#)
        .reply(202, &[], r#"{"status":"success","message":"Event processed","dedup_key":"k"}"#);
    for to in ["jira", "gl", "lin", "zd", "pd"] {
        let out = send(&sb, &[&id, "--to", to]);
        assert_eq!(out.code, 0, "{to}: {}", out.stderr);
    }
    let seen = srv.seen();
    let basic = |u: &str| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{CANARY}"))
        )
    };
    assert_eq!(seen[0].path, "/rest/api/3/issue");
    assert_eq!(
        seen[0].header("authorization"),
        Some(basic("bot@acme.example").as_str())
    );
    assert_eq!(seen[0].body["fields"]["description"]["type"], "doc");
    assert_eq!(seen[1].path, "/api/v4/projects/acme%2Fsupport/issues");
    assert_eq!(seen[1].header("private-token"), Some(CANARY));
    assert!(seen[1].header("authorization").is_none());
    assert_eq!(seen[2].path, "/graphql");
    assert_eq!(seen[2].header("authorization"), Some(CANARY));
    assert_eq!(seen[3].path, "/api/v2/tickets.json");
    assert_eq!(
        seen[3].header("authorization"),
        Some(basic("bot@acme.example/token").as_str())
    );
    assert_eq!(
        seen[3].header("idempotency-key"),
        Some(format!("authdesk-{id}-zd").as_str())
    );
    assert_eq!(seen[4].path, "/v2/enqueue");
    assert_eq!(seen[4].body["routing_key"], CANARY);
    assert_eq!(seen[4].body["dedup_key"], format!("authdesk-{id}"));
    assert!(seen[4].header("authorization").is_none());

    // Linear, Zendesk and PagerDuty have nothing to add a second time.
    for to in ["lin", "zd", "pd"] {
        let out = send(&sb, &[&id, "--to", to]);
        assert_eq!(out.code, 0, "{to}: {}", out.stderr);
        assert!(
            out.stdout.contains(&format!("already filed at {to}")),
            "{}",
            out.stdout
        );
    }
    assert_eq!(srv.seen().len(), 5);

    // The case resolved later: PagerDuty gets `resolve` with the same dedup key.
    srv.reply(202, &[], r#"{"status":"success","dedup_key":"k"}"#);
    let out = send(&sb, &[&id, "--to", "pd", "--resolve"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let resolve = &srv.seen()[5];
    assert_eq!(resolve.body["event_action"], "resolve");
    assert_eq!(resolve.body["dedup_key"], format!("authdesk-{id}"));
}

#[test]
fn slack_webhook_url_is_the_credential() {
    let srv = Loopback::start();
    let (sb, id) = desk(
        "[[tracker]]\nname = \"chat\"\nkind = \"slack\"\ncredential = { env = \"SLACK_HOOK\" }\n",
    );
    srv.reply(200, &[], "ok");
    let hook = format!("{}/services/T000/B000/{CANARY}", srv.url);
    let mut cmd = sb.cmd();
    cmd.arg("--config")
        .arg(sb.path().join("authdesk.toml"))
        .args(["send", &id, "--to", "chat"]);
    cmd.env("SLACK_HOOK", &hook);
    let out = sb.run_cmd(&mut cmd);
    assert_no_canary(&sb, &out);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(srv.seen()[0].path, format!("/services/T000/B000/{CANARY}"));
    assert_eq!(srv.seen()[0].body["blocks"][0]["type"], "header");
}

#[test]
fn dry_run_shows_the_request_with_the_credential_masked_and_sends_nothing() {
    let srv = Loopback::start();
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        &srv.url,
        "repo = \"acme/support\"",
    ));
    let out = send(&sb, &[&id, "--to", "gh", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("POST {}/repos/acme/support/issues\n", srv.url)),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Authorization: Bearer cana…5e6f"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("\"labels\""), "{}", out.stdout);
    assert!(srv.seen().is_empty());
}

/// Saves a case `id` in the sandbox's data folder that wrote these ticket files.
fn case_with_tickets(sb: &Sandbox, id: &str, files: Vec<std::path::PathBuf>) {
    let catalog = authdesk::runbook::Catalog::builtin();
    let rb = catalog.find("401").unwrap();
    let ref_ = authdesk::walk::RunbookRef::of(rb);
    let mut session = authdesk::session::Session::new(id.into(), ref_, "alice", common::now());
    session.ticket_files = files;
    session.save(&sb.data_dir()).unwrap();
}

#[test]
fn a_case_session_id_sends_the_ticket_it_saved_and_anything_else_says_why_not() {
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        "http://127.0.0.1:9",
        "repo = \"acme/support\"",
    ));
    let tickets = sb.tickets_dir();
    let saved = |name: &str, ext: &str| tickets.join(format!("{name}.{ext}"));
    case_with_tickets(
        &sb,
        "20261122-100000-abcd",
        vec![saved(&id, "md"), saved(&id, "json")],
    );
    let out = send(&sb, &["20261122-100000-abcd", "--to", "gh", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&format!("[{id}]")), "{}", out.stdout);

    // A case not finished yet has no ticket to send.
    case_with_tickets(&sb, "20261122-110000-0001", Vec::new());
    let out = send(&sb, &["20261122-110000-0001", "--to", "gh", "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "case 20261122-110000-0001 has no saved ticket yet: finish it (`authdesk resume \
             20261122-110000-0001`)"
        ),
        "{}",
        out.stderr
    );

    // Two tickets from one case: which one is meant is not guessed.
    case_with_tickets(
        &sb,
        "20261122-120000-0002",
        vec![saved(&id, "json"), saved("ESC-20261122-ffffff", "json")],
    );
    let out = send(&sb, &["20261122-120000-0002", "--to", "gh", "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains(&format!(
            "case 20261122-120000-0002 saved 2 tickets ({id}, ESC-20261122-ffffff): send one \
             of them by its ticket id"
        )),
        "{}",
        out.stderr
    );

    // A session id no case has.
    let out = send(&sb, &["20261122-130000-0003", "--to", "gh", "--dry-run"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("no ticket `20261122-130000-0003`, and no case with that session id"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_rejected_credential_names_the_target_and_what_to_check() {
    let srv = Loopback::start();
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        &srv.url,
        "repo = \"acme/support\"",
    ));
    srv.reply(
        401,
        &[],
        &format!(r#"{{"message":"Bad credentials {CANARY}"}}"#),
    );
    let out = send(&sb, &[&id, "--to", "gh"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("gh rejected the credential (401): check that the token is valid"),
        "{}",
        out.stderr
    );
}

#[test]
fn field_errors_are_shown_field_by_field() {
    let srv = Loopback::start();
    let (sb, id) = desk(&tracker(
        "jira",
        "jira",
        &srv.url,
        "project = \"SUP\"\nemail = \"bot@acme.example\"",
    ));
    srv.reply(400, &[], r#"{"errorMessages":[],"errors":{"priority":"Priority name 'Highest' is not valid","components":"Component name 'Auth' is not valid"}}"#);
    let out = send(&sb, &[&id, "--to", "jira"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("\n  priority: Priority name 'Highest' is not valid"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\n  components: Component name"),
        "{}",
        out.stderr
    );
}

#[test]
fn rate_limits_are_waited_out_as_retry_after_says() {
    let srv = Loopback::start();
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        &srv.url,
        "repo = \"acme/support\"",
    ));
    srv.reply(429, &[("retry-after", "1")], r#"{"message":"slow down"}"#)
        .reply(
            201,
            &[],
            r#"{"number":8,"html_url":"https://github.example/i/8"}"#,
        );
    let start = Instant::now();
    let out = send(&sb, &[&id, "--to", "gh"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(srv.seen().len(), 2);
    assert!(
        out.stdout
            .contains("filed at gh: https://github.example/i/8"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unreachable_target_leaves_the_ticket_pending_until_send_pending() {
    let srv = Loopback::start();
    // A port nothing listens on: bound, then closed.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let (sb, id) = desk(&tracker(
        "gh",
        "github",
        &dead_url,
        "repo = \"acme/support\"",
    ));
    let out = send(&sb, &[&id, "--to", "gh"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("not sent to gh: gh is unreachable"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("authdesk send --pending"),
        "{}",
        out.stderr
    );

    // Still down: still pending.
    let out = send(&sb, &["--pending"]);
    assert_eq!(out.code, 4, "{}", out.stderr);

    // The target is back (here: at its new address).
    sb.write(
        "authdesk.toml",
        &tracker("gh", "github", &srv.url, "repo = \"acme/support\""),
    );
    srv.reply(
        201,
        &[],
        r#"{"number":9,"html_url":"https://github.example/i/9"}"#,
    );
    let out = send(&sb, &["--pending"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("filed at gh: https://github.example/i/9"),
        "{}",
        out.stdout
    );
    let out = send(&sb, &["--pending"]);
    assert_eq!((out.code, out.stdout.trim()), (0, "nothing pending"));
    assert_eq!(srv.seen().len(), 1);
}

#[test]
fn a_bad_tracker_table_is_refused_at_load_naming_its_path() {
    let sb = Sandbox::new();
    sb.write("authdesk.toml", "[[tracker]]\nname = \"gh\"\nkind = \"github\"\nrepo = \"a/b\"\ncredential = { env = \"X\" }\n[[tracker]]\nname = \"j\"\nkind = \"jira\"\nurl = \"https://j.example\"\nemail = \"e\"\ncredential = { env = \"X\" }\n");
    let mut cmd = sb.cmd();
    cmd.arg("--config")
        .arg(sb.path().join("authdesk.toml"))
        .args(["send", "ESC-x", "--to", "j"]);
    let out = sb.run_cmd(&mut cmd);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("tracker[1].project (`j`): required for kind `jira`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("authdesk.toml:6:"), "{}", out.stderr);
}
