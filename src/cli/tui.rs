//! The terminal app's commands: `authdesk` (home), `authdesk walk RUNBOOK`, `authdesk resume`.
//! They gather runbooks, keys and colours, and take the lock of a resumed case, before the
//! terminal is taken, so a bad config file or a case open elsewhere is reported as plain text,
//! not inside a half-drawn screen.

use super::{Exit, catalog};
use crate::config::Config;
use crate::plain::Ended;
use crate::session::{CaseLock, Session};
use crate::tui::app::{self, Setup, Start};
use crate::tui::keymap::Keymap;
use crate::tui::msg::Signal;
use crate::tui::theme::Theme;
use crate::tui::training::TrainingSetup;
use anyhow::{Context, Result, bail};
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct WalkArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    /// Fill an intake field, e.g. `--input key_id=key_live_42`.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = super::run::pair)]
    pub inputs: Vec<(String, String)>,
    /// Walk as plain lines read from stdin (screen readers, dumb terminals); also chosen by
    /// `TERM=dumb` or `[tui] plain = true`.
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    /// The id of the session to resume (as listed on the home screen, e.g.
    /// 20261122-100000-abcd); the most recent unfinished one when left out.
    pub id: Option<String>,
    /// Continue as plain lines read from stdin, as `walk --plain` does.
    #[arg(long)]
    pub plain: bool,
}

pub fn home(config: &Config) -> Result<Exit> {
    launch(config, false, |_| Ok((Start::Home, None)))
}

pub fn walk(args: WalkArgs, config: &Config) -> Result<Exit> {
    launch(config, args.plain, |_| {
        let runbook = catalog::runbook(&args.runbook, config)?;
        let start = Start::Walk {
            runbook: Box::new(runbook),
            inputs: args.inputs,
        };
        Ok((start, None))
    })
}

pub fn resume(args: ResumeArgs, config: &Config) -> Result<Exit> {
    launch(config, args.plain, |config| {
        let data = &config.data_dir.value;
        let id = Session::load(data, args.id.as_deref())?.id;
        let lock = CaseLock::acquire(data, &id)?;
        // Read again now that it is ours: the other authdesk may have saved in between.
        let session = Session::load(data, Some(&id))?;
        Ok((Start::Resume(Box::new(session)), Some(lock)))
    })
}

/// The terminal app in training mode, on scenarios and a trainee gathered by `train`.
pub fn train(setup: TrainingSetup, config: &Config) -> Result<Exit> {
    launch(config, false, |_| {
        Ok((Start::Training(Box::new(setup)), None))
    })
}

/// What to show first, and the lock of the case it opens.
type Opening = (Start, Option<CaseLock>);

fn launch(
    config: &Config,
    plain: bool,
    start: impl FnOnce(&Config) -> Result<Opening>,
) -> Result<Exit> {
    // Before the terminal check: a case that cannot be opened says so even without one.
    let (start, case_lock) = start(config)?;
    let plain =
        plain || config.tui.plain.value || std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if plain && matches!(start, Start::Training(_)) {
        bail!(
            "training has no plain mode; take a scenario with `authdesk train take SCENARIO \
             --answer NODE=CHOICE`"
        );
    }
    if plain && matches!(start, Start::Home) {
        // Home is a screen of lists to browse: it has no plain form, and a dumb terminal
        // would show it as garbage.
        bail!(
            "plain mode has no home screen; start with `authdesk walk RUNBOOK --plain` or \
             `authdesk resume [ID] --plain`"
        );
    }
    if !plain && (!std::io::stdout().is_terminal() || !std::io::stdin().is_terminal()) {
        bail!(
            "the terminal app needs a terminal; use `--plain` to walk as lines, or `authdesk run` in scripts"
        );
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
    let setup = Setup {
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
        gateway: config.gateway.value.clone(),
        trackers: config.trackers.value.clone(),
        start,
        case_lock,
    };
    if plain {
        // Like `run`: a walk left before its ticket is a case still needing answers.
        return Ok(match crate::plain::run(setup)? {
            Ended::Ticket | Ended::Left => Exit::Ok,
            Ended::InputEnded => Exit::NeedsAnswer,
        });
    }
    let left = app::run(setup)?;
    // The terminal is restored by now: this line stays in the shell's scrollback.
    if let Some(farewell) = &left.farewell {
        println!("{farewell}");
    }
    Ok(match left.signal {
        Some(Signal::Term) => Exit::Terminated,
        Some(Signal::Hup) => Exit::HungUp,
        // In the full-screen app Ctrl-C is a key (raw mode), never a signal.
        Some(Signal::Int) | None => Exit::Ok,
    })
}
