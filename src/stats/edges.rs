//! How many cases took each edge of one runbook version, for `graph --stats`. An edge is
//! named as the runbook draws it (from, to, label), so two choices leading to the same node
//! keep separate counts.

use super::{Case, StepKind};
use crate::runbook::{EDGE_FACTS_UNKNOWN, EDGE_OTHERWISE};
use crate::walk::NO_RULE_MATCHED;
use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct EdgeCounts {
    counts: BTreeMap<(String, String, String), usize>,
    /// The cases counted.
    pub cases: usize,
}

impl EdgeCounts {
    /// The transitions of the cases walked on runbook `id` at `version`; other cases are
    /// left out, since their edges may not exist in this text.
    pub fn of(cases: &[Case], id: &str, version: &str) -> Self {
        let mut counts = EdgeCounts::default();
        for case in cases
            .iter()
            .filter(|c| c.runbook.id == id && c.runbook.version == version)
        {
            counts.cases += 1;
            for (step, next) in case.transitions() {
                let Some(next) = next else { continue };
                let label = match &step.kind {
                    StepKind::Answered { label } => label.as_str(),
                    StepKind::Decided { condition } if condition == NO_RULE_MATCHED => {
                        EDGE_OTHERWISE
                    }
                    StepKind::Decided { condition } => condition.as_str(),
                    StepKind::Undecided { .. } => EDGE_FACTS_UNKNOWN,
                };
                *counts
                    .counts
                    .entry((step.node.clone(), next.to_string(), label.to_string()))
                    .or_default() += 1;
            }
        }
        counts
    }

    /// How many times cases went from `from` to `to` along the edge labelled `label`.
    pub fn get(&self, from: &str, to: &str, label: &str) -> usize {
        self.counts
            .get(&(from.to_string(), to.to_string(), label.to_string()))
            .copied()
            .unwrap_or(0)
    }
}
