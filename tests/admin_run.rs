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
        let mut cmd = Command::cargo_bin("authdesk").unwrap();
        cmd.args(["--config"])
            .arg(self.dir.path().join("authdesk.toml"))
            .arg("run")
            .args(args)
            .args(["--format", "json"])
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
    ("401", "key_revoked", &[], "key-revoked-leaked"),
    ("401", "key_retired", &[], "key-revoked"),
    ("401", "key_billing", &[], "key-revoked-billing"),
    ("401", "key_rotated", &[], "rotation-leftover"),
    ("401", "key_fleet", &[], "key-expired"),
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
        &["ask-token-timing=right-away", "ask-whose-clock=theirs"],
        "clock-skew",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=right-away", "ask-whose-clock=ours"],
        "escalate-issuer-clock",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=refresh-failed"],
        "refresh-token-expired",
    ),
    ("401", "key_burst", &[], "limit-lowered"),
    ("401", "key_peak", &[], "rate-limited-as-401"),
    (
        "401",
        "key_healthy",
        &["ask-key-match=same"],
        "escalate-unexplained",
    ),
    (
        "401",
        "key_healthy",
        &["ask-key-match=session-ended"],
        "expected-401",
    ),
    ("401", "key_stuffed", &[], "escalate-credential-stuffing"),
    ("401", "key_eu3", &[], "escalate-validation-down"),
    ("401", "key_us2", &[], "escalate-auth-latency"),
    ("401", "key_ap1", &[], "escalate-multi-customer"),
    ("403", "key_suspended", &[], "account-suspended"),
    ("403", "key_iplocked", &[], "ip-not-allowed"),
    ("403", "key_quota", &[], "quota-exceeded"),
    ("403", "key_peak", &[], "rate-limit-edge"),
    ("403", "key_scope", &[], "insufficient-scope"),
    ("403", "key_role", &[], "role-changed"),
    ("403", "key_healthy", &[], "escalate-upstream-refused"),
    ("403", "key_stuffed", &[], "escalate-credential-stuffing"),
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
            args.extend(["--answer", a]);
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
    assert_eq!(ids.len(), 32, "outcomes found: {ids:?}");
    // These need a pasted request or the agent's judgement on top of the admin data; the
    // scenario tests (tests/scenarios.rs) reach each of them.
    let beyond_admin_data = [
        "cors-preflight-401",
        "works-in-curl-not-app",
        "auth-header-dropped",
        "escalate-auth-anomaly",
    ];
    let covered: std::collections::BTreeSet<String> = CASES
        .iter()
        .map(|c| c.3)
        .chain(beyond_admin_data)
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = ids.difference(&covered).collect();
    assert!(missing.is_empty(), "no demo key reaches {missing:?}");
}

#[test]
fn revoked_key_ticket_cites_who_when_and_the_request_id() {
    let (_, ticket, out) = Desk::new().run(&["401", "--input", "key_id=key_revoked"], &[]);
    let summary = ticket["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("revoked by us after a leak"), "{out}");
    let cited = ticket["evidence"].to_string();
    assert!(cited.contains("ops@authdesk.example"), "{out}");
    assert!(
        out.contains("GET /v1/keys/key_revoked, request id ad-"),
        "{out}"
    );
}

/// `authdesk demo-api` in its own process with a fault, on a free port.
struct FaultyApi(Child, String);

impl FaultyApi {
    fn start(fault: &str, token: &str) -> Self {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("authdesk"))
            .args(["demo-api", "--addr", "127.0.0.1:0", "--fault", fault])
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

#[test]
fn replies_from_the_demo_are_true_for_the_key() {
    let desk = Desk::new();
    // key_badheader takes `Authorization: Bearer`: the reply must not say X-API-Key.
    let (_, t, out) = desk.run(&["401", "--input", "key_id=key_badheader"], &[]);
    let reply = t["outcome"]["reply"].as_str().unwrap_or_default();
    assert!(reply.contains("Authorization: Bearer <your key>"), "{out}");
    assert!(!reply.contains("X-API-Key"), "{reply}");
    // Fourteen pods retrying an expired key: the key's expiry, not an attack.
    let (code, t, out) = desk.run(&["401", "--input", "key_id=key_fleet"], &[]);
    assert_eq!(
        (code, t["outcome"]["id"].as_str()),
        (0, Some("key-expired")),
        "{out}"
    );
    assert!(
        t["criteria_matched"].as_array().unwrap().is_empty(),
        "{out}"
    );
    // Our billing team revoked it: the reply says so.
    let (_, t, out) = desk.run(&["401", "--input", "key_id=key_billing"], &[]);
    let reply = t["outcome"]["reply"].as_str().unwrap_or_default();
    assert!(
        reply.contains("We revoked this API key on our side for a billing reason"),
        "{out}"
    );
}
