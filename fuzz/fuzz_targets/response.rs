//! `inspect response` and the `WWW-Authenticate` parser on arbitrary text: must not panic, and
//! report only challenges the text holds.
//! The properties live in `fuzz/properties.rs`, which `cargo test` replays on seeds and regressions.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../properties.rs"]
mod properties;

fuzz_target!(|text: &str| {
    properties::response(text);
});
