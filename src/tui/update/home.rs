//! The home screen: start a case on any runbook, resume an unfinished session, see recent
//! tickets.

use super::case;
use crate::tui::msg::{Action, Effect, HomeData};
use crate::tui::state::{Home, HomePane, Load, Overlay, ResumeRow, Screen, State};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn loaded(state: &mut State, data: HomeData) -> Vec<Effect> {
    if let Screen::Home(home) = &mut state.screen {
        home.data = Load::Loaded(data);
        home.session = home.session.min(home.resume_rows().len().saturating_sub(1));
        home.ticket = home.ticket.min(home.tickets().len().saturating_sub(1));
    }
    Vec::new()
}

/// How many rows each pane lists, after the filter.
fn lengths(state: &State, home: &Home) -> (usize, usize, usize) {
    (
        state.runbooks.len(),
        home.resume_rows().len(),
        home.tickets().len(),
    )
}

/// `/`: keys now type into the filter of sessions and tickets.
pub fn start_filter(state: &mut State) -> Vec<Effect> {
    if let Screen::Home(home) = &mut state.screen {
        home.filtering = true;
    }
    Vec::new()
}

/// A key while the filter is being typed: text edits it, Enter keeps it, Esc clears it.
pub fn filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Ctrl-C still leaves; other chords do nothing while typing.
        return match key.code {
            KeyCode::Char('c') => super::leave(state),
            _ => Vec::new(),
        };
    }
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char(c) => home.filter.push(c),
        KeyCode::Backspace => {
            home.filter.pop();
        }
        KeyCode::Enter => home.filtering = false,
        KeyCode::Esc => {
            home.filter.clear();
            home.filtering = false;
        }
        _ => return Vec::new(),
    }
    home.session = 0;
    home.ticket = 0;
    Vec::new()
}

pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let Screen::Home(home) = &state.screen else {
        return Vec::new();
    };
    let (runbooks, sessions, tickets) = lengths(state, home);
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    let (selected, len) = match home.pane {
        HomePane::Runbooks => (&mut home.runbook, runbooks),
        HomePane::Sessions => (&mut home.session, sessions),
        HomePane::Tickets => (&mut home.ticket, tickets),
    };
    let last = len.saturating_sub(1);
    if action != Action::Discard {
        home.discarding = None;
    }
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(last),
        Action::PageUp => *selected = selected.saturating_sub(10),
        Action::PageDown => *selected = (*selected + 10).min(last),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = last,
        Action::NextPane | Action::PrevPane => {
            let order = [HomePane::Runbooks, HomePane::Sessions, HomePane::Tickets];
            let at = order.iter().position(|p| *p == home.pane).unwrap_or(0);
            let step = if action == Action::NextPane { 1 } else { 2 };
            home.pane = order[(at + step) % 3];
        }
        Action::Refresh => {
            home.data = Load::Loading {
                since: state.clock.now(),
            };
            return vec![Effect::LoadHome];
        }
        Action::Select => return open(state),
        Action::Discard => return discard(state),
        Action::Stats => return super::stats::open(state),
        _ => {}
    }
    Vec::new()
}

/// `d` on an unfinished case: the first press asks, the second archives it. On a damaged
/// session file: a dialog asks.
fn discard(state: &mut State) -> Vec<Effect> {
    let Screen::Home(home) = &mut state.screen else {
        return Vec::new();
    };
    if home.pane != HomePane::Sessions {
        state.info("Select an unfinished case under Resume to archive it");
        return Vec::new();
    }
    let id = match home.resume_rows().get(home.session) {
        Some(ResumeRow::Case(s)) => s.id.clone(),
        Some(ResumeRow::Damaged(d)) => {
            state.overlay = Some(Overlay::ConfirmArchive((*d).clone()));
            return Vec::new();
        }
        None => return Vec::new(),
    };
    if home.discarding.as_deref() == Some(id.as_str()) {
        home.discarding = None;
        return vec![Effect::ArchiveSession(id)];
    }
    home.discarding = Some(id.clone());
    let key = discard_key(state);
    state.info(format!(
        "Press {key} again to archive case {id} (it is moved to sessions/archive, not deleted)"
    ));
    Vec::new()
}

fn discard_key(state: &State) -> String {
    state
        .keys
        .first_key(crate::tui::keymap::Context::Home, Action::Discard)
        .map_or_else(|| "d".to_string(), |k| k.to_string())
}

/// A ticket read back: shown in the viewer, only while home is still on screen.
pub fn ticket_read(
    state: &mut State,
    path: std::path::PathBuf,
    text: Result<String, String>,
) -> Vec<Effect> {
    if !matches!(state.screen, Screen::Home(_)) || state.overlay.is_some() {
        return Vec::new();
    }
    match text {
        Ok(text) => {
            state.overlay = Some(Overlay::Ticket {
                path,
                text,
                scroll: 0,
            });
        }
        Err(why) => state.error(why),
    }
    Vec::new()
}

/// A case (`what` names it) or damaged file moved to the archive, or not: the lists are read
/// again when it was.
pub fn archived(
    state: &mut State,
    what: &str,
    result: Result<std::path::PathBuf, String>,
) -> Vec<Effect> {
    match result {
        Ok(path) => {
            state.info(format!("Archived {what}: {}", path.display()));
            vec![Effect::LoadHome]
        }
        Err(why) => {
            state.error(format!("Could not archive {what}: {why}"));
            Vec::new()
        }
    }
}

/// Opens what is selected: a new case on a runbook, a saved session, or a ticket's path.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Screen::Home(home) = &state.screen else {
        return Vec::new();
    };
    match home.pane {
        HomePane::Runbooks => {
            let Some(rb) = state.runbooks.get(home.runbook).cloned() else {
                return Vec::new();
            };
            let id = crate::session::new_id(state.now());
            case::start_case(state, rb, id)
        }
        HomePane::Sessions => match home.resume_rows().get(home.session) {
            Some(ResumeRow::Case(session)) => {
                let session = (*session).clone();
                case::open_session(state, session)
            }
            Some(ResumeRow::Damaged(d)) => {
                let text = format!(
                    "{} cannot be resumed: {}. Press {} to move it to sessions/archive",
                    d.file,
                    d.reason,
                    discard_key(state)
                );
                state.error(text);
                Vec::new()
            }
            None => Vec::new(),
        },
        HomePane::Tickets => match home.tickets().get(home.ticket) {
            Some(t) => vec![Effect::ReadTicket(t.path.clone())],
            None => Vec::new(),
        },
    }
}
