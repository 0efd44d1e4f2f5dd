//! The whole app driven headless: messages in, state and effects out.

use super::*;
use crate::facts::{FactSource, Facts};
use crate::runbook::Catalog;
use crate::tui::keymap::Keymap;
use crate::tui::state::{Clock, Load, WalkPane};
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::testing::now;

pub fn app() -> State {
    let catalog = Catalog::builtin();
    State::new(
        catalog.runbooks,
        Keymap::defaults(),
        "alice",
        Clock::Fixed(now()),
    )
}

pub(super) fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(super) fn ctrl(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub(super) fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

pub(super) fn focus_field(s: &mut State, name: &str) -> Vec<Effect> {
    let Screen::Intake(form) = &s.screen else {
        panic!("not on intake")
    };
    let i = form.fields.iter().position(|f| f.name == name).unwrap();
    intake::move_focus(s, i)
}

/// Home → the 401 runbook → intake with a customer and key id → the walk.
pub(super) fn walk_401(s: &mut State) -> Vec<Effect> {
    press(s, KeyCode::Enter);
    assert!(matches!(s.screen, Screen::Intake(_)));
    type_text(s, "cus_1001");
    let mut effects = focus_field(s, "key_id");
    type_text(s, "key_revoked");
    effects.extend(ctrl(s, 's'));
    effects
}

pub(super) fn current(s: &State) -> String {
    let case = s.case.as_ref().unwrap();
    case.session.walk.as_ref().unwrap().current().to_string()
}

fn saves(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::SaveSession(_)))
        .count()
}

pub(super) fn generation(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::FetchEvidence { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("evidence was fetched")
}

pub(super) fn admin(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (k, v) in pairs {
        f.insert_text(k, v, FactSource::AdminApi, now()).unwrap();
    }
    f
}

#[test]
fn letters_type_into_a_focused_field_instead_of_quitting() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "q?");
    assert!(!s.quit);
    assert!(s.overlay.is_none());
    let Screen::Intake(form) = &s.screen else {
        panic!()
    };
    assert_eq!(form.fields[0].raw(), "q?");
}

#[test]
fn an_ip_that_is_not_an_ip_blocks_the_walk_and_says_why() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    focus_field(&mut s, "client_ip");
    type_text(&mut s, "10.0.0.300");
    ctrl(&mut s, 's');
    assert!(matches!(s.screen, Screen::Intake(_)));
    let status = s.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("not a valid ip"),
        "{status:?}"
    );
}

#[test]
fn naming_a_key_starts_the_evidence_once() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "cus_1001");
    let first = focus_field(&mut s, "method");
    assert_eq!(generation(&first), 1);
    let again = focus_field(&mut s, "error_body");
    assert!(
        !again
            .iter()
            .any(|e| matches!(e, Effect::FetchEvidence { .. }))
    );
}

#[test]
fn every_answer_is_saved_as_it_happens() {
    let mut s = app();
    let effects = walk_401(&mut s);
    assert_eq!(
        saves(&effects),
        2,
        "on leaving the field and on starting the walk: {effects:?}"
    );
    assert_eq!(current(&s), "ask-wider-incident");
    let effects = press(&mut s, KeyCode::Char('5'));
    assert_eq!(saves(&effects), 1);
    assert_ne!(current(&s), "ask-wider-incident");
    let Some(Effect::SaveSession(saved)) = effects.last() else {
        panic!()
    };
    let steps = saved.walk.as_ref().unwrap().steps();
    assert!(
        matches!(&steps[1].decision, crate::walk::Decision::Answer { choice, .. } if choice == "just-this-customer")
    );
}

#[test]
fn evidence_arriving_decides_the_waiting_question() {
    let mut s = app();
    let effects = walk_401(&mut s);
    let g = generation(&effects);
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![crate::evidence::QueryKind::Key],
            demo: true,
        },
    );
    press(&mut s, KeyCode::Char('5'));
    assert_eq!(current(&s), "ask-key-status");
    let effects = update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query: crate::evidence::QueryKind::Key,
            elapsed: std::time::Duration::from_millis(120),
            facts: admin(&[("key.status", "revoked"), ("key.revoked_by", "ops")]),
        },
    );
    assert_eq!(current(&s), "key-revoked");
    assert!(matches!(s.screen, Screen::Outcome(_)));
    assert_eq!(saves(&effects), 1);
    assert!(s.case.as_ref().unwrap().session.demo_data);
}

#[test]
fn answers_to_an_older_round_of_queries_are_ignored() {
    let mut s = app();
    let g = generation(&walk_401(&mut s));
    press(&mut s, KeyCode::Char('5'));
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g + 7,
            query: crate::evidence::QueryKind::Key,
            elapsed: std::time::Duration::from_millis(120),
            facts: admin(&[("key.status", "revoked")]),
        },
    );
    assert_eq!(current(&s), "ask-key-status");
}

#[test]
fn a_failed_query_shows_in_place_and_goes_on_the_walk() {
    let mut s = app();
    let g = generation(&walk_401(&mut s));
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![crate::evidence::QueryKind::Health],
            demo: false,
        },
    );
    update(
        &mut s,
        Msg::EvidenceFailed {
            generation: g,
            query: crate::evidence::QueryKind::Health,
            error: crate::admin::AdminError::TimedOut {
                after: std::time::Duration::from_secs(5),
            },
        },
    );
    let case = s.case.as_ref().unwrap();
    assert_eq!(
        case.evidence.queries[0].1,
        Load::Failed("timed out after 5 s".into())
    );
    let unavailable = case.session.walk.as_ref().unwrap().unavailable();
    assert_eq!(unavailable[0].reason, "timed out after 5 s");
}

#[test]
fn keys_move_the_selection_while_queries_are_in_flight() {
    let mut s = app();
    let g = generation(&walk_401(&mut s));
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![crate::evidence::QueryKind::Key],
            demo: true,
        },
    );
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Char('j'));
    let Screen::Walk(ws) = &s.screen else {
        panic!()
    };
    assert_eq!(ws.choice, 2);
    assert!(s.case.as_ref().unwrap().evidence.in_flight());
}

#[test]
fn undo_and_jump_back_change_answers_through_the_walk() {
    let mut s = app();
    walk_401(&mut s);
    press(&mut s, KeyCode::Char('5'));
    assert_eq!(current(&s), "ask-key-status");
    press(&mut s, KeyCode::Char('u'));
    assert_eq!(current(&s), "ask-wider-incident");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Char('g'));
    press(&mut s, KeyCode::Enter);
    assert_eq!(current(&s), "ask-wider-incident");
    let Screen::Walk(ws) = &s.screen else {
        panic!()
    };
    assert_eq!(ws.pane, WalkPane::Choices);
}

#[test]
fn quit_asks_while_the_case_has_no_ticket() {
    let mut s = app();
    walk_401(&mut s);
    let effects = press(&mut s, KeyCode::Char('q'));
    assert!(effects.is_empty());
    assert!(matches!(s.overlay, Some(Overlay::ConfirmQuit)));
    press(&mut s, KeyCode::Char('n'));
    assert!(s.overlay.is_none() && !s.quit);
    press(&mut s, KeyCode::Char('q'));
    let effects = press(&mut s, KeyCode::Char('y'));
    assert!(s.quit);
    assert!(matches!(
        effects.as_slice(),
        [Effect::SaveSession(_), Effect::Quit]
    ));
}

#[test]
fn sigterm_saves_and_leaves_without_asking() {
    let mut s = app();
    walk_401(&mut s);
    let effects = update(
        &mut s,
        Msg::Terminate {
            signal: crate::tui::msg::Signal::Term,
        },
    );
    assert!(s.quit);
    assert!(matches!(
        effects.as_slice(),
        [Effect::SaveSession(_), Effect::Quit]
    ));
}

/// Walks the 401 tree to its revoked-key outcome by keys alone.
/// The saved tickets are asked for on arrival; none are saved yet, so none come back.
pub(super) fn to_outcome(s: &mut State) {
    walk_401(s);
    let mut effects = Vec::new();
    for n in ['5', '2'] {
        effects = press(s, KeyCode::Char(n));
    }
    assert!(matches!(s.screen, Screen::Outcome(_)), "at {}", current(s));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadIncidents)),
        "{effects:?}"
    );
    update(s, Msg::IncidentsLoaded(Vec::new()));
}

#[test]
fn saving_the_ticket_names_the_files_and_finishes_the_case() {
    let mut s = app();
    to_outcome(&mut s);
    let effects = press(&mut s, KeyCode::Char('s'));
    let [Effect::SaveTicket(ticket)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(ticket.outcome.id, "key-revoked");
    let files = vec!["/t/ESC-1.md".into(), "/t/ESC-1.json".into()];
    let effects = update(&mut s, Msg::TicketSaved { files });
    assert_eq!(saves(&effects), 1);
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("ESC-1.md and ESC-1.json in /t")
    );
    assert!(!s.case_unsaved());
    let effects = press(&mut s, KeyCode::Char('q'));
    assert!(matches!(effects.last(), Some(Effect::Quit)));
}

#[test]
fn summary_and_notes_edit_the_ticket_keeping_its_id() {
    let mut s = app();
    to_outcome(&mut s);
    let Screen::Outcome(o) = &s.screen else {
        panic!()
    };
    let id = o.ticket.id.clone();
    press(&mut s, KeyCode::Char('e'));
    for _ in 0..200 {
        press(&mut s, KeyCode::Backspace);
    }
    update(&mut s, Msg::Paste("Revoked by ops".into()));
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Char('n'));
    type_text(&mut s, "quoted sq");
    ctrl(&mut s, 's');
    let Screen::Outcome(o) = &s.screen else {
        panic!()
    };
    assert_eq!(o.ticket.id, id);
    assert_eq!(o.ticket.summary, "Revoked by ops");
    assert_eq!(o.ticket.notes[0].text, "quoted sq");
}

#[test]
fn resume_brings_the_case_back_where_it_stood() {
    let mut s = app();
    walk_401(&mut s);
    press(&mut s, KeyCode::Char('5'));
    let session = s.case.as_ref().unwrap().session.clone();
    let mut fresh = app();
    open_session(&mut fresh, session);
    assert!(matches!(fresh.screen, Screen::Walk(_)));
    assert_eq!(current(&fresh), current(&s));
}

#[test]
fn a_click_selects_a_choice_and_a_second_click_answers() {
    let mut s = app();
    walk_401(&mut s);
    update(
        &mut s,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let body = crate::tui::view::layout::chrome(ratatui::layout::Rect::new(0, 0, 80, 24)).body;
    let text = s
        .case
        .as_ref()
        .unwrap()
        .runbook
        .node("ask-wider-incident")
        .unwrap()
        .text
        .clone();
    let areas = crate::tui::view::layout::walk(body, WalkPane::Choices, text.trim(), 6);
    let last = areas.choices.y + 4;
    update(&mut s, click(last));
    let Screen::Walk(ws) = &s.screen else {
        panic!()
    };
    assert_eq!(ws.choice, 4);
    update(&mut s, click(last));
    assert_eq!(current(&s), "ask-key-status");
}

#[test]
fn opening_a_case_holds_it_and_going_home_lets_it_go() {
    let mut s = app();
    let effects = press(&mut s, KeyCode::Enter);
    let id = s.case.as_ref().unwrap().session.id.clone();
    assert!(
        matches!(effects.as_slice(), [Effect::HoldCase(Some(held))] if *held == id),
        "{effects:?}"
    );
    let session = s.case.as_ref().unwrap().session.clone();
    let effects = case::go_home(&mut s);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::HoldCase(None))),
        "{effects:?}"
    );
    let mut fresh = app();
    let effects = open_session(&mut fresh, session);
    assert!(
        matches!(effects.as_slice(), [Effect::HoldCase(Some(held))] if *held == id),
        "{effects:?}"
    );
}

#[test]
fn a_case_open_elsewhere_goes_home_unsaved_with_the_reason() {
    let mut s = app();
    walk_401(&mut s);
    let id = s.case.as_ref().unwrap().session.id.clone();
    let reason = format!("case {id} is open in another authdesk (pid 4242)");
    let effects = update(
        &mut s,
        Msg::CaseNotHeld {
            id: id.clone(),
            reason,
        },
    );
    assert!(s.case.is_none());
    assert!(matches!(s.screen, Screen::Home(_)));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SaveSession(_))),
        "the other authdesk's copy is the case: {effects:?}"
    );
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("open in another authdesk (pid 4242)"),
        "{status}"
    );
}
