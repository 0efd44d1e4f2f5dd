//! The record of a walk: each step, who decided it, and on what.

use crate::facts::{Fact, FactSource, FactValue, Facts};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One decision on the way through a runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub node: String,
    /// The question asked, or what the check looked at.
    pub prompt: String,
    pub decision: Decision,
    /// Where the decision led.
    pub next: String,
    pub at: DateTime<Utc>,
}

/// How a step was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// A person or a script answered a question.
    Answer {
        choice: String,
        label: String,
        by: Answerer,
        /// Facts asserted by the choice.
        set: Facts,
    },
    /// A check decided by itself from known facts.
    Check {
        /// The rule that matched, or none when the check fell through to `otherwise`.
        rule: Option<usize>,
        condition: String,
        decided_by: Vec<Citation>,
    },
    /// A check lacked facts and handed over to a question.
    Undecided {
        missing: Vec<String>,
        known: Vec<Citation>,
    },
}

impl Decision {
    /// Who or what decided, for people: "agent alice", "script", "check".
    pub fn decider(&self) -> String {
        match self {
            Decision::Answer { by, .. } => by.to_string(),
            Decision::Check { .. } => "check".into(),
            Decision::Undecided { .. } => "check (facts missing)".into(),
        }
    }
}

/// Who answered a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answerer {
    Agent {
        name: String,
    },
    /// An answer given on the command line or in an answers file.
    Script,
}

impl std::fmt::Display for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answerer::Agent { name } => write!(f, "agent {name}"),
            Answerer::Script => f.write_str("script"),
        }
    }
}

/// A fact as it stood when it decided something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub fact: String,
    pub value: FactValue,
    pub source: FactSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Redacted>,
}

impl Citation {
    pub fn of(name: &str, fact: &Fact) -> Self {
        Self {
            fact: name.to_string(),
            value: fact.value.clone(),
            source: fact.source,
            evidence: fact.evidence.clone(),
        }
    }
}

impl std::fmt::Display for Citation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {} ({}", self.fact, self.value, self.source.label())?;
        if let Some(e) = &self.evidence {
            write!(f, ", {e}")?;
        }
        f.write_str(")")
    }
}

/// A note an agent attached to a node of the walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub node: String,
    pub text: Redacted,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A source of evidence that could not answer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    pub source: FactSource,
    /// What was asked, e.g. "key status".
    pub what: String,
    /// Why it failed, e.g. "timed out after 5 s"; it may quote the admin API's answer.
    pub reason: Redacted,
    pub at: DateTime<Utc>,
}
