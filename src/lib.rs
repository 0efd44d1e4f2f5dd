//! authdesk walks API-support agents through the decision trees for HTTP 401 and 403 errors,
//! gathers evidence, and writes escalation tickets.
//!
//! The core (`facts`, `secret`, `escape`, `runbook`, `walk`, `evidence`, `ticket`, `diagnose`)
//! is pure and synchronous. `admin`, `tui`, `plain` and `cli` are the edges that do I/O and call into
//! it.

pub mod admin;
pub mod cli;
pub mod config;
pub mod diagnose;
pub mod digest;
pub mod escape;
pub mod evidence;
pub mod facts;
pub mod intake;
pub mod plain;
pub mod runbook;
pub mod secret;
pub mod session;
pub mod store;
pub mod ticket;
pub mod tui;
pub mod walk;
