//! The failing requests a ticket lists, the one the customer pasted among them, and the
//! contradictions an engineer must see before acting: the customer says one status and the
//! logs another, the pasted request id is nowhere in the logs, or the pasted key is not the
//! key id in question.

use crate::facts::{FactValue, Facts, name};
use crate::secret::{Fingerprint, Redacted};
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
    /// `status`, `request_id` or `key`.
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
    let Some(FactValue::TextList(lines)) = facts.value(name::FAILURES_REQUESTS) else {
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
        .value(name::REQUEST_ID)
        .and_then(FactValue::as_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The status at the end of a request line: "… · 403 insufficient_scope".
fn status_of(line: &str) -> Option<u16> {
    line.rsplit(" · ").next()?.split(' ').next()?.parse().ok()
}

/// The statuses the listed requests show, each once, lowest first.
fn logged_statuses(listed: &[FailingRequest]) -> Vec<u16> {
    let mut seen: Vec<u16> = listed
        .iter()
        .filter_map(|r| status_of(r.line.as_str()))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    seen
}

/// The one status every listed failing request shows, if they agree.
pub fn logged_status(listed: &[FailingRequest]) -> Option<u16> {
    match logged_statuses(listed).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The status a runbook is for, read off its id (`401-unauthorized`, `403-forbidden`): the
/// agent who picks it says, in effect, that the customer sees that status.
pub fn runbook_status(runbook_id: &str) -> Option<u16> {
    let digits = runbook_id.split(['-', '_']).next()?;
    digits
        .parse::<u16>()
        .ok()
        .filter(|s| (400..500).contains(s))
}

/// The status the customer reports: intake's, else the one the walked runbook is for, which
/// the agent chose because the customer said it.
fn said_status(facts: &Facts, runbook_id: &str) -> Option<(u16, String)> {
    match facts.value(name::STATUS) {
        Some(FactValue::Number(n)) if n.fract() == 0.0 && *n >= 0.0 => {
            let s = *n as u16;
            Some((s, s.to_string()))
        }
        _ => runbook_status(runbook_id)
            .map(|s| (s, format!("{s} (no status given; walked as {runbook_id})"))),
    }
}

pub fn contradictions(
    facts: &Facts,
    listed: &[FailingRequest],
    runbook_id: &str,
) -> Vec<Contradiction> {
    let mut out = Vec::new();
    if let Some((said, said_text)) = said_status(facts, runbook_id) {
        let seen = logged_statuses(listed);
        if !seen.is_empty() && !seen.contains(&said) {
            let list: Vec<String> = seen.iter().map(u16::to_string).collect();
            out.push(Contradiction {
                fact: name::STATUS.into(),
                said: said_text,
                found: format!("the request logs show {}", list.join(", ")),
            });
        }
    }
    if let Some(id) = pasted_id(facts)
        && !listed.is_empty()
        && !listed.iter().any(|r| r.pasted)
    {
        out.push(Contradiction {
            fact: name::REQUEST_ID.into(),
            said: id,
            found: format!(
                "it is not among the {} newest failing requests of this key: another key, \
                 or an older request",
                listed.len()
            ),
        });
    }
    out.extend(key_mismatches(facts));
    out
}

/// The pasted keys (the intake `key`, the key in a pasted request) whose fingerprint is not the
/// key record's: the customer holds another key than the one whose evidence was gathered, so
/// that evidence may not describe their failures. Nothing without a record fingerprint.
pub fn key_mismatches(facts: &Facts) -> Vec<Contradiction> {
    let Some(record) = facts.fingerprint(name::KEY_FINGERPRINT) else {
        return Vec::new();
    };
    let mut pasted: Vec<(String, Fingerprint)> = Vec::new();
    if let Some(FactValue::Secret(key)) = facts.value(name::KEY)
        && let Some(fp) = key.key_fingerprint()
    {
        pasted.push((key.mask().to_string(), fp));
    }
    // The same key pasted twice is one contradiction, named by the intake mask.
    if let Some(fp) = facts.fingerprint(name::REQUEST_KEY_FINGERPRINT)
        && !pasted.iter().any(|(_, seen)| *seen == fp)
    {
        pasted.push(("the key in the pasted request".into(), fp));
    }
    let key_id = facts
        .value(name::KEY_ID)
        .and_then(FactValue::as_text)
        .map_or_else(|| "the key on record".to_string(), |id| format!("key {id}"));
    pasted
        .into_iter()
        .filter(|(_, fp)| *fp != record)
        .map(|(said, fp)| Contradiction {
            fact: name::KEY.into(),
            said,
            found: format!(
                "it is not {key_id} ({fp} vs {record}): another key, perhaps another \
                 environment or account"
            ),
        })
        .collect()
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
        let c = contradictions(&f, &listed, "custom");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].describe(),
            "status: the customer says 401, the request logs show 403"
        );
    }

    const PASTED: &str = "sk_live_CANARY0123456789canary0123456789";
    const OTHER: &str = "sk_live_Other0123456789other0123456789ab";

    /// A case about `key_x` whose record has `record`'s fingerprint, with `key` given at intake
    /// and `sent` in a pasted request.
    fn key_case(record: Option<&str>, key: Option<&str>, sent: Option<&str>) -> Facts {
        let now = crate::testing::now();
        let mut f = Facts::new();
        f.insert_text("key_id", "key_x", FactSource::Intake, now)
            .unwrap();
        let fingerprints = [
            ("key.fingerprint", record, FactSource::AdminApi),
            ("request.key_fingerprint", sent, FactSource::Diagnostics),
        ];
        for (fact, secret, source) in fingerprints {
            if let Some(secret) = secret {
                let fp = Fingerprint::of(secret).to_string();
                f.insert_text(fact, &fp, source, now).unwrap();
            }
        }
        if let Some(key) = key {
            f.insert_text("key", key, FactSource::Intake, now).unwrap();
        }
        f
    }

    #[test]
    fn the_key_in_question_pasted_is_no_contradiction() {
        let f = key_case(Some(PASTED), Some(PASTED), Some(PASTED));
        assert!(contradictions(&f, &[], "custom").is_empty());
    }

    #[test]
    fn another_key_pasted_is_flagged_by_its_mask_and_both_fingerprints() {
        let f = key_case(Some(OTHER), Some(PASTED), Some(PASTED));
        let c = contradictions(&f, &[], "custom");
        assert_eq!(c.len(), 1, "the same key pasted twice is one: {c:?}");
        assert_eq!(c[0].fact, "key");
        assert_eq!(c[0].said, "sk_live_CANA…6789");
        let (pasted, record) = (Fingerprint::of(PASTED), Fingerprint::of(OTHER));
        assert_eq!(
            c[0].describe(),
            format!(
                "key: the customer says sk_live_CANA…6789, it is not key key_x ({pasted} vs \
                 {record}): another key, perhaps another environment or account"
            )
        );
        assert!(!c[0].describe().contains("0123456789canary"));
    }

    #[test]
    fn another_key_in_the_pasted_request_alone_is_flagged() {
        let f = key_case(Some(OTHER), None, Some(PASTED));
        let c = contradictions(&f, &[], "custom");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].said, "the key in the pasted request");
        // The intake key is the right one, the request sends another: that one is flagged.
        let f = key_case(Some(OTHER), Some(OTHER), Some(PASTED));
        let c = contradictions(&f, &[], "custom");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].said, "the key in the pasted request");
    }

    #[test]
    fn without_a_record_fingerprint_or_with_a_token_nothing_is_compared() {
        let f = key_case(None, Some(PASTED), Some(OTHER));
        assert!(contradictions(&f, &[], "custom").is_empty());
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl";
        let f = key_case(Some(OTHER), Some(jwt), None);
        assert!(contradictions(&f, &[], "custom").is_empty());
    }

    fn logged_only(status: &str) -> Facts {
        let mut f = facts("401", None);
        f.remove("status");
        let line =
            format!("req_3 · 2026-11-22 09:59:00 UTC · GET /v1/x · from 192.0.2.7 · {status}");
        let fact = Fact {
            value: FactValue::TextList(vec![Redacted::from(line.as_str())]),
            source: FactSource::AdminApi,
            at: crate::testing::now(),
            evidence: None,
        };
        f.insert("failures.requests", fact).unwrap();
        f
    }

    #[test]
    fn without_a_status_at_intake_the_runbook_walked_stands_for_the_customers() {
        // Walked as 401, the gateway logged 403s refused upstream: the 401 tree cannot explain
        // that, and the receiver must know before tracing it.
        let f = logged_only("403 refused upstream");
        let c = contradictions(&f, &failing_requests(&f), "401-unauthorized");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].describe(),
            "status: the customer says 401 (no status given; walked as 401-unauthorized), \
             the request logs show 403"
        );
        assert!(contradictions(&f, &failing_requests(&f), "403-forbidden").is_empty());
        // A runbook whose id names no status says nothing about it.
        assert!(contradictions(&f, &failing_requests(&f), "custom").is_empty());
    }

    #[test]
    fn the_logged_status_is_the_one_all_listed_requests_agree_on() {
        let f = logged_only("401 invalid_key");
        assert_eq!(logged_status(&failing_requests(&f)), Some(401));
        let f = facts("401", None);
        assert_eq!(logged_status(&failing_requests(&f)), Some(403));
        assert_eq!(logged_status(&[]), None);
        assert_eq!(runbook_status("403-forbidden"), Some(403));
        assert_eq!(runbook_status("200-ok"), None);
    }

    #[test]
    fn a_pasted_id_missing_from_the_logs_is_flagged_and_agreement_is_not() {
        let f = facts("403", Some("req_9"));
        let c = contradictions(&f, &failing_requests(&f), "custom");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].fact, "request_id");
        let f = facts("403", Some("req_2"));
        assert!(contradictions(&f, &failing_requests(&f), "custom").is_empty());
    }
}
