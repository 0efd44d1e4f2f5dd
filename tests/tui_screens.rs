//! Every screen drawn headless (ratatui's TestBackend) at 80x24 and 160x48 and pinned with
//! insta, including loading, error and too-small states and the popups. The clock, the
//! session id and the ticket id are fixed so the pictures repeat.

mod common;

use authdesk::admin::AdminError;
use authdesk::evidence::QueryKind;
use authdesk::facts::{FactSource, Facts};
use authdesk::runbook::Catalog;
use authdesk::session::Session;
use authdesk::ticket::Related;
use authdesk::tui::keymap::Keymap;
use authdesk::tui::msg::{DamagedFile, HomeData, TicketFile};
use authdesk::tui::state::{Clock, Screen};
use authdesk::tui::theme::Theme;
use authdesk::tui::{Msg, State, update, view};
use common::now;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

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
    s
}

fn draw(state: &State, theme: &Theme, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, state, theme)).unwrap();
    terminal
}

/// Snapshots the state at both sizes.
fn snap(name: &str, state: &State) {
    for (w, h) in SIZES {
        let terminal = draw(state, &Theme::dark(), w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

fn key(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(s: &mut State, c: char) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn home_data() -> HomeData {
    let catalog = Catalog::builtin();
    let rb = catalog.find("403").unwrap();
    let mut session = Session::new(
        "20261122-093000-1a2b".into(),
        authdesk::walk::RunbookRef::of(rb),
        "alice",
        now(),
    );
    session.intake.insert(
        "customer_id".into(),
        authdesk::session::IntakeValue::Text("cus_2002".into()),
    );
    HomeData {
        sessions: vec![session],
        damaged: vec![DamagedFile {
            file: "broken.json".into(),
            reason: "not a readable session: EOF while parsing an object at line 1 column 1".into(),
        }],
        problems: Vec::new(),
        tickets: vec![TicketFile {
            name: "ESC-20261121-a1b2c3.md".into(),
            path: "/data/tickets/ESC-20261121-a1b2c3.md".into(),
            title: "Key revoked by the customer's admin".into(),
        }],
    }
}

/// A 401 case on the intake form, with a fixed session id.
fn intake() -> State {
    let mut s = app();
    key(&mut s, KeyCode::Enter);
    s.case.as_mut().unwrap().session.id = "20261122-100000-0001".into();
    s
}

fn fill_401(s: &mut State) -> u64 {
    type_text(s, "cus_1001");
    key(s, KeyCode::Tab);
    type_text(s, "key_revoked");
    key(s, KeyCode::Tab);
    type_text(s, "sk_live_0123456789abcdef0123");
    key(s, KeyCode::Tab);
    s.case.as_ref().unwrap().evidence.generation
}

/// The 401 case walking, evidence in flight.
fn walking() -> (State, u64) {
    let mut s = intake();
    let g = fill_401(&mut s);
    ctrl(&mut s, 's');
    let g = g.max(s.case.as_ref().unwrap().evidence.generation);
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![
                QueryKind::Key,
                QueryKind::AuditEvents,
                QueryKind::FailureSummary,
                QueryKind::Health,
            ],
            demo: true,
        },
    );
    (s, g)
}

fn admin(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (k, v) in pairs {
        f.insert_text(k, v, FactSource::AdminApi, now()).unwrap();
    }
    f
}

fn loaded(s: &mut State, g: u64, query: QueryKind, facts: Facts) {
    update(
        s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query,
            facts,
            elapsed: std::time::Duration::from_millis(120),
        },
    );
}

#[test]
fn home_loading() {
    snap("home_loading", &app());
}

#[test]
fn home_with_sessions_tickets_and_a_damaged_file() {
    let mut s = app();
    update(&mut s, Msg::HomeLoaded(home_data()));
    snap("home", &s);
}

#[test]
fn home_with_the_damaged_file_selected_and_its_archive_dialog() {
    let mut s = app();
    update(&mut s, Msg::HomeLoaded(home_data()));
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Down);
    snap("home_damaged_selected", &s);
    key(&mut s, KeyCode::Char('d'));
    snap("home_damaged_confirm", &s);
    key(&mut s, KeyCode::Char('n'));
    key(&mut s, KeyCode::Char('?'));
    let help = draw(&s, &Theme::dark(), 160, 48).backend().to_string();
    let row = help.lines().find(|l| l.contains("damaged file (asks)"));
    assert!(
        row.is_some_and(|l| l.contains(" d ")),
        "the help names the key:\n{help}"
    );
}

#[test]
fn intake_with_masked_key_and_a_bad_ip() {
    let mut s = intake();
    fill_401(&mut s);
    type_text(&mut s, "GET");
    key(&mut s, KeyCode::Tab);
    type_text(&mut s, "/v1/orders/123");
    key(&mut s, KeyCode::Tab);
    type_text(&mut s, "203.0.113.300");
    snap("intake", &s);
    let text = draw(&s, &Theme::dark(), 160, 48).backend().to_string();
    assert!(
        !text.contains("0123456789abcdef"),
        "the key shows only masked"
    );
}

#[test]
fn intake_error_body_is_multi_line() {
    let mut s = intake();
    for _ in 0..7 {
        key(&mut s, KeyCode::Tab);
    }
    update(
        &mut s,
        Msg::Paste("{\n  \"error\": \"invalid_api_key\",\n  \"message\": \"revoked\"\n}".into()),
    );
    snap("intake_error_body", &s);
}

#[test]
fn walk_with_queries_in_flight() {
    let (s, _) = walking();
    snap("walk_loading", &s);
}

#[test]
fn walk_with_evidence_and_a_failed_query() {
    let (mut s, g) = walking();
    loaded(
        &mut s,
        g,
        QueryKind::Key,
        admin(&[
            ("key.status", "active"),
            ("key.env", "live"),
            ("key.customer_id", "cus_1001"),
            ("key.created_at", "2026-01-10T09:00:00Z"),
            ("key.last_used_at", "2026-11-22T09:58:00Z"),
            ("key.accepted_header", "Authorization"),
            ("key.accepted_scheme", "Bearer"),
            ("key.allowed_ips", "203.0.113.0/24"),
            ("key.scopes", "orders:read, orders:write"),
        ]),
    );
    loaded(
        &mut s,
        g,
        QueryKind::AuditEvents,
        admin(&[
            ("audit.scopes_changed_at", "2026-11-21T16:20:00Z"),
            ("audit.scopes_changed_by", "admin@customer.example"),
            ("audit.key_rotated_at", "2026-11-02T08:00:00Z"),
        ]),
    );
    loaded(
        &mut s,
        g,
        QueryKind::FailureSummary,
        admin(&[
            ("failures.total", "42"),
            ("failures.top_reason", "invalid_signature"),
            ("failures.reasons", "invalid_signature, rate_limited"),
            ("failures.rate_limited", "6"),
        ]),
    );
    update(
        &mut s,
        Msg::EvidenceFailed {
            generation: g,
            query: QueryKind::Health,
            error: AdminError::TimedOut {
                after: std::time::Duration::from_secs(5),
            },
        },
    );
    // Answer the incident question, so the path shows an agent's answer and the checks.
    key(&mut s, KeyCode::Char('5'));
    snap("walk_evidence", &s);
}

#[test]
fn walk_with_admin_api_offline_and_path_focused() {
    let mut s = intake();
    let g = fill_401(&mut s);
    update(
        &mut s,
        Msg::EvidenceOffline {
            generation: g,
            reason: "admin API not connected".into(),
        },
    );
    ctrl(&mut s, 's');
    key(&mut s, KeyCode::Char('5'));
    key(&mut s, KeyCode::Tab);
    snap("walk_offline_path", &s);
}

fn outcome() -> State {
    let mut s = outcome_reading();
    // No ticket saved before this one.
    update(&mut s, Msg::IncidentsLoaded(Vec::new()));
    s
}

/// The 401 case at its outcome, the saved tickets not read yet.
fn outcome_reading() -> State {
    let mut s = intake();
    let g = fill_401(&mut s);
    update(
        &mut s,
        Msg::EvidenceOffline {
            generation: g,
            reason: "admin API not connected".into(),
        },
    );
    ctrl(&mut s, 's');
    for n in ['5', '2'] {
        key(&mut s, KeyCode::Char(n));
    }
    let Screen::Outcome(o) = &mut s.screen else {
        panic!("not at the outcome")
    };
    o.ticket.id = "ESC-20261122-000001".into();
    s
}

#[test]
fn outcome_preview() {
    snap("outcome", &outcome());
}

/// Issue 14: saved tickets of the same incident are linked; the same customer's earlier one
/// makes this ticket its duplicate, which the box says at a glance.
#[test]
fn outcome_linking_a_related_and_a_duplicate_ticket() {
    let mut s = outcome_reading();
    let Screen::Outcome(o) = &s.screen else {
        panic!("not at the outcome")
    };
    let filed = |id: &str, customer: &str| Related {
        ticket_id: id.into(),
        incident_key: o.ticket.incident_key.clone(),
        outcome_id: o.ticket.outcome.id.clone(),
        customer_id: Some(customer.into()),
        duplicate: false,
    };
    let found = vec![
        filed("ESC-20261122-0a0a0a", "cus_2040"),
        filed("ESC-20261122-0b0b0b", "cus_1001"),
    ];
    update(&mut s, Msg::IncidentsLoaded(found));
    snap("outcome_related_duplicate", &s);
    // The Related section, further down the preview.
    let Screen::Outcome(o) = &mut s.screen else {
        panic!("not at the outcome")
    };
    let md = o.ticket.to_markdown();
    let at = md.lines().position(|l| l == "## Related cases").unwrap();
    o.scroll = u16::try_from(at).unwrap();
    let terminal = draw(&s, &Theme::dark(), 80, 24);
    insta::assert_snapshot!("outcome_related_section_80x24", terminal.backend());
}

#[test]
fn outcome_as_json_after_saving() {
    let mut s = outcome();
    key(&mut s, KeyCode::Char('f'));
    update(
        &mut s,
        Msg::TicketSaved {
            files: vec![
                "/data/tickets/ESC-20261122-000001.md".into(),
                "/data/tickets/ESC-20261122-000001.json".into(),
            ],
        },
    );
    snap("outcome_saved_json", &s);
}

#[test]
fn the_send_picker_scrolls_to_keep_the_selected_tracker_in_view() {
    let mut s = outcome();
    s.trackers = (1..=30).map(|i| format!("tracker-{i:02}")).collect();
    update(
        &mut s,
        Msg::TicketSaved {
            files: vec!["/data/tickets/ESC-20261122-000001.json".into()],
        },
    );
    key(&mut s, KeyCode::Char('S'));
    // Past the 19 rows the popup has at 80x24.
    for _ in 0..24 {
        key(&mut s, KeyCode::Down);
    }
    let terminal = draw(&s, &Theme::dark(), 80, 24);
    let screen: String = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("▶ tracker-25"), "{screen}");
    assert!(screen.contains("25/30"), "{screen}");
    assert!(!screen.contains("tracker-01"), "scrolled: {screen}");
    insta::assert_snapshot!("outcome_send_picker_scrolled_80x24", terminal.backend());
}

#[test]
fn outcome_editing_the_summary() {
    let mut s = outcome();
    key(&mut s, KeyCode::Char('e'));
    type_text(&mut s, " (confirmed by phone)");
    snap("outcome_edit_summary", &s);
}

#[test]
fn help_overlay_lists_the_keymap() {
    let (mut s, _) = walking();
    key(&mut s, KeyCode::Char('?'));
    snap("help_walk", &s);
}

#[test]
fn leaving_an_unsaved_case_asks() {
    let (mut s, _) = walking();
    key(&mut s, KeyCode::Char('q'));
    snap("confirm_quit", &s);
}

#[test]
fn too_small_says_so_instead_of_drawing() {
    let (s, _) = walking();
    let terminal = draw(&s, &Theme::dark(), 50, 12);
    insta::assert_snapshot!("too_small_50x12", terminal.backend());
}

#[test]
fn no_color_draws_without_any_colour() {
    let (s, _) = walking();
    let theme = Theme::load("dark", &Default::default(), true).unwrap();
    let terminal = draw(&s, &theme, 80, 24);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

/// Issue 13: the key's owner flagged at intake, and a pasted curl read as typed.
#[test]
fn intake_with_a_key_of_another_customer_and_a_pasted_curl() {
    let mut s = intake();
    let g = fill_401(&mut s);
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![QueryKind::Key],
            demo: true,
        },
    );
    loaded(
        &mut s,
        g,
        QueryKind::Key,
        admin(&[("key.status", "revoked"), ("key.customer_id", "cus_1003")]),
    );
    for _ in 0..6 {
        key(&mut s, KeyCode::Tab);
    }
    update(
        &mut s,
        Msg::Paste(
            "curl -H 'Authorization: Token sk_live_0123456789abcdef0123' \\\r  https://api.example.com/v1/orders".into(),
        ),
    );
    snap("intake_owner_conflict_and_paste", &s);
}

/// Issue 13: evidence moved the question; the status says what decided it. The key's owner
/// is not the customer at intake, so the evidence pane leads with the conflict.
#[test]
fn walk_moved_by_evidence_with_an_owner_conflict() {
    let (mut s, g) = walking();
    loaded(
        &mut s,
        g,
        QueryKind::Key,
        admin(&[("key.status", "active"), ("key.customer_id", "cus_1003")]),
    );
    loaded(
        &mut s,
        g,
        QueryKind::Health,
        admin(&[
            ("health.status", "ok"),
            ("health.auth_latency_p99_ms", "20"),
            ("incident.customers_affected", "0"),
            ("failures.anomaly", "false"),
        ]),
    );
    snap("walk_moved_with_conflict", &s);
}

/// Issue 13: saving a ticket whose key another customer owns asks which customer is right.
#[test]
fn outcome_asks_which_customer_before_saving() {
    let mut s = intake();
    let g = fill_401(&mut s);
    ctrl(&mut s, 's');
    let g = g.max(s.case.as_ref().unwrap().evidence.generation);
    loaded(
        &mut s,
        g,
        QueryKind::Key,
        admin(&[("key.status", "revoked"), ("key.customer_id", "cus_1003")]),
    );
    for n in ['5', '3', '2'] {
        key(&mut s, KeyCode::Char(n));
    }
    let Screen::Outcome(o) = &mut s.screen else {
        panic!("not at the outcome")
    };
    o.ticket.id = "ESC-20261122-000001".into();
    key(&mut s, KeyCode::Char('s'));
    snap("outcome_choose_customer", &s);
}

/// Issue 9: a key the admin API does not know leaves its audit and usage "not applicable".
#[test]
fn walk_with_a_key_that_does_not_exist() {
    let (mut s, g) = walking();
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: true,
            generation: g,
            query: QueryKind::Key,
            facts: Facts::new(),
            elapsed: std::time::Duration::from_millis(120),
        },
    );
    loaded(&mut s, g, QueryKind::AuditEvents, Facts::new());
    snap("walk_key_absent", &s);
}

/// The stats screen over the fixture folder of `common::saved_cases`, read as the app reads it.
fn stats() -> State {
    stats_with(|_| {})
}

/// The same, with `change` made to the folders before they are read.
fn stats_with(change: impl FnOnce(&common::Sandbox)) -> State {
    let sb = common::Sandbox::new();
    common::saved_cases::write(&sb);
    change(&sb);
    let mut s = app();
    key(&mut s, KeyCode::Char('s'));
    let read = authdesk::saved::read(&sb.tickets_dir(), &sb.data_dir()).map_err(|e| e.to_string());
    update(&mut s, Msg::StatsLoaded(read));
    s
}

#[test]
fn stats_reading() {
    let mut s = app();
    key(&mut s, KeyCode::Char('s'));
    snap("stats_reading", &s);
}

#[test]
fn stats_of_a_fixture_folder() {
    snap("stats", &stats());
}

#[test]
fn stats_scrolled_to_the_end() {
    let mut s = stats();
    key(&mut s, KeyCode::Char('G'));
    let terminal = draw(&s, &Theme::dark(), 80, 24);
    insta::assert_snapshot!("stats_end_80x24", terminal.backend());
}

#[test]
fn stats_of_the_last_24h_on_the_401_runbook() {
    let mut s = stats();
    key(&mut s, KeyCode::Char('f'));
    key(&mut s, KeyCode::Char('t'));
    snap("stats_401_24h", &s);
}

#[test]
fn stats_when_the_tickets_folder_cannot_be_read() {
    let mut s = app();
    key(&mut s, KeyCode::Char('s'));
    let why = "cannot read the tickets folder /data/tickets: Not a directory (os error 20)";
    update(&mut s, Msg::StatsLoaded(Err(why.into())));
    snap("stats_failed", &s);
}

#[test]
fn stats_draw_without_colour_under_no_color() {
    let s = stats();
    let theme = Theme::load("dark", &Default::default(), true).unwrap();
    let terminal = draw(&s, &theme, 160, 48);
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn help_on_the_stats_screen_lists_its_keys() {
    let mut s = stats();
    key(&mut s, KeyCode::Char('?'));
    snap("help_stats", &s);
}

#[test]
fn stats_name_a_file_that_is_not_a_ticket_and_count_the_rest() {
    let s = stats_with(|sb| {
        std::fs::write(
            sb.tickets_dir().join("notes.json"),
            "{\"not\": \"a ticket\"}",
        )
        .unwrap();
    });
    let terminal = draw(&s, &Theme::dark(), 80, 24);
    insta::assert_snapshot!("stats_skipped_80x24", terminal.backend());
}

#[test]
fn stats_with_no_saved_cases_say_so() {
    let sb = common::Sandbox::new();
    let mut s = app();
    key(&mut s, KeyCode::Char('s'));
    let read = authdesk::saved::read(&sb.tickets_dir(), &sb.data_dir()).map_err(|e| e.to_string());
    update(&mut s, Msg::StatsLoaded(read));
    let terminal = draw(&s, &Theme::dark(), 80, 24);
    insta::assert_snapshot!("stats_empty_80x24", terminal.backend());
}
// Training mode (`authdesk train`): the picker, a case under the TRAINING banner with its
// clock, the customer's text, the score card of a wrong answer, the class report.

mod training {
    use super::*;
    use authdesk::runbook::SourceFile;
    use authdesk::training::Scenario;
    use authdesk::tui::training::{Lesson, TrainingScreen, TrainingSetup};
    use chrono::Duration;

    fn lesson(path: &str) -> Lesson {
        let src = SourceFile::new(path, std::fs::read_to_string(path).unwrap());
        let scenario = Scenario::load(&src).unwrap();
        let runbook = Catalog::builtin().find(&scenario.runbook).unwrap().clone();
        Lesson { scenario, runbook }
    }

    fn picker() -> State {
        let mut s = app();
        let setup = TrainingSetup {
            trainee: Some("ana".into()),
            trainee_given: true,
            lessons: vec![
                lesson("tests/fixtures/training/good/own-data-suspended.toml"),
                lesson("tests/fixtures/training/tui/tiny-key-mismatch.toml"),
            ],
            problems: vec!["training/broken.toml:3:1: unknown field `titel`".into()],
            results_dir: "/srv/class-7/results".into(),
        };
        authdesk::tui::update::begin_training(&mut s, setup);
        s
    }

    /// The tiny scenario taken, its customer's text still open, 83 s in.
    fn taken() -> State {
        let mut s = picker();
        key(&mut s, KeyCode::Enter);
        s.case.as_mut().unwrap().session.id = "20261122-100000-0001".into();
        let t = s.training.as_mut().unwrap();
        t.attempt.as_mut().unwrap().started_at = now() - Duration::seconds(83);
        s
    }

    #[test]
    fn training_picker() {
        snap("training_picker", &picker());
    }

    #[test]
    fn training_customer_text_first() {
        snap("training_customer_wrote", &taken());
    }

    #[test]
    fn training_walk_with_banner_and_clock() {
        let mut s = taken();
        key(&mut s, KeyCode::Char('x'));
        ctrl(&mut s, 's');
        assert!(matches!(s.screen, Screen::Walk(_)));
        snap("training_walk", &s);
    }

    /// The scenario's own data gathered over loopback, as the app does, then the wrong
    /// answer at the question (after a hint): a critical error and a divergence.
    fn card() -> State {
        let mut s = taken();
        key(&mut s, KeyCode::Char('x'));
        ctrl(&mut s, 's');
        let case = s.case.as_ref().unwrap();
        let g = case.evidence.generation;
        let intake = case.session.walk.as_ref().unwrap().facts();
        let l = lesson("tests/fixtures/training/tui/tiny-key-mismatch.toml");
        let data =
            authdesk::admin::demo::DemoData::with_overlay(true, &l.scenario.data_overlay, now())
                .unwrap();
        let config = authdesk::config::Config::defaults(&|_| None);
        let gathered = authdesk::admin::gather_demo_blocking(&config.admin, data, &intake, now());
        update(
            &mut s,
            Msg::EvidenceStarted {
                generation: g,
                queries: vec![QueryKind::Key],
                demo: true,
            },
        );
        loaded(&mut s, g, QueryKind::Key, gathered.facts);
        update(
            &mut s,
            Msg::EvidenceFinished {
                generation: g,
                gaps: Vec::new(),
            },
        );
        // Past the pause that keeps a key meant for the last question off this one.
        s.clock = Clock::Fixed(now() + Duration::seconds(2));
        key(&mut s, KeyCode::Char('H'));
        key(&mut s, KeyCode::Char('x'));
        key(&mut s, KeyCode::Char('2'));
        update(
            &mut s,
            Msg::ResultSaved(Ok("/srv/class-7/results/ana-tiny-key-mismatch.json".into())),
        );
        s
    }

    #[test]
    fn training_score_card_of_a_wrong_answer() {
        let s = card();
        let Screen::Training(TrainingScreen::Card(c)) = &s.screen else {
            panic!("not at the score card")
        };
        assert!(!c.result.passed);
        assert_eq!(c.result.first_divergence.as_deref(), Some("ask-key-match"));
        snap("training_card", &s);
    }

    /// NO_COLOR: the verdict and the critical error still read, by their words and marks.
    #[test]
    fn training_score_card_without_colour() {
        let s = card();
        let theme = Theme::load("dark", &Default::default(), true).unwrap();
        let terminal = draw(&s, &theme, 80, 24);
        for cell in terminal.backend().buffer().content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
        let text = terminal.backend().to_string();
        assert!(text.contains("FAIL") && text.contains("✗ outcome:expected-401"));
    }

    #[test]
    fn training_report_with_bars() {
        let mut s = card();
        let Screen::Training(TrainingScreen::Card(c)) = &s.screen else {
            panic!("not at the score card")
        };
        let failed = c.result.clone();
        let mut passed = failed.clone();
        passed.trainee = "bo".into();
        passed.passed = true;
        passed.critical_errors.clear();
        passed.outcome_reached = passed.expected_outcome.clone();
        passed.first_divergence = None;
        let report = authdesk::training::report(&[failed, passed]);
        key(&mut s, KeyCode::Char('R'));
        update(
            &mut s,
            Msg::ReportLoaded(Ok(authdesk::tui::training::ReportData {
                report,
                files: 3,
                skipped: vec!["/srv/class-7/results/notes.json: expected value at line 1".into()],
            })),
        );
        snap("training_report", &s);
    }
}
