//! `authdesk stats`, `graph --stats`, `completions` and `man` through the real binary, over a
//! folder of tickets written by real scripted walks and sessions saved by the library.

mod common;
use authdesk::facts::Facts;
use authdesk::runbook::Catalog;
use authdesk::session::Session;
use authdesk::walk::{RunbookRef, Walk};
use chrono::{Duration, Utc};
use common::Sandbox;

const ANOMALY: &[&str] = &["ask-wider-incident=anomaly"];
const NO_CREDENTIAL: &[&str] = &[
    "ask-wider-incident=just-this-customer",
    "ask-key-status=active",
    "ask-credential-sent=none",
];
const SUSPENDED: &[&str] = &[
    "ask-wider-incident=just-this-customer",
    "ask-account=suspended",
];

/// Walks `runbook` in scripted mode with no evidence, so its ticket lands in the sandbox.
fn walk(sb: &Sandbox, runbook: &str, answers: &[&str]) {
    let mut args = vec!["run", runbook, "--offline", "--format", "json"];
    for a in answers {
        args.extend(["--answer", a]);
    }
    let out = sb.run(&args);
    assert!(matches!(out.code, 0 | 10), "{}", out.stderr);
}

/// An open 401 case, waiting at its first question, last saved `idle` ago.
fn open_case(sb: &Sandbox, id: &str, idle: Duration) {
    let catalog = Catalog::builtin();
    let rb = catalog.find("401").unwrap();
    let now = Utc::now();
    let mut session = Session::new(id.into(), RunbookRef::of(rb), "alice", now - idle);
    session.walk = Some(Walk::start(rb, Facts::new(), now - idle).unwrap());
    session.save(&sb.data_dir()).unwrap();
}

/// Two anomaly escalations, one missing credential on 401, one 403, an open case touched
/// an hour ago and one untouched for three days.
fn fixture() -> Sandbox {
    let sb = Sandbox::new();
    walk(&sb, "401", ANOMALY);
    walk(&sb, "401", ANOMALY);
    walk(&sb, "401", NO_CREDENTIAL);
    walk(&sb, "403", SUSPENDED);
    open_case(&sb, "20261122-100000-0a0a", Duration::hours(1));
    open_case(&sb, "20261122-100000-0b0b", Duration::days(3));
    sb
}

fn stats_json(sb: &Sandbox, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["stats", "--json"];
    args.extend(extra);
    let out = sb.run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn stats_counts_outcomes_open_and_abandoned_cases_of_a_fixture_folder() {
    let sb = fixture();
    let v = stats_json(&sb, &[]);
    assert_eq!(
        (
            &v["cases"],
            &v["finished"],
            &v["unfinished"],
            &v["abandoned"]
        ),
        (&6.into(), &4.into(), &2.into(), &1.into()),
        "{v:#}"
    );
    let rb401 = v["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "401-unauthorized")
        .unwrap();
    assert_eq!(rb401["cases"], 5, "three tickets and two open cases");
    let outcomes: Vec<(&str, u64)> = rb401["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["outcome"].as_str().unwrap(), o["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [("escalate-auth-anomaly", 2), ("missing-credentials", 1)]
    );
    assert_eq!(rb401["paths"][0]["cases"], 5);
    // With no evidence the first check cannot tell whether the platform is healthy.
    let health = v["missing_facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["fact"] == "health.status")
        .unwrap_or_else(|| panic!("{:#}", v["missing_facts"]));
    assert_eq!(health["questions"][0]["node"], "ask-wider-incident");
    assert_eq!(health["count"], 6, "every case started without it");
    let open = v["open"].as_array().unwrap();
    assert_eq!(open[0]["id"], "20261122-100000-0b0b");
    assert_eq!(open[0]["abandoned"], true);
    assert_eq!(open[1]["abandoned"], false);
    assert_eq!(open[1]["at"], "ask-wider-incident");
}

#[test]
fn stats_narrows_by_runbook_and_since() {
    let sb = fixture();
    let only_403 = stats_json(&sb, &["--runbook", "403"]);
    assert_eq!(only_403["cases"], 1);
    assert_eq!(only_403["runbooks"][0]["id"], "403-forbidden");
    // The case untouched for three days also started then.
    assert_eq!(stats_json(&sb, &["--since", "2d"])["cases"], 5);
    assert_eq!(stats_json(&sb, &["--since", "2000-01-01"])["cases"], 6);
    let bad = sb.run(&["stats", "--since", "last tuesday"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--since"), "{}", bad.stderr);
}

#[test]
fn stats_names_an_unreadable_file_and_counts_the_rest() {
    let sb = fixture();
    std::fs::write(
        sb.tickets_dir().join("notes.json"),
        "{\"not\": \"a ticket\"}",
    )
    .unwrap();
    let out = sb.run(&["stats"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("notes.json"), "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Cases: 6 (4 finished, 2 unfinished, 1 abandoned)\n"),
        "{}",
        out.stdout
    );
    for want in [
        "401-unauthorized v",
        "escalate-auth-anomaly",
        "escalate to auth-platform",
        "└─ ",
        "Questions asked, by the fact a check was missing",
        "health.status: missing 6×",
        "abandoned",
    ] {
        assert!(out.stdout.contains(want), "no {want:?} in\n{}", out.stdout);
    }
}

#[test]
fn stats_refuses_a_tickets_folder_it_cannot_list_rather_than_count_nothing() {
    let sb = Sandbox::new();
    std::fs::write(sb.tickets_dir(), "not a folder").unwrap();
    for args in [&["stats"][..], &["graph", "401", "--stats"]] {
        let out = sb.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("cannot read the tickets folder"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn stats_on_no_saved_cases_says_zero() {
    let sb = Sandbox::new();
    let v = stats_json(&sb, &[]);
    assert_eq!(v["cases"], 0);
    assert_eq!(v["case_time"], serde_json::Value::Null);
}

#[test]
fn graph_stats_puts_case_counts_on_the_edges_taken() {
    let sb = fixture();
    let out = sb.run(&["graph", "401", "--stats"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("5 cases on 401-unauthorized"),
        "{}",
        out.stderr
    );
    let edge = |from: &str, to: &str| {
        out.stdout
            .lines()
            .find(|l| {
                l.trim_start().starts_with(&format!("{from} ")) && l.ends_with(&format!("| {to}"))
            })
            .unwrap_or_else(|| panic!("no edge {from} -> {to} in\n{}", out.stdout))
            .to_string()
    };
    let unknown = edge("wider_incident", "ask_wider_incident");
    assert!(unknown.contains("-->|\"facts unknown · 5\"|"), "{unknown}");
    let anomaly = edge("ask_wider_incident", "escalate_auth_anomaly");
    assert!(anomaly.contains(" · 2\"|"), "{anomaly}");
    let never = edge("key_state", "key_disabled");
    assert!(
        never.contains("-.->") && never.contains(" · 0\"|"),
        "{never}"
    );

    let dot = sb.run(&["graph", "401", "--stats", "--format", "dot"]);
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(
        dot.stdout.contains(
            "\"wider-incident\" -> \"ask-wider-incident\" [label=\"facts unknown · 5\"];"
        ),
        "{}",
        dot.stdout
    );
    assert!(dot.stdout.contains("style=dashed"));
}

#[test]
fn graph_without_stats_is_unchanged_by_saved_cases() {
    let sb = fixture();
    let out = sb.run(&["graph", "401"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(" · "));
    assert!(!out.stdout.contains("-.->"));
}

#[test]
fn completions_for_each_shell_know_the_subcommands() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = sb.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in ["authdesk", "stats", "graph", "completions", "since"] {
            assert!(out.stdout.contains(word), "{shell}: no {word:?}");
        }
    }
    assert_eq!(sb.run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_page_lists_the_subcommands() {
    let sb = Sandbox::new();
    let out = sb.run(&["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH authdesk 1"), "{}", out.stdout);
    for sub in ["run", "stats", "graph", "completions", "man"] {
        assert!(
            out.stdout.contains(&format!("authdesk\\-{sub}(1)")),
            "no {sub} in\n{}",
            out.stdout
        );
    }
    let dir = sb.path().join("man");
    std::fs::create_dir(&dir).unwrap();
    let out = sb.run(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = std::fs::read_to_string(dir.join("authdesk-stats.1")).unwrap();
    assert!(page.contains("\\-\\-since"), "{page}");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let sb = fixture();
    for args in [
        &["stats"][..],
        &["graph", "401", "--stats"],
        &["man"],
        &["completions", "bash"],
    ] {
        // The read end is closed before the command starts: its first write meets a broken pipe.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = sb.process().args(args).stdout(writer).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
