//! The admin API: the HTTP client, the built-in demo server, and gathering a case's evidence.
//! This is an edge: it does I/O on tokio and hands facts to the pure core ([`crate::evidence`]
//! decides what to ask and what the answers mean).
//!
//! Two ways in:
//!
//! - Scripted mode blocks: [`gather_blocking`] runs every query concurrently and returns the
//!   facts and what was unavailable, then the walk runs.
//! - The TUI must never block: open a [`Connection`] once on its runtime, then for each case
//!   call [`spawn_gather`] with an unbounded mpsc sender. Each finished query arrives as one
//!   [`GatherMsg`] (`Loaded` with every fact known so far, `Failed` with a typed
//!   [`AdminError`], then `Finished`), which the update function applies with
//!   `Walk::add_facts` / `Walk::record_unavailable`.
//!
//! ```no_run
//! # async fn tui(config: &authdesk::config::AdminConfig, intake: &authdesk::facts::Facts) {
//! use authdesk::admin::{Connection, GatherMsg, spawn_gather};
//! use authdesk::evidence::Intake;
//! let conn = Connection::open(config).await.expect("shown to the agent instead");
//! let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
//! spawn_gather(conn.client(), Intake::from_facts(intake), chrono::Utc::now(), tx);
//! while let Some(msg) = rx.recv().await {
//!     // In the TUI: update(&mut state, Msg::Evidence(msg)).
//!     if matches!(msg, GatherMsg::Finished { .. }) { break; }
//! }
//! # }
//! ```
//!
//! When no admin URL is configured, [`Connection::open`] starts the demo API in-process on an
//! ephemeral loopback port with a random admin token, and talks to it through the same client.

mod client;
pub mod demo;
mod gather;
mod pages;
mod redirect;
mod retry;
mod token;

pub use client::{AdminClient, AdminError, Call, Limits, USER_AGENT};
pub use gather::{GatherMsg, MAX_PAGES, PAGE_SIZE, gather, spawn_gather};
pub use pages::Pages;
pub use redirect::{MAX_REDIRECTS, RedirectStop};
pub use retry::{MAX_RETRY_AFTER, MAX_TRIES};
pub use token::{AdminToken, TokenError};

use crate::config::AdminConfig;
use crate::evidence::Intake;
use crate::facts::Facts;
use chrono::{DateTime, Utc};
use demo::{DemoData, DemoOptions, DemoServer};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Evidence gathered for one case.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Facts mapped from the admin API's answers, each citing its request id.
    pub facts: Facts,
    /// What could not be fetched and why: ("key status", "timed out after 5 s").
    pub unavailable: Vec<(String, String)>,
    /// Whether the answers came from the built-in demo API.
    pub demo: bool,
    /// How long each query took, for the benchmark and the log: (what, time, answered).
    pub timings: Vec<(&'static str, Duration, bool)>,
    /// How long gathering took from the first query to the last answer.
    pub wall: Duration,
}

/// Delays every answer of the in-process demo API by this many milliseconds, to see the app
/// with a slow admin API (the end-to-end tests use 3000). Ignored when an admin URL is set.
pub const DEMO_LATENCY_VAR: &str = "AUTHDESK_DEMO_LATENCY_MS";

/// A client for the configured admin API, or for the demo API it started.
#[derive(Debug)]
pub struct Connection {
    client: Arc<AdminClient>,
    /// Kept so the in-process demo server lives as long as the connection.
    demo: Option<DemoServer>,
}

impl Connection {
    /// Connects as `config` says, reading the admin token from the process environment.
    pub async fn open(config: &AdminConfig) -> Result<Self, AdminError> {
        Self::open_with_env(config, &|name| std::env::var(name).ok()).await
    }

    pub async fn open_with_env(
        config: &AdminConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, AdminError> {
        let connect = Duration::from_millis(config.connect_timeout_ms.value);
        let request = Duration::from_millis(config.request_timeout_ms.value);
        let limits = Limits {
            max_body_bytes: config.max_body_bytes.value,
            allow_insecure_http: config.allow_insecure_http.value,
        };
        if let Some(url) = config.checked_url()? {
            let token =
                AdminToken::load(config, env).map_err(|e| AdminError::Token(e.to_string()))?;
            let client = AdminClient::with_limits(url.expose(), token, connect, request, limits)?;
            return Ok(Self {
                client: Arc::new(client),
                demo: None,
            });
        }
        let data = DemoData::built_in(Utc::now()).map_err(|e| AdminError::Demo(e.to_string()))?;
        let latency = env(DEMO_LATENCY_VAR)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(Duration::ZERO, Duration::from_millis);
        Self::open_demo(data, latency, connect, request, limits).await
    }

    /// Starts a demo API on `data` on an ephemeral loopback port, with a random admin token,
    /// and a client for it.
    async fn open_demo(
        data: DemoData,
        latency: Duration,
        connect: Duration,
        request: Duration,
        limits: Limits,
    ) -> Result<Self, AdminError> {
        let token = AdminToken::random();
        let options = DemoOptions {
            token: Some(token.expose_for_demo()),
            latency,
            ..DemoOptions::default()
        };
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let server = DemoServer::start(loopback, data, options)
            .await
            .map_err(|e| AdminError::Demo(e.to_string()))?;
        // The demo's delay must not turn every answer into a timeout.
        let client =
            AdminClient::with_limits(&server.url(), token, connect, request + latency, limits)?;
        Ok(Self {
            client: Arc::new(client),
            demo: Some(server),
        })
    }

    /// Starts a demo API serving `data` (a training scenario's data set) on loopback, with
    /// `config`'s timeouts and limits, and a client for it.
    pub async fn serving(config: &AdminConfig, data: DemoData) -> Result<Self, AdminError> {
        let connect = Duration::from_millis(config.connect_timeout_ms.value);
        let request = Duration::from_millis(config.request_timeout_ms.value);
        let limits = Limits {
            max_body_bytes: config.max_body_bytes.value,
            allow_insecure_http: config.allow_insecure_http.value,
        };
        Self::open_demo(data, Duration::ZERO, connect, request, limits).await
    }

    /// A connection to an admin API already running (a test's or the benchmark's demo server).
    pub fn to(client: AdminClient) -> Self {
        Self {
            client: Arc::new(client),
            demo: None,
        }
    }

    pub fn client(&self) -> Arc<AdminClient> {
        self.client.clone()
    }

    /// Whether the answers come from the built-in demo API.
    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// Runs every query for the case and collects the outcome.
    pub async fn gather_all(&self, intake: &Facts, now: DateTime<Utc>) -> Gathered {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let started = Instant::now();
        let task = spawn_gather(self.client(), Intake::from_facts(intake), now, tx);
        let mut out = Gathered {
            demo: self.is_demo(),
            ..Gathered::default()
        };
        while let Some(msg) = rx.recv().await {
            match msg {
                GatherMsg::Loaded {
                    query,
                    facts,
                    elapsed,
                    ..
                } => {
                    out.facts = facts;
                    out.timings.push((query.label(), elapsed, true));
                }
                GatherMsg::Failed {
                    query,
                    error,
                    elapsed,
                } => {
                    out.unavailable
                        .push((query.label().to_string(), error.to_string()));
                    out.timings.push((query.label(), elapsed, false));
                }
                GatherMsg::Finished { gaps } => {
                    let gaps = gaps.into_iter().map(|(w, r)| (w.to_string(), r));
                    out.unavailable.extend(gaps);
                }
            }
        }
        out.wall = started.elapsed();
        // The channel closes when the task ends; a panic in it was already reported per query.
        let _ = task.await;
        out
    }
}

/// Gathers the evidence for a case from the configured admin API, or from the built-in demo
/// API when none is configured. Blocks until every query has answered or failed; never fails
/// as a whole: what could not be had is listed in `unavailable`.
pub fn gather_blocking(config: &AdminConfig, intake: &Facts, now: DateTime<Utc>) -> Gathered {
    let demo = config.url.value.is_none();
    block_on_gather(intake, demo, now, Connection::open(config))
}

/// Gathers the evidence for a case from a demo API serving `data` (a training scenario's data
/// set), started on loopback for this call only. Like [`gather_blocking`], it never fails as a
/// whole.
pub fn gather_demo_blocking(
    config: &AdminConfig,
    data: DemoData,
    intake: &Facts,
    now: DateTime<Utc>,
) -> Gathered {
    block_on_gather(intake, true, now, Connection::serving(config, data))
}

/// Runs `open` and then every query on a runtime of its own, for callers without one; `demo`
/// says whose data a failure to connect stands for.
fn block_on_gather<E: std::fmt::Display>(
    intake: &Facts,
    demo: bool,
    now: DateTime<Utc>,
    open: impl std::future::Future<Output = Result<Connection, E>>,
) -> Gathered {
    let asks = Intake::from_facts(intake);
    if asks.key_id.is_none() && asks.customer_id.is_none() {
        return Gathered::default();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => return unavailable(demo, format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async {
        match open.await {
            Ok(conn) => conn.gather_all(intake, now).await,
            Err(e) => unavailable(demo, e.to_string()),
        }
    })
}

fn unavailable(demo: bool, reason: String) -> Gathered {
    Gathered {
        unavailable: vec![("admin API".into(), reason)],
        demo,
        ..Gathered::default()
    }
}
