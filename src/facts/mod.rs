//! Facts: what is known about a case, from whom, and when.
//!
//! Every fact name has one definition in [`schema`]; the runbook linter, the evidence mapping,
//! the screens and the ticket all read that table, and code names facts by the constants in
//! [`name`]. A value that does not fit its definition's type cannot be stored.

pub mod derived;
pub mod name;
mod schema;
mod value;

pub use schema::{FactDef, SCHEMA, Weight, lookup};
pub use value::{FactType, FactValue, ParseFactError, parse_cidr, parse_time};

use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who provides a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// Typed or pasted by the agent on the intake form.
    Intake,
    /// Chosen by the agent while answering a question.
    Agent,
    /// Fetched from the admin API.
    AdminApi,
    /// Read from a pasted request, token, response or log by the diagnostics.
    Diagnostics,
}

impl FactSource {
    pub fn label(self) -> &'static str {
        match self {
            FactSource::Intake => "intake",
            FactSource::Agent => "agent",
            FactSource::AdminApi => "admin API",
            FactSource::Diagnostics => "diagnostics",
        }
    }
}

/// One known fact with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub value: FactValue,
    pub source: FactSource,
    pub at: DateTime<Utc>,
    /// Where the value came from, for the ticket: an admin API request id, a file and line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Redacted>,
}

/// A fact that does not fit the schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FactError {
    #[error("unknown fact `{0}`")]
    Unknown(String),
    #[error("fact `{name}` is a {expected}, not a {found}")]
    WrongType {
        name: String,
        expected: FactType,
        found: FactType,
    },
    #[error("fact `{name}`: {source}")]
    Parse {
        name: String,
        #[source]
        source: ParseFactError,
    },
}

/// The facts of one case, keyed by schema name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Facts(BTreeMap<String, Fact>);

impl Facts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores a fact after checking its name and type against the schema.
    pub fn insert(&mut self, name: &str, fact: Fact) -> Result<(), FactError> {
        let def = lookup(name).ok_or_else(|| FactError::Unknown(name.to_string()))?;
        if fact.value.fact_type() != def.ty {
            return Err(FactError::WrongType {
                name: name.to_string(),
                expected: def.ty,
                found: fact.value.fact_type(),
            });
        }
        self.0.insert(name.to_string(), fact);
        Ok(())
    }

    /// Parses a value given as text (intake, `--input`, a choice's `set`) and stores it.
    pub fn insert_text(
        &mut self,
        name: &str,
        text: &str,
        source: FactSource,
        at: DateTime<Utc>,
    ) -> Result<(), FactError> {
        let def = lookup(name).ok_or_else(|| FactError::Unknown(name.to_string()))?;
        let value = FactValue::parse(def.ty, text).map_err(|source| FactError::Parse {
            name: name.to_string(),
            source,
        })?;
        self.insert(
            name,
            Fact {
                value,
                source,
                at,
                evidence: None,
            },
        )
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.0.get(name)
    }

    pub fn value(&self, name: &str) -> Option<&FactValue> {
        self.0.get(name).map(|f| &f.value)
    }

    /// A fingerprint fact (`key.fingerprint`, `request.key_fingerprint`), when known and in a
    /// form [`crate::secret::Fingerprint::parse`] accepts.
    pub fn fingerprint(&self, name: &str) -> Option<crate::secret::Fingerprint> {
        self.value(name)
            .and_then(FactValue::as_text)
            .and_then(crate::secret::Fingerprint::parse)
    }

    pub fn remove(&mut self, name: &str) -> Option<Fact> {
        self.0.remove(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Fact)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Overlays `other` on `self`: a fact in `other` replaces the one of the same name.
    pub fn extend(&mut self, other: &Facts) {
        for (k, v) in &other.0 {
            self.0.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::now;

    #[test]
    fn unknown_fact_is_rejected() {
        let mut f = Facts::new();
        let err = f.insert_text("key.colour", "red", FactSource::Agent, now());
        assert_eq!(err, Err(FactError::Unknown("key.colour".into())));
    }

    #[test]
    fn value_must_fit_the_schema_type() {
        let mut f = Facts::new();
        let err = f.insert_text("client_ip", "not-an-ip", FactSource::Intake, now());
        assert!(matches!(err, Err(FactError::Parse { .. })), "{err:?}");
        let err = f.insert(
            "client_ip",
            Fact {
                value: FactValue::Text("1.2.3.4".into()),
                source: FactSource::Intake,
                at: now(),
                evidence: None,
            },
        );
        assert!(matches!(err, Err(FactError::WrongType { .. })), "{err:?}");
    }

    #[test]
    fn facts_round_trip_through_json() {
        let mut f = Facts::new();
        f.insert_text("client_ip", "203.0.113.7", FactSource::Intake, now())
            .unwrap();
        f.insert_text(
            "key.expires_at",
            "2026-11-20T14:02:00Z",
            FactSource::AdminApi,
            now(),
        )
        .unwrap();
        f.insert_text(
            "key.scopes",
            "orders:read, orders:write",
            FactSource::AdminApi,
            now(),
        )
        .unwrap();
        let json = serde_json::to_string(&f).unwrap();
        let back: Facts = serde_json::from_str(&json).unwrap();
        assert_eq!(f, back);
    }
}
