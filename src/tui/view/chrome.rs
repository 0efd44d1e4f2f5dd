//! The title bar, the status line and the hint bar that frame every screen.

use crate::facts::name;
use crate::tui::evidence::Connection;
use crate::tui::keymap::Context;
use crate::tui::msg::Action;
use crate::tui::state::{HomePane, ResumeRow, Screen, State, WalkPane};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn title_bar(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let screen = match &state.screen {
        Screen::Home(_) => "Home",
        Screen::Intake(_) => "Intake",
        Screen::Walk(_) => "Walk",
        Screen::Outcome(_) => "Outcome",
        Screen::Stats(_) => "Stats",
        Screen::Training(_) => "Training",
    };
    let mut left = vec![
        Span::styled(" authdesk ", theme.title),
        Span::styled(format!("▸ {screen}"), theme.text),
    ];
    if let Some(case) = &state.case {
        left.push(Span::styled(
            format!(" · {} · case {}", case.runbook.id, case.session.id),
            theme.dim,
        ));
    }
    let banner = banners(state).join(" · ");
    let (right, is_banner) = match banner.is_empty() {
        false => (Span::styled(format!(" {banner} "), theme.banner), true),
        true => (
            Span::styled(
                format!("{} · {} ", state.admin_label, state.agent),
                theme.dim,
            ),
            false,
        ),
    };
    let left_width: usize = left.iter().map(Span::width).sum();
    let right_width = right.width() as u16;
    // Under a banner the title gives way, with a sign that it was cut.
    let room = if is_banner {
        area.width.saturating_sub(right_width) as usize
    } else {
        area.width as usize
    };
    frame.render_widget(
        Paragraph::new(super::fit::line(Line::from(left), room)),
        area,
    );
    // A banner always shows, over the end of the title if it must; the admin and agent
    // names only where there is room.
    if is_banner || left_width + right.width() < area.width as usize {
        let r = Rect {
            x: area.right().saturating_sub(right_width),
            width: right_width.min(area.width),
            ..area
        };
        frame.render_widget(Paragraph::new(Line::from(right)), r);
    }
}

/// What qualifies everything on screen, most pressing first: evidence that cannot be had,
/// a key the admin API does not know, failing queries; then demo data, which is named on
/// every screen while it is in use so no one mistakes it for a customer's account.
fn banners(state: &State) -> Vec<String> {
    let mut out = Vec::new();
    // Training says so first, with its clock while a scenario is being taken.
    if let Some(t) = &state.training {
        out.push(match t.elapsed(state.now()) {
            Some(seconds) => format!("TRAINING {}", crate::tui::training::clock(seconds)),
            None => "TRAINING".to_string(),
        });
    }
    let case = state.case.as_ref();
    let evidence = case.map(|c| &c.evidence);
    let key_status = case.and_then(|c| {
        let facts = c.session.walk.as_ref().map(|w| w.facts());
        let facts = facts.as_ref().unwrap_or(&c.evidence.facts);
        facts.value(name::KEY_STATUS).map(|v| v.to_string())
    });
    match (
        evidence.map(|e| &e.connection),
        evidence.map(|e| e.failed()),
    ) {
        (Some(Connection::Offline(_)), _) => out.push("admin API not connected".to_string()),
        // The other queries fail or come back empty because the key is unknown; the count
        // would hide the one finding that matters.
        _ if key_status.as_deref() == Some("not_found") => out.push("key not found".to_string()),
        (_, Some((failed, all))) if failed > 0 => {
            out.push(format!("admin API: {failed}/{all} failed"));
        }
        _ => {}
    }
    let demo = match case {
        Some(c) => {
            c.session.demo_data || matches!(c.evidence.connection, Connection::Live { demo: true })
        }
        None => state.demo,
    };
    if demo {
        out.push("DEMO DATA".to_string());
    }
    out
}

pub fn status_line(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(status) = &state.status else {
        return;
    };
    let style = if status.error { theme.error } else { theme.ok };
    let mark = if status.error { "✗ " } else { "✓ " };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {mark}"), style),
            Span::styled(
                super::fit::message(
                    &crate::escape::line(&status.text),
                    (area.width as usize).saturating_sub(3),
                ),
                style,
            ),
        ])),
        area,
    );
}

/// The keys that matter on this screen, read from the keymap.
fn hints(state: &State, size: (u16, u16)) -> Vec<(String, &'static str)> {
    use Action::*;
    let k = &state.keys;
    let key = |ctx: Context, a: Action| k.first_key(ctx, a).map(|c| (c.to_string(), a.label()));
    let nav = Context::Navigate;
    let g = Context::Global;
    let list: Vec<Option<(String, &'static str)>> = match &state.screen {
        Screen::Home(home) if home.filtering => vec![
            Some(("Enter".to_string(), "keep filter")),
            Some(("Esc".to_string(), "clear filter")),
        ],
        Screen::Home(home) => vec![
            key(nav, Select).map(|(k, _)| (k, "open")),
            Some(("/".to_string(), "filter")),
            key(Context::Home, Discard)
                .filter(|_| home.pane == HomePane::Sessions)
                .map(|(k, label)| match home.resume_rows().get(home.session) {
                    Some(ResumeRow::Damaged(_)) => (k, "archive file"),
                    _ => (k, label),
                }),
            key(nav, NextPane),
            key(Context::Home, Refresh),
            key(g, Help),
            key(g, Quit),
            // Last, so a full bar drops it before quit (`?` lists it too).
            key(Context::Home, Stats),
        ],
        Screen::Intake(_) => vec![
            key(Context::Form, NextField),
            key(Context::Form, Submit).map(|(k, _)| (k, "start walk")),
            // In training, leaving the intake goes back to the scenarios.
            key(Context::Form, Back).map(|(k, _)| match state.training {
                Some(_) => (k, "scenarios"),
                None => (k, "home"),
            }),
            key(Context::Form, Help),
        ],
        Screen::Walk(ws) => vec![
            Some(("1-9".to_string(), "answer")),
            key(Context::Walk, Hint).filter(|_| state.training.is_some()),
            // Named only when the question's help runs past its box.
            key(nav, PageDown)
                .filter(|_| ws.pane == WalkPane::Choices && super::help_max_scroll(state, size) > 0)
                .map(|(k, _)| (k, "more help")),
            key(nav, Select),
            key(Context::Walk, Undo),
            key(Context::Walk, Note),
            key(nav, NextPane),
            key(Context::Walk, Refresh).map(|(k, _)| (k, "evidence")),
            key(g, Help),
            key(g, Quit),
        ],
        Screen::Training(ts) => super::training::hints(state, ts)
            .into_iter()
            .map(Some)
            .collect(),
        Screen::Outcome(_) if !state.case_unsaved() => vec![
            key(nav, Select).map(|(k, _)| (k, "home")),
            key(Context::Outcome, Send),
            key(nav, NextPane).map(|(k, _)| (k, "path/evidence")),
            key(Context::Outcome, Copy),
            key(Context::Outcome, ToggleFormat),
            key(g, Help),
            key(g, Quit),
        ],
        Screen::Outcome(_) => vec![
            key(Context::Outcome, Save),
            key(nav, NextPane).map(|(k, _)| (k, "path/evidence")),
            key(nav, Back).map(|(k, _)| (k, "intake")),
            key(Context::Outcome, Copy),
            key(Context::Outcome, EditSummary),
            key(Context::Outcome, Note),
            key(Context::Outcome, ExternalEditor),
            key(Context::Outcome, ToggleFormat),
            key(Context::Outcome, Undo),
            key(g, Help),
            key(g, Quit),
        ],
        Screen::Stats(_) => vec![
            key(Context::Stats, FilterRunbook),
            key(Context::Stats, FilterSince),
            key(nav, PageDown).map(|(k, _)| (k, "scroll")),
            key(Context::Stats, Refresh),
            key(Context::Stats, Back).map(|(k, _)| (k, "home")),
            key(g, Help),
        ],
    };
    list.into_iter().flatten().collect()
}

pub fn hint_bar(frame: &mut Frame, area: Rect, size: (u16, u16), state: &State, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1;
    for (key, label) in hints(state, size) {
        let w = key.chars().count() + label.len() + 3;
        // Whole hints only: a cut-off key is worse than a missing one (`?` lists them all).
        if width + w > area.width as usize {
            break;
        }
        width += w;
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {label}  "), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
