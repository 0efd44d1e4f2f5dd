//! The properties every fuzz target checks, shared word for word with the ordinary test that
//! replays `fuzz/seeds/` and `fuzz/regressions/` (`tests/fuzz_regressions.rs` includes this
//! file), so a crash kept as a regression is checked exactly as the fuzzer found it.
//!
//! Each function panics when a property fails: that is how libFuzzer and the test both see it.

// Each fuzz target binary calls one of these functions; the test calls them all.
#![allow(dead_code)]

use authdesk::diagnose::logs::{FieldNames, Format, parse_line};
use authdesk::diagnose::response::parse_challenges;
use authdesk::diagnose::{
    Code, JwtContext, LogsConfig, RequestContext, inspect_jwt, inspect_request, inspect_response,
};
use authdesk::triage::triage_reader;
use chrono::{DateTime, Utc};

/// A fixed clock, so a crash replays the same way on any day.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default()
}

/// Key-shaped secrets in `text` (`sk_live_…`, `pk_test_…`, at least 16 characters after the
/// prefix): whatever the parser makes of the text, none of them may come back out.
fn api_keys(text: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    for prefix in ["sk_live_", "sk_test_", "pk_live_", "pk_test_"] {
        for (at, _) in text.match_indices(prefix) {
            let body = &text[at + prefix.len()..];
            let len = body
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(body.len());
            if len >= 16 {
                keys.push(&text[at..at + prefix.len() + len]);
            }
        }
    }
    keys
}

/// `inspect request`: never panics, never echoes a key it was given, and the credential and
/// the place it was found come together (or the report says no credential was sent).
pub fn request(text: &str) {
    let Ok(report) = inspect_request(text, &RequestContext::default()) else {
        return;
    };
    let json = serde_json::to_string(&report).expect("a report always serializes");
    let facts: Vec<String> = report.facts().iter().map(|(_, v)| v.to_string()).collect();
    for key in api_keys(text) {
        assert!(!json.contains(key), "key echoed in the report: {json}");
        assert!(
            !facts.iter().any(|f| f.contains(key)),
            "key echoed in a fact: {facts:?}"
        );
    }
    assert_eq!(report.credential.is_some(), report.credential_at.is_some());
    if report.credential.is_none() {
        assert!(
            report.findings.iter().any(|f| f.code == Code::NoCredential),
            "no credential, yet no `no-credential` finding: {json}"
        );
    }
}

/// `inspect jwt`, with a leeway taken from the input's length so both signs are reached: never
/// panics, and never prints a signature (unless the token's own claims quote it).
pub fn jwt(text: &str) {
    let ctx = JwtContext {
        now: now(),
        leeway_s: text.len() as i64 - 64,
        // An audience is checked against the claims too: give one so that path is reached.
        audience: Some("api.example.com".into()),
    };
    let Ok(report) = inspect_jwt(text, &ctx) else {
        return;
    };
    let json = serde_json::to_string(&report).expect("a report always serializes");
    let decoded = format!("{}{}", report.header, report.claims);
    for token in text.split(|c: char| c.is_whitespace()) {
        let parts: Vec<&str> = token.split('.').collect();
        if let [_, _, signature] = parts[..]
            && signature.len() >= 16
            && !decoded.contains(signature)
        {
            assert!(!json.contains(signature), "signature printed: {json}");
        }
    }
}

/// `inspect response` and the `WWW-Authenticate` parser: never panic, and every challenge
/// scheme they report was written in the response.
pub fn response(text: &str) {
    if let Ok(report) = inspect_response(text, now()) {
        for c in &report.challenges {
            assert_scheme_in(&c.scheme, text);
        }
    }
    if let Ok(challenges) = parse_challenges(text) {
        for c in &challenges {
            assert_scheme_in(&c.scheme, text);
        }
    }
}

fn assert_scheme_in(scheme: &str, text: &str) {
    assert!(
        !scheme.is_empty() && text.to_lowercase().contains(&scheme.to_lowercase()),
        "scheme {scheme:?} is not in the response"
    );
}

/// Every log-line parser on the bytes, then the streaming triage: never panics, and the report
/// is the same whatever size the chunks are cut to (lines split across chunks are joined).
pub fn log_line(data: &[u8]) {
    let names = FieldNames::default();
    for format in [Format::JsonLines, Format::Clf, Format::Uvicorn] {
        let _ = parse_line(format, data, &names, None);
    }
    let triage = |chunk_size| {
        let cfg = LogsConfig {
            chunk_size,
            threads: 1,
            ..LogsConfig::default()
        };
        triage_reader(data, "fuzz", &cfg)
            .map(|r| serde_json::to_string(&r).expect("a report always serializes"))
            .map_err(|e| e.to_string())
    };
    let whole = triage(LogsConfig::default().chunk_size);
    let tiny = triage(1 + data.len() % 17);
    assert_eq!(tiny, whole, "chunking changed the report");
}
