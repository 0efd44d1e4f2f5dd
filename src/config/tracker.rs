//! `[[tracker]]`: where `authdesk send` files tickets, and where each target's credential
//! comes from. Checked when the file is read, each error naming its table
//! (`tracker[2].project`), so a typo never surfaces as a failed send.

use crate::runbook::Severity;
use crate::send::{Kind, Target};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTracker {
    name: Option<String>,
    kind: Option<String>,
    url: Option<String>,
    repo: Option<String>,
    project: Option<String>,
    team: Option<String>,
    email: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    label_ids: Vec<u64>,
    #[serde(default)]
    components: Vec<String>,
    min_severity: Option<String>,
    credential: Option<CredentialSource>,
}

/// Where a target's credential is read, tried in this order: the variable, the OS keyring,
/// the file (which must be readable by its owner only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSource {
    pub env: Option<String>,
    /// The keyring entry's user name; its service is `authdesk`.
    pub keyring: Option<String>,
    pub file: Option<PathBuf>,
}

impl CredentialSource {
    pub fn is_empty(&self) -> bool {
        self.env.is_none() && self.keyring.is_none() && self.file.is_none()
    }
}

/// A configured target and its credential's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracker {
    pub target: Target,
    pub credential: CredentialSource,
}

/// Every kind `kind =` accepts.
pub const KINDS: &[&str] = &[
    "github",
    "gitea",
    "forgejo",
    "gitlab",
    "jira",
    "jira-dc",
    "linear",
    "zendesk",
    "pagerduty",
    "slack",
];

/// Checks the `i`th `[[tracker]]` table; relative credential files are relative to `base`.
pub(super) fn check(i: usize, raw: RawTracker, base: &std::path::Path) -> Result<Tracker, String> {
    let at = |field: &str| format!("tracker[{i}].{field}");
    let name = raw.name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
        format!(
            "{}: every [[tracker]] needs a name (what `authdesk send --to` names)",
            at("name")
        )
    })?;
    let kind = raw
        .kind
        .ok_or_else(|| format!("{}: missing; one of {}", at("kind"), KINDS.join(", ")))?;
    let need = |v: Option<String>, field: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("{} (`{name}`): required for kind `{kind}`", at(field)))
    };
    // Fields that belong to other kinds are refused, not ignored.
    let mut unused: Vec<&str> = Vec::new();
    let parsed = match kind.as_str() {
        "github" => Kind::Github {
            repo: need(raw.repo.clone(), "repo")?,
        },
        "gitea" | "forgejo" => Kind::Gitea {
            repo: need(raw.repo.clone(), "repo")?,
            label_ids: raw.label_ids.clone(),
        },
        "gitlab" => Kind::Gitlab {
            project: need(raw.project.clone(), "project")?,
        },
        "jira" | "jira-dc" => Kind::Jira {
            project: need(raw.project.clone(), "project")?,
            email: if kind == "jira" {
                need(raw.email.clone(), "email")?
            } else {
                String::new()
            },
            cloud: kind == "jira",
            components: raw.components.clone(),
        },
        "linear" => Kind::Linear {
            team: need(raw.team.clone(), "team")?,
        },
        "zendesk" => Kind::Zendesk {
            email: need(raw.email.clone(), "email")?,
        },
        "pagerduty" => {
            let min = raw.min_severity.as_deref().unwrap_or("high");
            Kind::Pagerduty {
                min_severity: Severity::parse(min).ok_or_else(|| {
                    format!(
                        "{} (`{name}`): `{min}` is not low, medium, high or critical",
                        at("min_severity")
                    )
                })?,
            }
        }
        "slack" => Kind::Slack,
        other => {
            return Err(format!(
                "{} (`{name}`): unknown kind `{other}`; one of {}",
                at("kind"),
                KINDS.join(", ")
            ));
        }
    };
    let k = parsed.name();
    if raw.repo.is_some() && !matches!(parsed, Kind::Github { .. } | Kind::Gitea { .. }) {
        unused.push("repo");
    }
    if raw.project.is_some() && !matches!(parsed, Kind::Gitlab { .. } | Kind::Jira { .. }) {
        unused.push("project");
    }
    if raw.team.is_some() && !matches!(parsed, Kind::Linear { .. }) {
        unused.push("team");
    }
    if raw.email.is_some()
        && !matches!(
            parsed,
            Kind::Jira { cloud: true, .. } | Kind::Zendesk { .. }
        )
    {
        unused.push("email");
    }
    if !raw.label_ids.is_empty() && !matches!(parsed, Kind::Gitea { .. }) {
        unused.push("label_ids");
    }
    if !raw.components.is_empty() && !matches!(parsed, Kind::Jira { .. }) {
        unused.push("components");
    }
    if raw.min_severity.is_some() && !matches!(parsed, Kind::Pagerduty { .. }) {
        unused.push("min_severity");
    }
    if let Some(field) = unused.first() {
        return Err(format!(
            "{} (`{name}`): does not apply to kind `{k}`",
            at(field)
        ));
    }
    let url = match (&parsed, raw.url) {
        (Kind::Slack, Some(_)) => {
            return Err(format!(
                "{} (`{name}`): a Slack webhook URL is a secret; give it as the credential",
                at("url")
            ));
        }
        (Kind::Slack, None) => String::new(),
        (Kind::Pagerduty { .. }, None) => crate::send::PAGERDUTY_EVENTS.into(),
        (Kind::Github { .. }, None) => "https://api.github.com".into(),
        (Kind::Linear { .. }, None) => "https://api.linear.app".into(),
        (_, None) => return Err(format!("{} (`{name}`): required for kind `{k}`", at("url"))),
        (_, Some(u)) => {
            let parsed_url = url::Url::parse(&u)
                .map_err(|e| format!("{} (`{name}`): `{u}` is not a URL: {e}", at("url")))?;
            if !matches!(parsed_url.scheme(), "https" | "http") {
                return Err(format!("{} (`{name}`): `{u}` is not http(s)", at("url")));
            }
            u
        }
    };
    let mut credential = raw.credential.unwrap_or_default();
    if credential.is_empty() {
        return Err(format!(
            "{} (`{name}`): missing; give {{ env = \"VAR\" }}, {{ keyring = \"USER\" }} or {{ file = \"PATH\" }}",
            at("credential")
        ));
    }
    credential.file = credential
        .file
        .map(|p| if p.is_absolute() { p } else { base.join(p) });
    Ok(Tracker {
        target: Target {
            name,
            url,
            labels: raw.labels,
            kind: parsed,
        },
        credential,
    })
}
