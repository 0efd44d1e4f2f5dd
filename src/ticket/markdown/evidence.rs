//! Why the outcome holds: the cited evidence with its deciding fact, the path as sentences,
//! and which facts the sections above already show.

use super::{TIME, citation, section};
use crate::escape::md_text;
use crate::facts::name;
use crate::ticket::Ticket;
use std::fmt::Write;

/// What the outcome rests on, the criteria it met, and what could not be checked.
pub(super) fn evidence(md: &mut String, t: &Ticket) {
    section(md, "Evidence");
    if t.evidence.is_empty() {
        let _ = writeln!(
            md,
            "_No recorded fact backs this outcome beyond the answers below._"
        );
    }
    for c in &t.evidence {
        let deciding = if t.deciding_fact.as_deref() == Some(c.fact.as_str()) {
            " — **deciding fact**"
        } else {
            ""
        };
        let _ = writeln!(md, "- {}{deciding}", citation(c));
    }

    if !t.criteria_matched.is_empty() {
        section(md, "Escalation criteria matched");
        for c in &t.criteria_matched {
            let _ = writeln!(md, "- **{}**: {}", md_text(&c.id), md_text(&c.title));
        }
    }

    if !t.evidence_unavailable.is_empty() {
        section(md, "Evidence unavailable");
        for u in &t.evidence_unavailable {
            let _ = writeln!(
                md,
                "- {} ({}): {} — at {}",
                md_text(&u.what),
                u.source.label(),
                md_text(&u.reason),
                u.at.format(TIME)
            );
        }
    }
}

/// Each step as a sentence. The facts it read follow with where they came from, unless the
/// evidence section already says so.
pub(super) fn path(md: &mut String, t: &Ticket) {
    section(md, "Path taken");
    for (i, s) in t.path.iter().enumerate() {
        let _ = writeln!(
            md,
            "{}. **{}** — {}  \n   _{}_ · {} · {}",
            i + 1,
            md_text(&s.title),
            md_text(&s.answer),
            md_text(s.prompt.trim()),
            md_text(&s.decided_by),
            s.at.format("%H:%M:%S")
        );
        // The sentence gives each value; a line below adds where it came from, once.
        let sourced = s.facts.iter().filter(|c| c.evidence.is_some());
        for c in sourced.filter(|c| !cited_as_evidence(t, &c.fact)) {
            let _ = writeln!(md, "   - {}", citation(c));
        }
    }
}

fn cited_as_evidence(t: &Ticket, fact: &str) -> bool {
    t.evidence.iter().any(|c| c.fact == fact)
}

/// Facts the header, impact and request sections show in their own words.
const SHOWN_ABOVE: &[&str] = &[
    name::CUSTOMER_ID,
    name::CUSTOMER_TICKET,
    name::KEY_ID,
    name::STATUS,
    name::METHOD,
    name::ENDPOINT,
    name::ENDPOINT_ROUTE,
    name::CUSTOMER_PLAN,
    name::CUSTOMER_CELL,
    name::REQUEST_ID,
    name::STARTED_AT,
    name::FAILURES_REQUESTS,
    name::FAILURES_CLIENT_IPS,
    name::FAILURES_FIRST_AT,
    name::FAILURES_TOTAL,
    name::INCIDENT_CELL,
    name::INCIDENT_FAILURE_RATE,
    name::INCIDENT_BASELINE_RATE,
    name::INCIDENT_CUSTOMERS_AFFECTED,
    name::LOGS_CUSTOMERS_FAILING,
];

/// Whether the ticket already shows the fact above the table: in the header, the evidence or
/// a step of the path.
pub(super) fn cited(t: &Ticket, fact: &str) -> bool {
    SHOWN_ABOVE.contains(&fact)
        || cited_as_evidence(t, fact)
        || t.path
            .iter()
            .any(|s| s.facts.iter().any(|c| c.fact == fact))
}
