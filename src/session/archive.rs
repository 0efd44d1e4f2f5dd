//! Moving session files out of the home screen's list into `sessions/archive/`: an unfinished
//! case the agent gave up on, or a file that cannot be resumed here. Nothing is deleted, and
//! an archived file never replaces another.

use super::{CaseLock, SessionError, is_id, sessions_dir};
use std::path::{Path, PathBuf};

/// Moves the case `id` to `sessions/archive/`: off the home screen's list, not deleted.
/// Refused while another authdesk has the case open.
pub fn archive(data_dir: &Path, id: &str) -> Result<PathBuf, SessionError> {
    let _held = CaseLock::acquire(data_dir, id)?;
    move_to_archive(data_dir, &format!("{id}.json"))
}

/// Moves the damaged session file `file` (a name in the sessions folder, as
/// [`super::Damaged`] gives it) to `sessions/archive/`. A file named like a case is refused
/// while another authdesk holds that case: a newer authdesk may have it open.
pub fn archive_damaged(data_dir: &Path, file: &str) -> Result<PathBuf, SessionError> {
    // Only a plain `.json` name in the sessions folder: never a path, never a temporary file.
    let plain = Path::new(file).file_name() == Some(file.as_ref())
        && !file.starts_with('.')
        && !file.contains(['/', '\\'])
        && file.ends_with(".json");
    if !plain {
        return Err(SessionError::NotASessionFile {
            name: crate::secret::redact(file, &[]),
        });
    }
    let _held = match file.strip_suffix(".json").filter(|id| is_id(id)) {
        Some(id) => Some(CaseLock::acquire(data_dir, id)?),
        None => None,
    };
    move_to_archive(data_dir, file)
}

fn move_to_archive(data_dir: &Path, file: &str) -> Result<PathBuf, SessionError> {
    let dir = sessions_dir(data_dir);
    let archive = dir.join("archive");
    crate::store::private_dir(&archive).map_err(|source| SessionError::Write {
        path: archive.clone(),
        source,
    })?;
    let to = free_name(&archive, file);
    std::fs::rename(dir.join(file), &to).map_err(|source| SessionError::Write {
        path: to.clone(),
        source,
    })?;
    Ok(to)
}

/// `archive/FILE`, or `archive/STEM.N.json` when an earlier file of that name is there.
fn free_name(archive: &Path, file: &str) -> PathBuf {
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let mut to = archive.join(file);
    let mut n = 1;
    while to.exists() {
        to = archive.join(format!("{stem}.{n}.json"));
        n += 1;
    }
    to
}
