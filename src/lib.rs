//! authdesk walks API-support agents through the decision trees for HTTP 401 and 403 errors,
//! gathers evidence, and writes escalation tickets.
//!
//! The crate is a pure core with edges around it. The core decides: it is synchronous, reads
//! no file, clock or environment, starts no thread and knows no terminal or network; the time
//! comes in as a `now` argument and text comes in already read. The edges do the I/O and call
//! into the core, never the other way round. `tests/core_is_pure.rs` holds the line.

// The core.
// Reading pasted requests, tokens, responses and access logs.
pub mod diagnose;
// Short content digests (runbook sources, key fingerprints, ticket ids).
pub mod digest;
// Escaping outside text for the terminal, Markdown and JSON.
pub mod escape;
// Which admin queries a case needs, and what their answers mean.
pub mod evidence;
// The fact schema and a case's facts.
pub mod facts;
// A case's intake values, typed and with secrets masked or redacted.
pub mod intake;
// Runbooks: model, loader (from text), linter, conditions, graph drawing.
pub mod runbook;
// Secrets as masks and fingerprints.
pub mod secret;
// Sending tickets to trackers and on-call: requests built, answers read.
pub mod send;
// Figures across saved cases: outcomes, paths, questions, time per node.
pub mod stats;
// Training: scenarios, their checks, scoring an attempt, a class's report.
pub mod training;
// Tickets from a finished walk, as Markdown and JSON.
pub mod ticket;
// The walk: a state machine over one runbook.
pub mod walk;

#[cfg(test)]
mod testing;

// The edges.
// The admin API client and the demo server (tokio, reqwest, axum).
pub mod admin;
// The commands.
pub mod cli;
// Configuration from `authdesk.toml` and the environment.
pub mod config;
// Every saved case read back (tickets and sessions), for the figures.
pub mod saved;
// Sending tickets: credentials, HTTP and send records.
pub mod outbox;
// A case in progress, saved to disk after every step.
pub mod session;
// Atomic, owner-only writes of case files, tickets among them.
pub mod store;
// The plain, line-by-line front end for screen readers and dumb terminals.
pub mod plain;
// Access-log triage from files and stdin, on worker threads.
pub mod triage;
// The terminal app.
pub mod tui;
