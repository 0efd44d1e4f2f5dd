//! Logs go to `data_dir/logs/authdesk.log`, never to the screen the app draws on.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;

/// Starts logging to the data folder; the guard flushes the file when dropped. `AUTHDESK_LOG`
/// sets the filter (`info` by default, e.g. `authdesk=debug`).
pub fn init(data_dir: &Path) -> std::io::Result<WorkerGuard> {
    let dir = data_dir.join("logs");
    crate::store::private_dir(&dir)?;
    // Opened here rather than by tracing-appender, which creates files readable by all.
    let file = crate::store::private_append(&dir.join("authdesk.log"))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("AUTHDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second start in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    Ok(guard)
}
