//! Writing files that hold case data: atomically (a reader never sees half a file), readable
//! by the owner only, and, for tickets, never over an existing file. Edge code: the core
//! builds a ticket or a session, and the front ends save it through here.

use crate::ticket::{Related, Ticket};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` and any missing parents readable by the owner only. A folder that already
/// exists is left as it is: it may be a team's shared tickets folder (2775, 1777) whose
/// permissions are its owner's choice, and the files in it are owner-only anyway.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens `path` for appending, creating it owner-only (for a log file).
pub fn private_append(path: &Path) -> io::Result<fs::File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `bytes` to a new owner-only temporary file beside `path`, flushed to disk.
fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(tmp)
}

/// Writes a new file atomically; fails with `AlreadyExists` rather than replace one.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    // A hard link, unlike a rename, refuses to replace an existing file.
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked
}

/// Replaces a file atomically (for state saved over and over, such as a session).
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// A ticket file that could not be written, or the folder it goes into.
#[derive(Debug, thiserror::Error)]
#[error("cannot write ticket {path}: {source}")]
pub struct TicketWriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Writes `ID.md` and `ID.json` into `dir`, never over existing files.
pub fn save_ticket(ticket: &Ticket, dir: &Path) -> Result<Vec<PathBuf>, TicketWriteError> {
    let write = |path: PathBuf, text: String| {
        write_new(&path, text.as_bytes())
            .map(|()| path.clone())
            .map_err(|source| TicketWriteError { path, source })
    };
    private_dir(dir).map_err(|source| TicketWriteError {
        path: dir.to_path_buf(),
        source,
    })?;
    Ok(vec![
        write(dir.join(format!("{}.md", ticket.id)), ticket.to_markdown())?,
        write(dir.join(format!("{}.json", ticket.id)), ticket.to_json())?,
    ])
}

/// The saved tickets in `dir` as [`Related`] cases, for a new ticket to link those of its
/// incident. A file that cannot be read, or a ticket from before incident keys, is left out:
/// a missing link costs less than a refused ticket.
pub fn saved_incidents(dir: &Path) -> Vec<Related> {
    #[derive(serde::Deserialize)]
    struct Saved {
        id: String,
        incident_key: String,
        outcome: SavedOutcome,
        customer_id: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct SavedOutcome {
        id: String,
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Related> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| fs::read_to_string(p).ok())
        .filter_map(|text| serde_json::from_str::<Saved>(&text).ok())
        .map(|t| Related {
            ticket_id: t.id,
            incident_key: t.incident_key,
            outcome_id: t.outcome.id,
            customer_id: t.customer_id,
            duplicate: false,
        })
        .collect();
    found.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_tickets_come_back_as_incidents_to_link_and_junk_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let t = finished_ticket();
        save_ticket(&t, dir.path()).unwrap();
        fs::write(dir.path().join("junk.json"), "{not json").unwrap();
        let found = saved_incidents(dir.path());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].ticket_id, t.id);
        assert_eq!(found[0].incident_key, t.incident_key);
        assert_eq!(found[0].customer_id, None);
        assert!(saved_incidents(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn write_new_never_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.md");
        write_new(&path, b"first").unwrap();
        let err = write_new(&path, b"second").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    #[test]
    fn new_folders_are_owner_only_and_existing_ones_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        for shared in [0o2775, 0o1777, 0o755] {
            let dir = root.path().join(format!("shared-{shared:o}"));
            fs::create_dir(&dir).unwrap();
            fs::set_permissions(&dir, fs::Permissions::from_mode(shared)).unwrap();
            private_dir(&dir).unwrap();
            assert_eq!(mode(&dir), shared, "{}", dir.display());
            private_dir(&dir.join("a/b")).unwrap();
            assert_eq!(mode(&dir), shared);
            // A setgid parent passes its setgid bit on (Linux does that, not authdesk).
            assert_eq!(mode(&dir.join("a")) & 0o777, 0o700);
            assert_eq!(mode(&dir.join("a/b")) & 0o777, 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn appended_files_are_created_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("authdesk.log");
        private_append(&path).unwrap().write_all(b"one\n").unwrap();
        private_append(&path).unwrap().write_all(b"two\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one\ntwo\n");
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        replace(&path, b"1").unwrap();
        replace(&path, b"2").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"2");
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    fn finished_ticket() -> Ticket {
        use crate::facts::{FactSource, Facts};
        use crate::runbook::Catalog;
        use crate::ticket::Context;
        use crate::walk::Walk;
        let now = "2026-11-22T10:00:00Z".parse().unwrap();
        let rb = Catalog::builtin().find("403").unwrap().clone();
        let mut facts = Facts::new();
        // Validation being down decides the 403 tree outright.
        facts
            .insert_text("health.status", "down", FactSource::AdminApi, now)
            .unwrap();
        let walk = Walk::start(&rb, facts, now).unwrap();
        let cx = Context {
            agent: "alice",
            demo_data: false,
            now,
            related: &[],
        };
        Ticket::from_walk(&rb, &walk, &cx).unwrap()
    }

    #[test]
    fn saving_a_ticket_writes_both_files_once() {
        let t = finished_ticket();
        let dir = tempfile::tempdir().unwrap();
        let written = save_ticket(&t, dir.path()).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(fs::read_to_string(&written[0]).unwrap(), t.to_markdown());
        assert_eq!(fs::read_to_string(&written[1]).unwrap(), t.to_json());
        let again = save_ticket(&t, dir.path()).unwrap_err();
        assert_eq!(again.source.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(again.path, written[0]);
    }
}
