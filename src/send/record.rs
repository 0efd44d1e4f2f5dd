//! What happened to a ticket at one target: the remote issue it became and every attempt.
//! Saved beside the case by the edge (`crate::outbox`), so a second send never files twice
//! and a send that did not go through is retried later rather than lost.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a target filed: its id (issue number, key, incident dedup key) and where people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remote {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub at: DateTime<Utc>,
}

impl Remote {
    /// The URL, or the id where the target gives no page (a PagerDuty event).
    pub fn show(&self) -> &str {
        self.url.as_deref().unwrap_or(&self.id)
    }
}

/// Where a ticket stands at a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Filed; later sends comment on it or report it.
    Sent,
    /// The last attempt did not go through; `authdesk send --pending` tries again.
    Pending {
        last_error: String,
        attempts: u32,
        /// Do not try before this (a `Retry-After`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        not_before: Option<DateTime<Utc>>,
    },
    /// A page that a later send resolved.
    Resolved,
}

/// One ticket at one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub ticket: String,
    pub target: String,
    pub kind: String,
    /// What the target filed, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<Remote>,
    #[serde(flatten)]
    pub state: State,
    /// Every attempt, oldest first: when, and what came of it.
    pub log: Vec<(DateTime<Utc>, String)>,
}

impl Record {
    pub fn new(ticket: &str, target: &str, kind: &str) -> Self {
        Record {
            ticket: ticket.into(),
            target: target.into(),
            kind: kind.into(),
            remote: None,
            state: State::Pending {
                last_error: "not tried yet".into(),
                attempts: 0,
                not_before: None,
            },
            log: Vec::new(),
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self.state, State::Pending { .. })
    }

    /// A success: the remote is kept from the first filing on.
    pub fn succeeded(&mut self, remote: Option<Remote>, what: &str, now: DateTime<Utc>) {
        if self.remote.is_none() {
            self.remote = remote;
        }
        self.state = if what == "resolved" {
            State::Resolved
        } else {
            State::Sent
        };
        self.log.push((now, what.into()));
    }

    /// A failure: pending, with the reason and when to try again.
    pub fn failed(&mut self, error: &str, not_before: Option<DateTime<Utc>>, now: DateTime<Utc>) {
        let attempts = match &self.state {
            State::Pending { attempts, .. } => attempts + 1,
            _ => 1,
        };
        self.state = State::Pending {
            last_error: error.into(),
            attempts,
            not_before,
        };
        self.log.push((now, format!("not sent: {error}")));
    }
}
