//! The walk: the current question large and clear with its numbered choices; the path so
//! far with who decided each step and on what fact; the evidence.

use super::fit;
use super::layout::{self, WalkAreas};
use crate::escape::line;
use crate::tui::state::{Case, State, WalkPane, WalkScreen};
use crate::tui::theme::Theme;
use crate::walk::{Decision, Position, Step};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The walk screen's areas in `body`.
fn body_areas(body: Rect, case: &Case, ws: &WalkScreen) -> Option<WalkAreas> {
    let walk = case.session.walk.as_ref()?;
    let choices = match walk.position(&case.runbook) {
        Ok(Position::Question { question, .. }) => question.choices.len(),
        _ => 0,
    };
    let text = case
        .runbook
        .node(walk.current())
        .map_or("", |n| n.text.trim());
    Some(layout::walk(body, ws.pane, text, choices))
}

/// The walk screen's areas on a terminal of `size`, as [`draw`] lays them out.
pub fn areas(case: &Case, ws: &WalkScreen, size: (u16, u16)) -> Option<WalkAreas> {
    let body = layout::chrome(Rect::new(0, 0, size.0, size.1)).body;
    body_areas(body, case, ws)
}

pub fn draw(frame: &mut Frame, body: Rect, state: &State, ws: &WalkScreen, theme: &Theme) {
    let Some(case) = &state.case else { return };
    let Some(areas) = body_areas(body, case, ws) else {
        return;
    };
    node(frame, &areas, case, ws, theme);
    path(frame, areas.path, case, ws, theme);
    super::evidence::draw(frame, areas.evidence, state, case, ws, theme);
}

pub fn block<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .title(Span::styled(title, theme.title))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
}

fn node(frame: &mut Frame, areas: &WalkAreas, case: &Case, ws: &WalkScreen, theme: &Theme) {
    let Some(walk) = &case.session.walk else {
        return;
    };
    let Some(node) = case.runbook.node(walk.current()) else {
        return;
    };
    let focused = ws.pane == WalkPane::Choices;
    let step_no = walk
        .steps()
        .iter()
        .filter(|s| matches!(s.decision, Decision::Answer { .. }))
        .count()
        + 1;
    let title = format!(" {} ", node.title);
    frame.render_widget(
        block(title, focused, theme)
            .title(Line::styled(format!(" question {step_no} "), theme.dim).right_aligned()),
        areas.node,
    );
    let inner = layout::inset(areas.node);
    let question = Rect {
        height: areas.choices.y.saturating_sub(inner.y + 1),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(node.text.trim().to_string())
            .style(theme.title)
            .wrap(Wrap { trim: true }),
        question,
    );
    let below = areas.choices.bottom() + 1;
    let help_area = Rect {
        y: below.min(inner.bottom()),
        height: inner.bottom().saturating_sub(below),
        ..inner
    };
    help(frame, help_area, case, focused, ws.help_scroll, theme);
    let Ok(Position::Question { question, .. }) = walk.position(&case.runbook) else {
        return;
    };
    let rows: Vec<Line> = question
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chosen = i == ws.choice;
            let style = if chosen && focused {
                theme.selected
            } else {
                theme.text
            };
            let marker = if chosen { "▸" } else { " " };
            let mut line = Line::from(vec![
                Span::styled(
                    format!("{marker}{} ", i + 1),
                    if chosen && focused {
                        style
                    } else {
                        theme.accent
                    },
                ),
                Span::styled(
                    fit::end(&c.label, (inner.width as usize).saturating_sub(3)),
                    style,
                ),
            ]);
            if chosen && focused {
                let pad = (inner.width as usize).saturating_sub(line.width());
                line.push_span(Span::styled(" ".repeat(pad), style));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), areas.choices);
}

/// The question's help: why it is asked, the runbook's help (the rule that decides it),
/// the agent's notes. It scrolls when it does not fit, with a marker saying more is there.
fn help(frame: &mut Frame, area: Rect, case: &Case, focused: bool, scroll: u16, theme: &Theme) {
    let content = help_text(case, theme);
    let total = content.line_count(area.width) as u16;
    if total <= area.height {
        frame.render_widget(content, area);
        return;
    }
    // The last row says where the rest is.
    let visible = area.height.saturating_sub(1);
    let scroll = scroll.min(total.saturating_sub(visible));
    let text_area = Rect {
        height: visible,
        ..area
    };
    frame.render_widget(content.scroll((scroll, 0)), text_area);
    // The keys are named where they work: PgUp/PgDn move the path or evidence when those
    // have focus.
    let marker = match (scroll + visible < total, focused) {
        (true, true) => format!("▼ more below ({}/{total}) · PgDn", scroll + visible),
        (true, false) => format!("▼ more below ({}/{total})", scroll + visible),
        (false, true) => format!("▲ end of help ({total}/{total}) · PgUp"),
        (false, false) => format!("▲ end of help ({total}/{total})"),
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit::end(&marker, area.width as usize),
            theme.key,
        )),
        Rect {
            y: area.bottom().saturating_sub(1),
            height: 1,
            ..area
        },
    );
}

/// How far the help of the question on screen can scroll at the terminal's `size`.
pub fn help_max_scroll(case: &Case, ws: &WalkScreen, size: (u16, u16)) -> u16 {
    let Some(areas) = areas(case, ws, size) else {
        return 0;
    };
    let inner = layout::inset(areas.node);
    let below = areas.choices.bottom() + 1;
    let height = inner.bottom().saturating_sub(below);
    let total = help_text(case, &Theme::no_color()).line_count(inner.width) as u16;
    if total <= height {
        return 0;
    }
    total.saturating_sub(height.saturating_sub(1))
}

fn help_text<'a>(case: &Case, theme: &Theme) -> Paragraph<'a> {
    let Some(walk) = &case.session.walk else {
        return Paragraph::default();
    };
    let Some(node) = case.runbook.node(walk.current()) else {
        return Paragraph::default();
    };
    let mut lines = Vec::new();
    let asked_because = match walk.steps().last() {
        Some(Step {
            decision: Decision::Undecided { missing, .. },
            next,
            ..
        }) if *next == node.id => Some(missing),
        _ => None,
    };
    if let Some(missing) = asked_because {
        lines.push(Line::styled(
            format!(
                "Asked because these facts are unknown: {}",
                missing.join(", ")
            ),
            theme.warn,
        ));
    }
    for para in node.help.trim().split("\n\n") {
        lines.push(Line::styled(para.replace('\n', " "), theme.dim));
    }
    for note in walk.notes().iter().filter(|n| n.node == node.id) {
        lines.push(Line::styled(
            format!("✎ {} ({})", line(&note.text), line(&note.by)),
            theme.accent,
        ));
    }
    Paragraph::new(lines).wrap(Wrap { trim: true })
}

/// Two rows per step: the node, then the answer and who or what decided it.
fn step_lines<'a>(i: usize, step: &Step, case: &Case, theme: &Theme) -> [Line<'a>; 2] {
    let title = case
        .runbook
        .node(&step.node)
        .map_or(step.node.clone(), |n| n.title.clone());
    let (detail, style) = match &step.decision {
        Decision::Answer { label, by, .. } => {
            (format!("{label} · {}", line(&by.to_string())), theme.text)
        }
        Decision::Check { decided_by, .. } => {
            let fact = decided_by
                .first()
                .map_or("no rule matched".to_string(), |c| {
                    format!("{} = {}", c.fact, line(&c.value.to_string()))
                });
            (format!("check: {fact}"), theme.ok)
        }
        Decision::Undecided { missing, .. } => (
            format!("check: unknown {} → asked", missing.join(", ")),
            theme.warn,
        ),
    };
    [
        Line::from(vec![
            Span::styled(format!("{:>2} ", i + 1), theme.accent),
            Span::styled(title, theme.text),
        ]),
        Line::styled(format!("   {detail}"), style),
    ]
}

pub(super) fn path(frame: &mut Frame, area: Rect, case: &Case, ws: &WalkScreen, theme: &Theme) {
    let Some(walk) = &case.session.walk else {
        return;
    };
    let focused = ws.pane == WalkPane::Path;
    frame.render_widget(block(" Path ".into(), focused, theme), area);
    let inner = layout::inset(area);
    // The last row is kept for the node the walk stands at.
    let offset = layout::scroll_offset(ws.step, inner.height.saturating_sub(1), 2);
    let mut lines = Vec::new();
    for (i, step) in walk.steps().iter().enumerate().skip(offset) {
        let chosen = focused && i == ws.step;
        for line in step_lines(i, step, case, theme) {
            lines.push(if chosen {
                let pad = (inner.width as usize).saturating_sub(line.width());
                let mut l = line.patch_style(theme.selected);
                l.push_span(Span::styled(" ".repeat(pad), theme.selected));
                l
            } else {
                line
            });
        }
    }
    let here = case
        .runbook
        .node(walk.current())
        .map_or(walk.current().to_string(), |n| n.title.clone());
    lines.push(Line::from(vec![
        Span::styled(" ▶ ", theme.accent),
        Span::styled(here, theme.title),
    ]));
    let room = inner.height as usize;
    // Keep the current node in view: it is what the agent is looking at.
    let skip = lines
        .len()
        .saturating_sub(room)
        .min(if focused { 0 } else { usize::MAX });
    let lines: Vec<Line> = lines
        .into_iter()
        .skip(skip)
        .map(|l| fit::line(l, inner.width as usize))
        .collect();
    frame.render_widget(Paragraph::new(lines).style(Style::default()), inner);
}
