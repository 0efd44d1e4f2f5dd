//! The outcome: what the walk concluded, and the ticket exactly as it will be saved.

use super::walk::block;
use super::{fit, layout};
use crate::escape::line;
use crate::runbook::Resolution;
use crate::ticket::Ticket;
use crate::tui::state::{
    Delivery, Load, OutcomePane, OutcomeScreen, State, TicketFormat, WalkPane, WalkScreen,
};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, body: Rect, state: &State, screen: &OutcomeScreen, theme: &Theme) {
    let t = &screen.ticket;
    // The box is the width of the body, so its inner width is known before the layout.
    let width = body.width.saturating_sub(2) as usize;
    let incident = incident_line(t, width, theme);
    let [header, preview] = layout::outcome(body, 3 + u16::from(incident.is_some()));
    let action = match &t.outcome.resolution {
        Resolution::Resolve => Span::styled("resolve with the customer", theme.ok),
        Resolution::Escalate { team } => Span::styled(format!("escalate to {team}"), theme.warn),
    };
    let saved = state
        .case
        .as_ref()
        .map(|c| c.session.ticket_files.as_slice())
        .unwrap_or_default();
    // One row each, cut rather than wrapped, so the saved state can never be pushed out of
    // the box by a long title or summary.
    let saved_line = if let Some(delivery) = &screen.delivery {
        delivery_line(delivery, state.tick, width, theme)
    } else if saved.is_empty() {
        Line::styled("✗ Not saved yet", theme.warn)
    } else {
        let names: Vec<String> = saved.iter().map(|p| p.display().to_string()).collect();
        Line::styled(
            fit::message(&format!("✓ Saved: {}", names.join(", ")), width),
            theme.ok,
        )
    };
    let mut lines = vec![
        fit::line(
            Line::from(vec![
                Span::styled(t.outcome.title.clone(), theme.title),
                Span::styled(format!("  · {} · ", t.outcome.severity.as_str()), theme.dim),
                action,
            ]),
            width,
        ),
        saved_line,
        Line::styled(fit::end(&line(t.summary.as_str()), width), theme.text),
    ];
    lines.extend(incident);
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" {} ", t.id), false, theme)),
        header,
    );
    if let Some(case) = &state.case {
        let steps = case.session.walk.as_ref().map_or(0, |w| w.steps().len());
        let ws = WalkScreen {
            pane: WalkPane::Path,
            choice: 0,
            step: usize::from(screen.scroll).min(steps.saturating_sub(1)),
            evidence_scroll: screen.scroll,
            help_scroll: 0,
            moved_by_evidence: None,
        };
        match screen.pane {
            OutcomePane::Ticket => {}
            OutcomePane::Path => return super::walk::path(frame, preview, case, &ws, theme),
            OutcomePane::Evidence => {
                let ws = WalkScreen {
                    pane: WalkPane::Evidence,
                    ..ws
                };
                return super::evidence::draw(frame, preview, state, case, &ws, theme);
            }
        }
    }
    let kind = match screen.format {
        TicketFormat::Markdown => "Markdown",
        TicketFormat::Json => "JSON",
    };
    let text = crate::tui::update::shown_text(screen).unwrap_or_else(|| match &screen.saved {
        Some(Load::Failed(why)) => format!("The saved ticket cannot be read: {why}"),
        _ => "Reading the saved ticket…".to_string(),
    });
    let total = text.lines().count() as u16;
    let visible = preview.height.saturating_sub(2);
    let scroll = screen.scroll.min(total.saturating_sub(visible));
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::styled(l.to_string(), style_for(l, theme)))
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                block(format!(" Ticket preview ({kind}) "), true, theme).title(
                    Line::styled(
                        format!(" {}/{} ", (scroll + visible).min(total), total),
                        theme.dim,
                    )
                    .right_aligned(),
                ),
            ),
        preview,
    );
}

/// What the ticket duplicates, else which saved tickets share its incident; ticket ids come
/// from files on disk, so they are escaped like any outside text.
fn incident_line(t: &Ticket, width: usize, theme: &Theme) -> Option<Line<'static>> {
    if let Some(first) = &t.duplicate_of {
        let text = format!(
            "Duplicate of {}: already filed for this customer and cause",
            line(first)
        );
        return Some(Line::styled(fit::message(&text, width), theme.warn));
    }
    if t.related.is_empty() {
        return None;
    }
    let ids: Vec<_> = t.related.iter().map(|r| line(&r.ticket_id)).collect();
    let text = format!("Related: {} (same incident)", ids.join(", "));
    Some(Line::styled(fit::message(&text, width), theme.text))
}

/// Where a send stands, in the row of the saved state (a send needs the ticket saved).
fn delivery_line(d: &Delivery, tick: u64, width: usize, theme: &Theme) -> Line<'static> {
    let (text, style) = match d {
        Delivery::Sending { target } => (
            format!("{} sending to {}", super::spinner(tick), line(target)),
            theme.warn,
        ),
        Delivery::Sent(url) => (format!("✓ sent: {}", line(url)), theme.ok),
        Delivery::AlreadyFiled(url) => (format!("✓ already filed: {}", line(url)), theme.ok),
        Delivery::NotSent { why, pending } => (
            format!(
                "✗ not sent{}: {}",
                if *pending { " (pending)" } else { "" },
                line(why)
            ),
            theme.error,
        ),
    };
    Line::styled(fit::message(&text, width), style)
}

/// Headings stand out in the Markdown preview; the rest reads as plain text.
fn style_for(line: &str, theme: &Theme) -> ratatui::style::Style {
    if line.starts_with('#') {
        theme.title
    } else if line.starts_with("> **DEMO") {
        theme.banner
    } else {
        theme.text
    }
}
