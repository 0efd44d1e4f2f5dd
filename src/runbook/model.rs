//! A loaded, validated runbook. Every reference in it resolves: `next` names a node of the
//! same runbook, conditions name facts of the schema with values of the right type.

use super::condition::Condition;
use crate::facts::FactValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Runbook {
    pub id: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub inputs: Vec<Input>,
    pub start: String,
    /// Nodes in file order; shared outcomes from libraries follow the runbook's own.
    pub nodes: Vec<Node>,
    /// Escalation criteria from the libraries, evaluated for every ticket.
    pub criteria: Vec<Criterion>,
    pub path: PathBuf,
    /// The first 12 hex digits of the SHA-256 of the runbook's file, so a ticket or a saved
    /// session names the exact text it was walked with.
    pub content_hash: String,
    index: BTreeMap<String, usize>,
}

impl Runbook {
    #[allow(clippy::too_many_arguments)] // one call site, in `resolve`, that names every field
    pub(super) fn new(
        id: String,
        title: String,
        version: String,
        description: String,
        inputs: Vec<Input>,
        start: String,
        nodes: Vec<Node>,
        criteria: Vec<Criterion>,
        path: PathBuf,
        content_hash: String,
    ) -> Self {
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        Self {
            id,
            title,
            version,
            description,
            inputs,
            start,
            nodes,
            criteria,
            path,
            content_hash,
            index,
        }
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    pub fn outcomes(&self) -> impl Iterator<Item = (&Node, &Outcome)> {
        self.nodes.iter().filter_map(|n| match &n.kind {
            NodeKind::Outcome(o) => Some((n, o)),
            _ => None,
        })
    }

    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name == name)
    }
}

/// A value the agent gives at intake; `name` is a fact of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub label: String,
    pub required: bool,
    pub help: String,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    /// A short name for the path view and the graph.
    pub title: String,
    /// What the agent reads: the question, or what the check looks at.
    pub text: String,
    pub help: String,
    pub kind: NodeKind,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Question(Question),
    Check(Check),
    Outcome(Outcome),
}

impl NodeKind {
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Question(_) => "question",
            NodeKind::Check(_) => "check",
            NodeKind::Outcome(_) => "outcome",
        }
    }
}

impl Node {
    /// Every node this one can lead to, with the label of the edge.
    pub fn edges(&self) -> Vec<(&str, String)> {
        match &self.kind {
            NodeKind::Question(q) => q
                .choices
                .iter()
                .map(|c| (c.next.as_str(), c.label.clone()))
                .collect(),
            NodeKind::Check(c) => c
                .rules
                .iter()
                .map(|r| (r.next.as_str(), r.when.to_string()))
                .chain([
                    (c.otherwise.as_str(), EDGE_OTHERWISE.to_string()),
                    (c.if_unknown.as_str(), EDGE_FACTS_UNKNOWN.to_string()),
                ])
                .collect(),
            NodeKind::Outcome(_) => Vec::new(),
        }
    }
}

/// The label of a check's `otherwise` edge.
pub const EDGE_OTHERWISE: &str = "otherwise";
/// The label of a check's `if_unknown` edge, taken when facts are missing.
pub const EDGE_FACTS_UNKNOWN: &str = "facts unknown";

#[derive(Debug, Clone)]
pub struct Question {
    pub choices: Vec<Choice>,
}

impl Question {
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    pub label: String,
    pub next: String,
    /// Facts the agent asserts by picking this choice.
    pub set: Vec<(String, FactValue)>,
}

/// An automated decision: the first rule whose condition holds wins; if a rule cannot be
/// evaluated because a fact is unknown, the check hands over to `if_unknown` (a question),
/// so it never dead-ends.
#[derive(Debug, Clone)]
pub struct Check {
    pub rules: Vec<Rule>,
    pub otherwise: String,
    pub if_unknown: String,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub when: Condition,
    pub next: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// What an outcome does with the case. An escalation cannot exist without a team.
// Deserialize: statistics read it back from saved tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resolution {
    Resolve,
    Escalate { team: String },
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub resolution: Resolution,
    pub severity: Severity,
    /// A one-line summary for the queue, with `{fact}` placeholders.
    pub summary: String,
    pub reply: String,
    pub next_steps: Vec<String>,
    /// Facts the ticket quotes as the evidence for this outcome.
    pub cite: Vec<String>,
    /// What an escalation asks of the team that receives it; only escalations have one.
    pub ask: Option<Ask>,
}

/// The request an escalation makes of engineering, written to the receiver, with `{fact}`
/// placeholders. The agent's own next steps stay in `next_steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ask {
    /// What the receiver is asked to do or find out.
    pub need: String,
    /// How soon, and why that soon.
    pub urgency: String,
    /// Who should pick it up (a role or rota within the team).
    pub from: String,
}

/// A named escalation criterion, such as "several customers at once".
#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub when: Condition,
}
