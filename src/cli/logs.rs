//! `authdesk logs FILE...`.

use super::Exit;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Log files; `-` or none reads standard input.
    pub files: Vec<PathBuf>,
}

pub fn run(_args: LogsArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("logs is not implemented yet")
}
