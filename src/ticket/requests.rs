//! The failing requests a ticket lists, the one the customer pasted among them, and the
//! contradictions an engineer must see before acting: the customer says one status and the
//! logs another, or the pasted request id is nowhere in the logs.

use crate::facts::{FactValue, Facts};
use crate::secret::Redacted;
use serde::{Deserialize, Serialize};

/// One failing request, as the admin API's request logs describe it (see
/// `failures.requests`): "id · time · METHOD path · from address · status reason".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailingRequest {
    pub request_id: Redacted,
    pub line: Redacted,
    /// The request id the customer pasted.
    pub pasted: bool,
}

/// Something the evidence says against what the customer said; it routes the ticket (a
/// `contradiction` label on tracker payloads) until someone looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    /// `status` or `request_id`.
    pub fact: String,
    pub said: String,
    pub found: String,
}

impl Contradiction {
    pub fn describe(&self) -> String {
        format!(
            "{}: the customer says {}, {}",
            self.fact, self.said, self.found
        )
    }
}

pub fn failing_requests(facts: &Facts) -> Vec<FailingRequest> {
    let pasted = pasted_id(facts);
    let Some(FactValue::TextList(lines)) = facts.value("failures.requests") else {
        return Vec::new();
    };
    lines
        .iter()
        .map(|line| {
            let id = line.as_str().split(" · ").next().unwrap_or_default().trim();
            FailingRequest {
                request_id: id.into(),
                line: line.clone(),
                pasted: pasted.as_deref() == Some(id),
            }
        })
        .collect()
}

fn pasted_id(facts: &Facts) -> Option<String> {
    facts
        .value("request_id")
        .and_then(FactValue::as_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The status at the end of a request line: "… · 403 insufficient_scope".
fn status_of(line: &str) -> Option<u16> {
    line.rsplit(" · ").next()?.split(' ').next()?.parse().ok()
}

pub fn contradictions(facts: &Facts, listed: &[FailingRequest]) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let said = match facts.value("status") {
        Some(FactValue::Number(n)) if n.fract() == 0.0 => Some(*n as u16),
        _ => None,
    };
    if let Some(said) = said {
        let seen: Vec<u16> = listed
            .iter()
            .filter_map(|r| status_of(r.line.as_str()))
            .collect();
        if !seen.is_empty() && !seen.contains(&said) {
            let mut distinct = seen.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let list: Vec<String> = distinct.iter().map(u16::to_string).collect();
            out.push(Contradiction {
                fact: "status".into(),
                said: said.to_string(),
                found: format!("the request logs show {}", list.join(", ")),
            });
        }
    }
    if let Some(id) = pasted_id(facts)
        && !listed.is_empty()
        && !listed.iter().any(|r| r.pasted)
    {
        out.push(Contradiction {
            fact: "request_id".into(),
            said: id,
            found: format!(
                "it is not among the {} newest failing requests of this key: another key, \
                 or an older request",
                listed.len()
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Fact, FactSource};

    fn facts(status: &str, pasted: Option<&str>) -> Facts {
        let now = crate::testing::now();
        let mut f = Facts::new();
        f.insert_text("status", status, FactSource::Intake, now)
            .unwrap();
        if let Some(id) = pasted {
            f.insert_text("request_id", id, FactSource::Intake, now)
                .unwrap();
        }
        let lines = [
            "req_2 · 2026-11-22 09:58:00 UTC · GET /v1/orders/1 · from 192.0.2.7 · 403 insufficient_scope",
            "req_1 · 2026-11-22 09:57:00 UTC · GET /v1/orders/1 · from 192.0.2.7 · 403 insufficient_scope",
        ];
        let fact = Fact {
            value: FactValue::TextList(lines.iter().map(|l| Redacted::from(*l)).collect()),
            source: FactSource::AdminApi,
            at: now,
            evidence: None,
        };
        f.insert("failures.requests", fact).unwrap();
        f
    }

    #[test]
    fn the_pasted_request_is_marked_and_a_status_the_logs_do_not_show_is_flagged() {
        let f = facts("401", Some("req_1"));
        let listed = failing_requests(&f);
        let marks: Vec<(&str, bool)> = listed
            .iter()
            .map(|r| (r.request_id.as_str(), r.pasted))
            .collect();
        assert_eq!(marks, [("req_2", false), ("req_1", true)]);
        let c = contradictions(&f, &listed);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].describe(),
            "status: the customer says 401, the request logs show 403"
        );
    }

    #[test]
    fn a_pasted_id_missing_from_the_logs_is_flagged_and_agreement_is_not() {
        let f = facts("403", Some("req_9"));
        let c = contradictions(&f, &failing_requests(&f));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].fact, "request_id");
        let f = facts("403", Some("req_2"));
        assert!(contradictions(&f, &failing_requests(&f)).is_empty());
    }
}
