//! Asking the admin API for a case's evidence without ever blocking the screen: one connection
//! per run (to the configured API, or to the built-in demo API started in-process), one
//! gathering task per round of queries, and every finished query forwarded as a message.

use super::msg::Msg;
use crate::admin::demo::DemoData;
use crate::admin::{Connection, GatherMsg, spawn_gather};
use crate::config::AdminConfig;
use crate::evidence::{Evidence, Intake};
use crate::facts::Facts;
use chrono::Utc;
use std::sync::Arc;
use tokio::sync::OnceCell;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

struct Opened {
    connection: Connection,
    demo: bool,
}

/// The app's way to the admin API, opened on first use.
pub struct Link {
    config: AdminConfig,
    /// A training scenario's data set, served by a demo API of its own instead of the
    /// configured one; or why the data set could not be built.
    scenario: Option<Result<DemoData, String>>,
    opened: Arc<OnceCell<Result<Opened, String>>>,
}

impl Link {
    pub fn new(config: AdminConfig) -> Self {
        Link {
            config,
            scenario: None,
            opened: Arc::new(OnceCell::new()),
        }
    }

    /// A link to a demo API serving a training scenario's data (started on first use).
    pub fn serving(config: AdminConfig, data: Result<DemoData, String>) -> Self {
        Link {
            scenario: Some(data),
            ..Link::new(config)
        }
    }

    /// Runs the queries for `intake` as round `generation`, reporting to `tx`.
    pub fn fetch(&self, generation: u64, intake: Facts, tx: UnboundedSender<Msg>) {
        let (opened, config) = (self.opened.clone(), self.config.clone());
        let scenario = self.scenario.clone();
        tokio::spawn(async move {
            let opened = match opened.get_or_init(|| open_off_loop(config, scenario)).await {
                Ok(opened) => opened,
                Err(reason) => {
                    let reason = format!("admin API unreachable: {reason}");
                    let _ = tx.send(Msg::EvidenceOffline { generation, reason });
                    return;
                }
            };
            let now = Utc::now();
            let asks = Intake::from_facts(&intake);
            // The queries asked first; follow-ups (the key's customer, usage) join as they come.
            let queries = Evidence::new(asks.clone(), now)
                .initial_queries()
                .iter()
                .map(|q| q.kind())
                .collect();
            let _ = tx.send(Msg::EvidenceStarted {
                generation,
                queries,
                demo: opened.demo,
            });
            let (gathered, mut answers) = unbounded_channel();
            spawn_gather(opened.connection.client(), asks, now, gathered);
            while let Some(answer) = answers.recv().await {
                if tx.send(message(generation, answer)).is_err() {
                    return;
                }
            }
        });
    }
}

fn message(generation: u64, answer: GatherMsg) -> Msg {
    match answer {
        GatherMsg::Loaded {
            query,
            facts,
            elapsed,
            key_absent,
        } => Msg::EvidenceLoaded {
            generation,
            query: query.kind(),
            facts,
            elapsed,
            key_absent,
        },
        GatherMsg::Failed { query, error, .. } => Msg::EvidenceFailed {
            generation,
            query: query.kind(),
            error,
        },
        GatherMsg::Finished { gaps } => Msg::EvidenceFinished {
            generation,
            gaps: gaps.into_iter().map(|(w, r)| (w.to_string(), r)).collect(),
        },
    }
}

/// Opens the link on a blocking thread: `Connection::open` borrows the environment reader,
/// so its future cannot move between the runtime's threads. The demo server it may start
/// still runs on the app's runtime, whose handle `block_on` uses.
async fn open_off_loop(
    config: AdminConfig,
    scenario: Option<Result<DemoData, String>>,
) -> Result<Opened, String> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(open(config, scenario)))
        .await
        .unwrap_or_else(|e| Err(format!("opening the admin API crashed: {e}")))
}

async fn open(
    config: AdminConfig,
    scenario: Option<Result<DemoData, String>>,
) -> Result<Opened, String> {
    let connection = match scenario {
        None => Connection::open(&config).await,
        Some(data) => Connection::serving(&config, data?).await,
    }
    .map_err(|e| e.to_string())?;
    Ok(Opened {
        demo: connection.is_demo(),
        connection,
    })
}
