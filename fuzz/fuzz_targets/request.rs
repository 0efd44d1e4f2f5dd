//! `inspect request` on arbitrary text: must not panic, and must never echo a key it found.
#![no_main]
use authdesk::diagnose::{RequestContext, inspect_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = inspect_request(text, &RequestContext::default());
});
