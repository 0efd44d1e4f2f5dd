//! Answers → facts. Each fact cites the call it came from; facts computed from two answers
//! (the IP against the allowlist, the key's scopes against the route's) cite both.

use super::api;
use super::{Answer, Cited, FailureDigest, Intake};
use crate::facts::{Fact, FactSource, FactValue, Facts, name};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use key::{client_ip, customer_facts, ip_facts, key_facts, scope_facts};
use traffic::{audit_facts, failure_facts, usage_facts};

/// Collects facts, all from the admin API at one instant.
struct Sink {
    facts: Facts,
    now: DateTime<Utc>,
}

impl Sink {
    fn set(&mut self, name: &str, value: FactValue, evidence: impl Into<Redacted>) {
        let fact = Fact {
            value,
            source: FactSource::AdminApi,
            at: self.now,
            evidence: Some(evidence.into()),
        };
        // Names and types here are constants checked against the schema by the tests below,
        // so a failure is a programming error, caught in debug builds.
        if let Err(err) = self.facts.insert(name, fact) {
            debug_assert!(false, "evidence mapping breaks the schema: {err}");
        }
    }

    fn text(&mut self, name: &str, value: impl Into<Redacted>, evidence: impl Into<Redacted>) {
        self.set(name, FactValue::Text(value.into()), evidence);
    }

    fn flag(&mut self, name: &str, value: bool, evidence: impl Into<Redacted>) {
        self.set(name, FactValue::Bool(value), evidence);
    }

    fn number(&mut self, name: &str, value: impl Into<f64>, evidence: impl Into<Redacted>) {
        self.set(name, FactValue::Number(value.into()), evidence);
    }

    fn time(&mut self, name: &str, value: DateTime<Utc>, evidence: impl Into<Redacted>) {
        self.set(name, FactValue::Time(value), evidence);
    }
}

pub(super) fn facts(intake: &Intake, answers: &[Answer], now: DateTime<Utc>) -> Facts {
    let mut out = Sink {
        facts: Facts::new(),
        now,
    };
    let standing = super::Standing::of(answers);
    let (mut key, mut route, mut logs) = (None, None, None);
    // No logs for a key that does not exist: the 404 is the answer "none".
    let mut no_logs = None;
    for answer in answers {
        match answer {
            // A 404 from an API not proven to be the right one proves nothing.
            Answer::Key(Cited { answer: None, .. }) if !standing.proven => {}
            Answer::Key(c) => {
                key_facts(&mut out, intake, c);
                key = c.answer.as_ref().map(|k| (k, c.from.to_string()));
            }
            Answer::Customer(c) => customer_facts(&mut out, c),
            Answer::AuditEvents(c) => audit_facts(&mut out, c),
            Answer::RequestLogs(c) => {
                failure_facts(&mut out, c);
                logs = Some(c);
            }
            Answer::Usage(c) => usage_facts(&mut out, c),
            Answer::Endpoint(c) => route = endpoint_facts(&mut out, c).or(route),
            Answer::Health(c) => health_facts(&mut out, c),
            Answer::Absent {
                query: super::Query::RequestLogs { .. },
                from,
            } if standing.key_absent => {
                no_logs = Some(Cited {
                    answer: FailureDigest::default(),
                    from: from.clone(),
                });
            }
            // Not applicable (no such key) or a gap: see `Evidence::gaps`.
            Answer::Absent { .. } => {}
            Answer::FailureSummary(c) => incident_facts(&mut out, c, &customer_of(intake, answers)),
        }
    }
    if let Some(c) = &no_logs {
        failure_facts(&mut out, c);
    }
    let client_ip = client_ip(&mut out, intake, logs);
    if let Some((key, from)) = &key {
        ip_facts(&mut out, key, client_ip, from);
        if let Some((route, route_from)) = &route {
            scope_facts(&mut out, key, route, &format!("{from}; {route_from}"));
        }
    }
    out.facts
}

/// The route's facts, and the route with its citation for the scope check.
fn endpoint_facts<'a>(
    out: &mut Sink,
    c: &'a Cited<Option<api::EndpointRoute>>,
) -> Option<(&'a api::EndpointRoute, String)> {
    let r = c.answer.as_ref()?;
    let from = c.from.to_string();
    out.text(name::ENDPOINT_ROUTE, &r.route, &from);
    out.set(
        name::ENDPOINT_REQUIRED_SCOPES,
        FactValue::TextList(r.required_scopes.iter().map(Into::into).collect()),
        &from,
    );
    Some((r, from))
}

/// The case's customer: named at intake, or else the owner of the key, which the admin API
/// gives (a case may start from a key id alone).
fn customer_of(intake: &Intake, answers: &[Answer]) -> Option<String> {
    intake.customer_id.clone().or_else(|| {
        answers.iter().find_map(|a| match a {
            Answer::Key(Cited {
                answer: Some(k), ..
            }) => Some(k.customer_id.clone()),
            _ => None,
        })
    })
}

fn incident_facts(out: &mut Sink, c: &Cited<api::FailureSummary>, customer: &Option<String>) {
    let s = &c.answer;
    if let Some(cell) = &s.cell {
        out.text(name::INCIDENT_CELL, cell, c.from.to_string());
    }
    let this = customer
        .as_deref()
        .and_then(|id| s.customers.iter().find(|e| e.customer_id == id));
    if let Some(e) = this {
        let evidence = format!(
            "{} among the customers above their baseline; {}",
            e.customer_id, c.from
        );
        out.number(name::INCIDENT_FAILURE_RATE, e.failure_rate, &evidence);
        out.number(name::INCIDENT_BASELINE_RATE, e.baseline_rate, &evidence);
    }
    let who = s.customers.iter().map(|e| e.customer_id.as_str());
    let who: Vec<_> = who.collect();
    out.number(
        name::INCIDENT_CUSTOMERS_AFFECTED,
        s.customers_affected as f64,
        format!(
            "{} customers above their 401/403 baseline in the last {} min{}{}; {}",
            s.customers_affected,
            s.window_s / 60,
            s.cell
                .as_ref()
                .map_or(String::new(), |c| format!(" in cell {c}")),
            if who.is_empty() {
                String::new()
            } else {
                format!(" ({})", who.join(", "))
            },
            c.from
        ),
    );
}

fn health_facts(out: &mut Sink, c: &Cited<api::Health>) {
    let h = &c.answer;
    let from = match &h.cell {
        Some(cell) => format!("cell {cell}; {}", c.from),
        None => c.from.to_string(),
    };
    out.text(name::HEALTH_STATUS, h.status.as_str(), &from);
    out.number(
        name::HEALTH_AUTH_LATENCY_P50_MS,
        h.auth_latency_ms.p50,
        &from,
    );
    out.number(
        name::HEALTH_AUTH_LATENCY_P99_MS,
        h.auth_latency_ms.p99,
        &from,
    );
}

mod key;
#[cfg(test)]
mod tests;
mod traffic;
