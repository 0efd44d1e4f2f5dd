//! A case in progress, saved to `data_dir/sessions/ID.json` after every step, so a crash, a
//! closed terminal or a SIGTERM loses nothing and `authdesk resume` brings the case back.
//!
//! This module is plain data and file I/O: it knows nothing of terminals. What the agent typed
//! at intake is kept as text, except secrets, which are kept only masked.

use crate::facts::{FactType, FactValue};
use crate::secret::{MaskedSecret, Redacted};
use crate::walk::{RunbookRef, Walk};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

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

/// An intake value as saved: redacted text, or a secret reduced to its mask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum IntakeValue {
    Text(Redacted),
    Masked(MaskedSecret),
}

impl IntakeValue {
    /// What may be kept of `text` typed into a field of type `ty`: secrets only masked, other
    /// text redacted, the `known` secrets (the key given at intake) included.
    pub fn keep(ty: FactType, text: &str, known: &[&str]) -> Self {
        if ty == FactType::Secret {
            IntakeValue::Masked(MaskedSecret::new(text))
        } else {
            IntakeValue::Text(Redacted::with_known(text, known))
        }
    }

    /// The fact value, or the reason the text does not fit `ty`.
    pub fn to_value(&self, ty: FactType) -> Result<FactValue, crate::facts::ParseFactError> {
        match self {
            IntakeValue::Text(t) => FactValue::parse(ty, t),
            IntakeValue::Masked(m) => Ok(FactValue::Secret(m.clone())),
        }
    }
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

    pub fn read(path: &Path) -> Result<Session, SessionError> {
        let bytes = std::fs::read(path).map_err(|source| SessionError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|source| SessionError::Damaged {
            path: path.to_path_buf(),
            source,
        })
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

/// Unfinished sessions, and the files that could not be read (reported, not fatal).
#[derive(Debug, Default)]
pub struct Listing {
    /// Most recently updated first.
    pub sessions: Vec<Session>,
    pub problems: Vec<SessionError>,
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
        let visible = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| !n.starts_with('.') && n.ends_with(".json"));
        if !visible {
            continue;
        }
        match Session::read(&path) {
            Ok(s) if !s.is_finished() => listing.sessions.push(s),
            Ok(_) => {}
            Err(e) => listing.problems.push(e),
        }
    }
    listing
        .sessions
        .sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    listing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FactSource, Facts};
    use crate::runbook::Catalog;
    use crate::walk::Answerer;

    fn now() -> DateTime<Utc> {
        "2026-11-22T10:00:00Z".parse().unwrap()
    }

    fn walked_session() -> Session {
        let catalog = Catalog::builtin();
        let rb = catalog.find("401").unwrap();
        let mut facts = Facts::new();
        facts
            .insert_text("customer_id", "cus_1001", FactSource::Intake, now())
            .unwrap();
        let mut walk = Walk::start(rb, facts, now()).unwrap();
        let at = walk.current().to_string();
        walk.answer(
            rb,
            &at,
            "just-this-customer",
            Answerer::Agent {
                name: "alice".into(),
            },
            now(),
        )
        .unwrap();
        let mut s = Session::new(
            "20261122-100000-abcd".into(),
            RunbookRef::of(rb),
            "alice",
            now(),
        );
        s.intake
            .insert("customer_id".into(), IntakeValue::Text("cus_1001".into()));
        s.intake.insert(
            "key".into(),
            IntakeValue::keep(FactType::Secret, "sk_live_0123456789abcdef0123", &[]),
        );
        s.walk = Some(walk);
        s
    }

    #[test]
    fn saved_session_reads_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let s = walked_session();
        let path = s.save(dir.path()).unwrap();
        assert_eq!(path, dir.path().join("sessions/20261122-100000-abcd.json"));
        assert_eq!(Session::load(dir.path(), Some(&s.id)).unwrap(), s);
    }

    #[test]
    fn pasted_key_is_never_written_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let path = walked_session().save(dir.path()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains("sk_live_0123456789abcdef0123"), "{text}");
        assert!(text.contains("sk_live_"), "the mask is kept: {text}");
    }

    #[test]
    fn listing_skips_finished_and_reports_damaged_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut older = walked_session();
        older.id = "20261122-090000-0001".into();
        older.updated_at = now() - chrono::Duration::hours(1);
        older.save(dir.path()).unwrap();
        let newer = walked_session();
        newer.save(dir.path()).unwrap();
        let mut done = walked_session();
        done.id = "20261122-110000-0002".into();
        done.ticket_files = vec!["ESC-1.md".into()];
        done.save(dir.path()).unwrap();
        std::fs::write(sessions_dir(dir.path()).join("bad.json"), "{").unwrap();

        let listing = unfinished(dir.path());
        let ids: Vec<&str> = listing.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["20261122-100000-abcd", "20261122-090000-0001"]);
        assert_eq!(listing.problems.len(), 1);
        assert!(listing.problems[0].to_string().contains("bad.json"));
        assert_eq!(Session::load(dir.path(), None).unwrap().id, newer.id);
    }

    #[test]
    fn missing_session_names_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(unfinished(dir.path()).sessions.is_empty());
        let err = Session::load(dir.path(), Some("nope"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no session `nope`"), "{err}");
    }

    #[test]
    fn masked_intake_value_still_gives_the_fact() {
        let kept = IntakeValue::keep(FactType::Secret, "sk_live_0123456789abcdef0123", &[]);
        assert!(matches!(
            kept.to_value(FactType::Secret),
            Ok(FactValue::Secret(_))
        ));
        let ip = IntakeValue::keep(FactType::Ip, "nope", &[]);
        assert!(ip.to_value(FactType::Ip).is_err());
    }
}
