//! Home: start a case on a runbook, resume an unfinished session, recent tickets.

use super::{fit, layout};
use crate::escape::line;
use crate::tui::state::{Home, HomePane, Load, State};
use crate::tui::theme::Theme;
use crate::walk::Position;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(frame: &mut Frame, body: Rect, state: &State, home: &Home, theme: &Theme) {
    let [runbooks, sessions, tickets] = layout::home(body);
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
    pane(
        frame,
        runbooks,
        "Start a case",
        rows,
        extra,
        (home.pane == HomePane::Runbooks).then_some(home.runbook),
        theme,
    );

    match &home.data {
        Load::Loaded(data) => {
            let session_rows = data
                .sessions
                .iter()
                .map(|s| session_row(state, s, theme))
                .collect();
            let problems = data
                .problems
                .iter()
                .map(|p| Line::styled(p.clone(), theme.error))
                .collect();
            let empty = if data.sessions.is_empty() {
                vec![Line::styled("No unfinished cases.", theme.dim)]
            } else {
                Vec::new()
            };
            pane(
                frame,
                sessions,
                "Resume",
                session_rows,
                [empty, problems].concat(),
                (home.pane == HomePane::Sessions).then_some(home.session),
                theme,
            );
            let ticket_rows = data
                .tickets
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
            } else {
                Vec::new()
            };
            pane(
                frame,
                tickets,
                "Recent tickets",
                ticket_rows,
                empty,
                (home.pane == HomePane::Tickets).then_some(home.ticket),
                theme,
            );
        }
        Load::Loading { .. } => {
            let line = Line::styled(
                format!("{} Reading…", super::spinner(state.tick)),
                theme.dim,
            );
            pane(
                frame,
                sessions,
                "Resume",
                Vec::new(),
                vec![line.clone()],
                None,
                theme,
            );
            pane(
                frame,
                tickets,
                "Recent tickets",
                Vec::new(),
                vec![line],
                None,
                theme,
            );
        }
        Load::Failed(why) => {
            let line = Line::styled(why.clone(), theme.error);
            pane(
                frame,
                sessions,
                "Resume",
                Vec::new(),
                vec![line],
                None,
                theme,
            );
            pane(
                frame,
                tickets,
                "Recent tickets",
                Vec::new(),
                Vec::new(),
                None,
                theme,
            );
        }
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
            Span::styled(format!("  {}", line(&who(s))), theme.accent),
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

/// Who a case is about: its customer, else its key id (a case often starts from a key
/// alone), else a plain word saying neither was given.
fn who(s: &crate::session::Session) -> String {
    use crate::session::IntakeValue;
    if let Some(customer) = s.customer() {
        return customer.to_string();
    }
    match s.intake.get("key_id") {
        Some(IntakeValue::Text(t)) if !t.trim().is_empty() => format!("key {}", t.trim()),
        _ => "(no customer or key)".to_string(),
    }
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
