//! The command line: argument definitions and the commands behind them.
//!
//! Each subcommand lives in its own module and returns an [`Exit`]; only this layer prints
//! errors for people and picks exit codes.

mod inspect;
mod logs;

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
    /// Inspect a pasted request, JWT or error response.
    #[command(subcommand)]
    Inspect(inspect::InspectCommand),
    /// Triage access logs: failure rates, top keys, IPs and paths, spikes.
    Logs(logs::LogsArgs),
}

/// Parses the command line, runs the command, and turns its result into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Inspect(cmd)) => inspect::run(cmd),
        Some(Command::Logs(args)) => logs::run(args),
        None => {
            eprintln!("authdesk: no command given; see `authdesk --help`");
            Ok(Exit::Usage)
        }
    };
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("authdesk: {err:#}");
            Exit::Usage.into()
        }
    }
}
