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
        key_formats: vec![KeyFormat::fixed("sk_live_", 42, "live")],
        ..RequestContext::default()
    };
    assert_eq!(
        codes(&inspect_request(&format!("X-API-Key: {KEY}Zk"), &ctx).unwrap()),
        Vec::<&str>::new()
    );
}

#[test]
fn truncated_key_facts_carry_its_length_and_the_expected_one() {
    let r = run(&format!("X-API-Key: {}", &KEY[..34]));
    assert!(
        r.facts()
            .contains(&("request.key_length", FactValue::Number(34.0)))
    );
    assert!(
        r.facts()
            .contains(&("request.key_expected_length", FactValue::Text("40".into())))
    );
}

/// Keys of other systems that merely contain `_live_` (Stripe's publishable and restricted
/// keys, here at their real 107-character length and a 34-character one) are not ours: their
/// length says nothing.
#[test]
fn a_key_of_unknown_format_is_never_too_short() {
    for key in [
        "pk_live_51H8xYzAbCdEfGhIjKlMnOp",
        "rk_live_0123456789abcdefghijklmn",
        "pk_live_51MzTbQLkdIwHu7ixBfQ2rP9ZJb1yXh0lWnV5mKqT8sR3cE6dA4fG7hJ2kL9pO1iU3yT5rE8wQ0aS6dF4gH7jK2lZ0xC",
    ] {
        let r = run(&format!("X-API-Key: {key}"));
        assert_eq!(codes(&r), ["key-unknown-format"], "{key}");
        assert!(!r.facts().iter().any(|(n, _)| *n == "request.key_length_ok"));
    }
}

#[test]
fn configured_formats_measure_their_own_keys_in_ranges() {
    let ctx = RequestContext {
        key_formats: vec![KeyFormat {
            prefix: "acme_".into(),
            length: None,
            min_length: Some(30),
            max_length: Some(36),
            environment: Some("live".into()),
        }],
        ..RequestContext::default()
    };
    let check = |key: &str| codes(&inspect_request(&format!("X-API-Key: {key}"), &ctx).unwrap());
    assert!(check("acme_0123456789abcdefghijklmnopq").is_empty());
    assert_eq!(check("acme_0123456789"), ["key-too-short"]);
    assert_eq!(check(&format!("acme_{}", "x".repeat(40))), ["key-too-long"]);
    // The company's default prefixes are not known under this configuration.
    assert_eq!(check(KEY), ["key-unknown-format"]);
}

#[test]
fn env_mismatch_fact_says_whether_key_and_api_disagree() {
    let ctx = RequestContext {
        api_host: Some("api.example.com".into()),
        ..RequestContext::default()
    };
    let mismatch = |key: &str| {
        let r = inspect_request(
            &format!("curl https://api.example.com/v1 -H 'X-API-Key: {key}'"),
            &ctx,
        )
        .unwrap();
        r.facts()
            .iter()
            .find(|(n, _)| *n == "request.env_mismatch")
            .map(|(_, v)| v.clone())
    };
    assert_eq!(mismatch(TEST_KEY), Some(FactValue::Bool(true)));
    assert_eq!(mismatch(KEY), Some(FactValue::Bool(false)));
    // Without a known target environment nothing is claimed.
    let r = run(&format!("X-API-Key: {TEST_KEY}"));
    assert!(!r.facts().iter().any(|(n, _)| *n == "request.env_mismatch"));
}

#[test]
fn doubled_bearer_is_reported_on_the_defaults() {
    let r = run(&format!(
        "curl https://api.example.com/v1 -H 'Authorization: Bearer Bearer {KEY}'"
    ));
    assert!(codes(&r).contains(&"scheme-doubled"), "{:?}", codes(&r));
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

#[test]
fn the_sent_key_has_its_fingerprint_and_a_token_or_placeholder_has_none() {
    let fingerprint = |r: &RequestReport| {
        r.facts()
            .iter()
            .find(|(n, _)| *n == "request.key_fingerprint")
            .map(|(_, v)| v.to_string())
    };
    let quoted = run(&format!("X-API-Key: \"{KEY}\" "));
    assert_eq!(
        fingerprint(&quoted),
        Some(crate::secret::Fingerprint::of(KEY).to_string()),
        "the key as meant, quotes and spaces aside"
    );
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
    assert_eq!(
        fingerprint(&run(&format!("Authorization: Bearer {jwt}"))),
        None
    );
    assert_eq!(
        fingerprint(&run(&format!("X-API-Key: {}", "x".repeat(40)))),
        None
    );
}
