//! `authdesk train` end to end: the real binary, scenarios served from their own data over
//! loopback, results written to and read back from disk.

mod common;

use common::{Output, Sandbox};
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/training";
const MISMATCH: &str = "tests/fixtures/training/good/demo-key-mismatch.toml";
/// A live key shaped like ours: the detector must find it in free text.
const CANARY: &str = "sk_live_Canary7Qx2Lm9Rt4Vb8Nz";

fn fixture(dir: &str) -> String {
    Path::new(FIXTURES).join(dir).display().to_string()
}

fn take(sb: &Sandbox, trainee: &str, extra: &[&str]) -> (Output, PathBuf) {
    let results = sb.path().join("results");
    let mut args = vec![
        "train",
        "take",
        MISMATCH,
        "--trainee",
        trainee,
        "--format",
        "json",
        "--results",
        results.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    (sb.run(&args), results)
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr))
}

#[test]
fn check_passes_on_good_scenarios_including_one_with_only_its_own_data() {
    let sb = Sandbox::new();
    let out = sb.run(&["train", "check", "--no-coverage", &fixture("good")]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("2 scenario(s) clean"), "{}", out.stderr);
}

#[test]
fn shipped_scenarios_pass_their_checks() {
    let sb = Sandbox::new();
    let out = sb.run(&["train", "check", "--no-coverage", "training"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn check_fails_where_the_expected_answers_do_not_reach_the_expected_outcome() {
    let sb = Sandbox::new();
    let out = sb.run(&["train", "check", "--no-coverage", &fixture("unreachable")]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "unreachable/demo-key-mismatch.toml:15:11: the expected answers do not reach \
             `escalate-unexplained` on the scenario's data: they reach `key-never-valid`"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn check_fails_on_a_hint_for_a_missing_node() {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "train",
        "check",
        "--no-coverage",
        &fixture("missing-hint-node"),
    ]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(
            "missing-hint-node/demo-key-mismatch.toml:20:8: hint on `ask-key-matches`: runbook \
             `401-unauthorized` has no such node"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn check_fails_on_bad_toml_at_its_line_and_column() {
    let sb = Sandbox::new();
    let out = sb.run(&["train", "check", "--no-coverage", &fixture("bad-toml")]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("bad-toml/demo-key-mismatch.toml:4:14: "),
        "{}",
        out.stdout
    );
}

#[test]
fn check_names_every_outcome_no_scenario_covers_where_it_is_defined() {
    let sb = Sandbox::new();
    let out = sb.run(&["train", "check", &fixture("good")]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let expired = out
        .stdout
        .lines()
        .find(|l| l.contains("outcome `key-expired` is not covered by any scenario"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(
        expired.starts_with("runbooks/escalations.toml:") && !expired.contains(":1:1:"),
        "{expired}"
    );
    // Covered by the fixtures: not reported.
    assert!(!out.stdout.contains("`key-never-valid`"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("`account-suspended`"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_perfect_take_passes_with_no_deductions_and_is_saved() {
    let sb = Sandbox::new();
    let (out, results) = take(&sb, "ana", &["--answer", "ask-key-match=differs"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let r = json(&out);
    assert_eq!(r["passed"], true);
    assert_eq!(r["score"], 100);
    assert_eq!(r["deductions"], serde_json::json!([]));
    assert_eq!(r["critical_errors"], serde_json::json!([]));
    assert_eq!(r["first_divergence"], serde_json::Value::Null);
    assert_eq!(r["scenario"]["id"], "demo-key-mismatch");
    assert_eq!(r["scenario"]["version"], 1);
    let saved: Vec<_> = std::fs::read_dir(&results).unwrap().collect();
    assert_eq!(saved.len(), 1);
    let text = std::fs::read_to_string(saved[0].as_ref().unwrap().path()).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["trainee"], "ana");
    assert_eq!(
        back["answers"].as_array().unwrap().last().unwrap()["source"],
        "trainee"
    );
}

#[test]
fn results_go_to_the_data_folder_when_no_folder_is_named() {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "train",
        "take",
        MISMATCH,
        "--answer",
        "ask-key-match=differs",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let dir = sb.data_dir().join("training").join("results");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("**PASS**: test-agent, score 100/100"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_wrong_answer_fails_and_names_the_first_divergent_node() {
    let sb = Sandbox::new();
    let (out, _) = take(&sb, "bo", &["--answer", "ask-key-match=same"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let r = json(&out);
    assert_eq!(r["passed"], false);
    assert_eq!(r["outcome_reached"], "escalate-unexplained");
    assert_eq!(r["first_divergence"], "ask-key-match");
    assert_eq!(r["grade"], "F (fail)");

    let md = sb.run(&[
        "train",
        "take",
        MISMATCH,
        "--answer",
        "ask-key-match=same",
        "--results",
        sb.path().join("more").to_str().unwrap(),
    ]);
    assert_eq!(md.code, 1);
    assert!(md.stdout.contains("**FAIL**"), "{}", md.stdout);
    assert!(
        md.stdout
            .contains("`ask-key-match` → `escalate-unexplained` (`same`) **← first divergence**"),
        "{}",
        md.stdout
    );
}

#[test]
fn a_secret_typed_into_free_text_fails_with_that_critical_error_and_is_not_kept() {
    let sb = Sandbox::new();
    let body = format!("error_body=request failed with api_key={CANARY}");
    let (out, results) = take(
        &sb,
        "cy",
        &["--answer", "ask-key-match=differs", "--input", &body],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let r = json(&out);
    assert_eq!(
        r["passed"], false,
        "the outcome is right, the secret fails it"
    );
    assert_eq!(r["outcome_reached"], "key-never-valid");
    assert_eq!(r["critical_errors"][0]["rule"], "secret_in_free_text");
    assert!(!out.stdout.contains(CANARY) && !out.stderr.contains(CANARY));
    for entry in std::fs::read_dir(&results).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains(CANARY), "the canary reached a result file");
    }
}

#[test]
fn hints_cost_their_points() {
    let sb = Sandbox::new();
    let (out, _) = take(
        &sb,
        "di",
        &[
            "--answer",
            "ask-key-match=differs",
            "--hint",
            "ask-key-match",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let r = json(&out);
    assert_eq!(r["score"], 90);
    assert_eq!(r["hints_used"][0]["cost"], 10);
}

#[test]
fn a_take_without_the_answer_it_needs_exits_3() {
    let sb = Sandbox::new();
    let (out, results) = take(&sb, "ed", &[]);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out)["node"], "ask-key-match");
    assert!(
        !results.exists(),
        "nothing is saved for an unfinished attempt"
    );
}

#[test]
fn report_over_two_trainees_prints_both_in_markdown_and_json() {
    let sb = Sandbox::new();
    let (a, results) = take(&sb, "ana", &["--answer", "ask-key-match=differs"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let (b, _) = take(&sb, "bo", &["--answer", "ask-key-match=same"]);
    assert_eq!(b.code, 1, "{}", b.stderr);
    let dir = results.to_str().unwrap();

    let md = sb.run(&["train", "report", dir]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        md.stdout.contains("| ana | 1 | 1 | 100% |"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("| bo | 1 | 0 | 0% |"), "{}", md.stdout);
    assert!(
        md.stdout.contains(
            "| `demo-key-mismatch` | 2 | 50% | `ask-key-match` (1) | `escalate-unexplained` (1) |"
        ),
        "{}",
        md.stdout
    );

    let js = sb.run(&["train", "report", dir, "--format", "json"]);
    let r = json(&js);
    let names: Vec<&str> = r["trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["trainee"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ana", "bo"]);
    assert_eq!(
        r["scenarios"][0]["wrong_outcomes"][0][0],
        "escalate-unexplained"
    );
}

/// A finished case saved as the terminal app saves it: key_quiet from the demo data, the
/// customer's id and address given at intake, and a canary key pasted into the error body.
fn finished_case(sb: &Sandbox) -> String {
    use authdesk::intake::Given;
    let now = chrono::Utc::now();
    let rb = authdesk::runbook::Catalog::builtin()
        .find("401")
        .unwrap()
        .clone();
    let inputs: Vec<(String, Given)> = [
        ("key_id", "key_quiet".to_string()),
        ("client_ip", "198.51.100.77".to_string()),
        (
            "error_body",
            format!("401 for ops@fjord.example with {CANARY}"),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Given::Text(v)))
    .collect();
    let mut facts = authdesk::intake::facts(&rb, &inputs, now).unwrap();
    let config = authdesk::config::Config::defaults(&|_| None);
    let data = authdesk::admin::demo::DemoData::built_in(now).unwrap();
    let gathered = authdesk::admin::gather_demo_blocking(&config.admin, data, &facts, now);
    facts.extend(&gathered.facts);
    let answers = [("ask-key-match".to_string(), "differs".to_string())].into();
    let by = authdesk::walk::Answerer::Agent {
        name: "alice".into(),
    };
    let played = authdesk::training::play(&rb, facts, &answers, &by, now).unwrap();
    assert_eq!(played.outcome(), Some("key-never-valid"));
    let id = authdesk::session::new_id(now);
    let mut session = authdesk::session::Session::new(
        id.clone(),
        authdesk::walk::RunbookRef::of(&rb),
        "alice",
        now,
    );
    session.intake = authdesk::intake::kept(&inputs);
    session.walk = Some(played.walk);
    session.save(&sb.data_dir()).unwrap();
    id
}

#[test]
fn from_session_drafts_a_scenario_that_checks_clean_with_pseudonyms_and_no_secrets() {
    let sb = Sandbox::new();
    let id = finished_case(&sb);
    let dir = sb.path().join("drafts");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join(format!("case-{id}.toml"));
    let out = sb.run(&[
        "train",
        "from-session",
        &id,
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    for real in [
        "key_quiet",
        "198.51.100.77",
        "ops@fjord.example",
        "cus_10",
        CANARY,
    ] {
        assert!(!text.contains(real), "`{real}` left in the draft:\n{text}");
    }
    assert!(text.contains("key_id = \"key_train_1\""), "{text}");
    assert!(text.contains("203.0.113.1"), "{text}");
    assert!(
        text.contains("with [secret removed]") && !text.contains('…'),
        "not even a mask is left: {text}"
    );
    assert!(text.contains("outcome = \"key-never-valid\""), "{text}");
    assert!(text.contains("ask-key-match = \"differs\""), "{text}");

    // The frozen evidence alone takes the expected answers to the expected outcome.
    let check = sb.run(&["train", "check", "--no-coverage", dir.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}\n{text}", check.stdout, check.stderr);
}
