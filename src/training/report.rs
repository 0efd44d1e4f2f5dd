//! A class's results in figures: per trainee and per scenario. Rendered as Markdown here (its
//! text escaped) and as JSON by serializing [`ClassReport`].

use super::score::TrainingResult;
use crate::escape::{md_code_in_cell, md_text};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub trainees: Vec<TraineeLine>,
    pub scenarios: Vec<ScenarioLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeLine {
    pub trainee: String,
    pub taken: usize,
    pub passed: usize,
    /// Passed / taken, 0 to 1.
    pub pass_rate: f64,
    /// Questions answered beyond par, summed.
    pub questions_over_par: u32,
    pub hints: usize,
    pub critical_errors: usize,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioLine {
    pub scenario: String,
    pub taken: usize,
    pub passed: usize,
    pub pass_rate: f64,
    /// The node where trainees leave the expected path most often, with how many did.
    pub most_left_at: Option<(String, usize)>,
    /// Wrong outcomes reached, with how often, most frequent first.
    pub wrong_outcomes: Vec<(String, usize)>,
}

/// Aggregates a class's results; lines are sorted by trainee and scenario id.
pub fn report(results: &[TrainingResult]) -> ClassReport {
    let mut by_trainee: BTreeMap<&str, Vec<&TrainingResult>> = BTreeMap::new();
    let mut by_scenario: BTreeMap<&str, Vec<&TrainingResult>> = BTreeMap::new();
    for r in results {
        by_trainee.entry(&r.trainee).or_default().push(r);
        by_scenario.entry(&r.scenario.id).or_default().push(r);
    }
    let trainees = by_trainee
        .into_iter()
        .map(|(trainee, rs)| {
            let passed = rs.iter().filter(|r| r.passed).count();
            TraineeLine {
                trainee: trainee.to_string(),
                taken: rs.len(),
                passed,
                pass_rate: rate(passed, rs.len()),
                questions_over_par: rs
                    .iter()
                    .map(|r| r.questions_answered.saturating_sub(r.par))
                    .sum(),
                hints: rs.iter().map(|r| r.hints_used.len()).sum(),
                critical_errors: rs.iter().map(|r| r.critical_errors.len()).sum(),
                seconds: rs.iter().map(|r| r.seconds).sum(),
            }
        })
        .collect();
    let scenarios = by_scenario
        .into_iter()
        .map(|(scenario, rs)| {
            let passed = rs.iter().filter(|r| r.passed).count();
            let left = most_frequent(rs.iter().filter_map(|r| r.first_divergence.as_deref()));
            let wrong = counted(
                rs.iter()
                    .filter(|r| r.outcome_reached != r.expected_outcome)
                    .map(|r| r.outcome_reached.as_str()),
            );
            ScenarioLine {
                scenario: scenario.to_string(),
                taken: rs.len(),
                passed,
                pass_rate: rate(passed, rs.len()),
                most_left_at: left,
                wrong_outcomes: wrong,
            }
        })
        .collect();
    ClassReport {
        trainees,
        scenarios,
    }
}

impl ClassReport {
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Training report\n\n## Trainees\n\n");
        out.push_str(
            "| trainee | taken | passed | pass rate | questions over par | hints | critical errors | time |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for t in &self.trainees {
            out.push_str(&format!(
                "| {} | {} | {} | {:.0}% | {} | {} | {} | {} |\n",
                md_text(&t.trainee),
                t.taken,
                t.passed,
                t.pass_rate * 100.0,
                t.questions_over_par,
                t.hints,
                t.critical_errors,
                minutes(t.seconds),
            ));
        }
        out.push_str(
            "\n## Scenarios\n\n| scenario | taken | pass rate | most often left the path at | wrong outcomes |\n\
             |---|---:|---:|---|---|\n",
        );
        for s in &self.scenarios {
            let left = s.most_left_at.as_ref().map_or("-".to_string(), |(n, c)| {
                format!("{} ({c})", md_code_in_cell(n))
            });
            let wrong = if s.wrong_outcomes.is_empty() {
                "-".to_string()
            } else {
                s.wrong_outcomes
                    .iter()
                    .map(|(o, c)| format!("{} ({c})", md_code_in_cell(o)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push_str(&format!(
                "| {} | {} | {:.0}% | {left} | {wrong} |\n",
                md_code_in_cell(&s.scenario),
                s.taken,
                s.pass_rate * 100.0,
            ));
        }
        out
    }
}

fn rate(passed: usize, taken: usize) -> f64 {
    if taken == 0 {
        0.0
    } else {
        passed as f64 / taken as f64
    }
}

fn minutes(seconds: i64) -> String {
    format!("{}m{:02}s", seconds / 60, seconds % 60)
}

fn counted<'a>(items: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for i in items {
        *counts.entry(i).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    // Most frequent first; ties by name, so the report is stable.
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn most_frequent<'a>(items: impl Iterator<Item = &'a str>) -> Option<(String, usize)> {
    counted(items).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::score::{DebriefText, ScenarioRef};

    fn result(trainee: &str, scenario: &str, reached: &str, left: Option<&str>) -> TrainingResult {
        let at = crate::testing::now();
        TrainingResult {
            trainee: trainee.into(),
            scenario: ScenarioRef {
                id: scenario.into(),
                version: 1,
                title: "t".into(),
            },
            started_at: at,
            finished_at: at,
            seconds: 90,
            par_seconds: 120,
            answers: vec![],
            questions_answered: 2,
            par: 1,
            hints_used: vec![],
            outcome_reached: reached.into(),
            expected_outcome: "key-revoked".into(),
            score: 90,
            grade: "A".into(),
            passed: reached == "key-revoked",
            deductions: vec![],
            critical_errors: vec![],
            first_divergence: left.map(str::to_string),
            path: vec![],
            expected_path: vec![],
            evidence_opened: vec![],
            evidence_deciding: vec![],
            debrief: DebriefText {
                why: String::new(),
                trap: String::new(),
            },
        }
    }

    #[test]
    fn per_trainee_and_per_scenario_figures() {
        let r = report(&[
            result("ana", "s1", "key-revoked", None),
            result("ana", "s2", "key-expired", Some("ask-key-status")),
            result("bo", "s2", "key-expired", Some("ask-key-status")),
            result("bo", "s2", "key-disabled", Some("ask-other")),
        ]);
        assert_eq!(r.trainees.len(), 2);
        assert_eq!(r.trainees[0].trainee, "ana");
        assert_eq!((r.trainees[0].taken, r.trainees[0].passed), (2, 1));
        assert_eq!(r.trainees[1].questions_over_par, 2);
        let s2 = &r.scenarios[1];
        assert_eq!(s2.pass_rate, 0.0);
        assert_eq!(s2.most_left_at, Some(("ask-key-status".into(), 2)));
        assert_eq!(s2.wrong_outcomes[0], ("key-expired".into(), 2));
        let md = r.to_markdown();
        assert!(md.contains("| ana | 2 | 1 | 50% |"), "{md}");
        assert!(md.contains("`ask-key-status` (2)"), "{md}");
    }
}
