//! What the receiver checks before acting and traces: contradictions and conflicts, the
//! failing requests, the addresses involved, and related cases.

use super::section;
use crate::escape::{md_code, md_text};
use crate::ticket::Ticket;
use std::fmt::Write;

/// The newest failing requests, with the one the customer pasted marked.
pub(super) fn failing_requests(md: &mut String, t: &Ticket) {
    if t.failing_requests.is_empty() {
        return;
    }
    section(md, "Failing requests");
    for r in &t.failing_requests {
        let mark = if r.pasted {
            " — **the request the customer pasted**"
        } else {
            ""
        };
        let _ = writeln!(md, "- {}{mark}", md_text(&r.line));
    }
}

/// For a security review: every address seen, and the networks they fall in.
pub(super) fn addresses(md: &mut String, t: &Ticket) {
    let Some(a) = &t.addresses else {
        return;
    };
    section(md, "Addresses involved");
    let list: Vec<String> = a
        .addresses
        .iter()
        .map(|ip| md_code(&ip.to_string()))
        .collect();
    let _ = writeln!(md, "- Addresses: {}", list.join(", "));
    let nets: Vec<String> = a
        .networks
        .iter()
        .map(|n| format!("{} ({})", md_code(&n.network.to_string()), n.addresses))
        .collect();
    let _ = writeln!(md, "- Networks (addresses in each): {}", nets.join(", "));
    if let Some(own) = a.customers_own {
        let _ = writeln!(
            md,
            "- The customer's own address (given at intake, not among the logged failures): {}",
            md_code(&own.to_string())
        );
    }
}

/// Other saved tickets of the same incident key, a duplicate marked.
pub(super) fn related(md: &mut String, t: &Ticket) {
    if t.related.is_empty() {
        return;
    }
    section(md, "Related cases");
    for r in &t.related {
        let who = r
            .customer_id
            .as_deref()
            .map_or("unknown customer".into(), md_code);
        let dup = if r.duplicate {
            " — **filed first: this case duplicates it**"
        } else {
            ""
        };
        let _ = writeln!(
            md,
            "- {} · {} · {who}{dup}",
            md_text(&r.ticket_id),
            md_code(&r.outcome_id)
        );
    }
}

/// Where the case's facts disagree. Before the evidence: a lead must see it at once.
pub(super) fn conflicts(md: &mut String, t: &Ticket) {
    if t.conflicts.is_empty() && t.contradictions.is_empty() {
        return;
    }
    section(md, "Conflicts");
    for c in &t.contradictions {
        let _ = writeln!(md, "- {} — **check before acting**", md_text(&c.describe()));
    }
    for c in &t.conflicts {
        let open = if c.settled.is_some() {
            ""
        } else {
            " — **not settled**"
        };
        let _ = writeln!(md, "- {}{open}", md_text(&c.describe()));
    }
}
