//! The score card and debrief of one result, as Markdown: what `train take` prints and the
//! terminal app's debrief screen can show. Every value from a file or a trainee is escaped.

use super::score::{PathStep, TrainingResult};
use crate::escape::{md_code, md_code_in_cell, md_text};

impl TrainingResult {
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# Training: {} (v{})\n\n",
            md_text(&self.scenario.title),
            self.scenario.version
        );
        let verdict = if self.passed { "PASS" } else { "FAIL" };
        out.push_str(&format!(
            "**{verdict}**: {}, score {}/100, grade {}\n\n",
            md_text(&self.trainee),
            self.score,
            md_text(&self.grade)
        ));
        let right = if self.outcome_reached == self.expected_outcome {
            "right"
        } else {
            "wrong"
        };
        out.push_str(&format!(
            "- Outcome: {} ({right}; expected {})\n",
            md_code(&self.outcome_reached),
            md_code(&self.expected_outcome)
        ));
        out.push_str(&format!(
            "- Questions answered: {} (par {})\n- Hints used: {}\n",
            self.questions_answered,
            self.par,
            self.hints_used.len()
        ));
        out.push_str(&format!(
            "- Evidence opened: {} of the {} that decided it ({})\n",
            self.evidence_opened.len(),
            self.evidence_deciding.len(),
            codes(&self.evidence_deciding)
        ));
        out.push_str(&format!(
            "- Time: {} s (par time {} s)\n",
            self.seconds, self.par_seconds
        ));
        if self.critical_errors.is_empty() {
            out.push_str("- Critical errors: none\n");
        } else {
            out.push_str("- Critical errors:\n");
            for c in &self.critical_errors {
                out.push_str(&format!("  - {}: {}\n", md_code(&c.rule), md_text(&c.why)));
            }
        }
        if !self.deductions.is_empty() {
            out.push_str("\n## Deductions\n\n");
            for d in &self.deductions {
                out.push_str(&format!("- {}: -{}\n", md_text(&d.what), d.points));
            }
        }
        out.push_str("\n## Path\n\n| # | your path | expected path |\n|---:|---|---|\n");
        let rows = self.path.len().max(self.expected_path.len());
        for i in 0..rows {
            let mine = self.path.get(i);
            let marker = match (&self.first_divergence, mine) {
                (Some(d), Some(step))
                    if *d == step.node && differs(mine, self.expected_path.get(i)) =>
                {
                    " **← first divergence**"
                }
                _ => "",
            };
            out.push_str(&format!(
                "| {} | {}{marker} | {} |\n",
                i + 1,
                cell(mine),
                cell(self.expected_path.get(i))
            ));
        }
        out.push_str(&format!(
            "\n## Debrief\n\n{}\n\n**The trap:** {}\n",
            md_text(&self.debrief.why),
            md_text(&self.debrief.trap)
        ));
        out
    }
}

fn differs(a: Option<&PathStep>, b: Option<&PathStep>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.node != b.node || a.next != b.next,
        _ => true,
    }
}

fn cell(step: Option<&PathStep>) -> String {
    match step {
        None => String::new(),
        Some(s) => {
            let how = s
                .choice
                .as_deref()
                .map_or_else(|| "evidence".to_string(), md_code_in_cell);
            format!(
                "{} → {} ({how})",
                md_code_in_cell(&s.node),
                md_code_in_cell(&s.next)
            )
        }
    }
}

fn codes(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(|i| md_code(i))
        .collect::<Vec<_>>()
        .join(", ")
}
