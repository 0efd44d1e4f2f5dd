//! `authdesk graph RUNBOOK --format mermaid|dot`.

use super::{Exit, catalog};
use crate::config::Config;
use crate::runbook::graph;
use anyhow::Result;

/// How to draw the runbook; a command-line choice, so it lives here and not in the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Mermaid,
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: Format,
}

pub fn run(args: GraphArgs, config: &Config) -> Result<Exit> {
    let rb = catalog::runbook(&args.runbook, config)?;
    print!(
        "{}",
        match args.format {
            Format::Mermaid => graph::mermaid(&rb),
            Format::Dot => graph::dot(&rb),
        }
    );
    Ok(Exit::Ok)
}
