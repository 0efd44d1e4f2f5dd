//! What plain mode prints, as lines of text: no cursor movement, no colour, no box drawing, so
//! a screen reader or a dumb terminal reads it in order. Everything that came from outside
//! (runbook text, admin-API answers, the ticket) goes through `escape`, as on every screen.

use crate::escape::{line, lines};
use crate::facts::{FactSource, FactType};
use crate::runbook::{Resolution, Runbook};
use crate::secret::MaskedSecret;
use crate::ticket::Ticket;
use crate::tui::Msg;
use crate::tui::form::Form;
use crate::tui::state::Case;
use crate::walk::{Decision, Position, Step, Walk};

/// What to type while a question is asked.
pub const WALK_KEYS: &str =
    "Type a choice's number, ? for help, b to go back, n for a note, q to save and quit.";
/// What to type once the walk has reached its outcome.
pub const OUTCOME_KEYS: &str = "Type s (or just Enter) to save the ticket, b to go back, n for a note, q to save the case and quit.";

/// The prompt for intake field `index`.
pub fn field(form: &Form, index: usize) -> String {
    let Some(f) = form.fields.get(index) else {
        return String::new();
    };
    let mut out = format!(
        "Field {} of {}: {}{}",
        index + 1,
        form.fields.len(),
        line(&f.label),
        if f.required { " (required)" } else { "" }
    );
    if !f.help.trim().is_empty() {
        out.push_str(&format!("\n  {}", line(f.help.trim())));
    }
    let how = match (f.is_empty(), f.multiline) {
        (true, false) => "Type the value, or an empty line to skip.",
        (true, true) => "Type one or more lines, then an empty line; an empty first line skips.",
        // The value is not repeated: it may be a key or carry one.
        (false, false) => "Already filled: an empty line keeps it, or type a new value.",
        (false, true) => {
            "Already filled: an empty line keeps it, or type new lines and an empty line."
        }
    };
    out.push_str(&format!("\n  {how}"));
    out
}

/// What was kept of a field after the agent typed `text`: a key only as its mask.
pub fn field_taken(form: &Form, index: usize, text: &str) -> String {
    let Some(f) = form.fields.get(index) else {
        return String::new();
    };
    let label = line(&f.label);
    if text.trim().is_empty() {
        return format!("{label}: {}", if f.is_empty() { "skipped" } else { "kept" });
    }
    if f.ty == FactType::Secret {
        return format!(
            "{label}: {} (masked)",
            MaskedSecret::new(text.trim()).mask()
        );
    }
    format!("{label}: set")
}

/// The question the walk stands at: title, text, why it is asked, help, notes and choices.
pub fn question(case: &Case, walk: &Walk) -> String {
    let rb = &case.runbook;
    let Ok(Position::Question { node, question }) = walk.position(rb) else {
        return String::new();
    };
    let Some(n) = rb.node(node) else {
        return String::new();
    };
    let step = walk.steps().len() + 1;
    let mut out = vec![format!("Question (step {step}): {}", line(n.title.trim()))];
    out.push(line(n.text.trim()).into_owned());
    if let Some(Step {
        decision: Decision::Undecided { missing, .. },
        next,
        ..
    }) = walk.steps().last()
        && next == node
    {
        out.push(format!(
            "Why it is asked: these facts are unknown: {}",
            line(&missing.join(", "))
        ));
    }
    for para in n.help.trim().split("\n\n").filter(|p| !p.trim().is_empty()) {
        out.push(format!("Help: {}", line(para.trim())));
    }
    for note in walk.notes().iter().filter(|note| note.node == node) {
        out.push(format!("Note by {}: {}", line(&note.by), line(&note.text)));
    }
    out.push("Choices:".into());
    for (i, c) in question.choices.iter().enumerate() {
        out.push(format!("  {}. {}", i + 1, line(&c.label)));
    }
    out.push(WALK_KEYS.into());
    out.join("\n")
}

/// The outcome the walk reached and the ticket exactly as it will be saved.
pub fn outcome(case: &Case, walk: &Walk, ticket: &Ticket) -> String {
    let rb = &case.runbook;
    let title = rb.node(walk.current()).map_or("", |n| n.title.trim());
    let action = match &ticket.outcome.resolution {
        Resolution::Resolve => "resolve with the customer".to_string(),
        Resolution::Escalate { team } => format!("escalate to {}", line(team)),
    };
    let saved = if case.session.ticket_files.is_empty() {
        "The ticket is not saved yet."
    } else {
        "The ticket is saved."
    };
    format!(
        "Outcome: {}: {action}\n{saved}\nTicket {} (Markdown, as it will be saved):\n{}\nEnd of ticket.\n{OUTCOME_KEYS}",
        line(title),
        line(&ticket.id),
        lines(ticket.to_markdown().trim_end()),
    )
}

/// The steps taken since `before` that the walk decided by itself, one line each.
pub fn decided(rb: &Runbook, before: &[Step], after: &[Step]) -> Vec<String> {
    let same = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    after[same..]
        .iter()
        .filter_map(|step| {
            let Decision::Check {
                condition,
                decided_by,
                ..
            } = &step.decision
            else {
                return None;
            };
            let title = rb.node(&step.node).map_or(step.node.as_str(), |n| &n.title);
            let by_evidence = decided_by.iter().any(|c| c.source != FactSource::Agent);
            let facts: Vec<String> = decided_by.iter().map(ToString::to_string).collect();
            let facts = if facts.is_empty() {
                condition.clone()
            } else {
                facts.join("; ")
            };
            let how = match (decided_by.is_empty(), by_evidence) {
                (true, _) => "decided",
                (false, true) => "decided by evidence",
                (false, false) => "decided by your answers",
            };
            Some(format!("{how}: {}: {}", line(title.trim()), line(&facts)))
        })
        .collect()
}

/// The lines for an evidence message of the case's current round, one per query (read before
/// the update takes it in, so the facts it adds can be told from those already known).
pub fn evidence(case: &Case, msg: &Msg) -> Vec<String> {
    let ours = |generation: &u64| *generation == case.evidence.generation;
    let text = match msg {
        Msg::EvidenceStarted {
            generation,
            queries,
            demo,
        } if ours(generation) => vec![format!(
            "Evidence: asking the {} for {}",
            if *demo {
                "demo API (DEMO DATA)"
            } else {
                "admin API"
            },
            queries
                .iter()
                .map(|q| q.label())
                .collect::<Vec<_>>()
                .join(", ")
        )],
        Msg::EvidenceLoaded {
            generation,
            query,
            facts,
            elapsed,
            ..
        } if ours(generation) => {
            let new: Vec<String> = facts
                .iter()
                .filter(|(name, fact)| case.evidence.facts.value(name) != Some(&fact.value))
                .map(|(name, fact)| format!("{name} = {}", fact.value))
                .collect();
            let found = if new.is_empty() {
                "nothing new".to_string()
            } else {
                new.join(", ")
            };
            vec![format!(
                "Evidence: {} answered in {} ms: {found}",
                query.label(),
                elapsed.as_millis()
            )]
        }
        Msg::EvidenceFailed {
            generation,
            query,
            error,
        } if ours(generation) => vec![format!("Evidence: {} failed: {error}", query.label())],
        Msg::EvidenceFinished { generation, gaps } if ours(generation) => {
            let mut out = vec!["Evidence: all queries answered".to_string()];
            out.extend(
                gaps.iter()
                    .map(|(what, why)| format!("Evidence: {what} left open: {why}")),
            );
            out
        }
        Msg::EvidenceOffline { generation, reason } if ours(generation) => {
            vec![format!("Evidence: none, {reason}")]
        }
        _ => Vec::new(),
    };
    // Each piece may quote the admin API: it stays on its one line, inert.
    text.iter().map(|l| line(l).into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Catalog;
    use crate::session::Session;
    use crate::tui::evidence::Evidence;
    use proptest::prelude::*;
    use std::time::Duration;

    fn case() -> Case {
        let runbook = Catalog::builtin().find("401").unwrap().clone();
        let now = "2026-11-22T10:00:00Z".parse().unwrap();
        let session = Session::new(
            "20261122-100000-abcd".into(),
            crate::walk::RunbookRef::of(&runbook),
            "alice",
            now,
        );
        Case {
            runbook,
            session,
            evidence: Evidence::default(),
        }
    }

    /// What no plain line may hold: a hazard for the terminal, a line break among them. (Box
    /// drawing the admin API sends is its text, shown as sent; plain mode draws none itself.)
    fn inert(l: &str) -> bool {
        !l.chars().any(crate::escape::is_hazard)
    }

    use crate::evidence::QueryKind;

    proptest! {
        #[test]
        fn evidence_lines_stay_one_inert_line_each(query in any::<String>(), reason in any::<String>()) {
            let case = case();
            let failed = crate::admin::AdminError::Server { status: 500, title: reason.clone() };
            let msgs = [
                Msg::EvidenceFailed { generation: 0, query: QueryKind::Key, error: failed },
                Msg::EvidenceStarted { generation: 0, queries: vec![QueryKind::Key], demo: true },
                Msg::EvidenceFinished { generation: 0, gaps: vec![(query.clone(), reason.clone())] },
                Msg::EvidenceOffline { generation: 0, reason: reason.clone() },
                Msg::EvidenceLoaded {
                    generation: 0,
                    query: QueryKind::Usage,
                    facts: crate::facts::Facts::new(),
                    elapsed: Duration::from_millis(3),
                    key_absent: false,
                },
            ];
            for msg in &msgs {
                let lines = evidence(&case, msg);
                prop_assert!(!lines.is_empty(), "{msg:?} printed nothing");
                for l in &lines {
                    prop_assert!(inert(l), "{l:?}");
                }
            }
        }
    }

    #[test]
    fn evidence_of_an_older_round_is_not_printed() {
        let mut case = case();
        case.evidence.restart();
        let stale = Msg::EvidenceFailed {
            generation: 0,
            query: QueryKind::Key,
            error: crate::admin::AdminError::Dropped,
        };
        assert!(evidence(&case, &stale).is_empty());
    }

    #[test]
    fn a_key_is_confirmed_by_its_mask_only() {
        let case = case();
        let form = Form::new(&case.runbook, &Default::default());
        let key = form.fields.iter().position(|f| f.ty == FactType::Secret);
        let key = key.expect("the 401 intake takes a key");
        let said = field_taken(&form, key, "sk_live_0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf");
        assert!(said.ends_with("(masked)"), "{said}");
        assert!(!said.contains("0q7Zt2Lm9Xw4"), "{said}");
    }
}
