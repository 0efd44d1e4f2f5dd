//! Send records on disk: `<data>/sent/<ticket>/<target>.json`, owner-only, replaced
//! atomically after every attempt (`crate::store`).

use crate::send::Record;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error("cannot read the send record {}: {detail}", path.display())]
    Read { path: PathBuf, detail: String },
    #[error("cannot write the send record {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the send record's read or write was interrupted: {0}")]
    Interrupted(String),
}

/// The records under one data folder.
#[derive(Debug, Clone)]
pub struct Records {
    dir: PathBuf,
}

/// A ticket id or target name as one file name: anything but letters, digits, `-`, `_` and
/// `.` becomes `_`, so neither can reach outside the folder.
fn file_name(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.trim_start_matches('.').to_string()
}

impl Records {
    pub fn new(data_dir: &Path) -> Self {
        Records {
            dir: data_dir.join("sent"),
        }
    }

    fn path(&self, ticket: &str, target: &str) -> PathBuf {
        self.dir
            .join(file_name(ticket))
            .join(format!("{}.json", file_name(target)))
    }

    pub fn load(&self, ticket: &str, target: &str) -> Result<Option<Record>, RecordsError> {
        read(&self.path(ticket, target))
    }

    pub fn save(&self, record: &Record) -> Result<(), RecordsError> {
        let path = self.path(&record.ticket, &record.target);
        let write = |source| RecordsError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            crate::store::private_dir(dir).map_err(write)?;
        }
        let text = crate::escape::json(record).unwrap_or_default();
        crate::store::replace(&path, text.as_bytes()).map_err(write)
    }

    /// Every record of one ticket.
    pub fn of_ticket(&self, ticket: &str) -> Vec<Result<Record, RecordsError>> {
        json_files(&self.dir.join(file_name(ticket)))
            .into_iter()
            .filter_map(|p| read(&p).transpose())
            .collect()
    }

    /// Every pending record, oldest ticket first; unreadable ones as errors.
    pub fn pending(&self) -> Vec<Result<Record, RecordsError>> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        dirs.iter()
            .flat_map(|d| json_files(d))
            .filter_map(|p| read(&p).transpose())
            .filter(|r| r.as_ref().map_or(true, Record::is_pending))
            .collect()
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn read(path: &Path) -> Result<Option<Record>, RecordsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(RecordsError::Read {
                path: path.into(),
                detail: e.to_string(),
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| RecordsError::Read {
            path: path.into(),
            detail: e.to_string(),
        })
}
