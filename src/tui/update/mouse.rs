//! Mouse clicks and the wheel, matched against the same layout the views draw with. A click
//! selects or focuses; a click on what is already selected opens it, like Enter.

use super::{act, intake};
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{HomePane, Overlay, Screen, State, WalkPane};
use crate::tui::view::layout;
use crate::walk::Position;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position as Cell, Rect};

pub fn handle(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    if layout::too_small(area) {
        return Vec::new();
    }
    let at = Cell::new(m.column, m.row);
    let wheel = match m.kind {
        MouseEventKind::ScrollUp => Some(Action::Up),
        MouseEventKind::ScrollDown => Some(Action::Down),
        _ => None,
    };
    if let Some(Overlay::Help { scroll }) = &mut state.overlay {
        match wheel {
            Some(Action::Up) => *scroll = scroll.saturating_sub(1),
            Some(_) => *scroll = scroll.saturating_add(1),
            None => {}
        }
        return Vec::new();
    }
    if state.overlay.is_some() {
        return Vec::new();
    }
    let clicked = matches!(m.kind, MouseEventKind::Down(MouseButton::Left));
    if !clicked && wheel.is_none() {
        return Vec::new();
    }
    let body = layout::chrome(area).body;
    match &state.screen {
        Screen::Home(_) => home(state, body, at, wheel),
        Screen::Intake(form) if clicked => {
            let heights = crate::tui::view::intake_heights(form);
            let [form_area, _] = layout::intake(body);
            let rows = layout::intake_fields(form_area, &heights);
            match rows.iter().position(|r| r.contains(at)) {
                Some(i) => intake::move_focus(state, i),
                None => Vec::new(),
            }
        }
        Screen::Intake(_) => Vec::new(),
        Screen::Walk(_) => walk(state, body, at, wheel),
        Screen::Outcome(_) | Screen::Stats(_) | Screen::Training(_) => {
            wheel.map_or_else(Vec::new, |a| act(state, a))
        }
    }
}

fn home(state: &mut State, body: Rect, at: Cell, wheel: Option<Action>) -> Vec<Effect> {
    let panes = layout::home(body);
    let order = [HomePane::Runbooks, HomePane::Sessions, HomePane::Tickets];
    let Some(i) = panes.iter().position(|p| p.contains(at)) else {
        return Vec::new();
    };
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    home.pane = order[i];
    if let Some(action) = wheel {
        return act(state, action);
    }
    // Runbooks take one row each; sessions and tickets two.
    let per_item = if i == 0 { 1 } else { 2 };
    let inner = layout::inset(panes[i]);
    if !inner.contains(at) {
        return Vec::new();
    }
    // What the panes list after the filter, so a click picks the row it lands on.
    let len = match home.pane {
        HomePane::Runbooks => state.runbooks.len(),
        HomePane::Sessions => home.resume_rows().len(),
        HomePane::Tickets => home.tickets().len(),
    };
    let selected = match home.pane {
        HomePane::Runbooks => &mut home.runbook,
        HomePane::Sessions => &mut home.session,
        HomePane::Tickets => &mut home.ticket,
    };
    let offset = layout::scroll_offset(*selected, inner.height, per_item);
    let row = offset + usize::from((at.y - inner.y) / per_item);
    if row >= len {
        return Vec::new();
    }
    if *selected == row {
        return act(state, Action::Select);
    }
    *selected = row;
    Vec::new()
}

fn walk(state: &mut State, body: Rect, at: Cell, wheel: Option<Action>) -> Vec<Effect> {
    let (text, choices) = state
        .case
        .as_ref()
        .and_then(|c| match c.session.walk.as_ref()?.position(&c.runbook) {
            Ok(Position::Question { node, question }) => Some((
                c.runbook
                    .node(node)
                    .map_or(String::new(), |n| n.text.trim().to_string()),
                question.choices.len(),
            )),
            _ => None,
        })
        .unwrap_or_default();
    let Screen::Walk(ws) = &mut state.screen else {
        return Vec::new();
    };
    let areas = layout::walk(body, ws.pane, &text, choices);
    let pane = if areas.node.contains(at) {
        WalkPane::Choices
    } else if areas.path.contains(at) {
        WalkPane::Path
    } else if areas.evidence.contains(at) {
        WalkPane::Evidence
    } else {
        return Vec::new();
    };
    let was = ws.pane;
    ws.pane = pane;
    if let Some(action) = wheel {
        return act(state, action);
    }
    match pane {
        WalkPane::Choices if areas.choices.contains(at) => {
            let row = usize::from(at.y - areas.choices.y);
            if was == WalkPane::Choices && ws.choice == row {
                return act(state, Action::Select);
            }
            ws.choice = row;
        }
        // The first click focuses the path (it then shows its selection); later clicks pick.
        WalkPane::Path if was == WalkPane::Path => {
            let inner = layout::inset(areas.path);
            let offset = layout::scroll_offset(ws.step, inner.height.saturating_sub(1), 2);
            let row = offset + usize::from(at.y.saturating_sub(inner.y) / 2);
            let steps = state
                .case
                .as_ref()
                .and_then(|c| c.session.walk.as_ref())
                .map_or(0, |w| w.steps().len());
            let Screen::Walk(ws) = &mut state.screen else {
                return Vec::new();
            };
            if row < steps {
                if ws.step == row {
                    return act(state, Action::Select);
                }
                ws.step = row;
            }
        }
        _ => {}
    }
    Vec::new()
}
