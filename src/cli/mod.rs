//! The command line: argument definitions and the commands behind them.
//!
//! Each subcommand lives in its own module and returns an [`Exit`]; only this layer prints
//! errors for people and picks exit codes.

mod catalog;
mod completions;
mod demo_api;
mod graph;
mod inspect;
mod lint;
mod logs;
mod run;
mod send;
mod stats;
mod train;
mod tui;

use crate::config::{Config, GatewayConfig};
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
    /// `send` did not get the ticket through; it is pending (`send --pending` retries).
    NotSent = 4,
    /// `run` ended in an escalation and wrote its ticket.
    Escalated = 10,
    /// The terminal app left on SIGHUP (128 + 1, as shells report it).
    HungUp = 129,
    /// The terminal app left on SIGTERM (128 + 15), after saving the case.
    Terminated = 143,
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
    /// Show the effective configuration and where each value came from, and check the
    /// terminal app's theme, colours and keys.
    Config(ConfigArgs),
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
    /// Send a saved ticket to a tracker, help desk or on-call (`[[tracker]]` in authdesk.toml).
    Send(send::SendArgs),
    /// Figures over saved tickets and open cases: outcomes, paths, undecided checks, times.
    Stats(stats::StatsArgs),
    /// Training: the terminal app in training mode (no subcommand), or take scenarios,
    /// check them, report on a class.
    Train(train::TrainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (or write every page into a folder with --dir).
    Man(completions::ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// Print the built-in keys and themes as an authdesk.toml to copy from, and nothing else.
    #[arg(long)]
    pub defaults: bool,
}

/// Parses the command line, runs the command, and turns its result into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        // These read only what they are given: a broken configuration cannot stop them.
        Some(Command::Inspect(cmd)) => inspect::run(cmd, &gateway_for(cli.config.as_deref())),
        Some(Command::Logs(args)) => logs::run(args),
        Some(Command::DemoApi(args)) => demo_api::run(args),
        Some(Command::Completions(args)) => completions::completions(args),
        Some(Command::Man(args)) => completions::man(args),
        command => match config_for(&command, cli.config.as_deref()) {
            Some(config) => with_config(command, &config),
            None => return Exit::Usage.into(),
        },
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

/// The configuration a command runs with, or `None` (after saying why) when it cannot run.
/// Runbook tools fall back to the built-in runbooks rather than stop on a broken file.
fn config_for(command: &Option<Command>, explicit: Option<&std::path::Path>) -> Option<Config> {
    let env = |name: &str| std::env::var(name).ok();
    match Config::load(explicit, &env) {
        Ok(config) => Some(config),
        Err(err) if matches!(command, Some(Command::Lint(_) | Command::Graph(_))) => {
            eprintln!("authdesk: configuration ignored, built-in runbooks only: {err}");
            Some(Config::defaults(&env))
        }
        Err(err) => {
            eprintln!("authdesk: {err}");
            None
        }
    }
}

/// The gateway settings `inspect` judges a paste by: those of the configuration, or the
/// defaults (after saying why) when the configuration is broken, so a paste can still be read.
fn gateway_for(explicit: Option<&std::path::Path>) -> GatewayConfig {
    let env = |name: &str| std::env::var(name).ok();
    match Config::load(explicit, &env) {
        Ok(config) => config.gateway.value,
        Err(err) => {
            eprintln!("authdesk: configuration ignored, default gateway settings: {err}");
            GatewayConfig::default()
        }
    }
}

fn with_config(command: Option<Command>, config: &Config) -> anyhow::Result<Exit> {
    match command {
        Some(Command::Run(args)) => run::run(args, config),
        Some(Command::Lint(args)) => lint::run(args, config),
        Some(Command::Graph(args)) => graph::run(args, config),
        Some(Command::Config(args)) if args.defaults => {
            print!("{}", defaults_toml());
            Ok(Exit::Ok)
        }
        Some(Command::Config(_)) => show_config(config),
        Some(Command::Walk(args)) => tui::walk(args, config),
        Some(Command::Resume(args)) => tui::resume(args, config),
        Some(Command::Stats(args)) => stats::run(args, config),
        Some(Command::Train(args)) => train::run(args, config),
        Some(Command::Send(args)) => send::run(args, config),
        None => tui::home(config),
        // Invariant: `main` runs these before any configuration is loaded.
        Some(
            Command::Inspect(_)
            | Command::Logs(_)
            | Command::DemoApi(_)
            | Command::Completions(_)
            | Command::Man(_),
        ) => {
            unreachable!("commands without configuration are run by `main`")
        }
    }
}

/// Writes a command's output to stdout. A reader that stops early (`| head`) is not an error:
/// the output was wanted only that far.
fn emit(text: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
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
    // The app checks these only when it starts; here every problem is listed at once.
    let mut problems: Vec<String> =
        crate::tui::theme::Theme::check(&config.tui.theme.value, &config.tui.colors)
            .iter()
            .map(ToString::to_string)
            .collect();
    if let Some(keys) = &config.tui.keys {
        problems.extend(
            crate::tui::keymap::Keymap::problems(keys)
                .iter()
                .map(ToString::to_string),
        );
    }
    if problems.is_empty() {
        return Ok(Exit::Ok);
    }
    let file = config.file.as_ref().map_or_else(
        || "the configuration".to_string(),
        |f| f.display().to_string(),
    );
    eprintln!("authdesk: {} problem(s) in {file}:", problems.len());
    for p in &problems {
        eprintln!("  {p}");
    }
    eprintln!("`authdesk config --defaults` prints the built-in keys and themes.");
    Ok(Exit::Usage)
}

/// The built-in keys and themes, written as the sections of authdesk.toml that override them.
fn defaults_toml() -> String {
    use crate::tui::{keymap, theme};
    let mut out = String::from(
        "# authdesk's built-in terminal-app settings. Copy the parts to change into\n\
         # authdesk.toml (`authdesk config` shows which file is read).\n\n[tui]\ntheme = \"dark\"\n\n",
    );
    for line in keymap::DEFAULTS.lines() {
        // The keymap's sections are contexts; in authdesk.toml they sit under [tui.keys].
        match line.strip_prefix('[') {
            Some(rest) => out.push_str(&format!("[tui.keys.{rest}\n")),
            None => out.push_str(&format!("{line}\n")),
        }
    }
    out.push_str("\n# The dark theme's colours (the default).\n[tui.colors]\n");
    out.push_str(theme::DARK);
    out.push_str("\n# The light theme's colours (theme = \"light\"), for reference.\n");
    for line in theme::LIGHT.lines() {
        let sep = if line.starts_with('#') { "" } else { "# " };
        out.push_str(&format!("{sep}{line}\n"));
    }
    out
}
