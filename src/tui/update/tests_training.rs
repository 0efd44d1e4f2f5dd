//! Training mode headless: a scenario taken from the picker runs on the live screens, its
//! case never touches the agent's sessions or tickets, hints are recorded with their cost,
//! and reaching an outcome scores and saves the attempt and shows the score card.

use super::tests::{app, ctrl, press};
use super::*;
use crate::runbook::{Catalog, SourceFile};
use crate::testing::now;
use crate::training::Scenario;
use crate::tui::state::{Clock, WalkPane};
use crate::tui::training::{Lesson, ScenarioData, TrainingScreen, TrainingSetup};

/// The first question decides: validation is down. No evidence is needed.
const OUTAGE: &str = r#"
id = "outage"
version = 1
title = "Everything 401s"
difficulty = 1
runbook = "401"
customer_wrote = "All our calls fail with 401 since 10:00."

[intake]
key_id = "key_healthy"

[expect]
outcome = "escalate-validation-down"
answers = { "ask-wider-incident" = "validation-down" }
par = 1

[[hint]]
node = "ask-wider-incident"
text = "Look at the status page first."
cost = 10

[[critical]]
outcome = "escalate-multi-customer"
why = "Calls an outage of ours a run of customer reports."

[debrief]
why = "The status page says validation is down."
trap = "Several customers write in, which is the symptom, not the cause."
"#;

fn lesson(id: &str, difficulty: u8) -> Lesson {
    let text = OUTAGE
        .replace("\"outage\"", &format!("\"{id}\""))
        .replace("difficulty = 1", &format!("difficulty = {difficulty}"));
    let scenario = Scenario::load(&SourceFile::new(format!("training/{id}.toml"), text)).unwrap();
    let runbook = Catalog::builtin().find("401").unwrap().clone();
    Lesson { scenario, runbook }
}

fn training(given: bool) -> State {
    let mut s = app();
    let setup = TrainingSetup {
        trainee: Some("ana".into()),
        trainee_given: given,
        lessons: vec![lesson("outage-b", 2), lesson("outage", 1)],
        problems: Vec::new(),
        results_dir: "/results".into(),
    };
    begin_training(&mut s, setup);
    s
}

/// The first scenario taken, the customer's text read, the walk started.
fn walking() -> (State, Vec<Effect>) {
    let mut s = training(true);
    let mut effects = press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Char('x'));
    effects.extend(ctrl(&mut s, 's'));
    assert!(matches!(s.screen, Screen::Walk(_)), "walking");
    (s, effects)
}

fn card(s: &State) -> &crate::tui::training::Card {
    match &s.screen {
        Screen::Training(TrainingScreen::Card(c)) => c,
        _ => panic!("not at the score card"),
    }
}

#[test]
fn the_name_form_starts_with_the_remembered_name_and_is_remembered_again() {
    let mut s = training(false);
    assert!(matches!(
        &s.screen,
        Screen::Training(TrainingScreen::Trainee { name }) if name == "ana"
    ));
    press(&mut s, KeyCode::Backspace);
    let effects = press(&mut s, KeyCode::Enter);
    assert!(matches!(s.screen, Screen::Training(TrainingScreen::Picker)));
    assert!(matches!(&effects[..], [Effect::RememberTrainee(n)] if n == "an"));
}

#[test]
fn a_name_given_on_the_command_line_is_remembered_like_a_typed_one() {
    let mut s = app();
    let setup = TrainingSetup {
        trainee: Some("ana".into()),
        trainee_given: true,
        lessons: vec![lesson("outage", 1)],
        problems: Vec::new(),
        results_dir: "/results".into(),
    };
    let effects = begin_training(&mut s, setup);
    assert!(matches!(s.screen, Screen::Training(TrainingScreen::Picker)));
    assert!(
        matches!(&effects[..], [Effect::RememberTrainee(n)] if n == "ana"),
        "{effects:?}"
    );
}

#[test]
fn sets_run_easiest_first_and_the_filter_narrows_the_picker() {
    let mut s = training(true);
    let t = s.training.as_ref().unwrap();
    let ids: Vec<&str> = t
        .visible()
        .iter()
        .map(|&i| t.lessons[i].scenario.id.as_str())
        .collect();
    assert_eq!(ids, ["outage", "outage-b"]);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    assert_eq!(
        s.training.as_ref().unwrap().visible().len(),
        1,
        "the ★★ set"
    );
    press(&mut s, KeyCode::BackTab);
    press(&mut s, KeyCode::BackTab);
    press(&mut s, KeyCode::Char('/'));
    for c in "-b".chars() {
        press(&mut s, KeyCode::Char(c));
    }
    let t = s.training.as_ref().unwrap();
    assert_eq!(t.visible().len(), 1);
    assert_eq!(t.lessons[t.visible()[0]].scenario.id, "outage-b");
}

#[test]
fn a_training_case_serves_its_data_and_is_never_saved_or_locked() {
    let (s, effects) = walking();
    assert!(matches!(
        effects[0],
        Effect::ServeScenario(ScenarioData::Overlay { builtin: true, .. })
    ));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchEvidence { .. }))
    );
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::HoldCase(_) | Effect::SaveSession(_) | Effect::LoadHome
        )),
        "{effects:?}"
    );
    // The intake came from the scenario.
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    assert_eq!(
        walk.facts().value("key_id").unwrap().to_string(),
        "key_healthy"
    );
}

#[test]
fn the_customer_text_shows_first_and_any_key_closes_it_without_typing() {
    let mut s = training(true);
    press(&mut s, KeyCode::Enter);
    let popup = s.training.as_ref().unwrap().popup.clone().unwrap();
    assert!(popup.text.contains("All our calls fail"));
    press(&mut s, KeyCode::Char('x'));
    assert!(s.training.as_ref().unwrap().popup.is_none());
    let Screen::Intake(form) = &mut s.screen else {
        panic!("intake")
    };
    assert!(!form.fields.iter().any(|f| f.raw().contains('x')));
}

#[test]
fn hints_are_recorded_once_each_and_cost_points_on_the_card() {
    let (mut s, _) = walking();
    press(&mut s, KeyCode::Char('H'));
    let popup = s.training.as_ref().unwrap().popup.clone().unwrap();
    assert!(popup.text.contains("status page") && popup.text.contains("10 points"));
    press(&mut s, KeyCode::Char('x'));
    // The only hint again: shown, not charged twice.
    press(&mut s, KeyCode::Char('H'));
    press(&mut s, KeyCode::Char('x'));
    let a = s.training.as_ref().unwrap().attempt.as_ref().unwrap();
    assert_eq!(a.hints, ["ask-wider-incident"]);
    press(&mut s, KeyCode::Char('1'));
    let c = card(&s);
    assert!(c.result.passed);
    assert_eq!(c.result.score, 90);
    assert_eq!(c.result.hints_used.len(), 1);
}

#[test]
fn the_outcome_scores_saves_and_shows_the_card_with_the_time_taken() {
    let (mut s, _) = walking();
    s.clock = Clock::Fixed(now() + chrono::Duration::seconds(95));
    let effects = press(&mut s, KeyCode::Char('2'));
    let saved = effects.iter().find_map(|e| match e {
        Effect::SaveResult { result, dir } => Some((result, dir)),
        _ => None,
    });
    let (result, dir) = saved.expect("the result is saved");
    assert_eq!(dir.to_str(), Some("/results"));
    assert!(!result.passed);
    assert_eq!(
        result.critical_errors[0].rule,
        "outcome:escalate-multi-customer"
    );
    assert_eq!(
        result.first_divergence.as_deref(),
        Some("ask-wider-incident")
    );
    assert_eq!(result.seconds, 95);
    assert!(s.case.is_none(), "the case is over");
    assert!(card(&s).saved.is_none());
    update(&mut s, Msg::ResultSaved(Ok("/results/r.json".into())));
    assert!(card(&s).saved.as_ref().unwrap().is_ok());
}

#[test]
fn retry_next_and_back_from_the_card() {
    let (mut s, _) = walking();
    press(&mut s, KeyCode::Char('1'));
    let effects = press(&mut s, KeyCode::Char('r'));
    assert!(matches!(effects[0], Effect::ServeScenario(_)));
    let t = s.training.as_ref().unwrap();
    assert_eq!(
        t.lessons[t.attempt.as_ref().unwrap().lesson].scenario.id,
        "outage"
    );
    press(&mut s, KeyCode::Char('x'));
    ctrl(&mut s, 's');
    press(&mut s, KeyCode::Char('1'));
    press(&mut s, KeyCode::Char('n'));
    let t = s.training.as_ref().unwrap();
    assert_eq!(
        t.lessons[t.attempt.as_ref().unwrap().lesson].scenario.id,
        "outage-b"
    );
    // Esc at intake closes the case: back to the picker, not home.
    press(&mut s, KeyCode::Char('x'));
    let effects = press(&mut s, KeyCode::Esc);
    assert!(matches!(s.screen, Screen::Training(TrainingScreen::Picker)));
    assert!(!effects.iter().any(|e| matches!(e, Effect::LoadHome)));
    assert!(s.training.as_ref().unwrap().attempt.is_none());
}

#[test]
fn the_card_shows_the_ticket_the_case_would_have_written() {
    let (mut s, _) = walking();
    let effects = press(&mut s, KeyCode::Char('1'));
    // Nobody's case: nothing saved, and no links to the agent's real tickets looked up.
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SaveTicket(_) | Effect::LoadIncidents)),
        "{effects:?}"
    );
    press(&mut s, KeyCode::Enter);
    let Some(crate::tui::state::Overlay::Ticket { text, .. }) = &s.overlay else {
        panic!("no ticket shown")
    };
    assert!(text.contains("escalate-validation-down"), "{text}");
}

#[test]
fn q_on_the_card_goes_to_the_picker_and_on_the_picker_leaves() {
    let (mut s, _) = walking();
    press(&mut s, KeyCode::Char('1'));
    press(&mut s, KeyCode::Char('q'));
    assert!(matches!(s.screen, Screen::Training(TrainingScreen::Picker)));
    assert!(!s.quit);
    press(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
}

#[test]
fn evidence_on_screen_counts_as_opened() {
    let (mut s, _) = walking();
    let g = s.case.as_ref().unwrap().evidence.generation;
    let mut facts = crate::facts::Facts::new();
    facts
        .insert_text(
            "key.status",
            "active",
            crate::facts::FactSource::AdminApi,
            now(),
        )
        .unwrap();
    update(
        &mut s,
        Msg::EvidenceLoaded {
            generation: g,
            query: crate::evidence::QueryKind::Key,
            facts,
            elapsed: std::time::Duration::from_millis(5),
            key_absent: false,
        },
    );
    let opened = |s: &State| {
        s.training
            .as_ref()
            .unwrap()
            .attempt
            .as_ref()
            .unwrap()
            .evidence_opened
            .clone()
    };
    assert!(opened(&s).is_empty(), "not looked at yet");
    while !matches!(&s.screen, Screen::Walk(ws) if ws.pane == WalkPane::Evidence) {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(opened(&s), ["key.status"]);
}

#[test]
fn the_report_is_read_off_the_loop() {
    let mut s = training(true);
    let effects = press(&mut s, KeyCode::Char('R'));
    assert!(matches!(&effects[..], [Effect::LoadReport(d)] if d.to_str() == Some("/results")));
    update(&mut s, Msg::ReportLoaded(Err("cannot read".into())));
    assert!(matches!(
        &s.screen,
        Screen::Training(TrainingScreen::Report(r)) if matches!(r.data, crate::tui::state::Load::Failed(_))
    ));
    press(&mut s, KeyCode::Esc);
    assert!(matches!(s.screen, Screen::Training(TrainingScreen::Picker)));
}

#[test]
fn a_scenario_with_frozen_facts_hands_them_over_instead_of_serving_data() {
    let text = OUTAGE.replace(
        "[intake]",
        "[facts]\n\"key.status\" = \"active\"\n\"key.last_used_at\" = \"now-3m\"\n\n[intake]",
    );
    let scenario = Scenario::load(&SourceFile::new("training/outage.toml", text)).unwrap();
    let runbook = Catalog::builtin().find("401").unwrap().clone();
    let mut s = app();
    let setup = TrainingSetup {
        trainee: Some("ana".into()),
        trainee_given: true,
        lessons: vec![Lesson { scenario, runbook }],
        problems: Vec::new(),
        results_dir: "/results".into(),
    };
    begin_training(&mut s, setup);
    let effects = press(&mut s, KeyCode::Enter);
    let Effect::ServeScenario(ScenarioData::Frozen(Ok(facts))) = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(facts.value("key.status").unwrap().to_string(), "active");
    let three_minutes_ago = now() - chrono::Duration::minutes(3);
    let last_used = facts.get("key.last_used_at").unwrap().value.to_string();
    assert_eq!(
        last_used,
        three_minutes_ago
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
        "anchored at now"
    );
}

#[test]
fn every_paste_of_a_scenario_reaches_the_walk_and_the_trainee_is_told_of_each() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/training/alert-on-normal-401s.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    // A request besides the shipped log: the request takes the paste field, the log is
    // attached.
    let text = text.replace(
        "[pastes]\n",
        "[pastes]\nrequest = \"curl -H 'X-API-Key: sk_live_aaaaaaaaaaaaaaaaaaaa1234' https://api.example.com/v1/orders\"\n",
    );
    let scenario = Scenario::load(&SourceFile::new(path, text)).unwrap();
    let runbook = Catalog::builtin().find("401").unwrap().clone();
    let mut s = app();
    let setup = TrainingSetup {
        trainee: Some("ana".into()),
        trainee_given: true,
        lessons: vec![Lesson { scenario, runbook }],
        problems: Vec::new(),
        results_dir: "/results".into(),
    };
    begin_training(&mut s, setup);
    press(&mut s, KeyCode::Enter);
    let popup = s.training.as_ref().unwrap().popup.clone().unwrap();
    assert!(
        popup.text.contains("in the intake's paste field")
            && popup
                .text
                .contains("They also sent an access log (24 lines)"),
        "{}",
        popup.text
    );
    press(&mut s, KeyCode::Char('x'));
    let Screen::Intake(form) = &s.screen else {
        panic!("intake")
    };
    assert!(form.paste().unwrap().starts_with("curl"));
    assert_eq!(
        crate::tui::materials::describe(&form.attached),
        ["an access log (24 lines)"]
    );
    ctrl(&mut s, 's');
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    let facts = walk.facts();
    // The log decides whether these 401s are the expected ones; the request was read too.
    assert_eq!(facts.value("logs.band_401").unwrap().to_string(), "normal");
    assert_eq!(
        facts.get("logs.band_401").unwrap().source,
        crate::facts::FactSource::Diagnostics
    );
    assert!(facts.get("request.header_name").is_some(), "{facts:?}");
}

#[test]
fn only_evidence_scrolled_into_view_counts_as_opened() {
    let (mut s, _) = walking();
    let g = s.case.as_ref().unwrap().evidence.generation;
    let mut facts = crate::facts::Facts::new();
    let api = crate::facts::FactSource::AdminApi;
    let pairs = [
        ("key.status", "active"),
        ("key.env", "live"),
        ("key.customer_id", "cus_1001"),
        ("customer.status", "active"),
        ("customer.plan", "starter"),
        ("key.last_used_at", "2026-11-22T09:00:00Z"),
        ("key.accepted_header", "X-API-Key"),
        ("health.status", "ok"),
    ];
    for (name, value) in pairs {
        facts.insert_text(name, value, api, now()).unwrap();
    }
    update(
        &mut s,
        Msg::EvidenceLoaded {
            generation: g,
            query: crate::evidence::QueryKind::Key,
            facts,
            elapsed: std::time::Duration::from_millis(5),
            key_absent: false,
        },
    );
    let opened = |s: &State| {
        let a = s.training.as_ref().unwrap().attempt.as_ref().unwrap();
        a.evidence_opened.clone()
    };
    while !matches!(&s.screen, Screen::Walk(ws) if ws.pane == WalkPane::Evidence) {
        press(&mut s, KeyCode::Tab);
    }
    // At 80x24 the pane has four rows: the queries and the key card's heading fill them.
    assert!(opened(&s).is_empty(), "{:?}", opened(&s));
    press(&mut s, KeyCode::Down);
    let first = opened(&s);
    assert!(first.iter().any(|n| n == "key.status"), "{first:?}");
    assert!(!first.iter().any(|n| n == "health.status"), "{first:?}");
    press(&mut s, KeyCode::End);
    let all = opened(&s);
    assert!(all.iter().any(|n| n == "health.status"), "{all:?}");
    assert_eq!(
        all[..first.len()],
        first[..],
        "kept in the order first seen"
    );
}
