//! Everything that can happen to the app (messages), everything a person can ask for (actions,
//! named in the keymap), and everything the app asks the runtime to do (effects).

use crate::admin::AdminError;
use crate::evidence::QueryKind;
use crate::facts::Facts;
use crate::secret::Redacted;
use crate::session::Session;
use crate::ticket::Ticket;
use crate::tui::state::SavedTicket;
use crossterm::event::{KeyEvent, MouseEvent};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// A user-facing action. The keymap file names these in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave authdesk, asking first when a case has no saved ticket.
    Quit,
    /// Leave at once; the session is saved anyway.
    ForceQuit,
    /// Show or hide the list of keys.
    Help,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Scroll a page up.
    PageUp,
    /// Scroll a page down.
    PageDown,
    /// Go to the first item.
    Top,
    /// Go to the last item.
    Bottom,
    /// Open, answer or jump to the selected item.
    Select,
    /// Close the popup, or go back a screen.
    Back,
    /// Move focus to the next pane.
    NextPane,
    /// Move focus to the previous pane.
    PrevPane,
    /// Undo the last answer.
    Undo,
    /// Write a note on the current step.
    Note,
    /// Run the evidence queries again.
    Refresh,
    /// Save the ticket (Markdown and JSON).
    Save,
    /// Copy the ticket to the clipboard (OSC 52, works over SSH).
    Copy,
    /// Send the saved ticket to a configured `[[tracker]]` (a picker when there are several).
    Send,
    /// Edit the ticket's summary.
    EditSummary,
    /// Edit summary and a note in $EDITOR.
    ExternalEditor,
    /// Show the ticket as Markdown or as JSON.
    ToggleFormat,
    /// Finish the form or the text being edited.
    Submit,
    /// Go to the next field.
    NextField,
    /// Go to the previous field.
    PrevField,
    /// Confirm.
    Yes,
    /// Decline.
    No,
    /// Archive the selected unfinished case (asks by a second press) or damaged session file
    /// (asks in a dialog).
    Discard,
    /// Show the figures over saved cases.
    Stats,
    /// Count only the next runbook's cases (then all again).
    FilterRunbook,
    /// Count only cases of the last 24h, 7d, 30d, or all.
    FilterSince,
    /// Training: show the current question's next hint (it costs points).
    Hint,
    /// Training: the class report over the results folder.
    Report,
    /// Training: take the next scenario of the set.
    NextScenario,
    /// Training: take the same scenario again.
    Retry,
}

/// Something that happened: a terminal event, a finished query, a finished save.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed (releases and repeats are dropped where events are read).
    Key(KeyEvent),
    /// Text arrived by bracketed paste.
    Paste(String),
    /// A mouse click or wheel turn.
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// Time passed (drives spinners while queries are in flight).
    Tick,
    /// The home screen's lists were read from disk.
    HomeLoaded(HomeData),
    /// The evidence queries of generation `generation` were started.
    EvidenceStarted {
        generation: u64,
        queries: Vec<QueryKind>,
        demo: bool,
    },
    /// One evidence query answered; `facts` is every fact the evidence establishes so far,
    /// `key_absent` whether the key is known not to exist by now.
    EvidenceLoaded {
        generation: u64,
        query: QueryKind,
        facts: Facts,
        elapsed: Duration,
        key_absent: bool,
    },
    /// One evidence query failed.
    EvidenceFailed {
        generation: u64,
        query: QueryKind,
        error: AdminError,
    },
    /// Every query of the round has answered or failed; `gaps` are answers that leave
    /// something open, as (what, why).
    EvidenceFinished {
        generation: u64,
        gaps: Vec<(String, String)>,
    },
    /// No admin API can be asked at all.
    EvidenceOffline { generation: u64, reason: String },
    /// Saving the session failed (it is retried with the next step).
    SessionSaveFailed { reason: String },
    /// The case `id` could not be taken: another authdesk has it open, or its lock failed.
    CaseNotHeld { id: String, reason: String },
    /// The ticket files were written.
    TicketSaved { files: Vec<PathBuf> },
    /// The ticket could not be written.
    TicketSaveFailed { reason: String },
    /// The external editor closed with this text, or could not run.
    EditorClosed { text: Result<String, String> },
    /// The case `id` was moved to the archive (its new path), or could not be.
    SessionArchived {
        id: String,
        result: Result<PathBuf, String>,
    },
    /// The damaged session file `file` was moved to the archive (its new path), or could not be.
    DamagedArchived {
        file: String,
        result: Result<PathBuf, String>,
    },
    /// A ticket file was read for the viewer, or could not be.
    TicketRead {
        path: PathBuf,
        text: Result<String, String>,
    },
    /// $PAGER closed; why it could not run, if it could not.
    PagerClosed { error: Option<String> },
    /// The access logs of case `case` were triaged: their facts, or why not.
    LogsTriaged {
        case: String,
        facts: Result<Facts, String>,
    },
    /// The saved cases were read for the stats screen, or the folders could not be.
    StatsLoaded(Result<crate::saved::SavedCases, String>),
    /// A training result was saved (its file), or could not be.
    ResultSaved(Result<PathBuf, String>),
    /// The results folder was read for the class report, or could not be.
    ReportLoaded(Result<crate::tui::training::ReportData, String>),
    /// A saved ticket's files were read back (for a finished case resumed), or why not.
    SavedTicketRead(Result<SavedTicket, String>),
    /// The saved tickets were read, for the ticket on the outcome screen to link those of
    /// its incident (a folder that cannot be read has none).
    IncidentsLoaded(Vec<crate::ticket::Related>),
    /// A send of the saved ticket finished: filed, already filed, or not sent.
    SendFinished(crate::tui::state::Delivery),
    /// SIGTERM or SIGHUP arrived: save and leave.
    Terminate { signal: Signal },
}

/// A signal that ends the app after it saved the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Term,
    Hup,
    /// Ctrl-C where it is a signal, not a key: plain mode, which reads lines.
    Int,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Term => "SIGTERM",
            Signal::Hup => "SIGHUP",
            Signal::Int => "SIGINT",
        }
    }
}

/// The home screen's data: unfinished sessions and recent tickets.
#[derive(Debug, Default)]
pub struct HomeData {
    pub sessions: Vec<Session>,
    /// Session files that cannot be resumed here, by file name.
    pub damaged: Vec<DamagedFile>,
    /// Why the sessions folder could not be read, for people.
    pub problems: Vec<String>,
    /// Recent ticket files, newest first.
    pub tickets: Vec<TicketFile>,
}

/// A session file that cannot be resumed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedFile {
    /// Its name in the sessions folder.
    pub file: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFile {
    pub name: String,
    pub path: PathBuf,
    /// The first line of the ticket, its title.
    pub title: String,
}

/// Work the runtime does for the update: I/O, queries, the clipboard.
#[derive(Debug)]
pub enum Effect {
    /// Read unfinished sessions and recent tickets.
    LoadHome,
    /// Start the evidence queries for these intake facts.
    FetchEvidence { generation: u64, intake: Facts },
    /// Hold the lock of this case (releasing any other), or of none.
    HoldCase(Option<String>),
    /// Save the session over its previous save.
    SaveSession(Box<Session>),
    /// Write the ticket's Markdown and JSON files.
    SaveTicket(Box<Ticket>),
    /// Read back the files a ticket was saved as.
    ReadSavedTicket(Vec<PathBuf>),
    /// Read the saved tickets as incidents to link (`Msg::IncidentsLoaded`).
    LoadIncidents,
    /// Triage the access logs named at intake of case `case`, as `run --log` does.
    TriageLogs { case: String, paths: Vec<PathBuf> },
    /// Put text on the clipboard with OSC 52; redacted once more, as the last step out.
    Copy(Redacted),
    /// Suspend the screen and edit this text in $EDITOR.
    OpenEditor(String),
    /// Move an unfinished case to the archive.
    ArchiveSession(String),
    /// Move a damaged session file, by its name in the sessions folder, to the archive.
    ArchiveDamaged(String),
    /// Read every saved case for the stats screen.
    LoadStats,
    /// Read a saved ticket file for the viewer.
    ReadTicket(PathBuf),
    /// Suspend the screen and show this file in $PAGER.
    OpenPager(PathBuf),
    /// Take a training scenario's evidence from its own data for the cases to come.
    ServeScenario(crate::tui::training::ScenarioData),
    /// Remember the trainee's name in the data folder for next time.
    RememberTrainee(String),
    /// Save a training result as JSON in `dir`.
    SaveResult {
        result: Box<crate::training::TrainingResult>,
        dir: PathBuf,
    },
    /// Read every result in `dir` for the class report.
    LoadReport(PathBuf),
    /// Send the ticket saved as `files` to the `[[tracker]]` named `target`, as
    /// `authdesk send` does.
    Send { files: Vec<PathBuf>, target: String },
    /// Restore the terminal and leave.
    Quit,
}

impl Action {
    /// A word or two for the hint bar.
    pub fn label(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::ForceQuit => "quit now",
            Action::Help => "help",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Select => "select",
            Action::Back => "back",
            Action::NextPane => "pane",
            Action::PrevPane => "prev pane",
            Action::Undo => "undo",
            Action::Note => "note",
            Action::Refresh => "refresh",
            Action::Save => "save",
            Action::Copy => "copy",
            Action::Send => "send",
            Action::EditSummary => "summary",
            Action::ExternalEditor => "$EDITOR",
            Action::ToggleFormat => "md/json",
            Action::Submit => "done",
            Action::NextField => "next field",
            Action::PrevField => "prev field",
            Action::Yes => "yes",
            Action::No => "no",
            Action::Discard => "archive",
            Action::Stats => "stats",
            Action::FilterRunbook => "runbook",
            Action::FilterSince => "since",
            Action::Hint => "hint",
            Action::Report => "report",
            Action::NextScenario => "next",
            Action::Retry => "retry",
        }
    }

    /// A sentence for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "Leave (asks first when the case has no ticket yet)",
            Action::ForceQuit => "Leave at once; the case is saved anyway",
            Action::Help => "Show or hide this help",
            Action::Up => "Move up",
            Action::Down => "Move down",
            Action::PageUp => "Scroll a page up",
            Action::PageDown => "Scroll a page down",
            Action::Top => "Go to the first item",
            Action::Bottom => "Go to the last item",
            Action::Select => "Open, answer, or jump back to the selected step",
            Action::Back => "Close, cancel, or return to the choices",
            Action::NextPane => "Focus the next pane",
            Action::PrevPane => "Focus the previous pane",
            Action::Undo => "Undo the last answer",
            Action::Note => "Write a note on this step",
            Action::Refresh => "Fetch again (evidence, or the lists at home)",
            Action::Save => "Save the ticket as Markdown and JSON",
            Action::Copy => "Copy the ticket to the clipboard (OSC 52, works over SSH)",
            Action::Send => "Send the saved ticket to a [[tracker]] (picks when several)",
            Action::EditSummary => "Edit the ticket's summary",
            Action::ExternalEditor => "Edit summary and a note in $EDITOR",
            Action::ToggleFormat => "Show the ticket as Markdown or JSON",
            Action::Submit => "Finish: start the walk, or keep the text",
            Action::NextField => "Next field",
            Action::PrevField => "Previous field",
            Action::Yes => "Yes",
            Action::No => "No",
            // Short enough for one row of the help; the dialog and the message say where to.
            Action::Discard => "Archive a case (press twice) or damaged file (asks)",
            Action::Stats => "Figures over saved cases: outcomes, questions, times",
            Action::FilterRunbook => "Count one runbook's cases, the next one, or all",
            Action::FilterSince => "Count cases of the last 24h, 7d, 30d, or all",
            Action::Hint => "Training: show the question's next hint (costs points)",
            Action::Report => "Training: the class report over the results folder",
            Action::NextScenario => "Training: take the next scenario of the set",
            Action::Retry => "Training: take the same scenario again",
        }
    }
}
