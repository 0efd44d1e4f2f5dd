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
        env(var)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(Self)
            .ok_or_else(|| TokenError::Missing { var: var.clone() })
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
        Ok(Self(token.to_string()))
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
                value: Some("http://127.0.0.1:1".into()),
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
