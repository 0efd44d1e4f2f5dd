//! The ticket as Markdown, for the lead reading the queue and the engineer picking it up.

use super::Ticket;
use crate::runbook::Resolution;
use crate::walk::Citation;
use std::fmt::Write;

const TIME: &str = "%Y-%m-%d %H:%M:%S UTC";

pub fn to_markdown(t: &Ticket) -> String {
    let mut md = String::new();
    let o = &t.outcome;
    let _ = writeln!(md, "# {} · {}", t.id, o.title);
    let _ = writeln!(md);
    if t.demo_data {
        let _ = writeln!(
            md,
            "> **DEMO DATA**: evidence came from the built-in demo admin API.\n"
        );
    }
    let _ = writeln!(md, "**{}**\n", t.summary);

    let (action, team) = match &o.resolution {
        Resolution::Resolve => ("resolve", "—".to_string()),
        Resolution::Escalate { team } => ("escalate", format!("`{team}`")),
    };
    let key = match (&t.key_id, &t.key) {
        (Some(id), Some(k)) => format!("`{id}` · `{k}`"),
        (Some(id), None) => format!("`{id}`"),
        (None, Some(k)) => format!("`{k}`"),
        (None, None) => "—".into(),
    };
    let rows = [
        ("Outcome", format!("`{}` ({action})", o.id)),
        ("Severity", o.severity.as_str().to_string()),
        ("Team", team),
        (
            "Customer",
            t.customer_id
                .clone()
                .map_or("—".into(), |c| format!("`{c}`")),
        ),
        ("Key", key),
        (
            "Runbook",
            format!(
                "`{}` v{} ({})",
                t.runbook.id, t.runbook.version, t.runbook.content_hash
            ),
        ),
        ("Agent", t.agent.clone()),
        ("Started", t.started_at.format(TIME).to_string()),
        ("Created", t.created_at.format(TIME).to_string()),
    ];
    let _ = writeln!(md, "| | |\n|---|---|");
    for (k, v) in rows {
        let _ = writeln!(md, "| {k} | {} |", cell(&v));
    }

    section(&mut md, "Evidence");
    if t.evidence.is_empty() {
        let _ = writeln!(
            md,
            "_No recorded fact backs this outcome beyond the answers below._"
        );
    }
    for c in &t.evidence {
        let _ = writeln!(md, "- {}", citation(c));
    }

    if !t.criteria_matched.is_empty() {
        section(&mut md, "Escalation criteria matched");
        for c in &t.criteria_matched {
            let _ = writeln!(md, "- **{}**: {}", c.id, c.title);
        }
    }

    if !t.evidence_unavailable.is_empty() {
        section(&mut md, "Evidence unavailable");
        for u in &t.evidence_unavailable {
            let _ = writeln!(
                md,
                "- {} ({}): {} — at {}",
                u.what,
                u.source.label(),
                u.reason,
                u.at.format(TIME)
            );
        }
    }

    section(&mut md, "Path taken");
    for (i, s) in t.path.iter().enumerate() {
        let _ = writeln!(
            md,
            "{}. **{}** — {}  \n   _{}_ · {} · {}",
            i + 1,
            s.title,
            s.answer,
            s.prompt.trim(),
            s.decided_by,
            s.at.format("%H:%M:%S")
        );
        for c in &s.facts {
            let _ = writeln!(md, "   - {}", citation(c));
        }
        if !s.missing.is_empty() {
            let _ = writeln!(md, "   - missing: {}", s.missing.join(", "));
        }
    }

    section(&mut md, "Reply to the customer");
    for line in o.reply.lines() {
        let _ = writeln!(md, "> {line}");
    }

    section(&mut md, "Next steps");
    for step in &o.next_steps {
        let _ = writeln!(md, "- [ ] {step}");
    }

    if !t.notes.is_empty() {
        section(&mut md, "Notes");
        for n in &t.notes {
            let _ = writeln!(
                md,
                "- {} ({}, at `{}`, {})",
                n.text,
                n.by,
                n.node,
                n.at.format(TIME)
            );
        }
    }

    section(&mut md, "All facts");
    let _ = writeln!(
        md,
        "| Fact | Value | Source | Evidence |\n|---|---|---|---|"
    );
    for c in &t.facts {
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} |",
            c.fact,
            cell(&c.value.to_string()),
            c.source.label(),
            cell(c.evidence.as_deref().unwrap_or("")),
        );
    }
    md
}

fn section(md: &mut String, title: &str) {
    let _ = writeln!(md, "\n## {title}\n");
}

fn citation(c: &Citation) -> String {
    let mut s = format!("`{}` = {} ({}", c.fact, c.value, c.source.label());
    if let Some(e) = &c.evidence {
        let _ = write!(s, ", {e}");
    }
    s.push(')');
    s
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
