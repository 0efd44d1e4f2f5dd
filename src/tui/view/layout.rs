//! Where things go on screen, as pure functions of the area and the state. The views draw
//! into these areas and mouse clicks are matched against the same ones, so they agree.

use crate::tui::state::WalkPane;
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screens cannot be read; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;
/// From this width panes sit side by side instead of stacked.
pub const WIDE: u16 = 120;

pub struct Chrome {
    pub title: Rect,
    pub body: Rect,
    pub status: Rect,
    pub hints: Rect,
}

pub fn chrome(area: Rect) -> Chrome {
    let [title, body, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Chrome {
        title,
        body,
        status,
        hints,
    }
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Home: runbooks, sessions, tickets.
pub fn home(body: Rect) -> [Rect; 3] {
    if body.width >= WIDE {
        Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(body)
    } else {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]).areas(body);
        let [sessions, tickets] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(bottom);
        [top, sessions, tickets]
    }
}

pub struct WalkAreas {
    /// The current node's box.
    pub node: Rect,
    /// Inside it, the numbered choices.
    pub choices: Rect,
    pub path: Rect,
    pub evidence: Rect,
}

/// The walk screen. Narrow terminals stack the node over path and evidence, and give the
/// focused lower pane the larger share so it can be read.
pub fn walk(body: Rect, pane: WalkPane, question: &str, choices: usize) -> WalkAreas {
    let (node, path, evidence) = if body.width >= WIDE {
        let [path, node, evidence] = Layout::horizontal([
            Constraint::Percentage(26),
            Constraint::Percentage(40),
            Constraint::Fill(1),
        ])
        .areas(body);
        (node, path, evidence)
    } else {
        let node_share = if pane == WalkPane::Choices { 58 } else { 40 };
        // Never fewer rows than the question and all its choices need (plus a blank row, two
        // of help and its marker), so no choice is hidden from the agent; the panes below
        // keep at least six rows.
        let inner_width = body.width.saturating_sub(2);
        let needed = 2 + wrapped_height(question, inner_width).min(3) + 1 + choices as u16 + 4;
        let share = body.height * node_share / 100;
        let height = share.max(needed).min(body.height.saturating_sub(6));
        let [node, bottom] =
            Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(body);
        let [path, evidence] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(bottom);
        (node, path, evidence)
    };
    let inner = inset(node);
    // The question first, its choices right under it, the help below: the eye goes from
    // what is asked to what can be answered without crossing empty rows.
    let question_rows = wrapped_height(question, inner.width)
        .min(inner.height / 3)
        .max(1);
    let rows = (choices as u16).min(inner.height.saturating_sub(question_rows + 1));
    let choices = Rect {
        y: inner.y + question_rows + 1,
        height: rows,
        ..inner
    };
    WalkAreas {
        node,
        choices,
        path,
        evidence,
    }
}

/// The outcome screen: a header with the outcome in `rows` rows, then the ticket preview.
pub fn outcome(body: Rect, rows: u16) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(rows + 2), Constraint::Fill(1)]).areas(body)
}

/// Intake: the form on the left (or all of it when narrow), the focused field's help below.
pub fn intake(body: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(body)
}

/// The rows of the intake fields inside the form's box: one row each, more for multi-line.
pub fn intake_fields(form: Rect, heights: &[u16]) -> Vec<Rect> {
    let inner = inset(form);
    let mut y = inner.y;
    heights
        .iter()
        .map(|h| {
            let r = Rect {
                y,
                height: (*h).min(inner.bottom().saturating_sub(y)),
                ..inner
            };
            y = y.saturating_add(*h);
            r
        })
        .collect()
}

/// A box's inside: one cell in from each border.
pub fn inset(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// A centred popup of the given size, clipped to `area`.
pub fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The first item to show so `selected` is visible in `rows` rows of `per_item` rows each.
pub fn scroll_offset(selected: usize, rows: u16, per_item: u16) -> usize {
    let visible = (rows / per_item.max(1)).max(1) as usize;
    selected.saturating_sub(visible - 1)
}

/// How many rows `text` takes wrapped at word boundaries to `width` columns.
pub fn wrapped_height(text: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let mut rows = 0u16;
    for line in text.lines() {
        let mut used = 0usize;
        rows = rows.saturating_add(1);
        for word in line.split_whitespace() {
            let w = word.chars().count();
            if used == 0 {
                used = w;
            } else if used + 1 + w <= width {
                used += 1 + w;
            } else {
                rows = rows.saturating_add(1);
                used = w;
            }
            while used > width {
                rows = rows.saturating_add(1);
                used -= width;
            }
        }
    }
    rows.max(1)
}
