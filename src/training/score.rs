//! Scoring an attempt like a checkride: the expected outcome is the gate, any critical error
//! fails the scenario whatever the rest, and a pass is graded from 100 down by questions over
//! par, hints used and time over par time. `docs/training.md` documents the same rules.

use super::scenario::{CriticalRule, Debrief, Scenario};
use crate::facts::{FactType, lookup};
use crate::runbook::{NodeKind, Resolution, Runbook};
use crate::walk::{Decision, Walk};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Points off for each question answered beyond par.
pub const POINTS_PER_EXTRA_QUESTION: u32 = 10;
/// Points off for each started half minute beyond par time, at most [`MAX_TIME_POINTS`].
pub const POINTS_PER_HALF_MINUTE: u32 = 1;
pub const MAX_TIME_POINTS: u32 = 20;

/// Par time: two minutes per par question, and two minutes to read the case when the
/// evidence decides everything. Lenient on purpose: reading the evidence is the job.
pub fn par_time(par: u32) -> Duration {
    Duration::minutes(2 * i64::from(par.max(1)))
}

/// What the trainee did besides answering: who, when, which hints and evidence.
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    pub trainee: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Values the trainee typed (intake fields, free text), checked for secrets.
    pub typed: Vec<(String, String)>,
    /// The node of each hint taken, in order; the n-th for a node is its n-th hint.
    pub hints: Vec<String>,
    /// Evidence the trainee opened (the terminal app's evidence panel), by fact name.
    pub evidence_opened: Vec<String>,
}

/// One saved result, the JSON a trainer collects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingResult {
    pub trainee: String,
    pub scenario: ScenarioRef,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub seconds: i64,
    pub par_seconds: i64,
    /// Every step of the trainee's walk: their answers and what the evidence decided.
    pub answers: Vec<ScoredAnswer>,
    pub questions_answered: u32,
    pub par: u32,
    pub hints_used: Vec<HintUsed>,
    pub outcome_reached: String,
    pub expected_outcome: String,
    /// Out of 100, for a pass; a fail scores 0 (the gate and critical errors decide it).
    pub score: u32,
    pub grade: String,
    pub passed: bool,
    pub deductions: Vec<Deduction>,
    pub critical_errors: Vec<CriticalError>,
    /// The first node where the trainee's path leaves the expected one.
    pub first_divergence: Option<String>,
    pub path: Vec<PathStep>,
    pub expected_path: Vec<PathStep>,
    pub evidence_opened: Vec<String>,
    /// The facts the checks on the expected path decided by.
    pub evidence_deciding: Vec<String>,
    pub debrief: DebriefText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    pub id: String,
    pub version: u32,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredAnswer {
    pub node: String,
    /// The choice id for a question; the node the evidence led to for a check.
    pub choice: String,
    pub at: DateTime<Utc>,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Trainee,
    Evidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HintUsed {
    pub node: String,
    pub cost: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    pub what: String,
    pub points: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriticalError {
    /// `outcome:ID`, `resolves`, `team_not:TEAM`, `severity_below:SEVERITY` or
    /// `secret_in_free_text`.
    pub rule: String,
    pub why: String,
}

/// One node of a path and where it led.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathStep {
    pub node: String,
    /// The choice picked at a question; `None` at a check.
    pub choice: Option<String>,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebriefText {
    pub why: String,
    pub trap: String,
}

impl From<&Debrief> for DebriefText {
    fn from(d: &Debrief) -> Self {
        Self {
            why: d.why.trim().to_string(),
            trap: d.trap.trim().to_string(),
        }
    }
}

/// Scores a finished walk against the walk the expected answers take on the same facts.
pub fn score(
    scenario: &Scenario,
    rb: &Runbook,
    walk: &Walk,
    expected: &Walk,
    attempt: &Attempt,
) -> TrainingResult {
    let reached = walk.current().to_string();
    let path = path_of(walk);
    let expected_path = path_of(expected);
    let answers: Vec<ScoredAnswer> = walk
        .steps()
        .iter()
        .map(|s| ScoredAnswer {
            node: s.node.clone(),
            choice: match &s.decision {
                Decision::Answer { choice, .. } => choice.clone(),
                _ => s.next.clone(),
            },
            at: s.at,
            source: match s.decision {
                Decision::Answer { .. } => Source::Trainee,
                _ => Source::Evidence,
            },
        })
        .collect();
    let questions = answers
        .iter()
        .filter(|a| a.source == Source::Trainee)
        .count() as u32;
    let hints_used = hints_used(scenario, &attempt.hints);
    let critical_errors = critical_errors(scenario, rb, &reached, &attempt.typed);
    let seconds = (attempt.finished_at - attempt.started_at)
        .num_seconds()
        .max(0);
    let par_seconds = par_time(scenario.expect.par).num_seconds();

    let mut deductions = Vec::new();
    let over_par = questions.saturating_sub(scenario.expect.par);
    if over_par > 0 {
        deductions.push(Deduction {
            what: format!("{over_par} question(s) over par {}", scenario.expect.par),
            points: over_par * POINTS_PER_EXTRA_QUESTION,
        });
    }
    for h in &hints_used {
        deductions.push(Deduction {
            what: format!("hint at {}", h.node),
            points: h.cost,
        });
    }
    let over_time = seconds - par_seconds;
    if over_time > 0 {
        let halves = u32::try_from((over_time + 29) / 30).unwrap_or(u32::MAX);
        deductions.push(Deduction {
            what: format!("{over_time} s over par time {par_seconds} s"),
            points: (halves * POINTS_PER_HALF_MINUTE).min(MAX_TIME_POINTS),
        });
    }
    let lost: u32 = deductions.iter().map(|d| d.points).sum();
    let passed = reached == scenario.expect.outcome && critical_errors.is_empty();
    // A checkride: efficiency grades a pass only. A failed ride has no score to weigh against
    // a pass, so a wrong outcome can never read as 100.
    let score = if passed {
        100u32.saturating_sub(lost)
    } else {
        0
    };

    TrainingResult {
        trainee: attempt.trainee.clone(),
        scenario: ScenarioRef {
            id: scenario.id.clone(),
            version: scenario.version,
            title: scenario.title.clone(),
        },
        started_at: attempt.started_at,
        finished_at: attempt.finished_at,
        seconds,
        par_seconds,
        answers,
        questions_answered: questions,
        par: scenario.expect.par,
        hints_used,
        outcome_reached: reached,
        expected_outcome: scenario.expect.outcome.clone(),
        score,
        grade: grade(passed, score).to_string(),
        passed,
        deductions,
        critical_errors,
        first_divergence: first_divergence(&path, &expected_path),
        path,
        expected_path,
        evidence_opened: attempt.evidence_opened.clone(),
        evidence_deciding: deciding_facts(expected),
        debrief: (&scenario.debrief).into(),
    }
}

/// The label of a score: a letter and what it means.
pub fn grade(passed: bool, score: u32) -> &'static str {
    match (passed, score) {
        (false, _) => "F (fail)",
        (true, 90..) => "A (excellent)",
        (true, 75..) => "B (good)",
        (true, 60..) => "C (adequate)",
        (true, _) => "D (pass, practise this one)",
    }
}

fn path_of(walk: &Walk) -> Vec<PathStep> {
    walk.steps()
        .iter()
        .map(|s| PathStep {
            node: s.node.clone(),
            choice: match &s.decision {
                Decision::Answer { choice, .. } => Some(choice.clone()),
                _ => None,
            },
            next: s.next.clone(),
        })
        .collect()
}

/// The first node where the paths part: the same node left by another edge, or a node the
/// expected path never took. Both start at the runbook's start, so they part at a shared node.
fn first_divergence(path: &[PathStep], expected: &[PathStep]) -> Option<String> {
    for (i, step) in path.iter().enumerate() {
        match expected.get(i) {
            Some(e) if e.node == step.node && e.next == step.next => continue,
            _ => return Some(step.node.clone()),
        }
    }
    // The trainee's path is a prefix of the expected one: it stopped where the other went on.
    expected.get(path.len()).map(|e| e.node.clone())
}

fn deciding_facts(walk: &Walk) -> Vec<String> {
    let mut facts: Vec<String> = walk
        .steps()
        .iter()
        .flat_map(|s| match &s.decision {
            Decision::Check { decided_by, .. } => {
                decided_by.iter().map(|c| c.fact.clone()).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    facts.sort();
    facts.dedup();
    facts
}

fn hints_used(scenario: &Scenario, taken: &[String]) -> Vec<HintUsed> {
    let mut used = Vec::new();
    for (i, node) in taken.iter().enumerate() {
        let nth = taken[..i].iter().filter(|n| *n == node).count();
        if let Some(h) = scenario.hints_for(node).nth(nth) {
            used.push(HintUsed {
                node: node.clone(),
                cost: h.cost,
            });
        }
    }
    used
}

fn critical_errors(
    scenario: &Scenario,
    rb: &Runbook,
    reached: &str,
    typed: &[(String, String)],
) -> Vec<CriticalError> {
    let outcome = rb.node(reached).and_then(|n| match &n.kind {
        NodeKind::Outcome(o) => Some(o),
        _ => None,
    });
    let mut errors: Vec<CriticalError> = scenario
        .critical
        .iter()
        .filter_map(|c| {
            let (hit, rule) = match &c.rule {
                CriticalRule::Outcome(id) => (reached == id, format!("outcome:{id}")),
                CriticalRule::Resolves => (
                    outcome.is_some_and(|o| o.resolution == Resolution::Resolve),
                    "resolves".to_string(),
                ),
                CriticalRule::TeamNot(team) => (
                    outcome.is_some_and(
                        |o| matches!(&o.resolution, Resolution::Escalate { team: t } if t != team),
                    ),
                    format!("team_not:{team}"),
                ),
                CriticalRule::SeverityBelow(s) => (
                    outcome.is_some_and(|o| o.severity < *s),
                    format!("severity_below:{}", s.as_str()),
                ),
            };
            hit.then(|| CriticalError {
                rule,
                why: c.why.trim().to_string(),
            })
        })
        .collect();
    // Always critical, with no entry needed: the field's text ends up in tickets and logs.
    for (name, text) in typed {
        let free_text = lookup(name).is_none_or(|d| d.ty != FactType::Secret);
        if free_text && crate::secret::redact(text, &[]) != *text {
            errors.push(CriticalError {
                rule: "secret_in_free_text".into(),
                why: format!(
                    "a secret was typed into the free-text field `{name}`: it would reach the \
                     ticket, the case file and the logs"
                ),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Catalog, SourceFile};
    use crate::training::scenario::tests::GOOD;

    fn scenario() -> Scenario {
        Scenario::load(&SourceFile::new("training/demo-revoked-key.toml", GOOD)).unwrap()
    }

    fn step(node: &str, next: &str) -> PathStep {
        PathStep {
            node: node.into(),
            choice: None,
            next: next.into(),
        }
    }

    #[test]
    fn the_first_divergence_is_the_node_left_by_another_edge() {
        let expected = [step("a", "b"), step("b", "c"), step("c", "end")];
        assert_eq!(first_divergence(&expected, &expected), None);
        let mine = [step("a", "b"), step("b", "x"), step("x", "other")];
        assert_eq!(first_divergence(&mine, &expected).as_deref(), Some("b"));
        assert_eq!(
            first_divergence(&expected[..1], &expected).as_deref(),
            Some("b")
        );
    }

    #[test]
    fn critical_rules_fire_on_the_outcome_reached() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let s = scenario();
        // GOOD: `resolves = true` and `severity_below = "high"`.
        let rules = |reached: &str| -> Vec<String> {
            critical_errors(&s, &rb, reached, &[])
                .into_iter()
                .map(|c| c.rule)
                .collect()
        };
        assert_eq!(rules("expected-401"), ["resolves", "severity_below:high"]);
        assert_eq!(rules("escalate-validation-down"), Vec::<String>::new());
    }

    #[test]
    fn a_secret_in_free_text_is_critical_but_not_in_the_key_field() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let s = scenario();
        let key = "sk_live_Canary7Qx2Lm9Rt4Vb8Nz";
        let typed = [
            ("key".to_string(), key.to_string()),
            ("error_body".to_string(), "invalid api key".to_string()),
        ];
        assert!(critical_errors(&s, &rb, "escalate-validation-down", &typed).is_empty());
        let typed = [("error_body".to_string(), format!("sent {key}"))];
        let errors = critical_errors(&s, &rb, "escalate-validation-down", &typed);
        assert_eq!(errors[0].rule, "secret_in_free_text");
        assert!(!errors[0].why.contains(key));
    }

    #[test]
    fn grades_and_par_time() {
        assert_eq!(grade(true, 100), "A (excellent)");
        assert_eq!(grade(true, 80), "B (good)");
        assert_eq!(grade(true, 10), "D (pass, practise this one)");
        assert_eq!(grade(false, 100), "F (fail)");
        assert_eq!(par_time(0), Duration::minutes(2));
        assert_eq!(par_time(3), Duration::minutes(6));
    }

    #[test]
    fn hints_are_taken_in_order_and_unknown_ones_cost_nothing() {
        let s = scenario();
        let used = hints_used(&s, &["ask-key-status".into(), "ask-key-status".into()]);
        // GOOD has one hint for the node: the second request finds none.
        assert_eq!(
            used,
            [HintUsed {
                node: "ask-key-status".into(),
                cost: 10
            }]
        );
    }
}
