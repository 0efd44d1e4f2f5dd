//! The running app: owns the terminal, turns events into messages, runs the update, carries
//! out its effects, and draws. Draws happen after each batch of messages, never while
//! waiting for anything.

use super::effects::Runner;
use super::keymap::Keymap;
use super::msg::{Effect, Msg};
use super::state::{Clock, Load, Screen, State};
use super::theme::Theme;
use super::{terminal, update, view};
use crate::config::AdminConfig;
use crate::runbook::Runbook;
use crate::session::Session;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often spinners move while something is loading.
const TICK: Duration = Duration::from_millis(100);

/// What to show first.
pub enum Start {
    Home,
    /// A new case on this runbook, with intake values from the command line.
    Walk {
        runbook: Box<Runbook>,
        inputs: Vec<(String, String)>,
    },
    Resume(Box<Session>),
    /// Training mode (`authdesk train`): the trainee's name, then the scenario picker.
    Training(Box<super::training::TrainingSetup>),
}

/// Everything the app needs, gathered by the command line before the terminal is taken.
pub struct Setup {
    pub runbooks: Vec<Runbook>,
    pub runbook_problems: Vec<String>,
    pub keys: Keymap,
    pub theme: Theme,
    pub agent: String,
    pub data_dir: PathBuf,
    pub tickets_dir: PathBuf,
    pub admin: AdminConfig,
    pub gateway: crate::config::GatewayConfig,
    /// Where `send` on the outcome screen can file the ticket.
    pub trackers: Vec<crate::config::Tracker>,
    pub start: Start,
    /// The lock of the case `start` resumes, taken before the terminal was.
    pub case_lock: Option<crate::session::CaseLock>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("{0}")]
    Start(String),
}

/// How the app left: the line for the shell, and the signal that ended it, if one did.
#[derive(Debug)]
pub struct Left {
    pub farewell: Option<String>,
    pub signal: Option<super::msg::Signal>,
}

pub fn run(setup: Setup) -> Result<Left, AppError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(event_loop(setup))
}

async fn event_loop(setup: Setup) -> Result<Left, AppError> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut state = State::new(setup.runbooks, setup.keys, &setup.agent, Clock::System);
    state.gateway = setup.gateway;
    state.runbook_problems = setup.runbook_problems;
    state.admin_label = match &setup.admin.url.value {
        Some(url) => url.to_string(),
        None => "demo API".to_string(),
    };
    state.demo = setup.admin.url.value.is_none();
    state.trackers = setup
        .trackers
        .iter()
        .map(|t| t.target.name.clone())
        .collect();
    let mut effects = start(&mut state, setup.start)?;

    let mut terminal = terminal::enter()?;
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    let paused = Arc::new(AtomicBool::new(false));
    terminal::spawn_input(tx.clone(), paused.clone());
    terminal::spawn_signals(tx.clone())?;
    let mut runner = Runner::new(
        tx,
        setup.data_dir,
        setup.tickets_dir,
        setup.admin,
        paused,
        setup.case_lock,
        setup.trackers,
    );
    let theme = setup.theme;
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let outcome = loop {
        for effect in effects.drain(..) {
            runner.run(effect, &mut terminal);
        }
        if state.quit {
            break Ok(());
        }
        if let Err(e) = terminal.draw(|f| view::draw(f, &state, &theme)) {
            break Err(AppError::Terminal(e));
        }
        tokio::select! {
            msg = rx.recv() => {
                let Some(msg) = msg else { break Ok(()) };
                effects = update(&mut state, msg);
                // Take whatever else is waiting before drawing again: a burst of keys or
                // answers costs one frame, not one each.
                while let Ok(msg) = rx.try_recv() {
                    effects.extend(update(&mut state, msg));
                    if state.quit {
                        break;
                    }
                }
            }
            _ = ticks.tick(), if animating(&state) => {
                effects = update(&mut state, Msg::Tick);
            }
        }
    };
    terminal::leave();
    outcome.map(|()| Left {
        farewell: super::farewell::line_for(&state),
        signal: state.signal,
    })
}

/// Sets up the first screen; returns its effects (the plain front end starts the same way).
pub fn start(state: &mut State, start: Start) -> Result<Vec<Effect>, AppError> {
    match start {
        Start::Home => Ok(vec![Effect::LoadHome]),
        Start::Walk { runbook, inputs } => {
            let id = crate::session::new_id(state.now());
            let mut effects = update::start_case(state, *runbook, id);
            let (more, unknown) = update::prefill(state, &inputs);
            if !unknown.is_empty() {
                let names: Vec<&str> = match &state.case {
                    Some(c) => c.runbook.inputs.iter().map(|i| i.name.as_str()).collect(),
                    None => Vec::new(),
                };
                return Err(AppError::Start(format!(
                    "--input {}: not an input of this runbook (inputs: {})",
                    unknown.join(", "),
                    names.join(", ")
                )));
            }
            effects.extend(more);
            Ok(effects)
        }
        Start::Training(setup) => Ok(update::begin_training(state, *setup)),
        Start::Resume(session) => {
            let id = session.id.clone();
            let effects = update::open_session(state, *session);
            if state.case.is_none() {
                let why = state.status.take().map(|s| s.text).unwrap_or_default();
                return Err(AppError::Start(format!("cannot resume {id}: {why}")));
            }
            Ok(effects)
        }
    }
}

/// Whether a spinner is on screen.
fn animating(state: &State) -> bool {
    let reading = match &state.screen {
        Screen::Home(h) => matches!(h.data, Load::Loading { .. }),
        Screen::Stats(s) => matches!(s.data, Load::Loading { .. }),
        Screen::Outcome(o) => matches!(o.delivery, Some(super::state::Delivery::Sending { .. })),
        _ => false,
    };
    let evidence = state.case.as_ref().is_some_and(|c| {
        c.evidence.in_flight() || c.evidence.connection == super::evidence::Connection::Asking
    });
    // Training's clock runs in the title bar.
    let clock = state.training.as_ref().is_some_and(|t| t.attempt.is_some());
    reading || evidence || clock
}
