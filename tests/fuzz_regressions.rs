//! Replays every file under `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/` through
//! the same property checks the fuzz targets run (`fuzz/properties.rs`), so a crash once
//! found stays fixed without cargo-fuzz or a nightly toolchain. A new crash goes in
//! `fuzz/regressions/<target>/`, minimised (`cargo fuzz tmin <target> <file>`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../fuzz/properties.rs"]
mod properties;

const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz");

/// Each target and its property check. Text targets take `&str`: like libFuzzer's
/// `fuzz_target!(|text: &str|)`, bytes that are not UTF-8 never reach them.
/// A property check on one input, as libFuzzer hands it over.
type Check = fn(&[u8]);

const TARGETS: &[(&str, Check)] = &[
    ("request", |b| text_only(b, properties::request)),
    ("jwt", |b| text_only(b, properties::jwt)),
    ("response", |b| text_only(b, properties::response)),
    ("log_line", properties::log_line),
];

fn text_only(bytes: &[u8], check: fn(&str)) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        check(text);
    }
}

/// The files of `fuzz/<kind>/<target>/`, sorted; none when the folder does not exist.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(FUZZ).join(kind).join(target))
        .into_iter()
        .flatten()
        .map(|e| e.expect("readable fuzz folder").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input, collecting failures (with the file) instead of stopping.
fn replay(files: &[PathBuf], check: Check) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).expect("readable fuzz input");
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {why}", file.display()));
        }
    }
    failures
}

fn replay_kind(kind: &str) -> usize {
    let mut failures = Vec::new();
    let mut count = 0;
    for (target, check) in TARGETS {
        let files = inputs(kind, target);
        count += files.len();
        failures.extend(replay(&files, *check));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    count
}

#[test]
fn every_kept_crash_passes_its_targets_properties() {
    replay_kind("regressions");
}

#[test]
fn every_seed_passes_its_targets_properties() {
    for (target, _) in TARGETS {
        assert!(!inputs("seeds", target).is_empty(), "no seeds for {target}");
    }
    replay_kind("seeds");
}

#[test]
fn folders_name_only_known_targets() {
    // A regression filed under a misspelt target would silently never run.
    for kind in ["seeds", "regressions"] {
        for entry in std::fs::read_dir(Path::new(FUZZ).join(kind))
            .into_iter()
            .flatten()
        {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name == "README.md" || TARGETS.iter().any(|(t, _)| *t == name),
                "fuzz/{kind}/{name} is not a fuzz target"
            );
        }
    }
}

#[test]
fn a_failing_property_is_reported_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crash-1");
    std::fs::write(&file, "boom").unwrap();
    let failures = replay(std::slice::from_ref(&file), |b| {
        assert!(b != b"boom", "it went boom")
    });
    assert_eq!(failures, [format!("{}: it went boom", file.display())]);
}
