//! Intake: the values an agent gives when a case starts, typed by the fact schema. The pasted
//! key is masked here, before anything else sees it, and secrets pasted into free text (an
//! error body often contains the key) are redacted.

use crate::config::GatewayConfig;
use crate::diagnose::{self, DiagnoseError, JwtContext, LogsConfig};
use crate::evidence::{IdError, check_input};
use crate::facts::{Fact, FactError, FactSource, FactValue, Facts};
use crate::runbook::Runbook;
use crate::secret::{key_environment, redact};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IntakeError {
    #[error("runbook `{runbook}` has no input `{name}` (inputs: {})", valid.join(", "))]
    UnknownInput {
        runbook: String,
        name: String,
        valid: Vec<String>,
    },
    #[error("input {0}")]
    Invalid(#[from] FactError),
    #[error("input {name}: {source}")]
    BadId {
        name: String,
        #[source]
        source: IdError,
    },
}

/// The intake facts for `rb` from `(name, text)` pairs; empty values are left out.
pub fn facts(
    rb: &Runbook,
    inputs: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<Facts, IntakeError> {
    let secrets: Vec<&str> = inputs
        .iter()
        .filter(|(name, _)| name == "key")
        .map(|(_, v)| v.as_str())
        .collect();
    let mut facts = Facts::new();
    for (name, text) in inputs {
        if rb.input(name).is_none() {
            return Err(IntakeError::UnknownInput {
                runbook: rb.id.clone(),
                name: name.clone(),
                valid: rb.inputs.iter().map(|i| i.name.clone()).collect(),
            });
        }
        if text.trim().is_empty() {
            continue;
        }
        check_input(name, text).map_err(|source| IntakeError::BadId {
            name: name.clone(),
            source,
        })?;
        if name == "key" {
            if let Some(env) = key_environment(text) {
                facts.insert(
                    "key.pasted_env",
                    Fact {
                        value: FactValue::Text(env.into()),
                        source: FactSource::Intake,
                        at: now,
                        evidence: Some("prefix of the pasted key".into()),
                    },
                )?;
            }
            facts.insert_text(name, text, FactSource::Intake, now)?;
        } else {
            facts.insert_text(name, &redact(text, &secrets), FactSource::Intake, now)?;
        }
    }
    Ok(facts)
}

/// What the customer pasted, each with a label for the ticket (a file name, "intake form").
#[derive(Debug, Default, Clone)]
pub struct Pastes {
    pub request: Option<(String, String)>,
    pub jwt: Option<(String, String)>,
    pub response: Option<(String, String)>,
    pub logs: Vec<PathBuf>,
}

/// The facts the diagnostics read from the pastes, judged by the configured `gateway`
/// settings. `known` facts (the key's accepted header from the admin API) sharpen the
/// request check; `now` judges the token.
pub fn diagnostic_facts(
    pastes: &Pastes,
    known: &Facts,
    gateway: &GatewayConfig,
    now: DateTime<Utc>,
) -> Result<Facts, PasteError> {
    let mut found: Vec<(&'static str, FactValue, String)> = Vec::new();
    let mut add = |facts: Vec<(&'static str, FactValue)>, label: &str| {
        found.extend(facts.into_iter().map(|(n, v)| (n, v, label.to_string())));
    };
    let err = |what: &'static str, label: &str| {
        let label = label.to_string();
        move |source| PasteError::Unreadable {
            what,
            label,
            source,
        }
    };
    if let Some((label, text)) = &pastes.request {
        let mut cx = gateway.request_context();
        if let Some(FactValue::Text(header)) = known.value("key.accepted_header") {
            cx.expect_header = header.clone();
            cx.expect_scheme = match known.value("key.accepted_scheme") {
                Some(FactValue::Text(s)) if !s.is_empty() => Some(s.clone()),
                _ => None,
            };
        }
        add(
            diagnose::facts_from_request(text, &cx).map_err(err("request", label))?,
            label,
        );
    }
    if let Some((label, text)) = &pastes.jwt {
        add(
            diagnose::facts_from_jwt(text, &jwt_context(gateway, now))
                .map_err(err("token", label))?,
            label,
        );
    }
    if let Some((label, text)) = &pastes.response {
        add(
            diagnose::facts_from_response(text).map_err(err("response", label))?,
            label,
        );
    } else if let Some(text) = error_body_as_response(known) {
        // A body alone is often all a customer pastes. Free text that is not a response
        // proves nothing, so it is no error here.
        if let Ok(facts) = diagnose::facts_from_response(&text) {
            add(facts, "the error body given at intake");
        }
    }
    if !pastes.logs.is_empty() {
        let label = pastes
            .logs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        add(
            diagnose::facts_from_logs(&pastes.logs, &LogsConfig::default())
                .map_err(err("logs", &label))?,
            &label,
        );
    }
    let mut facts = Facts::new();
    for (name, value, label) in found {
        let fact = Fact {
            value,
            source: FactSource::Diagnostics,
            at: now,
            evidence: Some(label),
        };
        facts.insert(name, fact)?;
    }
    Ok(facts)
}

fn jwt_context(gateway: &GatewayConfig, now: DateTime<Utc>) -> JwtContext {
    JwtContext {
        audience: gateway.jwt_audience.clone(),
        ..JwtContext::at(now)
    }
}

/// The intake's error body as a response, behind a status line when the status is known.
fn error_body_as_response(known: &Facts) -> Option<String> {
    let Some(FactValue::Text(body)) = known.value("error_body") else {
        return None;
    };
    Some(match known.value("status") {
        Some(FactValue::Number(s)) => format!("HTTP/1.1 {s}\n\n{body}"),
        _ => body.clone(),
    })
}

/// A paste the diagnostics could not read, or whose facts do not fit the schema.
#[derive(Debug, thiserror::Error)]
pub enum PasteError {
    #[error("cannot read the pasted {what} ({label}): {source}")]
    Unreadable {
        what: &'static str,
        label: String,
        #[source]
        source: DiagnoseError,
    },
    /// A diagnostic produced a fact the schema does not allow: a bug, reported plainly.
    #[error("diagnostics produced an invalid fact: {0}")]
    Fact(#[from] FactError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Catalog;

    fn now() -> DateTime<Utc> {
        "2026-11-22T10:00:00Z".parse().unwrap()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn key_is_masked_and_its_environment_noted() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let key = "sk_test_0123456789abcdefABCDEF";
        let body = format!("{{\"error\":\"invalid key {key}\"}}");
        let f = facts(&rb, &pairs(&[("key", key), ("error_body", &body)]), now()).unwrap();
        assert_eq!(
            f.value("key.pasted_env"),
            Some(&FactValue::Text("test".into()))
        );
        let all = serde_json::to_string(&f).unwrap();
        assert!(!all.contains(key), "{all}");
        assert!(!all.contains("0123456789abcdef"), "{all}");
    }

    #[test]
    fn unknown_and_invalid_inputs_are_named() {
        let rb = Catalog::builtin().find("403").unwrap().clone();
        let err = facts(&rb, &pairs(&[("colour", "red")]), now()).unwrap_err();
        assert!(err.to_string().contains("no input `colour`"), "{err}");
        let err = facts(&rb, &pairs(&[("client_ip", "10.0.0.300")]), now()).unwrap_err();
        assert!(err.to_string().contains("client_ip"), "{err}");
    }

    #[test]
    fn empty_values_are_left_out() {
        let rb = Catalog::builtin().find("403").unwrap().clone();
        let f = facts(&rb, &pairs(&[("client_ip", "  ")]), now()).unwrap();
        assert!(f.is_empty());
    }
}
