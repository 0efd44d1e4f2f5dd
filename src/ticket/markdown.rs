//! The ticket as Markdown, for the lead reading the queue and the engineer picking it up.
//!
//! Every value that is not this module's own text goes through [`crate::escape`]: data from
//! the admin API, pastes and agents is shown, never interpreted (no headings, links, HTML or
//! terminal escapes). The reply and next steps carry facts, so they are escaped too.

use super::Ticket;
use super::header::{BeganFrom, CustomersMeasure};
use crate::escape::{lines, md_code, md_code_in_cell, md_fence, md_text};
use crate::facts::{FactValue, name};
use crate::runbook::Resolution;
use crate::walk::Citation;
use std::fmt::Write;

const TIME: &str = "%Y-%m-%d %H:%M:%S UTC";

pub fn to_markdown(t: &Ticket) -> String {
    let mut md = String::new();
    head(&mut md, t);
    impact(&mut md, t);
    ask(&mut md, t);
    conflicts(&mut md, t);
    failing_requests(&mut md, t);
    addresses(&mut md, t);
    related(&mut md, t);
    evidence(&mut md, t);
    path(&mut md, t);
    reply(&mut md, t);
    notes(&mut md, t);
    all_facts(&mut md, t);
    md
}

/// Title, demo warning, summary and the table a lead triages by.
fn head(md: &mut String, t: &Ticket) {
    let o = &t.outcome;
    let _ = writeln!(md, "# {} · {}", md_text(&t.id), md_text(&o.title));
    let _ = writeln!(md);
    if t.demo_data {
        let _ = writeln!(
            md,
            "> **DEMO DATA**: evidence came from the built-in demo admin API.\n"
        );
    }
    let _ = writeln!(md, "**{}**", md_text(&t.summary));
    if let Some(scope) = t.scope.line(t.customer_id.as_deref()) {
        let _ = writeln!(md, "\n{}", md_text(&scope));
    }
    let _ = writeln!(md);
    if let Some(first) = &t.duplicate_of {
        let _ = writeln!(
            md,
            "> **Duplicate** of {}: the same customer's case for the same cause is already filed.\n",
            md_text(first)
        );
    }

    let (action, team) = match &o.resolution {
        Resolution::Resolve => ("resolve", "—".to_string()),
        Resolution::Escalate { team } => ("escalate", md_code_in_cell(team)),
    };
    let rows = [
        ("Outcome", format!("{} ({action})", md_code_in_cell(&o.id))),
        ("Severity", o.severity.as_str().to_string()),
        ("Team", team),
        (
            "Customer",
            t.customer_id
                .clone()
                .as_deref()
                .map_or("—".into(), md_code_in_cell),
        ),
        ("Key", key_cell(t)),
        (
            "Failures began",
            t.failures_began.as_ref().map_or("unknown".into(), |b| {
                let by = match b.source {
                    BeganFrom::RequestLogs => "oldest failing request in the logs",
                    BeganFrom::Intake => "the customer, at intake",
                };
                let said = b.customer_says.map_or_else(String::new, |s| {
                    format!("; the customer says {}", s.format(TIME))
                });
                format!("{} ({by}{said})", b.at.format(TIME))
            }),
        ),
        ("Case opened", t.started_at.format(TIME).to_string()),
        ("Ticket written", t.created_at.format(TIME).to_string()),
        ("Incident key", md_code_in_cell(&t.incident_key)),
        (
            "Runbook",
            format!(
                "{} v{} ({})",
                md_code_in_cell(&t.runbook.id),
                md_text(&t.runbook.version.to_string()),
                md_text(&t.runbook.content_hash)
            ),
        ),
        ("Agent", md_text(&t.agent)),
    ];
    let _ = writeln!(md, "| | |\n|---|---|");
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {v} |");
        if k == "Customer"
            && let Some(theirs) = &t.customer_ticket
        {
            // Only when given: most cases arrive without one.
            let _ = writeln!(md, "| Customer's ticket | {} |", md_code_in_cell(theirs));
        }
    }
}

/// What the receiving team is asked, addressed to them; the agent's steps come later.
fn ask(md: &mut String, t: &Ticket) {
    let (Some(a), Resolution::Escalate { team }) = (&t.outcome.ask, &t.outcome.resolution) else {
        return;
    };
    section(md, "Ask of engineering");
    let _ = writeln!(
        md,
        "- **To**: {} — team {}",
        md_text(&a.from),
        md_code(team)
    );
    let _ = writeln!(md, "- **Needed**: {}", md_text(&a.need));
    let _ = writeln!(md, "- **Urgency**: {}", md_text(&a.urgency));
}

/// The key id and the masked key, whichever are known.
fn key_cell(t: &Ticket) -> String {
    match (&t.key_id, &t.key) {
        (Some(id), Some(k)) => format!(
            "{} · {}",
            md_code_in_cell(id),
            md_code_in_cell(&k.to_string())
        ),
        (Some(id), None) => md_code_in_cell(id),
        (None, Some(k)) => md_code_in_cell(&k.to_string()),
        (None, None) => "—".into(),
    }
}

/// How big it is: failing requests, this customer's rate against its baseline, customers.
fn impact(md: &mut String, t: &Ticket) {
    let i = &t.impact;
    if i.is_empty() {
        return;
    }
    section(md, "Impact");
    if let Some(n) = i.failing_requests {
        let _ = writeln!(
            md,
            "- Failing requests: {n} for this key in the last {} h",
            crate::evidence::FAILURE_WINDOW_HOURS
        );
    }
    match (i.failure_rate, i.baseline_rate) {
        (Some(now), Some(base)) => {
            let _ = writeln!(
                md,
                "- 401/403 rate: {} now against a baseline of {}",
                percent(now),
                percent(base)
            );
        }
        (Some(now), None) => {
            let _ = writeln!(md, "- 401/403 rate: {} now", percent(now));
        }
        _ => {}
    }
    if let Some(n) = i.customers_affected {
        let _ = match i.customers_measure {
            Some(CustomersMeasure::AboveBaseline) => writeln!(
                md,
                "- Customers above their 401/403 baseline now{}: {n}",
                t.scope
                    .cell
                    .as_ref()
                    .map_or_else(String::new, |c| format!(" in cell {}", md_text(c)))
            ),
            Some(CustomersMeasure::FailingInLogs) => {
                writeln!(md, "- Customers failing in the pasted logs: {n}")
            }
            None => writeln!(md, "- Customers affected: {n}"),
        };
    }
}

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// The newest failing requests, with the one the customer pasted marked.
fn failing_requests(md: &mut String, t: &Ticket) {
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
fn addresses(md: &mut String, t: &Ticket) {
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
fn related(md: &mut String, t: &Ticket) {
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
fn conflicts(md: &mut String, t: &Ticket) {
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

/// What the outcome rests on, the criteria it met, and what could not be checked.
fn evidence(md: &mut String, t: &Ticket) {
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
fn path(md: &mut String, t: &Ticket) {
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
fn cited(t: &Ticket, fact: &str) -> bool {
    SHOWN_ABOVE.contains(&fact)
        || cited_as_evidence(t, fact)
        || t.path
            .iter()
            .any(|s| s.facts.iter().any(|c| c.fact == fact))
}

/// The reply and next steps carry facts (who revoked a key, the endpoint), so they are
/// escaped like any value; an indented line is a code block, where nothing acts.
fn reply(md: &mut String, t: &Ticket) {
    section(md, "Reply to the customer");
    for l in lines(&t.outcome.reply).lines() {
        if l.starts_with("    ") {
            let _ = writeln!(md, "> {l}");
        } else {
            let _ = writeln!(md, "> {}", md_text(l));
        }
    }

    section(md, "Next steps for the agent");
    for step in &t.outcome.next_steps {
        let _ = writeln!(md, "- [ ] {}", md_text(step));
    }
}

fn notes(md: &mut String, t: &Ticket) {
    if t.notes.is_empty() {
        return;
    }
    section(md, "Notes");
    for n in &t.notes {
        let by = format!(
            "{}, at {}, {}",
            md_text(&n.by),
            md_code(&n.node),
            n.at.format(TIME)
        );
        if n.text.trim().contains('\n') {
            // A note of several lines keeps them, inside the list item.
            let _ = writeln!(md, "- ({by}):\n");
            for l in md_fence(n.text.trim()).lines() {
                let _ = writeln!(md, "  {l}");
            }
        } else {
            let _ = writeln!(md, "- {} ({by})", md_text(&n.text));
        }
    }
}

/// Every fact the sections above do not quote, as a table row; values of several lines follow
/// the table in fenced blocks.
fn all_facts(md: &mut String, t: &Ticket) {
    section(md, "Other facts");
    let _ = writeln!(
        md,
        "| Fact | Value | Source | Evidence |\n|---|---|---|---|"
    );
    let mut long = Vec::new();
    for c in t.facts.iter().filter(|c| !cited(t, &c.fact)) {
        let value = match multi_line(&c.value) {
            Some(text) => {
                long.push((&c.fact, text));
                format!("_{} lines, below_", text.lines().count())
            }
            None => md_text(&c.value.to_string()),
        };
        let _ = writeln!(
            md,
            "| {} | {value} | {} | {} |",
            md_code_in_cell(&c.fact),
            c.source.label(),
            md_text(c.evidence.as_deref().unwrap_or("")),
        );
    }
    for (fact, text) in long {
        let _ = writeln!(md, "\n{}:\n", md_code(fact));
        md.push_str(&md_fence(text));
    }
}

/// Text of several lines (an error body), shown in a fenced block rather than folded.
fn multi_line(value: &FactValue) -> Option<&str> {
    value.as_text().map(str::trim).filter(|t| t.contains('\n'))
}

fn section(md: &mut String, title: &str) {
    let _ = writeln!(md, "\n## {title}\n");
}

fn citation(c: &Citation) -> String {
    let mut s = format!(
        "{} = {} ({}",
        md_code(&c.fact),
        md_text(&c.value.to_string()),
        c.source.label()
    );
    if let Some(e) = &c.evidence {
        let _ = write!(s, ", {}", md_text(e));
    }
    s.push(')');
    s
}
