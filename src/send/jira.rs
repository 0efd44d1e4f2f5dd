//! Jira issues. Cloud: `POST /rest/api/3/issue`, whose `description` is an Atlassian Document
//! Format document
//! (<https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post>),
//! authenticated as `email:api_token` in Basic
//! (<https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/>).
//! Data Center: `POST /rest/api/2/issue` with wiki markup, a personal access token as Bearer
//! (<https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html>).
//! A resend is an internal comment (`sd.public.comment` with `internal: true`, which Jira
//! Service Management reads and plain Jira stores as a property):
//! `POST /rest/api/{2,3}/issue/{key}/comment`.

use super::{
    Auth, Kind, Method, Plan, Purpose, Remote, Request, Target, adf, join, labels, outline, title,
    wiki,
};
use crate::runbook::Severity;
use crate::ticket::Ticket;
use serde_json::{Value, json};

pub fn plan(t: &Ticket, target: &Target, before: Option<&Remote>) -> Plan {
    let Kind::Jira {
        project,
        email,
        cloud,
        components,
    } = &target.kind
    else {
        return Plan::Skip("not a Jira target".into());
    };
    let version = if *cloud { 3 } else { 2 };
    let blocks = outline(t);
    let description: Value = if *cloud {
        adf::document(&blocks)
    } else {
        Value::String(wiki::render(&blocks))
    };
    let auth = if *cloud {
        Auth::Basic {
            user: email.clone(),
        }
    } else {
        Auth::Bearer
    };
    let api = join(&target.url, &format!("/rest/api/{version}/issue"));
    let (url, body, purpose) = match before {
        Some(r) => {
            let body = if *cloud {
                let mut blocks = vec![super::Block::Paragraph("Sent again from authdesk.".into())];
                blocks.extend(outline(t));
                adf::document(&blocks)
            } else {
                Value::String(format!(
                    "Sent again from authdesk.\n\n{}",
                    wiki::render(&blocks)
                ))
            };
            (
                format!("{api}/{}/comment", r.id),
                json!({
                    "body": body,
                    "properties": [{ "key": "sd.public.comment", "value": { "internal": true } }],
                }),
                Purpose::Comment,
            )
        }
        None => {
            let mut fields = json!({
                "project": { "key": project },
                "issuetype": { "name": if t.outcome.escalated() { "Bug" } else { "Task" } },
                "summary": title(t),
                "description": description,
                "priority": { "name": priority(t.outcome.severity) },
                // Jira labels cannot hold spaces; ours are `name:value` words.
                "labels": labels(t, target).iter().map(|l| l.replace(' ', "_")).collect::<Vec<_>>(),
            });
            if !components.is_empty() {
                fields["components"] = components.iter().map(|c| json!({ "name": c })).collect();
            }
            (api, json!({ "fields": fields }), Purpose::Create)
        }
    };
    Plan::Send(Request {
        method: Method::Post,
        url,
        headers: vec![("Accept", "application/json".into())],
        auth,
        body,
        purpose,
    })
}

/// Jira's default priority scheme.
fn priority(s: Severity) -> &'static str {
    match s {
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Highest",
    }
}
