//! PagerDuty Events API v2: a `trigger` event for an escalation at or above the target's
//! severity, a `resolve` with the same `dedup_key` when the case is resolved later
//! (<https://developer.pagerduty.com/docs/events-api-v2/trigger-events/>,
//! <https://developer.pagerduty.com/docs/events-api-v2/resolve-events/>). The routing key
//! travels in the body, so the edge puts it there; `dedup_key` comes from the ticket, so
//! PagerDuty itself folds a repeated trigger into the open alert.

use super::{Auth, Method, Plan, Purpose, Remote, Request, Target, join, title};
use crate::runbook::Severity;
use crate::ticket::Ticket;
use serde_json::json;

/// Events v2's host, unless the target names another (a proxy, a test server).
pub const EVENTS: &str = "https://events.pagerduty.com";

fn enqueue(target: &Target) -> String {
    let base = if target.url.is_empty() {
        EVENTS
    } else {
        &target.url
    };
    join(base, "/v2/enqueue")
}

/// The deduplication key of a ticket's case.
pub fn dedup_key(t: &Ticket) -> String {
    format!("authdesk-{}", t.id)
}

pub fn plan(t: &Ticket, target: &Target, min: Severity, before: Option<&Remote>) -> Plan {
    if let Some(r) = before {
        return Plan::AlreadyFiled(r.clone());
    }
    if !t.outcome.escalated() || t.outcome.severity < min {
        return Plan::Skip(format!(
            "PagerDuty pages only for escalations of severity {} or above; this ticket is {} ({})",
            min.as_str(),
            if t.outcome.escalated() {
                "an escalation"
            } else {
                "not an escalation"
            },
            t.outcome.severity.as_str()
        ));
    }
    // The summary is at most 1024 characters.
    let summary: String = title(t).chars().take(1024).collect();
    Plan::Send(Request {
        method: Method::Post,
        url: enqueue(target),
        headers: Vec::new(),
        auth: Auth::RoutingKey,
        body: json!({
            "event_action": "trigger",
            "dedup_key": dedup_key(t),
            "client": "authdesk",
            "payload": {
                "summary": summary,
                "source": "authdesk",
                "severity": severity(t.outcome.severity),
                "component": crate::escape::line(&t.outcome.id),
                "group": match &t.outcome.resolution {
                    crate::runbook::Resolution::Escalate { team } => crate::escape::line(team).into_owned(),
                    crate::runbook::Resolution::Resolve => String::new(),
                },
                "class": t.runbook.id,
                "custom_details": {
                    "ticket": t.id,
                    "customer": t.customer_id,
                    "reply": crate::escape::lines(&t.outcome.reply),
                    "next_steps": t.outcome.next_steps.iter().map(|s| crate::escape::line(s)).collect::<Vec<_>>(),
                },
            },
        }),
        purpose: Purpose::Create,
    })
}

/// The `resolve` event for the page a trigger for this ticket's case opened.
pub fn resolve(t: &Ticket, target: &Target) -> Request {
    Request {
        method: Method::Post,
        url: enqueue(target),
        headers: Vec::new(),
        auth: Auth::RoutingKey,
        body: json!({ "event_action": "resolve", "dedup_key": dedup_key(t) }),
        purpose: Purpose::Resolve,
    }
}

/// Events v2 severities: critical, error, warning, info.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "info",
    }
}
