//! Sending a ticket to a tracker, a help desk or on-call: for each kind of target, the HTTP
//! request that files it (method, URL, headers, JSON body) and what the answer means.
//!
//! Pure: the request names how the credential is attached ([`Auth`]) but never holds it, and
//! answers come in as status, headers and body. The edge (`crate::outbox`) reads credentials,
//! talks HTTP and keeps the records. Every text in a payload comes from the ticket, whose
//! free text is already redacted, and passes [`crate::escape`] on the way out.

mod adf;
mod github;
mod gitlab;
mod jira;
mod linear;
mod outline;
mod pagerduty;
pub mod record;
mod response;
mod slack;
mod wiki;
mod zendesk;

pub use outline::{Block, outline};
pub use pagerduty::EVENTS as PAGERDUTY_EVENTS;
pub use record::{Record, Remote, State};
pub use response::{FieldError, Filed, Rejection, interpret, retry_after};

use crate::escape::line;
use crate::runbook::{Resolution, Severity};
use crate::ticket::Ticket;
use serde_json::Value;

/// One `[[tracker]]` entry of the configuration, checked: what to send where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What `--to` names.
    pub name: String,
    /// The API's base URL (`https://api.github.com`, `https://acme.atlassian.net`); for Slack,
    /// unused: the webhook URL is the credential.
    pub url: String,
    /// Labels (tags) added to the ones every ticket carries.
    pub labels: Vec<String>,
    pub kind: Kind,
}

/// The kinds of target, each with what only it needs, so a Jira target cannot lack its
/// project nor a GitHub one its repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// GitHub issues in `owner/repo`.
    Github { repo: String },
    /// Gitea or Forgejo issues in `owner/repo`; their API takes label ids, not names.
    Gitea { repo: String, label_ids: Vec<u64> },
    /// GitLab issues in a project (`group/project` or its numeric id).
    Gitlab { project: String },
    /// Jira issues in a project, as `email` with an API token (Cloud) or a personal token
    /// owner (Data Center).
    Jira {
        project: String,
        email: String,
        cloud: bool,
        components: Vec<String>,
    },
    /// Linear issues in a team (its id, a UUID).
    Linear { team: String },
    /// Zendesk, as `email` with an API token.
    Zendesk { email: String },
    /// PagerDuty Events v2, paging only for escalations at or above `min_severity`.
    Pagerduty { min_severity: Severity },
    /// A Slack incoming webhook.
    Slack,
}

impl Kind {
    /// The name written in the configuration and in records.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Github { .. } => "github",
            Kind::Gitea { .. } => "gitea",
            Kind::Gitlab { .. } => "gitlab",
            Kind::Jira { cloud: true, .. } => "jira",
            Kind::Jira { cloud: false, .. } => "jira-dc",
            Kind::Linear { .. } => "linear",
            Kind::Zendesk { .. } => "zendesk",
            Kind::Pagerduty { .. } => "pagerduty",
            Kind::Slack => "slack",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// Where the credential goes. The request itself never holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (GitHub, Gitea).
    Bearer,
    /// `Authorization: Basic base64(user:token)` (Jira Cloud: the account's email).
    Basic { user: String },
    /// `Authorization: <token>`, as is (Linear personal API keys take no `Bearer`).
    Raw,
    /// A header of its own holding the token (GitLab's `PRIVATE-TOKEN`).
    Header(&'static str),
    /// The body's `routing_key` (PagerDuty Events v2).
    RoutingKey,
    /// The credential is the URL itself (Slack incoming webhooks).
    WebhookUrl,
}

/// One HTTP request to a target, without its credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// The full URL; empty when [`Auth::WebhookUrl`] supplies it.
    pub url: String,
    /// Headers besides `Content-Type: application/json` and the credential.
    pub headers: Vec<(&'static str, String)>,
    pub auth: Auth,
    pub body: Value,
    /// What a success means for the record.
    pub purpose: Purpose,
}

/// What a request does, so its answer is recorded for what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Files the ticket anew.
    Create,
    /// Adds a comment or note to what an earlier send filed.
    Comment,
    /// Resolves the page an earlier send opened (PagerDuty).
    Resolve,
}

/// What to do with a ticket at a target, given what was sent there before.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Send(Request),
    /// Filed before and the kind has nothing to add: "already filed: URL".
    AlreadyFiled(Remote),
    /// Nothing to send, and why (a PagerDuty target below its severity).
    Skip(String),
}

/// The request that files `ticket` at `target`, or what to say instead. `before` is what an
/// earlier send of the same ticket to the same target left: a second send comments on the
/// remote issue where the kind can, and otherwise reports it filed.
pub fn plan(ticket: &Ticket, target: &Target, before: Option<&Remote>) -> Plan {
    match &target.kind {
        Kind::Github { repo } => github::plan(ticket, target, repo, None, before),
        Kind::Gitea { repo, label_ids } => {
            github::plan(ticket, target, repo, Some(label_ids), before)
        }
        Kind::Gitlab { project } => gitlab::plan(ticket, target, project, before),
        Kind::Jira { .. } => jira::plan(ticket, target, before),
        Kind::Linear { team } => linear::plan(ticket, target, team, before),
        Kind::Zendesk { .. } => zendesk::plan(ticket, target, before),
        Kind::Pagerduty { min_severity } => pagerduty::plan(ticket, target, *min_severity, before),
        Kind::Slack => slack::plan(ticket, before),
    }
}

/// The PagerDuty event that resolves the page an earlier send opened for this ticket's case.
pub fn resolve(ticket: &Ticket, target: &Target) -> Option<Request> {
    matches!(target.kind, Kind::Pagerduty { .. }).then(|| pagerduty::resolve(ticket, target))
}

/// The body of the request that would file `ticket` at `target` for the first time, or
/// `null` when the target would not take it.
pub fn create_body(ticket: &Ticket, target: &Target) -> Value {
    match plan(ticket, target, None) {
        Plan::Send(r) => r.body,
        Plan::AlreadyFiled(_) | Plan::Skip(_) => Value::Null,
    }
}

/// Labels every target gets: outcome, severity, team, demo data when it is, then the target's.
fn labels(t: &Ticket, target: &Target) -> Vec<String> {
    let mut labels = vec![
        format!("authdesk:{}", line(&t.outcome.id)),
        format!("severity:{}", t.outcome.severity.as_str()),
    ];
    if let Resolution::Escalate { team } = &t.outcome.resolution {
        labels.push(format!("team:{}", line(team)));
    }
    if t.demo_data {
        labels.push("demo-data".into());
    }
    // A ticket whose evidence contradicts the customer, or that duplicates a filed one, says
    // so in a label, so a tracker's rules can route it to a person before the team acts on it.
    if !t.contradictions.is_empty() {
        labels.push("contradiction".into());
    }
    if t.duplicate_of.is_some() {
        labels.push("duplicate".into());
    }
    labels.extend(target.labels.iter().map(|l| line(l).into_owned()));
    labels
}

/// `[ESC-…] summary`, on one line.
fn title(t: &Ticket) -> String {
    line(&format!("[{}] {}", t.id, t.summary)).into_owned()
}

/// `base` without a trailing slash, then `path`.
fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// One path segment, percent-encoded (a GitLab project `group/project` becomes one segment).
fn segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
pub(crate) mod tests;
