//! Linear issues through its GraphQL API: the `issueCreate` mutation with `teamId`, `title`,
//! `description` (Markdown), `priority` 0 to 4 and a client-supplied `id`
//! (<https://developers.linear.app/docs/graphql/working-with-the-graphql-api>). Personal API
//! keys go in `Authorization` as they are, without `Bearer`
//! (<https://developers.linear.app/docs/graphql/working-with-the-graphql-api#personal-api-keys>).
//!
//! The id is derived from the ticket and the target, so a retry whose first answer was lost
//! cannot file a second issue: Linear refuses an id it already has.

use super::{Auth, Method, Plan, Remote, Request, Target, join, title};
use crate::runbook::Severity;
use crate::ticket::Ticket;
use serde_json::json;
use sha2::{Digest, Sha256};

const MUTATION: &str = "mutation IssueCreate($input: IssueCreateInput!) { \
issueCreate(input: $input) { success issue { id identifier url } } }";

pub fn plan(t: &Ticket, target: &Target, team: &str, before: Option<&Remote>) -> Plan {
    if let Some(r) = before {
        return Plan::AlreadyFiled(r.clone());
    }
    let url = if target.url.is_empty() {
        "https://api.linear.app/graphql".to_string()
    } else {
        join(&target.url, "/graphql")
    };
    Plan::Send(Request {
        method: Method::Post,
        url,
        headers: Vec::new(),
        auth: Auth::Raw,
        body: json!({
            "query": MUTATION,
            "variables": { "input": {
                "id": issue_id(&t.id, &target.name),
                "teamId": team,
                "title": title(t),
                "description": t.to_markdown(),
                "priority": priority(t.outcome.severity),
            }},
        }),
        purpose: super::Purpose::Create,
    })
}

/// Linear's priorities: 0 none, 1 urgent, 2 high, 3 normal, 4 low.
fn priority(s: Severity) -> u8 {
    match s {
        Severity::Critical => 1,
        Severity::High => 2,
        Severity::Medium => 3,
        Severity::Low => 4,
    }
}

/// A UUID (version 4 layout) from the SHA-256 of the ticket id and the target name.
pub fn issue_id(ticket: &str, target: &str) -> String {
    let d = Sha256::digest(format!("authdesk|{ticket}|{target}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
