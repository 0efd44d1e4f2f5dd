//! Intake: the values an agent gives when a case starts, typed by the fact schema. The pasted
//! key is masked here, before anything else sees it, and secrets pasted into free text (an
//! error body often contains the key) are redacted.

use crate::facts::{Fact, FactError, FactSource, FactValue, Facts};
use crate::runbook::Runbook;
use crate::secret::{key_environment, redact};
use chrono::{DateTime, Utc};

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
