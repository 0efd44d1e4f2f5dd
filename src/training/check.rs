//! `train check`'s rules that need no data: what a scenario names must exist in its runbook,
//! and every outcome of the runbooks must be some scenario's expected outcome. Whether the
//! expected answers reach the expected outcome needs the scenario's data, so the edge plays
//! the walk and reports with [`Scenario::unreached`].

use super::scenario::{CriticalRule, Scenario};
use crate::runbook::{Catalog, Diagnostic, NodeKind, Resolution, Runbook, SourceFile};
use std::collections::BTreeSet;

impl Scenario {
    /// Problems with the runbook things the scenario names, each at its line and column.
    pub fn check(&self, src: &SourceFile, rb: &Runbook) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        let sp = &self.spans;
        let outcome_ids: BTreeSet<&str> = rb.outcomes().map(|(n, _)| n.id.as_str()).collect();
        if !outcome_ids.contains(self.expect.outcome.as_str()) {
            d.push(src.diagnostic(
                sp.outcome.clone(),
                format!(
                    "expected outcome `{}` is not an outcome of runbook `{}`",
                    self.expect.outcome, rb.id
                ),
            ));
        }
        for (node, choice) in &self.expect.answers {
            let span = sp.answers.get(node).cloned().unwrap_or(sp.outcome.clone());
            match rb.node(node).map(|n| &n.kind) {
                None => d.push(src.diagnostic(
                    span,
                    format!("answer for `{node}`: runbook `{}` has no such node", rb.id),
                )),
                Some(NodeKind::Question(q)) if q.choice(choice).is_none() => {
                    let valid: Vec<&str> = q.choices.iter().map(|c| c.id.as_str()).collect();
                    d.push(src.diagnostic(
                        span,
                        format!(
                            "`{node}` has no choice `{choice}` (choices: {})",
                            valid.join(", ")
                        ),
                    ));
                }
                Some(NodeKind::Question(_)) => {}
                Some(other) => d.push(src.diagnostic(
                    span,
                    format!(
                        "answer for `{node}`: it is a {}, not a question",
                        other.name()
                    ),
                )),
            }
        }
        for name in self.intake.keys() {
            if rb.input(name).is_none() {
                d.push(src.diagnostic(
                    sp.intake.clone(),
                    format!("intake `{name}` is not an input of runbook `{}`", rb.id),
                ));
            }
        }
        for (hint, span) in self.hints.iter().zip(&sp.hints) {
            if rb.node(&hint.node).is_none() {
                d.push(src.diagnostic(
                    span.clone(),
                    format!(
                        "hint on `{}`: runbook `{}` has no such node",
                        hint.node, rb.id
                    ),
                ));
            }
        }
        let teams: BTreeSet<&str> = rb
            .outcomes()
            .filter_map(|(_, o)| match &o.resolution {
                Resolution::Escalate { team } => Some(team.as_str()),
                Resolution::Resolve => None,
            })
            .collect();
        for (c, span) in self.critical.iter().zip(&sp.critical) {
            let problem = match &c.rule {
                CriticalRule::Outcome(id) if !outcome_ids.contains(id.as_str()) => Some(format!(
                    "critical outcome `{id}` is not an outcome of runbook `{}`",
                    rb.id
                )),
                CriticalRule::Outcome(id) if *id == self.expect.outcome => Some(format!(
                    "critical outcome `{id}` is the expected outcome: no one could pass"
                )),
                CriticalRule::TeamNot(team) if !teams.contains(team.as_str()) => Some(format!(
                    "team_not `{team}`: no outcome of runbook `{}` escalates to it (teams: {})",
                    rb.id,
                    teams.iter().copied().collect::<Vec<_>>().join(", ")
                )),
                _ => None,
            };
            if let Some(message) = problem {
                d.push(src.diagnostic(span.clone(), message));
            }
        }
        d
    }

    /// The problem when the expected answers do not reach the expected outcome: they reached
    /// `reached`, or stopped at the question `needs`.
    pub fn unreached(
        &self,
        src: &SourceFile,
        reached: Option<&str>,
        needs: Option<&str>,
    ) -> Diagnostic {
        let what = match (reached, needs) {
            (_, Some(node)) => format!("stop at question `{node}`, which they do not answer"),
            (Some(outcome), None) => format!("reach `{outcome}`"),
            (None, None) => "reach no outcome".to_string(),
        };
        src.diagnostic(
            self.spans.outcome.clone(),
            format!(
                "the expected answers do not reach `{}` on the scenario's data: they {what}",
                self.expect.outcome
            ),
        )
    }

    /// The problem when the expected path answers another number of questions than par.
    pub fn par_mismatch(&self, src: &SourceFile, answered: u32) -> Option<Diagnostic> {
        (answered != self.expect.par).then(|| {
            src.diagnostic(
                self.spans.par.clone(),
                format!(
                    "par is {} but the expected path answers {answered} question(s)",
                    self.expect.par
                ),
            )
        })
    }

    /// A problem at the scenario's `runbook` line (the runbook cannot be loaded or found).
    pub fn runbook_problem(&self, src: &SourceFile, message: impl Into<String>) -> Diagnostic {
        src.diagnostic(self.spans.runbook.clone(), message)
    }
}

/// Every outcome of the catalog's runbooks that no scenario expects, each reported where the
/// outcome is defined (found in `files`, the runbook sources).
pub fn uncovered(
    catalog: &Catalog,
    files: &[SourceFile],
    scenarios: &[Scenario],
) -> Vec<Diagnostic> {
    let covered: BTreeSet<&str> = scenarios
        .iter()
        .map(|s| s.expect.outcome.as_str())
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for rb in &catalog.runbooks {
        for (node, _) in rb.outcomes() {
            let id = node.id.as_str();
            if covered.contains(id) || !seen.insert(id) {
                continue;
            }
            let message = format!("outcome `{id}` is not covered by any scenario");
            let needle = format!("id = \"{id}\"");
            let at = files
                .iter()
                .find_map(|f| f.text.find(&needle).map(|offset| (f, offset)));
            out.push(match at {
                Some((f, offset)) => f.diagnostic(offset..offset, message),
                None => Diagnostic {
                    path: rb.path.clone(),
                    line: 1,
                    column: 1,
                    message,
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::scenario::tests::GOOD;

    fn scenario(text: &str) -> (SourceFile, Scenario) {
        let src = SourceFile::new("training/demo-revoked-key.toml", text);
        let s = Scenario::load(&src).unwrap();
        (src, s)
    }

    fn rb() -> Runbook {
        Catalog::builtin().find("401").unwrap().clone()
    }

    #[test]
    fn a_good_scenario_names_only_what_exists() {
        let (src, s) = scenario(GOOD);
        assert_eq!(s.check(&src, &rb()), vec![]);
    }

    #[test]
    fn a_hint_on_a_missing_node_is_reported_at_its_node() {
        let (src, s) =
            scenario(&GOOD.replace("node = \"ask-key-status\"", "node = \"ask-nothing\""));
        let d = s.check(&src, &rb());
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("hint on `ask-nothing`"), "{}", d[0]);
        assert_eq!(d[0].line, 24);
    }

    #[test]
    fn bad_answers_outcomes_and_teams_are_reported() {
        let text = GOOD
            .replace(
                "\"ask-key-status\" = \"revoked\"",
                "\"ask-key-status\" = \"gone\"",
            )
            .replace("outcome = \"key-revoked-leaked\"", "outcome = \"no-such\"")
            .replace("resolves = true", "team_not = \"nobody\"");
        let (src, s) = scenario(&text);
        let messages: Vec<String> = s
            .check(&src, &rb())
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`no-such` is not an outcome")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("no choice `gone`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("team_not `nobody`")),
            "{messages:?}"
        );
    }

    #[test]
    fn uncovered_outcomes_point_at_their_definition() {
        let (_, s) = scenario(GOOD);
        let files: Vec<SourceFile> = crate::runbook::BUILTIN
            .iter()
            .map(|(p, t)| SourceFile::new(*p, *t))
            .collect();
        let d = uncovered(&Catalog::builtin(), &files, &[s]);
        assert!(
            d.iter()
                .all(|d| !d.message.contains("`key-revoked-leaked`"))
        );
        let expired = d
            .iter()
            .find(|d| d.message.contains("`key-expired`"))
            .unwrap();
        // Shared by both trees, so defined in the library.
        assert_eq!(expired.path.to_str(), Some("runbooks/escalations.toml"));
        assert!(expired.line > 1);
    }
}
