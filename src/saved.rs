//! Every saved case read back for the figures of [`crate::stats`]: finished cases from the
//! tickets folder, open ones from the sessions in the data folder. `authdesk stats`,
//! `graph --stats` and the app's stats screen all read through here, so they count alike.
//!
//! A file that cannot be read is skipped and named, and the rest still count; a folder that
//! exists but cannot be listed is an error, since every figure would leave its cases out.

use crate::stats::{Case, from_ticket_json};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The cases read, and the files left out.
#[derive(Debug, Default)]
pub struct SavedCases {
    pub cases: Vec<Case>,
    pub skipped: Vec<Skipped>,
}

/// A file that is not a readable ticket or session, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "skipped {}: {}", self.path.display(), self.why)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot read the {what} folder {}: {source}", path.display())]
pub struct FolderError {
    /// `tickets` or `sessions`.
    pub what: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

/// Every case saved under `tickets_dir` and `data_dir`. Folders that do not exist yet hold
/// no cases.
pub fn read(tickets_dir: &Path, data_dir: &Path) -> Result<SavedCases, FolderError> {
    let mut saved = SavedCases::default();
    for path in json_files("tickets", tickets_dir)? {
        let case = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| from_ticket_json(&text).map_err(|e| e.to_string()));
        saved.keep(path, case.map(Some));
    }
    let sessions = crate::session::sessions_dir(data_dir);
    for path in json_files("sessions", &sessions)? {
        let case = crate::session::Session::read(&path)
            .map(|s| s.open_case())
            .map_err(|e| e.to_string());
        saved.keep(path, case);
    }
    Ok(saved)
}

impl SavedCases {
    fn keep(&mut self, path: PathBuf, case: Result<Option<Case>, String>) {
        match case {
            Ok(case) => self.cases.extend(case),
            Err(why) => self.skipped.push(Skipped { path, why }),
        }
    }
}

/// The `.json` files in `dir`, sorted; none when it does not exist yet. Temporary files of an
/// interrupted save start with a dot and are left out.
fn json_files(what: &'static str, dir: &Path) -> Result<Vec<PathBuf>, FolderError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(FolderError {
                what,
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.') && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_folders_hold_no_cases() {
        let dir = tempfile::tempdir().unwrap();
        let saved = read(&dir.path().join("tickets"), &dir.path().join("data")).unwrap();
        assert!(saved.cases.is_empty() && saved.skipped.is_empty());
    }

    #[test]
    fn a_bad_file_is_skipped_by_name_and_a_folder_that_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let tickets = dir.path().join("tickets");
        std::fs::create_dir(&tickets).unwrap();
        std::fs::write(tickets.join("notes.json"), "{}").unwrap();
        std::fs::write(tickets.join(".tmp-1.json"), "{").unwrap();
        std::fs::write(tickets.join("readme.txt"), "hello").unwrap();
        let saved = read(&tickets, &dir.path().join("data")).unwrap();
        assert_eq!(saved.skipped.len(), 1, "{:?}", saved.skipped);
        assert!(saved.skipped[0].to_string().contains("notes.json"));

        let not_a_folder = dir.path().join("file");
        std::fs::write(&not_a_folder, "").unwrap();
        let e = read(&not_a_folder, &dir.path().join("data")).unwrap_err();
        assert!(
            e.to_string().starts_with("cannot read the tickets folder"),
            "{e}"
        );
    }
}
