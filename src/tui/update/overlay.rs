//! Keys while a popup is open: the help, "leave without a ticket?", "archive this damaged
//! file?", and the note and summary editors. The popup was taken out of the state by the
//! caller and is put back unless closed.

use super::{case, leave, outcome};
use crate::tui::form::{EditPurpose, TextEdit};
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Overlay, Screen, State};
use crate::walk::Conflict;
use crossterm::event::{KeyCode, KeyEvent};

pub fn key(state: &mut State, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
    match overlay {
        Overlay::Help { scroll } => {
            let action = state
                .keys
                .action(&[Context::Navigate, Context::Global], &key);
            let scroll = match action {
                Some(Action::Down) => scroll.saturating_add(1),
                Some(Action::Up) => scroll.saturating_sub(1),
                Some(Action::PageDown) => scroll.saturating_add(10),
                Some(Action::PageUp) => scroll.saturating_sub(10),
                Some(Action::Top) => 0,
                Some(Action::ForceQuit) => return leave(state),
                // Any other key closes the help, the way `?` opened it.
                _ => return Vec::new(),
            };
            state.overlay = Some(Overlay::Help { scroll });
            Vec::new()
        }
        Overlay::ConfirmQuit => match state
            .keys
            .action(&[Context::Confirm, Context::Global], &key)
        {
            Some(Action::Yes | Action::ForceQuit) => leave(state),
            Some(Action::No) => Vec::new(),
            _ => {
                state.overlay = Some(Overlay::ConfirmQuit);
                Vec::new()
            }
        },
        Overlay::ConfirmArchive(damaged) => match state
            .keys
            .action(&[Context::Confirm, Context::Global], &key)
        {
            Some(Action::Yes) => vec![Effect::ArchiveDamaged(damaged.file)],
            Some(Action::No) => Vec::new(),
            Some(Action::ForceQuit) => leave(state),
            _ => {
                state.overlay = Some(Overlay::ConfirmArchive(damaged));
                Vec::new()
            }
        },
        Overlay::Edit(edit) => edit_key(state, edit, key),
        Overlay::Ticket { path, text, scroll } => {
            // `p` hands the file to $PAGER, for search and the agent's own keys.
            if key.code == crossterm::event::KeyCode::Char('p') && key.modifiers.is_empty() {
                return vec![Effect::OpenPager(path)];
            }
            let end = crate::tui::view::ticket_max_scroll(state, &text);
            let action = state
                .keys
                .action(&[Context::Navigate, Context::Global], &key);
            let scroll = match action {
                Some(Action::Down) => scroll.saturating_add(1),
                Some(Action::Up) => scroll.saturating_sub(1),
                Some(Action::PageDown) => scroll.saturating_add(10),
                Some(Action::PageUp) => scroll.saturating_sub(10),
                Some(Action::Top) => 0,
                Some(Action::Bottom) => end,
                Some(Action::ForceQuit) => return leave(state),
                // Any other key closes the viewer, as with the help.
                _ => return Vec::new(),
            };
            state.overlay = Some(Overlay::Ticket {
                path,
                text,
                scroll: scroll.min(end),
            });
            Vec::new()
        }
        Overlay::ChooseCustomer(conflict) => choose_key(state, conflict, key),
        Overlay::PickTracker { selected } => pick_tracker_key(state, selected, key),
    }
}

/// j/k move through the configured trackers, Enter sends to the one selected, Esc sends none.
fn pick_tracker_key(state: &mut State, selected: usize, key: KeyEvent) -> Vec<Effect> {
    let last = state.trackers.len().saturating_sub(1);
    let selected = match state
        .keys
        .action(&[Context::Navigate, Context::Global], &key)
    {
        Some(Action::ForceQuit) => return leave(state),
        Some(Action::Back) => {
            state.info("Not sent");
            return Vec::new();
        }
        Some(Action::Select) => {
            let Some(target) = state.trackers.get(selected).cloned() else {
                return Vec::new();
            };
            return outcome::send_to(state, target);
        }
        Some(Action::Up) => selected.saturating_sub(1),
        Some(Action::Down) => (selected + 1).min(last),
        Some(Action::PageUp) => selected.saturating_sub(10),
        Some(Action::PageDown) => (selected + 10).min(last),
        Some(Action::Top) => 0,
        Some(Action::Bottom) => last,
        _ => selected,
    };
    state.overlay = Some(Overlay::PickTracker { selected });
    Vec::new()
}

/// `1` keeps the customer given at intake, `2` takes the key's owner; then the ticket is saved.
fn choose_key(state: &mut State, conflict: Box<Conflict>, key: KeyEvent) -> Vec<Effect> {
    let value = match (
        key.code,
        state.keys.action(&[Context::Global, Context::Form], &key),
    ) {
        (_, Some(Action::ForceQuit)) => return leave(state),
        (_, Some(Action::Back)) => {
            state.info("Not saved: choose which customer is right first");
            return Vec::new();
        }
        (KeyCode::Char('1'), _) => conflict.said.clone(),
        (KeyCode::Char('2'), _) => conflict.evidence.clone(),
        _ => {
            state.overlay = Some(Overlay::ChooseCustomer(conflict));
            return Vec::new();
        }
    };
    let now = state.now();
    if let Some(walk) = state.case.as_mut().and_then(|c| c.session.walk.as_mut()) {
        walk.settle(&conflict.fact, value.clone(), now);
    }
    outcome::rebuild(state);
    let mut effects = case::save(state);
    state.info(format!("Customer set to {value}; saving the ticket"));
    effects.extend(outcome::save_ticket(state));
    effects
}

fn edit_key(state: &mut State, mut edit: Box<TextEdit>, key: KeyEvent) -> Vec<Effect> {
    match state.keys.action(&[Context::Form], &key) {
        Some(Action::Submit) => finish(state, &edit),
        Some(Action::Back) => {
            state.info("Edit cancelled");
            Vec::new()
        }
        Some(Action::ForceQuit) => leave(state),
        _ => {
            // The summary is one line: Enter finishes it instead of breaking it.
            if edit.purpose == EditPurpose::Summary && key.code == crossterm::event::KeyCode::Enter
            {
                return finish(state, &edit);
            }
            edit.text.input(key);
            state.overlay = Some(Overlay::Edit(edit));
            Vec::new()
        }
    }
}

/// Applies the text typed: a note goes on the walk, a summary on the ticket.
fn finish(state: &mut State, edit: &TextEdit) -> Vec<Effect> {
    let text = edit.content();
    match edit.purpose {
        EditPurpose::Note => add_note(state, &text),
        EditPurpose::Summary => outcome::set_summary(state, &text),
    }
}

pub fn add_note(state: &mut State, text: &str) -> Vec<Effect> {
    if text.is_empty() {
        state.info("Empty note not added");
        return Vec::new();
    }
    let now = state.now();
    let agent = state.agent.clone();
    let Some(case) = state.case.as_mut() else {
        return Vec::new();
    };
    let text = case::redact_typed(case, text);
    let Some(walk) = case.session.walk.as_mut() else {
        return Vec::new();
    };
    walk.add_note(None, text, &agent, now);
    state.info("Note added");
    if let Screen::Outcome(_) = state.screen {
        outcome::rebuild(state);
    }
    case::save(state)
}
