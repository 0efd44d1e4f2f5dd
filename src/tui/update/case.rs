//! Moving a case between screens: starting, resuming, walking, reaching the outcome. The walk
//! decides where the case stands; these functions only pick the screen that shows it.

use crate::facts::{FactValue, name};
use crate::runbook::Runbook;
use crate::secret::Redacted;
use crate::session::Session;
use crate::ticket::{Context as TicketContext, Ticket};
use crate::tui::evidence::Evidence;
use crate::tui::form::Form;
use crate::tui::msg::Effect;
use crate::tui::state::{
    Case, Home, Incidents, Load, OutcomePane, OutcomeScreen, Screen, State, TicketFormat,
    WalkScreen,
};

/// Opens the intake form of a new case.
pub fn start_case(state: &mut State, runbook: Runbook, id: String) -> Vec<Effect> {
    let now = state.now();
    let hold = Effect::HoldCase(Some(id.clone()));
    let session = Session::new(id, crate::walk::RunbookRef::of(&runbook), &state.agent, now);
    state.screen = Screen::Intake(Form::new(&runbook, &session.intake));
    state.case = Some(Case {
        runbook,
        session,
        evidence: Evidence::default(),
    });
    state.status = None;
    vec![hold]
}

/// The case on screen is open in another authdesk: leave it to that one, untouched.
pub fn not_held(state: &mut State, id: &str, reason: &str) -> Vec<Effect> {
    if state.case.as_ref().is_none_or(|c| c.session.id != id) {
        return Vec::new();
    }
    // Not saved: the other authdesk's copy is the case.
    state.case = None;
    state.screen = Screen::Home(Home::new(state.now()));
    state.error(format!("Cannot open {id}: {reason}"));
    vec![Effect::LoadHome]
}

/// Brings a saved case back exactly where it was left.
pub fn open_session(state: &mut State, session: Session) -> Vec<Effect> {
    let Some(runbook) = state
        .runbooks
        .iter()
        .find(|r| r.id == session.runbook.id)
        .cloned()
    else {
        state.error(format!(
            "Session {} uses runbook `{}`, which is not loaded",
            session.id, session.runbook.id
        ));
        return Vec::new();
    };
    if let Some(Err(e)) = session.walk.as_ref().map(|w| w.verify(&runbook)) {
        state.error(format!("Cannot resume {}: {e}", session.id));
        return Vec::new();
    }
    let id = session.id.clone();
    let has_walk = session.walk.is_some();
    let saved_files = session.ticket_files.clone();
    state.screen = Screen::Intake(Form::new(&runbook, &session.intake));
    state.case = Some(Case {
        runbook,
        session,
        evidence: Evidence::default(),
    });
    let mut effects = vec![Effect::HoldCase(Some(id.clone()))];
    if has_walk {
        effects.extend(show_position(state));
    }
    state.info(format!("Resumed session {id}"));
    if !saved_files.is_empty() {
        effects.push(Effect::ReadSavedTicket(saved_files));
    }
    effects
}

/// Shows the walk screen, or the outcome screen once the walk has ended. An unsaved ticket
/// asks for the saved ones, to link those of its incident.
pub fn show_position(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let agent = state.agent.clone();
    let Some(case) = &state.case else {
        return Vec::new();
    };
    let Some(walk) = &case.session.walk else {
        return Vec::new();
    };
    if !walk.is_finished(&case.runbook) {
        state.screen = Screen::Walk(WalkScreen::new(walk.steps().len()));
        return Vec::new();
    }
    // A saved ticket keeps the id its files are named by; the files themselves are read
    // back (Effect::ReadSavedTicket) to show and copy exactly what was saved.
    let saved_id = case
        .session
        .ticket_files
        .first()
        .and_then(|f| f.file_stem())
        .map(|s| s.to_string_lossy().into_owned());
    let saved = saved_id.as_ref().map(|_| Load::Loading { since: now });
    let (incidents, effects) = match saved {
        Some(_) => (Incidents::Saved, Vec::new()),
        None => (
            Incidents::Reading { save: false },
            vec![Effect::LoadIncidents],
        ),
    };
    match build_ticket(case, &agent, now, saved_id.as_deref(), &[]) {
        Ok(ticket) => {
            state.screen = Screen::Outcome(Box::new(OutcomeScreen {
                ticket,
                format: TicketFormat::Markdown,
                scroll: 0,
                pane: OutcomePane::Ticket,
                saved,
                delivery: None,
                incidents,
            }));
            effects
        }
        Err(e) => {
            state.screen = Screen::Walk(WalkScreen::new(walk.steps().len()));
            state.error(format!("Cannot build the ticket: {e}"));
            Vec::new()
        }
    }
}

/// The ticket for the case, with the agent's summary; `id` keeps a ticket's id across edits;
/// `related` are saved tickets, of which those of the same incident are linked.
pub fn build_ticket(
    case: &Case,
    agent: &str,
    now: chrono::DateTime<chrono::Utc>,
    id: Option<&str>,
    related: &[crate::ticket::Related],
) -> Result<Ticket, crate::ticket::TicketError> {
    let walk = case
        .session
        .walk
        .as_ref()
        .ok_or_else(|| crate::ticket::TicketError::NotFinished("intake".into()))?;
    let cx = TicketContext {
        agent,
        demo_data: case.session.demo_data,
        now,
        related,
    };
    let mut ticket = Ticket::from_walk(&case.runbook, walk, &cx)?;
    if let Some(summary) = &case.session.summary {
        ticket.summary = summary.clone();
    }
    if let Some(id) = id {
        ticket.id = id.to_string();
    }
    Ok(ticket)
}

/// Text the agent typed for this case, redacted; the key given at intake is looked for too.
pub fn redact_typed(case: &Case, text: &str) -> Redacted {
    let key = case
        .session
        .walk
        .as_ref()
        .and_then(|w| match w.facts().value(name::KEY) {
            Some(FactValue::Secret(m)) => Some(m.clone()),
            _ => None,
        });
    Redacted::with_masked(text, &key.iter().collect::<Vec<_>>())
}

/// The effect that saves the case as it stands, when there is anything worth keeping.
pub fn save(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let Some(case) = &mut state.case else {
        return Vec::new();
    };
    if let Screen::Intake(form) = &state.screen {
        case.session.intake = form.saved();
    }
    if case.session.walk.is_none() && case.session.intake.is_empty() {
        return Vec::new();
    }
    case.session.updated_at = now;
    vec![Effect::SaveSession(Box::new(case.session.clone()))]
}

/// Back to the case's intake form with its values, to correct one and walk again; the walk
/// so far stays saved until the form is finished.
pub fn edit_intake(state: &mut State) -> Vec<Effect> {
    let Some(case) = &state.case else {
        return Vec::new();
    };
    state.screen = Screen::Intake(Form::new(&case.runbook, &case.session.intake));
    state.info("Correct a value, then finish the form to walk again");
    Vec::new()
}

/// Closes the case and goes home.
pub fn go_home(state: &mut State) -> Vec<Effect> {
    let mut effects = save(state);
    state.case = None;
    state.screen = Screen::Home(Home::new(state.now()));
    effects.extend([Effect::HoldCase(None), Effect::LoadHome]);
    effects
}
