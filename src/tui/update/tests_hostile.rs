//! Hostile admin-API data on the terminal app's way out: the OSC 52 copy of the ticket and
//! the screen itself carry no raw control or bidi character.

use super::tests::{admin, app, current, generation, press, walk_401};
use super::*;
use crate::escape::tests::assert_inert;
use crate::tui::state::State;
use crate::tui::theme::Theme;
use ratatui::{Terminal, backend::TestBackend};

const NASTY: &str =
    "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u{9b}31m\u{202e}evil\u{2066}\n# Pwned <img src=x>";

/// The 401 walk to its revoked-key outcome, the admin API naming a hostile revoker and reason.
fn hostile_outcome() -> State {
    let mut s = app();
    let g = generation(&walk_401(&mut s));
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![crate::evidence::QueryKind::Key],
            demo: false,
        },
    );
    press(&mut s, KeyCode::Char('5'));
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query: crate::evidence::QueryKind::Key,
            elapsed: std::time::Duration::from_millis(5),
            facts: admin(&[
                ("key.status", "revoked"),
                ("key.revoked_by", NASTY),
                ("key.revoke_reason", NASTY),
            ]),
        },
    );
    assert_eq!(current(&s), "key-revoked");
    s
}

#[test]
fn the_osc52_copy_of_the_ticket_holds_no_raw_control_or_bidi_character() {
    let mut s = hostile_outcome();
    let mut copies = Vec::new();
    for _format in ["markdown", "json"] {
        let effects = press(&mut s, KeyCode::Char('y'));
        let [Effect::Copy(text)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        copies.push(text.clone());
        press(&mut s, KeyCode::Char('f'));
    }
    let [md, json] = copies.as_slice() else {
        unreachable!()
    };
    assert_inert(md, &['\n', '\t']);
    assert!(
        md.contains("\\x1b]52;c;") && md.contains("\\u{202e}evil"),
        "{md}"
    );
    assert_inert(json, &['\n']);
    assert!(
        json.contains("\\u001b]52;c;") && json.contains("\\u202eevil"),
        "{json}"
    );
}

/// ratatui drops control and zero-width characters from what it draws; the views show them
/// as visible escapes instead, as every other output does.
#[test]
fn the_screen_shows_admin_api_escapes_visibly_and_never_draws_them() {
    let s = hostile_outcome();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    terminal
        .draw(|f| crate::tui::view::draw(f, &s, &Theme::dark()))
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert_inert(&screen, &[]);
    assert!(screen.contains("\\x1b]52;c;"), "{screen}");
    assert!(screen.contains("\\u{202e}evil"), "{screen}");
}
