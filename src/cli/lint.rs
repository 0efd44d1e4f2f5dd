//! `authdesk lint [PATH...]`: every problem in the runbooks, each with file, line and column.

use super::{Exit, catalog};
use crate::config::Config;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Runbook files or folders; none lints the configured and built-in runbooks.
    pub paths: Vec<PathBuf>,
}

pub fn run(args: LintArgs, config: &Config) -> Result<Exit> {
    let catalog = if args.paths.is_empty() {
        catalog::load(config)
    } else {
        catalog::load_paths(&args.paths)
    };
    for d in &catalog.diagnostics {
        println!("{d}");
    }
    for w in &catalog.warnings {
        println!(
            "{}:{}:{}: warning: {}",
            w.path.display(),
            w.line,
            w.column,
            w.message
        );
    }
    if catalog.diagnostics.is_empty() {
        let ids: Vec<&str> = catalog.runbooks.iter().map(|r| r.id.as_str()).collect();
        eprintln!("{} runbook(s) clean: {}", ids.len(), ids.join(", "));
        if !catalog.warnings.is_empty() {
            eprintln!("{} warning(s)", catalog.warnings.len());
        }
        Ok(Exit::Ok)
    } else {
        eprintln!("{} problem(s) found", catalog.diagnostics.len());
        Ok(Exit::Problems)
    }
}
