//! What a target's answer means: the remote issue it filed, or why not, in words that say
//! what to check. Pure over (status, headers, body); the edge decides what is retried.

use super::{Kind, Purpose, Target};
use crate::escape::line;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// One field a target refused, with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Why a target did not file the ticket.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("{target} rejected the credential ({status}): check {check}")]
    Credential {
        target: String,
        status: u16,
        check: String,
    },
    #[error("{target} refused fields ({status}):{}", fields.iter().map(|f| format!("\n  {}: {}", f.field, f.message)).collect::<String>())]
    Fields {
        target: String,
        status: u16,
        fields: Vec<FieldError>,
    },
    #[error("{target} is rate limiting{}", retry_after.map_or(String::new(), |d| format!("; retry after {} s", d.as_secs())))]
    RateLimited {
        target: String,
        retry_after: Option<Duration>,
    },
    #[error("{target} failed ({status}): {detail}")]
    Unavailable {
        target: String,
        status: u16,
        detail: String,
    },
    #[error("{target} refused the request ({status}): {detail}")]
    Refused {
        target: String,
        status: u16,
        detail: String,
    },
    #[error("{target} answered {status} in a form authdesk cannot read: {detail}")]
    Malformed {
        target: String,
        status: u16,
        detail: String,
    },
}

impl Rejection {
    /// Whether trying again later, unchanged, may succeed.
    pub fn transient(&self) -> bool {
        matches!(
            self,
            Rejection::RateLimited { .. } | Rejection::Unavailable { .. }
        )
    }
}

/// The remote issue a success names: id and the page people open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub id: String,
    pub url: Option<String>,
}

/// `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), from `now`.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&Utc) - now).to_std().unwrap_or_default())
}

/// What `status`, `headers` and `body` mean for a request of `purpose` to `target`.
pub fn interpret(
    target: &Target,
    purpose: Purpose,
    status: u16,
    headers: &[(String, String)],
    body: &str,
    now: DateTime<Utc>,
) -> Result<Option<Filed>, Rejection> {
    let name = target.name.clone();
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if let (200..=299, Kind::Linear { .. }) = (status, &target.kind) {
        // GraphQL answers 200 with `errors` when the mutation failed.
        let fields = field_errors(&json);
        if !fields.is_empty() {
            return Err(Rejection::Fields {
                target: name,
                status,
                fields,
            });
        }
    }
    match status {
        200..=299 => filed(target, purpose, &json, body).map_err(|detail| Rejection::Malformed {
            target: name,
            status,
            detail,
        }),
        401 | 403 => Err(Rejection::Credential {
            target: name,
            status,
            check: what_to_check(target),
        }),
        429 => Err(Rejection::RateLimited {
            target: name,
            retry_after: headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
                .and_then(|(_, v)| retry_after(v, now)),
        }),
        500..=599 => Err(Rejection::Unavailable {
            target: name,
            status,
            detail: summary(&json, body),
        }),
        _ => {
            let fields = field_errors(&json);
            if fields.is_empty() {
                Err(Rejection::Refused {
                    target: name,
                    status,
                    detail: summary(&json, body),
                })
            } else {
                Err(Rejection::Fields {
                    target: name,
                    status,
                    fields,
                })
            }
        }
    }
}

/// What a rejected credential usually means at each kind.
fn what_to_check(target: &Target) -> String {
    match &target.kind {
        Kind::Github { repo } | Kind::Gitea { repo, .. } => {
            format!(
                "that the token is valid and may create issues in {}",
                line(repo)
            )
        }
        Kind::Gitlab { project } => format!(
            "that the token (sent as PRIVATE-TOKEN) is valid, has the `api` scope and at least Reporter access to {}",
            line(project)
        ),
        Kind::Jira {
            email,
            cloud,
            project,
            ..
        } => {
            if *cloud {
                format!(
                    "the API token of {} (not its password) and its right to create issues in {}",
                    line(email),
                    line(project)
                )
            } else {
                format!(
                    "the personal access token and its right to create issues in {}",
                    line(project)
                )
            }
        }
        Kind::Linear { .. } => {
            "the personal API key (sent without `Bearer`) and its access to the team".into()
        }
        Kind::Zendesk { email } => format!(
            "the API token of {} and that token access is enabled in Zendesk's admin centre",
            line(email)
        ),
        Kind::Pagerduty { .. } => "the integration's routing key (Events API v2)".into(),
        Kind::Slack => "the incoming-webhook URL: it may have been revoked".into(),
    }
}

/// The remote a success names, read where each vendor documents it.
fn filed(
    target: &Target,
    purpose: Purpose,
    json: &Value,
    body: &str,
) -> Result<Option<Filed>, String> {
    if purpose != Purpose::Create {
        return Ok(None);
    }
    let s = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let need = |ptr: &str| {
        json.pointer(ptr)
            .and_then(s)
            .ok_or_else(|| format!("no `{ptr}` in the answer"))
    };
    let base = target.url.trim_end_matches('/');
    let filed = match &target.kind {
        // https://docs.github.com/en/rest/issues/issues#create-an-issue (201: number, html_url);
        // Gitea and Forgejo answer the same fields.
        Kind::Github { .. } | Kind::Gitea { .. } => Filed {
            id: need("/number")?,
            url: Some(need("/html_url")?),
        },
        // https://docs.gitlab.com/api/issues/#new-issue (201: iid, web_url).
        Kind::Gitlab { .. } => Filed {
            id: need("/iid")?,
            url: Some(need("/web_url")?),
        },
        // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
        // (201: id, key, self); people open /browse/KEY.
        Kind::Jira { .. } => {
            let key = need("/key")?;
            Filed {
                url: Some(format!("{base}/browse/{key}")),
                id: key,
            }
        }
        // https://developers.linear.app/docs/graphql/working-with-the-graphql-api
        // (issueCreate { success issue { identifier url } }).
        Kind::Linear { .. } => Filed {
            id: need("/data/issueCreate/issue/identifier")?,
            url: Some(need("/data/issueCreate/issue/url")?),
        },
        // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ (ticket.id);
        // agents open /agent/tickets/ID.
        Kind::Zendesk { .. } => {
            let id = need("/ticket/id")?;
            Filed {
                url: Some(format!("{base}/agent/tickets/{id}")),
                id,
            }
        }
        // https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (202: dedup_key).
        Kind::Pagerduty { .. } => Filed {
            id: need("/dedup_key")?,
            url: None,
        },
        // Incoming webhooks answer `ok` and nothing to link to.
        Kind::Slack => {
            if body.trim() != "ok" {
                return Err(format!("expected `ok`, got `{}`", line(&clip(body))));
            }
            Filed {
                id: "posted".into(),
                url: None,
            }
        }
    };
    Ok(Some(filed))
}

/// Field errors in each vendor's documented shape.
fn field_errors(json: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    let mut push = |field: &str, message: &str| {
        out.push(FieldError {
            field: line(field).into_owned(),
            message: line(message).into_owned(),
        });
    };
    // GitHub 422: {"errors": [{"resource", "field", "code", "message"?}]}.
    // PagerDuty 400: {"errors": ["…"]}. Linear: {"errors": [{"message", "path"}]}.
    if let Some(errors) = json.get("errors").and_then(Value::as_array) {
        for e in errors {
            match e {
                Value::String(m) => push("event", m),
                Value::Object(o) => {
                    let field = o
                        .get("field")
                        .and_then(Value::as_str)
                        .or_else(|| o.get("resource").and_then(Value::as_str))
                        .unwrap_or("request");
                    let message = o
                        .get("message")
                        .and_then(Value::as_str)
                        .or_else(|| o.get("code").and_then(Value::as_str))
                        .unwrap_or("invalid");
                    push(field, message);
                }
                _ => {}
            }
        }
    }
    // Jira 400: {"errorMessages": [...], "errors": {"field": "message"}}.
    if let Some(errors) = json.get("errors").and_then(Value::as_object) {
        for (field, m) in errors {
            push(field, m.as_str().unwrap_or("invalid"));
        }
    }
    // GitLab 400: {"message": {"field": ["message", …]}}.
    if let Some(fields) = json.get("message").and_then(Value::as_object) {
        for (field, ms) in fields {
            for m in ms.as_array().into_iter().flatten() {
                push(field, m.as_str().unwrap_or("invalid"));
            }
        }
    }
    // Zendesk 422: {"details": {"field": [{"description": "…"}]}}.
    if let Some(fields) = json.get("details").and_then(Value::as_object) {
        for (field, ds) in fields {
            for d in ds.as_array().into_iter().flatten() {
                let m = d
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("invalid");
                push(field, m);
            }
        }
    }
    out
}

/// A failure's message: the vendor's `message` or `error`, else the start of the body.
fn summary(json: &Value, body: &str) -> String {
    ["message", "error", "errorMessages"]
        .iter()
        .find_map(|k| match json.get(*k) {
            Some(Value::String(s)) => Some(line(s).into_owned()),
            Some(Value::Array(a)) if !a.is_empty() => Some(
                line(
                    &a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
                .into_owned(),
            ),
            _ => None,
        })
        .unwrap_or_else(|| line(&clip(body)).into_owned())
}

/// At most 200 characters of a body, for a message.
fn clip(body: &str) -> String {
    let mut s: String = body.trim().chars().take(200).collect();
    if body.trim().chars().count() > 200 {
        s.push('…');
    }
    s
}
