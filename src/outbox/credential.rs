//! A target's credential: from its environment variable, else the OS keyring, else a file
//! only its owner can read. Held in a type that never prints it; it leaves only as the
//! header, body field or URL its target takes (`super::wire`).

use crate::config::{CredentialSource, Tracker};
use crate::secret::MaskedSecret;
use std::fmt;
use std::path::{Path, PathBuf};

/// The keyring service every authdesk credential is stored under.
pub const KEYRING_SERVICE: &str = "authdesk";

/// A credential. `Debug` and `Display` show only its mask.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    secret: String,
    /// Where it was read: `$JIRA_TOKEN`, `keyring authdesk/jira`, a file.
    pub from: String,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credential({} from {})", self.mask(), self.from)
    }
}

impl fmt::Display for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.mask())
    }
}

impl Credential {
    /// What a person may see: `ghp_ab12…9f3e`.
    pub fn mask(&self) -> String {
        MaskedSecret::new(&self.secret).mask().to_string()
    }

    pub(super) fn expose(&self) -> &str {
        &self.secret
    }

    /// `text` with the credential (and any secret shape) masked: for messages that may quote
    /// what a target echoed back.
    pub fn scrub(&self, text: &str) -> String {
        crate::secret::Redacted::with_known(text, &[&self.secret])
            .as_str()
            .replace(&self.secret, &self.mask())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("no credential for tracker `{target}`: {}", tried.join("; "))]
    Missing { target: String, tried: Vec<String> },
    #[error(
        "the credential file {} can be read by others (mode {mode:o}): run `chmod 600 {}`",
        path.display(),
        path.display()
    )]
    Insecure { path: PathBuf, mode: u32 },
    #[error("cannot read the credential file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the credential for tracker `{target}` from {from} holds a control character, a space or a \
         non-ASCII character at character {position}: check how it was copied"
    )]
    Unsendable {
        target: String,
        from: String,
        position: usize,
    },
    #[error("reading the credential for tracker `{target}` stopped: {why}")]
    Interrupted { target: String, why: String },
}

/// Reads the keyring: `Ok(None)` when it has no such entry, `Err` when there is no keyring to
/// ask (no secret service on this machine) or it failed.
pub type Keyring<'a> = &'a dyn Fn(&str) -> Result<Option<String>, String>;

/// The credential of `tracker`, tried from each configured source in order.
pub fn load(
    tracker: &Tracker,
    env: crate::config::Env<'_>,
    keyring: Keyring<'_>,
) -> Result<Credential, CredentialError> {
    let name = &tracker.target.name;
    let CredentialSource {
        env: var,
        keyring: user,
        file,
    } = &tracker.credential;
    let mut tried = Vec::new();
    let found = |secret: String, from: String| -> Result<Credential, CredentialError> {
        let secret = secret.trim().to_string();
        if let Some(position) = secret.chars().position(|c| !c.is_ascii_graphic()) {
            return Err(CredentialError::Unsendable {
                target: name.clone(),
                from,
                position: position + 1,
            });
        }
        Ok(Credential { secret, from })
    };
    if let Some(var) = var {
        match env(var).filter(|v| !v.trim().is_empty()) {
            Some(v) => return found(v, format!("${var}")),
            None => tried.push(format!("${var} is not set")),
        }
    }
    if let Some(user) = user {
        match keyring(user) {
            Ok(Some(v)) if !v.trim().is_empty() => {
                return found(v, format!("keyring {KEYRING_SERVICE}/{user}"));
            }
            Ok(_) => tried.push(format!("the keyring has no entry {KEYRING_SERVICE}/{user}")),
            Err(e) => tried.push(format!(
                "the OS keyring could not be read ({e}); on a machine without a secret service, \
                 use `env` or `file` instead"
            )),
        }
    }
    if let Some(path) = file {
        let text = read_owner_only(path)?;
        if !text.trim().is_empty() {
            return found(text, path.display().to_string());
        }
        tried.push(format!("{} is empty", path.display()));
    }
    Err(CredentialError::Missing {
        target: name.clone(),
        tried,
    })
}

/// [`load`] on tokio's blocking pool, for async callers: the keyring is a D-Bus, Keychain or
/// Credential Manager call and the file a disk read, and either can take seconds (a locked
/// keyring waiting to be unlocked). Inside an async task it would hold the runtime's thread
/// and every task queued on it until it returned.
pub async fn load_off_runtime<K>(
    tracker: Tracker,
    keyring: K,
) -> Result<Credential, CredentialError>
where
    K: Fn(&str) -> Result<Option<String>, String> + Send + 'static,
{
    let target = tracker.target.name.clone();
    tokio::task::spawn_blocking(move || {
        let env = |name: &str| std::env::var(name).ok();
        load(&tracker, &env, &keyring)
    })
    .await
    .unwrap_or_else(|e| {
        Err(CredentialError::Interrupted {
            target,
            why: e.to_string(),
        })
    })
}

/// The file's text, refused when its group or others may read it (on Unix).
fn read_owner_only(path: &Path) -> Result<String, CredentialError> {
    let read = |source| CredentialError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CredentialError::Insecure {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    std::fs::read_to_string(path).map_err(read)
}

/// The OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux).
pub fn os_keyring(user: &str) -> Result<Option<String>, String> {
    let entry = keyring::Entry::new(KEYRING_SERVICE, user).map_err(|e| e.to_string())?;
    match entry.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::send::{Kind, Target};

    fn tracker(source: CredentialSource) -> Tracker {
        Tracker {
            target: Target {
                name: "gh".into(),
                url: String::new(),
                labels: vec![],
                kind: Kind::Slack,
            },
            credential: source,
        }
    }

    fn no_keyring(_: &str) -> Result<Option<String>, String> {
        Err("no secret service".into())
    }

    #[test]
    fn env_comes_first_then_keyring_then_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file-0123456789\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let source = CredentialSource {
            env: Some("TOKEN".into()),
            keyring: Some("gh".into()),
            file: Some(file.clone()),
        };
        let env = |k: &str| (k == "TOKEN").then(|| "from-env-0123456789".to_string());
        let c = load(&tracker(source.clone()), &env, &no_keyring).unwrap();
        assert_eq!(
            (c.expose(), c.from.as_str()),
            ("from-env-0123456789", "$TOKEN")
        );
        let kr = |_: &str| Ok(Some("from-keyring-0123456789".to_string()));
        let c = load(&tracker(source.clone()), &|_| None, &kr).unwrap();
        assert_eq!(c.from, "keyring authdesk/gh");
        let c = load(&tracker(source), &|_| None, &no_keyring).unwrap();
        assert_eq!(c.expose(), "from-file-0123456789");
        assert!(!format!("{c:?} {c}").contains("from-file-0123456789"));
    }

    #[test]
    fn missing_everywhere_says_what_was_tried_and_how_to_fall_back() {
        let source = CredentialSource {
            env: Some("TOKEN".into()),
            keyring: Some("gh".into()),
            file: None,
        };
        let err = load(&tracker(source), &|_| None, &no_keyring)
            .unwrap_err()
            .to_string();
        assert!(err.contains("$TOKEN is not set"), "{err}");
        assert!(
            err.contains("without a secret service, use `env` or `file`"),
            "{err}"
        );
    }

    #[test]
    fn the_keyring_is_read_off_the_runtime_thread() {
        // One thread: a keyring read on it would stall the task that lets the keyring answer.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let keyring = move |_: &str| match rx.recv_timeout(std::time::Duration::from_secs(5)) {
            Ok(()) => Ok(Some("from-keyring-0123456789".to_string())),
            Err(_) => Err("the runtime was stalled while the keyring was read".to_string()),
        };
        let source = CredentialSource {
            keyring: Some("gh".into()),
            ..Default::default()
        };
        let loaded = rt.block_on(async move {
            tokio::spawn(async move { tx.send(()) });
            load_off_runtime(tracker(source), keyring).await
        });
        assert_eq!(loaded.unwrap().expose(), "from-keyring-0123456789");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "secret-0123456789").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        let source = CredentialSource {
            file: Some(file),
            ..Default::default()
        };
        let err = load(&tracker(source), &|_| None, &no_keyring)
            .unwrap_err()
            .to_string();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("secret-0123456789"), "{err}");
    }
}
