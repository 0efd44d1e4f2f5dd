//! Sending tickets (edge): reads each target's credential, sends the request `crate::send`
//! builds, and keeps a record per ticket and target in `<data>/sent/`, owner-only, so a
//! second send comments or reports "already filed" and a failed one waits as pending.

pub mod credential;
mod records;
pub mod wire;

pub use credential::{Credential, CredentialError};
pub use records::{Records, RecordsError};

use crate::config::Tracker;
use crate::send::{Plan, Purpose, Record, Rejection, Remote, Request, State, interpret};
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// A `Retry-After` longer than this is not waited for: the send is left pending instead.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// How many times a rate-limited send waits and tries again before it is left pending.
const RATE_LIMIT_TRIES: u32 = 3;

/// What came of one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Filed, commented or resolved now.
    Done {
        what: &'static str,
        remote: Option<Remote>,
    },
    /// Filed before; nothing new sent.
    AlreadyFiled(Remote),
    /// Nothing to send (a PagerDuty target below its severity).
    Skipped(String),
    /// Not sent; the record is pending. `retry` says whether trying again unchanged may help.
    NotSent { error: String, retry: bool },
}

impl Sent {
    /// One line for people.
    pub fn describe(&self, target: &str) -> String {
        match self {
            Sent::Done {
                what,
                remote: Some(r),
            } => format!("{what} at {target}: {}", r.show()),
            Sent::Done { what, remote: None } => format!("{what} at {target}"),
            Sent::AlreadyFiled(r) => format!("already filed at {target}: {}", r.show()),
            Sent::Skipped(why) => format!("not sent to {target}: {why}"),
            Sent::NotSent { error, retry } => format!(
                "not sent to {target}: {error}{}",
                if *retry {
                    "\n  the ticket is pending: `authdesk send --pending` tries again"
                } else {
                    ""
                }
            ),
        }
    }
}

/// What a send needs besides the ticket.
pub struct Courier<'a> {
    pub client: &'a reqwest::Client,
    pub records: &'a Records,
    pub now: &'a (dyn Fn() -> DateTime<Utc> + Sync),
}

/// Runs a record read or write on the blocking pool: the files are small, but a slow or
/// network disk must not hold the thread the terminal app's other work runs on.
async fn off_runtime<T: Send + 'static>(
    io: impl FnOnce() -> Result<T, RecordsError> + Send + 'static,
) -> Result<T, RecordsError> {
    tokio::task::spawn_blocking(io)
        .await
        .unwrap_or_else(|e| Err(RecordsError::Interrupted(e.to_string())))
}

impl Courier<'_> {
    /// Sends `ticket` to `tracker` (or resolves its page, with `resolve`), records what came
    /// of it and says so.
    pub async fn send(
        &self,
        ticket: &Ticket,
        tracker: &Tracker,
        credential: &Credential,
        resolve: bool,
    ) -> Result<Sent, RecordsError> {
        let target = &tracker.target;
        let records = self.records.clone();
        let (id, name) = (ticket.id.clone(), target.name.clone());
        let mut record = off_runtime(move || records.load(&id, &name))
            .await?
            .unwrap_or_else(|| Record::new(&ticket.id, &target.name, target.kind.name()));
        let before = record.remote.clone();
        let request = match (resolve, &record.state, &before) {
            (_, State::Resolved, Some(r)) => return Ok(Sent::AlreadyFiled(r.clone())),
            (true, _, Some(_)) => match crate::send::resolve(ticket, target) {
                Some(req) => req,
                None => return Ok(Sent::Skipped("only PagerDuty pages are resolved".into())),
            },
            (true, _, None) => {
                return Ok(Sent::Skipped(
                    "nothing was paged for this ticket yet".into(),
                ));
            }
            // A send that went through is not repeated by `--pending`-style retries of
            // something else: a second send comments where the kind can.
            (false, _, _) => match crate::send::plan(ticket, target, before.as_ref()) {
                Plan::Send(r) => r,
                Plan::AlreadyFiled(r) => return Ok(Sent::AlreadyFiled(r)),
                Plan::Skip(why) => return Ok(Sent::Skipped(why)),
            },
        };
        let outcome = self.attempt(tracker, &request, credential).await;
        let now = (self.now)();
        let sent = match outcome {
            Ok(filed) => {
                let remote = filed.map(|f| Remote {
                    id: f.id,
                    url: f.url,
                    at: now,
                });
                let what = match request.purpose {
                    Purpose::Create => "filed",
                    Purpose::Comment => "commented",
                    Purpose::Resolve => "resolved",
                };
                record.succeeded(remote, what, now);
                Sent::Done {
                    what,
                    remote: record.remote.clone(),
                }
            }
            Err((error, retry, wait)) => {
                let not_before = wait
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .map(|d| now + d);
                record.failed(&error, not_before, now);
                Sent::NotSent { error, retry }
            }
        };
        let records = self.records.clone();
        off_runtime(move || records.save(&record)).await?;
        Ok(sent)
    }

    /// One request, waited and repeated while the target rate-limits with a short
    /// `Retry-After`. `Err` holds the message, whether a retry may help, and how long to wait.
    async fn attempt(
        &self,
        tracker: &Tracker,
        request: &Request,
        credential: &Credential,
    ) -> Result<Option<crate::send::Filed>, (String, bool, Option<Duration>)> {
        let mut tries = 0;
        loop {
            tries += 1;
            let answer = match wire::deliver(self.client, request, credential).await {
                Ok(a) => a,
                Err(e) => {
                    let msg = format!("{} is {e}", tracker.target.name);
                    return Err((msg, true, None));
                }
            };
            let read = interpret(
                &tracker.target,
                request.purpose,
                answer.status,
                &answer.headers,
                &answer.body,
                (self.now)(),
            );
            match read {
                Ok(filed) => return Ok(filed),
                Err(Rejection::RateLimited {
                    retry_after: Some(d),
                    ..
                }) if d <= MAX_WAIT && tries < RATE_LIMIT_TRIES => {
                    tokio::time::sleep(d).await;
                }
                Err(rejection) => {
                    let wait = match &rejection {
                        Rejection::RateLimited { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let retry = rejection.transient();
                    return Err((credential.scrub(&rejection.to_string()), retry, wait));
                }
            }
        }
    }
}
