//! Real-world responses, one or more per finding code.

use super::*;

use crate::testing::now;

fn codes(r: &ResponseReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn fact<'a>(r: &'a ResponseReport, name: &str) -> Option<&'a FactValue> {
    r.facts().iter().find(|(n, _)| *n == name).map(|(_, v)| v)
}

#[test]
fn bearer_invalid_token_with_description() {
    let r = inspect_response(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\"\r\nX-Request-Id: req_7fG2\r\n\r\n",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r), ["invalid-token", "auth-challenge", "request-id"]);
    assert!(r.findings[0].message.contains("The access token expired"));
    assert_eq!(
        fact(&r, "response.bearer_error"),
        Some(&FactValue::Text("invalid_token".into()))
    );
    assert_eq!(r.request_id.as_deref(), Some("req_7fG2"));
}

#[test]
fn insufficient_scope_names_the_scope() {
    let r = inspect_response(
        "HTTP/2 403\nwww-authenticate: Bearer error=\"insufficient_scope\", scope=\"orders:write\"\n",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r)[0], "insufficient-scope");
    assert!(r.findings[0].message.contains("orders:write"));
}

#[test]
fn invalid_request() {
    let r = inspect_response(
        "HTTP/1.1 400 Bad Request\nWWW-Authenticate: Bearer error=\"invalid_request\"\n",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r)[0], "invalid-request");
}

#[test]
fn bare_401_is_missing_www_authenticate() {
    let r = inspect_response("HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"message\":\"Unauthorized\"}", now()).unwrap();
    assert_eq!(codes(&r), ["missing-www-authenticate"]);
    assert_eq!(
        fact(&r, "response.has_www_authenticate"),
        Some(&FactValue::Bool(false))
    );
}

#[test]
fn broken_challenge_is_reported_not_fatal() {
    let r = inspect_response(
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"api\n",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r), ["malformed-challenge"]);
}

#[test]
fn problem_details_body() {
    let r = inspect_response(
        "HTTP/1.1 403 Forbidden\nContent-Type: application/problem+json\n\n{\n \"type\": \"https://api.example.com/problems/ip-not-allowed\",\n \"title\": \"IP not allowed\",\n \"status\": 403,\n \"detail\": \"203.0.113.9 is not in the key's allowlist\"\n}",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r), ["problem-details"]);
    assert!(r.findings[0].message.contains("IP not allowed"));
    assert_eq!(
        fact(&r, "response.problem_type"),
        Some(&FactValue::Text(
            "https://api.example.com/problems/ip-not-allowed".into()
        ))
    );
}

#[test]
fn rate_limited_with_both_retry_after_forms() {
    let r = inspect_response(
        "HTTP/1.1 429 Too Many Requests\nRetry-After: 120\nX-RateLimit-Limit: 100\nX-RateLimit-Remaining: 0\n",
        now(),
    )
    .unwrap();
    assert_eq!(codes(&r), ["rate-limited", "retry-after"]);
    assert_eq!(
        fact(&r, "response.retry_after_s"),
        Some(&FactValue::Number(120.0))
    );
    assert_eq!(
        fact(&r, "response.rate_limit_remaining"),
        Some(&FactValue::Number(0.0))
    );
    let r = inspect_response(
        "HTTP/1.1 429 Too Many Requests\nDate: Sun, 22 Nov 2026 09:00:00 GMT\nRetry-After: Sun, 22 Nov 2026 09:01:30 GMT\nRateLimit: limit=100, remaining=0, reset=90\n",
        now(),
    )
    .unwrap();
    assert_eq!(
        r.retry_after_s,
        Some(90),
        "measured from the response's Date, not now"
    );
    assert_eq!(r.rate_limit_remaining, Some(0));
    assert_eq!(r.rate_limit_limit, Some(100));
}

#[test]
fn curl_verbose_output() {
    let r = inspect_response(
        "* Connected to api.example.com\n> GET /v1 HTTP/1.1\n> X-API-Key: sk_live_x\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: ApiKey realm=\"gw\"\n< cf-ray: 8a1b2c\n<\n",
        now(),
    )
    .unwrap();
    assert_eq!(r.status, Some(401));
    assert_eq!(codes(&r), ["auth-challenge", "request-id"]);
    assert!(r.findings[0].message.contains("ApiKey"));
}

#[test]
fn body_only_problem_json() {
    let r = inspect_response(
        "{\"title\":\"Forbidden\",\"status\":403,\"request_id\":\"abc\"}",
        now(),
    )
    .unwrap();
    assert_eq!(fact(&r, "response.status"), Some(&FactValue::Number(403.0)));
    assert_eq!(r.request_id.as_deref(), Some("abc"));
}

#[test]
fn prose_is_unreadable_with_line() {
    let err = inspect_response("\nthe customer says it fails", now()).unwrap_err();
    assert!(err.to_string().starts_with("line 2:"), "{err}");
    let err = inspect_response("HTTP/1.1 abc\n", now()).unwrap_err();
    assert!(err.to_string().starts_with("line 1:"), "{err}");
}
