//! `inspect response` and the `WWW-Authenticate` parser on arbitrary text.
#![no_main]
use authdesk::diagnose::inspect_response;
use authdesk::diagnose::response::parse_challenges;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = chrono::DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default();
    let _ = inspect_response(text, now);
    let _ = parse_challenges(text);
});
