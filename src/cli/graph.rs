//! `authdesk graph RUNBOOK --format mermaid|dot [--stats]`.

use super::{Exit, catalog};
use crate::config::Config;
use crate::runbook::graph;
use crate::stats::EdgeCounts;
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
    /// Label each edge with how many saved cases took it (this runbook version's only).
    #[arg(long)]
    pub stats: bool,
}

pub fn run(args: GraphArgs, config: &Config) -> Result<Exit> {
    let rb = catalog::runbook(&args.runbook, config)?;
    if !args.stats {
        let text = match args.format {
            Format::Mermaid => graph::mermaid(&rb),
            Format::Dot => graph::dot(&rb),
        };
        super::emit(text.as_bytes())?;
        return Ok(Exit::Ok);
    }
    let counts = EdgeCounts::of(&super::stats::load_cases(config)?, &rb.id, &rb.version);
    // On stderr, so the picture on stdout stays a valid diagram.
    eprintln!(
        "authdesk: {} cases on {} version {}",
        counts.cases,
        crate::escape::line(&rb.id),
        crate::escape::line(&rb.version)
    );
    let count = |from: &str, to: &str, label: &str| counts.get(from, to, label);
    let text = match args.format {
        Format::Mermaid => graph::mermaid_counted(&rb, &count),
        Format::Dot => graph::dot_counted(&rb, &count),
    };
    super::emit(text.as_bytes())?;
    Ok(Exit::Ok)
}
