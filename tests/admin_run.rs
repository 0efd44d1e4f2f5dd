//! `authdesk run` end to end with the built-in demo admin API: demo keys alone reach every
//! outcome of both trees (answers only where no evidence can decide), and a faulty admin API
//! degrades to the needs-an-answer exit code naming the failure.

use assert_cmd::Command;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use tempfile::TempDir;

/// Runs the real binary with an empty config and a temporary tickets folder.
struct Desk {
    dir: TempDir,
}

impl Desk {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("authdesk.toml"), "").unwrap();
        Self { dir }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
        let mut run = vec!["run"];
        run.extend(args);
        run.extend(["--format", "json"]);
        self.command(&run, env)
    }

    /// Any subcommand: (exit code, stdout as JSON or null, stdout and stderr).
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
        let mut cmd = Command::cargo_bin("authdesk").unwrap();
        cmd.args(["--config"])
            .arg(self.dir.path().join("authdesk.toml"))
            .args(args)
            .env("AUTHDESK_TICKETS_DIR", self.dir.path().join("tickets"))
            .env_remove("AUTHDESK_ADMIN_URL")
            .env_remove("AUTHDESK_ADMIN_TOKEN")
            .env_remove("AUTHDESK_ADMIN_TOKEN_FILE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (
            out.status.code().unwrap_or(-1),
            json,
            format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        )
    }
}

/// (runbook, key, answers, outcome). Answers only where evidence cannot decide: the token's
/// timing without a JWT, and "nothing else explains it" before escalating as unexplained.
const CASES: &[(&str, &str, &[&str], &str)] = &[
    ("401", "key_nocreds", &[], "missing-credentials"),
    ("401", "key_badheader", &[], "bad-header-format"),
    ("401", "key_typo", &[], "key-never-valid"),
    ("401", "key_revoked", &[], "key-revoked"),
    ("401", "key_expired", &[], "key-expired"),
    ("401", "key_disabled", &[], "key-disabled"),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=after-lifetime"],
        "token-expired",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=right-away"],
        "clock-skew",
    ),
    ("401", "key_burst", &[], "rate-limited-as-401"),
    (
        "401",
        "key_healthy",
        &["ask-key-match=same"],
        "escalate-unexplained",
    ),
    ("401", "key_stuffed", &[], "escalate-auth-anomaly"),
    ("401", "key_eu3", &[], "escalate-validation-down"),
    ("401", "key_us2", &[], "escalate-auth-latency"),
    ("401", "key_ap1", &[], "escalate-multi-customer"),
    ("403", "key_suspended", &[], "account-suspended"),
    ("403", "key_iplocked", &[], "ip-not-allowed"),
    ("403", "key_quota", &[], "quota-exceeded"),
    ("403", "key_peak", &[], "rate-limit-edge"),
    ("403", "key_scope", &[], "insufficient-scope"),
    ("403", "key_role", &[], "role-changed"),
    (
        "403",
        "key_healthy",
        &["ask-403-other=nothing"],
        "escalate-unexplained",
    ),
    ("403", "key_stuffed", &[], "escalate-auth-anomaly"),
    // An AWS API Gateway body pasted at intake: the path does not exist.
    (
        "403",
        "key_healthy",
        &[
            "--input=status=403",
            "--input=error_body={\"message\":\"Missing Authentication Token\"}",
        ],
        "wrong-endpoint",
    ),
    // A live key of the demo data sent to the sandbox host.
    (
        "401",
        "key_healthy",
        &["--request=tests/fixtures/diagnose/request-live-key-to-sandbox.http"],
        "key-wrong-environment",
    ),
    // An unsigned token: unusable whatever its lifetime.
    (
        "401",
        "key_oauth",
        &["--jwt=tests/fixtures/diagnose/jwt-alg-none.txt"],
        "token-invalid",
    ),
    ("403", "key_eu3", &[], "escalate-validation-down"),
];

#[test]
fn demo_keys_reach_every_outcome_of_both_trees() {
    let desk = Desk::new();
    let mut failures = Vec::new();
    for (runbook, key, answers, want) in CASES {
        let mut args = vec![*runbook, "--input"];
        let input = format!("key_id={key}");
        args.push(&input);
        for a in *answers {
            // `--input=…` entries are pastes given at intake, the rest answers.
            if a.starts_with("--") {
                args.push(a);
            } else {
                args.extend(["--answer", a]);
            }
        }
        let (code, ticket, out) = desk.run(&args, &[]);
        let got = ticket["outcome"]["id"].as_str().unwrap_or("(none)");
        let want_code = if want.starts_with("escalate-") { 10 } else { 0 };
        if got != *want || code != want_code {
            failures.push(format!(
                "{runbook} {key}: got {got} (exit {code}), want {want}\n{out}"
            ));
            continue;
        }
        assert_eq!(
            ticket["demo_data"], true,
            "{runbook} {key}: not marked demo data"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn every_outcome_id_of_the_trees_is_covered() {
    let mut ids = std::collections::BTreeSet::new();
    for file in [
        "401-unauthorized.toml",
        "403-forbidden.toml",
        "escalations.toml",
    ] {
        let path = format!("{}/runbooks/{file}", env!("CARGO_MANIFEST_DIR"));
        let doc: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for node in doc
            .get("node")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
        {
            if node["kind"].as_str() == Some("outcome") {
                ids.insert(node["id"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(ids.len(), 23, "outcomes found: {ids:?}");
    let covered: std::collections::BTreeSet<String> =
        CASES.iter().map(|c| c.3.to_string()).collect();
    let missing: Vec<_> = ids.difference(&covered).collect();
    assert!(missing.is_empty(), "no demo key reaches {missing:?}");
}

#[test]
fn revoked_key_ticket_cites_who_when_and_the_request_id() {
    let (_, ticket, out) = Desk::new().run(&["401", "--input", "key_id=key_revoked"], &[]);
    let summary = ticket["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("revoked by ops@authdesk.example"), "{out}");
    assert!(
        out.contains("GET /v1/keys/key_revoked, request id ad-"),
        "{out}"
    );
}

/// `authdesk demo-api` in its own process with a fault, on a free port.
struct FaultyApi(Child, String);

impl FaultyApi {
    fn start(fault: &str, token: &str) -> Self {
        Self::start_with(&["--fault", fault], token)
    }

    fn start_with(args: &[&str], token: &str) -> Self {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("authdesk"))
            .args(["demo-api", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("AUTHDESK_ADMIN_TOKEN", token)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().rsplit(' ').next().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Self(child, url)
    }
}

impl Drop for FaultyApi {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn faulty_admin_api_needs_an_answer_and_names_the_failure() {
    let api = FaultyApi::start("server-error", "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["403", "--input", "key_id=key_suspended"],
        &[
            ("AUTHDESK_ADMIN_URL", &api.1),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
            ("AUTHDESK_REQUEST_TIMEOUT_MS", "500"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert_eq!(json["status"], "needs_answer", "{out}");
    assert_eq!(json["node"], "ask-wider-incident", "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(
        reasons.contains("the admin API failed: 500 Internal error"),
        "{out}"
    );
    assert!(reasons.contains("platform health"), "{out}");
}

#[test]
fn rejected_admin_token_needs_an_answer_and_says_so() {
    let api = FaultyApi::start("reject-token", "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", &api.1),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        json["evidence_unavailable"]
            .to_string()
            .contains("rejected authdesk's admin token"),
        "{out}"
    );
    assert!(
        !out.contains("e2e-token"),
        "the admin token was printed:\n{out}"
    );
}

/// A port nothing listens on (it was free a moment ago).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_admin_url_password_never_prints() {
    let desk = Desk::new();
    let url = format!("http://ops:hunter2@127.0.0.1:{}", closed_port());
    let env = [
        ("AUTHDESK_ADMIN_URL", url.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    let (code, _, out) = desk.command(&["config"], &env);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("http://ops:•••@127.0.0.1:"), "{out}");
    // An unreachable API is named in the error, the ticket-to-be and on stderr, masked.
    let (code, json, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(code, 3, "{out}");
    assert!(
        json["evidence_unavailable"]
            .to_string()
            .contains("the admin API at http://ops:•••@127.0.0.1:"),
        "{out}"
    );
    for (_, _, out) in [(0, Value::Null, out), desk.command(&["config"], &env)] {
        assert!(!out.contains("hunter2"), "the password was printed:\n{out}");
    }
}

#[test]
fn plain_http_off_this_machine_is_refused_before_any_connection() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    // 0.0.0.0 reaches this machine's server on Linux yet is no loopback address: the old
    // code connects (staying on this machine), the new one refuses without connecting.
    let off_machine = api.1.replace("127.0.0.1", "0.0.0.0");
    let env = [
        ("AUTHDESK_ADMIN_URL", off_machine.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    let desk = Desk::new();
    let (code, _, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("in clear"), "{out}");
    assert!(out.contains("[admin] allow_insecure_http = true"), "{out}");
    assert!(!out.contains("e2e-token"), "{out}");

    // The setting it names lets it through; loopback http needs no setting.
    std::fs::write(
        desk.dir.path().join("authdesk.toml"),
        "[admin]\nallow_insecure_http = true\n",
    )
    .unwrap();
    let (code, json, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(
        (code, &json["outcome"]["id"]),
        (0, &Value::from("key-revoked")),
        "{out}"
    );
    let (code, _, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", &api.1),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn an_id_that_would_change_the_admin_path_is_an_input_error() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let env = [
        ("AUTHDESK_ADMIN_URL", api.1.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    for bad in [
        "key_id=..",
        "key_id=.",
        "key_id=a/b",
        "key_id=k%2F",
        "customer_id=c?x=1",
    ] {
        let (code, _, out) = Desk::new().run(&["403", "--input", bad], &env);
        assert_eq!(code, 2, "{bad}: {out}");
        let name = bad.split('=').next().unwrap();
        assert!(out.contains(&format!("input {name}:")), "{bad}: {out}");
        assert!(!out.contains("ticket written"), "{bad}: {out}");
    }
}

#[test]
fn a_token_with_control_characters_is_refused_before_sending() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", &api.1),
            ("AUTHDESK_ADMIN_TOKEN", "e2e\u{1b}[2J-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(reasons.contains("control character"), "{out}");
    assert!(reasons.contains("$AUTHDESK_ADMIN_TOKEN"), "{out}");
    assert!(!reasons.contains("dropped"), "{out}");
}

#[test]
fn a_wrong_base_path_never_decides_key_never_valid() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let wrong = format!("{}/admin", api.1);
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", &wrong),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert_eq!(json["status"], "needs_answer", "{out}");
    assert!(!out.contains("key-never-valid"), "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(reasons.contains("admin API misconfigured"), "{out}");
    assert!(reasons.contains("key status"), "{out}");
}
