//! Training mode's own screens: the trainee's name, the scenario picker, the score card and
//! the class report. Taking a scenario is [`super::attempt`].

use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Load, Overlay, Screen, State};
use crate::tui::training::{ReportData, ReportScreen, Training, TrainingScreen, TrainingSetup};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Opens training: the name form, or the picker when the name was given. A name given on
/// the command line is remembered as one typed into the form is, so the next `authdesk
/// train` offers it.
pub fn begin(state: &mut State, setup: TrainingSetup) -> Vec<Effect> {
    let ask = !setup.trainee_given;
    let training = Training::new(setup);
    let effects = if ask {
        state.screen = Screen::Training(TrainingScreen::Trainee {
            name: training.trainee.clone(),
        });
        Vec::new()
    } else {
        state.screen = Screen::Training(TrainingScreen::Picker);
        vec![Effect::RememberTrainee(training.trainee.clone())]
    };
    state.training = Some(training);
    effects
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
                    Some(i) => super::attempt::take(state, i),
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
                super::attempt::take(state, lesson)
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
        Some(&i) => super::attempt::take(state, i),
        None => {
            to_picker(state);
            state.info("That was the last scenario of the set");
            Vec::new()
        }
    }
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
