//! `inspect jwt` on arbitrary text, with the leeway taken from the input's length.
#![no_main]
use authdesk::diagnose::{JwtContext, inspect_jwt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = chrono::DateTime::from_timestamp(1_795_341_600, 0).unwrap_or_default();
    let ctx = JwtContext { now, leeway_s: text.len() as i64 - 64 };
    let _ = inspect_jwt(text, &ctx);
});
