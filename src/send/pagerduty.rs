//! PagerDuty Events API v2: a `trigger` event for an escalation at or above the target's
//! severity, a `resolve` with the same `dedup_key` when the case is resolved later
//! (<https://developer.pagerduty.com/docs/events-api-v2/trigger-events/>,
//! <https://developer.pagerduty.com/docs/events-api-v2/resolve-events/>). The routing key
//! travels in the body, so the edge puts it there; `dedup_key` comes from the ticket, so
//! PagerDuty itself folds a repeated trigger into the open alert.

use super::{Auth, Method, Plan, Purpose, Remote, Request, Target, join, title};
use crate::escape::{line, lines};
use crate::runbook::Severity;
use crate::ticket::Ticket;
use serde_json::{Map, Value, json};

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
                "custom_details": details(t),
            },
        }),
        purpose: Purpose::Create,
    })
}

/// What the paged engineer reads: the ask of engineering first, then what is broken where and
/// since when, the incident, what contradicts the customer, and the requests to trace; the
/// reply and the agent's next steps last, as before. Each value one line, escaped.
fn details(t: &Ticket) -> Value {
    let l = |s: &str| Value::from(line(s).into_owned());
    let mut d = Map::new();
    d.insert("ticket".into(), l(&t.id));
    if let Some(c) = &t.customer_id {
        d.insert("customer".into(), l(c));
    }
    if let Some(c) = &t.customer_ticket {
        d.insert("customer_ticket".into(), l(c));
    }
    if let Some(a) = &t.outcome.ask {
        d.insert(
            "ask".into(),
            json!({ "need": l(&a.need), "urgency": l(&a.urgency), "from": l(&a.from) }),
        );
    }
    if let Some(scope) = t.scope.line(t.customer_id.as_deref()) {
        d.insert("scope".into(), l(&scope));
    }
    if let Some(b) = &t.failures_began {
        d.insert("failures_began".into(), json!(b));
    }
    if !t.impact.is_empty() {
        d.insert("impact".into(), json!(t.impact));
    }
    d.insert("incident_key".into(), l(&t.incident_key));
    if let Some(first) = &t.duplicate_of {
        d.insert("duplicate_of".into(), l(first));
    }
    let list = |items: Vec<String>| Value::from(items.iter().map(|s| l(s)).collect::<Vec<_>>());
    if !t.contradictions.is_empty() {
        let said = t.contradictions.iter().map(|c| c.describe()).collect();
        d.insert("contradictions".into(), list(said));
    }
    if !t.failing_requests.is_empty() {
        let lines = t
            .failing_requests
            .iter()
            .map(|r| r.line.as_str().to_string())
            .collect();
        d.insert("failing_requests".into(), list(lines));
    }
    if let Some(a) = &t.addresses {
        d.insert("addresses".into(), json!(a));
    }
    d.insert(
        "reply".into(),
        Value::from(lines(&t.outcome.reply).into_owned()),
    );
    let steps = t
        .outcome
        .next_steps
        .iter()
        .map(|s| line(s).into_owned())
        .collect();
    d.insert("next_steps".into(), list(steps));
    Value::Object(d)
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
