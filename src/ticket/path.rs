//! The path as the ticket tells it: each step in words (what a check read and found, or the
//! answer given and its choice id), and the fact that settled the outcome.

use crate::facts::Facts;
use crate::runbook::Runbook;
use crate::walk::{Citation, Walk};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One step of the path, as the ticket tells it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PathStep {
    pub node: String,
    pub title: String,
    pub prompt: String,
    /// The id of the choice given, so a script need not match on its label; none for a check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_id: Option<String>,
    /// The answer given, or what the check found, as a sentence.
    pub answer: String,
    /// For a check: the rule that applied, or "no rule matched".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The node the step led to (absent from tickets written before it was recorded).
    #[serde(default)]
    pub next: String,
    /// "agent alice", "script", "check", "check (facts missing)".
    pub decided_by: String,
    /// The facts a check read, or the facts an answer asserted.
    pub facts: Vec<Citation>,
    /// Facts a check needed but did not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    pub at: DateTime<Utc>,
}

/// Every step of the walk, as the ticket tells it.
pub(super) fn steps(rb: &Runbook, walk: &Walk) -> Vec<PathStep> {
    use crate::walk::Decision;
    let title_of = |id: &str| {
        rb.node(id)
            .map_or_else(|| id.to_string(), |n| n.title.clone())
    };
    walk.steps()
        .iter()
        .map(|step| {
            let next = title_of(&step.next);
            let condition = match &step.decision {
                Decision::Check { condition, .. } => Some(condition.clone()),
                _ => None,
            };
            let (answer_id, answer, facts, missing) = match &step.decision {
                Decision::Answer {
                    choice, label, set, ..
                } => (
                    Some(choice.clone()),
                    label.clone(),
                    set.iter().map(|(n, f)| Citation::of(n, f)).collect(),
                    Vec::new(),
                ),
                Decision::Check {
                    rule,
                    condition,
                    decided_by,
                } => {
                    let checked = checked_facts(rb, &step.node);
                    (
                        None,
                        check_sentence(rule.is_some(), condition, decided_by, &checked, &next),
                        decided_by.clone(),
                        Vec::new(),
                    )
                }
                Decision::Undecided { missing, known } => (
                    None,
                    format!(
                        "Could not decide: {} not known, so the agent was asked: {next}",
                        missing.join(", ")
                    ),
                    known.clone(),
                    missing.clone(),
                ),
            };
            PathStep {
                node: step.node.clone(),
                title: title_of(&step.node),
                prompt: step.prompt.clone(),
                answer_id,
                answer,
                condition,
                next: step.next.clone(),
                decided_by: step.decision.decider(),
                facts,
                missing,
                at: step.at,
            }
        })
        .collect()
}

/// Every fact a check's rules name, in the order they first appear.
fn checked_facts(rb: &Runbook, node: &str) -> Vec<String> {
    let Some(crate::runbook::NodeKind::Check(check)) = rb.node(node).map(|n| &n.kind) else {
        return Vec::new();
    };
    let mut names: Vec<String> = Vec::new();
    for rule in &check.rules {
        for name in rule.when.facts() {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// What a check looked at and what it found, in words: "Checked key.status: revoked. Applied
/// the rule key.status = revoked, so: Who revoked the key?". A check that fell through says
/// what it read, what it could not read, and that none of its rules applied.
fn check_sentence(
    matched: bool,
    condition: &str,
    read: &[Citation],
    named: &[String],
    next: &str,
) -> String {
    let found: Vec<String> = read
        .iter()
        .map(|c| format!("{}: {}", c.fact, c.value))
        .collect();
    let absent: Vec<&str> = named
        .iter()
        .filter(|n| !read.iter().any(|c| &c.fact == *n))
        .map(String::as_str)
        .collect();
    let mut s = if found.is_empty() {
        String::new()
    } else {
        format!("Checked {}. ", found.join("; "))
    };
    if matched {
        s.push_str(&format!("Applied the rule {condition}"));
    } else {
        s.push_str("No rule matched");
        if !absent.is_empty() {
            s.push_str(&format!(" (not known: {})", absent.join(", ")));
        }
    }
    s.push_str(&format!(", so: {next}"));
    s
}

/// The fact that settled the outcome: of the facts behind the last rule that applied (see
/// [`crate::runbook::condition::Condition::settled_by`]), the last one, which in a rule like "revoked, and
/// the reason says leak" is the specific half.
pub(super) fn deciding_fact(rb: &Runbook, walk: &Walk, facts: &Facts) -> Option<String> {
    use crate::walk::Decision;
    walk.steps().iter().rev().find_map(|s| {
        let Decision::Check { rule: Some(i), .. } = &s.decision else {
            return None;
        };
        let Some(crate::runbook::NodeKind::Check(check)) = rb.node(&s.node).map(|n| &n.kind) else {
            return None;
        };
        check.rules.get(*i)?.when.settled_by(facts, s.at).pop()
    })
}
