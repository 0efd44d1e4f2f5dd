//! Home: start a case on a runbook, resume an unfinished session, recent tickets.

use super::{fit, layout};
use crate::escape::line;
use crate::tui::msg::{DamagedFile, HomeData};
use crate::tui::state::{Home, HomePane, Load, ResumeRow, State, case_label};
use crate::tui::theme::Theme;
use crate::walk::Position;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, body: Rect, state: &State, home: &Home, theme: &Theme) {
    let [runbooks, sessions, tickets] = layout::home(body);
    runbooks_pane(frame, runbooks, state, home, theme);
    let data = match &home.data {
        Load::Loaded(data) => data,
        Load::Loading { .. } => {
            let line = Line::styled(
                format!("{} Reading…", super::spinner(state.tick)),
                theme.dim,
            );
            let shown = vec![line];
            pane(
                frame,
                sessions,
                "Resume",
                Vec::new(),
                shown.clone(),
                None,
                theme,
            );
            pane(
                frame,
                tickets,
                "Recent tickets",
                Vec::new(),
                shown,
                None,
                theme,
            );
            return;
        }
        Load::Failed(why) => {
            let shown = vec![Line::styled(why.clone(), theme.error)];
            pane(frame, sessions, "Resume", Vec::new(), shown, None, theme);
            pane(
                frame,
                tickets,
                "Recent tickets",
                Vec::new(),
                Vec::new(),
                None,
                theme,
            );
            return;
        }
    };
    sessions_pane(frame, sessions, state, home, data, theme);
    tickets_pane(frame, tickets, home, data, theme);
}

/// The runbooks a case can start on, and a word when some of them did not load.
fn runbooks_pane(frame: &mut Frame, area: Rect, state: &State, home: &Home, theme: &Theme) {
    let rows: Vec<Vec<Line>> = state
        .runbooks
        .iter()
        .map(|r| {
            vec![Line::from(vec![
                Span::styled(format!("{:<18}", r.id), theme.accent),
                Span::raw(r.title.clone()),
            ])]
        })
        .collect();
    let mut extra = Vec::new();
    if !state.runbook_problems.is_empty() {
        extra.push(Line::styled(
            format!(
                "{} runbook problem(s): run `authdesk lint`",
                state.runbook_problems.len()
            ),
            theme.error,
        ));
    }
    let selected = (home.pane == HomePane::Runbooks).then_some(home.runbook);
    pane(frame, area, "Start a case", rows, extra, selected, theme);
}

/// The unfinished cases the filter lets through, then the session files that cannot be
/// resumed, each with why.
fn sessions_pane(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    home: &Home,
    data: &HomeData,
    theme: &Theme,
) {
    let shown = home.resume_rows();
    let rows = shown
        .iter()
        .map(|row| match row {
            ResumeRow::Case(s) => session_row(state, s, theme),
            ResumeRow::Damaged(d) => damaged_row(d, theme),
        })
        .collect();
    let problems = data
        .problems
        .iter()
        .map(|p| Line::styled(p.clone(), theme.error))
        .collect();
    let empty = match (
        shown.is_empty(),
        data.sessions.is_empty() && data.damaged.is_empty(),
    ) {
        (false, _) => Vec::new(),
        (true, true) => vec![Line::styled("No unfinished cases.", theme.dim)],
        (true, false) => vec![Line::styled("No case matches the filter.", theme.dim)],
    };
    let title = titled("Resume", home);
    let selected = (home.pane == HomePane::Sessions).then_some(home.session);
    let extra = [empty, problems].concat();
    pane(frame, area, &title, rows, extra, selected, theme);
}

/// A session file that cannot be resumed: its name (from the disk, so escaped) and why.
fn damaged_row<'a>(d: &DamagedFile, theme: &Theme) -> Vec<Line<'a>> {
    vec![
        Line::from(vec![
            Span::styled(line(&d.file).into_owned(), theme.error),
            Span::styled("  damaged", theme.error),
        ]),
        Line::styled(format!("  {}", line(&d.reason)), theme.dim),
    ]
}

/// The recent tickets the filter lets through.
fn tickets_pane(frame: &mut Frame, area: Rect, home: &Home, data: &HomeData, theme: &Theme) {
    let shown = home.tickets();
    let rows = shown
        .iter()
        .map(|t| {
            vec![
                Line::styled(t.name.clone(), theme.text),
                // The title is read back from a ticket file anyone could have edited.
                Line::styled(format!("  {}", line(&t.title)), theme.dim),
            ]
        })
        .collect();
    let empty = if data.tickets.is_empty() {
        vec![Line::styled("No tickets yet.", theme.dim)]
    } else if shown.is_empty() {
        vec![Line::styled("No ticket matches the filter.", theme.dim)]
    } else {
        Vec::new()
    };
    let title = titled("Recent tickets", home);
    let selected = (home.pane == HomePane::Tickets).then_some(home.ticket);
    pane(frame, area, &title, rows, empty, selected, theme);
}

/// A list's title with the filter, and a cursor while it is typed.
fn titled(title: &str, home: &Home) -> String {
    match (home.filtering, home.filter.is_empty()) {
        (true, _) => format!("{title} · /{}▏", line(&home.filter)),
        (false, false) => format!("{title} · /{}", line(&home.filter)),
        (false, true) => title.to_string(),
    }
}

fn session_row<'a>(state: &State, s: &crate::session::Session, theme: &Theme) -> Vec<Line<'a>> {
    let at = state
        .runbooks
        .iter()
        .find(|r| r.id == s.runbook.id)
        .and_then(|rb| {
            let walk = s.walk.as_ref()?;
            match walk.position(rb).ok()? {
                Position::Question { node, .. } | Position::Outcome { node, .. } => {
                    rb.node(node).map(|n| n.title.clone())
                }
            }
        })
        .unwrap_or_else(|| "intake".to_string());
    vec![
        Line::from(vec![
            Span::styled(s.id.clone(), theme.text),
            Span::styled(format!("  {}", line(&case_label(s))), theme.accent),
        ]),
        Line::styled(
            format!(
                "  {} · at {} · {}",
                s.runbook.id,
                at,
                s.updated_at.format("%Y-%m-%d %H:%M")
            ),
            theme.dim,
        ),
    ]
}

/// A bordered list whose items may take several rows; `selected` is set when it has focus.
fn pane(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    items: Vec<Vec<Line<'_>>>,
    after: Vec<Line<'_>>,
    selected: Option<usize>,
    theme: &Theme,
) {
    let focused = selected.is_some();
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        });
    let inner = layout::inset(area);
    frame.render_widget(block, area);
    let per_item = items.first().map_or(1, |i| i.len() as u16);
    let offset = layout::scroll_offset(selected.unwrap_or(0), inner.height, per_item);
    let mut lines = Vec::new();
    let width = inner.width as usize;
    for (i, item) in items.into_iter().enumerate().skip(offset) {
        let chosen = selected == Some(i);
        for line in item {
            let line = fit::line(line, width);
            lines.push(if chosen {
                let mut l = line.patch_style(theme.selected);
                // Fill the row so the highlight reads as a bar, not a word.
                let pad = (inner.width as usize).saturating_sub(l.width());
                l.push_span(Span::styled(" ".repeat(pad), theme.selected));
                l
            } else {
                line
            });
        }
    }
    lines.extend(after.into_iter().map(|l| fit::line(l, width)));
    frame.render_widget(Paragraph::new(lines), inner);
}
