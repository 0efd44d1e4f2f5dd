//! The terminal app's commands: `authdesk` (home), `authdesk walk RUNBOOK`, `authdesk resume`.
//! They gather runbooks, keys and colours before the terminal is taken, so a bad config file
//! is reported as plain text, not inside a half-drawn screen.

use super::{Exit, catalog};
use crate::config::Config;
use crate::session::Session;
use crate::tui::app::{self, Setup, Start};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use anyhow::{Context, Result, bail};
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct WalkArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    /// Fill an intake field, e.g. `--input key_id=key_live_42`.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = super::run::pair)]
    pub inputs: Vec<(String, String)>,
}

#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    /// The session to resume; the most recent unfinished one when left out.
    pub id: Option<String>,
}

pub fn home(config: &Config) -> Result<Exit> {
    launch(config, |_| Ok(Start::Home))
}

pub fn walk(args: WalkArgs, config: &Config) -> Result<Exit> {
    launch(config, |_| {
        let runbook = catalog::runbook(&args.runbook, config)?;
        Ok(Start::Walk {
            runbook: Box::new(runbook),
            inputs: args.inputs,
        })
    })
}

pub fn resume(args: ResumeArgs, config: &Config) -> Result<Exit> {
    launch(config, |config| {
        let session = Session::load(&config.data_dir.value, args.id.as_deref())?;
        Ok(Start::Resume(Box::new(session)))
    })
}

fn launch(config: &Config, start: impl FnOnce(&Config) -> Result<Start>) -> Result<Exit> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the terminal app needs a terminal; in scripts use `authdesk run`");
    }
    let from = config
        .file
        .as_ref()
        .map_or_else(String::new, |f| format!(" in {}", f.display()));
    let keys =
        Keymap::with_user(config.tui.keys.as_ref()).with_context(|| format!("keys{from}"))?;
    // NO_COLOR: any non-empty value turns colour off (https://no-color.org).
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::load(&config.tui.theme.value, &config.tui.colors, no_color)
        .with_context(|| format!("colours{from}"))?;
    let catalog = catalog::load(config)?;
    let start = start(config)?;
    let _log = crate::tui::log::init(&config.data_dir.value).with_context(|| {
        format!(
            "cannot write logs in {}",
            config.data_dir.value.join("logs").display()
        )
    })?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "terminal app starting");
    app::run(Setup {
        runbooks: catalog.runbooks,
        runbook_problems: catalog
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect(),
        keys,
        theme,
        agent: config.agent.value.clone(),
        data_dir: config.data_dir.value.clone(),
        tickets_dir: config.tickets_dir.value.clone(),
        admin: config.admin.clone(),
        start,
    })?;
    Ok(Exit::Ok)
}
