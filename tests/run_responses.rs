//! Walks decided by a pasted error response: the gateway's own words (Kong, Tyk, AWS API
//! Gateway) and the standard headers reach the outcome without the agent answering for them.
//! The samples under tests/fixtures/diagnose/responses/ follow the gateways' default bodies
//! cited in src/diagnose/response/gateway.rs.

mod common;
use common::Sandbox;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/diagnose/responses/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

const JUST_THIS_CUSTOMER: &str = "ask-wider-incident=just-this-customer";

fn run_json(sb: &Sandbox, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["run", "--offline", "--format", "json"];
    all.extend(args);
    let out = sb.run(&all);
    let value = serde_json::from_str(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.code, value, out.stderr + &out.stdout)
}

fn decided_by_response(t: &serde_json::Value) -> bool {
    t["path"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["node"] == "response-says" && s["decided_by"] == "check")
}

fn reach(runbook: &str, response: &str, extra: &[&str]) -> serde_json::Value {
    let sb = Sandbox::new();
    let response = fixture(response);
    let mut args = vec![
        runbook,
        "--answer",
        JUST_THIS_CUSTOMER,
        "--response",
        &response,
    ];
    args.extend(extra);
    let (code, t, out) = run_json(&sb, &args);
    assert_eq!(code, 0, "{out}");
    t
}

#[test]
fn tyk_quota_exceeded_403_reaches_quota_exceeded() {
    let t = reach("403", "tyk-quota.http", &[]);
    assert_eq!(t["outcome"]["id"], "quota-exceeded");
    assert!(decided_by_response(&t), "{t:#}");
    let cited: Vec<&str> = t["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fact"].as_str().unwrap())
        .collect();
    assert!(cited.contains(&"response.reason"), "{cited:?}");
}

#[test]
fn aws_missing_authentication_token_reaches_wrong_endpoint_in_both_trees() {
    for runbook in ["403", "401"] {
        let t = reach(runbook, "aws-missing-token.http", &[]);
        assert_eq!(t["outcome"]["id"], "wrong-endpoint", "{runbook}");
        assert!(decided_by_response(&t));
    }
}

#[test]
fn kong_429_with_rate_limit_headers_reaches_the_rate_limit_outcomes() {
    let t = reach("403", "kong-rate-limit.http", &[]);
    assert_eq!(t["outcome"]["id"], "rate-limit-edge");
    let t = reach("401", "kong-rate-limit.http", &[]);
    assert_eq!(t["outcome"]["id"], "rate-limited-as-401");
}

#[test]
fn a_401_whose_body_says_rate_limit_reaches_rate_limited_as_401() {
    let t = reach("401", "rate-limit-as-401.http", &[]);
    assert_eq!(t["outcome"]["id"], "rate-limited-as-401");
    assert!(decided_by_response(&t));
}

#[test]
fn insufficient_scope_challenge_reaches_insufficient_scope() {
    // Whether someone removed the scope recently is still asked: that would be role-changed.
    let t = reach(
        "403",
        "insufficient-scope.http",
        &["--answer", "ask-recent-change=unchanged-missing-scope"],
    );
    assert_eq!(t["outcome"]["id"], "insufficient-scope");
    assert!(decided_by_response(&t));
    let scope = t["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["fact"] == "response.required_scope")
        .unwrap_or_else(|| panic!("required scope not cited: {t:#}"));
    assert_eq!(scope["value"]["value"], "orders:write");
}

#[test]
fn invalid_token_with_an_expiry_description_asks_why_before_token_expired() {
    // "Expired" is the gateway's conclusion: a stale token, a failed refresh and a skewed
    // clock all read the same, so without the token the agent says which it is.
    let t = reach(
        "401",
        "bearer-expired.http",
        &["--answer", "ask-token-timing=after-lifetime"],
    );
    assert_eq!(t["outcome"]["id"], "token-expired");
    assert!(decided_by_response(&t));
    let t = reach(
        "401",
        "bearer-expired.http",
        &["--answer", "ask-token-timing=refresh-failed"],
    );
    assert_eq!(t["outcome"]["id"], "refresh-token-expired");
}

#[test]
fn invalid_token_with_an_expired_jwt_pasted_decides_from_the_token() {
    let jwt = format!(
        "{}/tests/fixtures/diagnose/jwt-expired.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let t = reach("401", "bearer-expired.http", &["--jwt", &jwt]);
    assert_eq!(t["outcome"]["id"], "token-expired");
    let timed = t["path"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["node"] == "jwt-times" && s["decided_by"] == "check");
    assert!(timed, "{t:#}");
}

#[test]
fn error_body_from_a_file_decides_like_a_pasted_response() {
    let sb = Sandbox::new();
    let input = format!("error_body=@{}", fixture("tyk-quota-body.json"));
    let (code, t, out) = run_json(
        &sb,
        &[
            "403",
            "--answer",
            JUST_THIS_CUSTOMER,
            "--input",
            "status=403",
            "--input",
            &input,
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "quota-exceeded");
    let body = t["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "error_body")
        .unwrap();
    assert!(
        body["value"]["value"]
            .as_str()
            .unwrap()
            .contains("Quota exceeded"),
        "the file's text is stored, not its name: {body}"
    );
}

#[test]
fn error_body_from_stdin_with_at_dash() {
    let sb = Sandbox::new();
    let out = sb.run_cmd(
        sb.cmd()
            .args(["run", "--offline", "--format", "json", "403"])
            .args(["--answer", JUST_THIS_CUSTOMER, "--input", "error_body=@-"])
            .write_stdin("{\"message\":\"Missing Authentication Token\"}"),
    );
    assert_eq!(out.code, 0, "{}{}", out.stderr, out.stdout);
    let t: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(t["outcome"]["id"], "wrong-endpoint");
}

#[test]
fn error_body_file_that_cannot_be_read_is_a_usage_error_naming_it() {
    let sb = Sandbox::new();
    let (code, _, out) = run_json(
        &sb,
        &["403", "--input", "error_body=@/nonexistent/body.json"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("/nonexistent/body.json"), "{out}");
}

#[test]
fn free_text_error_body_decides_nothing_and_is_no_error() {
    let sb = Sandbox::new();
    let (code, t, out) = run_json(
        &sb,
        &[
            "403",
            "--answer",
            JUST_THIS_CUSTOMER,
            "--input",
            "error_body=it just says forbidden",
        ],
    );
    assert_eq!(code, 3, "needs an answer at the account question: {out}");
    assert_eq!(t["node"], "ask-account");
}

/// Kong's 401 body, from kong/plugins/key-auth/handler.lua (see gateway.rs).
const KONG_NO_KEY: &str = "HTTP/1.1 401 Unauthorized\nContent-Type: application/json; charset=utf-8\n\
                           WWW-Authenticate: Key\nServer: kong/3.9.0\n\n\
                           {\"message\":\"No API key found in request\"}\n";

#[test]
fn kong_no_key_found_reaches_missing_credentials_without_a_request() {
    let sb = Sandbox::new();
    let response = sb.write("kong-no-key.http", KONG_NO_KEY);
    let (code, t, out) = run_json(
        &sb,
        &[
            "401",
            "--answer",
            JUST_THIS_CUSTOMER,
            "--response",
            response.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "missing-credentials");
    assert!(decided_by_response(&t));
}

#[test]
fn no_key_found_while_the_pasted_request_sends_one_asks_where_it_is_lost() {
    // The customer's own request carries the key, yet the gateway saw none: something between
    // them drops it (an unloaded secret, a redirect or proxy), not a missing header.
    let sb = Sandbox::new();
    let response = sb.write("kong-no-key.http", KONG_NO_KEY);
    let request = sb.write(
        "req.http",
        "GET /v1/orders HTTP/1.1\nHost: api.example.com\n\
         X-API-Key: sk_live_CANARY0123456789canary0123456789\n\n",
    );
    let (code, t, out) = run_json(
        &sb,
        &[
            "401",
            "--answer",
            JUST_THIS_CUSTOMER,
            "--response",
            response.to_str().unwrap(),
            "--request",
            request.to_str().unwrap(),
            "--answer",
            "ask-credential-lost=secret-not-loaded",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "works-in-curl-not-app");
    assert!(decided_by_response(&t));
}
