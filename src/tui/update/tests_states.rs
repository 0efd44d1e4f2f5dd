//! Honest states, headless: messages that belong to the screen showing, a pane that stops
//! at its end.

use super::tests::{app, generation, press, walk_401};
use super::*;
use crate::tui::state::WalkPane;

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
            queries: [
                "key",
                "customer",
                "usage",
                "audit events",
                "failures",
                "health",
            ]
            .map(String::from)
            .to_vec(),
            demo: true,
        },
    );
    for q in ["customer", "usage", "audit events", "failures", "health"] {
        update(
            s,
            Msg::EvidenceFailed {
                generation: g,
                query: q.into(),
                reason: "timed out after 5 s".into(),
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
