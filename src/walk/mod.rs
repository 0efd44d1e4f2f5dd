//! The walk: a pure state machine over one runbook. It holds the facts of a case and every
//! step taken, stops at questions and outcomes, and moves on by itself whenever a check's
//! facts are known. No I/O, no clock: callers pass `now`, so the walk is deterministic and
//! a saved walk resumes exactly.

mod conflicts;
mod step;

pub use conflicts::{Conflict, Settled, owner_conflict};
pub use step::{Answerer, Citation, Decision, Note, Step, Unavailable};

use crate::facts::{Fact, FactError, FactSource, Facts};
use crate::runbook::condition::{Trace, Truth};
use crate::runbook::{Check, NodeKind, Outcome, Question, Runbook};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The condition a check step records when it fell through to `otherwise`.
pub const NO_RULE_MATCHED: &str = "no rule matched";

/// Which runbook text a walk was taken on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookRef {
    pub id: String,
    pub version: String,
    pub content_hash: String,
}

impl RunbookRef {
    pub fn of(rb: &Runbook) -> Self {
        Self {
            id: rb.id.clone(),
            version: rb.version.clone(),
            content_hash: rb.content_hash.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WalkError {
    #[error("this walk was taken on runbook {walked:?}, not {given:?}")]
    RunbookMismatch {
        walked: Box<RunbookRef>,
        given: Box<RunbookRef>,
    },
    #[error("the walk has ended at outcome `{0}`")]
    Finished(String),
    #[error("`{node}` has no choice `{choice}` (choices: {})", valid.join(", "))]
    UnknownChoice {
        node: String,
        choice: String,
        valid: Vec<String>,
    },
    #[error("the walk is at `{at}`, not at `{asked}`")]
    NotHere { at: String, asked: String },
    #[error("nothing to undo: no answer has been given yet")]
    NothingToUndo,
    #[error("there is no step {0}")]
    NoSuchStep(usize),
    #[error("runbook node `{0}` does not exist")]
    MissingNode(String),
    #[error("the walk passed more checks than the runbook has nodes: it loops")]
    Loops,
    #[error(transparent)]
    Fact(#[from] FactError),
}

/// Where the walk stands.
#[derive(Debug, Clone, Copy)]
pub enum Position<'a> {
    /// Waiting for the agent to answer a question.
    Question {
        node: &'a str,
        question: &'a Question,
    },
    /// Finished.
    Outcome { node: &'a str, outcome: &'a Outcome },
}

/// One case being walked through one runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    pub runbook: RunbookRef,
    pub started_at: DateTime<Utc>,
    /// Facts from intake, the admin API and diagnostics. Facts the agent asserts by answering
    /// live on their steps, so undoing an answer undoes its facts.
    base_facts: Facts,
    steps: Vec<Step>,
    /// The node the walk stands at: always a question or an outcome between calls.
    current: String,
    notes: Vec<Note>,
    unavailable: Vec<Unavailable>,
    /// Conflicts the agent settled, saying which value is right.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    settled: Vec<Settled>,
}

impl Walk {
    /// Starts a walk with the intake facts and runs every check it can.
    pub fn start(rb: &Runbook, intake: Facts, now: DateTime<Utc>) -> Result<Self, WalkError> {
        let mut walk = Walk {
            runbook: RunbookRef::of(rb),
            started_at: now,
            base_facts: intake,
            steps: Vec::new(),
            current: rb.start.clone(),
            notes: Vec::new(),
            unavailable: Vec::new(),
            settled: Vec::new(),
        };
        walk.advance(rb, now)?;
        Ok(walk)
    }

    /// Confirms a saved walk belongs to this exact runbook text before it is resumed.
    pub fn verify(&self, rb: &Runbook) -> Result<(), WalkError> {
        let given = RunbookRef::of(rb);
        if given == self.runbook {
            Ok(())
        } else {
            Err(WalkError::RunbookMismatch {
                walked: Box::new(self.runbook.clone()),
                given: Box::new(given),
            })
        }
    }

    pub fn position<'r>(&self, rb: &'r Runbook) -> Result<Position<'r>, WalkError> {
        let node = rb
            .node(&self.current)
            .ok_or_else(|| WalkError::MissingNode(self.current.clone()))?;
        match &node.kind {
            NodeKind::Question(question) => Ok(Position::Question {
                node: &node.id,
                question,
            }),
            NodeKind::Outcome(outcome) => Ok(Position::Outcome {
                node: &node.id,
                outcome,
            }),
            // `advance` never leaves the walk on a check.
            NodeKind::Check(_) => Err(WalkError::MissingNode(self.current.clone())),
        }
    }

    pub fn current(&self) -> &str {
        &self.current
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    pub fn unavailable(&self) -> &[Unavailable] {
        &self.unavailable
    }

    /// Every known fact: intake, evidence, and what the agent's answers asserted.
    pub fn facts(&self) -> Facts {
        let mut facts = self.base_facts.clone();
        for step in &self.steps {
            if let Decision::Answer { set, .. } = &step.decision {
                facts.extend(set);
            }
        }
        for s in &self.settled {
            let fact = Fact {
                value: s.value.clone(),
                source: FactSource::Agent,
                at: s.at,
                evidence: Some(Redacted::from("settled a conflict")),
            };
            // A settled value is one of two that were already facts of this name and type.
            let _ = facts.insert(&s.fact, fact);
        }
        crate::facts::derived::add(&mut facts);
        facts
    }

    pub fn is_finished(&self, rb: &Runbook) -> bool {
        matches!(self.position(rb), Ok(Position::Outcome { .. }))
    }

    /// Answers the question the walk stands at, then runs the checks that follow.
    pub fn answer(
        &mut self,
        rb: &Runbook,
        node: &str,
        choice: &str,
        by: Answerer,
        now: DateTime<Utc>,
    ) -> Result<(), WalkError> {
        let question = match self.position(rb)? {
            Position::Outcome { node, .. } => return Err(WalkError::Finished(node.into())),
            Position::Question { node: at, .. } if at != node => {
                return Err(WalkError::NotHere {
                    at: at.into(),
                    asked: node.into(),
                });
            }
            Position::Question { question, .. } => question,
        };
        let picked = question
            .choice(choice)
            .ok_or_else(|| WalkError::UnknownChoice {
                node: node.into(),
                choice: choice.into(),
                valid: question.choices.iter().map(|c| c.id.clone()).collect(),
            })?;
        let mut set = Facts::new();
        for (name, value) in &picked.set {
            set.insert(
                name,
                Fact {
                    value: value.clone(),
                    source: FactSource::Agent,
                    at: now,
                    evidence: Some(format!("answer {} to {node}", picked.id).into()),
                },
            )?;
        }
        let prompt = rb.node(node).map(|n| n.text.clone()).unwrap_or_default();
        self.steps.push(Step {
            node: node.into(),
            prompt,
            decision: Decision::Answer {
                choice: picked.id.clone(),
                label: picked.label.clone(),
                by,
                set,
            },
            next: picked.next.clone(),
            at: now,
        });
        self.current = picked.next.clone();
        self.advance(rb, now)
    }

    /// Adds facts (from the admin API or diagnostics) and decides again, as if they had been
    /// there from the start, every check since the last answer that reads one of them. A
    /// check that waited on a question for want of a fact may now decide by itself, and one
    /// that fell through while evidence was still arriving (an `exists` that was false only
    /// because the failure summary had not come yet) must not stand. An answer is never
    /// undone: what a person said outranks evidence that came after it. Returns the index of
    /// the first step that was decided differently, if any.
    pub fn add_facts(
        &mut self,
        rb: &Runbook,
        facts: Facts,
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, WalkError> {
        self.base_facts.extend(&facts);
        let mut arrived: Vec<&str> = facts.iter().map(|(name, _)| name).collect();
        // A fact computed from one that arrived changed too.
        arrived.extend(crate::facts::derived::fed_by(&arrived));
        self.redecide(rb, &arrived, now)
    }

    /// Records that a source of evidence could not answer, for the screen and the ticket.
    pub fn record_unavailable(
        &mut self,
        source: FactSource,
        what: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) {
        self.unavailable
            .retain(|u| !(u.source == source && u.what == what));
        self.unavailable.push(Unavailable {
            source,
            what: what.into(),
            reason: reason.into(),
            at: now,
        });
    }

    /// Forgets an earlier failure of a source, once it has answered after all.
    pub fn clear_unavailable(&mut self, source: FactSource, what: &str) {
        self.unavailable
            .retain(|u| !(u.source == source && u.what == what));
    }

    /// Undoes the last answer, with the checks that followed it.
    pub fn back(&mut self, rb: &Runbook, now: DateTime<Utc>) -> Result<(), WalkError> {
        let last_answer = self
            .steps
            .iter()
            .rposition(|s| matches!(s.decision, Decision::Answer { .. }))
            .ok_or(WalkError::NothingToUndo)?;
        self.rewind_to(rb, last_answer, now)
    }

    /// Goes back to step `index` to take it again: that step and all after it are undone.
    pub fn rewind_to(
        &mut self,
        rb: &Runbook,
        index: usize,
        now: DateTime<Utc>,
    ) -> Result<(), WalkError> {
        let step = self.steps.get(index).ok_or(WalkError::NoSuchStep(index))?;
        self.current = step.node.clone();
        self.steps.truncate(index);
        // A check at the rewound step decides again, with today's facts.
        self.advance(rb, now)
    }

    /// Attaches a note to a node of the walk (by default the one it stands at).
    pub fn add_note(&mut self, node: Option<&str>, text: Redacted, by: &str, now: DateTime<Utc>) {
        self.notes.push(Note {
            node: node.unwrap_or(&self.current).to_string(),
            text,
            by: by.to_string(),
            at: now,
        });
    }

    fn redecide(
        &mut self,
        rb: &Runbook,
        arrived: &[&str],
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, WalkError> {
        let since_answer = self
            .steps
            .iter()
            .rposition(|s| matches!(s.decision, Decision::Answer { .. }))
            .map_or(0, |i| i + 1);
        let reads_arrived = |step: &Step| match rb.node(&step.node).map(|n| &n.kind) {
            Some(NodeKind::Check(check)) => check
                .rules
                .iter()
                .any(|r| r.when.facts().iter().any(|f| arrived.contains(f))),
            _ => false,
        };
        let Some(first) = (since_answer..self.steps.len()).find(|&i| reads_arrived(&self.steps[i]))
        else {
            return Ok(None);
        };
        let mut again = self.clone();
        again.rewind_to(rb, first, now)?;
        // Evidence fetched again with the same values changes nothing, not even a step's time.
        let differs = (first..self.steps.len().max(again.steps.len()))
            .find(|&i| !same_decision(self.steps.get(i), again.steps.get(i)));
        if differs.is_some() {
            *self = again;
        }
        Ok(differs)
    }

    /// Runs checks from the current node until the walk stands at a question or an outcome.
    fn advance(&mut self, rb: &Runbook, now: DateTime<Utc>) -> Result<(), WalkError> {
        // Each pass through the loop records a step; a runbook without cycles cannot take
        // more than one per node.
        for _ in 0..=rb.nodes.len() {
            let node = rb
                .node(&self.current)
                .ok_or_else(|| WalkError::MissingNode(self.current.clone()))?;
            let NodeKind::Check(check) = &node.kind else {
                return Ok(());
            };
            let (result, trace) = self.evaluate(check, now);
            let facts = self.facts();
            let cite = |names: &[String]| -> Vec<Citation> {
                names
                    .iter()
                    .filter_map(|n| facts.get(n).map(|f| Citation::of(n, f)))
                    .collect()
            };
            let (decision, next) = match result {
                CheckResult::Rule(i) => (
                    Decision::Check {
                        rule: Some(i),
                        condition: check.rules[i].when.to_string(),
                        decided_by: cite(&trace.read),
                    },
                    check.rules[i].next.clone(),
                ),
                CheckResult::Otherwise => (
                    Decision::Check {
                        rule: None,
                        condition: NO_RULE_MATCHED.into(),
                        decided_by: cite(&trace.read),
                    },
                    check.otherwise.clone(),
                ),
                CheckResult::Unknown { missing } => (
                    Decision::Undecided {
                        missing,
                        known: cite(&trace.read),
                    },
                    check.if_unknown.clone(),
                ),
            };
            self.steps.push(Step {
                node: node.id.clone(),
                prompt: node.text.clone(),
                decision,
                next: next.clone(),
                at: now,
            });
            self.current = next;
        }
        Err(WalkError::Loops)
    }

    fn evaluate(&self, check: &Check, now: DateTime<Utc>) -> (CheckResult, Trace) {
        let facts = self.facts();
        let mut trace = Trace::default();
        for (i, rule) in check.rules.iter().enumerate() {
            match rule.when.eval(&facts, now, &mut trace) {
                Truth::True => return (CheckResult::Rule(i), trace),
                Truth::False => {}
                // An earlier rule that cannot be decided might have matched: ask.
                Truth::Unknown => {
                    let missing = trace.missing.clone();
                    return (CheckResult::Unknown { missing }, trace);
                }
            }
        }
        (CheckResult::Otherwise, trace)
    }
}

enum CheckResult {
    Rule(usize),
    Otherwise,
    Unknown { missing: Vec<String> },
}

/// Two steps that decided alike, whenever they were taken.
fn same_decision(a: Option<&Step>, b: Option<&Step>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.node == b.node && a.next == b.next && a.decision == b.decision,
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
