//! Training mode's updates: the trainee's name, the scenario picker, hints, and the end of an
//! attempt (scored by the core, saved, shown as a score card). The case itself runs on the
//! live screens; [`after`] watches it from outside, so intake, walk and evidence behave
//! exactly as they do for a real customer.

use crate::facts::FactSource;
use crate::tui::form::PASTE;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Load, Overlay, Screen, State, WalkPane};
use crate::tui::training::{
    Attempt, Card, Popup, ReportData, ReportScreen, ScenarioData, Training, TrainingScreen,
    TrainingSetup,
};
use crate::walk::Answerer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Opens training: the name form, or the picker when the name was given.
pub fn begin(state: &mut State, setup: TrainingSetup) -> Vec<Effect> {
    let ask = !setup.trainee_given;
    let training = Training::new(setup);
    state.screen = Screen::Training(if ask {
        TrainingScreen::Trainee {
            name: training.trainee.clone(),
        }
    } else {
        TrainingScreen::Picker
    });
    state.training = Some(training);
    Vec::new()
}

/// A popup takes the next key and closes; true when one was open.
pub fn close_popup(state: &mut State) -> bool {
    state
        .training
        .as_mut()
        .and_then(|t| t.popup.take())
        .is_some()
}

/// A key on one of training's screens. The name and the filter take typed text; everything
/// else goes through the keymap.
pub fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if let Screen::Training(TrainingScreen::Trainee { name }) = &mut state.screen {
        return match key.code {
            KeyCode::Char('c') if ctrl => super::leave(state),
            KeyCode::Char(c) if !ctrl => {
                name.push(c);
                Vec::new()
            }
            KeyCode::Backspace => {
                name.pop();
                Vec::new()
            }
            KeyCode::Enter => name_given(state),
            KeyCode::Esc => super::leave(state),
            _ => Vec::new(),
        };
    }
    let filtering = state.training.as_ref().is_some_and(|t| t.picker.filtering);
    if filtering && matches!(state.screen, Screen::Training(TrainingScreen::Picker)) {
        return filter_key(state, key);
    }
    let contexts = [Context::Training, Context::Navigate, Context::Global];
    match state.keys.action(&contexts, &key) {
        Some(action) => super::act(state, action),
        None if key.code == KeyCode::Char('/') => {
            if let Some(t) = &mut state.training {
                t.picker.filtering = true;
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn name_given(state: &mut State) -> Vec<Effect> {
    let Screen::Training(TrainingScreen::Trainee { name }) = &state.screen else {
        return Vec::new();
    };
    let name = name.trim().to_string();
    if name.is_empty() {
        state.error("Type your name: results are saved under it");
        return Vec::new();
    }
    if let Some(t) = &mut state.training {
        t.trainee = name.clone();
    }
    state.screen = Screen::Training(TrainingScreen::Picker);
    vec![Effect::RememberTrainee(name)]
}

fn filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(t) = &mut state.training else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            return super::leave(state);
        }
        KeyCode::Char(c) => t.picker.filter.push(c),
        KeyCode::Backspace => {
            t.picker.filter.pop();
        }
        KeyCode::Enter => t.picker.filtering = false,
        KeyCode::Esc => {
            t.picker.filter.clear();
            t.picker.filtering = false;
        }
        _ => {}
    }
    t.picker.selected = 0;
    Vec::new()
}

/// An action on one of training's screens.
pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let end = crate::tui::view::training_max_scroll(state);
    let Screen::Training(screen) = &mut state.screen else {
        return Vec::new();
    };
    let Some(t) = &mut state.training else {
        return Vec::new();
    };
    match screen {
        TrainingScreen::Trainee { .. } => Vec::new(),
        TrainingScreen::Picker => {
            let visible = t.visible();
            let len = visible.len();
            let p = &mut t.picker;
            match action {
                Action::Select => match visible.get(p.selected).copied() {
                    Some(i) => take(state, i),
                    None => Vec::new(),
                },
                Action::NextPane => {
                    p.set = p.set.next();
                    p.selected = 0;
                    Vec::new()
                }
                Action::PrevPane => {
                    p.set = p.set.prev();
                    p.selected = 0;
                    Vec::new()
                }
                Action::Back => {
                    p.filter.clear();
                    Vec::new()
                }
                Action::Report => open_report(state),
                _ => {
                    p.selected = moved(p.selected, len, action);
                    Vec::new()
                }
            }
        }
        TrainingScreen::Card(card) => match action {
            Action::Retry => {
                let lesson = card.lesson;
                take(state, lesson)
            }
            Action::NextScenario => {
                let lesson = card.lesson;
                next(state, lesson)
            }
            Action::Select => {
                if let Some(text) = card.ticket.clone() {
                    state.overlay = Some(Overlay::Ticket {
                        path: "ticket (training: not saved)".into(),
                        text,
                        scroll: 0,
                    });
                }
                Vec::new()
            }
            Action::Back => to_picker(state),
            Action::Report => open_report(state),
            _ => {
                card.scroll = scrolled(card.scroll, action, end);
                Vec::new()
            }
        },
        TrainingScreen::Report(report) => match action {
            Action::Back | Action::Select => to_picker(state),
            _ => {
                report.scroll = scrolled(report.scroll, action, end);
                Vec::new()
            }
        },
    }
}

/// `q` on the score card and the report goes back to the picker; on the picker it leaves.
pub fn quits_screen(state: &State) -> bool {
    matches!(
        state.screen,
        Screen::Training(TrainingScreen::Card(_) | TrainingScreen::Report(_))
    )
}

pub fn to_picker(state: &mut State) -> Vec<Effect> {
    state.status = None;
    state.screen = Screen::Training(TrainingScreen::Picker);
    Vec::new()
}

fn moved(at: usize, len: usize, action: Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => at.saturating_sub(1),
        Action::Down => (at + 1).min(last),
        Action::PageUp => at.saturating_sub(10),
        Action::PageDown => (at + 10).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => at,
    }
}

/// Scrolling a long page, up to `end`.
fn scrolled(at: u16, action: Action, end: u16) -> u16 {
    let to = match action {
        Action::Up => at.saturating_sub(1),
        Action::Down => at.saturating_add(1),
        Action::PageUp => at.saturating_sub(10),
        Action::PageDown => at.saturating_add(10),
        Action::Top => 0,
        Action::Bottom => end,
        _ => at,
    };
    to.min(end)
}

/// The scenario after `lesson` in the picker's set, or the picker when it was the last.
fn next(state: &mut State, lesson: usize) -> Vec<Effect> {
    let Some(t) = &state.training else {
        return Vec::new();
    };
    let visible = t.visible();
    let after = visible
        .iter()
        .position(|&i| i == lesson)
        .map_or(0, |at| at + 1);
    match visible.get(after) {
        Some(&i) => take(state, i),
        None => {
            to_picker(state);
            state.info("That was the last scenario of the set");
            Vec::new()
        }
    }
}

/// Starts scenario `index`: its data served on loopback, a new case on its runbook with the
/// intake it gives filled in, and the customer's text shown first.
pub fn take(state: &mut State, index: usize) -> Vec<Effect> {
    let now = state.now();
    let Some(lesson) = state.training.as_ref().and_then(|t| t.lessons.get(index)) else {
        return Vec::new();
    };
    let s = &lesson.scenario;
    let data = if s.facts.is_empty() {
        ScenarioData::Overlay {
            builtin: s.base == crate::training::Base::Builtin,
            overlay: s.data_overlay.clone(),
        }
    } else {
        ScenarioData::Frozen(crate::tui::training::frozen_facts(s, now))
    };
    let mut effects = vec![Effect::ServeScenario(data)];
    let mut inputs = s.inputs();
    // The form has one paste field: the request, else the token, else the response.
    let pasted = [&s.pastes.request, &s.pastes.jwt, &s.pastes.response];
    if let Some(text) = pasted.into_iter().flatten().next() {
        inputs.push((PASTE.to_string(), text.clone()));
    }
    let popup = Popup {
        title: format!("{} · the customer wrote", s.title),
        text: s.customer_wrote.trim().to_string(),
    };
    let runbook = lesson.runbook.clone();
    let id = crate::session::new_id(now);
    effects.extend(super::start_case(state, runbook, id));
    // Names the runbook lacks were reported by `train check`; the rest still fill in.
    let (more, _) = super::prefill(state, &inputs);
    effects.extend(more);
    if let Some(t) = &mut state.training {
        t.attempt = Some(Attempt {
            lesson: index,
            started_at: now,
            hints: Vec::new(),
            evidence_opened: Vec::new(),
            typed: Vec::new(),
        });
        t.popup = Some(popup);
    }
    effects
}

/// The hint key: the current question's next hint, recorded with its cost.
pub fn hint(state: &mut State) -> Vec<Effect> {
    let node = match (&state.screen, &state.case) {
        (Screen::Walk(_), Some(case)) => {
            case.session.walk.as_ref().map(|w| w.current().to_string())
        }
        _ => None,
    };
    let (Some(t), Some(node)) = (&mut state.training, node) else {
        state.info("Hints are for training, on a question (authdesk train)");
        return Vec::new();
    };
    let Some(attempt) = &mut t.attempt else {
        return Vec::new();
    };
    let Some(lesson) = t.lessons.get(attempt.lesson) else {
        return Vec::new();
    };
    let taken = attempt.hints.iter().filter(|n| **n == node).count();
    let hints: Vec<_> = lesson.scenario.hints_for(&node).collect();
    let (text, note) = match hints.get(taken) {
        Some(h) => {
            attempt.hints.push(node.clone());
            (
                h.text.clone(),
                format!("This hint costs {} points.", h.cost),
            )
        }
        None => match hints.last() {
            Some(h) => (
                h.text.clone(),
                "No more hints here; no further cost.".into(),
            ),
            None => {
                state.info("No hint for this question");
                return Vec::new();
            }
        },
    };
    t.popup = Some(Popup {
        title: format!("Hint · {node}"),
        text: format!("{}\n\n{note}", text.trim()),
    });
    Vec::new()
}

/// After every update while training: the case's files stay out of the agent's data, what
/// the trainee typed and looked at is noted, and reaching an outcome ends the attempt.
pub fn after(state: &mut State, mut effects: Vec<Effect>) -> Vec<Effect> {
    let Some(t) = &mut state.training else {
        return effects;
    };
    // A training case is nobody's case: no session, lock, ticket or home listing.
    effects.retain(|e| {
        !matches!(
            e,
            Effect::HoldCase(_) | Effect::SaveSession(_) | Effect::SaveTicket(_) | Effect::LoadHome
        )
    });
    match &state.screen {
        // The case was closed (Esc at intake): training's home is the picker.
        Screen::Home(_) => {
            t.attempt = None;
            t.popup = None;
            state.case = None;
            state.screen = Screen::Training(TrainingScreen::Picker);
        }
        Screen::Intake(form) => {
            if let Some(a) = &mut t.attempt {
                // Raw, as typed: a secret pasted into free text is a critical error, and the
                // session keeps only the redacted text.
                a.typed = form
                    .fields
                    .iter()
                    .filter(|f| !f.is_empty())
                    .map(|f| (f.name.clone(), f.raw()))
                    .collect();
            }
        }
        Screen::Walk(ws) if ws.pane == WalkPane::Evidence => {
            if let (Some(a), Some(case)) = (&mut t.attempt, &state.case) {
                for (name, fact) in case.evidence.facts.iter() {
                    if fact.source == FactSource::AdminApi
                        && !a.evidence_opened.iter().any(|n| n == name)
                    {
                        a.evidence_opened.push(name.to_string());
                    }
                }
            }
        }
        Screen::Outcome(_) if t.attempt.is_some() => effects.extend(finish(state)),
        _ => {}
    }
    effects
}

/// Scores the finished walk against the expected answers played on the same facts, and
/// shows the score card while the result is saved.
fn finish(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let case = state.case.take();
    let ticket = case
        .as_ref()
        .and_then(|c| super::case::build_ticket(c, &state.agent, now, None).ok())
        .map(|t| t.to_markdown());
    let Some(t) = &mut state.training else {
        return Vec::new();
    };
    t.popup = None;
    let (Some(attempt), Some(case)) = (t.attempt.take(), case) else {
        return Vec::new();
    };
    let Some(lesson) = t.lessons.get(attempt.lesson) else {
        return Vec::new();
    };
    let Some(walk) = &case.session.walk else {
        return Vec::new();
    };
    let s = &lesson.scenario;
    let played = crate::training::play(
        &lesson.runbook,
        walk.facts(),
        &s.expect.answers,
        &Answerer::Script,
        attempt.started_at,
    );
    let expected = match played {
        Ok(played) => played.walk,
        Err(e) => {
            let why = format!("Cannot score {}: {e}", s.id);
            state.screen = Screen::Training(TrainingScreen::Picker);
            state.error(why);
            return Vec::new();
        }
    };
    // Values the scenario gave are not the trainee's typing.
    let typed = attempt
        .typed
        .into_iter()
        .filter(|(name, value)| s.intake.get(name) != Some(value))
        .collect();
    let scored = crate::training::Attempt {
        trainee: t.trainee.clone(),
        started_at: attempt.started_at,
        finished_at: now,
        typed,
        hints: attempt.hints,
        evidence_opened: attempt.evidence_opened,
    };
    let result = crate::training::score(s, &lesson.runbook, walk, &expected, &scored);
    let effect = Effect::SaveResult {
        result: Box::new(result.clone()),
        dir: t.results_dir.clone(),
    };
    state.screen = Screen::Training(TrainingScreen::Card(Box::new(Card {
        result,
        lesson: attempt.lesson,
        saved: None,
        scroll: 0,
        ticket,
    })));
    vec![effect]
}

pub fn result_saved(state: &mut State, saved: Result<std::path::PathBuf, String>) -> Vec<Effect> {
    match &saved {
        Ok(path) => state.info(format!("Result saved: {}", path.display())),
        Err(why) => state.error(format!("Could not save the result: {why}")),
    }
    if let Screen::Training(TrainingScreen::Card(card)) = &mut state.screen {
        card.saved = Some(saved);
    }
    Vec::new()
}

fn open_report(state: &mut State) -> Vec<Effect> {
    let Some(t) = &state.training else {
        return Vec::new();
    };
    let dir = t.results_dir.clone();
    state.status = None;
    state.screen = Screen::Training(TrainingScreen::Report(ReportScreen {
        data: Load::Loading { since: state.now() },
        scroll: 0,
    }));
    vec![Effect::LoadReport(dir)]
}

pub fn report_loaded(state: &mut State, data: Result<ReportData, String>) -> Vec<Effect> {
    if let Screen::Training(TrainingScreen::Report(report)) = &mut state.screen {
        report.data = match data {
            Ok(d) => Load::Loaded(d),
            Err(why) => Load::Failed(why),
        };
    }
    Vec::new()
}
