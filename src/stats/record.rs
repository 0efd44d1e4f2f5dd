//! One case as statistics see it, read from a saved ticket (a finished case) or a session (an
//! open one). Only what the figures need is read, so a ticket with fields added later still
//! counts; a ticket of a newer schema is refused rather than misread.

use crate::runbook::Resolution;
#[cfg(doc)]
use crate::walk::NO_RULE_MATCHED;
use crate::walk::{Decision, RunbookRef, Step, Walk};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// A case, finished or not, reduced to its path and times.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The ticket id, or the session id for an open case.
    pub id: String,
    pub runbook: RunbookRef,
    pub started_at: DateTime<Utc>,
    pub steps: Vec<CaseStep>,
    pub end: End,
}

/// One step of a case's path.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseStep {
    pub node: String,
    pub kind: StepKind,
    pub at: DateTime<Utc>,
}

/// How a step was decided.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// A person or a script picked the choice with this label.
    Answered { label: String },
    /// A check decided by itself: the rule's condition, or [`NO_RULE_MATCHED`].
    Decided { condition: String },
    /// A check lacked these facts and handed over to a question.
    Undecided { missing: Vec<String> },
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// Finished at an outcome; its ticket was written at `at`.
    Outcome {
        node: String,
        resolution: Resolution,
        at: DateTime<Utc>,
    },
    /// Not finished: waiting at a question (`None`: still at intake), last saved at `updated_at`.
    Open {
        at: Option<String>,
        updated_at: DateTime<Utc>,
    },
}

impl Case {
    /// The node each step led to: the next step's node, then where the case ends.
    pub fn transitions(&self) -> impl Iterator<Item = (&CaseStep, Option<&str>)> {
        let last = match &self.end {
            End::Outcome { node, .. } => Some(node.as_str()),
            End::Open { at, .. } => at.as_deref(),
        };
        let nexts = self
            .steps
            .iter()
            .skip(1)
            .map(|s| Some(s.node.as_str()))
            .chain([last]);
        self.steps.iter().zip(nexts)
    }

    /// Every node the case passed through, ending with where it stands.
    pub fn nodes(&self) -> Vec<&str> {
        let mut nodes: Vec<&str> = self.steps.iter().map(|s| s.node.as_str()).collect();
        match &self.end {
            End::Outcome { node, .. } => nodes.push(node),
            End::Open { at: Some(node), .. } => nodes.push(node),
            End::Open { at: None, .. } => {}
        }
        nodes
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("not a ticket: {0}")]
    NotTicket(#[from] serde_json::Error),
    #[error(
        "written by a newer authdesk (ticket schema {0}, this one reads up to {max})",
        max = crate::ticket::SCHEMA_VERSION
    )]
    Newer(u32),
}

/// The parts of a ticket's JSON (`assets/ticket.schema.json`) that statistics read.
#[derive(Deserialize)]
struct TicketJson {
    schema_version: u32,
    id: String,
    created_at: DateTime<Utc>,
    started_at: DateTime<Utc>,
    runbook: RunbookRef,
    outcome: OutcomeJson,
    path: Vec<PathStepJson>,
}

#[derive(Deserialize)]
struct OutcomeJson {
    id: String,
    resolution: Resolution,
}

#[derive(Deserialize)]
struct PathStepJson {
    node: String,
    answer: String,
    /// A check's rule, or "no rule matched"; tickets before it was added carry it in `answer`.
    #[serde(default)]
    condition: Option<String>,
    decided_by: String,
    #[serde(default)]
    missing: Vec<String>,
    at: DateTime<Utc>,
}

/// A finished case from the text of a ticket's JSON file.
pub fn from_ticket_json(text: &str) -> Result<Case, RecordError> {
    let t: TicketJson = serde_json::from_str(text)?;
    if t.schema_version > crate::ticket::SCHEMA_VERSION {
        return Err(RecordError::Newer(t.schema_version));
    }
    let steps = t
        .path
        .into_iter()
        .map(|s| CaseStep {
            // The ticket names the decider in words (see `Decision::decider`): checks are
            // "check" or "check (facts missing)", anything else is someone who answered.
            kind: if !s.missing.is_empty() || s.decided_by.starts_with("check (") {
                StepKind::Undecided { missing: s.missing }
            } else if s.decided_by == "check" {
                // Older tickets' answer reads "CONDITION → NEXT"; node ids hold no arrows.
                let condition = s.condition.unwrap_or_else(|| {
                    let a = &*s.answer;
                    a.rsplit_once(" → ").map_or(a, |(c, _)| c).to_string()
                });
                StepKind::Decided { condition }
            } else {
                StepKind::Answered { label: s.answer }
            },
            node: s.node,
            at: s.at,
        })
        .collect();
    Ok(Case {
        id: t.id,
        runbook: t.runbook,
        started_at: t.started_at,
        steps,
        end: End::Outcome {
            node: t.outcome.id,
            resolution: t.outcome.resolution,
            at: t.created_at,
        },
    })
}

/// An open case: the walk so far (none before intake was finished), when it began and when
/// it was last touched.
pub fn open_case(
    id: &str,
    runbook: &RunbookRef,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    walk: Option<&Walk>,
) -> Case {
    let (steps, at, started_at) = match walk {
        Some(walk) => (
            walk.steps().iter().map(case_step).collect(),
            Some(walk.current().to_string()),
            walk.started_at,
        ),
        None => (Vec::new(), None, created_at),
    };
    Case {
        id: id.to_string(),
        runbook: runbook.clone(),
        started_at,
        steps,
        end: End::Open { at, updated_at },
    }
}

fn case_step(step: &Step) -> CaseStep {
    let kind = match &step.decision {
        Decision::Answer { label, .. } => StepKind::Answered {
            label: label.clone(),
        },
        Decision::Check { condition, .. } => StepKind::Decided {
            condition: condition.clone(),
        },
        Decision::Undecided { missing, .. } => StepKind::Undecided {
            missing: missing.clone(),
        },
    };
    CaseStep {
        node: step.node.clone(),
        kind,
        at: step.at,
    }
}
