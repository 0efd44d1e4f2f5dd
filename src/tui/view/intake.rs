//! Intake: the runbook's inputs, checked as typed, with the focused field's help below.

use super::layout;
use crate::escape::line;
use crate::tui::evidence::Connection;
use crate::tui::form::{Form, PASTE};
use crate::tui::state::{Load, State};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Rows given to a multi-line field.
pub const MULTILINE_ROWS: u16 = 4;
/// Columns given to the labels at most; the longest label sets the width below that.
const MAX_LABEL: u16 = 26;

/// Rows given to the paste field: two, so every field still fits at 80x24 (its findings
/// show in the help box below, and the text scrolls inside).
const PASTE_ROWS: u16 = 2;

pub fn heights(form: &Form) -> Vec<u16> {
    form.fields
        .iter()
        .map(|f| match f.name.as_str() {
            PASTE => PASTE_ROWS,
            _ if f.multiline => MULTILINE_ROWS,
            _ => 1,
        })
        .collect()
}

pub fn draw(frame: &mut Frame, body: Rect, state: &State, form: &Form, theme: &Theme) {
    let [form_area, help_area] = layout::intake(body);
    let title = state
        .case
        .as_ref()
        .map_or_else(String::new, |c| format!(" {} ", c.runbook.title));
    frame.render_widget(
        Block::bordered()
            .title(Span::styled(title, theme.title))
            .title(evidence_status(state, theme).right_aligned())
            .title_bottom(owner_warning(state, form, theme))
            .title_bottom(attached(form, theme))
            .border_style(theme.border_focus),
        form_area,
    );
    let problems = form.problems();
    // Room for the mark, the label and its `*`, and a space before the value.
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.chars().count() as u16 + 4)
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL);
    let rows = layout::intake_fields(form_area, &heights(form));
    for (i, (field, row)) in form.fields.iter().zip(rows).enumerate() {
        if row.height == 0 {
            continue;
        }
        let focused = i == form.focus;
        let problem = problems.iter().any(|(p, _)| *p == i);
        let mark = if problem {
            "✗ "
        } else if focused {
            "▸ "
        } else {
            "  "
        };
        let label_style = if problem {
            theme.error
        } else if focused {
            theme.title
        } else {
            theme.text
        };
        let required = if field.required { "*" } else { "" };
        let label_area = Rect {
            width: label_width.min(row.width),
            height: 1,
            ..row
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(mark, label_style),
                Span::styled(format!("{}{required}", field.label), label_style),
            ])),
            label_area,
        );
        let value_area = Rect {
            x: row.x + label_width.min(row.width),
            width: row.width.saturating_sub(label_width),
            ..row
        };
        match &field.kept {
            Some(kept) if field.text.is_empty() => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(kept.mask().to_string(), theme.text),
                    Span::styled("  (kept masked; type to replace)", theme.dim),
                ])),
                value_area,
            ),
            _ => frame.render_widget(&field.text, value_area),
        }
    }
    help(frame, help_area, state, form, theme);
}

/// Said as soon as the key's record arrives: the key is not the intake customer's.
fn owner_warning<'a>(state: &State, form: &Form, theme: &Theme) -> Line<'a> {
    let Some(case) = &state.case else {
        return Line::default();
    };
    let Some((_, mut facts)) = form.evidence_request(&case.runbook, state.now()) else {
        return Line::default();
    };
    facts.extend(&case.evidence.facts);
    match crate::walk::owner_conflict(&facts) {
        Some(c) => Line::styled(
            line(&format!(
                " ⚠ the key belongs to {}, not {} ",
                c.evidence, c.said
            ))
            .into_owned(),
            theme.warn,
        ),
        None => Line::default(),
    }
}

/// What the customer sent besides the paste, which joins the walk with it.
fn attached<'a>(form: &Form, theme: &Theme) -> Line<'a> {
    let items = crate::tui::materials::describe(&form.attached);
    if items.is_empty() {
        return Line::default();
    }
    Line::styled(format!(" attached: {} ", items.join(", ")), theme.accent).right_aligned()
}

/// What the paste is and what its diagnostic found, as the walk will take it.
fn paste_findings<'a>(state: &State, form: &Form, theme: &Theme) -> Vec<Line<'a>> {
    let (Some(kind), pastes) = form.pastes() else {
        return Vec::new();
    };
    let known = state
        .case
        .as_ref()
        .map(|c| c.evidence.facts.clone())
        .unwrap_or_default();
    match crate::intake::diagnostic_facts(
        pastes,
        &known,
        &state.gateway.request_context(),
        state.gateway.jwt_audience.as_deref(),
        state.now(),
    ) {
        Ok(facts) => {
            let found: Vec<String> = facts
                .iter()
                .map(|(n, f)| format!("{n} = {}", f.value))
                .collect();
            vec![
                Line::styled(format!("✓ Read as {}", kind.label()), theme.ok),
                Line::styled(line(&found.join(" · ")).into_owned(), theme.text),
            ]
        }
        Err(e) => vec![Line::styled(
            line(&format!("✗ Read as {}: {e}", kind.label())).into_owned(),
            theme.error,
        )],
    }
}

fn evidence_status<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let Some(case) = &state.case else {
        return Line::default();
    };
    let ev = &case.evidence;
    let text = match &ev.connection {
        Connection::NotStarted => Span::styled(
            " evidence starts once a customer or key is given ",
            theme.dim,
        ),
        // The reason is on the walk screen's evidence panel; here the title must stay short.
        Connection::Offline(_) => Span::styled(" admin API not connected ", theme.warn),
        Connection::Asking => Span::styled(
            format!(" {} asking the admin API ", super::spinner(state.tick)),
            theme.accent,
        ),
        Connection::Live { .. } if ev.in_flight() => {
            let done = ev
                .queries
                .iter()
                .filter(|(_, l)| !matches!(l, Load::Loading { .. }))
                .count();
            Span::styled(
                format!(
                    " {} evidence {done}/{} ",
                    super::spinner(state.tick),
                    ev.queries.len()
                ),
                theme.accent,
            )
        }
        Connection::Live { .. } => match ev.failed() {
            (0, _) => Span::styled(" ✓ evidence ready ", theme.ok),
            (failed, all) if failed == all => Span::styled(
                format!(" ✗ evidence failed: {failed}/{all} queries "),
                theme.error,
            ),
            (failed, all) => Span::styled(
                format!(" evidence ready, {failed}/{all} queries failed "),
                theme.warn,
            ),
        },
    };
    Line::from(text)
}

fn help(frame: &mut Frame, area: Rect, state: &State, form: &Form, theme: &Theme) {
    let Some(field) = form.fields.get(form.focus) else {
        return;
    };
    let mut lines = Vec::new();
    if let Some(problem) = form.problem(form.focus) {
        lines.push(Line::styled(format!("✗ {problem}"), theme.error));
    }
    if field.name == PASTE {
        lines.extend(paste_findings(state, form, theme));
    }
    lines.push(Line::styled(field.help.clone(), theme.dim));
    let title = format!(" {} · {} ", field.name, field.ty);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(Span::styled(title, theme.dim))
                .border_style(theme.border),
        ),
        area,
    );
}
