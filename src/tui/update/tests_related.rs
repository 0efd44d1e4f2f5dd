//! Issue 14, item 11: the outcome screen links the saved tickets of its incident and marks
//! the same customer's earlier one as what it duplicates; the files are read off the loop.

use super::tests::{app, press, walk_401};
use super::*;
use crate::ticket::{Related, Ticket};
use crate::tui::state::{Incidents, SavedTicket};

/// The 401 walk to its outcome, the saved tickets not read yet; the effects of arriving.
fn arrived(s: &mut State) -> Vec<Effect> {
    walk_401(s);
    let mut effects = Vec::new();
    for n in ['5', '2'] {
        effects = press(s, KeyCode::Char(n));
    }
    assert!(matches!(s.screen, Screen::Outcome(_)));
    effects
}

fn ticket(s: &State) -> &Ticket {
    match &s.screen {
        Screen::Outcome(o) => &o.ticket,
        _ => panic!("not at the outcome"),
    }
}

/// A saved ticket of this ticket's incident, by `customer`.
fn filed(s: &State, id: &str, customer: &str) -> Related {
    let t = ticket(s);
    Related {
        ticket_id: id.into(),
        incident_key: t.incident_key.clone(),
        outcome_id: t.outcome.id.clone(),
        customer_id: Some(customer.into()),
        duplicate: false,
    }
}

#[test]
fn arriving_at_the_outcome_reads_the_saved_tickets_and_links_its_incident() {
    let mut s = app();
    let effects = arrived(&mut s);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::LoadIncidents)),
        "{effects:?}"
    );
    assert!(ticket(&s).related.is_empty());
    let id = ticket(&s).id.clone();
    let other_incident = Related {
        incident_key: "eu-1/escalate-validation-down/2026-11-22-08h".into(),
        ..filed(&s, "ESC-20261122-cccccc", "cus_1001")
    };
    let found = vec![
        filed(&s, "ESC-20261122-aaaaaa", "cus_2040"),
        filed(&s, "ESC-20261122-bbbbbb", "cus_1001"),
        other_incident,
    ];
    let effects = update(&mut s, Msg::IncidentsLoaded(found));
    assert!(effects.is_empty(), "nothing saved unasked: {effects:?}");
    let t = ticket(&s);
    assert_eq!(t.id, id, "the ticket keeps its id");
    let linked: Vec<(&str, bool)> = t
        .related
        .iter()
        .map(|r| (r.ticket_id.as_str(), r.duplicate))
        .collect();
    assert_eq!(
        linked,
        [
            ("ESC-20261122-aaaaaa", false),
            ("ESC-20261122-bbbbbb", true)
        ]
    );
    assert_eq!(t.duplicate_of.as_deref(), Some("ESC-20261122-bbbbbb"));
    let md = t.to_markdown();
    assert!(md.contains("## Related cases"), "{md}");
    assert!(md.contains("**Duplicate** of ESC-20261122-bbbbbb"), "{md}");
}

#[test]
fn a_save_asked_while_reading_waits_for_the_links() {
    let mut s = app();
    arrived(&mut s);
    let effects = press(&mut s, KeyCode::Char('s'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SaveTicket(_))),
        "{effects:?}"
    );
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("saving right after"),
        "{:?}",
        s.status
    );
    let found = vec![filed(&s, "ESC-20261122-bbbbbb", "cus_1001")];
    let effects = update(&mut s, Msg::IncidentsLoaded(found));
    let [Effect::SaveTicket(saved)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(saved.duplicate_of.as_deref(), Some("ESC-20261122-bbbbbb"));
}

#[test]
fn the_ticket_never_links_its_own_file_and_a_late_answer_changes_nothing() {
    let mut s = app();
    arrived(&mut s);
    let own = ticket(&s).id.clone();
    let itself = vec![filed(&s, &own, "cus_1001")];
    update(&mut s, Msg::IncidentsLoaded(itself));
    assert!(ticket(&s).related.is_empty(), "{:?}", ticket(&s).related);
    assert_eq!(ticket(&s).duplicate_of, None);
    // An answer to an earlier visit, arriving after this one's: the first read stands.
    let late = vec![filed(&s, "ESC-20261122-bbbbbb", "cus_1001")];
    let effects = update(&mut s, Msg::IncidentsLoaded(late));
    assert!(effects.is_empty());
    assert!(ticket(&s).related.is_empty());
}

#[test]
fn saved_tickets_read_after_leaving_the_outcome_are_dropped() {
    let mut s = app();
    arrived(&mut s);
    press(&mut s, KeyCode::Char('u'));
    assert!(matches!(s.screen, Screen::Walk(_)));
    let found = vec![filed_by_key("ESC-20261122-bbbbbb")];
    let effects = update(&mut s, Msg::IncidentsLoaded(found));
    assert!(effects.is_empty());
    assert!(matches!(s.screen, Screen::Walk(_)));
}

fn filed_by_key(id: &str) -> Related {
    Related {
        ticket_id: id.into(),
        incident_key: "k".into(),
        outcome_id: "o".into(),
        customer_id: None,
        duplicate: false,
    }
}

#[test]
fn a_saved_case_resumed_shows_the_links_saved_with_it() {
    let mut s = app();
    arrived(&mut s);
    let found = vec![filed(&s, "ESC-20261122-bbbbbb", "cus_1001")];
    update(&mut s, Msg::IncidentsLoaded(found));
    let saved = SavedTicket {
        markdown: ticket(&s).to_markdown(),
        json: ticket(&s).to_json(),
    };
    let id = ticket(&s).id.clone();
    let files = vec![format!("/t/{id}.md").into(), format!("/t/{id}.json").into()];
    update(&mut s, Msg::TicketSaved { files });
    let session = s.case.as_ref().unwrap().session.clone();

    let mut s = app();
    let effects = open_session(&mut s, session);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::LoadIncidents)),
        "a saved ticket links what it was saved with: {effects:?}"
    );
    let Screen::Outcome(o) = &s.screen else {
        panic!("not at the outcome")
    };
    assert_eq!(o.incidents, Incidents::Saved);
    assert_eq!(
        o.ticket.duplicate_of, None,
        "built again, without the files"
    );
    update(&mut s, Msg::SavedTicketRead(Ok(saved)));
    assert_eq!(
        ticket(&s).duplicate_of.as_deref(),
        Some("ESC-20261122-bbbbbb")
    );
    assert_eq!(ticket(&s).related.len(), 1);
}
