//! Screens that must tell the truth about where things stand (issue 13, items 7, 9, 11, 12):
//! demo data named on every screen, a missing key named as such, evidence that failed not
//! called ready, marks in the right colour, an evidence pane that ends with its text.
//! Drawn headless at 80x24 and 160x48 and pinned with insta, styles asserted where they carry
//! the meaning.

mod common;

use authdesk::admin::AdminError;
use authdesk::evidence::QueryKind;
use authdesk::facts::{FactSource, Facts};
use authdesk::runbook::Catalog;
use authdesk::session::Session;
use authdesk::tui::keymap::Keymap;
use authdesk::tui::state::{Clock, Screen};
use authdesk::tui::theme::Theme;
use authdesk::tui::{Msg, State, update, view};
use common::now;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn app() -> State {
    let catalog = Catalog::builtin();
    let mut s = State::new(
        catalog.runbooks,
        Keymap::defaults(),
        "alice",
        Clock::Fixed(now()),
    );
    s.admin_label = "demo API".into();
    s.demo = true;
    s
}

fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::draw(f, state, &Theme::dark()))
        .unwrap();
    terminal
}

fn snap(name: &str, state: &State) {
    for (w, h) in SIZES {
        let terminal = draw(state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

/// Row `y` of the buffer as text.
fn row(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

/// The first cell showing `text` at the start of it, as (x, y).
fn find(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    (0..buf.area.height).find_map(|y| {
        let line = row(buf, y);
        line.find(text)
            .map(|byte| (line[..byte].chars().count() as u16, y))
    })
}

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

/// A 401 case on its intake form with a customer and key given, queries started.
fn intake_asking(queries: &[&str]) -> (State, u64) {
    let mut s = app();
    key(&mut s, KeyCode::Enter);
    s.case.as_mut().unwrap().session.id = "20261122-100000-0001".into();
    type_text(&mut s, "cus_1001");
    key(&mut s, KeyCode::Tab);
    type_text(&mut s, "key_typo");
    key(&mut s, KeyCode::Tab);
    let g = s.case.as_ref().unwrap().evidence.generation;
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: queries.iter().map(|q| kind(q)).collect(),
            demo: true,
        },
    );
    (s, g)
}

/// A query by the name the evidence pane gives it.
fn kind(name: &str) -> QueryKind {
    match name {
        "key" => QueryKind::Key,
        "customer" => QueryKind::Customer,
        "usage" => QueryKind::Usage,
        "audit events" => QueryKind::AuditEvents,
        "failures" => QueryKind::RequestLogs,
        "health" => QueryKind::Health,
        other => panic!("no query {other}"),
    }
}

fn failed(s: &mut State, g: u64, query: &str) {
    update(
        s,
        Msg::EvidenceFailed {
            generation: g,
            query: kind(query),
            error: AdminError::Server {
                status: 503,
                title: "Service Unavailable".into(),
            },
        },
    );
}

fn admin(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (k, v) in pairs {
        f.insert_text(k, v, FactSource::AdminApi, now()).unwrap();
    }
    f
}

#[test]
fn demo_data_is_named_on_the_home_screen() {
    let s = app();
    for (w, h) in SIZES {
        let t = draw(&s, w, h);
        let buf = t.backend().buffer();
        let (x, y) = find(buf, "DEMO DATA").expect("DEMO DATA on home");
        assert_eq!(y, 0);
        assert_eq!(buf[(x, y)].style().bg, Theme::dark().banner.bg);
    }
}

#[test]
fn demo_data_is_named_on_a_resumed_case_before_any_evidence() {
    let mut s = app();
    s.demo = false;
    let rb = Catalog::builtin().find("401").unwrap().clone();
    let mut session = Session::new(
        "20261122-093000-1a2b".into(),
        authdesk::walk::RunbookRef::of(&rb),
        "alice",
        now(),
    );
    session.demo_data = true;
    authdesk::tui::update::open_session(&mut s, session);
    let t = draw(&s, 80, 24);
    assert!(row(t.backend().buffer(), 0).contains("DEMO DATA"));
}

#[test]
fn intake_does_not_call_failed_evidence_ready() {
    let (mut s, g) = intake_asking(&["key", "customer"]);
    failed(&mut s, g, "key");
    failed(&mut s, g, "customer");
    snap("intake_evidence_failed", &s);
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let all: String = (0..24).map(|y| row(buf, y)).collect();
    assert!(!all.contains("evidence ready"), "{all}");
    let (x, y) = find(buf, "✗ evidence failed").expect("the failure is said");
    assert_eq!(buf[(x, y)].style().fg, Theme::dark().error.fg);
}

#[test]
fn a_key_the_api_does_not_know_is_named_in_the_header() {
    let (mut s, g) = intake_asking(&["key", "usage", "audit events", "failures"]);
    update(
        &mut s,
        Msg::EvidenceLoaded {
            generation: g,
            query: QueryKind::Key,
            facts: admin(&[("key.status", "not_found")]),
            elapsed: std::time::Duration::from_millis(40),
            key_absent: true,
        },
    );
    for q in ["usage", "audit events", "failures"] {
        failed(&mut s, g, q);
    }
    let header = row(draw(&s, 80, 24).backend().buffer(), 0);
    assert!(header.contains("key not found"), "{header}");
    assert!(!header.contains("failed"), "{header}");
    assert!(header.contains("DEMO DATA"), "{header}");
}

#[test]
fn errors_and_successes_are_marked_in_their_colours() {
    let theme = Theme::dark();
    let mut s = app();
    s.error("Could not save the ticket: disk full");
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "✗").expect("an error mark");
    assert_eq!(y, 22);
    assert_eq!(buf[(x, y)].style().fg, theme.error.fg);
    s.info("Saved ESC-1.md and ESC-1.json in /t");
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "✓").expect("a success mark");
    assert_eq!(y, 22);
    assert_eq!(buf[(x, y)].style().fg, theme.ok.fg);
}

#[test]
fn a_long_path_in_the_status_line_keeps_its_file_name() {
    let mut s = app();
    s.info("Saved ESC-20261122-000001.md and ESC-20261122-000001.json in /home/a-very-long-agent-name/.local/share/authdesk/tickets");
    let line = row(draw(&s, 80, 24).backend().buffer(), 22);
    assert!(line.contains("ESC-20261122-000001.json"), "{line}");
    assert!(line.contains('…'), "{line}");
    assert!(line.trim_end().ends_with("tickets"), "{line}");
}

#[test]
fn the_evidence_pane_at_its_end_shows_its_last_rows_and_position() {
    let (mut s, g) = intake_asking(&[
        "key",
        "customer",
        "usage",
        "audit events",
        "failures",
        "health",
    ]);
    for q in ["customer", "usage", "audit events", "failures", "health"] {
        failed(&mut s, g, q);
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    assert!(matches!(s.screen, Screen::Walk(_)));
    s.status = None;
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Tab);
    s.size = (80, 24);
    key(&mut s, KeyCode::Char('G'));
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "── Health").expect("the last section is in view");
    assert!(y > 2, "{y}");
    let top = (0..24)
        .map(|y| row(buf, y))
        .find(|r| r.contains("┌ Evidence"))
        .expect("the evidence box");
    // At the end the position reads N/N: the last row shown is the last row there is.
    let at_end = top.split_whitespace().any(|w| {
        w.split_once('/')
            .is_some_and(|(shown, total)| shown == total && total.parse::<u16>().is_ok())
    });
    assert!(at_end, "{top}");
    snap("walk_evidence_end", &s);
}

/// The visible text of the node box (rows 1 up to its bottom border) at 80x24.
fn node_text(s: &State) -> String {
    let t = draw(s, 80, 24);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 1..24 {
        let r = row(buf, y);
        if r.starts_with('└') {
            break;
        }
        out.push_str(r.trim_matches(|c: char| c == '│' || c == ' '));
        out.push(' ');
    }
    out
}

#[test]
fn the_question_help_scrolls_to_its_deciding_rule_at_80x24() {
    let (mut s, _) = intake_asking(&["health"]);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    s.size = (80, 24);
    let first = node_text(&s);
    assert!(first.contains("▼ more below"), "{first}");
    assert!(!first.contains("escalate now"), "{first}");
    let hints = row(draw(&s, 80, 24).backend().buffer(), 23);
    assert!(hints.contains("PgDn more help"), "{hints}");
    let mut seen = first;
    for _ in 0..10 {
        key(&mut s, KeyCode::PageDown);
        seen.push_str(&node_text(&s));
    }
    // The rule that decides the question, from the runbook's help, comes into view.
    assert!(seen.contains("escalate now"), "{seen}");
    assert!(node_text(&s).contains("▲ end of help"), "{}", node_text(&s));
    // All five choices stayed in view throughout.
    assert!(node_text(&s).contains("5 No: only this customer is affected"));
    snap("walk_help_scrolled", &s);
}

/// ANSI 8 is Solarized Dark's background; ANSI 7 and 15 vanish on white. No cell of a whole
/// screen may be drawn in those on its own, in the theme meant for that background; the
/// selected row keeps a background of its own.
#[test]
fn screens_keep_their_contrast_on_dark_solarized_and_white_backgrounds() {
    use ratatui::style::Color;
    let (mut s, g) = intake_asking(&["key", "health"]);
    failed(&mut s, g, "health");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    s.error("a message");
    for (name, vanishing) in [
        ("dark", [Color::DarkGray, Color::Black]),
        ("light", [Color::Gray, Color::White]),
    ] {
        let theme = Theme::load(name, &Default::default(), false).unwrap();
        for (w, h) in SIZES {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| view::draw(f, &s, &theme)).unwrap();
            let buf = terminal.backend().buffer();
            for cell in buf.content() {
                let own_bg = cell.bg != Color::Reset;
                assert!(
                    own_bg || !vanishing.contains(&cell.fg),
                    "{name} {w}x{h}: {cell:?}"
                );
            }
            let (x, y) = find(buf, "▸1").expect("the selected choice");
            assert_eq!(buf[(x, y)].bg, theme.selected.bg.unwrap(), "{name}");
        }
    }
}

/// The 401 case where the health query finds validation down: straight to the outcome.
fn outcome_decided_by_evidence() -> State {
    let (mut s, g) = intake_asking(&["health"]);
    update(
        &mut s,
        Msg::EvidenceLoaded {
            generation: g,
            query: QueryKind::Health,
            facts: admin(&[("health.status", "down")]),
            elapsed: std::time::Duration::from_millis(40),
            key_absent: false,
        },
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let Screen::Outcome(o) = &mut s.screen else {
        panic!("not at the outcome")
    };
    o.ticket.id = "ESC-20261122-000002".into();
    s
}

#[test]
fn an_outcome_decided_by_evidence_shows_its_path_and_evidence() {
    let mut s = outcome_decided_by_evidence();
    let hints = row(draw(&s, 80, 24).backend().buffer(), 23);
    assert!(hints.contains("Tab path/evidence"), "{hints}");
    assert!(hints.contains("Esc intake"), "{hints}");
    key(&mut s, KeyCode::Tab);
    let text: String = {
        let t = draw(&s, 80, 24);
        (0..24).map(|y| row(t.backend().buffer(), y)).collect()
    };
    assert!(text.contains("┌ Path"), "{text}");
    assert!(text.contains("check: health.status = down"), "{text}");
    snap("outcome_path", &s);
    key(&mut s, KeyCode::Tab);
    snap("outcome_evidence", &s);
}

#[test]
fn home_filtered_lists_a_keyed_case_by_its_key() {
    use authdesk::tui::msg::{HomeData, TicketFile};
    let mut s = app();
    let rb = Catalog::builtin().find("401").unwrap().clone();
    let mut keyed = Session::new(
        "20261122-093000-1a2b".into(),
        authdesk::walk::RunbookRef::of(&rb),
        "alice",
        now(),
    );
    keyed.intake.insert(
        "key_id".into(),
        authdesk::session::IntakeValue::Text("key_revoked".into()),
    );
    let other = Session::new(
        "20261122-094000-3c4d".into(),
        authdesk::walk::RunbookRef::of(&rb),
        "alice",
        now(),
    );
    update(
        &mut s,
        Msg::HomeLoaded(HomeData {
            sessions: vec![keyed, other],
            damaged: Vec::new(),
            problems: Vec::new(),
            tickets: vec![TicketFile {
                name: "ESC-20261121-a1b2c3-with-a-very-long-file-name-that-cannot-fit.md".into(),
                path: "/data/tickets/ESC-20261121-a1b2c3.md".into(),
                title: "Key revoked by the customer's admin after a security review".into(),
            }],
        }),
    );
    key(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "key");
    let t = draw(&s, 80, 24);
    let text: String = (0..24).map(|y| row(t.backend().buffer(), y)).collect();
    assert!(text.contains("key key_revoked"), "{text}");
    assert!(!text.contains("3c4d"), "filtered out: {text}");
    assert!(text.contains("Resume · /key▏"), "{text}");
    snap("home_filtered", &s);
}

#[test]
fn a_recent_ticket_opens_in_a_scrollable_viewer() {
    let mut s = app();
    update(
        &mut s,
        Msg::TicketRead {
            path: "/data/tickets/ESC-20261121-a1b2c3.md".into(),
            text: Ok((1..=80)
                .map(|i| format!("line {i} of the ticket, long enough to be cut at eighty columns on the small terminal\n"))
                .collect()),
        },
    );
    let t = draw(&s, 80, 24);
    let text: String = (0..24).map(|y| row(t.backend().buffer(), y)).collect();
    assert!(text.contains("ESC-20261121-a1b2c3.md"), "{text}");
    assert!(text.contains("…"), "long lines are cut with a sign: {text}");
    snap("home_ticket_viewer", &s);
}
