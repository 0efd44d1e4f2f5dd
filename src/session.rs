//! A case in progress, saved to `data_dir/sessions/ID.json` after every step, so a crash, a
//! closed terminal or a SIGTERM loses nothing and `authdesk resume` brings the case back.
//!
//! This module is plain data and file I/O: it knows nothing of terminals. What the agent typed
//! at intake is kept as text, except secrets, which are kept only masked.
//!
//! A session is named by its id, never by a path: only ids of the form [`new_id`] makes are
//! accepted, and only the data folder is looked in, so a resumed case is saved where it was
//! found. [`CaseLock`] keeps a case to one authdesk at a time.

mod archive;
mod lock;

pub use crate::intake::IntakeValue;
pub use archive::{archive, archive_damaged};
pub use lock::CaseLock;

use crate::secret::Redacted;
use crate::walk::{RunbookRef, Walk};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Bumped when a saved session can no longer be read by older code.
pub const FORMAT_VERSION: u32 = 1;

/// One case, from intake to its ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub format_version: u32,
    /// `YYYYMMDD-HHMMSS-xxxx`: sorts by start time, unique enough for one agent's machine.
    pub id: String,
    pub runbook: RunbookRef,
    pub agent: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the agent typed at intake, by input name.
    pub intake: BTreeMap<String, IntakeValue>,
    /// The walk, once intake is done.
    pub walk: Option<Walk>,
    /// Whether the evidence came from the built-in demo API.
    pub demo_data: bool,
    /// The ticket summary as the agent edited it, replacing the runbook's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Redacted>,
    /// The ticket files written; a session with a ticket is finished.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ticket_files: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot write session {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot read session {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("session {path} is damaged: {source}")]
    Damaged {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("no session `{id}` in {dir}")]
    NotFound { id: String, dir: PathBuf },
    #[error(
        "{id:?} is not a session id: sessions are named like 20261122-100000-abcd and are \
         looked for in the data folder only"
    )]
    BadId { id: String },
    #[error("{name:?} is not a session file in the sessions folder")]
    NotASessionFile { name: String },
    #[error("session {path} holds case `{id}`, not the one its file name says")]
    WrongId { path: PathBuf, id: String },
    #[error(
        "session {path} was written by a newer authdesk (session format {version}, this one \
         reads up to {FORMAT_VERSION}); resume it there"
    )]
    Newer { path: PathBuf, version: u32 },
    #[error("case {id} is open in another authdesk{}", pid.map_or_else(String::new, |p| format!(" (pid {p})")))]
    OpenElsewhere { id: String, pid: Option<u32> },
    #[error("cannot lock session {path}: {source}")]
    Lock {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Session {
    pub fn new(id: String, runbook: RunbookRef, agent: &str, now: DateTime<Utc>) -> Self {
        Session {
            format_version: FORMAT_VERSION,
            id,
            runbook,
            agent: agent.to_string(),
            created_at: now,
            updated_at: now,
            intake: BTreeMap::new(),
            walk: None,
            demo_data: false,
            summary: None,
            ticket_files: Vec::new(),
        }
    }

    /// The case as statistics count it while it is open; `None` once finished, when its
    /// ticket counts it.
    pub fn open_case(&self) -> Option<crate::stats::Case> {
        let walk = self.walk.as_ref();
        (!self.is_finished()).then(|| {
            crate::stats::open_case(
                &self.id,
                &self.runbook,
                self.created_at,
                self.updated_at,
                walk,
            )
        })
    }

    pub fn is_finished(&self) -> bool {
        !self.ticket_files.is_empty()
    }

    /// The customer this case is about, for lists.
    pub fn customer(&self) -> Option<&str> {
        match self.intake.get("customer_id") {
            Some(IntakeValue::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        }
    }

    /// Writes the session atomically over its previous save.
    pub fn save(&self, data_dir: &Path) -> Result<PathBuf, SessionError> {
        check_id(&self.id)?;
        let dir = sessions_dir(data_dir);
        let path = dir.join(format!("{}.json", self.id));
        let write_err = |source| SessionError::Write {
            path: path.clone(),
            source,
        };
        crate::store::private_dir(&dir).map_err(write_err)?;
        // Serializing plain data with string keys cannot fail.
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        crate::store::replace(&path, &json).map_err(write_err)?;
        Ok(path)
    }

    /// Reads a session file, refusing one written by a newer format or holding a case other
    /// than the one its name says (it would be saved somewhere else).
    pub fn read(path: &Path) -> Result<Session, SessionError> {
        let bytes = std::fs::read(path).map_err(|source| SessionError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let damaged = |source| SessionError::Damaged {
            path: path.to_path_buf(),
            source,
        };
        // The version is read on its own first: a newer format may have fields this code
        // does not know, and "damaged" would be the wrong thing to tell the agent.
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let Version { format_version } = serde_json::from_slice(&bytes).map_err(damaged)?;
        if format_version > FORMAT_VERSION {
            return Err(SessionError::Newer {
                path: path.to_path_buf(),
                version: format_version,
            });
        }
        let session: Session = serde_json::from_slice(&bytes).map_err(damaged)?;
        let named = path.file_stem().and_then(|s| s.to_str());
        if !is_id(&session.id) || named != Some(session.id.as_str()) {
            return Err(SessionError::WrongId {
                path: path.to_path_buf(),
                id: session.id,
            });
        }
        Ok(session)
    }

    /// The session with this id, or the most recent unfinished one when `id` is `None`.
    pub fn load(data_dir: &Path, id: Option<&str>) -> Result<Session, SessionError> {
        let dir = sessions_dir(data_dir);
        let not_found = || SessionError::NotFound {
            id: id.unwrap_or("(most recent unfinished)").to_string(),
            dir: dir.clone(),
        };
        match id {
            Some(id) => {
                check_id(id)?;
                let path = dir.join(format!("{id}.json"));
                if !path.exists() {
                    return Err(not_found());
                }
                Session::read(&path)
            }
            None => unfinished(data_dir)
                .sessions
                .into_iter()
                .next()
                .ok_or_else(not_found),
        }
    }
}

/// Where sessions live inside the data folder.
pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sessions")
}

/// A new session id for a case started at `now`.
pub fn new_id(now: DateTime<Utc>) -> String {
    format!("{}-{:04x}", now.format("%Y%m%d-%H%M%S"), fastrand::u16(..))
}

/// Whether `id` has the form [`new_id`] gives: `YYYYMMDD-HHMMSS-xxxx`, lowercase hex. Such an
/// id is a plain file name, never a path.
pub fn is_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 15 => *c == b'-',
            0..15 => c.is_ascii_digit(),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

fn check_id(id: &str) -> Result<(), SessionError> {
    if is_id(id) {
        Ok(())
    } else {
        Err(SessionError::BadId {
            id: crate::secret::redact(id, &[]),
        })
    }
}

/// How old a save's temporary file must be to count as left by a crash: a save takes
/// milliseconds, and another authdesk may be saving right now.
const STALE_TEMP: Duration = Duration::from_secs(60);

/// Removes temporary files that an interrupted save left in the sessions folder; returns how
/// many. Failures are left for the next start.
pub fn clean_temp_files(data_dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(sessions_dir(data_dir)) else {
        return 0;
    };
    let now = SystemTime::now();
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .filter(|e| {
            let modified = e.metadata().and_then(|m| m.modified());
            modified.is_ok_and(|m| now.duration_since(m).unwrap_or_default() > STALE_TEMP)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Unfinished sessions, and the files that could not be read (reported, not fatal).
#[derive(Debug, Default)]
pub struct Listing {
    /// Most recently updated first.
    pub sessions: Vec<Session>,
    /// Session files that cannot be resumed here, by file name.
    pub damaged: Vec<Damaged>,
    /// The sessions folder itself could not be read.
    pub problems: Vec<SessionError>,
}

/// A file in the sessions folder that cannot be resumed here: unreadable, written by a newer
/// authdesk, or holding another case than its name says. Listed so the agent can see why and
/// move it out of the way with [`archive_damaged`].
#[derive(Debug)]
pub struct Damaged {
    /// Its name in the sessions folder.
    pub file: String,
    pub error: SessionError,
}

impl Damaged {
    /// Why it cannot be resumed, in a few words; the path is left out, the file name is
    /// shown beside it.
    pub fn reason(&self) -> String {
        match &self.error {
            SessionError::Read { source, .. } => format!("cannot be read: {source}"),
            SessionError::Damaged { source, .. } => format!("not a readable session: {source}"),
            SessionError::Newer { version, .. } => format!(
                "written by a newer authdesk (session format {version}, this one reads up to \
                 {FORMAT_VERSION})"
            ),
            // The id was read from the file: it may hold anything, a pasted key included.
            SessionError::WrongId { id, .. } if is_id(id) => {
                format!("holds case {id}, not the one its name says")
            }
            SessionError::WrongId { .. } => "holds no valid session id".to_string(),
            other => other.to_string(),
        }
    }
}

/// Every unfinished session in the data folder. A missing folder is an empty list.
pub fn unfinished(data_dir: &Path) -> Listing {
    let dir = sessions_dir(data_dir);
    let mut listing = Listing::default();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return listing,
        Err(source) => {
            listing
                .problems
                .push(SessionError::Read { path: dir, source });
            return listing;
        }
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        // Temporary files of an interrupted save start with a dot; skip them.
        let Some(file) = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.starts_with('.') && n.ends_with(".json"))
        else {
            continue;
        };
        match Session::read(&path) {
            Ok(s) if !s.is_finished() => listing.sessions.push(s),
            Ok(_) => {}
            Err(error) => listing.damaged.push(Damaged {
                file: file.to_string(),
                error,
            }),
        }
    }
    listing
        .sessions
        .sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    listing.damaged.sort_by(|a, b| a.file.cmp(&b.file));
    listing
}

#[cfg(test)]
mod tests;
