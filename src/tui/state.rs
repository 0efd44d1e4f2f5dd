//! The app's state: which screen is showing, the case being walked, popups. Plain data that the
//! update changes and the views read; nothing here does I/O.

use super::evidence::Evidence;
use super::form::{Form, TextEdit};
use super::keymap::Keymap;
use super::msg::{DamagedFile, HomeData, TicketFile};
use crate::runbook::Runbook;
use crate::session::Session;
use crate::ticket::Ticket;
use crate::walk::Conflict;
use chrono::{DateTime, Utc};

/// A value being fetched: in flight since a moment, there, or failed with a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading { since: DateTime<Utc> },
    Loaded(T),
    Failed(String),
}

/// Where the time comes from: the system, or a fixed instant so tests and snapshots repeat.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

pub struct State {
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    /// The case on screen, from intake to its ticket.
    pub case: Option<Case>,
    /// Runbooks that loaded cleanly, in catalog order.
    pub runbooks: Vec<Runbook>,
    /// Problems found loading runbooks, for the home screen.
    pub runbook_problems: Vec<String>,
    pub agent: String,
    pub clock: Clock,
    pub keys: Keymap,
    /// The terminal's size, for mouse hit tests.
    pub size: (u16, u16),
    /// Ticks since start; spinners animate from it.
    pub tick: u64,
    /// The last thing worth telling the agent, shown above the hint bar.
    pub status: Option<Status>,
    /// Where evidence comes from, for the title bar: "demo API", a URL, "not connected".
    pub admin_label: String,
    /// Whether evidence comes from the built-in demo API (its data is made up).
    pub demo: bool,
    /// Set when the runtime should restore the terminal and leave.
    pub quit: bool,
    /// The signal that made the app leave, for its exit status.
    pub signal: Option<super::msg::Signal>,
    /// What the gateway expects (`[gateway]`, `[[key_format]]`): pastes are judged by it, as
    /// `run` and `inspect` judge them.
    pub gateway: crate::config::GatewayConfig,
    /// Set in training mode: the trainee, the scenarios, the attempt under way.
    pub training: Option<super::training::Training>,
    /// The names of the configured `[[tracker]]`s the outcome screen can send to.
    pub trackers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

impl State {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// Whether leaving now would leave a case without its ticket.
    pub fn case_unsaved(&self) -> bool {
        self.case.as_ref().is_some_and(|c| !c.session.is_finished())
    }
}

/// One case: its runbook, its saved session (which holds the walk) and its evidence.
pub struct Case {
    pub runbook: Runbook,
    pub session: Session,
    pub evidence: Evidence,
}

pub enum Screen {
    Home(Home),
    Intake(Form),
    Walk(WalkScreen),
    /// Boxed: the ticket it holds is large, and screens change rarely.
    Outcome(Box<OutcomeScreen>),
    /// Figures over saved cases, over the home screen it returns to.
    Stats(Box<super::stats::StatsScreen>),
    /// Training's own screens (`authdesk train`): name, picker, score card, report.
    Training(super::training::TrainingScreen),
}

/// Popups over the screen; they take the keys while open.
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// "Leave without a ticket?"
    ConfirmQuit,
    /// "Move this damaged session file to the archive?"
    ConfirmArchive(DamagedFile),
    /// A note or the summary being typed.
    Edit(Box<TextEdit>),
    /// A saved ticket read back from disk, to scroll through.
    Ticket {
        path: std::path::PathBuf,
        text: String,
        scroll: u16,
    },
    /// "Which customer is right?", before a ticket goes out while the key's owner is not the
    /// customer named at intake.
    ChooseCustomer(Box<Conflict>),
    /// "Send to which tracker?", when several are configured: the one selected.
    PickTracker {
        selected: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomePane {
    Runbooks,
    Sessions,
    Tickets,
}

pub struct Home {
    pub data: Load<HomeData>,
    pub pane: HomePane,
    pub runbook: usize,
    /// Index into the sessions the filter lets through, as is `ticket`.
    pub session: usize,
    pub ticket: usize,
    /// Words the sessions and tickets must contain (any case); empty shows all.
    pub filter: String,
    /// Whether keys type into the filter (after `/`, until Enter or Esc).
    pub filtering: bool,
    /// The case a first `d` asked to archive; a second `d` on it archives it.
    pub discarding: Option<String>,
}

impl Home {
    pub fn new(now: DateTime<Utc>) -> Self {
        Home {
            data: Load::Loading { since: now },
            pane: HomePane::Runbooks,
            runbook: 0,
            session: 0,
            ticket: 0,
            filter: String::new(),
            filtering: false,
            discarding: None,
        }
    }

    /// The unfinished cases the filter lets through, in listing order.
    pub fn sessions(&self) -> Vec<&Session> {
        let Load::Loaded(data) = &self.data else {
            return Vec::new();
        };
        data.sessions
            .iter()
            // The case's own values, not the words shown in their place when missing.
            .filter(|s| {
                self.matches(&[
                    &s.id,
                    &s.runbook.id,
                    s.customer().unwrap_or_default(),
                    key_id(s).unwrap_or_default(),
                ])
            })
            .collect()
    }

    /// The Resume pane's rows: the cases the filter lets through, then the damaged session
    /// files it lets through. `session` indexes these.
    pub fn resume_rows(&self) -> Vec<ResumeRow<'_>> {
        let Load::Loaded(data) = &self.data else {
            return Vec::new();
        };
        let damaged = data
            .damaged
            .iter()
            .filter(|d| self.matches(&[&d.file, &d.reason]))
            .map(ResumeRow::Damaged);
        self.sessions()
            .into_iter()
            .map(ResumeRow::Case)
            .chain(damaged)
            .collect()
    }

    /// The recent tickets the filter lets through, newest first.
    pub fn tickets(&self) -> Vec<&TicketFile> {
        let Load::Loaded(data) = &self.data else {
            return Vec::new();
        };
        data.tickets
            .iter()
            .filter(|t| self.matches(&[&t.name, &t.title]))
            .collect()
    }

    fn matches(&self, texts: &[&str]) -> bool {
        let filter = self.filter.to_lowercase();
        filter
            .split_whitespace()
            .all(|word| texts.iter().any(|t| t.to_lowercase().contains(word)))
    }
}

/// A row of the Resume pane.
#[derive(Debug, Clone, Copy)]
pub enum ResumeRow<'a> {
    /// An unfinished case.
    Case(&'a Session),
    /// A session file that cannot be resumed here.
    Damaged(&'a DamagedFile),
}

/// Who a case is about: its customer, else its key id (a case often starts from a key
/// alone), else a plain word saying neither was given.
pub fn case_label(s: &Session) -> String {
    match (s.customer(), key_id(s)) {
        (Some(customer), _) => customer.to_string(),
        (None, Some(key)) => format!("key {key}"),
        (None, None) => "(no customer or key)".to_string(),
    }
}

fn key_id(s: &Session) -> Option<&str> {
    match s.intake.get(crate::facts::name::KEY_ID) {
        Some(crate::session::IntakeValue::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkPane {
    Choices,
    Path,
    Evidence,
}

pub struct WalkScreen {
    pub pane: WalkPane,
    /// The highlighted choice of the current question.
    pub choice: usize,
    /// The highlighted step of the path.
    pub step: usize,
    pub evidence_scroll: u16,
    /// How far the question's help is scrolled (PgUp/PgDn while the choices have focus).
    pub help_scroll: u16,
    /// Set when evidence moved the walk to this question by itself: when, and what was
    /// decided. Answers arriving within [`SETTLE`] of it were meant for the question before.
    pub moved_by_evidence: Option<(DateTime<Utc>, String)>,
}

/// How long after evidence moved the question answers are refused: long enough for a key
/// already on its way, short enough not to feel like a stall.
pub const SETTLE: chrono::TimeDelta = chrono::TimeDelta::milliseconds(800);

impl WalkScreen {
    pub fn new(steps: usize) -> Self {
        WalkScreen {
            pane: WalkPane::Choices,
            choice: 0,
            step: steps.saturating_sub(1),
            evidence_scroll: 0,
            help_scroll: 0,
            moved_by_evidence: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketFormat {
    Markdown,
    Json,
}

/// What the lower part of the outcome screen shows: the ticket, or how the walk got there
/// (which matters most when evidence decided every step and no question was ever shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomePane {
    Ticket,
    Path,
    Evidence,
}

pub struct OutcomeScreen {
    /// Built once on arrival so its id stays the same until it is saved.
    pub ticket: Ticket,
    pub format: TicketFormat,
    pub scroll: u16,
    pub pane: OutcomePane,
    /// For a case resumed after its ticket was saved: the files as they are on disk, which
    /// the preview shows and `copy` copies (a ticket built again would differ in its times).
    pub saved: Option<Load<SavedTicket>>,
    /// The last send of the saved ticket from this screen, under way or finished.
    pub delivery: Option<Delivery>,
    /// The saved tickets of other cases, which the ticket links when they share its incident.
    pub incidents: Incidents,
}

/// The saved tickets an unsaved ticket may link: read off the loop when the outcome screen
/// opens (`Effect::LoadIncidents`), so the update stays free of files.
#[derive(Debug, Clone, PartialEq)]
pub enum Incidents {
    /// Being read. `save` is set when the agent asked to save meanwhile: the ticket waits
    /// for its links, since a saved ticket file is never written over.
    Reading { save: bool },
    /// Read: every saved ticket but this case's own, whatever its incident key.
    Read(Vec<crate::ticket::Related>),
    /// Not looked up: the ticket is saved, and its links are the ones saved with it.
    Saved,
}

impl Incidents {
    /// The saved tickets read so far; none while they are being read.
    pub fn read(&self) -> &[crate::ticket::Related] {
        match self {
            Incidents::Read(found) => found,
            Incidents::Reading { .. } | Incidents::Saved => &[],
        }
    }
}

/// Where a send from the outcome screen stands; the texts come from outside and are
/// escaped where they are drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sending {
        target: String,
    },
    /// Filed or commented now: the remote URL (or id, or what was done where).
    Sent(String),
    /// Filed before; nothing new was sent.
    AlreadyFiled(String),
    /// Not sent: why, and whether it waits as pending for `authdesk send --pending`.
    NotSent {
        why: String,
        pending: bool,
    },
}

/// A saved ticket's files, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedTicket {
    pub markdown: String,
    pub json: String,
}

impl State {
    /// The app at its home screen, waiting for the lists to load.
    pub fn new(runbooks: Vec<Runbook>, keys: Keymap, agent: &str, clock: Clock) -> Self {
        State {
            screen: Screen::Home(Home::new(clock.now())),
            overlay: None,
            case: None,
            runbooks,
            runbook_problems: Vec::new(),
            agent: agent.to_string(),
            clock,
            keys,
            size: (80, 24),
            tick: 0,
            status: None,
            admin_label: "admin API not connected".to_string(),
            demo: false,
            quit: false,
            signal: None,
            gateway: crate::config::GatewayConfig::default(),
            training: None,
            trackers: Vec::new(),
        }
    }
}
