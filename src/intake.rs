//! Intake: the values an agent gives when a case starts, typed by the fact schema. Both front
//! ends (`run` and the terminal app) turn what was given into facts and into what a session
//! keeps through this module only, so the rules hold everywhere: the pasted key is masked
//! before anything else sees it, and every other value is redacted, with the pasted key
//! itself among the secrets looked for (an error body often contains it).

use crate::diagnose::{self, DiagnoseError, JwtContext, LogsReport, RequestContext};
use crate::evidence::{IdError, check_input};
use crate::facts::{Fact, FactError, FactSource, FactType, FactValue, Facts, lookup};
use crate::runbook::Runbook;
use crate::secret::{MaskedSecret, Redacted, key_environment};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// One intake value as a front end holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// Typed, pasted or passed with `--input`.
    Text(String),
    /// A secret restored from a saved session: only its mask exists any more.
    Masked(MaskedSecret),
}

/// The intake facts for `rb` from `(input name, value)` pairs; empty values are left out. The
/// first unknown input or value that does not fit the schema is the error.
pub fn facts(
    rb: &Runbook,
    inputs: &[(String, Given)],
    now: DateTime<Utc>,
) -> Result<Facts, IntakeError> {
    let known = known_secrets(inputs);
    let mut facts = Facts::new();
    for (name, given) in inputs {
        if rb.input(name).is_none() {
            return Err(IntakeError::UnknownInput {
                runbook: rb.id.clone(),
                name: name.clone(),
                valid: rb.inputs.iter().map(|i| i.name.clone()).collect(),
            });
        }
        insert(&mut facts, name, given, &known, now)?;
    }
    Ok(facts)
}

/// The facts of the inputs that are valid so far, skipping the rest: what evidence can be
/// fetched for while the agent is still typing.
pub fn valid_facts(rb: &Runbook, inputs: &[(String, Given)], now: DateTime<Utc>) -> Facts {
    let known = known_secrets(inputs);
    let mut facts = Facts::new();
    for (name, given) in inputs.iter().filter(|(n, _)| rb.input(n).is_some()) {
        let mut one = Facts::new();
        if insert(&mut one, name, given, &known, now).is_ok() {
            facts.extend(&one);
        }
    }
    facts
}

/// What a saved session may keep of the inputs, valid or not: text redacted, secrets masked.
pub fn kept(inputs: &[(String, Given)]) -> BTreeMap<String, IntakeValue> {
    let known = known_secrets(inputs);
    inputs
        .iter()
        .filter_map(|(name, given)| {
            let value = match given {
                Given::Masked(m) => IntakeValue::Masked(m.clone()),
                Given::Text(t) if t.trim().is_empty() => return None,
                Given::Text(t) => IntakeValue::keep(input_type(name), t, &known),
            };
            Some((name.clone(), value))
        })
        .collect()
}

/// Parses one value into `facts`, with the fact the key's prefix gives about its environment.
fn insert(
    facts: &mut Facts,
    name: &str,
    given: &Given,
    known: &[&str],
    now: DateTime<Utc>,
) -> Result<(), IntakeError> {
    let fact = |value| Fact {
        value,
        source: FactSource::Intake,
        at: now,
        evidence: None,
    };
    let text = match given {
        Given::Masked(m) => {
            insert_key_environment(facts, m.mask(), now)?;
            facts.insert(name, fact(FactValue::Secret(m.clone())))?;
            return Ok(());
        }
        Given::Text(t) if t.trim().is_empty() => return Ok(()),
        Given::Text(t) => t,
    };
    check_input(name, text).map_err(|source| IntakeError::BadId {
        name: name.to_string(),
        source,
    })?;
    if input_type(name) == FactType::Secret {
        insert_key_environment(facts, text, now)?;
        facts.insert_text(name, text, FactSource::Intake, now)?;
    } else {
        // Redacted before parsing, so the known key is masked in free text too.
        let redacted = Redacted::with_known(text, known);
        facts.insert_text(name, &redacted, FactSource::Intake, now)?;
    }
    Ok(())
}

/// `key.pasted_env` from a key's prefix (a mask keeps the prefix, so a restored key has it).
fn insert_key_environment(
    facts: &mut Facts,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), FactError> {
    let Some(env) = key_environment(key) else {
        return Ok(());
    };
    facts.insert(
        "key.pasted_env",
        Fact {
            value: FactValue::Text(env.into()),
            source: FactSource::Intake,
            at: now,
            evidence: Some("prefix of the pasted key".into()),
        },
    )
}

fn input_type(name: &str) -> FactType {
    lookup(name).map_or(FactType::Text, |d| d.ty)
}

/// The raw secrets given at intake, to find them again inside free text.
fn known_secrets(inputs: &[(String, Given)]) -> Vec<&str> {
    inputs
        .iter()
        .filter(|(name, _)| input_type(name) == FactType::Secret)
        .filter_map(|(_, given)| match given {
            Given::Text(t) => Some(t.as_str()),
            Given::Masked(_) => None,
        })
        .collect()
}

/// What the customer pasted, each with a label for the ticket (a file name, "intake form").
#[derive(Debug, Default)]
pub struct Pastes {
    pub request: Option<(String, String)>,
    pub jwt: Option<(String, String)>,
    pub response: Option<(String, String)>,
    /// Access logs already triaged by the edge, with their label (the file names).
    pub logs: Option<(String, LogsReport)>,
}

/// The facts the diagnostics read from the pastes, judged by what the gateway expects:
/// `request` (header, scheme, host, key formats) and the `jwt_audience` its tokens carry,
/// plain values the caller takes from its configuration. `known` facts (the key's accepted
/// header from the admin API) sharpen the request check; `now` judges the token.
pub fn diagnostic_facts(
    pastes: Pastes,
    known: &Facts,
    request: &RequestContext,
    jwt_audience: Option<&str>,
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
        let mut cx = request.clone();
        if let Some(FactValue::Text(header)) = known.value("key.accepted_header") {
            cx.expect_header = header.to_string();
            cx.expect_scheme = match known.value("key.accepted_scheme") {
                Some(FactValue::Text(s)) if !s.is_empty() => Some(s.to_string()),
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
            diagnose::facts_from_jwt(text, &jwt_context(jwt_audience, now))
                .map_err(err("token", label))?,
            label,
        );
    }
    if let Some((label, text)) = &pastes.response {
        add(
            diagnose::facts_from_response(text, now).map_err(err("response", label))?,
            label,
        );
    } else if let Some(text) = error_body_as_response(known) {
        // A body alone is often all a customer pastes. Free text that is not a response
        // proves nothing, so it is no error here.
        if let Ok(facts) = diagnose::facts_from_response(&text, now) {
            add(facts, "the error body given at intake");
        }
    }
    if let Some((label, report)) = pastes.logs {
        add(
            diagnose::facts_from_logs(report).map_err(err("logs", &label))?,
            &label,
        );
    }
    let mut facts = Facts::new();
    for (name, value, label) in found {
        let fact = Fact {
            value,
            source: FactSource::Diagnostics,
            at: now,
            evidence: Some(label.into()),
        };
        facts.insert(name, fact)?;
    }
    Ok(facts)
}

fn jwt_context(audience: Option<&str>, now: DateTime<Utc>) -> JwtContext {
    JwtContext {
        audience: audience.map(str::to_string),
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
        _ => body.to_string(),
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

/// An intake value as saved: redacted text, or a secret reduced to its mask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum IntakeValue {
    Text(Redacted),
    Masked(MaskedSecret),
}

impl IntakeValue {
    /// What may be kept of `text` typed into a field of type `ty`: secrets only masked, other
    /// text redacted, the `known` secrets (the key given at intake) included.
    pub fn keep(ty: FactType, text: &str, known: &[&str]) -> Self {
        if ty == FactType::Secret {
            IntakeValue::Masked(MaskedSecret::new(text))
        } else {
            IntakeValue::Text(Redacted::with_known(text, known))
        }
    }

    /// The fact value, or the reason the text does not fit `ty`.
    pub fn to_value(&self, ty: FactType) -> Result<FactValue, crate::facts::ParseFactError> {
        match self {
            IntakeValue::Text(t) => FactValue::parse(ty, t),
            IntakeValue::Masked(m) => Ok(FactValue::Secret(m.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Catalog;

    use crate::testing::now;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, Given)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), Given::Text(b.to_string())))
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

    const CANARY: &str = "sk_live_CANARY0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf";

    #[test]
    fn secrets_in_every_free_text_input_are_redacted_in_facts_and_saved_intake() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let typed_key = "plainkey0q7Zt2Lm9X";
        let inputs = pairs(&[
            ("customer_id", &format!("cus_1001 {CANARY}")),
            ("key", typed_key),
            ("endpoint", &format!("/v1/orders?api_key={CANARY}")),
            (
                "error_body",
                &format!("Authorization: Bearer tokCANARY5f8e7d6c5b4a\nkey {typed_key}"),
            ),
        ]);
        let strict = serde_json::to_string(&facts(&rb, &inputs, now()).unwrap()).unwrap();
        let lenient = serde_json::to_string(&valid_facts(&rb, &inputs, now())).unwrap();
        let saved = serde_json::to_string(&kept(&inputs)).unwrap();
        for out in [strict, lenient, saved] {
            for secret in [CANARY, "q7Zt2Lm9Xw4R", "tokCANARY5f8e7d6c5b4a", typed_key] {
                assert!(!out.contains(secret), "{secret} in {out}");
            }
            assert!(out.contains("/v1/orders?api_key=sk_live_CANA"), "{out}");
        }
    }

    #[test]
    fn a_restored_masked_key_still_gives_its_environment() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let inputs = vec![("key".to_string(), Given::Masked(MaskedSecret::new(CANARY)))];
        let f = facts(&rb, &inputs, now()).unwrap();
        assert_eq!(
            f.value("key.pasted_env"),
            Some(&FactValue::Text("live".into()))
        );
    }

    #[test]
    fn a_key_inside_a_pasted_jwt_never_reaches_the_facts() {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let jwt = format!(
            "{}.{}.{}",
            b64(&format!(r#"{{"alg":"RS256","kid":"{CANARY}"}}"#)),
            b64(&format!(r#"{{"exp":1,"scope":"orders:read {CANARY}"}}"#)),
            b64("sig")
        );
        let pastes = Pastes {
            jwt: Some(("token.txt".into(), jwt)),
            ..Pastes::default()
        };
        let f = diagnostic_facts(
            pastes,
            &Facts::new(),
            &RequestContext::default(),
            None,
            now(),
        )
        .unwrap();
        let all = serde_json::to_string(&f).unwrap();
        assert!(!all.contains(CANARY) && !all.contains("q7Zt2Lm9"), "{all}");
        assert!(all.contains("orders:read"), "{all}");
    }
}
