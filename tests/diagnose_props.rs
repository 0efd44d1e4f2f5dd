//! Property tests: no input, however mangled, makes a diagnostic panic, and a key inside a
//! request never comes back out unmasked.

mod common;

use authdesk::diagnose::logs::Format;
use authdesk::diagnose::{self, JwtContext, RequestContext};
use common::now;
use proptest::prelude::*;

/// Text built from the pieces the parsers branch on, so mangled inputs reach deep paths.
fn pasteish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("curl ".to_string()),
        Just("-H ".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("\\\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(": ".to_string()),
        Just("X-API-Key".to_string()),
        Just("Authorization: Bearer ".to_string()),
        Just("Basic ".to_string()),
        Just("GET / HTTP/1.1".to_string()),
        Just("HTTP/1.1 401 Unauthorized".to_string()),
        Just("WWW-Authenticate: ".to_string()),
        Just("realm=\"".to_string()),
        Just("error=invalid_token, ".to_string()),
        Just("Retry-After: ".to_string()),
        Just("?api_key=%".to_string()),
        Just("https://".to_string()),
        Just("sk_live_".to_string()),
        Just("eyJ".to_string()),
        Just(".".to_string()),
        Just("{\"exp\":".to_string()),
        Just("\u{200b}".to_string()),
        "[a-zA-Z0-9=+/_%-]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn request_never_panics(text in pasteish()) {
        let _ = diagnose::inspect_request(&text, &RequestContext::default());
    }

    #[test]
    fn jwt_never_panics(text in pasteish(), leeway in -10_000i64..10_000) {
        let _ = diagnose::inspect_jwt(&text, &JwtContext { now: now(), leeway_s: leeway, audience: None });
    }

    #[test]
    fn response_never_panics(text in pasteish()) {
        let _ = diagnose::inspect_response(&text, now());
    }

    #[test]
    fn request_output_never_holds_the_key(
        key in "sk_(live|test)_[A-Za-z0-9]{20,40}",
        header in prop_oneof![Just("X-API-Key: "), Just("Authorization: Bearer "), Just("apikey: \"")],
        tail in "[ \t\"']{0,2}",
    ) {
        let text = format!("curl 'https://api.example.com/v1?key={key}' -H '{header}{key}{tail}'");
        if let Ok(r) = diagnose::inspect_request(&text, &RequestContext::default()) {
            let json = serde_json::to_string(&r).unwrap();
            prop_assert!(!json.contains(&key), "{}", json);
            for (_, v) in r.facts() {
                prop_assert!(!v.to_string().contains(&key));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn log_lines_never_panic(line in prop_oneof![
        any::<Vec<u8>>(),
        "\\{(\"[a-z_]{1,8}\": ?(\"[ -~]{0,12}\"|-?[0-9.eE+]{1,6}|true|null|\\{\\}),?){0,8}\\}?".prop_map(String::into_bytes),
        "[0-9.]{1,15}( -){1,2} \\[[0-9A-Za-z/: +]{0,26}\\] \"[A-Z]{0,6} [ -~]{0,20}\" [0-9]{0,4} [0-9-]{0,4}".prop_map(String::into_bytes),
        "INFO: +[0-9.:]{1,20} - \"[ -~]{0,30}\" [0-9]{0,4}[ A-Za-z]{0,12}".prop_map(String::into_bytes),
    ]) {
        let names = authdesk::diagnose::logs::FieldNames::default();
        for format in [Format::JsonLines, Format::Clf, Format::Uvicorn] {
            let _ = authdesk::diagnose::logs::parse_line(format, &line, &names, None);
        }
    }

    #[test]
    fn log_streams_never_panic(text in prop::collection::vec(any::<u8>(), 0..2000), chunk in 1usize..64) {
        let cfg = authdesk::diagnose::LogsConfig { chunk_size: chunk, threads: 2, ..Default::default() };
        let _ = authdesk::triage::triage_reader(text.as_slice(), "fuzz", &cfg);
    }
}
