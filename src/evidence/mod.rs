//! Evidence: which admin-API questions a case needs, and what their answers mean as facts.
//!
//! Pure and synchronous: it never does I/O and knows no HTTP types. The `admin` edge asks the
//! [`Query`]s an [`Evidence`] hands out, feeds each [`Answer`] back with [`Evidence::record`]
//! (which may hand out follow-up queries), and reads the facts with [`Evidence::facts`].
//!
//! One rule the runbooks rely on: when a source answered, its facts are set even when the
//! answer is "nothing" (`failures.top_reason = "none"`, `audit.ip_rules_changed = false`,
//! `ip.allowed = true` for an empty allowlist). An absent fact means "unknown", and the walk
//! asks the agent.

pub mod api;
mod audit;
mod failures;
mod id;
mod ip;
mod map;
mod query;

pub use audit::AuditDigest;
pub use failures::{ANOMALY_DISTINCT_IPS, ANOMALY_MIN_FAILURES, FailureDigest};
pub use id::{ID_INPUTS, IdError, check_id, check_input};
pub use ip::{IpVerdict, check as check_ip};
pub use query::{
    AUDIT_WINDOW_DAYS, FAILURE_WINDOW_HOURS, Intake, Query, QueryKind, SUMMARY_WINDOW_S, Scope,
};

use crate::facts::Facts;
use chrono::{DateTime, Utc};
use std::fmt;

/// Which call an answer came from, for the fact's `evidence` and the ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// `GET /v1/keys/key_x`.
    pub call: String,
    /// The `X-Request-Id` sent with the (first) call.
    pub request_id: String,
    /// How many pages a list took.
    pub pages: u32,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, request id {}", self.call, self.request_id)?;
        if self.pages > 1 {
            write!(f, " (+{} more pages)", self.pages - 1)?;
        }
        Ok(())
    }
}

/// An answer with the call it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cited<T> {
    pub answer: T,
    pub from: Provenance,
}

/// The answer to one [`Query`]. `None` means the admin API said "not found".
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Key(Cited<Option<api::Key>>),
    Customer(Cited<Option<api::Customer>>),
    AuditEvents(Cited<AuditDigest>),
    RequestLogs(Cited<FailureDigest>),
    Usage(Cited<api::Usage>),
    Endpoint(Cited<Option<api::EndpointRoute>>),
    Health(Cited<api::Health>),
    FailureSummary(Cited<api::FailureSummary>),
    /// A query about the key (its logs, audit trail, usage) answered 404. What that means
    /// depends on the other answers: see [`Evidence::gaps`].
    Absent {
        query: Query,
        from: Provenance,
    },
}

/// What the answers so far prove about the key and the API.
struct Standing {
    /// Health answered: the API at the configured URL is an admin API, so its 404s are
    /// about the thing asked for, not about a wrong base path.
    proven: bool,
    /// The key answered 404 on a proven API: it does not exist.
    key_absent: bool,
}

impl Standing {
    fn of(answers: &[Answer]) -> Self {
        let proven = answers.iter().any(|a| matches!(a, Answer::Health(_)));
        let key_404 = answers
            .iter()
            .any(|a| matches!(a, Answer::Key(Cited { answer: None, .. })));
        Self {
            proven,
            key_absent: proven && key_404,
        }
    }
}

/// Why a 404 is not taken as "no such thing" when the API did not prove it is the right one.
fn misconfigured(from: &Provenance) -> String {
    format!(
        "admin API misconfigured: {} answered 404 and GET /v1/health did not answer, so the \
         404 proves nothing: check the base path of [admin] url (request id {})",
        from.call, from.request_id
    )
}

/// The evidence gathered so far for one case.
#[derive(Debug, Clone)]
pub struct Evidence {
    intake: Intake,
    now: DateTime<Utc>,
    asked: Vec<Query>,
    answers: Vec<Answer>,
}

impl Evidence {
    pub fn new(intake: Intake, now: DateTime<Utc>) -> Self {
        Self {
            intake,
            now,
            asked: Vec::new(),
            answers: Vec::new(),
        }
    }

    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// The queries the intake alone allows, all independent of each other. Empty when the
    /// intake names neither a key nor a customer.
    pub fn initial_queries(&mut self) -> Vec<Query> {
        let queries = query::initial(&self.intake, self.now);
        self.ask(queries)
    }

    /// Records an answer and returns the queries it makes possible (the customer of a key,
    /// the route of the path the gateway logged), each handed out once.
    pub fn record(&mut self, answer: Answer) -> Vec<Query> {
        let follow_ups = query::follow_ups(&self.intake, &answer);
        self.answers.push(answer);
        self.ask(follow_ups)
    }

    /// Whether the key is known not to exist (a 404 from an API proven to be the right one).
    pub fn key_absent(&self) -> bool {
        Standing::of(&self.answers).key_absent
    }

    /// Every fact the answers so far establish, each citing its call.
    pub fn facts(&self) -> Facts {
        map::facts(&self.intake, &self.answers, self.now)
    }

    /// What the answers leave open, for the agent: a path no route matches, an account the
    /// admin API does not know, an audit trail too long to read to its start.
    /// A 404 counts as "no such key" only when health answered in the same gather; otherwise
    /// the key's status (and what hangs on it) is "admin API misconfigured". Once the key is
    /// known not to exist, queries about it are not applicable and leave no gap.
    pub fn gaps(&self) -> Vec<(&'static str, String)> {
        let standing = Standing::of(&self.answers);
        let mut out = Vec::new();
        for answer in &self.answers {
            match answer {
                Answer::Key(Cited { answer: None, from }) if !standing.proven => {
                    out.push(("key status", misconfigured(from)));
                }
                Answer::Endpoint(Cited { answer: None, from }) => {
                    out.push(("endpoint scopes", format!("no route matches ({from})")));
                }
                Answer::Customer(Cited { answer: None, from }) if !standing.proven => {
                    out.push(("account status", misconfigured(from)));
                }
                Answer::Customer(Cited { answer: None, from }) => {
                    out.push(("account status", format!("no such customer ({from})")));
                }
                Answer::Absent { .. } if standing.key_absent => {}
                Answer::Absent { query, from } if !standing.proven => {
                    out.push((query.label(), misconfigured(from)));
                }
                Answer::Absent { query, from } => {
                    out.push((
                        query.label(),
                        format!("404 Not Found, though the key was not shown missing ({from})"),
                    ));
                }
                Answer::AuditEvents(c) if c.answer.truncated => out.push((
                    "audit events",
                    format!(
                        "only the newest {} events were read ({})",
                        c.answer.scanned, c.from
                    ),
                )),
                _ => {}
            }
        }
        out
    }

    fn ask(&mut self, queries: Vec<Query>) -> Vec<Query> {
        let fresh: Vec<Query> = queries
            .into_iter()
            .filter(|q| !self.asked.contains(q))
            .collect();
        self.asked.extend(fresh.iter().cloned());
        fresh
    }
}
