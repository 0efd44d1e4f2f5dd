//! The top of the ticket: title, summary and scope, the header table, impact, and the ask
//! of engineering, addressed to whoever receives it.

use super::{TIME, section};
use crate::escape::{md_code, md_code_in_cell, md_text};
use crate::runbook::Resolution;
use crate::ticket::Ticket;
use crate::ticket::header::{BeganFrom, CustomersMeasure};
use std::fmt::Write;

/// Title, demo warning, summary and the table a lead triages by.
pub(super) fn head(md: &mut String, t: &Ticket) {
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
pub(super) fn ask(md: &mut String, t: &Ticket) {
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
pub(super) fn impact(md: &mut String, t: &Ticket) {
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
