//! Payloads that create the ticket in common trackers, so a script can hand off an escalation
//! with one HTTP call: GitHub's "create an issue" and Jira's "create issue" request bodies.
//!
//! Print them with [`crate::escape::json`]; every string in them is already inert (see
//! [`crate::escape`]): one-line fields are folded, bodies are the escaped Markdown ticket.

use super::Ticket;
use crate::escape::line;
use crate::runbook::Resolution;
use serde_json::{Value, json};

/// Labels every tracker gets: outcome, severity, team, and demo data when it is. A ticket
/// whose evidence contradicts the customer, or that duplicates a filed one, says so in a label,
/// so a tracker's rules can route it to a person before the team acts on it.
fn labels(t: &Ticket) -> Vec<String> {
    let mut labels = vec![
        format!("authdesk:{}", line(&t.outcome.id)),
        format!("severity:{}", t.outcome.severity.as_str()),
    ];
    if let Resolution::Escalate { team } = &t.outcome.resolution {
        labels.push(format!("team:{}", line(team)));
    }
    if t.demo_data {
        labels.push("demo-data".into());
    }
    if !t.contradictions.is_empty() {
        labels.push("contradiction".into());
    }
    if t.duplicate_of.is_some() {
        labels.push("duplicate".into());
    }
    labels
}

/// `[ESC-…] summary`, on one line.
fn title(t: &Ticket) -> String {
    line(&format!("[{}] {}", t.id, t.summary)).into_owned()
}

/// The body of `POST /repos/{owner}/{repo}/issues`.
pub fn github_issue(t: &Ticket) -> Value {
    json!({
        "title": title(t),
        "body": t.to_markdown(),
        "labels": labels(t),
    })
}

/// The body of Jira's `POST /rest/api/2/issue`, for `project`. The description is wiki text,
/// which does not read Markdown (and would read `!url!` in data as an image): the Markdown
/// ticket goes inside `{noformat}`, where Jira shows everything as it is.
pub fn jira_issue(t: &Ticket, project: &str) -> Value {
    let priority = match t.outcome.severity {
        crate::runbook::Severity::Low => "Low",
        crate::runbook::Severity::Medium => "Medium",
        crate::runbook::Severity::High => "High",
        crate::runbook::Severity::Critical => "Highest",
    };
    json!({
        "fields": {
            "project": { "key": project },
            "issuetype": { "name": if t.outcome.escalated() { "Bug" } else { "Task" } },
            "summary": title(t),
            "description": noformat(&t.to_markdown()),
            "priority": { "name": priority },
            // Jira labels cannot contain spaces; ours have none.
            "labels": labels(t),
        }
    })
}

/// Text inside Jira's `{noformat}` block. The only thing that ends the block is the macro
/// itself, so any `{noformat}` in the text (in any case) loses its brace.
fn noformat(text: &str) -> String {
    const MACRO: &str = "{noformat";
    let mut body = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.to_ascii_lowercase().find(MACRO) {
        body.push_str(&rest[..at]);
        body.push_str("(noformat");
        rest = &rest[at + MACRO.len()..];
    }
    body.push_str(rest);
    format!("{{noformat}}\n{body}\n{{noformat}}")
}
