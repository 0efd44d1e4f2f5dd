//! A key's recent failing requests, digested page by page into a reason-code histogram: the
//! digest keeps counts and one request, never the pages, so its size does not grow with the
//! number of failures.

use super::api::{Decider, ReasonCode, RequestLog};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// Credential failures from at least this many distinct addresses look like credential
/// stuffing or a leaked key being tried, not one misconfigured client. Failures the key's own
/// state explains (revoked, expired, no credential, an expired token) do not count: a fleet
/// of pods retrying one expired key fails from many addresses too.
pub const ANOMALY_DISTINCT_IPS: usize = 10;
/// ... provided there are at least this many of them in the window.
pub const ANOMALY_MIN_FAILURES: u64 = 50;
/// The newest failing requests a ticket lists, so the engineer can trace them.
pub const LISTED_REQUESTS: usize = 5;
/// Distinct client addresses kept for a ticket (a security review starts from them).
pub const LISTED_ADDRESSES: usize = 20;

/// What the failing requests of one key say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FailureDigest {
    pub total: u64,
    pub by_reason: BTreeMap<ReasonCode, u64>,
    pub upstream_decided: u64,
    /// The newest failing request: the gateway saw its address and path.
    pub latest: Option<RequestLog>,
    credential_failures: u64,
    /// Distinct addresses among credential failures, kept only up to the anomaly threshold.
    credential_ips: BTreeSet<IpAddr>,
    /// Whether paging stopped at the cap before the window was exhausted.
    pub truncated: bool,
    /// The newest failing requests, newest first, at most [`LISTED_REQUESTS`].
    pub newest: Vec<RequestLog>,
    /// The oldest failing request seen: when the failures began, as far as the window shows.
    pub first_at: Option<DateTime<Utc>>,
    /// Distinct addresses among all failing requests, at most [`LISTED_ADDRESSES`].
    pub addresses: BTreeSet<IpAddr>,
}

impl FailureDigest {
    /// Adds one page; pages arrive newest first.
    pub fn add_page(&mut self, items: &[RequestLog]) {
        for log in items.iter().filter(|l| l.status >= 400) {
            self.total += 1;
            if self.latest.is_none() {
                self.latest = Some(log.clone());
            }
            if self.newest.len() < LISTED_REQUESTS {
                self.newest.push(log.clone());
            }
            // Pages arrive newest first, so the last failure seen is the oldest.
            self.first_at = Some(log.at);
            if self.addresses.len() < LISTED_ADDRESSES {
                self.addresses.insert(log.client_ip);
            }
            if log.decided_by == Decider::Upstream {
                self.upstream_decided += 1;
            }
            if let Some(reason) = &log.reason {
                *self.by_reason.entry(reason.clone()).or_default() += 1;
                if reason.is_credential_failure() && !reason.explained_by_key_state() {
                    self.credential_failures += 1;
                    if self.credential_ips.len() < ANOMALY_DISTINCT_IPS {
                        self.credential_ips.insert(log.client_ip);
                    }
                }
            }
        }
    }

    /// Reason codes, most frequent first; a tie goes to the code listed first in the contract.
    pub fn reasons(&self) -> Vec<(ReasonCode, u64)> {
        let mut v: Vec<_> = self
            .by_reason
            .iter()
            .map(|(r, n)| (r.clone(), *n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// The most frequent reason code, or `none` when no failure carried one.
    pub fn top_reason(&self) -> String {
        self.reasons()
            .first()
            .map_or_else(|| "none".into(), |(r, _)| r.label())
    }

    pub fn count(&self, reason: ReasonCode) -> u64 {
        self.by_reason.get(&reason).copied().unwrap_or(0)
    }

    /// Whether most failures were refused by the upstream service rather than the gateway.
    pub fn mostly_upstream(&self) -> bool {
        self.total > 0 && self.upstream_decided * 2 > self.total
    }

    /// Many credential failures from many addresses.
    pub fn anomaly(&self) -> bool {
        self.credential_failures >= ANOMALY_MIN_FAILURES
            && self.credential_ips.len() >= ANOMALY_DISTINCT_IPS
    }

    /// Distinct addresses among credential failures, capped at the anomaly threshold.
    pub fn credential_ips(&self) -> usize {
        self.credential_ips.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(reason: Option<ReasonCode>, ip: &str, decided_by: Decider) -> RequestLog {
        RequestLog {
            at: "2026-11-22T10:00:00Z".parse().unwrap(),
            request_id: format!("req_{ip}"),
            method: "GET".into(),
            path: "/v1/orders".into(),
            status: 401,
            reason,
            client_ip: ip.parse().unwrap(),
            decided_by,
        }
    }

    #[test]
    fn keeps_the_newest_requests_the_oldest_time_and_the_addresses_for_the_ticket() {
        let mut d = FailureDigest::default();
        let mut page: Vec<RequestLog> = (0..8)
            .map(|i| {
                let mut l = log(
                    Some(ReasonCode::InvalidKey),
                    &format!("192.0.2.{i}"),
                    Decider::Gateway,
                );
                l.at = format!("2026-11-22T10:0{}:00Z", 9 - i).parse().unwrap();
                l
            })
            .collect();
        page[7].status = 200;
        d.add_page(&page);
        let ids: Vec<&str> = d.newest.iter().map(|l| l.request_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "req_192.0.2.0",
                "req_192.0.2.1",
                "req_192.0.2.2",
                "req_192.0.2.3",
                "req_192.0.2.4"
            ]
        );
        // The success at 10:02 is not a failure: the oldest failure is the one at 10:03.
        assert_eq!(d.first_at, Some("2026-11-22T10:03:00Z".parse().unwrap()));
        assert_eq!(d.addresses.len(), 7);
    }

    #[test]
    fn no_failures_means_top_reason_none() {
        let d = FailureDigest::default();
        assert_eq!(d.top_reason(), "none");
        assert!(!d.anomaly());
        assert!(!d.mostly_upstream());
    }

    #[test]
    fn histogram_counts_reasons_and_keeps_the_newest_request() {
        let mut d = FailureDigest::default();
        d.add_page(&[
            log(Some(ReasonCode::RateLimited), "192.0.2.1", Decider::Gateway),
            log(
                Some(ReasonCode::QuotaExceeded),
                "192.0.2.2",
                Decider::Gateway,
            ),
        ]);
        d.add_page(&[log(
            Some(ReasonCode::RateLimited),
            "192.0.2.3",
            Decider::Gateway,
        )]);
        assert_eq!(d.total, 3);
        assert_eq!(d.top_reason(), "rate_limited");
        assert_eq!(d.count(ReasonCode::QuotaExceeded), 1);
        assert_eq!(
            d.latest.as_ref().map(|l| l.client_ip.to_string()),
            Some("192.0.2.1".into())
        );
    }

    #[test]
    fn successes_in_a_page_are_not_failures() {
        let mut ok = log(None, "192.0.2.1", Decider::Gateway);
        ok.status = 200;
        let mut d = FailureDigest::default();
        d.add_page(&[ok]);
        assert_eq!(d.total, 0);
        assert!(d.latest.is_none());
    }

    #[test]
    fn upstream_refusals_without_reason_count_but_do_not_vote() {
        let mut d = FailureDigest::default();
        d.add_page(&[
            log(None, "192.0.2.1", Decider::Upstream),
            log(None, "192.0.2.1", Decider::Upstream),
            log(Some(ReasonCode::InvalidKey), "192.0.2.1", Decider::Gateway),
        ]);
        assert_eq!(d.top_reason(), "invalid_key");
        assert!(d.mostly_upstream());
    }

    #[test]
    fn many_credential_failures_from_many_addresses_are_an_anomaly() {
        let mut d = FailureDigest::default();
        let page: Vec<_> = (0..60)
            .map(|i| {
                log(
                    Some(ReasonCode::InvalidKey),
                    &format!("198.51.100.{}", i % 12),
                    Decider::Gateway,
                )
            })
            .collect();
        d.add_page(&page);
        assert!(d.anomaly());
        assert_eq!(d.credential_ips(), ANOMALY_DISTINCT_IPS);
    }

    #[test]
    fn a_fleet_retrying_an_expired_or_revoked_key_is_not_an_anomaly() {
        for reason in [
            ReasonCode::ExpiredKey,
            ReasonCode::RevokedKey,
            ReasonCode::MissingCredentials,
        ] {
            let mut d = FailureDigest::default();
            let page: Vec<_> = (0..420)
                .map(|i| {
                    log(
                        Some(reason.clone()),
                        &format!("10.0.0.{}", i % 14),
                        Decider::Gateway,
                    )
                })
                .collect();
            d.add_page(&page);
            assert!(!d.anomaly(), "{reason:?} from 14 pods");
        }
    }

    #[test]
    fn rate_limits_from_a_fleet_are_not_an_anomaly() {
        let mut d = FailureDigest::default();
        let page: Vec<_> = (0..200)
            .map(|i| {
                log(
                    Some(ReasonCode::RateLimited),
                    &format!("198.51.100.{}", i % 40),
                    Decider::Gateway,
                )
            })
            .collect();
        d.add_page(&page);
        assert!(!d.anomaly());
    }
}
