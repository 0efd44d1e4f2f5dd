//! The terminal app's commands: `authdesk` (home), `authdesk walk RUNBOOK`, `authdesk resume`.
//! They gather runbooks, keys and colours, and take the lock of a resumed case, before the
//! terminal is taken, so a bad config file or a case open elsewhere is reported as plain text,
//! not inside a half-drawn screen.

use super::{Exit, catalog};
use crate::config::Config;
use crate::session::{CaseLock, Session};
use crate::tui::app::{self, Setup, Start};
use crate::tui::keymap::Keymap;
use crate::tui::msg::Signal;
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
    /// The id of the session to resume (as listed on the home screen, e.g.
    /// 20261122-100000-abcd); the most recent unfinished one when left out.
    pub id: Option<String>,
}

pub fn home(config: &Config) -> Result<Exit> {
    launch(config, |_| Ok((Start::Home, None)))
}

pub fn walk(args: WalkArgs, config: &Config) -> Result<Exit> {
    launch(config, |_| {
        let runbook = catalog::runbook(&args.runbook, config)?;
        let start = Start::Walk {
            runbook: Box::new(runbook),
            inputs: args.inputs,
        };
        Ok((start, None))
    })
}

pub fn resume(args: ResumeArgs, config: &Config) -> Result<Exit> {
    launch(config, |config| {
        let data = &config.data_dir.value;
        let id = Session::load(data, args.id.as_deref())?.id;
        let lock = CaseLock::acquire(data, &id)?;
        // Read again now that it is ours: the other authdesk may have saved in between.
        let session = Session::load(data, Some(&id))?;
        Ok((Start::Resume(Box::new(session)), Some(lock)))
    })
}

/// What to show first, and the lock of the case it opens.
type Opening = (Start, Option<CaseLock>);

fn launch(config: &Config, start: impl FnOnce(&Config) -> Result<Opening>) -> Result<Exit> {
    // Before the terminal check: a case that cannot be opened says so even without one.
    let (start, case_lock) = start(config)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the terminal app needs a terminal; in scripts use `authdesk run`");
    }
    let removed = crate::session::clean_temp_files(&config.data_dir.value);
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
    let catalog = catalog::load(config);
    let _log = crate::tui::log::init(&config.data_dir.value).with_context(|| {
        format!(
            "cannot write logs in {}",
            config.data_dir.value.join("logs").display()
        )
    })?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "terminal app starting");
    if removed > 0 {
        tracing::info!(
            removed,
            "removed temporary files left by an interrupted save"
        );
    }
    let left = app::run(Setup {
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
        case_lock,
    })?;
    // The terminal is restored by now: this line stays in the shell's scrollback.
    if let Some(farewell) = &left.farewell {
        println!("{farewell}");
    }
    Ok(match left.signal {
        Some(Signal::Term) => Exit::Terminated,
        Some(Signal::Hup) => Exit::HungUp,
        None => Exit::Ok,
    })
}
