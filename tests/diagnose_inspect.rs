//! End-to-end: `authdesk inspect request|jwt|response` on the fixtures, through the real
//! binary. The fixtures carry canary secrets that must never reach any output.

mod common;

use common::{Sandbox, strs};
use predicates::prelude::*;
use std::path::PathBuf;

const CANARY_KEY: &str = "sk_live_CANARY0123456789canary0123456789";
/// The base64url of the JWT fixtures' signature bytes, and a slice of it.
const CANARY_SIG: &str = "Q0FOQVJZU0lHTkFUVVJF";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnose")
        .join(name)
}

/// Runs `authdesk ARGS` and returns (exit code, stdout, stderr), asserting no canary leaked.
fn authdesk(args: &[&str]) -> (i32, String, String) {
    let out = Sandbox::new().run(args);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains(CANARY_KEY), "key leaked: {text}");
        assert!(
            !text.contains("0123456789canary"),
            "part of the key leaked: {text}"
        );
        assert!(!text.contains(CANARY_SIG), "signature leaked: {text}");
    }
    (out.code, out.stdout, out.stderr)
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = authdesk(args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn pasted_curl_with_bearer_decides_wrong_header() {
    let f = fixture("request-bearer.curl");
    let (code, out, _) = authdesk(&["inspect", "request", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("wrong-header"), "{out}");
    assert!(out.contains("sk_live_CANA…6789"), "shows the mask: {out}");
    let j = json(&["inspect", "request", "--json", f.to_str().unwrap()]);
    assert_eq!(
        j["facts"]["request.header_problem"]["value"],
        "wrong-header"
    );
    assert_eq!(j["facts"]["request.header_name"]["value"], "Authorization");
    assert_eq!(j["form"], "curl");
}

#[test]
fn well_formed_raw_request_has_no_problem() {
    let f = fixture("request-ok.http");
    let (_, out, _) = authdesk(&["inspect", "request", f.to_str().unwrap()]);
    assert!(out.contains("No problems found."), "{out}");
    let j = json(&[
        "inspect",
        "request",
        "--json",
        "--api-host",
        "api.example.com",
        f.to_str().unwrap(),
    ]);
    assert_eq!(j["facts"]["request.header_problem"]["value"], "none");
    assert_eq!(j["facts"]["request.key_env"]["value"], "live");
}

#[test]
fn request_context_flags_change_the_verdict() {
    let f = fixture("request-bearer.curl");
    let j = json(&[
        "inspect",
        "request",
        "--json",
        "--expect-scheme",
        "Bearer",
        f.to_str().unwrap(),
    ]);
    assert_eq!(j["facts"]["request.header_problem"]["value"], "none");
    let j = json(&[
        "inspect",
        "request",
        "--json",
        "--api-host",
        "gw.example.net",
        f.to_str().unwrap(),
    ]);
    assert_eq!(j["findings"][0]["code"], "wrong-host");
}

#[test]
fn header_list_from_stdin_with_zero_width_char() {
    let text = std::fs::read(fixture("request-zero-width.headers")).unwrap();
    let out = Sandbox::new()
        .cmd()
        .args(["inspect", "request", "--json"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::str::contains(CANARY_KEY).not())
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(j["form"], "headers");
    assert_eq!(
        j["facts"]["request.header_problem"]["value"],
        "key-invisible-char"
    );
}

#[test]
fn key_in_query_and_header() {
    let j = json(&[
        "inspect",
        "request",
        "--json",
        fixture("request-key-in-query.curl").to_str().unwrap(),
    ]);
    let codes = strs(&j["findings"], "code");
    assert_eq!(codes, ["credential-sent-twice", "key-in-query"]);
    assert_eq!(j["facts"]["request.key_in_query"]["value"], true);
}

#[test]
fn unreadable_input_exits_2_naming_file_and_line() {
    let f = fixture("not-a-request.txt");
    let (code, _, err) = authdesk(&["inspect", "request", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not-a-request.txt, line 1:"), "{err}");
    let (code, _, err) = authdesk(&[
        "inspect",
        "request",
        fixture("not-utf8.headers").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not-utf8.headers, line 1: not UTF-8"), "{err}");
    let (code, _, err) = authdesk(&["inspect", "request", "/nonexistent/req.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/req.txt"), "{err}");
    let (code, _, err) = authdesk(&[
        "inspect",
        "jwt",
        fixture("jwt-garbled.txt").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("jwt-garbled.txt, line 2:"), "{err}");
}

#[test]
fn expired_jwt_against_a_response_date() {
    let f = fixture("jwt-expired.txt");
    let date_from = fixture("response-invalid-token.http");
    let (code, out, _) = authdesk(&[
        "inspect",
        "jwt",
        f.to_str().unwrap(),
        "--date-from",
        date_from.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("token-expired"), "{out}");
    assert!(out.contains("expired 3h 12m ago"), "{out}");
    assert!(out.contains("not shown"), "{out}");
    let j = json(&[
        "inspect",
        "jwt",
        "--json",
        "--at",
        "2026-11-22T10:00:00Z",
        f.to_str().unwrap(),
    ]);
    assert_eq!(j["facts"]["jwt.expired_for_s"]["value"], 11520.0);
    assert_eq!(j["facts"]["jwt.alg"]["value"], "RS256");
    assert_eq!(
        j["facts"]["jwt.scopes"]["value"],
        serde_json::json!(["orders:read", "orders:write"])
    );
}

#[test]
fn jwt_leeway_flag() {
    let f = fixture("jwt-expired.txt");
    let j = json(&[
        "inspect",
        "jwt",
        "--json",
        "--at",
        "2026-11-22T06:49:00Z",
        "--leeway",
        "120",
        f.to_str().unwrap(),
    ]);
    assert_eq!(j["facts"]["jwt.expired"]["value"], false);
}

#[test]
fn responses_explained() {
    let j = json(&[
        "inspect",
        "response",
        "--json",
        fixture("response-invalid-token.http").to_str().unwrap(),
    ]);
    assert_eq!(
        j["facts"]["response.bearer_error"]["value"],
        "invalid_token"
    );
    assert_eq!(
        j["facts"]["response.problem_type"]["value"],
        "https://api.example.com/problems/token-expired"
    );
    assert_eq!(j["request_id"], "req_01HZX7Q3");
    let j = json(&[
        "inspect",
        "response",
        "--json",
        fixture("response-429.http").to_str().unwrap(),
    ]);
    assert_eq!(j["facts"]["response.retry_after_s"]["value"], 30.0);
    assert_eq!(j["facts"]["response.rate_limit_remaining"]["value"], 0.0);
    let (_, out, _) = authdesk(&[
        "inspect",
        "response",
        fixture("response-bare-401.http").to_str().unwrap(),
    ]);
    assert!(out.contains("missing-www-authenticate"), "{out}");
}

#[test]
fn no_fixture_output_leaks_a_canary() {
    // `authdesk` asserts the canaries on every run; run each fixture through each command.
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue;
        }
        for cmd in ["request", "jwt", "response"] {
            for json in [false, true] {
                let mut args = vec!["inspect", cmd, path.to_str().unwrap()];
                if json {
                    args.push("--json");
                }
                authdesk(&args);
            }
        }
    }
}

/// Item 2 of issue 9: a key inside a JWT's claims or a response's texts never comes out.
#[test]
fn keys_inside_claims_and_response_texts_are_masked() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let dir = tempfile::tempdir().unwrap();
    let jwt = format!(
        "{}.{}.{}",
        b64(&format!(r#"{{"alg":"RS256","kid":"{CANARY_KEY}"}}"#)),
        b64(&format!(
            r#"{{"exp":1,"scope":"orders:read {CANARY_KEY}","api_key":"plainsecret99","sub":"u1"}}"#
        )),
        b64("sig")
    );
    let jwt_file = dir.path().join("token.txt");
    std::fs::write(&jwt_file, &jwt).unwrap();
    let response = format!(
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", \
         error_description=\"key {CANARY_KEY} revoked\"\nX-Request-Id: {CANARY_KEY}\n\
         Content-Type: application/problem+json\n\n{{\"type\":\"about:blank\",\
         \"title\":\"Key {CANARY_KEY} refused\",\"detail\":\"api_key={CANARY_KEY}\"}}"
    );
    let response_file = dir.path().join("response.txt");
    std::fs::write(&response_file, &response).unwrap();
    for args in [
        vec!["inspect", "jwt"],
        vec!["inspect", "jwt", "--json"],
        vec!["inspect", "response"],
        vec!["inspect", "response", "--json"],
    ] {
        let file = if args[1] == "jwt" {
            &jwt_file
        } else {
            &response_file
        };
        let mut args = args.clone();
        args.push(file.to_str().unwrap());
        // `authdesk` asserts that neither the key nor any long part of it is printed.
        let (code, out, _) = authdesk(&args);
        assert_eq!(code, 0, "{args:?}: {out}");
        assert!(!out.contains("plainsecret99"), "{args:?}: {out}");
        assert!(
            out.contains("sk_live_CANA"),
            "masks stay recognisable: {out}"
        );
    }
}
