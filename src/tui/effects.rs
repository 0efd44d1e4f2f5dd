//! Carrying out the update's effects: file I/O, evidence queries, sends to trackers, the
//! clipboard and the editor. Anything slow runs off the loop and reports back as a message, so a frame never
//! waits on a disk or a network.

use super::gathering::Link;
use super::msg::{DamagedFile, Effect, HomeData, Msg, TicketFile};
use super::state::{Delivery, SavedTicket};
use super::terminal;
use super::training::ScenarioData;
use super::training::files as training;
use crate::config::{AdminConfig, Tracker};
use crate::outbox::{Courier, Records, Sent};
use crate::secret::Redacted;
use crate::session;
use base64::Engine;
use ratatui::DefaultTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc::UnboundedSender;

/// How many recent tickets the home screen lists.
const RECENT_TICKETS: usize = 20;

pub struct Runner {
    pub tx: UnboundedSender<Msg>,
    pub data_dir: PathBuf,
    pub tickets_dir: PathBuf,
    link: Link,
    /// Kept to open a new link when a training scenario brings its own data.
    admin: AdminConfig,
    /// The lock of the case on screen, so no other authdesk walks it at the same time.
    case_lock: Option<session::CaseLock>,
    /// Set while the editor owns the terminal, so the input thread keeps off it.
    pub input_paused: Arc<AtomicBool>,
    /// The configured `[[tracker]]`s, which `Effect::Send` names.
    trackers: Vec<Tracker>,
}

impl Runner {
    pub fn new(
        tx: UnboundedSender<Msg>,
        data_dir: PathBuf,
        tickets_dir: PathBuf,
        admin: AdminConfig,
        input_paused: Arc<AtomicBool>,
        case_lock: Option<session::CaseLock>,
        trackers: Vec<Tracker>,
    ) -> Self {
        Runner {
            tx,
            data_dir,
            tickets_dir,
            link: Link::new(admin.clone()),
            admin,
            case_lock,
            input_paused,
            trackers,
        }
    }

    pub fn run(&mut self, effect: Effect, terminal: &mut DefaultTerminal) {
        match effect {
            Effect::LoadHome => {
                let (tx, data, tickets) = (
                    self.tx.clone(),
                    self.data_dir.clone(),
                    self.tickets_dir.clone(),
                );
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::HomeLoaded(home_data(&data, &tickets)));
                });
            }
            Effect::FetchEvidence { generation, intake } => {
                self.link.fetch(generation, intake, self.tx.clone());
            }
            // Saved here, before the next frame is drawn: a step the agent has seen on screen
            // is already on disk, so even SIGKILL cannot lose it. A save is a few kilobytes
            // and one fsync, well within a frame.
            Effect::HoldCase(id) => self.hold(id),
            Effect::SaveSession(session) => {
                // Only the authdesk holding a case writes it.
                if self.case_lock.as_ref().map(|l| l.id()) != Some(session.id.as_str()) {
                    tracing::warn!(id = session.id, "not saved: the case is not held");
                    return;
                }
                if let Err(e) = session.save(&self.data_dir) {
                    tracing::error!("{e}");
                    let _ = self.tx.send(Msg::SessionSaveFailed {
                        reason: e.to_string(),
                    });
                }
            }
            Effect::SaveTicket(ticket) => {
                let (tx, dir) = (self.tx.clone(), self.tickets_dir.clone());
                tokio::task::spawn_blocking(move || {
                    let msg = match crate::store::save_ticket(&ticket, &dir) {
                        Ok(files) => Msg::TicketSaved { files },
                        Err(e) => Msg::TicketSaveFailed {
                            reason: e.to_string(),
                        },
                    };
                    let _ = tx.send(msg);
                });
            }
            Effect::TriageLogs { case, paths } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let facts = triage_logs(paths);
                    let _ = tx.send(Msg::LogsTriaged { case, facts });
                });
            }
            Effect::LoadIncidents => {
                let (tx, dir) = (self.tx.clone(), self.tickets_dir.clone());
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::IncidentsLoaded(crate::store::saved_incidents(&dir)));
                });
            }
            Effect::ReadSavedTicket(files) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::SavedTicketRead(read_saved(&files)));
                });
            }
            Effect::Copy(text) => {
                if let Err(e) = copy_osc52(&text) {
                    tracing::warn!("clipboard: {e}");
                }
            }
            Effect::OpenEditor(text) => {
                let result = self.edit(&text, terminal);
                let _ = self.tx.send(Msg::EditorClosed { text: result });
            }
            Effect::LoadStats => {
                let (tx, data, tickets) = (
                    self.tx.clone(),
                    self.data_dir.clone(),
                    self.tickets_dir.clone(),
                );
                tokio::task::spawn_blocking(move || {
                    let read = crate::saved::read(&tickets, &data).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::StatsLoaded(read));
                });
            }
            Effect::ReadTicket(path) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()));
                    let _ = tx.send(Msg::TicketRead { path, text });
                });
            }
            Effect::OpenPager(path) => {
                let error = self.page(&path, terminal).err();
                let _ = self.tx.send(Msg::PagerClosed { error });
            }
            Effect::ArchiveSession(id) => {
                let result = session::archive(&self.data_dir, &id).map_err(|e| e.to_string());
                let _ = self.tx.send(Msg::SessionArchived { id, result });
            }
            Effect::ArchiveDamaged(file) => {
                let result =
                    session::archive_damaged(&self.data_dir, &file).map_err(|e| e.to_string());
                let _ = self.tx.send(Msg::DamagedArchived { file, result });
            }
            // The last scenario's demo API stops once its queries are done with it.
            Effect::ServeScenario(ScenarioData::Overlay { builtin, overlay }) => {
                let data = crate::admin::demo::DemoData::with_overlay(
                    builtin,
                    &overlay,
                    chrono::Utc::now(),
                )
                .map_err(|e| format!("the scenario's data: {e}"));
                self.link = Link::serving(self.admin.clone(), data);
            }
            Effect::ServeScenario(ScenarioData::Frozen(facts)) => {
                self.link = Link::frozen(self.admin.clone(), facts);
            }
            Effect::RememberTrainee(name) => {
                if let Err(e) = training::remember_trainee(&self.data_dir, &name) {
                    tracing::warn!("{e}");
                }
            }
            Effect::SaveResult { result, dir } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let saved = training::save_result(&result, &dir).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::ResultSaved(saved));
                });
            }
            Effect::LoadReport(dir) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(Msg::ReportLoaded(training::report_data(&dir)));
                });
            }
            Effect::Send { files, target } => {
                let tracker = self
                    .trackers
                    .iter()
                    .find(|t| t.target.name == target)
                    .cloned();
                let (tx, data) = (self.tx.clone(), self.data_dir.clone());
                tokio::spawn(async move {
                    let delivery = match tracker {
                        Some(tracker) => send_saved(&files, &tracker, &data).await,
                        None => Delivery::NotSent {
                            why: format!("no tracker `{target}` is configured"),
                            pending: false,
                        },
                    };
                    let _ = tx.send(Msg::SendFinished(delivery));
                });
            }
            Effect::Quit => {}
        }
    }

    fn hold(&mut self, id: Option<String>) {
        if self.case_lock.as_ref().map(|l| l.id()) == id.as_deref() {
            return;
        }
        // Released first, so going from one case to another never holds two.
        self.case_lock = None;
        let Some(id) = id else { return };
        match session::CaseLock::acquire(&self.data_dir, &id) {
            Ok(lock) => self.case_lock = Some(lock),
            Err(e) => {
                tracing::warn!("{e}");
                let _ = self.tx.send(Msg::CaseNotHeld {
                    id,
                    reason: e.to_string(),
                });
            }
        }
    }

    /// Runs `program args path` with the screen handed over, and takes the screen back;
    /// input is read again only once the screen is ours.
    fn hand_over(
        &self,
        program: &str,
        args: &[String],
        path: &Path,
        terminal: &mut DefaultTerminal,
    ) -> (
        std::io::Result<std::process::ExitStatus>,
        std::io::Result<()>,
    ) {
        self.input_paused.store(true, Ordering::Release);
        terminal::leave();
        let status = std::process::Command::new(program)
            .args(args)
            .arg(path)
            .status();
        let resumed = terminal::resume(terminal);
        self.input_paused.store(false, Ordering::Release);
        (status, resumed)
    }

    /// Shows a saved ticket in $PAGER (`less` when unset), with the screen handed over.
    fn page(&self, path: &Path, terminal: &mut DefaultTerminal) -> Result<(), String> {
        let pager = std::env::var("PAGER").unwrap_or_else(|_| "less".to_string());
        let mut words = shell_words::split(&pager).map_err(|e| format!("$PAGER: {e}"))?;
        if words.is_empty() {
            return Err("$PAGER is empty".into());
        }
        let program = words.remove(0);
        let (status, resumed) = self.hand_over(&program, &words, path, terminal);
        resumed.map_err(|e| e.to_string())?;
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("{program} exited with {s}")),
            Err(e) => Err(format!("cannot run {program}: {e}")),
        }
    }

    /// Runs $VISUAL or $EDITOR on the text in an owner-only file, with the screen handed over.
    fn edit(&self, text: &str, terminal: &mut DefaultTerminal) -> Result<String, String> {
        let dir = self.data_dir.join("tmp");
        crate::store::private_dir(&dir).map_err(|e| e.to_string())?;
        let path = dir.join(format!("edit-{}.md", std::process::id()));
        crate::store::replace(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        let editor = std::env::var("VISUAL")
            .or_else(|_| std::env::var("EDITOR"))
            .unwrap_or_else(|_| "vi".to_string());
        let mut words = shell_words::split(&editor).map_err(|e| format!("$EDITOR: {e}"))?;
        if words.is_empty() {
            return Err("$EDITOR is empty".into());
        }
        let program = words.remove(0);
        let (status, resumed) = self.hand_over(&program, &words, &path, terminal);
        let result = match status {
            Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(|e| e.to_string()),
            Ok(s) => Err(format!("{program} exited with {s}")),
            Err(e) => Err(format!("cannot run {program}: {e}")),
        };
        let _ = std::fs::remove_file(&path);
        resumed.map_err(|e| e.to_string())?;
        result
    }
}

/// Sends the ticket saved as `files` to `tracker` the way `authdesk send` does: the same
/// credential lookup, the same courier, the same send records.
async fn send_saved(files: &[PathBuf], tracker: &Tracker, data_dir: &Path) -> Delivery {
    let not_sent = |why: String| Delivery::NotSent {
        why,
        pending: false,
    };
    // Disk reads, like the credential's, go to the blocking pool, never this task's thread.
    let files = files.to_vec();
    let read = tokio::task::spawn_blocking(move || {
        read_saved(&files).and_then(|saved| {
            serde_json::from_str::<crate::ticket::Ticket>(&saved.json).map_err(|e| e.to_string())
        })
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    let ticket = match read {
        Ok(t) => t,
        Err(why) => return not_sent(format!("the saved ticket: {why}")),
    };
    let credential = match crate::outbox::credential::load_off_runtime(
        tracker.clone(),
        crate::outbox::credential::os_keyring,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return not_sent(e.to_string()),
    };
    let client = match crate::outbox::wire::client() {
        Ok(c) => c,
        Err(e) => return not_sent(e.to_string()),
    };
    let records = Records::new(data_dir);
    let now = chrono::Utc::now;
    let courier = Courier {
        client: &client,
        records: &records,
        now: &now,
    };
    match courier.send(&ticket, tracker, &credential, false).await {
        Ok(Sent::Done {
            remote: Some(r), ..
        }) => Delivery::Sent(r.show().to_string()),
        Ok(Sent::Done { what, remote: None }) => {
            Delivery::Sent(format!("{what} at {}", tracker.target.name))
        }
        Ok(Sent::AlreadyFiled(r)) => Delivery::AlreadyFiled(r.show().to_string()),
        Ok(Sent::Skipped(why)) => not_sent(why),
        // The record waits as pending either way; `retry` only says whether unchanged may help.
        Ok(Sent::NotSent { error, .. }) => Delivery::NotSent {
            why: error,
            pending: true,
        },
        Err(e) => not_sent(e.to_string()),
    }
}

/// Puts text on the clipboard of the terminal the agent sits at, even over SSH.
fn copy_osc52(text: &Redacted) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// The OSC 52 sequence that sets the clipboard to `text`: exactly what goes to the terminal.
pub(crate) fn osc52(text: &Redacted) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_str());
    format!("\x1b]52;c;{encoded}\x07")
}

/// Access logs triaged through the same intake path as `run --log`.
pub(crate) fn triage_logs(paths: Vec<PathBuf>) -> Result<crate::facts::Facts, String> {
    let pastes = crate::intake::Pastes {
        logs: crate::triage::case_logs(&paths),
        ..Default::default()
    };
    // Logs need no gateway settings: those judge pasted requests and tokens.
    let request = crate::diagnose::RequestContext::default();
    crate::intake::diagnostic_facts(
        pastes,
        &crate::facts::Facts::new(),
        &request,
        None,
        chrono::Utc::now(),
    )
    .map_err(|e| e.to_string())
}

/// The Markdown and JSON files of a saved ticket, found by their extensions.
pub(crate) fn read_saved(files: &[PathBuf]) -> Result<SavedTicket, String> {
    let read = |ext: &str| {
        let path = files
            .iter()
            .find(|f| f.extension().is_some_and(|x| x == ext))
            .ok_or_else(|| format!("no .{ext} file among the saved ones"))?;
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
    };
    Ok(SavedTicket {
        markdown: read("md")?,
        json: read("json")?,
    })
}

fn home_data(data_dir: &Path, tickets_dir: &Path) -> HomeData {
    let listing = session::unfinished(data_dir);
    let mut tickets: Vec<(std::time::SystemTime, TicketFile)> = std::fs::read_dir(tickets_dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).ok()?;
            let path = e.path();
            let title = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| {
                    t.lines()
                        .next()
                        .map(|l| l.trim_start_matches("# ").to_string())
                })
                .unwrap_or_default();
            let name = e.file_name().to_string_lossy().into_owned();
            Some((modified, TicketFile { name, path, title }))
        })
        .collect();
    tickets.sort_by_key(|t| std::cmp::Reverse(t.0));
    HomeData {
        sessions: listing.sessions,
        damaged: listing
            .damaged
            .iter()
            .map(|d| DamagedFile {
                file: d.file.clone(),
                reason: d.reason(),
            })
            .collect(),
        problems: listing.problems.iter().map(ToString::to_string).collect(),
        tickets: tickets
            .into_iter()
            .take(RECENT_TICKETS)
            .map(|(_, t)| t)
            .collect(),
    }
}
