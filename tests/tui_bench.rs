//! The terminal app's speed, beside peers measured in the same run. Ignored by default; run
//! it in release mode (scripts/bench-tui.sh):
//!
//!     cargo test --release --test tui_bench -- --ignored --nocapture
//!
//! - Start to first frame: the real binary in a PTY, from spawn until the home screen's text
//!   arrives; the peer is `authdesk --version` in the same PTY, the floor for starting the
//!   process at all.
//! - One walk frame at 200x60 with evidence on screen: drawing into ratatui's buffer, and a
//!   full repaint encoded for a real terminal; the peer is an empty bordered box.

mod common;

use authdesk::evidence::QueryKind;
use authdesk::facts::{FactSource, Facts};
use authdesk::runbook::Catalog;
use authdesk::tui::keymap::Keymap;
use authdesk::tui::state::Clock;
use authdesk::tui::theme::Theme;
use authdesk::tui::{Msg, State, update, view};
use common::{Sandbox, now};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use expectrl::Expect;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::widgets::Block;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::time::{Duration, Instant};

const RUNS: usize = 15;
const FRAMES: usize = 300;

struct Figures(Vec<Duration>);

impl Figures {
    fn show(mut self, what: &str) -> Duration {
        self.0.sort();
        let median = self.0[self.0.len() / 2];
        let p90 = self.0[self.0.len() * 9 / 10];
        println!(
            "{what:<52} median {:>8.3} ms   min {:>8.3} ms   p90 {:>8.3} ms",
            ms(median),
            ms(self.0[0]),
            ms(p90)
        );
        median
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Time from spawning `args` in a 200x60 PTY until `needle` is on its screen.
fn until_shown(args: &[&str], needle: &str, quit: bool) -> Duration {
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(args).env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut session = expectrl::Session::spawn(cmd).unwrap();
    let _ = session.get_process_mut().set_window_size(200, 60);
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session.expect(needle).unwrap();
    let took = start.elapsed();
    if quit {
        // Ctrl-C leaves from any screen; `q` would type into the intake form.
        session.send("\x03").unwrap();
    }
    let _ = session.get_process().wait();
    took
}

fn walking() -> State {
    let now = now();
    let mut s = State::new(
        Catalog::builtin().runbooks,
        Keymap::defaults(),
        "alice",
        Clock::Fixed(now),
    );
    let key = |s: &mut State, code| {
        update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    };
    key(&mut s, KeyCode::Enter);
    for c in "cus_1001".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    key(&mut s, KeyCode::Tab);
    for c in "key_live_42".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    key(&mut s, KeyCode::Tab);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
    let generation = s.case.as_ref().unwrap().evidence.generation;
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation,
            queries: vec![
                QueryKind::Key,
                QueryKind::AuditEvents,
                QueryKind::RequestLogs,
            ],
            demo: true,
        },
    );
    let mut facts = Facts::new();
    for (k, v) in [
        ("key.status", "active"),
        ("key.env", "live"),
        ("key.allowed_ips", "203.0.113.0/24"),
        ("key.scopes", "orders:read, orders:write"),
        ("audit.scopes_changed_at", "2026-11-21T16:20:00Z"),
        ("audit.scopes_changed_by", "admin@customer.example"),
        ("failures.total", "42"),
        ("failures.rate_limited", "6"),
        ("failures.top_reason", "invalid_signature"),
    ] {
        facts.insert_text(k, v, FactSource::AdminApi, now).unwrap();
    }
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation,
            query: QueryKind::Key,
            facts,
            elapsed: Duration::from_millis(80),
        },
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('5'), KeyModifiers::NONE)),
    );
    s
}

#[test]
#[ignore = "a benchmark: run in release mode with --ignored --nocapture"]
fn start_to_first_frame_and_one_walk_frame() {
    println!("\nauthdesk TUI benchmark ({RUNS} starts, {FRAMES} frames; 200x60)\n");
    let version = Figures(
        (0..RUNS)
            .map(|_| until_shown(&["--version"], "authdesk", false))
            .collect(),
    )
    .show("peer: `authdesk --version`, spawn to output");
    let home = Figures(
        (0..RUNS)
            .map(|_| until_shown(&[], "Start a case", true))
            .collect(),
    )
    .show("`authdesk`, spawn to first frame (home)");
    let walk = Figures(
        (0..RUNS)
            .map(|_| {
                until_shown(
                    &["walk", "401", "--input", "key_id=key_revoked"],
                    "Intake",
                    true,
                )
            })
            .collect(),
    )
    .show("`authdesk walk 401`, spawn to first frame (intake)");

    let state = walking();
    let theme = Theme::dark();
    let area = Rect::new(0, 0, 200, 60);
    let mut buffer = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let timed = |terminal: &mut Terminal<TestBackend>, draw: &dyn Fn(&mut ratatui::Frame)| {
        Figures(
            (0..FRAMES)
                .map(|_| {
                    let start = Instant::now();
                    terminal.draw(|f| draw(f)).unwrap();
                    start.elapsed()
                })
                .collect(),
        )
    };
    timed(&mut buffer, &|f| {
        f.render_widget(Block::bordered(), f.area())
    })
    .show("peer: empty bordered box, drawn to the buffer");
    let frame = timed(&mut buffer, &|f| view::draw(f, &state, &theme))
        .show("walk screen with evidence, drawn to the buffer");
    let repaint = Figures(
        (0..FRAMES)
            .map(|_| {
                // A new terminal has no last frame to diff against, so every cell is written:
                // the worst case, as after a resize.
                let mut tty = Terminal::with_options(
                    CrosstermBackend::new(std::io::sink()),
                    TerminalOptions {
                        viewport: Viewport::Fixed(area),
                    },
                )
                .unwrap();
                let start = Instant::now();
                tty.draw(|f| view::draw(f, &state, &theme)).unwrap();
                start.elapsed()
            })
            .collect(),
    )
    .show("walk screen, full repaint encoded for a terminal");

    println!(
        "\nfirst frame over the process floor: home +{:.1} ms, intake +{:.1} ms",
        ms(home.saturating_sub(version)),
        ms(walk.saturating_sub(version))
    );
    println!("targets: first frame < 50 ms, a frame < 2 ms");
    assert!(home < Duration::from_millis(50), "first frame {home:?}");
    assert!(frame < Duration::from_millis(2) && repaint < Duration::from_millis(2));
}
