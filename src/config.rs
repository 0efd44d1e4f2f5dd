//! Configuration: `authdesk.toml` in the platform's config folder (or `--config`), overridden
//! by `AUTHDESK_*` variables. Every value remembers where it came from, for `authdesk config`.

mod admin_url;
mod gateway;
mod tracker;

pub use admin_url::{AdminUrl, UrlError, is_safe as is_safe_url};
pub use gateway::GatewayConfig;
pub use tracker::{CredentialSource, KINDS as TRACKER_KINDS, Tracker};

use crate::runbook::SourceFile;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    File(PathBuf),
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(p) => write!(f, "{}", p.display()),
            Origin::Env(var) => write!(f, "${var}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Setting<T> {
    fn default(value: T) -> Self {
        Self {
            value,
            origin: Origin::Default,
        }
    }

    fn set(&mut self, value: T, origin: Origin) {
        self.value = value;
        self.origin = origin;
    }
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    pub agent: Setting<String>,
    /// Folders searched for runbooks, before the built-in ones.
    pub runbook_dirs: Setting<Vec<PathBuf>>,
    pub tickets_dir: Setting<PathBuf>,
    /// Where sessions and logs are kept.
    pub data_dir: Setting<PathBuf>,
    pub admin: AdminConfig,
    pub tui: TuiConfig,
    /// What the gateway expects of requests and keys (`[gateway]`, `[[key_format]]`).
    pub gateway: Setting<GatewayConfig>,
    /// Where `authdesk send` files tickets (`[[tracker]]`).
    pub trackers: Setting<Vec<Tracker>>,
}

/// The terminal app's looks and keys. `keys` and `colors` are kept as written and checked
/// by the app when it starts (its keymap and themes know the valid names).
#[derive(Debug, Clone)]
pub struct TuiConfig {
    /// `dark` or `light`.
    pub theme: Setting<String>,
    /// Walk as plain lines (screen readers, dumb terminals) instead of the full-screen app.
    pub plain: Setting<bool>,
    /// `[tui.keys.CONTEXT] action = ["key", ...]`, over the defaults (`authdesk config --defaults`).
    pub keys: Option<toml::Table>,
    /// `[tui.colors] role = "fg on bg bold"`, over the chosen theme.
    pub colors: std::collections::BTreeMap<String, String>,
}

/// How to reach the admin API.
#[derive(Debug, Clone)]
pub struct AdminConfig {
    /// Base URL; none means the built-in demo API.
    pub url: Setting<Option<AdminUrl>>,
    /// Allows `http://` to a host other than this machine (the token then travels in clear).
    pub allow_insecure_http: Setting<bool>,
    /// The largest answer read, in bytes: a runaway body must not exhaust memory.
    pub max_body_bytes: Setting<u64>,
    /// The environment variable holding the admin token.
    pub token_env: Setting<String>,
    /// A file holding the admin token, readable by its owner only.
    pub token_file: Setting<Option<PathBuf>>,
    pub connect_timeout_ms: Setting<u64>,
    pub request_timeout_ms: Setting<u64>,
}

/// The default of `[admin] max_body_bytes`: far above any honest answer (a 200-item page is
/// tens of kilobytes), far below what hurts.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

impl AdminConfig {
    /// The configured admin URL, refused before any connection when it would send the admin
    /// token in clear; `None` means the built-in demo API.
    pub fn checked_url(&self) -> Result<Option<&AdminUrl>, UrlError> {
        let Some(url) = &self.url.value else {
            return Ok(None);
        };
        url.check(self.allow_insecure_http.value)?;
        Ok(Some(url))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(crate::runbook::Diagnostic),
    #[error("${var}: {message}")]
    Env { var: &'static str, message: String },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    agent: Option<String>,
    runbook_dirs: Option<Vec<PathBuf>>,
    tickets_dir: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    #[serde(default)]
    admin: RawAdmin,
    #[serde(default)]
    tui: RawTui,
    #[serde(default)]
    gateway: gateway::RawGateway,
    #[serde(default)]
    key_format: Vec<crate::diagnose::KeyFormat>,
    #[serde(default)]
    tracker: Vec<toml::Spanned<tracker::RawTracker>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTui {
    theme: Option<String>,
    plain: Option<bool>,
    keys: Option<toml::Table>,
    colors: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdmin {
    url: Option<String>,
    token_env: Option<String>,
    token_file: Option<PathBuf>,
    connect_timeout_ms: Option<u64>,
    request_timeout_ms: Option<u64>,
    allow_insecure_http: Option<bool>,
    max_body_bytes: Option<u64>,
}

/// Reads variables through a function, so tests need not touch the process environment.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Config {
    /// Loads the effective configuration: defaults, then the file, then the environment.
    pub fn load(explicit: Option<&Path>, env: Env<'_>) -> Result<Self, ConfigError> {
        let mut config = Self::defaults(env);
        let dirs = directories::ProjectDirs::from("", "", "authdesk");
        let path = explicit.map(Path::to_path_buf).or_else(|| {
            dirs.map(|d| d.config_dir().join("authdesk.toml"))
                .filter(|p| p.exists())
        });
        if let Some(path) = path {
            config.apply_file(&path)?;
        }
        config.apply_env(env)?;
        Ok(config)
    }

    /// Every setting at its default: no file read, and of the environment only the user's name.
    pub fn defaults(env: Env<'_>) -> Self {
        let dirs = directories::ProjectDirs::from("", "", "authdesk");
        let data_default = dirs.as_ref().map_or_else(
            || PathBuf::from(".authdesk"),
            |d| d.data_dir().to_path_buf(),
        );
        Config {
            file: None,
            agent: Setting::default(
                env("USER")
                    .or_else(|| env("USERNAME"))
                    .unwrap_or_else(|| "agent".into()),
            ),
            runbook_dirs: Setting::default(Vec::new()),
            tickets_dir: Setting::default(data_default.join("tickets")),
            data_dir: Setting::default(data_default),
            admin: AdminConfig {
                url: Setting::default(None),
                token_env: Setting::default("AUTHDESK_ADMIN_TOKEN".into()),
                token_file: Setting::default(None),
                connect_timeout_ms: Setting::default(2_000),
                request_timeout_ms: Setting::default(5_000),
                allow_insecure_http: Setting::default(false),
                max_body_bytes: Setting::default(DEFAULT_MAX_BODY_BYTES),
            },
            tui: TuiConfig {
                theme: Setting::default("dark".into()),
                plain: Setting::default(false),
                keys: None,
                colors: Default::default(),
            },
            gateway: Setting::default(GatewayConfig::default()),
            trackers: Setting::default(Vec::new()),
        }
    }

    fn apply_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let src = SourceFile::new(path, text);
        let raw: RawConfig = toml::from_str(&src.text).map_err(|e| {
            ConfigError::Invalid(src.diagnostic(e.span().unwrap_or(0..0), e.message().trim()))
        })?;
        let from = Origin::File(path.to_path_buf());
        // Relative folders in the file are relative to the file, not to wherever we run.
        let base = path.parent().unwrap_or(Path::new("."));
        let here = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        if let Some(v) = raw.agent {
            self.agent.set(v, from.clone());
        }
        if let Some(v) = raw.runbook_dirs {
            self.runbook_dirs
                .set(v.into_iter().map(here).collect(), from.clone());
        }
        if let Some(v) = raw.tickets_dir {
            self.tickets_dir.set(here(v), from.clone());
        }
        if let Some(v) = raw.data_dir {
            self.data_dir.set(here(v), from.clone());
        }
        let a = raw.admin;
        if let Some(v) = a.url {
            self.admin.url.set(Some(AdminUrl::new(v)), from.clone());
        }
        if let Some(v) = a.token_env {
            self.admin.token_env.set(v, from.clone());
        }
        if let Some(v) = a.token_file {
            self.admin.token_file.set(Some(here(v)), from.clone());
        }
        if let Some(v) = a.connect_timeout_ms {
            self.admin.connect_timeout_ms.set(v, from.clone());
        }
        if let Some(v) = a.request_timeout_ms {
            self.admin.request_timeout_ms.set(v, from.clone());
        }
        if let Some(v) = a.allow_insecure_http {
            self.admin.allow_insecure_http.set(v, from.clone());
        }
        if let Some(v) = a.max_body_bytes {
            self.admin.max_body_bytes.set(v, from.clone());
        }
        if let Some(v) = raw.tui.plain {
            self.tui.plain.set(v, from.clone());
        }
        if let Some(v) = raw.tui.theme {
            self.tui.theme.set(v, from.clone());
        }
        if !raw.key_format.is_empty() || raw.gateway != gateway::RawGateway::default() {
            self.gateway.origin = from.clone();
        }
        self.gateway
            .value
            .apply(raw.gateway, raw.key_format)
            .map_err(|message| ConfigError::Invalid(src.diagnostic(0..0, message)))?;
        if !raw.tracker.is_empty() {
            let mut trackers: Vec<Tracker> = Vec::new();
            for (i, spanned) in raw.tracker.into_iter().enumerate() {
                let span = spanned.span();
                let t = tracker::check(i, spanned.into_inner(), base)
                    .map_err(|m| ConfigError::Invalid(src.diagnostic(span.clone(), m)))?;
                if trackers.iter().any(|o| o.target.name == t.target.name) {
                    return Err(ConfigError::Invalid(src.diagnostic(
                        span,
                        format!("tracker[{i}].name: `{}` names two trackers", t.target.name),
                    )));
                }
                trackers.push(t);
            }
            self.trackers.set(trackers, from.clone());
        }
        self.tui.keys = raw.tui.keys;
        self.tui.colors = raw.tui.colors.unwrap_or_default();
        self.file = Some(path.to_path_buf());
        Ok(())
    }

    fn apply_env(&mut self, env: Env<'_>) -> Result<(), ConfigError> {
        let var = |name: &'static str| {
            env(name)
                .filter(|v| !v.is_empty())
                .map(|v| (v, Origin::Env(name)))
        };
        if let Some((v, o)) = var("AUTHDESK_AGENT") {
            self.agent.set(v, o);
        }
        if let Some((v, o)) = var("AUTHDESK_RUNBOOK_DIRS") {
            self.runbook_dirs
                .set(std::env::split_paths(&v).collect(), o);
        }
        if let Some((v, o)) = var("AUTHDESK_TICKETS_DIR") {
            self.tickets_dir.set(v.into(), o);
        }
        if let Some((v, o)) = var("AUTHDESK_DATA_DIR") {
            self.data_dir.set(v.into(), o);
        }
        if let Some((v, o)) = var("AUTHDESK_THEME") {
            self.tui.theme.set(v, o);
        }
        if let Some((v, o)) = var("AUTHDESK_ADMIN_URL") {
            self.admin.url.set(Some(AdminUrl::new(v)), o);
        }
        if let Some((v, o)) = var("AUTHDESK_ADMIN_TOKEN_FILE") {
            self.admin.token_file.set(Some(v.into()), o);
        }
        for (name, setting) in [
            (
                "AUTHDESK_CONNECT_TIMEOUT_MS",
                &mut self.admin.connect_timeout_ms,
            ),
            (
                "AUTHDESK_REQUEST_TIMEOUT_MS",
                &mut self.admin.request_timeout_ms,
            ),
        ] {
            if let Some((v, o)) = var(name) {
                let ms = v.parse().map_err(|_| ConfigError::Env {
                    var: name,
                    message: format!("`{v}` is not a number of milliseconds"),
                })?;
                setting.set(ms, o);
            }
        }
        Ok(())
    }

    /// Every setting as (name, value, origin), for `authdesk config`.
    pub fn entries(&self) -> Vec<(&'static str, String, &Origin)> {
        let path = |p: &Path| p.display().to_string();
        let dirs = self
            .runbook_dirs
            .value
            .iter()
            .map(|p| path(p))
            .collect::<Vec<_>>()
            .join(", ");
        let a = &self.admin;
        let g = &self.gateway;
        vec![
            ("agent", self.agent.value.clone(), &self.agent.origin),
            (
                "runbook_dirs",
                if dirs.is_empty() {
                    "(built-in runbooks only)".into()
                } else {
                    dirs
                },
                &self.runbook_dirs.origin,
            ),
            (
                "tickets_dir",
                path(&self.tickets_dir.value),
                &self.tickets_dir.origin,
            ),
            (
                "data_dir",
                path(&self.data_dir.value),
                &self.data_dir.origin,
            ),
            (
                "admin.url",
                a.url
                    .value
                    .as_ref()
                    .map_or_else(|| "(built-in demo API)".into(), ToString::to_string),
                &a.url.origin,
            ),
            (
                "admin.allow_insecure_http",
                a.allow_insecure_http.value.to_string(),
                &a.allow_insecure_http.origin,
            ),
            (
                "admin.max_body_bytes",
                a.max_body_bytes.value.to_string(),
                &a.max_body_bytes.origin,
            ),
            (
                "admin.token_env",
                a.token_env.value.clone(),
                &a.token_env.origin,
            ),
            (
                "admin.token_file",
                a.token_file
                    .value
                    .as_deref()
                    .map_or_else(|| "(none)".into(), path),
                &a.token_file.origin,
            ),
            (
                "admin.connect_timeout_ms",
                a.connect_timeout_ms.value.to_string(),
                &a.connect_timeout_ms.origin,
            ),
            (
                "admin.request_timeout_ms",
                a.request_timeout_ms.value.to_string(),
                &a.request_timeout_ms.origin,
            ),
            ("key_format", g.value.describe_formats(), &g.origin),
            (
                "tracker",
                if self.trackers.value.is_empty() {
                    "(none)".into()
                } else {
                    self.trackers
                        .value
                        .iter()
                        .map(|t| format!("{} ({})", t.target.name, t.target.kind.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                &self.trackers.origin,
            ),
            ("gateway", g.value.describe_expectations(), &g.origin),
            (
                "tui.theme",
                self.tui.theme.value.clone(),
                &self.tui.theme.origin,
            ),
            (
                "tui.plain",
                self.tui.plain.value.to_string(),
                &self.tui.plain.origin,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn file_then_env_override_defaults_and_remember_origin() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("authdesk.toml");
        std::fs::write(
            &file,
            "agent = \"alice\"\ntickets_dir = \"t\"\n[admin]\nurl = \"http://x\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "AUTHDESK_AGENT").then(|| "bob".to_string());
        let c = Config::load(Some(&file), &env).unwrap();
        assert_eq!(c.agent.value, "bob");
        assert_eq!(c.agent.origin, Origin::Env("AUTHDESK_AGENT"));
        assert_eq!(c.tickets_dir.value, dir.path().join("t"));
        assert_eq!(c.tickets_dir.origin, Origin::File(file.clone()));
        assert_eq!(
            c.admin.url.value.as_ref().map(AdminUrl::expose),
            Some("http://x")
        );
        assert_eq!(c.admin.request_timeout_ms.origin, Origin::Default);
    }

    #[test]
    fn bad_file_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("authdesk.toml");
        std::fs::write(&file, "agent = \"alice\"\ntickets_dri = \"t\"\n").unwrap();
        let err = Config::load(Some(&file), &no_env).unwrap_err().to_string();
        assert!(err.contains("authdesk.toml:2:1"), "{err}");
        assert!(err.contains("tickets_dri"), "{err}");
    }

    #[test]
    fn tui_section_is_read_and_checked_for_typos() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("authdesk.toml");
        std::fs::write(
            &file,
            "[tui]\ntheme = \"light\"\nplain = true\n[tui.keys.walk]\nundo = [\"z\"]\n[tui.colors]\naccent = \"red\"\n",
        )
        .unwrap();
        let c = Config::load(Some(&file), &no_env).unwrap();
        assert_eq!(c.tui.theme.value, "light");
        assert!(c.tui.plain.value);
        assert!(c.tui.keys.unwrap().contains_key("walk"));
        assert_eq!(c.tui.colors["accent"], "red");
        std::fs::write(&file, "[tui]\nthem = \"light\"\n").unwrap();
        let err = Config::load(Some(&file), &no_env).unwrap_err().to_string();
        assert!(err.contains("them"), "{err}");
    }

    #[test]
    fn bad_timeout_variable_is_an_error() {
        let env = |k: &str| (k == "AUTHDESK_REQUEST_TIMEOUT_MS").then(|| "soon".to_string());
        let err = Config::load(Some(Path::new("/nonexistent/authdesk.toml")), &env);
        assert!(err.is_err());
        let err = Config::load(None, &env).unwrap_err().to_string();
        assert!(err.contains("AUTHDESK_REQUEST_TIMEOUT_MS"), "{err}");
    }
}
