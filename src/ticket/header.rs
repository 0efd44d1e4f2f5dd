//! What the top of a ticket says before any detail: what is broken, for whom and where; when
//! the failures began as against when the case was opened; and how big it is. Read from the
//! walk's facts only.

use crate::facts::{FactValue, Facts, name};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who sees what, where: the ticket's second line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<Redacted>,
    /// The path the customer gave, or the route the admin API resolved it to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Redacted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Redacted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<Redacted>,
    /// The cell (region) serving the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Redacted>,
}

/// When the failures began, and who says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Began {
    pub at: DateTime<Utc>,
    pub source: BeganFrom,
    /// When the customer says it started, kept beside the logs' answer when the two disagree:
    /// failures older than the logs' window, or on another key, are the receiver's to ask about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_says: Option<DateTime<Utc>>,
}

/// Who says when the failures began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BeganFrom {
    /// The oldest failing request in the logs' window.
    RequestLogs,
    /// The customer, at intake.
    Intake,
}

/// How big the problem is, as far as the evidence shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// Failing requests of this key in the recent window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failing_requests: Option<u64>,
    /// This customer's 401/403 rate now, 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_rate: Option<f64>,
    /// Customers above their baseline (admin API), or failing in the logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers_affected: Option<u64>,
    /// What `customers_affected` counts: said beside it, since "0 customers affected" on a
    /// customer's own case reads as false unless one knows it counts rates above a baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers_measure: Option<CustomersMeasure>,
}

/// What a count of affected customers measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomersMeasure {
    /// Customers whose 401/403 rate is above their baseline now (the admin API's summary).
    AboveBaseline,
    /// Distinct customers failing in the pasted logs.
    FailingInLogs,
}

impl Impact {
    pub fn is_empty(&self) -> bool {
        *self == Impact::default()
    }
}

fn text(facts: &Facts, name: &str) -> Option<Redacted> {
    facts
        .value(name)
        .and_then(FactValue::as_text)
        .map(Redacted::from)
}

fn number(facts: &Facts, name: &str) -> Option<f64> {
    match facts.value(name) {
        Some(FactValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// A count read from a fact; counts are whole and not negative, anything else is not one.
fn count(facts: &Facts, name: &str) -> Option<u64> {
    number(facts, name)
        .filter(|n| n.fract() == 0.0 && *n >= 0.0)
        .map(|n| n as u64)
}

fn time(facts: &Facts, name: &str) -> Option<DateTime<Utc>> {
    match facts.value(name) {
        Some(FactValue::Time(t)) => Some(*t),
        _ => None,
    }
}

/// `fallback` is the status known without the customer saying it (the one the failing
/// requests in the logs agree on, else the walked runbook's): a summary line without a status
/// does not say what is broken.
pub fn scope(facts: &Facts, fallback: Option<u16>) -> Scope {
    Scope {
        status: count(facts, name::STATUS)
            .or_else(|| count(facts, name::RESPONSE_STATUS))
            .and_then(|n| u16::try_from(n).ok())
            .or(fallback),
        method: text(facts, name::METHOD),
        endpoint: text(facts, name::ENDPOINT),
        route: text(facts, name::ENDPOINT_ROUTE),
        plan: text(facts, name::CUSTOMER_PLAN),
        cell: cell(facts),
    }
}

/// The customer's cell, or else the one the failure summary was scoped to.
pub fn cell(facts: &Facts) -> Option<Redacted> {
    text(facts, name::CUSTOMER_CELL).or_else(|| text(facts, name::INCIDENT_CELL))
}

/// How far the customer's start may sit from the logs' before the ticket shows both.
const BEGAN_AGREE_MINUTES: i64 = 30;

/// The first failure the logs show, else when the customer says it started.
pub fn began(facts: &Facts) -> Option<Began> {
    let said = time(facts, name::STARTED_AT);
    let logs = time(facts, name::FAILURES_FIRST_AT).map(|at| Began {
        at,
        source: BeganFrom::RequestLogs,
        customer_says: said.filter(|s| (*s - at).num_minutes().abs() > BEGAN_AGREE_MINUTES),
    });
    logs.or_else(|| {
        said.map(|at| Began {
            at,
            source: BeganFrom::Intake,
            customer_says: None,
        })
    })
}

pub fn impact(facts: &Facts) -> Impact {
    let customers = count(facts, name::INCIDENT_CUSTOMERS_AFFECTED)
        .map(|n| (n, CustomersMeasure::AboveBaseline))
        .or_else(|| {
            count(facts, name::LOGS_CUSTOMERS_FAILING).map(|n| (n, CustomersMeasure::FailingInLogs))
        });
    Impact {
        failing_requests: count(facts, name::FAILURES_TOTAL),
        failure_rate: number(facts, name::INCIDENT_FAILURE_RATE),
        baseline_rate: number(facts, name::INCIDENT_BASELINE_RATE),
        customers_affected: customers.map(|(n, _)| n),
        customers_measure: customers.map(|(_, m)| m),
    }
}

impl Scope {
    /// "401 on GET /v1/orders/{order_id} · growth plan · cell eu-1", or none when nothing is known.
    pub fn line(&self, customer: Option<&str>) -> Option<String> {
        let mut what = String::new();
        if let Some(s) = self.status {
            what.push_str(&s.to_string());
        }
        let path = self.route.as_ref().or(self.endpoint.as_ref());
        if self.method.is_some() || path.is_some() {
            if !what.is_empty() {
                what.push_str(" on ");
            }
            let method = self
                .method
                .as_ref()
                .map(|m| format!("{m} "))
                .unwrap_or_default();
            what.push_str(&format!("{method}{}", path.map_or("", |p| p.as_str())));
        }
        let mut parts: Vec<String> = Vec::new();
        if !what.trim().is_empty() {
            parts.push(what.trim().to_string());
        }
        match (customer, &self.plan) {
            (Some(c), Some(p)) => parts.push(format!("for {c} ({p} plan)")),
            (Some(c), None) => parts.push(format!("for {c}")),
            (None, Some(p)) => parts.push(format!("{p} plan")),
            (None, None) => {}
        }
        if let Some(cell) = &self.cell {
            parts.push(format!("in cell {cell}"));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactSource;

    fn case(first: &str, said: &str) -> Facts {
        let now = crate::testing::now();
        let mut f = Facts::new();
        f.insert_text(name::FAILURES_FIRST_AT, first, FactSource::AdminApi, now)
            .unwrap();
        f.insert_text(name::STARTED_AT, said, FactSource::Intake, now)
            .unwrap();
        f
    }

    #[test]
    fn the_customers_start_is_kept_beside_the_logs_only_when_they_disagree() {
        let b = began(&case("2026-11-22T14:38:00Z", "2026-11-22T08:10:00Z")).unwrap();
        assert_eq!(b.source, BeganFrom::RequestLogs);
        assert_eq!(b.customer_says, "2026-11-22T08:10:00Z".parse().ok());
        let b = began(&case("2026-11-22T08:20:00Z", "2026-11-22T08:10:00Z")).unwrap();
        assert_eq!(b.customer_says, None, "ten minutes apart is the same start");
    }
}
