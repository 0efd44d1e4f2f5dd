//! Training in the terminal app, driven in tmux as a trainee would: `authdesk train` on a
//! folder holding one tiny scenario, walked from the picker to its score card, with the
//! result file written. They need tmux and fail without it.

mod common;
use common::tmux::Pane;

/// One scenario (401, one question with a hint): the key the customer sends differs.
const SCENARIOS: &str = "tests/fixtures/training/tui";

fn scenarios() -> String {
    std::fs::canonicalize(SCENARIOS)
        .unwrap()
        .display()
        .to_string()
}

fn results(pane: &Pane) -> Vec<serde_json::Value> {
    let dir = pane.sb.data_dir().join("training").join("results");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}

#[test]
fn a_trainee_takes_a_scenario_to_its_score_card_and_the_result_is_saved() {
    let pane = Pane::new(80, 24);
    pane.run(
        &["train", "--trainee", "ana", "--scenarios", &scenarios()],
        &[],
    );
    let picker = pane.wait_for("tiny-key-mismatch");
    assert!(picker.contains("TRAINING"), "{picker}");
    assert!(picker.contains("trainee ana"), "{picker}");
    pane.keys(&["Enter"]);
    // The customer's text comes first; any key closes it.
    pane.wait_for("the customer wrote");
    pane.keys(&["x"]);
    // The popup covers the form until it closes.
    pane.wait_gone("the customer wrote");
    let intake = pane.wait_for("evidence ready");
    assert!(intake.contains("key_quiet"), "intake pre-filled:\n{intake}");
    assert!(intake.contains("TRAINING 00:"), "the clock runs:\n{intake}");
    pane.keys(&["C-s"]);
    pane.wait_for("Same key?");
    pane.keys(&["H"]);
    pane.wait_for("This hint costs 10 points");
    pane.keys(&["x"]);
    pane.keys(&["1"]);
    let card = pane.wait_for("PASS");
    assert!(card.contains("score 90/100"), "{card}");
    assert!(card.contains("key-never-valid  ✓ right"), "{card}");
    assert!(card.contains("1 used (−10)"), "{card}");
    pane.wait_for("Result saved");

    let saved = results(&pane);
    assert_eq!(saved.len(), 1, "one result file");
    let r = &saved[0];
    assert_eq!(r["trainee"], "ana");
    assert_eq!(r["scenario"]["id"], "tiny-key-mismatch");
    assert_eq!(r["passed"], true);
    assert_eq!(r["score"], 90);
    assert_eq!(r["hints_used"][0]["node"], "ask-key-match");
    assert_eq!(
        r["answers"].as_array().unwrap().last().unwrap()["source"],
        "trainee"
    );

    // No session or ticket of the agent's is touched by a training case.
    assert!(!pane.sb.data_dir().join("sessions").exists());
    assert!(!pane.sb.tickets_dir().exists());

    // Back at the picker, q leaves.
    pane.keys(&["Escape"]);
    pane.wait_for("Scenarios · set all");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), "0");
}

#[test]
fn the_trainee_name_is_asked_once_and_remembered() {
    let pane = Pane::new(80, 24);
    pane.run(&["train", "--scenarios", &scenarios()], &[]);
    pane.wait_for("Who is training?");
    pane.text("bea");
    pane.keys(&["Enter"]);
    pane.wait_for("trainee bea");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), "0");

    pane.run(&["train", "--scenarios", &scenarios()], &[]);
    let form = pane.wait_for("Who is training?");
    assert!(form.contains("Name: bea"), "remembered:\n{form}");
    pane.keys(&["Enter"]);
    pane.wait_for("trainee bea");
}

#[test]
fn a_trainee_named_with_the_flag_is_remembered_for_next_time() {
    let pane = Pane::new(80, 24);
    pane.run(
        &["train", "--trainee", "cai", "--scenarios", &scenarios()],
        &[],
    );
    pane.wait_for("trainee cai");
    pane.keys(&["q"]);
    assert_eq!(pane.exit_status(), "0");

    pane.run(&["train", "--scenarios", &scenarios()], &[]);
    let form = pane.wait_for("Who is training?");
    assert!(form.contains("Name: cai"), "remembered:\n{form}");
}

#[test]
fn a_scenario_log_paste_reaches_the_walk_in_the_app_and_decides_it() {
    let pane = Pane::new(80, 24);
    // The shipped scenario alone in its folder: its access-log paste, not a question,
    // shows these 401s are the expected ones.
    let folder = pane.sb.path().join("scenarios");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(
        "training/alert-on-normal-401s.toml",
        folder.join("alert-on-normal-401s.toml"),
    )
    .unwrap();
    let folder = folder.display().to_string();
    pane.run(&["train", "--trainee", "ana", "--scenarios", &folder], &[]);
    pane.wait_for("alert-on-normal-401s");
    pane.keys(&["Enter"]);
    pane.wait_for("the customer wrote");
    pane.keys(&["x"]);
    // The popup covers the form's bottom edge, where the attachment is listed, until it
    // closes.
    pane.wait_for("attached: an access log (24 lines)");
    pane.wait_for("evidence ready");
    pane.keys(&["C-s"]);
    let card = pane.wait_for("PASS");
    assert!(card.contains("expected-401  ✓ right"), "{card}");
    pane.wait_for("Result saved");
    let saved = results(&pane);
    assert_eq!(saved.len(), 1, "one result file");
    let r = &saved[0];
    assert_eq!(r["outcome_reached"], "expected-401");
    assert_eq!(r["questions_answered"], 0, "the log decided: {r}");
    assert_eq!(r["score"], 100);
}
