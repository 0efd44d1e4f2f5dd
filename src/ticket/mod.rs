//! Escalation tickets: what a finished walk hands to a lead or to engineering, so nobody has
//! to ask a follow-up question. Built from the walk alone; rendered as Markdown for people
//! and JSON for machines (its schema is `assets/ticket.schema.json`).

mod header;
mod incident;
mod markdown;
mod path;
mod requests;
pub mod trackers;

pub use header::{Began, CustomersMeasure, Impact, Scope};
pub use incident::{Addresses, Network, Related, WINDOW_HOURS, incident_key};
pub use markdown::to_markdown;
pub use path::PathStep;
pub use requests::{Contradiction, FailingRequest, key_mismatches};

use crate::facts::{FactValue, Facts, name};
use crate::runbook::{Ask, Resolution, Runbook, Severity, placeholders};
use crate::secret::{MaskedSecret, Redacted};
use crate::walk::{Citation, Conflict, Note, Position, RunbookRef, Unavailable, Walk};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bumped when the JSON shape changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

/// Deserialize: `authdesk send` reads saved tickets back (their free text is redacted again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ticket {
    pub schema_version: u32,
    /// `ESC-YYYYMMDD-` and a short unique suffix.
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub agent: String,
    /// True when the evidence came from the built-in demo API, not a real one.
    pub demo_data: bool,
    pub customer_id: Option<Redacted>,
    pub key_id: Option<Redacted>,
    /// The pasted key, masked, with its fingerprint; never the key itself.
    pub key: Option<MaskedSecret>,
    pub runbook: RunbookRef,
    pub outcome: TicketOutcome,
    /// One line a lead can read in the queue; the agent may have typed it.
    pub summary: Redacted,
    /// The customer's own support ticket id, to quote back to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_ticket: Option<Redacted>,
    /// What is broken and where: status, endpoint, plan, cell.
    #[serde(default)]
    pub scope: Scope,
    /// When the failures began (not when the case was opened: that is `started_at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures_began: Option<Began>,
    #[serde(default)]
    pub impact: Impact,
    /// Cell, outcome and time window: cases with the same key are one incident.
    #[serde(default)]
    pub incident_key: String,
    /// Saved tickets with the same incident key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// The same customer's ticket for the same cause, already filed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The newest failing requests, the customer's pasted one marked.
    #[serde(default)]
    pub failing_requests: Vec<FailingRequest>,
    /// Where the evidence contradicts what the customer said.
    #[serde(default)]
    pub contradictions: Vec<Contradiction>,
    /// The addresses and networks involved, for a security escalation or an anomaly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Addresses>,
    /// The fact whose value decided the outcome (the last check that applied a rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deciding_fact: Option<String>,
    /// The facts the outcome rests on, with where each came from.
    pub evidence: Vec<Citation>,
    pub criteria_matched: Vec<CriterionMatch>,
    pub evidence_unavailable: Vec<Unavailable>,
    /// Where the evidence contradicts intake or an answer, settled by the agent or not.
    pub conflicts: Vec<Conflict>,
    pub path: Vec<PathStep>,
    pub notes: Vec<Note>,
    pub facts: Vec<Citation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketOutcome {
    pub id: String,
    pub title: String,
    pub resolution: Resolution,
    pub severity: Severity,
    pub reply: String,
    /// For the agent: what to do next. What the receiving team is asked is `ask`.
    pub next_steps: Vec<String>,
    /// An escalation's request to the team that receives it, facts filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

impl TicketOutcome {
    pub fn escalated(&self) -> bool {
        matches!(self.resolution, Resolution::Escalate { .. })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CriterionMatch {
    pub id: String,
    pub title: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("the walk has not reached an outcome yet (it stands at `{0}`)")]
    NotFinished(String),
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
}

/// Who and what a ticket is made from, besides the walk.
pub struct Context<'a> {
    pub agent: &'a str,
    pub demo_data: bool,
    pub now: DateTime<Utc>,
    /// Saved tickets the edge found (any incident key: only matching ones are linked).
    pub related: &'a [Related],
}

impl Ticket {
    pub fn from_walk(rb: &Runbook, walk: &Walk, cx: &Context<'_>) -> Result<Self, TicketError> {
        let (node_id, outcome) = match walk.position(rb)? {
            Position::Outcome { node, outcome } => (node, outcome),
            Position::Question { node, .. } => return Err(TicketError::NotFinished(node.into())),
        };
        let node = rb
            .node(node_id)
            .ok_or_else(|| TicketError::NotFinished(node_id.into()))?;
        let facts = walk.facts();
        let text = |name: &str| {
            facts
                .value(name)
                .and_then(FactValue::as_text)
                .map(Redacted::from)
        };
        let key = match facts.value(name::KEY) {
            Some(FactValue::Secret(m)) => Some(m.clone()),
            _ => None,
        };
        let criteria_matched = rb
            .criteria
            .iter()
            .filter(|c| {
                let mut trace = Default::default();
                c.when.eval(&facts, cx.now, &mut trace) == crate::runbook::condition::Truth::True
            })
            .map(|c| CriterionMatch {
                id: c.id.clone(),
                title: c.title.clone(),
            })
            .collect();
        let id = ticket_id(walk, cx.now);
        let customer_id = text(name::CUSTOMER_ID).or_else(|| text(name::KEY_CUSTOMER_ID));
        let began = header::began(&facts);
        let cell = header::cell(&facts);
        let incident_key = incident_key(
            cell.as_deref(),
            &node.id,
            began.as_ref().map_or(walk.started_at, |b| b.at),
        );
        let related =
            incident::related(&incident_key, &node.id, customer_id.as_deref(), cx.related);
        let duplicate_of = related
            .iter()
            .find(|r| r.duplicate)
            .map(|r| r.ticket_id.clone());
        let failing_requests = requests::failing_requests(&facts);
        let contradictions = requests::contradictions(&facts, &failing_requests, &rb.id);
        let status_known =
            requests::logged_status(&failing_requests).or_else(|| requests::runbook_status(&rb.id));
        let security = matches!(&outcome.resolution, Resolution::Escalate { team } if team == "security")
            || facts.value(name::FAILURES_ANOMALY) == Some(&FactValue::Bool(true));
        let addresses = security
            .then(|| incident::addresses(&facts))
            .filter(|a| !a.addresses.is_empty());
        Ok(Ticket {
            schema_version: SCHEMA_VERSION,
            id,
            created_at: cx.now,
            started_at: walk.started_at,
            agent: cx.agent.to_string(),
            demo_data: cx.demo_data,
            customer_id,
            key_id: text(name::KEY_ID),
            key,
            runbook: walk.runbook.clone(),
            outcome: TicketOutcome {
                id: node.id.clone(),
                title: node.title.clone(),
                resolution: outcome.resolution.clone(),
                severity: outcome.severity,
                reply: reflow(&fill(&outcome.reply, &facts)),
                next_steps: next_steps(&outcome.next_steps, &facts),
                ask: outcome.ask.as_ref().map(|a| Ask {
                    need: fill(&a.need, &facts),
                    urgency: fill(&a.urgency, &facts),
                    from: fill(&a.from, &facts),
                }),
            },
            summary: Redacted::new(&fill(&outcome.summary, &facts)),
            customer_ticket: text(name::CUSTOMER_TICKET),
            scope: header::scope(&facts, status_known),
            failures_began: began,
            impact: header::impact(&facts),
            incident_key,
            related,
            duplicate_of,
            failing_requests,
            contradictions,
            addresses,
            deciding_fact: path::deciding_fact(rb, walk, &facts),
            evidence: outcome
                .cite
                .iter()
                .filter_map(|name| facts.get(name).map(|f| Citation::of(name, f)))
                .collect(),
            criteria_matched,
            evidence_unavailable: walk.unavailable().to_vec(),
            conflicts: walk.conflicts(),
            path: path::steps(rb, walk),
            notes: walk.notes().to_vec(),
            facts: facts.iter().map(|(n, f)| Citation::of(n, f)).collect(),
        })
    }

    /// Pretty JSON in which control and bidi characters are `\u` escapes (see [`crate::escape`]).
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        crate::escape::json(self).unwrap_or_default()
    }

    pub fn to_markdown(&self) -> String {
        to_markdown(self)
    }
}

/// `ESC-20261122-` and six hex digits that differ for any two walks or moments. A function
/// of its inputs: two agents would need the same walk, started and finished in the same
/// nanoseconds, to collide, and then saving refuses to overwrite (`store::save_ticket`).
fn ticket_id(walk: &Walk, now: DateTime<Utc>) -> String {
    let seed = format!(
        "{}|{}",
        serde_json::to_string(walk).unwrap_or_default(),
        now.timestamp_nanos_opt().unwrap_or_default(),
    );
    let digest = crate::digest::short_sha256(seed.as_bytes());
    format!("ESC-{}-{}", now.format("%Y%m%d"), &digest[..6])
}

/// The outcome's next steps with their facts filled in; when the customer pasted a live key
/// into the case, first the step every such case needs, whatever the outcome.
fn next_steps(steps: &[String], facts: &Facts) -> Vec<String> {
    let pasted_live = facts.value(name::KEY).is_some()
        && facts
            .value(name::KEY_PASTED_ENV)
            .and_then(FactValue::as_text)
            != Some("test");
    let redact = pasted_live.then(|| {
        "The customer pasted a live key into the ticket: redact it from the customer's \
         message and advise them to rotate the key (create a new one, then revoke this one)."
            .to_string()
    });
    redact
        .into_iter()
        .chain(steps.iter().map(|s| fill(s, facts)))
        .collect()
}

/// Fills `{fact}` placeholders. A `[…]` segment is kept only when every fact in it is known,
/// so "revoked[ by {key.revoked_by}]" reads "revoked" rather than "revoked by unknown";
/// outside a segment an unknown fact reads "unknown". A `{!fact}` in a segment reads as
/// nothing and keeps the segment only while that fact is unknown, so a reply asks the customer
/// only for what we lack: "[ Please send the page's reference.{!response.request_id}]".
pub fn fill(template: &str, facts: &Facts) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        let Some(len) = rest[open..].find(']') else {
            break;
        };
        out.push_str(&fill_plain(&rest[..open], facts));
        let segment = &rest[open + 1..open + len];
        if let Some(kept) = keep_segment(segment, facts) {
            out.push_str(&fill_plain(&kept, facts));
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(&fill_plain(rest, facts));
    out
}

/// The segment without its `{!fact}` markers, if it is kept: every `{fact}` in it known and
/// every `{!fact}` unknown.
fn keep_segment(segment: &str, facts: &Facts) -> Option<String> {
    let mut kept = segment.to_string();
    for part in segment.split('{').skip(1) {
        let Some((name, _)) = part.split_once('}') else {
            continue;
        };
        let (wanted_known, fact) = match name.trim().strip_prefix('!') {
            Some(absent) => (false, absent.trim()),
            None => (true, name.trim()),
        };
        if facts.value(fact).is_some() != wanted_known {
            return None;
        }
        if !wanted_known {
            kept = kept.replace(&format!("{{{name}}}"), "");
        }
    }
    Some(kept)
}

fn fill_plain(template: &str, facts: &Facts) -> String {
    let mut out = template.to_string();
    for name in placeholders(template).collect::<Vec<_>>() {
        let value = facts
            .value(name)
            .map_or_else(|| "unknown".to_string(), |v| v.to_string());
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    out
}

/// Joins the lines of each paragraph, so a reply pasted into an email or a chat wraps where
/// the reader's window does. Indented lines (commands, headers) keep their own lines.
fn reflow(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        if !current.is_empty() {
            paragraphs.push(std::mem::take(current));
        }
    };
    for line in text.trim().lines() {
        if line.trim().is_empty() {
            flush(&mut current, &mut paragraphs);
        } else if line.starts_with("    ") {
            flush(&mut current, &mut paragraphs);
            paragraphs.push(line.to_string());
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line.trim());
        }
    }
    flush(&mut current, &mut paragraphs);
    let mut out = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            // Consecutive indented lines form one block; everything else is its own paragraph.
            let both_code = p.starts_with("    ") && paragraphs[i - 1].starts_with("    ");
            out.push_str(if both_code { "\n" } else { "\n\n" });
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_hostile;
