//! `authdesk lint`: the shipped runbooks are clean, and each broken fixture in
//! `tests/fixtures/runbooks/` gives exactly the problems its `# expect:` lines name, at their
//! line and column.

mod common;
use common::Sandbox;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runbooks")
}

/// `# expect: LINE:COL: message` lines, with the file they were found in.
fn expectations(path: &Path) -> Vec<String> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines()
                .filter_map(|l| l.strip_prefix("# expect: "))
                .map(|e| format!("{}:{e}", f.display()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn shipped_runbooks_lint_clean() {
    let sb = Sandbox::new();
    let out = sb.run(&["lint"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("401-unauthorized, 403-forbidden"),
        "{}",
        out.stderr
    );
    let out = sb.run(&["lint", concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn each_broken_runbook_reports_its_problems_at_line_and_column() {
    let sb = Sandbox::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let path = entry.path();
        let expected = expectations(&path);
        assert!(
            !expected.is_empty(),
            "{} has no `# expect:` line",
            path.display()
        );
        let out = sb.run(&["lint", path.to_str().unwrap()]);
        assert_eq!(out.code, 1, "{}: {}", path.display(), out.stderr);
        let reported: Vec<&str> = out.stdout.lines().collect();
        for e in &expected {
            assert!(
                reported.iter().any(|r| r.starts_with(e.as_str())),
                "{}: expected {e:?}, got:\n{}",
                path.display(),
                out.stdout
            );
        }
        assert_eq!(
            reported.len(),
            expected.len(),
            "{}: unexpected extra problems:\n{}",
            path.display(),
            out.stdout
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fixtures found");
}

#[test]
fn lint_reports_every_file_not_just_the_first() {
    let sb = Sandbox::new();
    let a = fixtures().join("cycle.toml");
    let b = fixtures().join("unknown-next.toml");
    let out = sb.run(&["lint", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("cycle.toml:6:6"), "{}", out.stdout);
    assert!(
        out.stdout.contains("unknown-next.toml:12:8"),
        "{}",
        out.stdout
    );
}

#[test]
fn graph_draws_the_tree_in_both_formats() {
    let sb = Sandbox::new();
    let out = sb.run(&["graph", "401", "--format", "mermaid"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("flowchart TD"));
    assert!(
        out.stdout.contains("key_state{\"Account and key status\"}"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("key_state -->|\"key.status = revoked\"| revoked_by"),
        "{}",
        out.stdout
    );
    let out = sb.run(&["graph", "403-forbidden", "--format", "dot"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("digraph \"403-forbidden\""));
    assert!(
        out.stdout.contains("\"ip-check\" -> \"ip-not-allowed\""),
        "{}",
        out.stdout
    );
}

#[test]
fn runbook_docs_show_the_current_401_tree() {
    let sb = Sandbox::new();
    let out = sb.run(&["graph", "401"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/runbooks.md")).unwrap();
    assert!(
        doc.contains(out.stdout.trim()),
        "docs/runbooks.md's Mermaid picture is stale: regenerate it with `authdesk graph 401`"
    );
}

#[test]
fn unreadable_files_are_problems_and_the_readable_ones_still_linted() {
    let sb = Sandbox::new();
    let dir = sb.path().join("runbooks");
    std::fs::create_dir(&dir).unwrap();
    // Latin-1 text, as an editor on another machine might save it: not UTF-8.
    std::fs::write(dir.join("a-latin1.toml"), b"id = \"caf\xe9\"\n").unwrap();
    std::fs::copy(fixtures().join("cycle.toml"), dir.join("b-cycle.toml")).unwrap();
    let missing = sb.path().join("missing.toml");
    let b = fixtures().join("unknown-next.toml");
    let out = sb.run(&[
        "lint",
        dir.to_str().unwrap(),
        missing.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    for needle in [
        "a-latin1.toml:1:1: cannot read",
        "missing.toml:1:1: cannot read",
        "b-cycle.toml:6:6",
        "unknown-next.toml:12:8",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
}

#[test]
fn lint_warns_when_a_statistic_decides_before_a_hard_fact_and_still_passes() {
    let sb = Sandbox::new();
    // The 401 tree as it stood before issue 14: the gateway's top reason sent a key to
    // "rate limited" before the key's own usage window was read.
    let tree = r#"id = "old"
title = "Old"
start = "gateway-reason"

[[node]]
id = "gateway-reason"
kind = "check"
text = "What reason does the gateway log?"
otherwise = "rate-check"
if_unknown = "ask"
[[node.rule]]
when = { fact = "failures.top_reason", op = "eq", value = "rate_limited" }
next = "rate-limited"

[[node]]
id = "rate-check"
kind = "check"
text = "Is the key out of budget?"
otherwise = "ask"
if_unknown = "ask"
[[node.rule]]
when = { fact = "usage.rate_exhausted", op = "eq", value = true }
next = "rate-limited"

[[node]]
id = "ask"
kind = "question"
text = "?"
[[node.choice]]
id = "x"
label = "x"
next = "rate-limited"

[[node]]
id = "rate-limited"
kind = "outcome"
resolution = "resolve"
severity = "low"
summary = "limited"
reply = "r"
"#;
    let path = sb.write("old.toml", tree);
    let out = sb.run(&["lint", path.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let warning = out.stdout.lines().next().unwrap_or_default();
    assert!(
        warning.contains("old.toml:22:8: warning: "),
        "{}",
        out.stdout
    );
    assert!(warning.contains("old.toml:12:8"), "{}", out.stdout);
    assert!(out.stderr.contains("1 warning(s)"), "{}", out.stderr);
}

#[test]
fn a_dead_rule_names_the_earlier_rule_that_beats_it_with_file_line_and_column() {
    let sb = Sandbox::new();
    let path = fixtures().join("dead-rule.toml");
    let out = sb.run(&["lint", path.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let first = out.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("{}:18:1:", path.display()))
            && first.contains(&format!("earlier rule at {}:14:1", path.display())),
        "{}",
        out.stdout
    );
}
