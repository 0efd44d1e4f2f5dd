//! The admin API: the HTTP client, the built-in demo server, and gathering a case's evidence.
//! This is an edge: it does I/O on tokio and hands facts to the pure core.

use crate::config::AdminConfig;
use crate::facts::Facts;
use chrono::{DateTime, Utc};

/// Evidence gathered for one case.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Facts mapped from the admin API's answers, each citing its request id.
    pub facts: Facts,
    /// What could not be fetched and why: ("key status", "timed out after 5 s").
    pub unavailable: Vec<(String, String)>,
    /// Whether the answers came from the built-in demo API.
    pub demo: bool,
}

/// Gathers the evidence for a case from the configured admin API, or from the built-in demo
/// API when none is configured. Blocks until every query has answered or failed.
pub fn gather_blocking(_config: &AdminConfig, _intake: &Facts, _now: DateTime<Utc>) -> Gathered {
    Gathered {
        unavailable: vec![(
            "admin API".into(),
            "the admin API client is not built yet".into(),
        )],
        ..Gathered::default()
    }
}
