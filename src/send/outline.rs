//! The ticket as a neutral document (headings, tables, lists, code blocks), walked from the
//! ticket's fields. Trackers whose descriptions are not Markdown render this: Jira Cloud as an
//! Atlassian Document Format tree (`adf`), Jira Data Center as wiki markup (`wiki`).
//!
//! Every text here is plain text with hazards made visible ([`crate::escape`]); the renderers
//! add their own escaping for their markup.

use crate::escape::{line, lines};
use crate::runbook::Resolution;
use crate::ticket::Ticket;
use crate::walk::Citation;

const TIME: &str = "%Y-%m-%d %H:%M:%S UTC";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// A header row, then rows of cells.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Bullets(Vec<String>),
    Numbered(Vec<String>),
    /// Text of several lines shown as it is.
    Code(String),
}

fn text(s: &str) -> String {
    line(s).into_owned()
}

fn citation(c: &Citation) -> String {
    text(&c.to_string())
}

/// The ticket in the order the Markdown ticket tells it.
pub fn outline(t: &Ticket) -> Vec<Block> {
    let o = &t.outcome;
    let mut out = Vec::new();
    if t.demo_data {
        out.push(Block::Paragraph(
            "DEMO DATA: evidence came from the built-in demo admin API.".into(),
        ));
    }
    out.push(Block::Paragraph(text(t.summary.as_str())));
    let (action, team) = match &o.resolution {
        Resolution::Resolve => ("resolve", "—".to_string()),
        Resolution::Escalate { team } => ("escalate", text(team)),
    };
    let key = match (&t.key_id, &t.key) {
        (Some(id), Some(k)) => format!("{} · {k}", id.as_str()),
        (Some(id), None) => id.as_str().to_string(),
        (None, Some(k)) => k.to_string(),
        (None, None) => "—".into(),
    };
    let row = |k: &str, v: String| vec![k.to_string(), text(&v)];
    out.push(Block::Table {
        header: vec!["Field".into(), "Value".into()],
        rows: vec![
            row("Ticket", t.id.clone()),
            row("Outcome", format!("{} ({action})", o.id)),
            row("Severity", o.severity.as_str().into()),
            row("Team", team),
            row(
                "Customer",
                t.customer_id
                    .as_ref()
                    .map_or("—".into(), |c| c.as_str().into()),
            ),
            row("Key", key),
            row(
                "Runbook",
                format!(
                    "{} v{} ({})",
                    t.runbook.id, t.runbook.version, t.runbook.content_hash
                ),
            ),
            row("Agent", t.agent.clone()),
            row("Started", t.started_at.format(TIME).to_string()),
            row("Created", t.created_at.format(TIME).to_string()),
        ],
    });
    if !t.conflicts.is_empty() {
        out.push(Block::Heading("Conflicts".into()));
        out.push(Block::Bullets(
            t.conflicts
                .iter()
                .map(|c| {
                    let open = if c.settled.is_some() {
                        ""
                    } else {
                        " (not settled)"
                    };
                    format!("{}{open}", text(&c.describe()))
                })
                .collect(),
        ));
    }
    out.push(Block::Heading("Evidence".into()));
    if t.evidence.is_empty() {
        out.push(Block::Paragraph(
            "No recorded fact backs this outcome beyond the answers below.".into(),
        ));
    } else {
        out.push(Block::Bullets(t.evidence.iter().map(citation).collect()));
    }
    if !t.criteria_matched.is_empty() {
        out.push(Block::Heading("Escalation criteria matched".into()));
        out.push(Block::Bullets(
            t.criteria_matched
                .iter()
                .map(|c| text(&format!("{}: {}", c.id, c.title)))
                .collect(),
        ));
    }
    if !t.evidence_unavailable.is_empty() {
        out.push(Block::Heading("Evidence unavailable".into()));
        out.push(Block::Bullets(
            t.evidence_unavailable
                .iter()
                .map(|u| {
                    text(&format!(
                        "{} ({}): {} — at {}",
                        u.what,
                        u.source.label(),
                        u.reason.as_str(),
                        u.at.format(TIME)
                    ))
                })
                .collect(),
        ));
    }
    out.push(Block::Heading("Path taken".into()));
    out.push(Block::Numbered(
        t.path
            .iter()
            .map(|s| {
                text(&format!(
                    "{} — {} ({}, {})",
                    s.title,
                    s.answer,
                    s.decided_by,
                    s.at.format("%H:%M:%S")
                ))
            })
            .collect(),
    ));
    out.push(Block::Heading("Reply to the customer".into()));
    out.push(Block::Code(lines(&t.outcome.reply).into_owned()));
    out.push(Block::Heading("Next steps".into()));
    out.push(Block::Bullets(
        t.outcome.next_steps.iter().map(|s| text(s)).collect(),
    ));
    if !t.notes.is_empty() {
        out.push(Block::Heading("Notes".into()));
        for n in &t.notes {
            out.push(Block::Paragraph(text(&format!(
                "{}, at {}, {}:",
                n.by,
                n.node,
                n.at.format(TIME)
            ))));
            out.push(Block::Code(lines(n.text.as_str().trim()).into_owned()));
        }
    }
    out.push(Block::Heading("All facts".into()));
    out.push(Block::Table {
        header: ["Fact", "Value", "Source", "Evidence"]
            .map(String::from)
            .to_vec(),
        rows: t
            .facts
            .iter()
            .map(|c| {
                vec![
                    text(&c.fact),
                    text(&c.value.to_string()),
                    c.source.label().to_string(),
                    c.evidence
                        .as_ref()
                        .map_or(String::new(), |e| text(e.as_str())),
                ]
            })
            .collect(),
    });
    out
}
