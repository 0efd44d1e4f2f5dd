//! Learning from cases: figures over saved tickets and open sessions. Which outcomes each
//! runbook version reaches, the paths taken, where checks could not decide (and so which facts
//! the admin API or a runbook should supply), how long nodes and cases take, and which cases
//! were left open.
//!
//! Pure: it is handed parsed [`Case`]s and a clock; reading files is the command's job.

mod edges;
mod record;
mod text;

pub use edges::EdgeCounts;
pub use record::{Case, CaseStep, End, RecordError, StepKind, from_ticket_json, open_case};
pub use text::{duration, to_text};

use crate::runbook::Resolution;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// An open case untouched this many hours counts as abandoned.
pub const ABANDONED_AFTER_HOURS: i64 = 24;

/// Which cases count, and when an open case counts as abandoned.
#[derive(Debug, Clone)]
pub struct Filter {
    pub now: DateTime<Utc>,
    /// Only cases started at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// Only cases on this runbook: its id or the prefix before a dash (`401`).
    pub runbook: Option<String>,
    /// An open case untouched for this long is abandoned.
    pub abandoned_after: Duration,
}

impl Filter {
    pub fn keeps(&self, case: &Case) -> bool {
        self.since.is_none_or(|since| case.started_at >= since)
            && self
                .runbook
                .as_deref()
                .is_none_or(|want| runbook_matches(&case.runbook.id, want))
    }
}

/// Whether the runbook `id` is the one a person named: `401` names `401-unauthorized`.
pub fn runbook_matches(id: &str, named: &str) -> bool {
    id == named
        || id
            .strip_prefix(named)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// Every figure, as `--json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub cases: usize,
    pub finished: usize,
    pub unfinished: usize,
    pub abandoned: usize,
    /// From start to ticket, finished cases only.
    pub case_time: Option<Timing>,
    pub runbooks: Vec<RunbookStats>,
    /// Facts whose absence kept a check from deciding, most often missing first.
    pub missing_facts: Vec<MissingFact>,
    /// Questions asked without a check before them: the runbook asks them by design.
    pub asked_by_design: Vec<Count>,
    /// Time from the step before to each node's decision, slowest median first.
    pub node_times: Vec<NodeTime>,
    /// Open cases, least recently touched first.
    pub open: Vec<OpenCase>,
}

/// One runbook version's cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunbookStats {
    pub id: String,
    pub version: String,
    pub cases: usize,
    pub outcomes: Vec<OutcomeCount>,
    /// The paths taken, as a tree from the first node.
    pub paths: Vec<PathNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeCount {
    pub outcome: String,
    pub resolution: Resolution,
    pub count: usize,
}

/// A node of the path tree: how many cases reached it this way, and how many stand here open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathNode {
    pub node: String,
    pub cases: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub open: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<PathNode>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub node: String,
    pub count: usize,
}

/// A fact that was missing when a check had to decide, and what that cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingFact {
    pub fact: String,
    /// How many times a check could not decide for want of it.
    pub count: usize,
    /// The checks that needed it.
    pub checks: Vec<Count>,
    /// The questions asked instead.
    pub questions: Vec<Count>,
}

/// Nearest-rank percentiles of durations, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timing {
    pub samples: usize,
    pub median_secs: i64,
    pub p90_secs: i64,
}

impl Timing {
    /// `None` for no samples: there is nothing to say.
    pub fn of(mut secs: Vec<i64>) -> Option<Timing> {
        if secs.is_empty() {
            return None;
        }
        secs.sort_unstable();
        // Nearest rank: the smallest sample with at least p% of samples at or below it.
        let rank = |p: usize| secs[(secs.len() * p).div_ceil(100).max(1) - 1];
        Some(Timing {
            samples: secs.len(),
            median_secs: rank(50),
            p90_secs: rank(90),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeTime {
    pub runbook: String,
    pub node: String,
    #[serde(flatten)]
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenCase {
    pub id: String,
    pub runbook: String,
    /// The question it waits at; `None` while still at intake.
    pub at: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub abandoned: bool,
}

/// The figures over the cases `filter` keeps.
pub fn compute(cases: &[Case], filter: &Filter) -> Stats {
    let cases: Vec<&Case> = cases.iter().filter(|c| filter.keeps(c)).collect();
    let open = open_cases(&cases, filter);
    let case_time = Timing::of(
        cases
            .iter()
            .filter_map(|c| match &c.end {
                End::Outcome { at, .. } => Some((*at - c.started_at).num_seconds()),
                End::Open { .. } => None,
            })
            .collect(),
    );
    let (missing_facts, asked_by_design) = questions(&cases);
    Stats {
        cases: cases.len(),
        finished: cases.len() - open.len(),
        unfinished: open.len(),
        abandoned: open.iter().filter(|o| o.abandoned).count(),
        case_time,
        runbooks: runbooks(&cases),
        missing_facts,
        asked_by_design,
        node_times: node_times(&cases),
        open,
    }
}

fn runbooks(cases: &[&Case]) -> Vec<RunbookStats> {
    let mut by_version: BTreeMap<(&str, &str), Vec<&Case>> = BTreeMap::new();
    for c in cases {
        by_version
            .entry((&c.runbook.id, &c.runbook.version))
            .or_default()
            .push(c);
    }
    by_version
        .into_iter()
        .map(|((id, version), cases)| {
            let mut outcomes: BTreeMap<&str, OutcomeCount> = BTreeMap::new();
            for c in &cases {
                if let End::Outcome {
                    node, resolution, ..
                } = &c.end
                {
                    outcomes
                        .entry(node)
                        .or_insert_with(|| OutcomeCount {
                            outcome: node.clone(),
                            resolution: resolution.clone(),
                            count: 0,
                        })
                        .count += 1;
                }
            }
            let mut outcomes: Vec<OutcomeCount> = outcomes.into_values().collect();
            outcomes.sort_by(|a, b| b.count.cmp(&a.count).then(a.outcome.cmp(&b.outcome)));
            RunbookStats {
                id: id.to_string(),
                version: version.to_string(),
                cases: cases.len(),
                outcomes,
                paths: path_tree(&cases),
            }
        })
        .collect()
}

fn path_tree(cases: &[&Case]) -> Vec<PathNode> {
    let mut roots: Vec<PathNode> = Vec::new();
    for c in cases {
        let is_open = matches!(c.end, End::Open { .. });
        let nodes = c.nodes();
        let mut level = &mut roots;
        for (i, node) in nodes.iter().enumerate() {
            let pos = match level.iter().position(|n| n.node == *node) {
                Some(pos) => pos,
                None => {
                    level.push(PathNode {
                        node: node.to_string(),
                        cases: 0,
                        open: 0,
                        next: Vec::new(),
                    });
                    level.len() - 1
                }
            };
            let entry = &mut level[pos];
            entry.cases += 1;
            if is_open && i + 1 == nodes.len() {
                entry.open += 1;
            }
            level = &mut entry.next;
        }
    }
    sort_tree(&mut roots);
    roots
}

fn sort_tree(level: &mut [PathNode]) {
    level.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.node.cmp(&b.node)));
    for n in level {
        sort_tree(&mut n.next);
    }
}

fn questions(cases: &[&Case]) -> (Vec<MissingFact>, Vec<Count>) {
    let mut facts: BTreeMap<&str, (usize, Counter, Counter)> = BTreeMap::new();
    let mut by_design = Counter::default();
    for c in cases {
        let mut after_undecided = false;
        for (step, next) in c.transitions() {
            match &step.kind {
                StepKind::Undecided { missing } => {
                    for fact in missing {
                        let (count, checks, questions) = facts.entry(fact).or_default();
                        *count += 1;
                        checks.add(&step.node);
                        if let Some(q) = next {
                            questions.add(q);
                        }
                    }
                }
                StepKind::Answered { .. } if !after_undecided => by_design.add(&step.node),
                _ => {}
            }
            after_undecided = matches!(step.kind, StepKind::Undecided { .. });
        }
    }
    let mut missing: Vec<MissingFact> = facts
        .into_iter()
        .map(|(fact, (count, checks, questions))| MissingFact {
            fact: fact.to_string(),
            count,
            checks: checks.sorted(),
            questions: questions.sorted(),
        })
        .collect();
    missing.sort_by(|a, b| b.count.cmp(&a.count).then(a.fact.cmp(&b.fact)));
    (missing, by_design.sorted())
}

/// Occurrences per node id.
#[derive(Default)]
struct Counter(BTreeMap<String, usize>);

impl Counter {
    fn add(&mut self, node: &str) {
        *self.0.entry(node.to_string()).or_default() += 1;
    }

    /// Most frequent first, ties by id.
    fn sorted(self) -> Vec<Count> {
        let mut v: Vec<Count> = self
            .0
            .into_iter()
            .map(|(node, count)| Count { node, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.node.cmp(&b.node)));
        v
    }
}

fn node_times(cases: &[&Case]) -> Vec<NodeTime> {
    let mut samples: BTreeMap<(&str, &str), Vec<i64>> = BTreeMap::new();
    for c in cases {
        let mut before = c.started_at;
        for step in &c.steps {
            samples
                .entry((&c.runbook.id, &step.node))
                .or_default()
                .push((step.at - before).num_seconds());
            before = step.at;
        }
    }
    let mut times: Vec<NodeTime> = samples
        .into_iter()
        .filter_map(|((runbook, node), secs)| {
            Timing::of(secs).map(|timing| NodeTime {
                runbook: runbook.to_string(),
                node: node.to_string(),
                timing,
            })
        })
        .collect();
    times.sort_by(|a, b| {
        (b.timing.median_secs, b.timing.p90_secs)
            .cmp(&(a.timing.median_secs, a.timing.p90_secs))
            .then_with(|| (&a.runbook, &a.node).cmp(&(&b.runbook, &b.node)))
    });
    times
}

fn open_cases(cases: &[&Case], filter: &Filter) -> Vec<OpenCase> {
    let mut open: Vec<OpenCase> = cases
        .iter()
        .filter_map(|c| match &c.end {
            End::Open { at, updated_at } => Some(OpenCase {
                id: c.id.clone(),
                runbook: c.runbook.id.clone(),
                at: at.clone(),
                updated_at: *updated_at,
                abandoned: filter.now - *updated_at >= filter.abandoned_after,
            }),
            End::Outcome { .. } => None,
        })
        .collect();
    open.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
    open
}

#[cfg(test)]
mod tests;
