//! The intake form: typing goes to the focused field, checked against the schema as typed;
//! leaving a field that names a customer or key starts the evidence queries; finishing the
//! form starts the walk.

use super::case;
use crate::facts::FactSource;
use crate::tui::evidence::Connection;
use crate::tui::form::PASTE;
use crate::tui::keymap::Context;
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Overlay, Screen, State};
use crate::walk::Walk;
use crossterm::event::{KeyCode, KeyEvent};

pub fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if let Some(action) = state.keys.action(&[Context::Form], &key) {
        return super::act(state, action);
    }
    let Screen::Intake(form) = &mut state.screen else {
        return Vec::new();
    };
    let last = form.fields.len().saturating_sub(1);
    let at = form.focus;
    let Some(field) = form.focused() else {
        return Vec::new();
    };
    if key.code == KeyCode::Enter && !field.multiline {
        // Enter moves on, and on the last field finishes the form.
        return if at == last {
            submit(state)
        } else {
            move_focus(state, at + 1)
        };
    }
    if field.kept.is_some() && matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) {
        // Typing over a restored key replaces it; its mask cannot be edited.
        field.kept = None;
    }
    field.text.input(key);
    Vec::new()
}

pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let Screen::Intake(form) = &state.screen else {
        return Vec::new();
    };
    let (at, len) = (form.focus, form.fields.len());
    match action {
        Action::Submit => submit(state),
        Action::NextField => move_focus(state, (at + 1) % len.max(1)),
        Action::PrevField => move_focus(state, (at + len.max(1) - 1) % len.max(1)),
        Action::Back => case::go_home(state),
        _ => Vec::new(),
    }
}

/// Text pasted into the terminal goes to the focused field or editor. Bracketed paste from
/// xterm, VTE and tmux sends line breaks as CR; kept raw, a CR rewinds the line it is shown
/// on, so every CRLF and CR becomes LF first.
pub fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    let text = &text.replace("\r\n", "\n").replace('\r', "\n");
    if let Some(Overlay::Edit(edit)) = &mut state.overlay {
        edit.text.insert_str(text);
        return Vec::new();
    }
    if let Some(field) = match &mut state.screen {
        Screen::Intake(form) => form.focused(),
        _ => None,
    } {
        field.kept = None;
        if field.multiline {
            field.text.insert_str(text);
        } else {
            field.text.insert_str(text.trim().replace('\n', " "));
        }
    }
    Vec::new()
}

/// Fills fields given on the command line (`--input NAME=VALUE`), focuses the first empty
/// one, and starts the evidence when they name a customer or key. Returns the names that
/// are not inputs of the runbook.
pub fn prefill(state: &mut State, inputs: &[(String, String)]) -> (Vec<Effect>, Vec<String>) {
    let Screen::Intake(form) = &mut state.screen else {
        return (Vec::new(), Vec::new());
    };
    let unknown = inputs
        .iter()
        .filter(|(name, text)| !form.set_text(name, text))
        .map(|(name, _)| name.clone())
        .collect();
    let first_empty = form.fields.iter().position(|f| f.is_empty()).unwrap_or(0);
    (move_focus(state, first_empty), unknown)
}

pub fn move_focus(state: &mut State, to: usize) -> Vec<Effect> {
    if let Screen::Intake(form) = &mut state.screen {
        form.set_focus(to);
    }
    let mut effects = fetch_if_changed(state);
    effects.extend(case::save(state));
    effects
}

/// Starts the evidence queries once a customer or key is known, and again when the values
/// they depend on change.
fn fetch_if_changed(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let (Screen::Intake(form), Some(case)) = (&mut state.screen, &mut state.case) else {
        return Vec::new();
    };
    let Some((signature, intake)) = form.evidence_request(&case.runbook, now) else {
        return Vec::new();
    };
    if form.fetched_for.as_ref() == Some(&signature) {
        return Vec::new();
    }
    form.fetched_for = Some(signature);
    let generation = case.evidence.restart();
    vec![Effect::FetchEvidence { generation, intake }]
}

/// Finishes the form: every field valid starts the walk with intake and evidence so far.
pub fn submit(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let (Screen::Intake(form), Some(case)) = (&mut state.screen, &state.case) else {
        return Vec::new();
    };
    form.tried = true;
    let intake = match form.facts(&case.runbook, now) {
        Ok(facts) => facts,
        Err(problems) => {
            let (first, why) = &problems[0];
            let label = form.fields[*first].label.clone();
            form.set_focus(*first);
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            state.error(format!("{label}: {why}{more}"));
            return Vec::new();
        }
    };
    let saved = form.saved();
    let (_, mut pastes) = form.pastes();
    let attached = crate::tui::materials::join(&form.attached, &mut pastes);
    let logs = form.log_file();
    let paste_at = form.fields.iter().position(|f| f.name == PASTE);
    let mut effects = fetch_if_changed(state);
    if let Err(e) = attached {
        state.error(format!("The attached materials cannot be read: {e}"));
        return effects;
    }
    let Some(case) = &mut state.case else {
        return effects;
    };
    case.session.intake = saved;
    let mut facts = intake;
    facts.extend(&case.evidence.facts);
    // As `run --request/--jwt/--response`: the admin API's facts sharpen the request check.
    match crate::intake::diagnostic_facts(
        pastes,
        &facts,
        &state.gateway.request_context(),
        state.gateway.jwt_audience.as_deref(),
        now,
    ) {
        Ok(diagnosed) => facts.extend(&diagnosed),
        Err(e) => {
            if let (Screen::Intake(form), Some(at)) = (&mut state.screen, paste_at) {
                form.set_focus(at);
            }
            state.error(e.to_string());
            return effects;
        }
    }
    match Walk::start(&case.runbook, facts, now) {
        Ok(mut walk) => {
            for (query, reason) in &case.evidence.failures {
                walk.record_unavailable(FactSource::AdminApi, query, reason, now);
            }
            if let Connection::Offline(reason) = &case.evidence.connection {
                walk.record_unavailable(FactSource::AdminApi, "admin API", reason, now);
            }
            case.session.walk = Some(walk);
        }
        Err(e) => {
            state.error(format!("Cannot start the walk: {e}"));
            return effects;
        }
    }
    if let (Some(path), Some(case)) = (logs, &state.case) {
        effects.push(Effect::TriageLogs {
            case: case.session.id.clone(),
            paths: vec![path],
        });
        state.info("Triaging the access logs");
    }
    effects.extend(case::show_position(state));
    effects.extend(case::save(state));
    effects
}

/// The access logs named at intake were read: their facts join the walk, which may decide a
/// waiting check; logs that cannot be read are evidence unavailable, as for the admin API.
pub fn logs_triaged(
    state: &mut State,
    id: &str,
    facts: Result<crate::facts::Facts, String>,
) -> Vec<Effect> {
    let now = state.now();
    let Some(case) = state.case.as_mut().filter(|c| c.session.id == id) else {
        return Vec::new();
    };
    if case.session.walk.is_none() {
        return Vec::new();
    }
    let mut effects = Vec::new();
    match facts {
        Ok(facts) => {
            let Some(walk) = &mut case.session.walk else {
                return Vec::new();
            };
            let before = walk.current().to_string();
            if let Err(e) = walk.add_facts(&case.runbook, facts, now) {
                state.error(format!("The access logs could not be used: {e}"));
                return Vec::new();
            }
            if walk.current() != before {
                effects = case::show_position(state);
            }
            state.info("Access logs triaged; their facts joined the walk");
        }
        Err(why) => {
            // The path was typed by the agent: it is free text like any other.
            let why = case::redact_typed(case, &why).as_str().to_string();
            if let Some(walk) = &mut case.session.walk {
                walk.record_unavailable(FactSource::Diagnostics, "access logs", &why, now);
            }
            state.error(format!("Cannot triage the access logs: {why}"));
        }
    }
    effects.extend(case::save(state));
    effects
}
