//! The walk screen: answering, undoing, jumping back, notes. Every change goes through the
//! core walk, which decides where the case goes; this only moves selections and screens.

use super::case;
use crate::facts::{FactSource, Facts};
use crate::tui::form::{EditPurpose, TextEdit};
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Overlay, SETTLE, Screen, State, WalkPane};
use crate::walk::{Answerer, Position, Walk, WalkError};

/// How many choices the current question has and how many steps the path has.
fn counts(state: &State) -> (usize, usize) {
    let Some(case) = &state.case else {
        return (0, 0);
    };
    let Some(walk) = &case.session.walk else {
        return (0, 0);
    };
    let choices = match walk.position(&case.runbook) {
        Ok(Position::Question { question, .. }) => question.choices.len(),
        _ => 0,
    };
    (choices, walk.steps().len())
}

/// Rows the question's help moves per PgUp/PgDn: a few, so no line is skipped unread.
const HELP_PAGE: i32 = 3;

pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let (choices, steps) = counts(state);
    let evidence_end = crate::tui::view::evidence_max_scroll(state);
    let help_end = crate::tui::view::help_max_scroll(state, state.size);
    let Screen::Walk(ws) = &mut state.screen else {
        return Vec::new();
    };
    let step_by = |pos: usize, len: usize, delta: isize| -> usize {
        let last = len.saturating_sub(1) as isize;
        (pos as isize + delta).clamp(0, last.max(0)) as usize
    };
    let delta = match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-10),
        Action::PageDown => Some(10),
        Action::Top => Some(-10_000),
        Action::Bottom => Some(10_000),
        _ => None,
    };
    // With the choices in focus the page keys scroll the question's help: the choices are
    // few and always in view, the help is what can run past the box.
    let page = match action {
        Action::PageUp => Some(-HELP_PAGE),
        Action::PageDown => Some(HELP_PAGE),
        _ => None,
    };
    if let (Some(d), WalkPane::Choices) = (page, ws.pane) {
        ws.help_scroll = (i32::from(ws.help_scroll) + d).clamp(0, i32::from(help_end)) as u16;
        return Vec::new();
    }
    if let Some(d) = delta {
        match ws.pane {
            WalkPane::Choices => ws.choice = step_by(ws.choice, choices, d),
            WalkPane::Path => ws.step = step_by(ws.step, steps, d),
            WalkPane::Evidence => {
                ws.evidence_scroll = (i64::from(ws.evidence_scroll) + d as i64)
                    .clamp(0, i64::from(evidence_end)) as u16;
            }
        }
        return Vec::new();
    }
    match action {
        Action::NextPane | Action::PrevPane => {
            let order = [WalkPane::Choices, WalkPane::Path, WalkPane::Evidence];
            let at = order.iter().position(|p| *p == ws.pane).unwrap_or(0);
            let step = if action == Action::NextPane { 1 } else { 2 };
            ws.pane = order[(at + step) % 3];
            Vec::new()
        }
        Action::Select => match ws.pane {
            WalkPane::Choices => {
                let choice = ws.choice;
                answer(state, choice)
            }
            WalkPane::Path => {
                let step = ws.step;
                jump(state, step)
            }
            WalkPane::Evidence => Vec::new(),
        },
        Action::Back => {
            ws.pane = WalkPane::Choices;
            Vec::new()
        }
        Action::Undo => undo(state),
        Action::Note => {
            state.overlay = Some(Overlay::Edit(Box::new(TextEdit::new(
                EditPurpose::Note,
                "",
            ))));
            Vec::new()
        }
        Action::Refresh => refresh_evidence(state),
        _ => Vec::new(),
    }
}

/// Answers the current question with choice `index` (a number key, Enter, or a click).
pub fn answer(state: &mut State, index: usize) -> Vec<Effect> {
    let now = state.now();
    if let Screen::Walk(ws) = &state.screen
        && let Some((at, what)) = &ws.moved_by_evidence
        && now - *at < SETTLE
    {
        // The key left the agent's hand before the new question was on screen.
        let what = format!("Not answered: the question just changed. {what}");
        state.error(what);
        return Vec::new();
    }
    let by = Answerer::Agent {
        name: state.agent.clone(),
    };
    let result = with_walk(state, |rb, walk| {
        let Position::Question { node, question } = walk.position(rb)? else {
            return Ok(None);
        };
        let Some(choice) = question.choices.get(index) else {
            return Ok(None);
        };
        let (node, id, label) = (node.to_string(), choice.id.clone(), choice.label.clone());
        walk.answer(rb, &node, &id, by, now)?;
        Ok(Some(label))
    });
    match result {
        Some(Ok(Some(label))) => changed(state, format!("Answered: {label}")),
        Some(Ok(None)) => {
            state.info(format!("There is no choice {}", index + 1));
            Vec::new()
        }
        Some(Err(e)) => failed(state, &e),
        None => Vec::new(),
    }
}

pub fn undo(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    match with_walk(state, |rb, walk| walk.back(rb, now)) {
        Some(Ok(())) => changed(state, "Undid the last answer".to_string()),
        Some(Err(WalkError::NothingToUndo)) => {
            state.info("Nothing to undo: no question has been answered yet");
            Vec::new()
        }
        Some(Err(e)) => failed(state, &e),
        None => Vec::new(),
    }
}

fn jump(state: &mut State, index: usize) -> Vec<Effect> {
    let now = state.now();
    let title = state.case.as_ref().and_then(|c| {
        let step = c.session.walk.as_ref()?.steps().get(index)?;
        Some(
            c.runbook
                .node(&step.node)
                .map_or(step.node.clone(), |n| n.title.clone()),
        )
    });
    match with_walk(state, |rb, walk| walk.rewind_to(rb, index, now)) {
        Some(Ok(())) => changed(
            state,
            format!("Back at step {}: {}", index + 1, title.unwrap_or_default()),
        ),
        Some(Err(e)) => failed(state, &e),
        None => Vec::new(),
    }
}

/// Runs `f` on the case's runbook and walk, if there is a walk.
fn with_walk<T>(
    state: &mut State,
    f: impl FnOnce(&crate::runbook::Runbook, &mut Walk) -> Result<T, WalkError>,
) -> Option<Result<T, WalkError>> {
    let case = state.case.as_mut()?;
    let walk = case.session.walk.as_mut()?;
    Some(f(&case.runbook, walk))
}

/// After the walk moved: show where it stands now and save.
fn changed(state: &mut State, what: String) -> Vec<Effect> {
    let mut effects = case::show_position(state);
    state.info(what);
    effects.extend(case::save(state));
    effects
}

fn failed(state: &mut State, e: &WalkError) -> Vec<Effect> {
    state.error(e.to_string());
    Vec::new()
}

/// Runs the evidence queries again with the case's intake facts.
pub fn refresh_evidence(state: &mut State) -> Vec<Effect> {
    let Some(case) = &mut state.case else {
        return Vec::new();
    };
    let Some(walk) = &case.session.walk else {
        return Vec::new();
    };
    let mut intake = Facts::new();
    for (name, fact) in walk.facts().iter() {
        if fact.source == FactSource::Intake {
            // Names come from an existing Facts, so they are in the schema.
            let _ = intake.insert(name, fact.clone());
        }
    }
    let generation = case.evidence.restart();
    state.info("Fetching the evidence again");
    vec![Effect::FetchEvidence { generation, intake }]
}
