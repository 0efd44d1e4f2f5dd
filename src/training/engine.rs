//! Playing a scenario's walk from a set of answers: what `train take` and `train check` do
//! without a terminal. The terminal app walks the same `Walk` one answer at a time instead.

use crate::facts::Facts;
use crate::runbook::Runbook;
use crate::walk::{Answerer, Position, Walk, WalkError};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A walk played as far as the answers reach.
#[derive(Debug, Clone)]
pub struct Played {
    pub walk: Walk,
    /// The question the walk stopped at for want of an answer; `None` when it reached an
    /// outcome.
    pub needs: Option<String>,
}

impl Played {
    /// The outcome reached, if the walk finished.
    pub fn outcome(&self) -> Option<&str> {
        self.needs.is_none().then(|| self.walk.current())
    }
}

/// Walks `rb` on `facts`, answering each question it stops at from `answers` (node → choice).
/// Answers for nodes the walk never reaches are ignored: evidence decided them.
pub fn play(
    rb: &Runbook,
    facts: Facts,
    answers: &BTreeMap<String, String>,
    by: &Answerer,
    now: DateTime<Utc>,
) -> Result<Played, WalkError> {
    let mut walk = Walk::start(rb, facts, now)?;
    loop {
        let node = match walk.position(rb)? {
            Position::Outcome { .. } => return Ok(Played { walk, needs: None }),
            Position::Question { node, .. } => node.to_string(),
        };
        let Some(choice) = answers.get(&node) else {
            return Ok(Played {
                walk,
                needs: Some(node),
            });
        };
        walk.answer(rb, &node, choice, by.clone(), now)?;
    }
}
