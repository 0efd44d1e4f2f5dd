//! The runbook file format as written, with the source span of everything a diagnostic may
//! point at. Validation and typing happen in `resolve`; these types only mirror the TOML.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// One TOML file: a runbook (with `id` and `start`) or an outcome library (with `library`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub id: Option<Spanned<String>>,
    pub library: Option<Spanned<String>>,
    pub title: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub start: Option<Spanned<String>>,
    #[serde(default)]
    pub input: Vec<Spanned<RawInput>>,
    #[serde(default)]
    pub node: Vec<Spanned<RawNode>>,
    #[serde(default)]
    pub criterion: Vec<Spanned<RawCriterion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    pub name: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub help: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawNodeKind {
    Question,
    Check,
    Outcome,
}

/// A node of any kind; `resolve` checks that only the fields of its kind are present.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: Spanned<String>,
    pub kind: RawNodeKind,
    pub title: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub help: String,
    // question
    #[serde(default)]
    pub choice: Vec<Spanned<RawChoice>>,
    // check
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
    pub otherwise: Option<Spanned<String>>,
    pub if_unknown: Option<Spanned<String>>,
    // outcome
    pub resolution: Option<Spanned<String>>,
    pub severity: Option<Spanned<String>>,
    pub team: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub reply: Option<String>,
    #[serde(default)]
    pub next_steps: Vec<String>,
    #[serde(default)]
    pub cite: Vec<Spanned<String>>,
    pub ask: Option<Spanned<RawAsk>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAsk {
    pub need: String,
    pub urgency: String,
    pub from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub id: Spanned<String>,
    pub label: String,
    pub next: Spanned<String>,
    #[serde(default)]
    pub set: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub when: Spanned<RawCondition>,
    pub next: Spanned<String>,
}

/// A condition: exactly one of `fact` (with `op` and usually `value`), `all`, `any`, `not` or
/// `criterion`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub fact: Option<Spanned<String>>,
    pub op: Option<Spanned<String>>,
    pub value: Option<Spanned<toml::Value>>,
    pub all: Option<Vec<Spanned<RawCondition>>>,
    pub any: Option<Vec<Spanned<RawCondition>>>,
    pub not: Option<Box<Spanned<RawCondition>>>,
    pub criterion: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    pub id: Spanned<String>,
    pub title: String,
    pub when: Spanned<RawCondition>,
}
