//! Real-world pastes, one or more per finding code.

use super::*;

const KEY: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dcA3xZ9qLm";
const TEST_KEY: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dcA3xZ9qLm";

fn run(text: &str) -> RequestReport {
    inspect_request(text, &RequestContext::default()).unwrap()
}

fn codes(r: &RequestReport) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn problem(r: &RequestReport) -> String {
    r.facts()
        .iter()
        .find(|(n, _)| *n == "request.header_problem")
        .map(|(_, v)| v.to_string())
        .unwrap()
}

#[test]
fn well_formed_request_has_no_findings_and_problem_none() {
    let r = run(&format!(
        "curl https://api.example.com/v1/orders -H 'X-API-Key: {KEY}'"
    ));
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(problem(&r), "none");
    assert!(
        r.facts()
            .contains(&("request.key_env", FactValue::Text("live".into())))
    );
    assert!(
        r.facts()
            .contains(&("request.key_length_ok", FactValue::Bool(true)))
    );
    assert!(
        r.facts()
            .contains(&("request.header_name", FactValue::Text("X-API-Key".into())))
    );
}

#[test]
fn bearer_against_x_api_key_gateway_is_wrong_header() {
    let r = run(&format!(
        "curl --location 'https://api.example.com/v1/orders' \\\n--header 'Authorization: Bearer {KEY}'"
    ));
    assert_eq!(codes(&r), ["wrong-header"]);
    assert_eq!(problem(&r), "wrong-header");
    assert!(
        r.findings[0].message.contains("sk_live_4eC3…9qLm"),
        "{}",
        r.findings[0].message
    );
}

#[test]
fn no_credential() {
    let r = run("GET /v1/orders HTTP/1.1\nHost: api.example.com\nAccept: application/json\n");
    assert_eq!(codes(&r), ["no-credential"]);
    assert!(
        r.facts()
            .contains(&("request.credential_present", FactValue::Bool(false)))
    );
}

#[test]
fn apikey_header_variants_are_wrong_headers() {
    for name in ["Api-Key", "apikey", "X-Auth-Token"] {
        let r = run(&format!("{name}: {KEY}"));
        assert_eq!(codes(&r), ["wrong-header"], "{name}");
    }
}

fn bearer_ctx() -> RequestContext {
    RequestContext {
        expect_header: "Authorization".into(),
        expect_scheme: Some("Bearer".into()),
        ..RequestContext::default()
    }
}

#[test]
fn scheme_checks_against_a_bearer_gateway() {
    let check = |text: &str| {
        let r = inspect_request(text, &bearer_ctx()).unwrap();
        (codes(&r), problem(&r))
    };
    assert_eq!(check(&format!("Authorization: {KEY}")).1, "scheme-missing");
    assert_eq!(
        check(&format!("Authorization: Bearer Bearer {KEY}")).0,
        ["scheme-doubled"]
    );
    assert_eq!(
        check(&format!("curl -u {KEY}: https://api.example.com/")).1,
        "basic-instead-of-bearer"
    );
    assert_eq!(
        check(&format!("Authorization: Token {KEY}")).0,
        ["wrong-scheme"]
    );
    assert_eq!(
        check(&format!("Authorization: bearer {KEY}")).0,
        Vec::<&str>::new()
    );
    assert_eq!(check(&format!("X-API-Key: {KEY}")).1, "wrong-header");
}

#[test]
fn scheme_in_a_verbatim_header_is_unexpected() {
    let r = run(&format!("X-API-Key: Bearer {KEY}"));
    assert_eq!(codes(&r), ["unexpected-scheme"]);
}

#[test]
fn key_character_problems() {
    let cases = [
        (format!("X-API-Key: \"{KEY}\""), "key-quoted"),
        (
            format!("curl https://api.example.com -H \"X-API-Key: '{KEY}'\""),
            "key-quoted",
        ),
        (
            format!("X-API-Key: {}\n{}", &KEY[..20], &KEY[20..]),
            "key-line-break",
        ),
        (
            format!("X-API-Key: {}\u{200b}{}", &KEY[..20], &KEY[20..]),
            "key-invisible-char",
        ),
        (
            format!("X-API-Key: {}\u{2013}{}", &KEY[..7], &KEY[8..]),
            "key-invisible-char",
        ),
        (
            format!("X-API-Key: {} {}", &KEY[..20], &KEY[20..]),
            "key-whitespace",
        ),
    ];
    for (text, code) in cases {
        let r = run(&text);
        assert_eq!(problem(&r), code, "{text:?}: {:?}", r.findings);
    }
}

#[test]
fn trailing_space_is_only_a_warning() {
    let r = run(&format!("X-API-Key: {KEY}\t"));
    assert_eq!(codes(&r), ["key-whitespace"]);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert_eq!(problem(&r), "none");
}

#[test]
fn truncated_and_overlong_keys() {
    let r = run(&format!("X-API-Key: {}", &KEY[..31]));
    assert_eq!(codes(&r), ["key-too-short"]);
    assert!(
        r.facts()
            .contains(&("request.key_length_ok", FactValue::Bool(false)))
    );
    let r = run(&format!("X-API-Key: {KEY}Zk"));
    assert_eq!(codes(&r), ["key-too-long"]);
    let ctx = RequestContext {
        key_length: 42,
        ..RequestContext::default()
    };
    assert_eq!(
        codes(&inspect_request(&format!("X-API-Key: {KEY}Zk"), &ctx).unwrap()),
        Vec::<&str>::new()
    );
}

#[test]
fn jwt_in_api_key_header_is_unknown_format() {
    let r = run("X-API-Key: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc");
    assert_eq!(codes(&r), ["key-unknown-format"]);
    assert!(!r.facts().iter().any(|(n, _)| *n == "request.key_length_ok"));
}

#[test]
fn test_key_against_live_and_reverse() {
    let ctx = RequestContext {
        api_host: Some("api.example.com".into()),
        ..RequestContext::default()
    };
    let r = inspect_request(
        &format!("curl https://api.example.com/v1 -H 'X-API-Key: {TEST_KEY}'"),
        &ctx,
    )
    .unwrap();
    assert_eq!(codes(&r), ["key-env-mismatch"]);
    assert!(
        r.facts()
            .contains(&("request.key_env", FactValue::Text("test".into())))
    );
    let r = run(&format!(
        "curl https://sandbox.api.example.com/v1 -H 'X-API-Key: {KEY}'"
    ));
    assert_eq!(codes(&r), ["key-env-mismatch"]);
}

#[test]
fn key_in_query_only_and_alongside_header() {
    let r = run(&format!(
        "curl 'https://api.example.com/v1/orders?api_key={KEY}&limit=10'"
    ));
    assert_eq!(codes(&r), ["key-in-query"]);
    assert_eq!(problem(&r), "key-in-query");
    assert_eq!(r.findings[0].severity, Severity::Error);
    let r = run(&format!(
        "curl 'https://api.example.com/v1/orders?api_key={KEY}' -H 'X-API-Key: {KEY}'"
    ));
    assert_eq!(codes(&r), ["credential-sent-twice", "key-in-query"]);
    assert_eq!(problem(&r), "credential-sent-twice");
    assert!(
        r.facts()
            .contains(&("request.key_in_query", FactValue::Bool(true)))
    );
    assert!(r.findings[0].message.contains("same key"));
}

#[test]
fn two_headers_with_different_keys() {
    let r = run(&format!(
        "X-API-Key: {KEY}\nAuthorization: Bearer {TEST_KEY}\n"
    ));
    assert_eq!(codes(&r), ["credential-sent-twice"]);
    assert!(r.findings[0].message.contains("differ"));
}

#[test]
fn wrong_host() {
    let ctx = RequestContext {
        api_host: Some("api.example.com".into()),
        ..RequestContext::default()
    };
    let r = inspect_request(
        &format!("curl https://example.com/api/v1 -H 'X-API-Key: {KEY}'"),
        &ctx,
    )
    .unwrap();
    assert_eq!(codes(&r), ["wrong-host"]);
    // The host is not a credential-format problem.
    assert_eq!(problem(&r), "none");
}

#[test]
fn findings_never_contain_the_key() {
    let texts = [
        format!("X-API-Key: \"{KEY}\""),
        format!("Authorization: Bearer Bearer {KEY}"),
        format!("curl 'https://x.test/?key={KEY}' -H 'apikey: {KEY}'"),
    ];
    for t in texts {
        let r = run(&t);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains(KEY), "{json}");
    }
}
