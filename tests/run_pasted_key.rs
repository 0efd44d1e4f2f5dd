//! Issue 14 item 9: a pasted key that is not the key id in question. `authdesk run` against
//! `authdesk demo-api` in its own process over loopback HTTP, whose key records carry their
//! secrets' fingerprints: another demo key's secret pasted for `key_expired` is flagged on
//! stderr and in the ticket's `contradictions`, the key's own secret is not, and the pasted
//! key is printed and written nowhere in full.

mod common;

use common::{DemoApiProcess, Sandbox};
use serde_json::Value;

/// `key_revoked`'s secret in the demo data set (`assets/demo/dataset.json`).
const REVOKED_SECRET: &str = "sk_live_CANARY0123456789canary0123456789";
/// `key_expired`'s secret in the demo data set.
const EXPIRED_SECRET: &str = "sk_live_DEMOexpired012345678901234567890";
const TOKEN: &str = "fingerprint-e2e-token";

struct Case {
    sb: Sandbox,
    code: i32,
    ticket: Value,
    stdout: String,
    stderr: String,
}

/// `authdesk run 401` for `key_expired` (which decides without answers) against a demo API
/// process, with `extra` arguments.
fn run_expired_case(extra: &[&str]) -> Case {
    let api = DemoApiProcess::start(&Sandbox::new(), &[], &[("AUTHDESK_ADMIN_TOKEN", TOKEN)]);
    let sb = Sandbox::new();
    let config = sb.write("authdesk.toml", "");
    let mut cmd = sb.cmd();
    cmd.arg("--config")
        .arg(&config)
        .args([
            "run",
            "401",
            "--format",
            "json",
            "--input",
            "key_id=key_expired",
        ])
        .args(extra)
        .env("AUTHDESK_ADMIN_URL", &api.url)
        .env("AUTHDESK_ADMIN_TOKEN", TOKEN);
    let out = sb.run_cmd(&mut cmd);
    let ticket = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    Case {
        sb,
        code: out.code,
        ticket,
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

fn key_contradictions(ticket: &Value) -> Vec<&Value> {
    ticket["contradictions"]
        .as_array()
        .expect("a contradictions list")
        .iter()
        .filter(|c| c["fact"] == "key")
        .collect()
}

#[test]
fn another_demo_keys_secret_pasted_is_flagged_on_stderr_and_in_the_ticket() {
    let input = format!("key={REVOKED_SECRET}");
    let case = run_expired_case(&["--input", &input]);
    let out = format!("{}{}", case.stdout, case.stderr);
    assert_eq!(case.code, 0, "{out}");
    assert_eq!(case.ticket["outcome"]["id"], "key-expired", "{out}");
    let flagged = key_contradictions(&case.ticket);
    assert_eq!(flagged.len(), 1, "{}", case.ticket);
    assert_eq!(flagged[0]["said"], "sk_live_CANA…6789");
    let found = flagged[0]["found"].as_str().unwrap();
    assert!(
        found.starts_with("it is not key key_expired (sha256:") && found.contains(" vs sha256:"),
        "{found}"
    );
    assert!(
        case.stderr.contains(
            "conflict: key: the customer says sk_live_CANA…6789, it is not key key_expired"
        ),
        "{}",
        case.stderr
    );
    common::assert_valid_ticket(&case.ticket);
    // The saved ticket says it too, and nothing anywhere holds the key in full.
    let saved = case.sb.tickets();
    assert_eq!(saved.len(), 1);
    assert!(
        saved[0].0.contains("it is not key key_expired"),
        "{}",
        saved[0].0
    );
    for (path, text) in case.sb.all_files() {
        assert!(
            !text.contains("0123456789canary"),
            "key in {}",
            path.display()
        );
    }
    assert!(!out.contains("0123456789canary"), "key printed:\n{out}");
}

#[test]
fn another_key_in_a_pasted_request_is_flagged_as_the_requests_key() {
    let sb = Sandbox::new();
    let request = sb.write(
        "request.http",
        &format!("GET /v1/reports/rep_2026_11 HTTP/1.1\nHost: api.example.com\nX-API-Key: {REVOKED_SECRET}\n"),
    );
    let case = run_expired_case(&["--request", request.to_str().unwrap()]);
    assert_eq!(case.code, 0, "{}{}", case.stdout, case.stderr);
    let flagged = key_contradictions(&case.ticket);
    assert_eq!(flagged.len(), 1, "{}", case.ticket);
    assert_eq!(flagged[0]["said"], "the key in the pasted request");
    assert!(
        !format!("{}{}", case.stdout, case.stderr).contains("0123456789canary"),
        "key printed"
    );
}

#[test]
fn the_key_ids_own_secret_pasted_is_no_contradiction() {
    let input = format!("key={EXPIRED_SECRET}");
    let case = run_expired_case(&["--input", &input]);
    assert_eq!(case.code, 0, "{}{}", case.stdout, case.stderr);
    assert!(
        key_contradictions(&case.ticket).is_empty(),
        "{}",
        case.ticket
    );
    assert!(!case.stderr.contains("conflict: key:"), "{}", case.stderr);
}
