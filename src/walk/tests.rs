use super::*;
use crate::facts::FactValue;
use crate::runbook::{Catalog, SourceFile};

use crate::testing::now;

fn agent() -> Answerer {
    Answerer::Agent {
        name: "alice".into(),
    }
}

const TREE: &str = r#"
id = "t"
title = "T"
start = "key-state"

[[node]]
id = "key-state"
kind = "check"
text = "key status"
otherwise = "ask-env"
if_unknown = "ask-status"
[[node.rule]]
when = { fact = "key.status", op = "eq", value = "revoked" }
next = "revoked"

[[node]]
id = "ask-status"
kind = "question"
text = "What is the key's status?"
[[node.choice]]
id = "revoked"
label = "Revoked"
next = "revoked"
set = { "key.status" = "revoked" }
[[node.choice]]
id = "active"
label = "Active"
next = "ask-env"
set = { "key.status" = "active" }

[[node]]
id = "ask-env"
kind = "question"
text = "Which environment?"
[[node.choice]]
id = "live"
label = "Live"
next = "fine"

[[node]]
id = "revoked"
kind = "outcome"
resolution = "resolve"
severity = "medium"
summary = "revoked by {key.revoked_by}"
reply = "r"

[[node]]
id = "fine"
kind = "outcome"
resolution = "escalate"
team = "t2"
severity = "low"
summary = "fine"
reply = "r"
"#;

fn tree() -> Runbook {
    let catalog = Catalog::load(vec![SourceFile::new("t.toml", TREE)]);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    catalog.runbooks[0].clone()
}

fn admin_facts(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (k, v) in pairs {
        f.insert_text(k, v, FactSource::AdminApi, now()).unwrap();
    }
    f
}

#[test]
fn revoked_key_decides_without_asking() {
    let rb = tree();
    let walk = Walk::start(&rb, admin_facts(&[("key.status", "revoked")]), now()).unwrap();
    assert!(matches!(
        walk.position(&rb).unwrap(),
        Position::Outcome {
            node: "revoked",
            ..
        }
    ));
    let step = &walk.steps()[0];
    let Decision::Check { decided_by, .. } = &step.decision else {
        panic!("expected a check decision, got {:?}", step.decision)
    };
    assert_eq!(decided_by[0].fact, "key.status");
    assert_eq!(decided_by[0].value, FactValue::Text("revoked".into()));
}

#[test]
fn missing_fact_turns_check_into_question() {
    let rb = tree();
    let walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    assert_eq!(walk.current(), "ask-status");
    assert!(matches!(
        &walk.steps()[0].decision,
        Decision::Undecided { missing, .. } if missing == &["key.status".to_string()]
    ));
}

#[test]
fn facts_arriving_later_decide_the_waiting_check() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    assert_eq!(walk.current(), "ask-status");
    walk.add_facts(&rb, admin_facts(&[("key.status", "revoked")]), now())
        .unwrap();
    assert_eq!(walk.current(), "revoked");
    assert_eq!(
        walk.steps().len(),
        1,
        "the undecided step is replaced, not kept"
    );
    assert!(matches!(walk.steps()[0].decision, Decision::Check { .. }));
}

#[test]
fn later_facts_do_not_override_an_answer_already_given() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "active", agent(), now())
        .unwrap();
    walk.add_facts(&rb, admin_facts(&[("key.status", "revoked")]), now())
        .unwrap();
    assert_eq!(walk.current(), "ask-env");
}

#[test]
fn answers_record_who_and_set_facts() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "active", agent(), now())
        .unwrap();
    let facts = walk.facts();
    let status = facts.get("key.status").unwrap();
    assert_eq!(status.source, FactSource::Agent);
    assert_eq!(walk.steps()[1].decision.decider(), "agent alice");
    walk.answer(&rb, "ask-env", "live", Answerer::Script, now())
        .unwrap();
    assert!(walk.is_finished(&rb));
    assert_eq!(walk.steps()[2].decision.decider(), "script");
}

#[test]
fn back_undoes_the_answer_and_its_facts() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "revoked", agent(), now())
        .unwrap();
    assert!(walk.is_finished(&rb));
    walk.back(&rb, now()).unwrap();
    assert_eq!(walk.current(), "ask-status");
    assert!(walk.facts().get("key.status").is_none());
    assert_eq!(walk.back(&rb, now()), Err(WalkError::NothingToUndo));
}

#[test]
fn rewind_to_an_earlier_step_takes_it_again() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "active", agent(), now())
        .unwrap();
    walk.answer(&rb, "ask-env", "live", agent(), now()).unwrap();
    walk.rewind_to(&rb, 1, now()).unwrap();
    assert_eq!(walk.current(), "ask-status");
    assert_eq!(walk.steps().len(), 1);
    assert_eq!(walk.rewind_to(&rb, 9, now()), Err(WalkError::NoSuchStep(9)));
}

#[test]
fn wrong_answers_are_refused_with_the_valid_choices() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    let err = walk
        .answer(&rb, "ask-status", "purple", agent(), now())
        .unwrap_err();
    assert_eq!(
        err,
        WalkError::UnknownChoice {
            node: "ask-status".into(),
            choice: "purple".into(),
            valid: vec!["revoked".into(), "active".into()],
        }
    );
    let err = walk
        .answer(&rb, "ask-env", "live", agent(), now())
        .unwrap_err();
    assert!(matches!(err, WalkError::NotHere { .. }));
    walk.answer(&rb, "ask-status", "revoked", agent(), now())
        .unwrap();
    let err = walk
        .answer(&rb, "ask-status", "active", agent(), now())
        .unwrap_err();
    assert_eq!(err, WalkError::Finished("revoked".into()));
}

#[test]
fn notes_and_unavailable_evidence_are_kept() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.add_note(
        None,
        "customer says it broke at noon".into(),
        "alice",
        now(),
    );
    walk.record_unavailable(
        FactSource::AdminApi,
        "key status",
        "timed out after 5 s",
        now(),
    );
    walk.record_unavailable(
        FactSource::AdminApi,
        "key status",
        "timed out after 5 s",
        now(),
    );
    assert_eq!(walk.notes()[0].node, "ask-status");
    assert_eq!(
        walk.unavailable().len(),
        1,
        "a repeated failure is recorded once"
    );
    walk.clear_unavailable(FactSource::AdminApi, "key status");
    assert!(walk.unavailable().is_empty());
}

#[test]
fn a_saved_walk_resumes_exactly() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "active", agent(), now())
        .unwrap();
    walk.add_note(None, "note".into(), "alice", now());
    let saved = serde_json::to_string(&walk).unwrap();
    let mut resumed: Walk = serde_json::from_str(&saved).unwrap();
    assert_eq!(resumed, walk);
    resumed.verify(&rb).unwrap();
    resumed
        .answer(&rb, "ask-env", "live", agent(), now())
        .unwrap();
    assert!(resumed.is_finished(&rb));
}

#[test]
fn a_changed_runbook_is_refused_on_resume() {
    let rb = tree();
    let walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    let mut edited = rb.clone();
    edited.content_hash = "000000000000".into();
    assert!(matches!(
        walk.verify(&edited),
        Err(WalkError::RunbookMismatch { .. })
    ));
}

/// A check that fell through because a fact had not arrived yet, then a question.
const EXISTS_TREE: &str = r#"
id = "e"
title = "E"
start = "anomaly"

[[node]]
id = "anomaly"
kind = "check"
text = "stuffing?"
otherwise = "key-state"
if_unknown = "ask-same-key"
[[node.rule]]
when = { all = [
  { fact = "failures.anomaly", op = "exists" },
  { fact = "failures.anomaly", op = "eq", value = true },
] }
next = "stuffing"

[[node]]
id = "key-state"
kind = "check"
text = "key status"
otherwise = "ask-same-key"
if_unknown = "ask-same-key"
[[node.rule]]
when = { fact = "key.status", op = "eq", value = "revoked" }
next = "stuffing"

[[node]]
id = "ask-same-key"
kind = "question"
text = "Same key?"
[[node.choice]]
id = "yes"
label = "Yes"
next = "stuffing"

[[node]]
id = "stuffing"
kind = "outcome"
resolution = "resolve"
severity = "high"
summary = "s"
reply = "r"
"#;

#[test]
fn a_check_that_fell_through_before_its_fact_arrived_is_decided_again() {
    let catalog = Catalog::load(vec![SourceFile::new("e.toml", EXISTS_TREE)]);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    let rb = catalog.runbooks[0].clone();
    // The key's status came first; the failure summary is still on its way.
    let mut walk = Walk::start(&rb, admin_facts(&[("key.status", "active")]), now()).unwrap();
    assert_eq!(walk.current(), "ask-same-key");
    let mut anomaly = Facts::new();
    anomaly
        .insert_text("failures.anomaly", "true", FactSource::AdminApi, now())
        .unwrap();
    let redone = walk.add_facts(&rb, anomaly.clone(), now()).unwrap();
    assert_eq!(walk.current(), "stuffing");
    assert_eq!(redone, Some(0), "the first check is the one decided again");
    assert_eq!(walk.steps().len(), 1);

    // The same answer again changes nothing, not even the step's time.
    let before = walk.clone();
    let later = now() + chrono::Duration::minutes(5);
    assert_eq!(walk.add_facts(&rb, anomaly, later).unwrap(), None);
    assert_eq!(walk, before);
}

#[test]
fn evidence_after_an_answer_redecides_only_the_checks_after_it() {
    let rb = tree();
    let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    walk.answer(&rb, "ask-status", "active", agent(), now())
        .unwrap();
    let redone = walk
        .add_facts(&rb, admin_facts(&[("key.status", "revoked")]), now())
        .unwrap();
    assert_eq!(redone, None);
    assert_eq!(walk.current(), "ask-env");
}
