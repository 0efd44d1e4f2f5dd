//! One authdesk at a time per case: an OS lock on `sessions/ID.lock`, held while the case is
//! open, so a second authdesk cannot walk the same case and file a contradictory ticket. The
//! kernel drops the lock when its holder exits, crash and SIGKILL included; the file itself
//! stays, since deleting a lock file races with the next process opening it.

use super::{SessionError, check_id, sessions_dir};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The lock of one open case; dropping it releases the case.
#[derive(Debug)]
pub struct CaseLock {
    id: String,
    /// Held for its lock, not read.
    _file: File,
}

impl CaseLock {
    /// Takes the case `id` for this process, or says which process has it.
    pub fn acquire(data_dir: &Path, id: &str) -> Result<Self, SessionError> {
        check_id(id)?;
        let dir = sessions_dir(data_dir);
        let path = dir.join(format!("{id}.lock"));
        let io_err = |source| SessionError::Lock {
            path: path.clone(),
            source,
        };
        crate::store::private_dir(&dir).map_err(io_err)?;
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path).map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(SessionError::OpenElsewhere {
                    id: id.to_string(),
                    pid: holder(&mut file),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        // The holder's pid is only for the message a second authdesk shows.
        let pid = std::process::id().to_string();
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(pid.as_bytes()))
            .map_err(io_err)?;
        Ok(CaseLock {
            id: id.to_string(),
            _file: file,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The pid the holder wrote, when it has written it yet.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
