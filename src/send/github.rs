//! GitHub issues, and Gitea or Forgejo ones (the same API shape, but labels are ids).
//!
//! GitHub: `POST /repos/{owner}/{repo}/issues` with `title`, `body` (Markdown) and `labels`
//! as names (<https://docs.github.com/en/rest/issues/issues#create-an-issue>); a resend is a
//! comment, `POST /repos/{owner}/{repo}/issues/{number}/comments`
//! (<https://docs.github.com/en/rest/issues/comments#create-an-issue-comment>).
//! Gitea: `POST /api/v1/repos/{owner}/{repo}/issues`, whose `CreateIssueOption.labels` is an
//! array of label ids (<https://gitea.com/api/swagger#/issue/issueCreateIssue>).

use super::{Auth, Method, Plan, Purpose, Remote, Request, Target, join, labels, title};
use crate::ticket::Ticket;
use serde_json::json;

pub fn plan(
    t: &Ticket,
    target: &Target,
    repo: &str,
    label_ids: Option<&Vec<u64>>,
    before: Option<&Remote>,
) -> Plan {
    let api = match label_ids {
        Some(_) => join(&target.url, "/api/v1"),
        None => target.url.trim_end_matches('/').to_string(),
    };
    let headers = match label_ids {
        // https://docs.github.com/en/rest/about-the-rest-api/api-versions
        None => vec![
            ("Accept", "application/vnd.github+json".to_string()),
            ("X-GitHub-Api-Version", "2022-11-28".to_string()),
        ],
        Some(_) => vec![("Accept", "application/json".to_string())],
    };
    let (url, body, purpose) = match before {
        Some(r) => (
            format!("{api}/repos/{repo}/issues/{}/comments", r.id),
            json!({ "body": format!("Sent again from authdesk.\n\n{}", t.to_markdown()) }),
            Purpose::Comment,
        ),
        None => {
            let body = match label_ids {
                None => {
                    json!({ "title": title(t), "body": t.to_markdown(), "labels": labels(t, target) })
                }
                Some(ids) => json!({ "title": title(t), "body": t.to_markdown(), "labels": ids }),
            };
            (format!("{api}/repos/{repo}/issues"), body, Purpose::Create)
        }
    };
    Plan::Send(Request {
        method: Method::Post,
        url,
        headers,
        auth: Auth::Bearer,
        body,
        purpose,
    })
}
