//! Plain mode: the walk as lines of text, for screen readers and dumb terminals
//! (`authdesk walk --plain`, `TERM=dumb`, `[tui] plain = true`). It is a third front end over
//! the terminal app's headless core: the same state, the same `update` and the same effects,
//! with stdin lines instead of keys and printed lines instead of frames. It decides nothing
//! itself: intake goes through the app's form (and so through `intake`), answers, notes and
//! undo through the app's update functions, and every save is the one the app makes.

mod echo;
mod effects;
mod input;
mod show;

use crate::facts::FactType;
use crate::tui::app::{AppError, Setup};
use crate::tui::gathering::Link;
use crate::tui::state::{Clock, Screen, State};
use crate::tui::{Effect, Msg, update};
use crate::walk::Step;
use echo::EchoOff;
use effects::Runner;
use input::{Command, Typed, command, read_lines};
use std::io::{IsTerminal, Write};
use std::time::Instant;
use tokio::sync::mpsc::{self, UnboundedReceiver};

/// How a plain walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The ticket was saved.
    Ticket,
    /// The agent left with `q` (or a signal); the case is saved to resume.
    Left,
    /// Input ended before the ticket was saved; the case is saved to resume.
    InputEnded,
}

pub fn run(setup: Setup) -> Result<Ended, AppError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let lines = read_lines(std::io::BufReader::new(std::io::stdin()));
    runtime.block_on(walk(setup, lines, std::io::stdout()))
}

/// The longest the walk waits for a round of evidence before it asks anyway (each query has
/// its own, shorter timeout; this bounds a round that never reports its end).
const WAIT_AT_MOST: std::time::Duration = std::time::Duration::from_secs(30);

/// What the agent was last shown, so each prompt is printed once.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Nothing,
    Field(usize),
    Waiting,
    Question(String),
    Outcome,
}

struct Plain<W: Write> {
    state: State,
    runner: Runner,
    out: W,
    shown: Shown,
    /// Lines of a multi-line intake field typed so far.
    pending: Vec<String>,
    /// Set after `n`: the next line is a note.
    noting: bool,
    ended: Option<Ended>,
    /// Whether a person types at a terminal (and not a script into a pipe).
    interactive: bool,
    /// When the question or outcome being answered was printed: a line typed before it
    /// was meant for something else.
    asked_at: Instant,
    /// Set while a key is typed at a terminal, so it is not shown.
    echo_off: Option<EchoOff>,
}

async fn walk(
    setup: Setup,
    mut lines: UnboundedReceiver<Typed>,
    out: impl Write,
) -> Result<Ended, AppError> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut state = State::new(setup.runbooks, setup.keys, &setup.agent, Clock::System);
    state.gateway = setup.gateway;
    let mut effects = crate::tui::app::start(&mut state, setup.start)?;
    crate::tui::terminal::spawn_signals(tx.clone())?;
    // Ctrl-C leaves like `q`: saved, and with the terminal's echo back on.
    let interrupted = tx.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = interrupted.send(Msg::Terminate {
                signal: crate::tui::msg::Signal::Int,
            });
        }
    });
    let runner = Runner::new(
        tx,
        setup.data_dir,
        setup.tickets_dir,
        Link::new(setup.admin),
        setup.case_lock,
    );
    let mut plain = Plain {
        state,
        runner,
        out,
        shown: Shown::Nothing,
        pending: Vec::new(),
        noting: false,
        ended: None,
        interactive: std::io::stdin().is_terminal(),
        asked_at: Instant::now(),
        echo_off: None,
    };
    plain.say("authdesk plain mode: lines in, lines out. Ctrl-D saves the case and leaves.");
    loop {
        while !effects.is_empty() {
            for effect in std::mem::take(&mut effects) {
                if let Some(msg) = plain.runner.run(effect) {
                    effects.extend(plain.message(msg));
                }
            }
        }
        plain.status();
        if plain.state.quit {
            break;
        }
        plain.prompt();
        let waiting = plain.runner.evidence_round.filter(|_| plain.in_walk());
        let give_up =
            waiting.map_or_else(tokio::time::Instant::now, |(_, since)| since + WAIT_AT_MOST);
        tokio::select! {
            // Evidence that has arrived is printed before the next line is taken.
            biased;
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                effects = plain.message(msg);
            }
            () = tokio::time::sleep_until(give_up), if waiting.is_some() => {
                plain.runner.evidence_round = None;
                plain.say("The evidence is taking long: the walk goes on; answers still to come are printed and used.");
            }
            line = lines.recv(), if waiting.is_none() => {
                effects = match line {
                    Some((at, line)) => plain.line(at, &line),
                    None => {
                        plain.ended = Some(Ended::InputEnded);
                        update::leave(&mut plain.state)
                    }
                };
            }
        }
    }
    plain.farewell();
    Ok(plain.ended.unwrap_or(Ended::Left))
}

impl<W: Write> Plain<W> {
    fn say(&mut self, text: &str) {
        // Output that cannot be written (a closed pipe) leaves nothing to tell anyone.
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    /// Whether the case is past intake: questions then wait for the evidence round.
    fn in_walk(&self) -> bool {
        matches!(self.state.screen, Screen::Walk(_) | Screen::Outcome(_))
    }

    fn steps(&self) -> Vec<Step> {
        self.state
            .case
            .as_ref()
            .and_then(|c| c.session.walk.as_ref())
            .map(|w| w.steps().to_vec())
            .unwrap_or_default()
    }

    /// Prints what the update last had to say.
    fn status(&mut self) {
        if let Some(status) = self.state.status.take() {
            let text = crate::escape::line(&status.text).into_owned();
            if status.error {
                self.say(&format!("Error: {text}"));
                // The same prompt is asked again after an error.
                self.shown = Shown::Nothing;
            } else {
                self.say(&text);
            }
        }
    }

    /// Prints the prompt for where the case stands, once.
    fn prompt(&mut self) {
        let waiting = self.runner.evidence_round.is_some();
        let want = match &self.state.screen {
            Screen::Intake(form) => Shown::Field(form.focus),
            Screen::Walk(_) | Screen::Outcome(_) if waiting => Shown::Waiting,
            Screen::Walk(_) => Shown::Question(self.current_node()),
            Screen::Outcome(_) => Shown::Outcome,
            Screen::Home(_) | Screen::Stats(_) | Screen::Training(_) => Shown::Nothing,
        };
        if want == self.shown || self.noting || !self.pending.is_empty() {
            return;
        }
        let text = match (&want, &self.state.screen, &self.state.case) {
            (Shown::Field(i), Screen::Intake(form), _) => show::field(form, *i),
            (Shown::Waiting, ..) => "Waiting for the evidence before the walk goes on...".into(),
            (Shown::Question(_), _, Some(case)) => match &case.session.walk {
                Some(walk) => show::question(case, walk),
                None => String::new(),
            },
            (Shown::Outcome, Screen::Outcome(screen), Some(case)) => match &case.session.walk {
                Some(walk) => show::outcome(case, walk, &screen.ticket),
                None => String::new(),
            },
            _ => String::new(),
        };
        self.say("");
        self.say(&text);
        match &want {
            Shown::Field(i) if self.field_is_secret(*i) && self.echo_off.is_none() => {
                self.echo_off = EchoOff::new();
            }
            Shown::Question(_) | Shown::Outcome => self.asked_at = Instant::now(),
            _ => {}
        }
        self.shown = want;
    }

    fn field_is_secret(&self, index: usize) -> bool {
        match &self.state.screen {
            Screen::Intake(form) => form
                .fields
                .get(index)
                .is_some_and(|f| f.ty == FactType::Secret),
            _ => false,
        }
    }

    fn current_node(&self) -> String {
        self.state
            .case
            .as_ref()
            .and_then(|c| c.session.walk.as_ref())
            .map(|w| w.current().to_string())
            .unwrap_or_default()
    }

    /// A message from the runtime: evidence (printed as it arrives), a finished save, a signal.
    fn message(&mut self, msg: Msg) -> Vec<Effect> {
        if let Some(case) = &self.state.case {
            for l in show::evidence(case, &msg) {
                self.say(&l);
            }
        }
        if let Msg::TicketSaved { files } = &msg {
            for f in files {
                self.say(&format!(
                    "Ticket saved: {}",
                    crate::escape::line(&f.display().to_string())
                ));
            }
            self.ended = Some(Ended::Ticket);
        }
        if let Msg::Terminate { .. } = &msg {
            self.ended = Some(Ended::Left);
        }
        self.runner.round_over(&msg);
        let before = self.steps();
        let quit_after = matches!(msg, Msg::TicketSaved { .. });
        let mut effects = update(&mut self.state, msg);
        self.report(&before);
        if quit_after {
            effects.extend(update::leave(&mut self.state));
        }
        effects
    }

    /// Prints the checks the walk decided by itself since `before`.
    fn report(&mut self, before: &[Step]) {
        let after = self.steps();
        let Some(case) = &self.state.case else { return };
        for l in show::decided(&case.runbook, before, &after) {
            self.say(&l);
        }
    }

    /// A line the agent typed at `at`.
    fn line(&mut self, at: Instant, text: &str) -> Vec<Effect> {
        // The key is in: what follows is shown as typed again.
        self.echo_off = None;
        if self.interactive && self.in_walk() && at < self.asked_at {
            // Typed while the evidence was still moving the walk: never an answer to a
            // question the agent had not read yet.
            self.say(&format!(
                "Ignored “{}”: typed before this question was shown.",
                crate::escape::line(text)
            ));
            return Vec::new();
        }
        let before = self.steps();
        let effects = match &self.state.screen {
            Screen::Intake(_) => self.intake(text),
            Screen::Walk(_) | Screen::Outcome(_) if self.noting => {
                self.noting = false;
                // Shown again with the note: under the question, or in the ticket.
                self.shown = Shown::Nothing;
                update::add_note(&mut self.state, text.trim())
            }
            Screen::Walk(_) | Screen::Outcome(_) => self.walk_command(command(text)),
            Screen::Home(_) | Screen::Stats(_) | Screen::Training(_) => Vec::new(),
        };
        self.report(&before);
        effects
    }

    fn intake(&mut self, text: &str) -> Vec<Effect> {
        let Screen::Intake(form) = &mut self.state.screen else {
            return Vec::new();
        };
        let at = form.focus;
        let last = form.fields.len().saturating_sub(1);
        let Some(field) = form.fields.get(at) else {
            return update::submit(&mut self.state);
        };
        let value = if field.multiline {
            if !text.is_empty() {
                self.pending.push(text.to_string());
                return Vec::new();
            }
            std::mem::take(&mut self.pending).join("\n")
        } else {
            text.to_string()
        };
        let name = field.name.clone();
        if !value.trim().is_empty() {
            form.set_text(&name, &value);
        }
        let taken = show::field_taken(form, at, &value);
        self.say(&taken);
        if at == last {
            update::submit(&mut self.state)
        } else {
            update::move_focus(&mut self.state, at + 1)
        }
    }

    fn walk_command(&mut self, cmd: Command) -> Vec<Effect> {
        let at_outcome = matches!(self.state.screen, Screen::Outcome(_));
        match cmd {
            Command::Choice(i) if !at_outcome => {
                // Plain mode already ignores a line typed before its question was printed, so
                // the app's pause after evidence moved the question would only refuse a
                // considered answer.
                if let Screen::Walk(ws) = &mut self.state.screen {
                    ws.moved_by_evidence = None;
                }
                update::answer(&mut self.state, i)
            }
            Command::Save if at_outcome => match &self.state.screen {
                Screen::Outcome(screen) => {
                    vec![Effect::SaveTicket(Box::new(screen.ticket.clone()))]
                }
                _ => Vec::new(),
            },
            Command::Back => update::undo(&mut self.state),
            Command::Note => {
                self.noting = true;
                self.say("Note: type it on one line (an empty line adds nothing).");
                Vec::new()
            }
            Command::Quit => {
                self.ended = Some(Ended::Left);
                update::leave(&mut self.state)
            }
            Command::Help => {
                // Asked again in full: the question and its help, or the outcome and ticket.
                self.shown = Shown::Nothing;
                Vec::new()
            }
            Command::Choice(_) | Command::Save | Command::Unknown => {
                let keys = if at_outcome {
                    show::OUTCOME_KEYS
                } else {
                    show::WALK_KEYS
                };
                self.say(&format!("Not understood. {keys}"));
                Vec::new()
            }
        }
    }

    /// The last line: where the case stands and how to come back to it.
    fn farewell(&mut self) {
        let Some(case) = &self.state.case else { return };
        let id = case.session.id.clone();
        let at = match &case.session.walk {
            Some(walk) => case
                .runbook
                .node(walk.current())
                .map_or_else(|| walk.current().to_string(), |n| n.title.clone()),
            None => "intake".to_string(),
        };
        let text = if case.session.is_finished() {
            format!("Case {id} is finished and its ticket saved.")
        } else {
            format!(
                "Case {id} is saved at “{}”. Continue with: authdesk resume {id} --plain",
                crate::escape::line(&at)
            )
        };
        self.say(&text);
    }
}
