//! Carrying out the update's effects for the plain front end: the same saves, locks and
//! evidence queries as the terminal app's runner, without a screen to hand over. The ticket
//! is written before the next line is read, so its paths are printed (and kept in the
//! session) before input that ends at once can close the case.

use crate::session::{CaseLock, Session};
use crate::tui::gathering::Link;
use crate::tui::{Effect, Msg};
use std::path::PathBuf;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;

pub struct Runner {
    tx: UnboundedSender<Msg>,
    data_dir: PathBuf,
    tickets_dir: PathBuf,
    link: Link,
    /// The lock of the case being walked, so no other authdesk walks it at the same time.
    case_lock: Option<CaseLock>,
    /// The round of evidence queries still running, if any, and when it started: the walk
    /// waits for it before asking, so a line typed is never taken as the answer to a
    /// question it did not see.
    pub evidence_round: Option<(u64, Instant)>,
}

impl Runner {
    pub fn new(
        tx: UnboundedSender<Msg>,
        data_dir: PathBuf,
        tickets_dir: PathBuf,
        link: Link,
        case_lock: Option<CaseLock>,
    ) -> Self {
        Runner {
            tx,
            data_dir,
            tickets_dir,
            link,
            case_lock,
            evidence_round: None,
        }
    }

    /// Carries out `effect`; a finished ticket save comes back as its message at once, to be
    /// taken in before any other line or message.
    pub fn run(&mut self, effect: Effect) -> Option<Msg> {
        match effect {
            Effect::FetchEvidence { generation, intake } => {
                self.evidence_round = Some((generation, Instant::now()));
                self.link.fetch(generation, intake, self.tx.clone());
            }
            Effect::HoldCase(id) => self.hold(id),
            Effect::SaveSession(session) => self.save(&session),
            Effect::SaveTicket(ticket) => {
                return Some(
                    match crate::store::save_ticket(&ticket, &self.tickets_dir) {
                        Ok(files) => Msg::TicketSaved { files },
                        Err(e) => Msg::TicketSaveFailed {
                            reason: e.to_string(),
                        },
                    },
                );
            }
            // Read here, not on a worker: plain mode takes its next line only after this.
            Effect::TriageLogs { case, paths } => {
                let facts = crate::tui::effects::triage_logs(paths);
                return Some(Msg::LogsTriaged { case, facts });
            }
            // Read here too: the ticket links its incident before the next line can save it.
            Effect::LoadIncidents => {
                return Some(Msg::IncidentsLoaded(crate::store::saved_incidents(
                    &self.tickets_dir,
                )));
            }
            Effect::ReadSavedTicket(files) => {
                let read = crate::tui::effects::read_saved(&files);
                return Some(Msg::SavedTicketRead(read));
            }
            // Plain mode has no home or stats screen, clipboard, editor or pager, and never
            // asks for them.
            Effect::LoadHome
            | Effect::LoadStats
            | Effect::Copy(_)
            | Effect::OpenEditor(_)
            | Effect::ArchiveSession(_)
            | Effect::ArchiveDamaged(_)
            | Effect::ReadTicket(_)
            | Effect::OpenPager(_)
            // Training has no plain form (`authdesk train` refuses --plain).
            | Effect::ServeScenario(_)
            | Effect::RememberTrainee(_)
            | Effect::SaveResult { .. }
            | Effect::LoadReport(_)
            | Effect::Send { .. }
            | Effect::Quit => {}
        }
        None
    }

    /// Whether `msg` ends the evidence round the walk is waiting for.
    pub fn round_over(&mut self, msg: &Msg) {
        let ended = match msg {
            Msg::EvidenceFinished { generation, .. } | Msg::EvidenceOffline { generation, .. } => {
                *generation
            }
            _ => return,
        };
        if self.evidence_round.is_some_and(|(round, _)| round == ended) {
            self.evidence_round = None;
        }
    }

    fn save(&self, session: &Session) {
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

    fn hold(&mut self, id: Option<String>) {
        if self.case_lock.as_ref().map(|l| l.id()) == id.as_deref() {
            return;
        }
        self.case_lock = None;
        let Some(id) = id else { return };
        match CaseLock::acquire(&self.data_dir, &id) {
            Ok(lock) => self.case_lock = Some(lock),
            Err(e) => {
                let _ = self.tx.send(Msg::CaseNotHeld {
                    id,
                    reason: e.to_string(),
                });
            }
        }
    }
}
