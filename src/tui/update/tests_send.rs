//! `send` on the outcome screen: to the one tracker, through the picker when there are
//! several, and what the outcome box says while and after it goes.

use super::tests::{app, press, to_outcome};
use super::*;
use crate::tui::state::{Delivery, State};
use crate::tui::theme::Theme;
use ratatui::{Terminal, backend::TestBackend};

/// The 401 walk to its outcome, the ticket saved, with these trackers configured.
fn saved_outcome(trackers: &[&str]) -> State {
    let mut s = app();
    s.trackers = trackers.iter().map(|t| t.to_string()).collect();
    to_outcome(&mut s);
    press(&mut s, KeyCode::Char('s'));
    let files = vec!["/t/ESC-1.md".into(), "/t/ESC-1.json".into()];
    update(&mut s, Msg::TicketSaved { files });
    s
}

fn screen(s: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|f| crate::tui::view::draw(f, s, &Theme::dark()))
        .unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn delivery(s: &State) -> Option<&Delivery> {
    match &s.screen {
        Screen::Outcome(o) => o.delivery.as_ref(),
        _ => None,
    }
}

#[test]
fn with_one_tracker_send_goes_to_it_and_the_box_shows_the_url() {
    let mut s = saved_outcome(&["jira"]);
    let effects = press(&mut s, KeyCode::Char('S'));
    let [Effect::Send { files, target }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(target, "jira");
    assert!(files.iter().any(|f| f.ends_with("ESC-1.json")), "{files:?}");
    assert!(screen(&s).contains("sending to jira"));
    // A second press while it is under way sends nothing more.
    assert!(press(&mut s, KeyCode::Char('S')).is_empty());

    let url = "https://jira.example/browse/OPS-7";
    update(&mut s, Msg::SendFinished(Delivery::Sent(url.into())));
    assert_eq!(delivery(&s), Some(&Delivery::Sent(url.into())));
    assert!(screen(&s).contains(&format!("✓ sent: {url}")));
}

#[test]
fn with_several_trackers_a_picker_chooses_and_esc_sends_nothing() {
    let mut s = saved_outcome(&["jira", "github", "slack"]);
    assert!(press(&mut s, KeyCode::Char('S')).is_empty());
    assert!(matches!(
        s.overlay,
        Some(Overlay::PickTracker { selected: 0 })
    ));
    assert!(screen(&s).contains("Send to which tracker?"));
    press(&mut s, KeyCode::Char('j'));
    press(&mut s, KeyCode::Char('j'));
    press(&mut s, KeyCode::Char('j'));
    press(&mut s, KeyCode::Char('k'));
    let effects = press(&mut s, KeyCode::Enter);
    let [Effect::Send { target, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(target, "github");
    assert!(s.overlay.is_none());

    update(
        &mut s,
        Msg::SendFinished(Delivery::NotSent {
            why: "github answered 503".into(),
            pending: true,
        }),
    );
    assert!(screen(&s).contains("✗ not sent (pending): github answered 503"));

    press(&mut s, KeyCode::Char('S'));
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.overlay.is_none());
}

#[test]
fn already_filed_says_so_with_the_url_escaped() {
    let mut s = saved_outcome(&["jira"]);
    press(&mut s, KeyCode::Char('S'));
    update(
        &mut s,
        Msg::SendFinished(Delivery::AlreadyFiled("https://x/1\x1b[2J".into())),
    );
    let shown = screen(&s);
    assert!(
        shown.contains("✓ already filed: https://x/1\\x1b[2J"),
        "{shown}"
    );
}

#[test]
fn without_a_tracker_send_says_how_to_configure_one() {
    let mut s = saved_outcome(&[]);
    assert!(press(&mut s, KeyCode::Char('S')).is_empty());
    let status = s.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(status.text.contains("docs/sending.md"), "{status:?}");
}

#[test]
fn an_unsaved_ticket_must_be_saved_before_it_is_sent() {
    let mut s = app();
    s.trackers = vec!["jira".into()];
    to_outcome(&mut s);
    assert!(press(&mut s, KeyCode::Char('S')).is_empty());
    assert!(
        s.status
            .clone()
            .unwrap()
            .text
            .contains("Save the ticket first (s)")
    );
}

#[test]
fn the_hint_bar_and_help_name_the_send_key() {
    let mut s = saved_outcome(&["jira"]);
    assert!(screen(&s).contains("S send"));
    press(&mut s, KeyCode::Char('?'));
    assert!(screen(&s).contains("Send the saved ticket"));
}
