//! The built-in demo admin API: the contract of `assets/admin-api.yaml` served by axum from a
//! data set, with injectable latency and faults. `authdesk demo-api` runs it on its own, and
//! [`crate::admin::gather_blocking`] starts it in-process on an ephemeral loopback port when no
//! admin API is configured.
//!
//! Health and the failure summary describe cells (regions) when the query names a key or a
//! customer: the data set's cells `eu-3` (validation down), `us-2` (slow) and `ap-1` (several
//! customers failing) let demo keys reach the platform-wide escalations honestly.

mod data;
mod faults;
pub mod overlay;
mod record;
mod routes;

pub use data::{DataError, DemoData, DemoKey, relative_time};
pub use faults::{Fault, FaultKind, RETRY_AFTER_S, SLOW_ANSWER};
pub use record::Received;

use faults::{FaultState, FaultyListener};
use record::Record;
use routes::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How the demo server behaves.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Added to every answer.
    pub latency: Duration,
    pub fault: Option<Fault>,
    /// The admin token callers must present; `None` accepts any bearer token.
    pub token: Option<String>,
}

/// A running demo server; dropping it stops the server.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
    record: Record,
}

impl DemoServer {
    /// Binds `addr` (port 0 for an ephemeral one) and serves `data` on the current runtime.
    pub async fn start(
        addr: SocketAddr,
        data: DemoData,
        options: DemoOptions,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let drop_rate = match options.fault {
            Some(Fault {
                kind: FaultKind::DropConnection,
                rate,
            }) => rate,
            _ => 0.0,
        };
        let record = Record::default();
        let app = routes::router(Arc::new(AppState {
            data,
            token: options.token,
        }))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(FaultState {
                latency: options.latency,
                fault: options.fault,
            }),
            faults::inject,
        ))
        .layer(axum::middleware::from_fn_with_state(
            record.clone(),
            record::remember,
        ));
        let listener = FaultyListener {
            inner: listener,
            drop_rate,
        };
        let task = tokio::spawn(async move {
            // Serving only ends when the task is aborted; an I/O error on the listener is
            // retried inside axum.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, task, record })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far (the newest few thousand), oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.record.snapshot()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
