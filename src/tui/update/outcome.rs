//! The outcome screen: the ticket as the lead will read it; edit its summary, add notes (here
//! or in $EDITOR), save it as Markdown and JSON, copy it, send it to a `[[tracker]]`.

use super::{case, overlay};
use crate::secret::Redacted;
use crate::ticket::{Related, Ticket};
use crate::tui::form::{EditPurpose, TextEdit};
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{
    Delivery, Incidents, Load, OutcomePane, OutcomeScreen, Overlay, SavedTicket, Screen, State,
    TicketFormat,
};
use std::path::PathBuf;

/// Lines starting with this in the $EDITOR file are instructions, not text.
const COMMENT: char = '#';

pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let finished = state.case.as_ref().is_some_and(|c| c.session.is_finished());
    let Screen::Outcome(screen) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Action::Up => screen.scroll = screen.scroll.saturating_sub(1),
        Action::Down => screen.scroll = screen.scroll.saturating_add(1),
        Action::PageUp => screen.scroll = screen.scroll.saturating_sub(10),
        Action::PageDown => screen.scroll = screen.scroll.saturating_add(10),
        Action::Top => screen.scroll = 0,
        Action::Bottom => screen.scroll = u16::MAX / 2,
        Action::ToggleFormat => {
            screen.format = match screen.format {
                TicketFormat::Markdown => TicketFormat::Json,
                TicketFormat::Json => TicketFormat::Markdown,
            };
            screen.scroll = 0;
        }
        Action::Copy => {
            let kind = match screen.format {
                TicketFormat::Markdown => "Markdown",
                TicketFormat::Json => "JSON",
            };
            let Some(text) = shown_text(screen) else {
                state.error("The saved ticket is not read yet (or could not be): nothing copied");
                return Vec::new();
            };
            state.info(format!(
                "Copied the ticket ({kind}) to the clipboard (OSC 52)"
            ));
            return vec![Effect::Copy(Redacted::new(&text))];
        }
        Action::Send => return send(state),
        Action::Save if finished => state.info("The ticket is already saved"),
        Action::Save => {
            let owner = state.case.as_ref().and_then(|c| {
                let walk = c.session.walk.as_ref()?;
                walk.open_conflicts().into_iter().find(|c| c.step.is_none())
            });
            if let Some(conflict) = owner {
                // Not under the wrong customer: the agent says which one is right first.
                state.overlay = Some(Overlay::ChooseCustomer(Box::new(conflict)));
                return Vec::new();
            }
            return save_ticket(state);
        }
        Action::EditSummary if !finished => {
            let summary = screen.ticket.summary.clone();
            state.overlay = Some(Overlay::Edit(Box::new(TextEdit::new(
                EditPurpose::Summary,
                &summary,
            ))));
        }
        Action::Note if !finished => {
            state.overlay = Some(Overlay::Edit(Box::new(TextEdit::new(
                EditPurpose::Note,
                "",
            ))));
        }
        Action::ExternalEditor if !finished => {
            return vec![Effect::OpenEditor(editor_text(&screen.ticket.summary))];
        }
        Action::NextPane | Action::PrevPane => {
            let order = [
                OutcomePane::Ticket,
                OutcomePane::Path,
                OutcomePane::Evidence,
            ];
            let at = order.iter().position(|p| *p == screen.pane).unwrap_or(0);
            let step = if action == Action::NextPane { 1 } else { 2 };
            screen.pane = order[(at + step) % 3];
            screen.scroll = 0;
        }
        Action::Undo if !finished => return super::walk::undo(state),
        // Esc goes back to the intake: when evidence decided every step there is no answer
        // to undo, and a wrong value at intake is the one thing left to correct.
        Action::Back if !finished => return case::edit_intake(state),
        Action::Select | Action::Back if finished => return case::go_home(state),
        Action::EditSummary | Action::Note | Action::ExternalEditor | Action::Undo => {
            state.info("The ticket is saved; start a new case to change it");
        }
        _ => {}
    }
    Vec::new()
}

/// Sends the saved ticket: to the one tracker configured, or asks which of several.
fn send(state: &mut State) -> Vec<Effect> {
    let Screen::Outcome(screen) = &state.screen else {
        return Vec::new();
    };
    if matches!(screen.delivery, Some(Delivery::Sending { .. })) {
        state.info("A send is under way; wait for it to finish");
        return Vec::new();
    }
    match state.trackers.as_slice() {
        [] => {
            state.error("No [[tracker]] in authdesk.toml to send to: add one (see docs/sending.md)")
        }
        _ if state.case_unsaved() => {
            let save = state
                .keys
                .first_key(crate::tui::keymap::Context::Outcome, Action::Save)
                .map_or_else(|| "save".into(), |c| c.to_string());
            state.info(format!("Save the ticket first ({save}), then send it"));
        }
        [one] => {
            let target = one.clone();
            return send_to(state, target);
        }
        _ => state.overlay = Some(Overlay::PickTracker { selected: 0 }),
    }
    Vec::new()
}

/// Starts sending the saved ticket's files to `target`; the answer comes back as
/// `Msg::SendFinished`.
pub fn send_to(state: &mut State, target: String) -> Vec<Effect> {
    let files = state
        .case
        .as_ref()
        .map(|c| c.session.ticket_files.clone())
        .unwrap_or_default();
    let Screen::Outcome(screen) = &mut state.screen else {
        return Vec::new();
    };
    screen.delivery = Some(Delivery::Sending {
        target: target.clone(),
    });
    vec![Effect::Send { files, target }]
}

pub fn send_finished(state: &mut State, delivery: Delivery) -> Vec<Effect> {
    if let Screen::Outcome(screen) = &mut state.screen {
        screen.delivery = Some(delivery);
    }
    Vec::new()
}

/// The ticket text on screen: the saved file for a resumed finished case, else the ticket
/// as it will be saved. `None` while a saved file is not (or cannot be) read.
pub fn shown_text(screen: &OutcomeScreen) -> Option<String> {
    match (&screen.saved, screen.format) {
        (None, TicketFormat::Markdown) => Some(screen.ticket.to_markdown()),
        (None, TicketFormat::Json) => Some(screen.ticket.to_json()),
        (Some(Load::Loaded(saved)), TicketFormat::Markdown) => Some(saved.markdown.clone()),
        (Some(Load::Loaded(saved)), TicketFormat::Json) => Some(saved.json.clone()),
        (Some(_), _) => None,
    }
}

pub fn saved_read(state: &mut State, read: Result<SavedTicket, String>) -> Vec<Effect> {
    let Screen::Outcome(screen) = &mut state.screen else {
        return Vec::new();
    };
    match read {
        Ok(saved) => {
            // The box shows what the saved file links, not what a ticket built now would
            // (a later ticket of the same customer would read as this one's original).
            if let Ok(filed) = serde_json::from_str::<Ticket>(&saved.json) {
                screen.ticket.related = filed.related;
                screen.ticket.duplicate_of = filed.duplicate_of;
            }
            screen.saved = Some(Load::Loaded(saved));
        }
        Err(why) => {
            let message = format!("Cannot read the saved ticket: {why}");
            screen.saved = Some(Load::Failed(why));
            state.error(message);
        }
    }
    Vec::new()
}

/// Saves the ticket on screen, or asks to once the saved tickets are read: a ticket saved
/// before would lack its links for good, since a saved file is never written over.
pub fn save_ticket(state: &mut State) -> Vec<Effect> {
    let Screen::Outcome(screen) = &mut state.screen else {
        return Vec::new();
    };
    if let Incidents::Reading { save } = &mut screen.incidents {
        *save = true;
        state.info("Reading the saved tickets to link related cases; saving right after");
        return Vec::new();
    }
    vec![Effect::SaveTicket(Box::new(screen.ticket.clone()))]
}

/// The saved tickets were read: the ticket links those of its incident, marks the same
/// customer's one as what it duplicates, and is saved if the agent asked meanwhile.
pub fn incidents_loaded(state: &mut State, mut found: Vec<Related>) -> Vec<Effect> {
    let Screen::Outcome(screen) = &mut state.screen else {
        return Vec::new();
    };
    // Read already (an earlier visit's answer came later), or saved: nothing to change.
    let Incidents::Reading { save } = screen.incidents else {
        return Vec::new();
    };
    // Never a link to itself, should its own file be among them.
    found.retain(|r| r.ticket_id != screen.ticket.id);
    screen.incidents = Incidents::Read(found);
    rebuild(state);
    if save {
        return save_ticket(state);
    }
    Vec::new()
}

/// Builds the ticket again after the walk or summary changed, keeping its id.
pub fn rebuild(state: &mut State) {
    let now = state.now();
    let agent = state.agent.clone();
    let (Screen::Outcome(screen), Some(case)) = (&mut state.screen, &state.case) else {
        return;
    };
    let related = screen.incidents.read();
    match case::build_ticket(case, &agent, now, Some(&screen.ticket.id), related) {
        Ok(ticket) => screen.ticket = ticket,
        Err(e) => state.error(format!("Cannot build the ticket: {e}")),
    }
}

pub fn set_summary(state: &mut State, text: &str) -> Vec<Effect> {
    let Some(case) = &mut state.case else {
        return Vec::new();
    };
    case.session.summary = (!text.is_empty()).then(|| case::redact_typed(case, text));
    rebuild(state);
    state.info("Summary updated");
    case::save(state)
}

pub fn saved(state: &mut State, files: Vec<PathBuf>) -> Vec<Effect> {
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let dir = files
        .first()
        .and_then(|f| f.parent())
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    state.info(format!("Saved {} in {dir}", names.join(" and ")));
    let Some(case) = &mut state.case else {
        return Vec::new();
    };
    case.session.ticket_files = files;
    case::save(state)
}

/// The file handed to $EDITOR: the summary on the first line, a note below.
fn editor_text(summary: &str) -> String {
    format!(
        "{summary}\n\n{COMMENT} The first line is the ticket's summary. Anything below it is added as a note.\n{COMMENT} Lines starting with {COMMENT} are ignored.\n"
    )
}

/// The summary and note in the text back from $EDITOR.
fn parse_editor_text(text: &str) -> (String, String) {
    let mut lines = text
        .lines()
        .filter(|l| !l.trim_start().starts_with(COMMENT));
    let summary = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .to_string();
    let note = lines.collect::<Vec<_>>().join("\n").trim().to_string();
    (summary, note)
}

pub fn editor_closed(state: &mut State, text: Result<String, String>) -> Vec<Effect> {
    let text = match text {
        Ok(text) => text,
        Err(why) => {
            state.error(format!("The editor failed: {why}"));
            return Vec::new();
        }
    };
    let (summary, note) = parse_editor_text(&text);
    let mut effects = Vec::new();
    if !summary.is_empty() {
        effects.extend(set_summary(state, &summary));
    }
    if !note.is_empty() {
        effects.extend(overlay::add_note(state, &note));
    }
    effects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_text_round_trips_summary_and_note() {
        let mut text = editor_text("Key revoked by ops");
        text.push_str("Customer rotated keys yesterday.\nThey will use the new key.\n");
        let (summary, note) = parse_editor_text(&text);
        assert_eq!(summary, "Key revoked by ops");
        assert_eq!(
            note,
            "Customer rotated keys yesterday.\nThey will use the new key."
        );
    }
}
