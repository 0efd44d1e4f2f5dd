//! Slack incoming webhooks: a summary with blocks (a header, the triage fields, the ask of
//! engineering and any contradiction, the next steps) and a `text` fallback for notifications
//! (<https://api.slack.com/messaging/webhooks>, <https://api.slack.com/reference/block-kit/blocks>).
//! All text is `plain_text`, so nothing in the ticket can mention, link or format; the webhook
//! URL is itself the credential.

use super::{Auth, Method, Plan, Purpose, Remote, Request, title};
use crate::escape::line;
use crate::runbook::Resolution;
use crate::ticket::Ticket;
use serde_json::{Value, json};

/// Slack caps a header at 150 characters and a section field at 2000.
fn clip(s: &str, max: usize) -> String {
    let s = line(s);
    if s.chars().count() <= max {
        return s.into_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn plain(s: &str, max: usize) -> Value {
    json!({ "type": "plain_text", "text": clip(s, max) })
}

pub fn plan(t: &Ticket, before: Option<&Remote>) -> Plan {
    if let Some(r) = before {
        return Plan::AlreadyFiled(r.clone());
    }
    let o = &t.outcome;
    let team = match &o.resolution {
        Resolution::Escalate { team } => format!("escalate to {team}"),
        Resolution::Resolve => "resolve".into(),
    };
    let mut fields = vec![
        plain(&format!("Outcome: {}", o.id), 2000),
        plain(&format!("Severity: {}", o.severity.as_str()), 2000),
        plain(&format!("Action: {team}"), 2000),
    ];
    if let Some(c) = &t.customer_id {
        fields.push(plain(&format!("Customer: {}", c.as_str()), 2000));
    }
    let steps = o
        .next_steps
        .iter()
        .map(|s| format!("• {}", line(s)))
        .collect::<Vec<_>>()
        .join("\n");
    let mut blocks = vec![
        json!({ "type": "header", "text": plain(&format!("{} · {}", t.id, o.title), 150) }),
        json!({ "type": "section", "text": plain(t.summary.as_str(), 3000), "fields": fields }),
    ];
    // The receiver's part first: what is asked of them, and what contradicts the customer.
    let mut receiver: Vec<String> = Vec::new();
    if let Some(a) = &o.ask {
        receiver.push(format!("Ask ({}): {}", line(&a.from), line(&a.need)));
        receiver.push(format!("Urgency: {}", line(&a.urgency)));
    }
    receiver.extend(
        t.contradictions
            .iter()
            .map(|c| format!("Check before acting: {}", line(&c.describe()))),
    );
    if !receiver.is_empty() {
        // Each part is one line already; the joins are the block's own line breaks.
        let text: String = receiver.join("\n").chars().take(3000).collect();
        blocks.push(json!({ "type": "section", "text": { "type": "plain_text", "text": text } }));
    }
    if !steps.is_empty() {
        let steps: String = steps.chars().take(3000).collect();
        blocks.push(json!({ "type": "section", "text": { "type": "plain_text", "text": steps } }));
    }
    Plan::Send(Request {
        method: Method::Post,
        url: String::new(),
        headers: Vec::new(),
        auth: Auth::WebhookUrl,
        body: json!({ "text": title(t), "blocks": blocks }),
        purpose: Purpose::Create,
    })
}
