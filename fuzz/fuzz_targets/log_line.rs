//! Every log-line parser on arbitrary bytes, and the whole streaming triage cut into tiny
//! chunks: must not panic, and must give the same report however the input is chunked.
//! The properties live in `fuzz/properties.rs`, which `cargo test` replays on seeds and regressions.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../properties.rs"]
mod properties;

fuzz_target!(|data: &[u8]| {
    properties::log_line(data);
});
