//! Gathering a case's evidence: every query the intake allows runs at once, each answer may
//! start follow-ups, and each finished query is reported as one [`GatherMsg`].

use super::client::{AdminClient, AdminError, Call};
use crate::evidence::api::{self, AuditEvent, RequestLog};
use crate::evidence::{
    Answer, AuditDigest, Cited, Evidence, FailureDigest, Intake, Provenance, Query, Scope,
};
use crate::facts::Facts;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

/// Items asked per page of a list.
pub const PAGE_SIZE: u32 = 200;
/// Pages read of one list at most: the newest 5,000 events or failures are plenty to decide,
/// and a key with a million of them costs no more than this.
pub const MAX_PAGES: u32 = 25;

/// What happened to one query. The TUI's update function takes these one by one.
#[derive(Debug)]
pub enum GatherMsg {
    /// A query answered. `facts` is every fact the evidence establishes so far (derived facts
    /// such as `ip.allowed` appear once both their answers are in); add it with
    /// `Walk::add_facts`.
    Loaded {
        query: Query,
        facts: Facts,
        elapsed: Duration,
        /// The key is known not to exist (see `Evidence::key_absent`).
        key_absent: bool,
    },
    /// A query failed; the checks needing its facts stay questions. Record it with
    /// `Walk::record_unavailable(FactSource::AdminApi, query.label(), &error.to_string(), now)`.
    Failed {
        query: Query,
        error: AdminError,
        elapsed: Duration,
    },
    /// Every query has answered or failed. `gaps` are answers that leave something open (a
    /// path no route matches, an audit trail cut short), worth showing like failures.
    Finished { gaps: Vec<(&'static str, String)> },
}

/// Runs every query for `intake`, sending one message per finished query and then
/// `Finished`. Stops early if the receiver is gone.
pub async fn gather(
    client: Arc<AdminClient>,
    intake: Intake,
    now: DateTime<Utc>,
    tx: UnboundedSender<GatherMsg>,
) {
    let mut evidence = Evidence::new(intake, now);
    let mut running = JoinSet::new();
    let mut asked = HashMap::new();
    for q in evidence.initial_queries() {
        start(&client, &mut running, &mut asked, q);
    }
    while let Some(joined) = running.join_next_with_id().await {
        let msg = match joined {
            Ok((_, (query, Ok(answer), elapsed))) => {
                for q in evidence.record(answer) {
                    start(&client, &mut running, &mut asked, q);
                }
                GatherMsg::Loaded {
                    query,
                    facts: evidence.facts(),
                    elapsed,
                    key_absent: evidence.key_absent(),
                }
            }
            Ok((_, (query, Err(error), elapsed))) => GatherMsg::Failed {
                query,
                error,
                elapsed,
            },
            // A query task only ends this way if it panicked: report it like any failure.
            Err(e) => match asked.get(&e.id()) {
                Some(query) => GatherMsg::Failed {
                    query: query.clone(),
                    error: AdminError::Setup(format!("the query crashed: {e}")),
                    elapsed: Duration::ZERO,
                },
                None => continue,
            },
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
    let _ = tx.send(GatherMsg::Finished {
        gaps: evidence.gaps(),
    });
}

type Finished = (Query, Result<Answer, AdminError>, Duration);

/// Starts one query as a task, remembering which task asks what.
fn start(
    client: &Arc<AdminClient>,
    running: &mut JoinSet<Finished>,
    asked: &mut HashMap<tokio::task::Id, Query>,
    query: Query,
) {
    let client = client.clone();
    let q = query.clone();
    let handle = running.spawn(async move {
        let started = Instant::now();
        let result = run(&client, &q).await;
        (q, result, started.elapsed())
    });
    asked.insert(handle.id(), query);
}

/// Starts [`gather`] on the current tokio runtime, for front ends that must not block.
pub fn spawn_gather(
    client: Arc<AdminClient>,
    intake: Intake,
    now: DateTime<Utc>,
    tx: UnboundedSender<GatherMsg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(gather(client, intake, now, tx))
}

/// Asks one query and turns its answer into an [`Answer`]. A 404 on a query about the key is
/// an answer too; the evidence decides what it means with the others.
async fn run(client: &AdminClient, query: &Query) -> Result<Answer, AdminError> {
    match ask(client, query).await {
        Err(AdminError::NotFound { from })
            if matches!(
                query,
                Query::Usage { .. } | Query::AuditEvents { .. } | Query::RequestLogs { .. }
            ) =>
        {
            Ok(Answer::Absent {
                query: query.clone(),
                from,
            })
        }
        other => other,
    }
}

async fn ask(client: &AdminClient, query: &Query) -> Result<Answer, AdminError> {
    match query {
        Query::Key { key_id } => {
            let path = format!("v1/keys/{}", segment(key_id)?);
            Ok(Answer::Key(optional(client.get(&path, &[]).await)?))
        }
        Query::Customer { customer_id } => {
            let path = format!("v1/customers/{}", segment(customer_id)?);
            Ok(Answer::Customer(optional(client.get(&path, &[]).await)?))
        }
        Query::Usage { key_id } => {
            let path = format!("v1/keys/{}/usage", segment(key_id)?);
            let call: Call<api::Usage> = client.get(&path, &[]).await?;
            Ok(Answer::Usage(Cited {
                answer: call.body,
                from: call.from,
            }))
        }
        Query::Endpoint { method, path } => {
            let query = [("method", method.clone()), ("path", path.clone())];
            let answer = optional(client.get("v1/endpoints/resolve", &query).await)?;
            Ok(Answer::Endpoint(answer))
        }
        Query::Health { scope } => {
            let call: Call<api::Health> = client.get("v1/health", &scoped(scope, vec![])).await?;
            Ok(Answer::Health(Cited {
                answer: call.body,
                from: call.from,
            }))
        }
        Query::FailureSummary { scope, window_s } => {
            let query = scoped(scope, vec![("window", window_s.to_string())]);
            let call: Call<api::FailureSummary> =
                client.get("v1/auth-failures/summary", &query).await?;
            Ok(Answer::FailureSummary(Cited {
                answer: call.body,
                from: call.from,
            }))
        }
        Query::AuditEvents { key_id, since } => {
            let path = format!("v1/keys/{}/audit-events", segment(key_id)?);
            let mut pages =
                client.pages::<AuditEvent>(&path, vec![("since", rfc3339(*since))], PAGE_SIZE);
            let mut digest = AuditDigest::default();
            let from = read_pages(&mut pages, |items| digest.add_page(&items)).await?;
            digest.truncated = pages.has_more();
            Ok(Answer::AuditEvents(Cited {
                answer: digest,
                from,
            }))
        }
        Query::RequestLogs { key_id, since } => {
            let path = format!("v1/keys/{}/request-logs", segment(key_id)?);
            let query = vec![("status", "4xx".to_string()), ("since", rfc3339(*since))];
            let mut pages = client.pages::<RequestLog>(&path, query, PAGE_SIZE);
            let mut digest = FailureDigest::default();
            let from = read_pages(&mut pages, |items| digest.add_page(&items)).await?;
            digest.truncated = pages.has_more();
            Ok(Answer::RequestLogs(Cited {
                answer: digest,
                from,
            }))
        }
    }
}

/// Feeds pages to `digest` until the list ends or [`MAX_PAGES`] have been read.
async fn read_pages<T: DeserializeOwned>(
    pages: &mut super::pages::Pages<'_, T>,
    mut digest: impl FnMut(Vec<T>),
) -> Result<Provenance, AdminError> {
    while pages.fetched() < MAX_PAGES {
        match pages.next().await? {
            Some(items) => digest(items),
            None => break,
        }
    }
    // At least one page was read, or `next` returned an error above.
    pages.provenance().ok_or(AdminError::Dropped)
}

/// A 404 is an answer ("no such key"), not a failure.
fn optional<T>(result: Result<Call<T>, AdminError>) -> Result<Cited<Option<T>>, AdminError> {
    match result {
        Ok(call) => Ok(Cited {
            answer: Some(call.body),
            from: call.from,
        }),
        Err(AdminError::NotFound { from }) => Ok(Cited { answer: None, from }),
        Err(e) => Err(e),
    }
}

fn scoped(scope: &Scope, mut query: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    if let Some(k) = &scope.key_id {
        query.push(("key_id", k.clone()));
    }
    if let Some(c) = &scope.customer_id {
        query.push(("customer_id", c.clone()));
    }
    query
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Percent-encodes an id for one path segment, after refusing what no encoding makes safe
/// (`..` resolves even as `%2E%2E`): an id restored from an old session skipped intake.
fn segment(id: &str) -> Result<String, AdminError> {
    crate::evidence::check_id(id).map_err(|e| AdminError::BadId(e.to_string()))?;
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(segment("key_live_42").unwrap(), "key_live_42");
        assert_eq!(segment("key ü").unwrap(), "key%20%C3%BC");
        for bad in ["..", ".", "../admin?x=1", "a/b", ""] {
            assert!(matches!(segment(bad), Err(AdminError::BadId(_))), "{bad}");
        }
    }
}
