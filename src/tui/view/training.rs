//! Training's screens: the trainee's name, the scenario picker, the class report with its
//! bars, and the popup (the customer's text, a hint). The score card is [`super::scorecard`].
//! Scenario files and result files are outside text: every piece passes `escape::line`.

use super::walk::block;
use super::{fit, layout};
use crate::escape::line;
use crate::tui::keymap::Context;
use crate::tui::msg::Action;
use crate::tui::state::{Load, State};
use crate::tui::theme::Theme;
use crate::tui::training::{ReportData, ReportScreen, Training, TrainingScreen, stars};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn draw(frame: &mut Frame, body: Rect, state: &State, screen: &TrainingScreen, theme: &Theme) {
    let Some(t) = &state.training else { return };
    match screen {
        TrainingScreen::Trainee { name } => trainee(frame, body, name, theme),
        TrainingScreen::Picker => picker(frame, body, t, theme),
        TrainingScreen::Card(card) => super::scorecard::draw(frame, body, card, theme),
        TrainingScreen::Report(report) => self::report(frame, body, report, state, theme),
    }
}

fn trainee(frame: &mut Frame, body: Rect, name: &str, theme: &Theme) {
    let area = layout::popup(body, 60, 7);
    let width = area.width.saturating_sub(4) as usize;
    let typed = format!("{}▏", line(name));
    let lines = vec![
        Line::styled(
            "Who is training? Results are saved under this name.",
            theme.text,
        ),
        Line::default(),
        Line::from(vec![
            Span::styled("Name: ", theme.dim),
            // The end of a long name is where the typing happens.
            Span::styled(tail(&typed, width.saturating_sub(6)), theme.selected),
        ]),
        Line::default(),
        Line::styled("Enter to go on · Esc to leave", theme.dim),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(block(" Training ".into(), true, theme)),
        area,
    );
}

/// The last `width` characters of `text`, with `…` in front when cut.
fn tail(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len <= width || width == 0 {
        return text.to_string();
    }
    let kept: String = text.chars().skip(len - width + 1).collect();
    format!("…{kept}")
}

fn picker(frame: &mut Frame, body: Rect, t: &Training, theme: &Theme) {
    let visible = t.visible();
    let inner_width = body.width.saturating_sub(2) as usize;
    let runbook_w = 12;
    let id_w = (inner_width / 3).clamp(10, 30);
    let title_w = inner_width.saturating_sub(2 + 4 + id_w + 1 + runbook_w + 1);
    let mut lines = vec![Line::styled(
        format!(
            "  {:<4}{:<id_w$} {:<title_w$} {}",
            "",
            "scenario",
            "title",
            "runbook",
            id_w = id_w,
            title_w = title_w
        ),
        theme.dim,
    )];
    let rows = body
        .height
        .saturating_sub(4 + t.problems.len().min(3) as u16) as usize;
    // Keep the selection in view.
    let first = t.picker.selected.saturating_sub(rows.saturating_sub(1));
    for (row, &i) in visible.iter().enumerate().skip(first).take(rows) {
        let s = &t.lessons[i].scenario;
        let selected = row == t.picker.selected;
        let style = if selected { theme.selected } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(if selected { "▸ " } else { "  " }, style),
            Span::styled(format!("{} ", stars(s.difficulty.get())), theme.accent),
            Span::styled(
                format!(
                    "{:<id_w$} {:<title_w$} {}",
                    fit::end(&line(&s.id), id_w),
                    fit::end(&line(&s.title), title_w),
                    fit::end(&line(&s.runbook), runbook_w),
                    id_w = id_w,
                    title_w = title_w
                ),
                style,
            ),
        ]));
    }
    if visible.is_empty() {
        let why = if t.lessons.is_empty() {
            "No scenarios found: name a folder with --scenarios DIR"
        } else {
            "No scenario in this set matches the filter"
        };
        lines.push(Line::styled(format!("  {why}"), theme.warn));
    }
    for problem in t.problems.iter().take(3) {
        lines.push(Line::styled(
            fit::end(&format!("✗ {}", line(problem)), inner_width),
            theme.error,
        ));
    }
    let filter = if t.picker.filtering || !t.picker.filter.is_empty() {
        let cursor = if t.picker.filtering { "▏" } else { "" };
        format!(" /{}{cursor} ", line(&t.picker.filter))
    } else {
        String::new()
    };
    let title = format!(
        " Scenarios · set {} · {} · trainee {} ",
        t.picker.set.label(),
        visible.len(),
        line(&t.trainee)
    );
    let block = block(fit::end(&title, inner_width), true, theme)
        .title_bottom(Line::styled(filter, theme.accent));
    frame.render_widget(Paragraph::new(lines).block(block), body);
}

fn report(frame: &mut Frame, body: Rect, screen: &ReportScreen, state: &State, theme: &Theme) {
    let dir = state
        .training
        .as_ref()
        .map_or_else(String::new, |t| t.results_dir.display().to_string());
    let inner_width = body.width.saturating_sub(2) as usize;
    let title = fit::message(&format!(" Class report · {} ", line(&dir)), inner_width);
    let lines = match &screen.data {
        Load::Loading { .. } => vec![Line::styled(
            format!("{} Reading the results…", super::spinner(state.tick)),
            theme.dim,
        )],
        Load::Failed(why) => vec![Line::styled(format!("✗ {}", line(why)), theme.error)],
        Load::Loaded(data) => report_lines(data, inner_width, theme),
    };
    let visible = body.height.saturating_sub(2);
    let scroll = screen
        .scroll
        .min((lines.len() as u16).saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(block(title, true, theme)),
        body,
    );
}

/// How far the score card or the report can scroll at the terminal's size.
pub fn max_scroll(state: &State) -> u16 {
    let body = layout::chrome(Rect::new(0, 0, state.size.0, state.size.1)).body;
    let width = body.width.saturating_sub(2) as usize;
    // Only the number of rows matters here, which no colour changes.
    let theme = Theme::dark();
    let rows = match &state.screen {
        crate::tui::state::Screen::Training(TrainingScreen::Card(card)) => {
            super::scorecard::lines(card, width, &theme).len()
        }
        crate::tui::state::Screen::Training(TrainingScreen::Report(ReportScreen {
            data: Load::Loaded(data),
            ..
        })) => report_lines(data, width, &theme).len(),
        _ => 0,
    };
    (rows as u16).saturating_sub(body.height.saturating_sub(2))
}

/// A bar of `width` cells for a rate from 0 to 1.
fn bar(rate: f64, width: usize) -> String {
    let full = ((rate.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

pub fn report_lines<'a>(data: &ReportData, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let r = &data.report;
    let name_w = (width / 4).clamp(8, 28);
    let bar_w = (width / 4).clamp(10, 40);
    let mut lines = vec![Line::styled(
        format!(
            "{} result file(s), {} trainee(s), {} scenario(s)",
            data.files,
            r.trainees.len(),
            r.scenarios.len()
        ),
        theme.dim,
    )];
    for why in &data.skipped {
        lines.push(Line::styled(
            fit::message(&format!("✗ skipped {}", line(why)), width),
            theme.error,
        ));
    }
    if r.trainees.is_empty() {
        lines.push(Line::styled("No results yet.", theme.warn));
        return lines;
    }
    let rate_row = |name: &str, rate: f64, rest: String| -> Line<'a> {
        let style = if rate >= 0.5 { theme.ok } else { theme.error };
        fit::line(
            Line::from(vec![
                Span::styled(
                    format!("  {:<name_w$} ", fit::end(&line(name), name_w)),
                    theme.text,
                ),
                Span::styled(bar(rate, bar_w), style),
                Span::styled(format!(" {:>3.0}% ", rate * 100.0), theme.text),
                Span::styled(rest, theme.dim),
            ]),
            width,
        )
    };
    lines.push(Line::default());
    lines.push(Line::styled("Per trainee (pass rate)", theme.title));
    for l in &r.trainees {
        let rest = format!(
            "{}/{} passed · {} over par · {} hint(s) · {} critical · {}",
            l.passed,
            l.taken,
            l.questions_over_par,
            l.hints,
            l.critical_errors,
            crate::tui::training::clock(l.seconds)
        );
        lines.push(rate_row(&l.trainee, l.pass_rate, rest));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Per scenario (pass rate)", theme.title));
    for l in &r.scenarios {
        let mut rest = format!("{}/{} passed", l.passed, l.taken);
        if let Some((node, n)) = &l.most_left_at {
            rest.push_str(&format!(" · most leave at {} ({n})", line(node)));
        }
        if let Some((outcome, n)) = l.wrong_outcomes.first() {
            rest.push_str(&format!(" · wrong: {} ({n})", line(outcome)));
        }
        lines.push(rate_row(&l.scenario, l.pass_rate, rest));
    }
    lines
}

/// The popup over the screen: the customer's text when a scenario starts, or a hint.
pub fn popup(frame: &mut Frame, body: Rect, state: &State, theme: &Theme) {
    let Some(p) = state.training.as_ref().and_then(|t| t.popup.as_ref()) else {
        return;
    };
    let width = body.width.saturating_sub(6).min(72);
    let text = wrap(&p.text, width.saturating_sub(4) as usize);
    let height = (text.len() as u16 + 3).min(body.height);
    let area = layout::popup(body, width, height);
    let mut lines: Vec<Line> = text
        .into_iter()
        .map(|l| Line::styled(l, theme.text))
        .collect();
    lines.insert(0, Line::default());
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(Span::styled(
                    fit::end(
                        &format!(" {} ", line(&p.title)),
                        width.saturating_sub(2) as usize,
                    ),
                    theme.title,
                ))
                .title_bottom(Line::styled(" any key closes ", theme.dim).right_aligned())
                .border_style(theme.border_focus),
        ),
        area,
    );
}

/// Outside text broken into rows of at most `width` columns at spaces (a longer word is
/// cut with `…`), each row escaped for the terminal. Single line breaks (a TOML string's
/// hard wrapping) join; a blank line starts a new paragraph.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, paragraph) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            rows.push(String::new());
        }
        let mut row = String::new();
        for word in line(paragraph).split_whitespace() {
            let needed = row.chars().count() + usize::from(!row.is_empty()) + word.chars().count();
            if needed > width && !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            if !row.is_empty() {
                row.push(' ');
            }
            row.push_str(&fit::end(word, width));
        }
        rows.push(row);
    }
    rows
}

/// The keys that matter on training's screens, for the hint bar.
pub fn hints(state: &State, screen: &TrainingScreen) -> Vec<(String, &'static str)> {
    use Action::*;
    let k = &state.keys;
    let key = |ctx: Context, a: Action| k.first_key(ctx, a).map(|c| (c.to_string(), a.label()));
    let (nav, tr, g) = (Context::Navigate, Context::Training, Context::Global);
    let filtering = state.training.as_ref().is_some_and(|t| t.picker.filtering);
    let list = match screen {
        TrainingScreen::Trainee { .. } => vec![
            Some(("Enter".to_string(), "go on")),
            Some(("Esc".to_string(), "leave")),
        ],
        TrainingScreen::Picker if filtering => vec![
            Some(("Enter".to_string(), "keep filter")),
            Some(("Esc".to_string(), "clear filter")),
        ],
        TrainingScreen::Picker => vec![
            key(nav, Select).map(|(k, _)| (k, "take")),
            Some(("/".to_string(), "filter")),
            key(nav, NextPane).map(|(k, _)| (k, "set")),
            key(tr, Report),
            key(g, Help),
            key(g, Quit),
        ],
        TrainingScreen::Card(_) => vec![
            key(tr, NextScenario),
            key(tr, Retry),
            key(nav, Select).map(|(k, _)| (k, "ticket")),
            key(nav, Down).map(|(k, _)| (k, "scroll")),
            key(tr, Report),
            key(nav, Back).map(|(k, _)| (k, "scenarios")),
            key(g, Help),
        ],
        TrainingScreen::Report(_) => vec![
            key(nav, Down).map(|(k, _)| (k, "scroll")),
            key(nav, Back).map(|(k, _)| (k, "scenarios")),
            key(g, Help),
        ],
    };
    list.into_iter().flatten().collect()
}

/// A style for a verdict: passes in the ok colour, failures in the error colour.
pub fn verdict(passed: bool, theme: &Theme) -> Style {
    if passed { theme.ok } else { theme.error }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_escapes() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert!(!wrap("a\u{1b}[2Jb", 20)[0].contains('\u{1b}'));
        assert_eq!(wrap("x\n\ny", 5), ["x", "", "y"]);
        assert_eq!(wrap("one\ntwo", 20), ["one two"]);
    }

    #[test]
    fn bars_fill_by_rate() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.5, 2), "██");
        assert_eq!(tail("abcdef", 4), "…def");
    }
}
