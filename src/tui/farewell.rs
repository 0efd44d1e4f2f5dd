//! The one line printed to the shell when the app leaves: where the case stands and how to
//! get back to it, so an agent who closed the window (or whose terminal was killed) is never
//! left guessing. Pure: it reads the state as the last update left it.

use super::state::{Screen, State};
use crate::escape::line;
use crate::walk::Position;

/// What to print on leaving, or nothing when no case was open.
pub fn line_for(state: &State) -> Option<String> {
    let case = state.case.as_ref()?;
    let id = &case.session.id;
    let files = &case.session.ticket_files;
    if !files.is_empty() {
        let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        return Some(format!(
            "authdesk: case {id} is finished; ticket saved: {}",
            line(&paths.join(", "))
        ));
    }
    let resume = format!("resume with: authdesk resume {id}");
    let Some(walk) = &case.session.walk else {
        if matches!(state.screen, Screen::Intake(_)) && case.session.intake.is_empty() {
            return Some(format!("authdesk: case {id} was empty and is not kept"));
        }
        return Some(format!("authdesk: case {id} is at intake; {resume}"));
    };
    let title = |node: &str| {
        let title = case.runbook.node(node).map_or(node, |n| n.title.as_str());
        line(title).into_owned()
    };
    let at = match walk.position(&case.runbook) {
        Ok(Position::Question { node, .. }) => format!("at “{}”", title(node)),
        Ok(Position::Outcome { node, .. }) => {
            format!("at its outcome “{}”, ticket not saved", title(node))
        }
        Err(_) => "in its walk".to_string(),
    };
    Some(format!("authdesk: case {id} is {at}; {resume}"))
}
