//! The create-issue bodies `authdesk run --format github|jira` prints, for scripts that file
//! the ticket themselves. Built by [`crate::send`], which also sends them.

use super::Ticket;
use crate::send::{Kind, Target, create_body};
use serde_json::Value;

/// The body of GitHub's `POST /repos/{owner}/{repo}/issues`.
pub fn github_issue(t: &Ticket) -> Value {
    let target = Target {
        name: "github".into(),
        url: "https://api.github.com".into(),
        labels: Vec::new(),
        kind: Kind::Github {
            repo: "OWNER/REPO".into(),
        },
    };
    create_body(t, &target)
}

/// The body of Jira Cloud's `POST /rest/api/3/issue` for `project`, its description an
/// Atlassian Document Format document.
pub fn jira_issue(t: &Ticket, project: &str) -> Value {
    let target = Target {
        name: "jira".into(),
        url: "https://example.atlassian.net".into(),
        labels: Vec::new(),
        kind: Kind::Jira {
            project: project.into(),
            email: String::new(),
            cloud: true,
            components: Vec::new(),
        },
    };
    create_body(t, &target)
}
