//! Checks on a runbook's graph: every node reachable, no cycles, every path ends in an
//! outcome, and a check that lacks facts asks a question; and, as warnings, hard facts
//! decide before statistics ([`order`]).

mod order;

pub use order::hard_facts_first;

use super::model::{NodeKind, Runbook};
use super::resolve::{Ctx, NodeSpans};
use std::collections::{BTreeSet, HashMap};

pub fn graph(cx: &mut Ctx<'_>, rb: &Runbook, spans: &NodeSpans) {
    let span_of = |id: &str| spans.0.get(id).cloned().unwrap_or(0..0);
    let reachable = reach(rb, &rb.start);

    for node in &rb.nodes {
        // Shared outcomes have no span here: a runbook need not reach every one of them.
        if !reachable.contains(node.id.as_str()) && spans.0.contains_key(&node.id) {
            cx.error(
                span_of(&node.id),
                format!("node `{}` is unreachable from `{}`", node.id, rb.start),
            );
        }
        if let NodeKind::Check(check) = &node.kind {
            let asks = rb
                .node(&check.if_unknown)
                .is_some_and(|n| matches!(n.kind, NodeKind::Question(_)));
            if !asks && rb.node(&check.if_unknown).is_some() {
                cx.error(
                    span_of(&node.id),
                    format!(
                        "check `{}`: `if_unknown` must lead to a question, so the agent is asked",
                        node.id
                    ),
                );
            }
        }
    }

    let mut cycles = cycles(rb);
    cycles.dedup();
    for cycle in cycles {
        cx.error(span_of(&cycle[0]), format!("cycle: {}", cycle.join(" → ")));
    }

    let ends = can_end(rb);
    for id in &reachable {
        if !ends.contains(id) && rb.node(id).is_some() {
            cx.error(
                span_of(id),
                format!("node `{id}` has no way out: no path from it reaches an outcome"),
            );
        }
    }
}

/// Node ids reachable from `from`.
fn reach<'a>(rb: &'a Runbook, from: &'a str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(node) = rb.node(id) {
            stack.extend(node.edges().into_iter().map(|(next, _)| next));
        }
    }
    seen
}

/// Nodes from which some outcome is reachable.
fn can_end(rb: &Runbook) -> BTreeSet<&str> {
    let mut ends: BTreeSet<&str> = rb.outcomes().map(|(node, _)| node.id.as_str()).collect();
    // Propagate backwards until nothing changes; runbooks are small.
    loop {
        let before = ends.len();
        for node in &rb.nodes {
            if node.edges().iter().any(|(next, _)| ends.contains(next)) {
                ends.insert(&node.id);
            }
        }
        if ends.len() == before {
            return ends;
        }
    }
}

/// Each cycle once, as the path from its first node back to itself.
fn cycles(rb: &Runbook) -> Vec<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        rb: &'a Runbook,
        id: &'a str,
        marks: &mut HashMap<&'a str, Mark>,
        path: &mut Vec<&'a str>,
        found: &mut Vec<Vec<String>>,
    ) {
        match marks.get(id) {
            Some(Mark::Done) => return,
            Some(Mark::Open) => {
                let from = path.iter().position(|p| *p == id).unwrap_or(0);
                let mut cycle: Vec<String> = path[from..].iter().map(|s| s.to_string()).collect();
                cycle.push(id.to_string());
                found.push(cycle);
                return;
            }
            None => {}
        }
        let Some(node) = rb.node(id) else { return };
        marks.insert(id, Mark::Open);
        path.push(id);
        for (next, _) in node.edges() {
            visit(rb, next, marks, path, found);
        }
        path.pop();
        marks.insert(id, Mark::Done);
    }
    let mut marks = HashMap::new();
    let mut found = Vec::new();
    visit(rb, &rb.start, &mut marks, &mut Vec::new(), &mut found);
    found
}
