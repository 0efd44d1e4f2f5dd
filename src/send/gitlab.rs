//! GitLab issues: `POST /api/v4/projects/{id}/issues` with `title`, `description` (Markdown)
//! and `labels` as one comma-separated string (<https://docs.gitlab.com/api/issues/#new-issue>),
//! authenticated by the `PRIVATE-TOKEN` header (<https://docs.gitlab.com/api/rest/authentication/>).
//! A resend is a note, `POST /projects/{id}/issues/{iid}/notes`
//! (<https://docs.gitlab.com/api/notes/#create-new-issue-note>).

use super::{Auth, Method, Plan, Purpose, Remote, Request, Target, join, labels, segment, title};
use crate::ticket::Ticket;
use serde_json::json;

pub fn plan(t: &Ticket, target: &Target, project: &str, before: Option<&Remote>) -> Plan {
    let issues = join(
        &target.url,
        &format!("/api/v4/projects/{}/issues", segment(project)),
    );
    let (url, body, purpose) = match before {
        Some(r) => (
            format!("{issues}/{}/notes", r.id),
            json!({ "body": format!("Sent again from authdesk.\n\n{}", t.to_markdown()) }),
            Purpose::Comment,
        ),
        None => (
            issues,
            // A comma inside a label would split it; ours are `name:value` words.
            json!({
                "title": title(t),
                "description": t.to_markdown(),
                "labels": labels(t, target).iter().map(|l| l.replace(',', " ")).collect::<Vec<_>>().join(","),
            }),
            Purpose::Create,
        ),
    };
    Plan::Send(Request {
        method: Method::Post,
        url,
        headers: Vec::new(),
        auth: Auth::Header("PRIVATE-TOKEN"),
        body,
        purpose,
    })
}
