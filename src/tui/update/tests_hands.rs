//! Issue 13, "never act on what the agent has not seen": hidden screens, questions that moved
//! by themselves, and what the app leaves behind when it goes.

use super::tests::{app, ctrl, current, focus_field, press, type_text, walk_401};
use super::*;
use crate::session::IntakeValue;
use crate::tui::farewell;
use crate::tui::msg::Signal;

fn too_small(s: &mut State) {
    update(
        s,
        Msg::Resize {
            width: 50,
            height: 12,
        },
    );
}

#[test]
fn a_hidden_walk_takes_no_answer_and_no_quit_dialog() {
    let mut s = app();
    walk_401(&mut s);
    let at = current(&s);
    too_small(&mut s);
    for c in ['j', '2', '5', 'q', 'u'] {
        assert!(press(&mut s, KeyCode::Char(c)).is_empty());
    }
    press(&mut s, KeyCode::Enter);
    update(&mut s, Msg::Paste("cus_1002".into()));
    assert_eq!(current(&s), at, "no answer was given while hidden");
    assert!(s.overlay.is_none(), "no invisible dialog opened");
    assert!(!s.quit);
}

#[test]
fn a_hidden_intake_takes_no_typing_but_ctrl_c_still_leaves() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    too_small(&mut s);
    type_text(&mut s, "cus_1001");
    let Screen::Intake(form) = &mut s.screen else {
        panic!("not on intake")
    };
    assert!(form.focused().unwrap().is_empty());
    ctrl(&mut s, 'c');
    assert!(s.quit);
}

#[test]
fn a_field_being_typed_is_saved_on_sigterm_without_leaving_it() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "cus_1001");
    focus_field(&mut s, "key_id");
    type_text(&mut s, "key_half");
    let effects = update(
        &mut s,
        Msg::Terminate {
            signal: Signal::Term,
        },
    );
    let Some(Effect::SaveSession(session)) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        session.intake.get("key_id"),
        Some(&IntakeValue::Text("key_half".into()))
    );
    assert_eq!(s.signal, Some(Signal::Term));
}

#[test]
fn leaving_mid_walk_says_where_the_case_stands_and_how_to_resume() {
    let mut s = app();
    walk_401(&mut s);
    ctrl(&mut s, 'c');
    let id = s.case.as_ref().unwrap().session.id.clone();
    let line = farewell::line_for(&s).unwrap();
    assert_eq!(
        line,
        format!(
            "authdesk: case {id} is at “Platform incident?”; resume with: authdesk resume {id}"
        )
    );
}

#[test]
fn leaving_a_saved_case_names_its_ticket_files() {
    let mut s = app();
    walk_401(&mut s);
    for n in ['5', '3', '2'] {
        press(&mut s, KeyCode::Char(n));
    }
    let files = vec!["/t/ESC-1.md".into(), "/t/ESC-1.json".into()];
    update(&mut s, Msg::TicketSaved { files });
    press(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
    let line = farewell::line_for(&s).unwrap();
    assert!(
        line.ends_with("is finished; ticket saved: /t/ESC-1.md, /t/ESC-1.json"),
        "{line}"
    );
}

#[test]
fn leaving_from_home_prints_nothing() {
    let mut s = app();
    press(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
    assert_eq!(farewell::line_for(&s), None);
}

/// The 401 walk waiting at "Platform incident?" until health evidence shows no incident.
fn moved_by_health(s: &mut State) {
    let g = super::tests::generation(&walk_401(s));
    update(
        s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![crate::evidence::QueryKind::Health],
            demo: true,
        },
    );
    assert_eq!(current(s), "ask-wider-incident");
    update(
        s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query: crate::evidence::QueryKind::Health,
            elapsed: std::time::Duration::from_millis(120),
            facts: super::tests::admin(&[
                ("health.status", "ok"),
                ("health.auth_latency_p99_ms", "20"),
                ("incident.customers_affected", "0"),
                ("failures.anomaly", "false"),
            ]),
        },
    );
}

fn later(s: &mut State, ms: i64) {
    let at = s.now() + chrono::TimeDelta::milliseconds(ms);
    s.clock = crate::tui::state::Clock::Fixed(at);
}

#[test]
fn a_key_just_after_evidence_moved_the_question_does_not_answer_it() {
    let mut s = app();
    moved_by_health(&mut s);
    let asking = current(&s);
    assert_ne!(
        asking, "ask-wider-incident",
        "evidence decided the incident check"
    );
    let status = s.status.clone().unwrap();
    assert!(
        status
            .text
            .starts_with("Decided by evidence: health.status = ok")
            && status.text.contains("; now asking: "),
        "{status:?}"
    );
    later(&mut s, 300);
    press(&mut s, KeyCode::Char('1'));
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        current(&s),
        asking,
        "a key meant for the old question was dropped"
    );
    let status = s.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("the question just changed"),
        "{status:?}"
    );
    later(&mut s, 900);
    press(&mut s, KeyCode::Char('1'));
    assert_ne!(
        current(&s),
        asking,
        "once read, the new question takes answers"
    );
}

#[test]
fn a_finished_case_resumed_shows_and_copies_its_saved_ticket() {
    let mut s = app();
    walk_401(&mut s);
    for n in ['5', '3', '2'] {
        press(&mut s, KeyCode::Char(n));
    }
    let files: Vec<std::path::PathBuf> = vec![
        "/t/ESC-20261122-abc123.md".into(),
        "/t/ESC-20261122-abc123.json".into(),
    ];
    update(
        &mut s,
        Msg::TicketSaved {
            files: files.clone(),
        },
    );
    let session = s.case.as_ref().unwrap().session.clone();

    let mut s = app();
    let effects = open_session(&mut s, session);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ReadSavedTicket(f) if *f == files)),
        "{effects:?}"
    );
    let Screen::Outcome(screen) = &s.screen else {
        panic!("not on the outcome")
    };
    assert_eq!(screen.ticket.id, "ESC-20261122-abc123", "the id on disk");
    assert!(
        press(&mut s, KeyCode::Char('y')).is_empty(),
        "nothing to copy yet"
    );

    let saved = crate::tui::state::SavedTicket {
        markdown: "# As saved\n\nbyte for byte\n".into(),
        json: "{\"id\":\"ESC-20261122-abc123\"}".into(),
    };
    update(&mut s, Msg::SavedTicketRead(Ok(saved)));
    let copied = |effects: Vec<Effect>| match effects.as_slice() {
        [Effect::Copy(text)] => text.as_str().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        copied(press(&mut s, KeyCode::Char('y'))),
        "# As saved\n\nbyte for byte\n"
    );
    press(&mut s, KeyCode::Char('f'));
    assert_eq!(
        copied(press(&mut s, KeyCode::Char('y'))),
        "{\"id\":\"ESC-20261122-abc123\"}"
    );
}

#[test]
fn a_paste_with_cr_or_crlf_line_breaks_is_kept_as_lines() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    focus_field(&mut s, "error_body");
    update(
        &mut s,
        Msg::Paste(
            "HTTP/1.1 401 Unauthorized\rWWW-Authenticate: Bearer\r\n\r{\"error\":\"x\"}".into(),
        ),
    );
    let Screen::Intake(form) = &mut s.screen else {
        panic!("not on intake")
    };
    assert_eq!(
        form.focused().unwrap().raw(),
        "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n\n{\"error\":\"x\"}"
    );
}
