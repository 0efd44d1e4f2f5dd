//! `authdesk demo-api`: serves the admin-API contract from the demo data set, with optional
//! latency and faults, until interrupted.

use super::Exit;
use crate::admin::demo::{DemoData, DemoOptions, DemoServer, Fault, FaultKind};
use anyhow::{Context, Result, bail};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct DemoApiArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8700")]
    pub addr: SocketAddr,
    /// A data set (JSON, as assets/demo/dataset.json) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// A fault to inject.
    #[arg(long, value_enum, value_name = "KIND")]
    pub fault: Option<FaultKind>,
    /// The share of requests (0 to 1) the fault hits; of new connections for drop-connection.
    #[arg(long, value_name = "P", default_value_t = 1.0, requires = "fault")]
    pub fault_rate: f64,
}

pub fn run(args: DemoApiArgs) -> Result<Exit> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        bail!(
            "--fault-rate must be between 0 and 1, not {}",
            args.fault_rate
        );
    }
    let now = chrono::Utc::now();
    let data = match &args.data {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            DemoData::parse(&text, now).with_context(|| path.display().to_string())?
        }
        None => DemoData::built_in(now)?,
    };
    // The same variable the client reads: set it to make the demo check the token.
    let token = std::env::var("AUTHDESK_ADMIN_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    let options = DemoOptions {
        latency: Duration::from_millis(args.latency_ms),
        fault: args.fault.map(|kind| Fault {
            kind,
            rate: args.fault_rate,
        }),
        token: token.map(|t| t.trim().to_string()),
    };
    let checks_token = options.token.is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = DemoServer::start(args.addr, data, options)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        // Scripts wait for this line to know the port.
        println!("demo admin API listening on {}", server.url());
        eprintln!(
            "{}; point authdesk at it with AUTHDESK_ADMIN_URL={}. Ctrl-C stops it.",
            if checks_token {
                "admin token required: the value of $AUTHDESK_ADMIN_TOKEN"
            } else {
                "any bearer token accepted (set $AUTHDESK_ADMIN_TOKEN to require one)"
            },
            server.url()
        );
        if let Some(f) = args.fault {
            eprintln!(
                "injecting {} into {:.0}% of requests",
                f.name(),
                args.fault_rate * 100.0
            );
        }
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")?;
        drop(server);
        Ok(Exit::Ok)
    })
}
