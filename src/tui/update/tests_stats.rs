//! The stats screen headless: opened from home, fed the cases read, filtered, scrolled, left.

use super::tests::{app, press};
use super::*;
use crate::runbook::Resolution;
use crate::saved::{SavedCases, Skipped};
use crate::stats::{Case, CaseStep, End, StepKind};
use crate::testing::now;
use crate::tui::state::{HomePane, Load};
use crate::tui::stats::{Since, StatsScreen};
use crate::walk::RunbookRef;
use chrono::Duration;

/// A case on `runbook` started `age` ago: the first check lacked the platform's health, so a
/// question was asked a minute later; finished at `outcome` or still open there.
fn case(id: &str, runbook: &str, age: Duration, outcome: Option<&str>) -> Case {
    let started_at = now() - age;
    let end = match outcome {
        Some(node) => End::Outcome {
            node: node.into(),
            resolution: Resolution::Resolve,
            at: started_at + Duration::minutes(2),
        },
        None => End::Open {
            at: Some("ask-wider-incident".into()),
            updated_at: started_at,
        },
    };
    let mut steps = vec![CaseStep {
        node: "wider-incident".into(),
        kind: StepKind::Undecided {
            missing: vec!["health.status".into()],
        },
        at: started_at,
    }];
    if outcome.is_some() {
        steps.push(CaseStep {
            node: "ask-wider-incident".into(),
            kind: StepKind::Answered {
                label: "Anomalous".into(),
            },
            at: started_at + Duration::minutes(1),
        });
    }
    Case {
        id: id.into(),
        runbook: RunbookRef {
            id: runbook.into(),
            version: "1.0.0".into(),
            content_hash: "0".into(),
        },
        started_at,
        steps,
        end,
    }
}

/// Three 401 cases (one open for three days, so abandoned), a 403 one from last week, and a
/// case on a runbook no longer in the catalog.
fn saved() -> SavedCases {
    SavedCases {
        cases: vec![
            case("a", "401-unauthorized", Duration::hours(1), Some("anomaly")),
            case("b", "401-unauthorized", Duration::hours(2), Some("anomaly")),
            case("c", "401-unauthorized", Duration::days(3), None),
            case("d", "403-forbidden", Duration::days(6), Some("suspended")),
            case("e", "407-proxy", Duration::days(40), Some("proxy")),
        ],
        skipped: vec![Skipped {
            path: "/t/notes.json".into(),
            why: "not a ticket".into(),
        }],
    }
}

fn screen(s: &State) -> &StatsScreen {
    match &s.screen {
        Screen::Stats(screen) => screen,
        _ => panic!("not on the stats screen"),
    }
}

fn cases(s: &State) -> usize {
    match &screen(s).data {
        Load::Loaded(f) => f.stats.cases,
        _ => panic!("the figures are not loaded"),
    }
}

fn opened() -> State {
    let mut s = app();
    let effects = press(&mut s, KeyCode::Char('s'));
    assert!(matches!(effects[..], [Effect::LoadStats]), "{effects:?}");
    assert!(matches!(screen(&s).data, Load::Loading { .. }));
    update(&mut s, Msg::StatsLoaded(Ok(saved())));
    s
}

#[test]
fn s_at_home_reads_the_saved_cases_and_counts_them() {
    let s = opened();
    let Load::Loaded(f) = &screen(&s).data else {
        panic!("not loaded");
    };
    assert_eq!(
        (
            f.stats.cases,
            f.stats.finished,
            f.stats.unfinished,
            f.stats.abandoned
        ),
        (5, 4, 1, 1)
    );
    assert_eq!(f.skipped.len(), 1, "the skipped file is kept to be shown");
}

#[test]
fn the_runbook_filter_cycles_through_the_catalog_then_other_runbooks_then_all() {
    let mut s = opened();
    let mut seen = Vec::new();
    for _ in 0..4 {
        press(&mut s, KeyCode::Char('f'));
        seen.push((screen(&s).runbook.clone(), cases(&s)));
    }
    let catalog: Vec<String> = s.runbooks.iter().map(|r| r.id.clone()).collect();
    assert_eq!(catalog, ["401-unauthorized", "403-forbidden"]);
    assert_eq!(
        seen,
        [
            (Some("401-unauthorized".into()), 3),
            (Some("403-forbidden".into()), 1),
            (Some("407-proxy".into()), 1),
            (None, 5),
        ]
    );
}

#[test]
fn the_since_filter_cycles_24h_7d_30d_and_all() {
    let mut s = opened();
    let mut seen = Vec::new();
    for _ in 0..4 {
        press(&mut s, KeyCode::Char('t'));
        seen.push((screen(&s).since, cases(&s)));
    }
    assert_eq!(
        seen,
        [
            (Since::Day, 2),
            (Since::Week, 4),
            (Since::Month, 4),
            (Since::All, 5)
        ]
    );
}

#[test]
fn scrolling_stops_at_the_last_row_and_a_filter_goes_back_to_the_top() {
    let mut s = opened();
    // Small enough that the figures run past the screen.
    s.size = (80, 24);
    let end = crate::tui::view::stats_max_scroll(&s);
    assert!(end > 0, "the figures fit; nothing to scroll");
    for _ in 0..3 {
        press(&mut s, KeyCode::PageDown);
    }
    assert_eq!(screen(&s).scroll, end.min(30));
    press(&mut s, KeyCode::Char('G'));
    assert_eq!(screen(&s).scroll, end);
    press(&mut s, KeyCode::Char('j'));
    assert_eq!(screen(&s).scroll, end, "no scrolling into blank rows");
    press(&mut s, KeyCode::Char('k'));
    assert_eq!(screen(&s).scroll, end - 1);
    press(&mut s, KeyCode::Char('g'));
    assert_eq!(screen(&s).scroll, 0);
    press(&mut s, KeyCode::Char('G'));
    press(&mut s, KeyCode::Char('t'));
    assert_eq!(screen(&s).scroll, 0);
}

#[test]
fn q_and_esc_go_back_to_home_as_it_was_left() {
    for back in [KeyCode::Char('q'), KeyCode::Esc] {
        let mut s = app();
        press(&mut s, KeyCode::Tab);
        press(&mut s, KeyCode::Char('s'));
        let effects = press(&mut s, back);
        assert!(effects.is_empty(), "{effects:?}");
        assert!(!s.quit, "q on the stats screen goes home, not out");
        match &s.screen {
            Screen::Home(home) => assert_eq!(home.pane, HomePane::Sessions),
            _ => panic!("{back:?} did not go home"),
        }
    }
}

#[test]
fn a_folder_that_cannot_be_read_shows_why_and_r_reads_again() {
    let mut s = app();
    press(&mut s, KeyCode::Char('s'));
    let why = "cannot read the tickets folder /t: Not a directory (os error 20)";
    update(&mut s, Msg::StatsLoaded(Err(why.into())));
    assert!(matches!(&screen(&s).data, Load::Failed(w) if w == why));
    let effects = press(&mut s, KeyCode::Char('r'));
    assert!(matches!(effects[..], [Effect::LoadStats]), "{effects:?}");
    assert!(matches!(screen(&s).data, Load::Loading { .. }));
}

#[test]
fn cases_read_after_leaving_the_screen_are_dropped() {
    let mut s = app();
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Esc);
    update(&mut s, Msg::StatsLoaded(Ok(saved())));
    assert!(matches!(s.screen, Screen::Home(_)));
}
