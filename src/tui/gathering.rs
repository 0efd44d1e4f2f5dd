//! Asking the admin API for a case's evidence without ever blocking the screen: one connection
//! per run (to the configured API, or to the built-in demo API started in-process), one
//! gathering task per round of queries, and every finished query forwarded as a message.

use super::msg::Msg;
use crate::admin::demo::DemoData;
use crate::admin::{Connection, GatherMsg, spawn_gather};
use crate::config::AdminConfig;
use crate::evidence::{Evidence, Intake, QueryKind};
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
    source: Source,
    opened: Arc<OnceCell<Result<Opened, String>>>,
}

/// Where the answers come from; the training ones carry why their data could not be built.
enum Source {
    /// The configured admin API, or the built-in demo API when none is configured.
    Configured,
    /// A training scenario's data set, served by a demo API of its own.
    Scenario(Result<DemoData, String>),
    /// A training scenario's facts frozen from a real case: no API to ask.
    Frozen(Result<Facts, String>),
}

impl Link {
    pub fn new(config: AdminConfig) -> Self {
        Link {
            config,
            source: Source::Configured,
            opened: Arc::new(OnceCell::new()),
        }
    }

    /// A link to a demo API serving a training scenario's data (started on first use).
    pub fn serving(config: AdminConfig, data: Result<DemoData, String>) -> Self {
        Link {
            source: Source::Scenario(data),
            ..Link::new(config)
        }
    }

    /// A link that answers every round with a training scenario's frozen facts.
    pub fn frozen(config: AdminConfig, facts: Result<Facts, String>) -> Self {
        Link {
            source: Source::Frozen(facts),
            ..Link::new(config)
        }
    }

    /// Runs the queries for `intake` as round `generation`, reporting to `tx`.
    pub fn fetch(&self, generation: u64, intake: Facts, tx: UnboundedSender<Msg>) {
        let scenario = match &self.source {
            Source::Frozen(facts) => return answer_frozen(generation, facts, &tx),
            Source::Scenario(data) => Some(data.clone()),
            Source::Configured => None,
        };
        let (opened, config) = (self.opened.clone(), self.config.clone());
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

/// Frozen facts arrive as one answered query, the way a demo API's would.
fn answer_frozen(generation: u64, facts: &Result<Facts, String>, tx: &UnboundedSender<Msg>) {
    let facts = match facts {
        Ok(facts) => facts.clone(),
        Err(reason) => {
            let reason = reason.clone();
            let _ = tx.send(Msg::EvidenceOffline { generation, reason });
            return;
        }
    };
    let _ = tx.send(Msg::EvidenceStarted {
        generation,
        queries: vec![QueryKind::Key],
        demo: true,
    });
    let _ = tx.send(Msg::EvidenceLoaded {
        generation,
        query: QueryKind::Key,
        facts,
        elapsed: std::time::Duration::ZERO,
        key_absent: false,
    });
    let _ = tx.send(Msg::EvidenceFinished {
        generation,
        gaps: Vec::new(),
    });
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
