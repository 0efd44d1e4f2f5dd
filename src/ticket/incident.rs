//! Cases that belong together. An incident key is a pure function of the cell, the outcome
//! and a time window, so two agents who see the same cause in the same cell within the same
//! window write the same key without talking to each other. The edge looks up saved tickets
//! with that key and hands them in ([`super::Context::related`]); nothing here reads a file.

use crate::facts::{FactSource, FactValue, Facts, name};
use chrono::{DateTime, Duration, DurationRound, Utc};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// How wide a window two cases of one cause share. Failures that began two hours apart are
/// more likely two incidents than one.
pub const WINDOW_HOURS: i64 = 2;

/// `eu-1/escalate-validation-down/2026-11-22-08h`: the cell ("any" when unknown), the
/// outcome, and the start of the [`WINDOW_HOURS`] window the failures began in. All lower
/// case: a long run mixing cases and digits reads as a secret to [`crate::secret`], which
/// would mask the key in a copied ticket.
pub fn incident_key(cell: Option<&str>, outcome: &str, began: DateTime<Utc>) -> String {
    let window = Duration::hours(WINDOW_HOURS);
    // Rounding down to whole hours of the epoch cannot overflow for any real date.
    let start = began.duration_trunc(window).unwrap_or(began);
    format!(
        "{}/{outcome}/{}",
        cell.map_or_else(|| "any".to_string(), |c| c.trim().to_lowercase()),
        start.format("%Y-%m-%d-%Hh")
    )
    .to_lowercase()
}

/// A saved ticket as the edge hands it in, to link related cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub ticket_id: String,
    pub incident_key: String,
    pub outcome_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// This ticket is the same customer's case, for the same cause, already filed.
    #[serde(default)]
    pub duplicate: bool,
}

/// The saved tickets that share `key`, each marked as a duplicate when the same customer
/// filed it for the same outcome.
pub fn related(
    key: &str,
    outcome: &str,
    customer: Option<&str>,
    saved: &[Related],
) -> Vec<Related> {
    saved
        .iter()
        .filter(|r| r.incident_key == key)
        .map(|r| Related {
            duplicate: r.outcome_id == outcome
                && customer.is_some()
                && r.customer_id.as_deref() == customer,
            ..r.clone()
        })
        .collect()
}

/// The addresses a case involves and the networks they fall in (/24 for IPv4, /48 for IPv6),
/// with how many of the addresses each network holds: a security review blocks networks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Addresses {
    pub addresses: Vec<IpAddr>,
    pub networks: Vec<Network>,
    /// The address the customer gave at intake when no failing request in the logs came from
    /// it: listed apart, so a review blocking the attack's networks does not block the
    /// customer's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers_own: Option<IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub network: IpNet,
    pub addresses: usize,
}

pub fn addresses(facts: &Facts) -> Addresses {
    let mut addresses: Vec<IpAddr> = Vec::new();
    if let Some(FactValue::TextList(list)) = facts.value(name::FAILURES_CLIENT_IPS) {
        addresses.extend(
            list.iter()
                .filter_map(|t| t.as_str().parse::<IpAddr>().ok()),
        );
    }
    let mut customers_own = None;
    if let Some(fact) = facts.get(name::CLIENT_IP)
        && let FactValue::Ip(ip) = &fact.value
        && !addresses.contains(ip)
    {
        // An address from intake is the customer's; one read off the logs failed there.
        if fact.source == FactSource::Intake {
            customers_own = Some(*ip);
        } else {
            addresses.push(*ip);
        }
    }
    addresses.sort();
    addresses.dedup();
    let mut networks: BTreeMap<IpNet, usize> = BTreeMap::new();
    for ip in &addresses {
        let prefix = if ip.is_ipv4() { 24 } else { 48 };
        // The prefix is within range for the address family, so this cannot fail.
        if let Ok(net) = IpNet::new(*ip, prefix) {
            *networks.entry(net.trunc()).or_default() += 1;
        }
    }
    Addresses {
        addresses,
        customers_own,
        networks: networks
            .into_iter()
            .map(|(network, addresses)| Network { network, addresses })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn cases_in_one_cell_and_window_share_a_key_and_others_do_not() {
        let a = incident_key(
            Some("eu-1"),
            "escalate-validation-down",
            at("2026-11-22T08:05:00Z"),
        );
        let b = incident_key(
            Some("eu-1"),
            "escalate-validation-down",
            at("2026-11-22T09:55:00Z"),
        );
        assert_eq!(a, "eu-1/escalate-validation-down/2026-11-22-08h");
        assert_eq!(a, b);
        let later = incident_key(
            Some("eu-1"),
            "escalate-validation-down",
            at("2026-11-22T10:00:00Z"),
        );
        assert_ne!(a, later);
        let other_cell = incident_key(
            Some("us-2"),
            "escalate-validation-down",
            at("2026-11-22T08:05:00Z"),
        );
        assert_ne!(a, other_cell);
        assert!(incident_key(None, "x", at("2026-11-22T08:05:00Z")).starts_with("any/x/"));
        let upper = incident_key(Some("EU-1"), "x", at("2026-11-22T08:05:00Z"));
        assert_eq!(upper, "eu-1/x/2026-11-22-08h");
        assert_eq!(
            crate::secret::redact(&upper, &[]),
            upper,
            "must not read as a secret"
        );
    }

    fn case(intake_ip: &str, logged: &[&str]) -> Facts {
        let now = crate::testing::now();
        let mut f = Facts::new();
        f.insert_text(name::CLIENT_IP, intake_ip, FactSource::Intake, now)
            .unwrap();
        let fact = crate::facts::Fact {
            value: FactValue::TextList(logged.iter().map(|s| (*s).into()).collect()),
            source: FactSource::AdminApi,
            at: now,
            evidence: None,
        };
        f.insert(name::FAILURES_CLIENT_IPS, fact).unwrap();
        f
    }

    #[test]
    fn the_customers_own_address_is_kept_apart_from_the_attacks() {
        let a = addresses(&case("203.0.113.9", &["185.220.101.4", "185.220.101.9"]));
        let listed: Vec<String> = a.addresses.iter().map(IpAddr::to_string).collect();
        assert_eq!(listed, ["185.220.101.4", "185.220.101.9"]);
        let nets: Vec<String> = a.networks.iter().map(|n| n.network.to_string()).collect();
        assert_eq!(
            nets,
            ["185.220.101.0/24"],
            "no network of the customer's own"
        );
        assert_eq!(a.customers_own, "203.0.113.9".parse().ok());
        // When the logs show the customer's address failing too, it is one of the addresses.
        let a = addresses(&case("185.220.101.4", &["185.220.101.4"]));
        assert_eq!(a.addresses.len(), 1);
        assert_eq!(a.customers_own, None);
    }

    #[test]
    fn the_same_customer_and_outcome_under_one_key_is_a_duplicate() {
        let saved = [
            Related {
                ticket_id: "ESC-1".into(),
                incident_key: "k".into(),
                outcome_id: "o".into(),
                customer_id: Some("cus_1".into()),
                duplicate: false,
            },
            Related {
                ticket_id: "ESC-2".into(),
                incident_key: "k".into(),
                outcome_id: "o".into(),
                customer_id: Some("cus_2".into()),
                duplicate: false,
            },
            Related {
                ticket_id: "ESC-3".into(),
                incident_key: "other".into(),
                outcome_id: "o".into(),
                customer_id: Some("cus_1".into()),
                duplicate: false,
            },
        ];
        let r = related("k", "o", Some("cus_1"), &saved);
        let got: Vec<(&str, bool)> = r
            .iter()
            .map(|r| (r.ticket_id.as_str(), r.duplicate))
            .collect();
        assert_eq!(got, [("ESC-1", true), ("ESC-2", false)]);
    }
}
