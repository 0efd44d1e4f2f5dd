//! `authdesk graph RUNBOOK --format mermaid|dot [--stats]`.

use super::{Exit, catalog};
use crate::config::Config;
use crate::runbook::graph::{Format, render, render_counted};
use crate::stats::EdgeCounts;
use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: Format,
    /// Label each edge with how many saved cases took it (this runbook version's only).
    #[arg(long)]
    pub stats: bool,
}

pub fn run(args: GraphArgs, config: &Config) -> Result<Exit> {
    let rb = catalog::runbook(&args.runbook, config)?;
    if !args.stats {
        super::emit(render(&rb, args.format).as_bytes())?;
        return Ok(Exit::Ok);
    }
    let counts = EdgeCounts::of(&super::stats::load_cases(config), &rb.id, &rb.version);
    // On stderr, so the picture on stdout stays a valid diagram.
    eprintln!(
        "authdesk: {} cases on {} version {}",
        counts.cases,
        crate::escape::line(&rb.id),
        crate::escape::line(&rb.version)
    );
    let count = |from: &str, to: &str, label: &str| counts.get(from, to, label);
    super::emit(render_counted(&rb, args.format, &count).as_bytes())?;
    Ok(Exit::Ok)
}
