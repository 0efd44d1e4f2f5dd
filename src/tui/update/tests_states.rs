//! Honest states, headless: messages that belong to the screen showing, a pane that stops
//! at its end.

use super::tests::{app, generation, press, walk_401};
use super::*;
use crate::admin::AdminError;
use crate::evidence::QueryKind;
use crate::tui::state::{OutcomePane, WalkPane};

#[test]
fn a_screen_change_clears_the_message_of_the_screen_before() {
    let mut s = app();
    press(&mut s, KeyCode::Enter);
    s.error("Something went wrong on intake");
    // Intake to walk: nothing new to say, so nothing old may stay.
    walk_401_from_intake(&mut s);
    assert!(matches!(s.screen, Screen::Walk(_)));
    assert_eq!(s.status, None);
}

#[test]
fn a_message_set_by_the_change_itself_stays() {
    let mut s = app();
    walk_401(&mut s);
    s.error("stale");
    press(&mut s, KeyCode::Char('5'));
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.text.starts_with("Answered")),
        "{:?}",
        s.status
    );
}

fn walk_401_from_intake(s: &mut State) {
    super::tests::type_text(s, "cus_1001");
    super::tests::focus_field(s, "key_id");
    super::tests::type_text(s, "key_revoked");
    super::tests::ctrl(s, 's');
}

/// The 401 walk with a long evidence pane: queries, a key card, audit, failures.
fn long_evidence(s: &mut State) {
    let g = generation(&walk_401(s));
    update(
        s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![
                QueryKind::Key,
                QueryKind::Customer,
                QueryKind::Usage,
                QueryKind::AuditEvents,
                QueryKind::RequestLogs,
                QueryKind::Health,
            ],
            demo: true,
        },
    );
    for q in [
        QueryKind::Customer,
        QueryKind::Usage,
        QueryKind::AuditEvents,
        QueryKind::RequestLogs,
        QueryKind::Health,
    ] {
        update(
            s,
            Msg::EvidenceFailed {
                generation: g,
                query: q,
                error: AdminError::TimedOut {
                    after: std::time::Duration::from_secs(5),
                },
            },
        );
    }
}

fn evidence_scroll(s: &State) -> u16 {
    let Screen::Walk(ws) = &s.screen else {
        panic!("not walking")
    };
    ws.evidence_scroll
}

#[test]
fn bottom_in_the_evidence_pane_stops_at_its_last_row() {
    let mut s = app();
    s.size = (80, 24);
    long_evidence(&mut s);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    let Screen::Walk(ws) = &s.screen else {
        panic!()
    };
    assert_eq!(ws.pane, WalkPane::Evidence);
    let end = crate::tui::view::evidence_max_scroll(&s);
    assert!(
        end > 0,
        "the pane must be longer than its box for this test"
    );
    press(&mut s, KeyCode::Char('G'));
    assert_eq!(evidence_scroll(&s), end);
    press(&mut s, KeyCode::PageDown);
    assert_eq!(evidence_scroll(&s), end);
    // One step up from the end moves the view at once, not after thousands of presses.
    press(&mut s, KeyCode::Char('k'));
    assert_eq!(evidence_scroll(&s), end - 1);
}

#[test]
fn a_taller_terminal_leaves_the_evidence_less_to_scroll() {
    let mut s = app();
    long_evidence(&mut s);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    s.size = (80, 24);
    let small = crate::tui::view::evidence_max_scroll(&s);
    s.size = (80, 60);
    let tall = crate::tui::view::evidence_max_scroll(&s);
    assert!(tall < small, "{tall} < {small}");
}

/// The 401 case with evidence that decides every step: key validation is down, so the walk
/// goes straight to its escalation without one question shown.
fn decided_by_evidence(s: &mut State) {
    let g = generation(&walk_401(s));
    update(
        s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![QueryKind::Health],
            demo: true,
        },
    );
    update(
        s,
        Msg::EvidenceLoaded {
            generation: g,
            query: QueryKind::Health,
            elapsed: std::time::Duration::from_millis(30),
            facts: super::tests::admin(&[("health.status", "down")]),
            key_absent: false,
        },
    );
}

#[test]
fn an_outcome_decided_by_evidence_still_opens_its_path_and_evidence() {
    let mut s = app();
    decided_by_evidence(&mut s);
    let Screen::Outcome(o) = &s.screen else {
        panic!("at {}", super::tests::current(&s))
    };
    assert_eq!(o.pane, OutcomePane::Ticket);
    press(&mut s, KeyCode::Tab);
    let Screen::Outcome(o) = &s.screen else {
        panic!()
    };
    assert_eq!(o.pane, OutcomePane::Path);
    press(&mut s, KeyCode::Tab);
    let Screen::Outcome(o) = &s.screen else {
        panic!()
    };
    assert_eq!(o.pane, OutcomePane::Evidence);
    press(&mut s, KeyCode::Tab);
    let Screen::Outcome(o) = &s.screen else {
        panic!()
    };
    assert_eq!(o.pane, OutcomePane::Ticket);
}

#[test]
fn esc_on_an_outcome_goes_back_to_intake_to_correct_a_value_and_walk_again() {
    let mut s = app();
    decided_by_evidence(&mut s);
    assert!(matches!(s.screen, Screen::Outcome(_)));
    press(&mut s, KeyCode::Esc);
    let Screen::Intake(form) = &s.screen else {
        panic!("not back at intake")
    };
    let key = form.fields.iter().find(|f| f.name == "key_id").unwrap();
    assert_eq!(key.raw(), "key_revoked", "the values are kept");
    super::tests::focus_field(&mut s, "key_id");
    for _ in 0.."key_revoked".len() {
        press(&mut s, KeyCode::Backspace);
    }
    super::tests::type_text(&mut s, "key_active");
    let effects = super::tests::ctrl(&mut s, 's');
    assert!(matches!(s.screen, Screen::Walk(_)), "walking again");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchEvidence { .. })),
        "evidence is asked again for the corrected key: {effects:?}"
    );
    let Some(Effect::SaveSession(saved)) = effects
        .iter()
        .rev()
        .find(|e| matches!(e, Effect::SaveSession(_)))
    else {
        panic!("{effects:?}")
    };
    assert!(format!("{:?}", saved.intake).contains("key_active"));
}

pub(super) fn session(id: &str, intake: &[(&str, &str)]) -> crate::session::Session {
    let rb = crate::runbook::Catalog::builtin().runbooks.remove(0);
    let mut s = crate::session::Session::new(
        id.into(),
        crate::walk::RunbookRef::of(&rb),
        "alice",
        "2026-11-22T09:00:00Z".parse().unwrap(),
    );
    for (k, v) in intake {
        s.intake.insert(
            k.to_string(),
            crate::session::IntakeValue::Text((*v).into()),
        );
    }
    s
}

fn home_with_two_cases(s: &mut State) {
    update(
        s,
        Msg::HomeLoaded(crate::tui::msg::HomeData {
            sessions: vec![
                session("20261122-090000-aaaa", &[("customer_id", "cus_1001")]),
                session("20261122-090500-bbbb", &[("key_id", "key_revoked")]),
            ],
            damaged: Vec::new(),
            problems: Vec::new(),
            tickets: Vec::new(),
        }),
    );
}

#[test]
fn slash_filters_the_cases_and_enter_opens_the_one_shown() {
    let mut s = app();
    home_with_two_cases(&mut s);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Char('/'));
    // Letters type into the filter: `q` does not quit, `r` does not refresh.
    super::tests::type_text(&mut s, "KEY_rev");
    assert!(!s.quit && s.overlay.is_none());
    let Screen::Home(home) = &s.screen else {
        panic!()
    };
    let ids: Vec<&str> = home.sessions().iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["20261122-090500-bbbb"]);
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.case.as_ref().map(|c| c.session.id.as_str()),
        Some("20261122-090500-bbbb")
    );
}

#[test]
fn esc_clears_the_filter_and_ctrl_c_still_leaves_while_typing_it() {
    let mut s = app();
    home_with_two_cases(&mut s);
    press(&mut s, KeyCode::Char('/'));
    super::tests::type_text(&mut s, "zzz");
    let Screen::Home(home) = &s.screen else {
        panic!()
    };
    assert!(home.sessions().is_empty());
    press(&mut s, KeyCode::Esc);
    let Screen::Home(home) = &s.screen else {
        panic!()
    };
    assert_eq!(home.sessions().len(), 2);
    assert!(!home.filtering);
    press(&mut s, KeyCode::Char('/'));
    let effects = super::tests::ctrl(&mut s, 'c');
    assert!(s.quit && matches!(effects.last(), Some(Effect::Quit)));
}

#[test]
fn a_case_without_a_customer_is_listed_by_its_key_id() {
    let s = session("20261122-090500-bbbb", &[("key_id", "key_revoked")]);
    assert_eq!(crate::tui::state::case_label(&s), "key key_revoked");
    let s = session("20261122-090500-cccc", &[]);
    assert_eq!(crate::tui::state::case_label(&s), "(no customer or key)");
}

#[test]
fn d_twice_archives_the_selected_case_and_anything_else_between_disarms_it() {
    let mut s = app();
    home_with_two_cases(&mut s);
    press(&mut s, KeyCode::Tab);
    assert!(
        press(&mut s, KeyCode::Char('d')).is_empty(),
        "the first press only asks"
    );
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("again to archive case 20261122-090000-aaaa")
    );
    press(&mut s, KeyCode::Char('j'));
    assert!(
        press(&mut s, KeyCode::Char('d')).is_empty(),
        "moving disarmed it"
    );
    let effects = press(&mut s, KeyCode::Char('d'));
    let [Effect::ArchiveSession(id)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "20261122-090500-bbbb");
    let effects = update(
        &mut s,
        Msg::SessionArchived {
            id: id.clone(),
            result: Ok("/d/sessions/archive/20261122-090500-bbbb.json".into()),
        },
    );
    assert!(matches!(effects.as_slice(), [Effect::LoadHome]));
    let effects = update(
        &mut s,
        Msg::SessionArchived {
            id: "20261122-090000-aaaa".into(),
            result: Err("case 20261122-090000-aaaa is open in another authdesk".into()),
        },
    );
    assert!(effects.is_empty());
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.error && st.text.contains("open in another"))
    );
}

#[test]
fn enter_on_a_recent_ticket_opens_it_in_a_viewer_that_stops_at_its_end() {
    use crate::tui::state::Overlay;
    let mut s = app();
    s.size = (80, 24);
    update(
        &mut s,
        Msg::HomeLoaded(crate::tui::msg::HomeData {
            sessions: Vec::new(),
            damaged: Vec::new(),
            problems: Vec::new(),
            tickets: vec![crate::tui::msg::TicketFile {
                name: "ESC-1.md".into(),
                path: "/t/ESC-1.md".into(),
                title: "Key revoked".into(),
            }],
        }),
    );
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    let effects = press(&mut s, KeyCode::Enter);
    let [Effect::ReadTicket(path)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(path, &std::path::PathBuf::from("/t/ESC-1.md"));
    let text: String = (1..=60).map(|i| format!("line {i}\n")).collect();
    update(
        &mut s,
        Msg::TicketRead {
            path: "/t/ESC-1.md".into(),
            text: Ok(text.clone()),
        },
    );
    press(&mut s, KeyCode::Char('G'));
    let end = crate::tui::view::ticket_max_scroll(&s, &text);
    assert!(end > 0 && end < 60, "{end}");
    assert!(matches!(s.overlay, Some(Overlay::Ticket { scroll, .. }) if scroll == end));
    press(&mut s, KeyCode::Char('k'));
    assert!(matches!(s.overlay, Some(Overlay::Ticket { scroll, .. }) if scroll == end - 1));
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
    update(
        &mut s,
        Msg::TicketRead {
            path: "/t/ESC-2.md".into(),
            text: Err("cannot read /t/ESC-2.md: No such file or directory".into()),
        },
    );
    assert!(s.overlay.is_none());
    assert!(s.status.as_ref().is_some_and(|st| st.error));
}

#[test]
fn p_in_the_ticket_viewer_hands_the_file_to_the_pager() {
    let mut s = app();
    update(
        &mut s,
        Msg::TicketRead {
            path: "/t/ESC-1.md".into(),
            text: Ok("# Ticket\n".into()),
        },
    );
    let effects = press(&mut s, KeyCode::Char('p'));
    let [Effect::OpenPager(path)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(path, &std::path::PathBuf::from("/t/ESC-1.md"));
    update(
        &mut s,
        Msg::PagerClosed {
            error: Some("cannot run less: No such file or directory".into()),
        },
    );
    assert!(
        s.status
            .as_ref()
            .is_some_and(|st| st.error && st.text.contains("pager"))
    );
}
