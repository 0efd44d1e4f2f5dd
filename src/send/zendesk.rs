//! Zendesk: an internal note (`public: false`) on the customer's own ticket when intake named
//! one (`customer_ticket`), else a new ticket whose first comment is that note
//! (<https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket>,
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket>).
//! Creation carries an `Idempotency-Key`, so a retry after a lost answer files nothing twice
//! (<https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#idempotency>).
//! Authenticated as `email/token:api_token` in Basic
//! (<https://developer.zendesk.com/api-reference/introduction/security-and-auth/#api-token>).

use super::{Auth, Kind, Method, Plan, Purpose, Remote, Request, Target, join, labels, title};
use crate::runbook::Severity;
use crate::ticket::Ticket;
use serde_json::json;

pub fn plan(t: &Ticket, target: &Target, before: Option<&Remote>) -> Plan {
    let Kind::Zendesk { email } = &target.kind else {
        return Plan::Skip("not a Zendesk target".into());
    };
    let auth = Auth::Basic {
        user: format!("{email}/token"),
    };
    let note = json!({ "body": t.to_markdown(), "public": false });
    let existing = t
        .customer_ticket
        .as_ref()
        .map(|id| id.as_str().trim().to_string())
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()));
    if let Some(r) = before {
        return Plan::AlreadyFiled(r.clone());
    }
    let tickets = join(&target.url, "/api/v2/tickets");
    let request = match existing {
        Some(id) => Request {
            method: Method::Put,
            url: format!("{tickets}/{id}.json"),
            headers: Vec::new(),
            auth,
            body: json!({ "ticket": { "comment": note, "additional_tags": labels(t, target).iter().map(|l| tag(l)).collect::<Vec<_>>() } }),
            purpose: Purpose::Create,
        },
        None => Request {
            method: Method::Post,
            url: format!("{tickets}.json"),
            headers: vec![(
                "Idempotency-Key",
                format!("authdesk-{}-{}", t.id, target.name),
            )],
            auth,
            body: json!({ "ticket": {
                "subject": title(t),
                "comment": note,
                "priority": priority(t.outcome.severity),
                "tags": labels(t, target).iter().map(|l| tag(l)).collect::<Vec<_>>(),
            }}),
            purpose: Purpose::Create,
        },
    };
    Plan::Send(request)
}

/// Zendesk tags are single words; `:` reads fine but spaces would split them.
fn tag(label: &str) -> String {
    label.replace([' ', ':'], "_")
}

/// Zendesk's priorities: low, normal, high, urgent.
fn priority(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "normal",
        Severity::High => "high",
        Severity::Critical => "urgent",
    }
}
