//! The one update: `update(&mut State, Msg) -> Vec<Effect>`. It changes the state through the
//! core walk and returns the I/O to do; it never waits, draws or touches a file, so tests
//! drive the whole app headless.

mod attempt;
mod case;
mod evidence;
mod home;
mod intake;
mod mouse;
mod outcome;
mod overlay;
mod stats;
mod training;
mod walk;

pub use case::{open_session, start_case};
// The plain front end (`crate::plain`) drives the same steps line by line.
pub use intake::{move_focus, prefill, submit};
pub use outcome::shown_text;
pub use overlay::add_note;
pub use training::begin as begin_training;
pub use walk::{answer, undo};

use super::keymap::Context;
use super::msg::{Action, Effect, Msg};
use super::state::{Overlay, Screen, State};
use crossterm::event::{KeyCode, KeyEvent};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let screen_before = std::mem::discriminant(&state.screen);
    let status_before = state.status.clone();
    let effects = dispatch(state, msg);
    let effects = attempt::after(state, effects);
    // A message from the screen left behind would read as news about the new one.
    if std::mem::discriminant(&state.screen) != screen_before && state.status == status_before {
        state.status = None;
    }
    effects
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        // Nothing acts on a screen the agent cannot see; only leaving (Ctrl-C) still works.
        Msg::Key(key) if hidden(state) => match state.keys.action(&[Context::Global], &key) {
            Some(Action::ForceQuit) => leave(state),
            _ => Vec::new(),
        },
        Msg::Paste(_) if hidden(state) => Vec::new(),
        Msg::Key(key) => key_pressed(state, key),
        Msg::Paste(text) => intake::paste(state, &text),
        Msg::Mouse(m) => mouse::handle(state, m),
        Msg::Resize { width, height } => {
            state.size = (width, height);
            Vec::new()
        }
        Msg::Tick => {
            state.tick = state.tick.wrapping_add(1);
            Vec::new()
        }
        Msg::HomeLoaded(data) => home::loaded(state, data),
        Msg::EvidenceStarted {
            generation,
            queries,
            demo,
        } => evidence::started(state, generation, queries, demo),
        Msg::EvidenceLoaded {
            generation,
            query,
            facts,
            elapsed,
            key_absent,
        } => {
            if let Some(case) = state
                .case
                .as_mut()
                .filter(|c| c.evidence.generation == generation)
            {
                case.evidence.key_absent |= key_absent;
            }
            evidence::loaded(state, generation, query, facts, elapsed)
        }
        Msg::EvidenceFinished { generation, gaps } => evidence::finished(state, generation, gaps),
        Msg::EvidenceFailed {
            generation,
            query,
            error,
        } => evidence::failed(state, generation, query, &error.to_string()),
        Msg::EvidenceOffline { generation, reason } => {
            evidence::offline(state, generation, &reason)
        }
        Msg::SessionSaveFailed { reason } => {
            state.error(format!("Could not save the session: {reason}"));
            Vec::new()
        }
        Msg::CaseNotHeld { id, reason } => case::not_held(state, &id, &reason),
        Msg::TicketSaved { files } => outcome::saved(state, files),
        Msg::TicketSaveFailed { reason } => {
            state.error(format!("Could not save the ticket: {reason}"));
            Vec::new()
        }
        Msg::EditorClosed { text } => outcome::editor_closed(state, text),
        Msg::SessionArchived { id, result } => home::archived(state, &format!("case {id}"), result),
        Msg::DamagedArchived { file, result } => home::archived(state, &file, result),
        Msg::TicketRead { path, text } => home::ticket_read(state, path, text),
        Msg::PagerClosed { error } => {
            if let Some(why) = error {
                state.error(format!("The pager failed: {why}"));
            }
            Vec::new()
        }
        Msg::StatsLoaded(read) => stats::loaded(state, read),
        Msg::ResultSaved(saved) => attempt::result_saved(state, saved),
        Msg::ReportLoaded(data) => training::report_loaded(state, data),
        Msg::SavedTicketRead(read) => outcome::saved_read(state, read),
        Msg::IncidentsLoaded(found) => outcome::incidents_loaded(state, found),
        Msg::SendFinished(delivery) => outcome::send_finished(state, delivery),
        Msg::LogsTriaged { case, facts } => intake::logs_triaged(state, &case, facts),
        Msg::Terminate { signal } => {
            tracing::info!(signal = signal.name(), "leaving on signal");
            state.signal = Some(signal);
            leave(state)
        }
    }
}

/// Whether the screens are hidden behind "Terminal too small".
fn hidden(state: &State) -> bool {
    let (width, height) = state.size;
    super::view::layout::too_small(ratatui::layout::Rect::new(0, 0, width, height))
}

/// The keymap contexts of the screen showing, most specific first.
fn contexts(screen: &Screen) -> [Context; 3] {
    let own = match screen {
        Screen::Home(_) => Context::Home,
        Screen::Intake(_) => Context::Form,
        Screen::Walk(_) => Context::Walk,
        Screen::Outcome(_) => Context::Outcome,
        Screen::Stats(_) => Context::Stats,
        Screen::Training(_) => Context::Training,
    };
    [own, Context::Navigate, Context::Global]
}

fn key_pressed(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if training::close_popup(state) {
        return Vec::new();
    }
    if let Some(overlay) = state.overlay.take() {
        return overlay::key(state, overlay, key);
    }
    if let Screen::Intake(_) = state.screen {
        return intake::key(state, key);
    }
    if let Screen::Training(_) = state.screen {
        return training::key(state, key);
    }
    if let Screen::Home(home) = &state.screen
        && home.filtering
    {
        return home::filter_key(state, key);
    }
    match state.keys.action(&contexts(&state.screen), &key) {
        Some(action) => act(state, action),
        None => match (key.code, &state.screen) {
            (KeyCode::Char(c @ '1'..='9'), Screen::Walk(_)) => {
                walk::answer(state, (c as u8 - b'1') as usize)
            }
            (KeyCode::Char('/'), Screen::Home(_)) => home::start_filter(state),
            _ => Vec::new(),
        },
    }
}

/// Runs an action on the screen showing; the global ones work everywhere.
fn act(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Help => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Action::Quit if training::quits_screen(state) => training::to_picker(state),
        Action::Quit => quit(state),
        Action::Hint => attempt::hint(state),
        Action::ForceQuit => leave(state),
        _ => match state.screen {
            Screen::Home(_) => home::act(state, action),
            Screen::Intake(_) => intake::act(state, action),
            Screen::Walk(_) => walk::act(state, action),
            Screen::Outcome(_) => outcome::act(state, action),
            Screen::Stats(_) => stats::act(state, action),
            Screen::Training(_) => training::act(state, action),
        },
    }
}

/// Leaves, asking first when the case on screen has no ticket yet.
fn quit(state: &mut State) -> Vec<Effect> {
    if state.case_unsaved() {
        state.overlay = Some(Overlay::ConfirmQuit);
        return Vec::new();
    }
    leave(state)
}

/// Saves the case and leaves.
pub fn leave(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    let mut effects = case::save(state);
    effects.push(Effect::Quit);
    effects
}

#[cfg(test)]
mod canary_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_damaged;
#[cfg(test)]
mod tests_evidence_hands;
#[cfg(test)]
mod tests_hands;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_related;
#[cfg(test)]
mod tests_send;
#[cfg(test)]
mod tests_states;
#[cfg(test)]
mod tests_stats;
#[cfg(test)]
mod tests_training;
