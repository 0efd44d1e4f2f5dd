//! Payloads that create the ticket in common trackers, so a script can hand off an escalation
//! with one HTTP call: GitHub's "create an issue" and Jira's "create issue" request bodies.

use super::Ticket;
use crate::runbook::Resolution;
use serde_json::{Value, json};

/// Labels every tracker gets: outcome, severity, team, and demo data when it is.
fn labels(t: &Ticket) -> Vec<String> {
    let mut labels = vec![
        format!("authdesk:{}", t.outcome.id),
        format!("severity:{}", t.outcome.severity.as_str()),
    ];
    if let Resolution::Escalate { team } = &t.outcome.resolution {
        labels.push(format!("team:{team}"));
    }
    if t.demo_data {
        labels.push("demo-data".into());
    }
    labels
}

/// The body of `POST /repos/{owner}/{repo}/issues`.
pub fn github_issue(t: &Ticket) -> Value {
    json!({
        "title": format!("[{}] {}", t.id, t.summary),
        "body": t.to_markdown(),
        "labels": labels(t),
    })
}

/// The body of Jira's `POST /rest/api/2/issue` (wiki-text description), for `project`.
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
            "summary": format!("[{}] {}", t.id, t.summary),
            "description": t.to_markdown(),
            "priority": { "name": priority },
            // Jira labels cannot contain spaces; ours have none.
            "labels": labels(t),
        }
    })
}
