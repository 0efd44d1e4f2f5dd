//! Each sample is a gateway's real default error, as cited beside its phrase in gateway.rs.

use crate::diagnose::Code;
use crate::diagnose::response::inspect_response;
use crate::facts::FactValue;

fn reason_of(text: &str) -> Option<String> {
    let now = "2026-11-22T10:00:00Z".parse().unwrap();
    let r = inspect_response(text, now).unwrap();
    r.facts()
        .iter()
        .find(|(n, _)| *n == "response.reason")
        .map(|(_, v)| match v {
            FactValue::Text(t) => t.to_string(),
            other => panic!("response.reason is {other:?}"),
        })
}

#[test]
fn tyk_quota_body_means_quota_exceeded() {
    let r = "HTTP/1.1 403 Forbidden\nContent-Type: application/json\n\n{\n    \"error\": \"Quota exceeded\"\n}";
    assert_eq!(reason_of(r).as_deref(), Some("quota_exceeded"));
    let report = inspect_response(r, chrono::Utc::now()).unwrap();
    let f = report
        .findings
        .iter()
        .find(|f| f.code == Code::QuotaExceeded)
        .unwrap();
    assert!(f.message.contains("Tyk"), "{}", f.message);
}

#[test]
fn tyk_rate_limit_and_missing_field_bodies() {
    let rate = "HTTP/1.1 429 Too Many Requests\n\n{\"error\": \"Rate limit exceeded\"}";
    assert_eq!(reason_of(rate).as_deref(), Some("rate_limited"));
    let missing = "HTTP/1.1 401 Unauthorized\n\n{\"error\": \"Authorization field missing\"}";
    assert_eq!(reason_of(missing).as_deref(), Some("missing_credentials"));
}

#[test]
fn aws_missing_authentication_token_means_wrong_endpoint() {
    let r = "HTTP/2 403\ncontent-type: application/json\ncontent-length: 42\n\
             x-amzn-requestid: 6c5a3c9e-0b1d-4f7e-9a51-3f0d6c2b8e11\n\
             x-amzn-errortype: MissingAuthenticationTokenException\n\n\
             {\"message\":\"Missing Authentication Token\"}";
    assert_eq!(reason_of(r).as_deref(), Some("wrong_endpoint"));
    let report = inspect_response(r, chrono::Utc::now()).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == Code::WrongEndpoint)
    );
    // A customised body still carries the response type in the header.
    let custom =
        "HTTP/2 403\nx-amzn-errortype: MissingAuthenticationTokenException\n\n{\"msg\":\"nope\"}";
    assert_eq!(reason_of(custom).as_deref(), Some("wrong_endpoint"));
}

#[test]
fn aws_usage_plan_quota_and_throttle() {
    let quota = "HTTP/1.1 429 Too Many Requests\nx-amzn-ErrorType: LimitExceededException\n\n{\"message\":\"Limit Exceeded\"}";
    assert_eq!(reason_of(quota).as_deref(), Some("quota_exceeded"));
    let throttle = "HTTP/1.1 429 Too Many Requests\n\n{\"message\":\"Too Many Requests\"}";
    assert_eq!(reason_of(throttle).as_deref(), Some("rate_limited"));
}

#[test]
fn kong_key_auth_and_rate_limiting_bodies() {
    let none = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Key realm=\"kong\"\nServer: kong/3.9.0\n\n{\n  \"message\":\"No API key found in request\",\n  \"request_id\":\"b7f3c1e2a9d04c6f8e5a\"\n}";
    assert_eq!(reason_of(none).as_deref(), Some("missing_credentials"));
    let bad = "HTTP/1.1 401 Unauthorized\n\n{\"message\":\"Invalid authentication credentials\"}";
    assert_eq!(reason_of(bad).as_deref(), Some("invalid_key"));
    let rate = "HTTP/1.1 429 Too Many Requests\nRateLimit-Limit: 5\nRateLimit-Remaining: 0\nRateLimit-Reset: 41\nRetry-After: 41\n\n{\"message\":\"API rate limit exceeded\"}";
    assert_eq!(reason_of(rate).as_deref(), Some("rate_limited"));
    // The acl plugin's refusal of a valid key for a route its consumer's groups do not allow.
    let acl = "HTTP/1.1 403 Forbidden\nContent-Type: application/json; charset=utf-8\nServer: kong/3.9.0\n\n{\"message\":\"You cannot consume this service\"}";
    assert_eq!(reason_of(acl).as_deref(), Some("insufficient_scope"));
    let r = inspect_response(acl, "2026-11-22T10:00:00Z".parse().unwrap()).unwrap();
    let said: Vec<String> = r.findings.iter().map(|f| f.message.to_string()).collect();
    assert!(
        said.iter().any(|m| m.contains("Kong (acl)'s error body says \"You cannot consume this service\": the key is valid but not allowed on this route")),
        "{said:?}"
    );
}

#[test]
fn apigee_fault_bodies() {
    let quota = "HTTP/1.1 429 Too Many Requests\nServer: Apigee Router\n\n{\"fault\":{\"faultstring\":\"Rate limit quota violation. Quota limit  exceeded. Identifier : _default\",\"detail\":{\"errorcode\":\"policies.ratelimit.QuotaViolation\"}}}";
    assert_eq!(reason_of(quota).as_deref(), Some("quota_exceeded"));
    let spike = "HTTP/1.1 429 Too Many Requests\n\n{\"fault\":{\"faultstring\":\"Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=10, periodInMicroseconds=1000000}\",\"detail\":{\"errorcode\":\"policies.ratelimit.SpikeArrestViolation\"}}}";
    assert_eq!(reason_of(spike).as_deref(), Some("rate_limited"));
    let key = "HTTP/1.1 401 Unauthorized\n\n{\"fault\":{\"faultstring\":\"Invalid ApiKey\",\"detail\":{\"errorcode\":\"oauth.v2.InvalidApiKey\"}}}";
    assert_eq!(reason_of(key).as_deref(), Some("invalid_key"));
    let expired = "HTTP/1.1 401 Unauthorized\n\n{\"fault\":{\"faultstring\":\"Access Token expired\",\"detail\":{\"errorcode\":\"keymanagement.service.access_token_expired\"}}}";
    assert_eq!(reason_of(expired).as_deref(), Some("expired_token"));
}

#[test]
fn azure_api_management_bodies() {
    let missing = "HTTP/1.1 401 Access Denied\nContent-Type: application/json\n\n{ \"statusCode\": 401, \"message\": \"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.\" }";
    assert_eq!(reason_of(missing).as_deref(), Some("missing_credentials"));
    let invalid = "HTTP/1.1 401 Access Denied\n\n{ \"statusCode\": 401, \"message\": \"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.\" }";
    assert_eq!(reason_of(invalid).as_deref(), Some("invalid_key"));
    let quota = "HTTP/1.1 403 Forbidden\n\n{ \"statusCode\": 403, \"message\": \"Out of call volume quota. Quota will be replenished in 00:05:00.\" }";
    assert_eq!(reason_of(quota).as_deref(), Some("quota_exceeded"));
    let rate = "HTTP/1.1 429 Too Many Requests\nRetry-After: 5\n\n{ \"statusCode\": 429, \"message\": \"Rate limit is exceeded. Try again in 5 seconds.\" }";
    assert_eq!(reason_of(rate).as_deref(), Some("rate_limited"));
}

#[test]
fn rate_limit_said_by_a_401_body_or_shown_by_429_headers() {
    let body = "HTTP/1.1 401 Unauthorized\n\n{\"error\":\"unauthorized\",\"message\":\"Rate limit reached for this key\"}";
    assert_eq!(reason_of(body).as_deref(), Some("rate_limited"));
    let headers = "HTTP/1.1 429 Too Many Requests\nRetry-After: 30\n\n";
    assert_eq!(reason_of(headers).as_deref(), Some("rate_limited"));
    // A bare 401 proves nothing.
    assert_eq!(
        reason_of("HTTP/1.1 401 Unauthorized\n\n{\"message\":\"Unauthorized\"}"),
        None
    );
}

#[test]
fn bearer_challenges_decide_scope_and_expiry() {
    // RFC 6750 §3 examples.
    let scope = "HTTP/1.1 403 Forbidden\nWWW-Authenticate: Bearer realm=\"example\", error=\"insufficient_scope\", scope=\"orders:write\"\n\n";
    assert_eq!(reason_of(scope).as_deref(), Some("insufficient_scope"));
    let now = "2026-11-22T10:00:00Z".parse().unwrap();
    let r = inspect_response(scope, now).unwrap();
    assert!(r.facts().contains(&(
        "response.required_scope",
        FactValue::Text("orders:write".into())
    )));
    let expired = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\"\n\n";
    assert_eq!(reason_of(expired).as_deref(), Some("expired_token"));
    let revoked = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"The access token was revoked\"\n\n";
    assert_eq!(reason_of(revoked), None);
}

#[test]
fn a_secret_echoed_in_the_body_stays_masked_in_the_finding() {
    let key = "sk_live_CANARY0123456789abcdefghijklmn";
    let r = format!("HTTP/1.1 403 Forbidden\n\n{{\"error\": \"Quota exceeded for {key}\"}}");
    let report = inspect_response(&r, chrono::Utc::now()).unwrap();
    let all = serde_json::to_string(&report.findings).unwrap();
    assert!(!all.contains("CANARY0123456789"), "{all}");
}

#[test]
fn envoy_jwt_authn_bodies_name_expiry_and_skew() {
    let expired = "HTTP/1.1 401 Unauthorized\n\
                   www-authenticate: Bearer realm=\"https://api.example.com/v1\", error=\"invalid_token\"\n\
                   content-type: text/plain\n\nJwt is expired";
    assert_eq!(reason_of(expired).as_deref(), Some("expired_token"));
    let early = "HTTP/1.1 401 Unauthorized\ncontent-type: text/plain\n\nJwt not yet valid";
    assert_eq!(reason_of(early).as_deref(), Some("token_not_yet_valid"));
    let missing = "HTTP/1.1 401 Unauthorized\ncontent-type: text/plain\n\nJwt is missing";
    assert_eq!(reason_of(missing).as_deref(), Some("missing_credentials"));
}

#[test]
fn apigee_key_not_approved_for_the_resource_is_a_missing_permission_not_a_bad_key() {
    let r = "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n\
             {\"fault\":{\"faultstring\":\"Invalid ApiKey for given resource\",\
             \"detail\":{\"errorcode\":\"oauth.v2.InvalidApiKeyForGivenResource\"}}}";
    assert_eq!(reason_of(r).as_deref(), Some("insufficient_scope"));
    let bad = "HTTP/1.1 401 Unauthorized\n\n\
               {\"fault\":{\"faultstring\":\"Invalid ApiKey\",\"detail\":{\"errorcode\":\"oauth.v2.InvalidApiKey\"}}}";
    assert_eq!(reason_of(bad).as_deref(), Some("invalid_key"));
}

#[test]
fn firewall_block_pages_are_waf_blocks() {
    let cloudflare = "HTTP/2 403\nserver: cloudflare\ncf-ray: 8e4f2a9c1b7d3e21-FRA\n\
                      content-type: text/html\n\n<html><body><h1>Access denied</h1>\
                      <ul><li>Ray ID: 8e4f2a9c1b7d3e21</li><li>Error code: 1020</li></ul></body></html>";
    assert_eq!(reason_of(cloudflare).as_deref(), Some("waf_blocked"));
    let cloudfront = "HTTP/1.1 403 Forbidden\nServer: CloudFront\nX-Cache: Error from cloudfront\n\n\
                      <HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD>\
                      <BODY><H1>403 ERROR</H1><H2>The request could not be satisfied.</H2>\
                      Request blocked. We can't connect to the server for this app or website at \
                      this time.</BODY></HTML>";
    assert_eq!(reason_of(cloudfront).as_deref(), Some("waf_blocked"));
    // A plain 403 from the API itself is no firewall.
    let ours = "HTTP/1.1 403 Forbidden\n\n{\"message\":\"Forbidden\"}";
    assert_eq!(reason_of(ours), None);
}
