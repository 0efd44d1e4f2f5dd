//! The command line: argument definitions and the commands behind them.
//!
//! Each subcommand lives in its own module and returns an [`Exit`]; only this layer prints
//! errors for people and picks exit codes.

mod catalog;
mod demo_api;
mod graph;
mod inspect;
mod lint;
mod logs;
mod run;
mod tui;

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, documented in the README; scripts rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command ran; for `run`, the case was resolved.
    Ok = 0,
    /// `lint` found problems.
    Problems = 1,
    /// Bad usage or unreadable input.
    Usage = 2,
    /// `run` needs an answer it was not given.
    NeedsAnswer = 3,
    /// `run` ended in an escalation and wrote its ticket.
    Escalated = 10,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

#[derive(Debug, Parser)]
#[command(name = "authdesk", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file to use instead of the platform's authdesk.toml.
    #[arg(long, global = true, env = "AUTHDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk a runbook without a terminal and write its ticket (for scripts).
    Run(run::RunArgs),
    /// Check runbooks for problems; each is reported with file, line and column.
    Lint(lint::LintArgs),
    /// Draw a runbook as a Mermaid or Graphviz picture.
    Graph(graph::GraphArgs),
    /// Show the effective configuration and where each value came from.
    Config,
    /// Inspect a pasted request, JWT or error response.
    #[command(subcommand)]
    Inspect(inspect::InspectCommand),
    /// Triage access logs: failure rates, top keys, IPs and paths, spikes.
    Logs(logs::LogsArgs),
    /// Serve the admin-API contract from demo data, with optional latency and faults.
    DemoApi(demo_api::DemoApiArgs),
    /// Walk a runbook in the terminal app, starting at its intake form.
    Walk(tui::WalkArgs),
    /// Bring back an unfinished case in the terminal app (the latest when no id is given).
    Resume(tui::ResumeArgs),
}

/// Parses the command line, runs the command, and turns its result into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = |name: &str| std::env::var(name).ok();
    let config = match Config::load(cli.config.as_deref(), &env) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("authdesk: {err}");
            return Exit::Usage.into();
        }
    };
    let result = match cli.command {
        Some(Command::Run(args)) => run::run(args, &config),
        Some(Command::Lint(args)) => lint::run(args, &config),
        Some(Command::Graph(args)) => graph::run(args, &config),
        Some(Command::Config) => show_config(&config),
        Some(Command::Inspect(cmd)) => inspect::run(cmd, &config.gateway.value),
        Some(Command::Logs(args)) => logs::run(args),
        Some(Command::DemoApi(args)) => demo_api::run(args),
        Some(Command::Walk(args)) => tui::walk(args, &config),
        Some(Command::Resume(args)) => tui::resume(args, &config),
        None => tui::home(&config),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            // Errors quote input (a paste's line, an admin API's message); lint's keep their
            // source excerpts on several lines.
            eprintln!("authdesk: {}", crate::escape::lines(&format!("{err:#}")));
            Exit::Usage.into()
        }
    }
}

fn show_config(config: &Config) -> anyhow::Result<Exit> {
    match &config.file {
        Some(path) => println!("# config file: {}", path.display()),
        None => println!("# no config file (using defaults and environment)"),
    }
    let entries = config.entries();
    let width = entries.iter().map(|(k, _, _)| k.len()).max().unwrap_or(0);
    for (key, value, origin) in entries {
        println!("{key:<width$} = {value:<40} # from {origin}");
    }
    Ok(Exit::Ok)
}
