//! The demo server's record of the requests it received, so tests (and anyone watching a demo)
//! read what the client did, such as whether it retried, from the server's side rather than
//! guessing it from how long a call took.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

/// The newest requests kept: a long-running `authdesk demo-api` must not grow without bound.
const KEPT: usize = 4096;

/// One request as the server received it, before any fault was injected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub at: Instant,
    pub method: String,
    /// The path and query, e.g. `/v1/keys/key_revoked`.
    pub target: String,
    /// The client's `X-Request-Id`, the same on each retry of one call.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Record(Arc<Mutex<VecDeque<Received>>>);

impl Record {
    pub(super) fn snapshot(&self) -> Vec<Received> {
        // A panic while holding the lock leaves the list itself intact: keep reading it.
        let list = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        list.iter().cloned().collect()
    }

    fn push(&self, received: Received) {
        let mut list = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if list.len() == KEPT {
            list.pop_front();
        }
        list.push_back(received);
    }
}

/// Middleware, outermost: notes every request before faults or routes see it.
pub(super) async fn remember(State(record): State<Record>, req: Request, next: Next) -> Response {
    record.push(Received {
        at: Instant::now(),
        method: req.method().to_string(),
        target: req
            .uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_string(), |p| p.to_string()),
        request_id: req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    next.run(req).await
}
