//! The evidence of a case as the screen tracks it: which admin-API queries are in flight,
//! answered or failed, and the facts received. The facts themselves go into the walk, which
//! decides what they mean; this only remembers what to show.

use super::state::Load;
use crate::evidence::QueryKind;
use crate::facts::Facts;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Whether an admin API can be asked at all.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// Nothing asked yet: no customer or key given.
    NotStarted,
    /// Queries requested; the runtime has not said yet which ones run.
    Asking,
    /// Queries were started; `demo` when the built-in demo API answers them.
    Live { demo: bool },
    /// No admin API could be reached; why, for people.
    Offline(String),
}

#[derive(Debug, Clone)]
pub struct Evidence {
    /// Bumped for each new round of queries; answers to an older round are ignored.
    pub generation: u64,
    pub connection: Connection,
    /// Each query of the round with its state; `Loaded` holds how long it took.
    pub queries: Vec<(QueryKind, Load<Duration>)>,
    /// The key is known not to exist: queries about its history do not apply.
    pub key_absent: bool,
    /// Answers that left something open (an audit trail cut short), as (what, why).
    pub gaps: Vec<(String, String)>,
    /// Facts received in this round, kept for a walk that has not started yet.
    pub facts: Facts,
    /// Failures received in this round, as (query, reason), for the same reason.
    pub failures: Vec<(String, String)>,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            generation: 0,
            connection: Connection::NotStarted,
            queries: Vec::new(),
            gaps: Vec::new(),
            facts: Facts::new(),
            failures: Vec::new(),
            key_absent: false,
        }
    }
}

impl Evidence {
    /// Starts a new round, forgetting the old one's progress.
    pub fn restart(&mut self) -> u64 {
        self.generation += 1;
        self.connection = Connection::Asking;
        self.queries.clear();
        self.gaps.clear();
        self.facts = Facts::new();
        self.failures.clear();
        self.key_absent = false;
        self.generation
    }

    pub fn started(&mut self, queries: Vec<QueryKind>, demo: bool, now: DateTime<Utc>) {
        self.connection = Connection::Live { demo };
        self.queries = queries
            .into_iter()
            .map(|q| (q, Load::Loading { since: now }))
            .collect();
    }

    pub fn set(&mut self, query: QueryKind, load: Load<Duration>) {
        match self.queries.iter_mut().find(|(q, _)| *q == query) {
            Some((_, l)) => *l = load,
            None => self.queries.push((query, load)),
        }
    }

    /// Whether `query` does not apply to this case (its key does not exist).
    pub fn not_applicable(&self, query: QueryKind) -> bool {
        self.key_absent && query.needs_existing_key()
    }

    /// How many queries of this round failed, out of how many.
    pub fn failed(&self) -> (usize, usize) {
        let failed = self
            .queries
            .iter()
            .filter(|(_, l)| matches!(l, Load::Failed(_)))
            .count();
        (failed, self.queries.len())
    }

    pub fn in_flight(&self) -> bool {
        self.queries
            .iter()
            .any(|(_, l)| matches!(l, Load::Loading { .. }))
    }
}
