//! The admin token: read from the environment or from a file only its owner can read, and
//! never shown. It leaves this type only as an `Authorization` header value.

use crate::config::AdminConfig;
use std::fmt;
use std::path::{Path, PathBuf};

/// The admin API's bearer token. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminToken(String);

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "no admin token: set ${var}, or admin.token_file in authdesk.toml (or $AUTHDESK_ADMIN_TOKEN_FILE)"
    )]
    Missing { var: String },
    #[error("cannot read the admin token file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the admin token file {} can be read by others (mode {mode:o}): run `chmod 600 {}`",
        path.display(),
        path.display()
    )]
    Insecure { path: PathBuf, mode: u32 },
    #[error("the admin token file {} is empty", path.display())]
    Empty { path: PathBuf },
    #[error(
        "the admin token from {from} holds {what} at character {position}: an HTTP header cannot \
         carry it, so nothing was sent. Check how the token was copied"
    )]
    Unsendable {
        from: String,
        what: &'static str,
        position: usize,
    },
}

/// Refuses a token an `Authorization` header cannot carry as is (a pasted newline, an escape,
/// a non-ASCII look-alike), before any request: sent, it fails as a dropped connection.
fn sendable(token: String, from: impl FnOnce() -> String) -> Result<AdminToken, TokenError> {
    let bad = token
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic());
    match bad {
        None => Ok(AdminToken(token)),
        Some((i, c)) => Err(TokenError::Unsendable {
            from: from(),
            what: if c.is_control() {
                "a control character"
            } else if c.is_whitespace() {
                "a space"
            } else {
                "a non-ASCII character"
            },
            position: i + 1,
        }),
    }
}

impl AdminToken {
    /// A token made up on the spot, for the in-process demo server.
    pub fn random() -> Self {
        let token: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        Self(token)
    }

    /// The token from `token_file` if set, else from the variable named by `token_env`.
    pub fn load(
        config: &AdminConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, TokenError> {
        if let Some(path) = &config.token_file.value {
            return Self::from_file(path);
        }
        let var = &config.token_env.value;
        let token = env(var)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| TokenError::Missing { var: var.clone() })?;
        sendable(token, || format!("${var}"))
    }

    fn from_file(path: &Path) -> Result<Self, TokenError> {
        let read = |source| TokenError::Read {
            path: path.to_path_buf(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(read)?;
        check_owner_only(path, &meta)?;
        let text = std::fs::read_to_string(path).map_err(read)?;
        let token = text.trim();
        if token.is_empty() {
            return Err(TokenError::Empty {
                path: path.to_path_buf(),
            });
        }
        sendable(token.to_string(), || path.display().to_string())
    }

    /// `Bearer <token>`, for the request header and nothing else.
    pub(super) fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// The raw token, to hand to the in-process demo server so it checks what the client sends.
    pub(super) fn expose_for_demo(&self) -> String {
        self.0.clone()
    }
}

#[cfg(unix)]
fn check_owner_only(path: &Path, meta: &std::fs::Metadata) -> Result<(), TokenError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(TokenError::Insecure {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_: &Path, _: &std::fs::Metadata) -> Result<(), TokenError> {
    // Windows ACLs do not map onto group/other bits; the file's folder permissions apply.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Origin, Setting};

    fn config_with(file: Option<PathBuf>) -> AdminConfig {
        let set = |value| Setting {
            value,
            origin: Origin::Default,
        };
        AdminConfig {
            url: Setting {
                value: Some(crate::config::AdminUrl::new("http://127.0.0.1:1")),
                origin: Origin::Default,
            },
            token_env: set("AUTHDESK_ADMIN_TOKEN".to_string()),
            token_file: Setting {
                value: file,
                origin: Origin::Default,
            },
            connect_timeout_ms: Setting {
                value: 1000,
                origin: Origin::Default,
            },
            request_timeout_ms: Setting {
                value: 1000,
                origin: Origin::Default,
            },
            allow_insecure_http: Setting {
                value: false,
                origin: Origin::Default,
            },
            max_body_bytes: Setting {
                value: 1 << 20,
                origin: Origin::Default,
            },
        }
    }

    #[test]
    fn token_comes_from_the_named_variable_and_never_prints() {
        let c = config_with(None);
        let env = |k: &str| (k == "AUTHDESK_ADMIN_TOKEN").then(|| " s3cr3t-token\n".to_string());
        let t = AdminToken::load(&c, &env).unwrap();
        assert_eq!(t.bearer(), "Bearer s3cr3t-token");
        assert!(!format!("{t:?}").contains("s3cr3t"));
    }

    #[test]
    fn a_token_with_control_characters_is_refused_without_echoing_it() {
        let c = config_with(None);
        for (value, what) in [
            ("s3cr3t\x1b[2Jtoken", "control character"),
            ("s3cr3t\rtoken", "control character"),
            ("s3cr3t token", "space"),
            ("s3cr3t\u{2011}token", "non-ASCII"),
        ] {
            let env = |k: &str| (k == "AUTHDESK_ADMIN_TOKEN").then(|| value.to_string());
            let err = AdminToken::load(&c, &env).unwrap_err().to_string();
            assert!(err.contains(what) && err.contains("character 7"), "{err}");
            assert!(err.contains("$AUTHDESK_ADMIN_TOKEN"), "{err}");
            assert!(!err.contains("s3cr3t"), "{err}");
        }
    }

    #[test]
    fn missing_token_names_the_variable() {
        let err = AdminToken::load(&config_with(None), &|_| None).unwrap_err();
        assert!(err.to_string().contains("$AUTHDESK_ADMIN_TOKEN"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn token_file_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "file-token\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = AdminToken::load(&config_with(Some(path.clone())), &|_| None).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("chmod 600") && msg.contains("644"), "{msg}");
        assert!(!msg.contains("file-token"));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let t = AdminToken::load(&config_with(Some(path)), &|_| None).unwrap();
        assert_eq!(t.bearer(), "Bearer file-token");
    }
}
