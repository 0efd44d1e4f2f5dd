//! Every log-line parser on arbitrary bytes, and the whole streaming triage with tiny chunks
//! so line splitting across chunks is exercised too.
#![no_main]
use authdesk::diagnose::logs::{FieldNames, Format, parse_line};
use authdesk::diagnose::{LogsConfig, triage_reader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let names = FieldNames::default();
    for format in [Format::JsonLines, Format::Clf, Format::Uvicorn] {
        let _ = parse_line(format, data, &names, None);
    }
    let cfg = LogsConfig { chunk_size: 1 + data.len() % 17, threads: 1, ..LogsConfig::default() };
    let _ = triage_reader(data, "fuzz", &cfg);
});
