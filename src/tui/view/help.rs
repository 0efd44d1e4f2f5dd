//! Popups: the help (generated from the keymap, so it lists the keys that really work), the
//! "leave without a ticket?" and "archive this damaged file?" questions, "which customer?",
//! "send to which tracker?", and the note and summary editors.

use super::layout;
use crate::escape::line;
use crate::tui::form::EditPurpose;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, DamagedFile};
use crate::tui::state::{Overlay, Screen, State};
use crate::tui::theme::Theme;
use crate::walk::Conflict;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn overlay(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    match &state.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help(frame, body, state, *scroll, theme),
        Some(Overlay::ConfirmQuit) => confirm(frame, body, state, theme),
        Some(Overlay::ConfirmArchive(d)) => confirm_archive(frame, body, state, d, theme),
        Some(Overlay::Ticket { path, text, scroll }) => {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            ticket(frame, body, &name, text, *scroll, theme);
        }
        Some(Overlay::ChooseCustomer(conflict)) => choose(frame, body, state, conflict, theme),
        Some(Overlay::PickTracker { selected }) => {
            pick_tracker(frame, body, state, *selected, theme)
        }
        Some(Overlay::Edit(edit)) => {
            let (title, height) = match edit.purpose {
                EditPurpose::Note => (" Note on this step ", 10),
                EditPurpose::Summary => (" Ticket summary ", 5),
            };
            let area = layout::popup(body, body.width.saturating_sub(8).min(90), height);
            let submit = key(state, Context::Form, Action::Submit);
            let back = key(state, Context::Form, Action::Back);
            frame.render_widget(Clear, area);
            frame.render_widget(
                Block::bordered()
                    .title(Span::styled(title, theme.title))
                    .title_bottom(
                        Line::styled(format!(" {submit} keep · {back} cancel "), theme.dim)
                            .right_aligned(),
                    )
                    .border_style(theme.border_focus),
                area,
            );
            frame.render_widget(&edit.text, layout::inset(area));
        }
    }
}

fn key(state: &State, context: Context, action: Action) -> String {
    state
        .keys
        .first_key(context, action)
        .map_or_else(|| "?".into(), |c| c.to_string())
}

/// The help's rows: the screen's own keys first, then lists, then everywhere.
pub fn help_lines<'a>(state: &State, theme: &Theme) -> Vec<Line<'a>> {
    let contexts: &[Context] = match state.screen {
        Screen::Home(_) => &[Context::Home, Context::Navigate, Context::Global],
        Screen::Intake(_) => &[Context::Form],
        Screen::Walk(_) => &[Context::Walk, Context::Navigate, Context::Global],
        Screen::Outcome(_) => &[Context::Outcome, Context::Navigate, Context::Global],
        Screen::Stats(_) => &[Context::Stats, Context::Navigate, Context::Global],
        Screen::Training(_) => &[Context::Training, Context::Navigate, Context::Global],
    };
    let mut lines = Vec::new();
    for context in contexts {
        lines.push(Line::styled(context.title().to_string(), theme.title));
        if *context == Context::Walk {
            lines.push(row("1-9".into(), "Answer with that choice", theme));
            lines.push(row(
                format!(
                    "{} {}",
                    key(state, Context::Navigate, Action::PageUp),
                    key(state, Context::Navigate, Action::PageDown)
                ),
                "With the choices in focus: scroll the question's help",
                theme,
            ));
        }
        if *context == Context::Home {
            lines.push(row(
                "/".into(),
                "Filter cases and tickets (Enter keeps it, Esc clears it)",
                theme,
            ));
        }
        if *context == Context::Outcome {
            lines.push(row(
                key(state, Context::Navigate, Action::NextPane),
                "Show the ticket, the path or the evidence",
                theme,
            ));
            lines.push(row(
                key(state, Context::Navigate, Action::Back),
                "Back to the intake, to correct a value and walk again",
                theme,
            ));
        }
        if *context == Context::Form {
            lines.push(row(
                "letters".into(),
                "Type into the field (keys like q and ? type too)",
                theme,
            ));
        }
        for (action, chords) in state.keys.rows(*context) {
            let keys: Vec<String> = chords.iter().map(ToString::to_string).collect();
            // Actions that mean something narrower on the stats screen say so.
            let what = match (*context, action) {
                (Context::Stats, Action::Refresh) => "Read the saved cases again",
                (Context::Stats, Action::Back) => "Back to the home screen",
                _ => action.describe(),
            };
            lines.push(row(keys.join(" "), what, theme));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled(
        "Mouse: click to select or focus, click again to open; the wheel scrolls.",
        theme.dim,
    ));
    lines.push(Line::styled(
        "Keys and colours: [tui.keys] and [tui.colors] in authdesk.toml.",
        theme.dim,
    ));
    lines
}

fn row<'a>(keys: String, what: &'static str, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("  {keys:<16}"), theme.key),
        Span::styled(what, theme.text),
    ])
}

fn help(frame: &mut Frame, body: Rect, state: &State, scroll: u16, theme: &Theme) {
    let area = layout::popup(body, 76, body.height.saturating_sub(2).max(10));
    let lines = help_lines(state, theme);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(Span::styled(" Keys ", theme.title))
                    .title_bottom(
                        Line::styled(" ↑↓ scroll · any other key closes ", theme.dim)
                            .right_aligned(),
                    )
                    .border_style(theme.border_focus),
            ),
        area,
    );
}

/// The ticket viewer's box in `body`.
pub fn ticket_area(body: Rect) -> Rect {
    layout::popup(body, body.width.saturating_sub(4), body.height)
}

/// A saved ticket, read back from a file anyone could have edited: every line goes through
/// the terminal escape, cut with `…` where it does not fit.
fn ticket(frame: &mut Frame, body: Rect, name: &str, text: &str, scroll: u16, theme: &Theme) {
    let area = ticket_area(body);
    let width = area.width.saturating_sub(2) as usize;
    let total = text.lines().count() as u16;
    let visible = area.height.saturating_sub(2);
    let scroll = scroll.min(total.saturating_sub(visible));
    let lines: Vec<Line> = text
        .lines()
        .skip(usize::from(scroll))
        .take(usize::from(visible))
        .map(|l| Line::styled(super::fit::end(&crate::escape::line(l), width), theme.text))
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(
                    format!(" {} ", crate::escape::line(name)),
                    theme.title,
                ))
                .title(
                    Line::styled(
                        format!(" {}/{} ", (scroll + visible).min(total), total),
                        theme.dim,
                    )
                    .right_aligned(),
                )
                .title_bottom(
                    Line::styled(
                        " ↑↓ PgUp PgDn scroll · p $PAGER · any other key closes ",
                        theme.dim,
                    )
                    .right_aligned(),
                )
                .border_style(theme.border_focus),
        ),
        area,
    );
}

fn confirm(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    let id = state
        .case
        .as_ref()
        .map_or_else(String::new, |c| c.session.id.clone());
    let yes = key(state, Context::Confirm, Action::Yes);
    let no = key(state, Context::Confirm, Action::No);
    let lines = vec![
        Line::styled("Leave without saving a ticket?", theme.title),
        Line::default(),
        Line::raw(format!("The case is kept as session {id};")),
        Line::raw(format!("`authdesk resume {id}` brings it back.")),
        Line::default(),
        Line::from(vec![
            Span::styled(yes, theme.key),
            Span::styled(" leave   ", theme.text),
            Span::styled(no, theme.key),
            Span::styled(" stay", theme.text),
        ]),
    ];
    let area = layout::popup(body, 56, 8);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(Span::styled(" Leave? ", theme.title))
                .border_style(theme.border_focus),
        ),
        area,
    );
}

/// Whether a session file that cannot be resumed goes to the archive, and why it cannot be
/// resumed (the pane may have cut that short). Name and reason came from the disk: escaped.
fn confirm_archive(frame: &mut Frame, body: Rect, state: &State, d: &DamagedFile, theme: &Theme) {
    let yes = key(state, Context::Confirm, Action::Yes);
    let no = key(state, Context::Confirm, Action::No);
    let lines = vec![
        Line::styled(format!("Archive {}?", line(&d.file)), theme.title),
        Line::default(),
        Line::styled(
            format!("It cannot be resumed: {}.", line(&d.reason)),
            theme.dim,
        ),
        Line::default(),
        Line::raw("It is moved to sessions/archive, not deleted."),
        Line::default(),
        Line::from(vec![
            Span::styled(yes, theme.key),
            Span::styled(" archive   ", theme.text),
            Span::styled(no, theme.key),
            Span::styled(" keep", theme.text),
        ]),
    ];
    let area = layout::popup(body, 60, 11);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(Span::styled(" Damaged session ", theme.title))
                .border_style(theme.border_focus),
        ),
        area,
    );
}

/// Which customer the ticket goes out under, when the key's owner is not the one at intake.
fn choose(frame: &mut Frame, body: Rect, state: &State, c: &Conflict, theme: &Theme) {
    let back = key(state, Context::Form, Action::Back);
    let said = line(&c.said.to_string()).into_owned();
    let owner = line(&c.evidence.to_string()).into_owned();
    let lines = vec![
        Line::styled("The key belongs to another customer", theme.warn),
        Line::default(),
        Line::raw(format!(
            "Intake names {said}; the {} says the key",
            c.source.label()
        )),
        Line::raw(format!("is owned by {owner}. Which is right?")),
        Line::default(),
        Line::from(vec![
            Span::styled("1", theme.key),
            Span::styled(format!(" {said} (intake)   "), theme.text),
            Span::styled("2", theme.key),
            Span::styled(format!(" {owner} (key owner)   "), theme.text),
            Span::styled(back, theme.key),
            Span::styled(" not now", theme.text),
        ]),
    ];
    let area = layout::popup(body, 70, 8);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            Block::bordered()
                .title(Span::styled(" Which customer? ", theme.title))
                .border_style(theme.border_focus),
        ),
        area,
    );
}

/// The configured trackers, the selected one marked, to send the saved ticket to.
fn pick_tracker(frame: &mut Frame, body: Rect, state: &State, selected: usize, theme: &Theme) {
    let select = key(state, Context::Navigate, Action::Select);
    let back = key(state, Context::Navigate, Action::Back);
    let count = state.trackers.len();
    let height = (count as u16).saturating_add(2).min(body.height);
    let area = layout::popup(body, 50, height);
    // More trackers than rows: the list scrolls so the selected one stays in view.
    let rows = height.saturating_sub(2);
    let offset = layout::scroll_offset(selected, rows, 1);
    let lines: Vec<Line> = state
        .trackers
        .iter()
        .enumerate()
        .skip(offset)
        .take(usize::from(rows))
        .map(|(i, name)| {
            let name = line(name).into_owned();
            if i == selected {
                Line::styled(format!("▶ {name}"), theme.selected)
            } else {
                Line::styled(format!("  {name}"), theme.text)
            }
        })
        .collect();
    let position = if usize::from(rows) < count {
        format!(" {}/{count} ", selected + 1)
    } else {
        String::new()
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(" Send to which tracker? ", theme.title))
                .title(Line::styled(position, theme.dim).right_aligned())
                .title_bottom(
                    Line::styled(format!(" {select} send · {back} cancel "), theme.dim)
                        .right_aligned(),
                )
                .border_style(theme.border_focus),
        ),
        area,
    );
}
