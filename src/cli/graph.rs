//! `authdesk graph RUNBOOK --format mermaid|dot`.

use super::{Exit, catalog};
use crate::config::Config;
use crate::runbook::graph::{Format, render};
use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: Format,
}

pub fn run(args: GraphArgs, config: &Config) -> Result<Exit> {
    let rb = catalog::runbook(&args.runbook, config)?;
    print!("{}", render(&rb, args.format));
    Ok(Exit::Ok)
}
