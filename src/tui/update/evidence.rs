//! Finished evidence queries arrive here as messages. Facts go into the walk, which may then
//! decide a waiting check by itself; failures are recorded on the walk for the ticket.
//! Answers to an older round of queries (the intake changed since) are dropped.

use super::case;
use crate::evidence::QueryKind;
use crate::facts::{FactSource, Facts};
use crate::tui::evidence::Connection;
use crate::tui::msg::Effect;
use crate::tui::state::{Case, Load, Screen, State};
use crate::walk::{Decision, Position, Step};
use std::time::Duration;

/// The case, if `generation` is its current round of queries.
fn current(state: &mut State, generation: u64) -> Option<&mut Case> {
    state
        .case
        .as_mut()
        .filter(|c| c.evidence.generation == generation)
}

pub fn started(
    state: &mut State,
    generation: u64,
    queries: Vec<QueryKind>,
    demo: bool,
) -> Vec<Effect> {
    let now = state.now();
    let Some(case) = current(state, generation) else {
        return Vec::new();
    };
    case.evidence.started(queries, demo, now);
    // Once any evidence is demo data, the ticket says so.
    case.session.demo_data |= demo;
    Vec::new()
}

pub fn loaded(
    state: &mut State,
    generation: u64,
    kind: QueryKind,
    facts: Facts,
    elapsed: Duration,
) -> Vec<Effect> {
    let now = state.now();
    let query = kind.label();
    let Some(case) = current(state, generation) else {
        return Vec::new();
    };
    case.evidence.set(kind, Load::Loaded(elapsed));
    case.evidence.facts.extend(&facts);
    let Some(walk) = &mut case.session.walk else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    let before = walk.current().to_string();
    let conflicts_before = walk.open_conflicts().len();
    walk.clear_unavailable(FactSource::AdminApi, query);
    let redone = match walk.add_facts(&case.runbook, facts, now) {
        Ok(redone) => redone,
        Err(e) => {
            state.error(format!("Evidence from {query} could not be used: {e}"));
            return Vec::new();
        }
    };
    if walk.current() != before {
        // The first check the new facts decided differently says why the walk moved.
        let decided = deciding_facts(redone.and_then(|i| walk.steps().get(i)));
        let what = match walk.position(&case.runbook) {
            Ok(Position::Question { node, .. }) => {
                let title = case.runbook.node(node).map_or(node, |n| n.title.as_str());
                format!("Decided by evidence: {decided}; now asking: {title}")
            }
            _ => format!("Decided by evidence: {decided}"),
        };
        effects = case::show_position(state);
        if let Screen::Walk(ws) = &mut state.screen {
            ws.moved_by_evidence = Some((now, what.clone()));
        }
        state.info(what);
    }
    let new_conflict = state
        .case
        .as_ref()
        .and_then(|c| c.session.walk.as_ref())
        .map(|w| w.open_conflicts())
        .filter(|open| open.len() > conflicts_before)
        .and_then(|open| open.last().map(|c| c.describe()));
    if let Some(what) = new_conflict {
        state.error(format!("Conflict: {what}"));
    }
    effects.extend(case::save(state));
    effects
}

/// "key.status = revoked, …" for the facts a check step was decided by.
fn deciding_facts(step: Option<&Step>) -> String {
    let cited = match step.map(|s| &s.decision) {
        Some(Decision::Check { decided_by, .. }) if !decided_by.is_empty() => decided_by,
        _ => return "the admin API's answer".to_string(),
    };
    cited
        .iter()
        .map(|c| format!("{} = {}", c.fact, c.value))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn failed(state: &mut State, generation: u64, kind: QueryKind, reason: &str) -> Vec<Effect> {
    let now = state.now();
    let query = kind.label();
    let Some(case) = current(state, generation) else {
        return Vec::new();
    };
    case.evidence.set(kind, Load::Failed(reason.to_string()));
    case.evidence
        .failures
        .push((query.to_string(), reason.to_string()));
    match &mut case.session.walk {
        Some(walk) => {
            walk.record_unavailable(FactSource::AdminApi, query, reason, now);
            case::save(state)
        }
        None => Vec::new(),
    }
}

/// The round is over: answers that left something open are recorded like failures.
pub fn finished(state: &mut State, generation: u64, gaps: Vec<(String, String)>) -> Vec<Effect> {
    let now = state.now();
    let Some(case) = current(state, generation) else {
        return Vec::new();
    };
    for (what, why) in &gaps {
        case.evidence.failures.push((what.clone(), why.clone()));
        if let Some(walk) = &mut case.session.walk {
            walk.record_unavailable(FactSource::AdminApi, what, why, now);
        }
    }
    case.evidence.gaps = gaps;
    let has_walk = case.session.walk.is_some();
    if has_walk {
        case::save(state)
    } else {
        Vec::new()
    }
}

pub fn offline(state: &mut State, generation: u64, reason: &str) -> Vec<Effect> {
    let now = state.now();
    let Some(case) = current(state, generation) else {
        return Vec::new();
    };
    case.evidence.connection = Connection::Offline(reason.to_string());
    case.evidence.queries.clear();
    match &mut case.session.walk {
        Some(walk) => {
            walk.record_unavailable(FactSource::AdminApi, "admin API", reason, now);
            case::save(state)
        }
        None => Vec::new(),
    }
}
