//! Answers → facts. Each fact cites the call it came from; facts computed from two answers
//! (the IP against the allowlist, the key's scopes against the route's) cite both.

use super::api::{self, AuditAction, ReasonCode};
use super::ip::{IpVerdict, check as check_ip, reaches_us};
use super::query::{AUDIT_WINDOW_DAYS, FAILURE_WINDOW_HOURS};
use super::{Answer, AuditDigest, Cited, FailureDigest, Intake};
use crate::facts::{Fact, FactSource, FactValue, Facts, name};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use std::net::IpAddr;

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

fn key_facts(out: &mut Sink, intake: &Intake, c: &Cited<Option<api::Key>>) {
    let from = c.from.to_string();
    let Some(k) = &c.answer else {
        out.text(
            name::KEY_STATUS,
            "not_found",
            format!("no such key: {from}"),
        );
        return;
    };
    out.text(name::KEY_STATUS, k.status.label(), &from);
    out.text(name::KEY_ENV, k.environment.as_str(), &from);
    out.text(name::KEY_CUSTOMER_ID, &k.customer_id, &from);
    if intake.customer_id.is_none() {
        out.text(
            name::CUSTOMER_ID,
            &k.customer_id,
            format!("owner of the key: {from}"),
        );
    }
    out.time(name::KEY_CREATED_AT, k.created_at, &from);
    let times = [
        (name::KEY_EXPIRES_AT, k.expires_at),
        (name::KEY_REVOKED_AT, k.revoked_at),
        (name::KEY_LAST_USED_AT, k.last_used_at),
    ];
    for (name, t) in times {
        if let Some(t) = t {
            out.time(name, t, &from);
        }
    }
    if let Some(by) = &k.revoked_by {
        out.text(name::KEY_REVOKED_BY, by, &from);
    }
    if let Some(why) = &k.revoke_reason {
        out.text(name::KEY_REVOKE_REASON, why, &from);
    }
    out.text(name::KEY_ACCEPTED_HEADER, &k.credential.header, &from);
    if let Some(scheme) = &k.credential.scheme {
        out.text(name::KEY_ACCEPTED_SCHEME, scheme, &from);
    }
    let line = match &k.credential.scheme {
        Some(scheme) => format!("{}: {scheme} <your key>", k.credential.header),
        None => format!("{}: <your key>", k.credential.header),
    };
    out.text(name::KEY_CREDENTIAL_HEADER, line, &from);
    out.set(
        name::KEY_ALLOWED_IPS,
        FactValue::CidrList(k.allowed_ips.clone()),
        &from,
    );
    out.set(
        name::KEY_SCOPES,
        FactValue::TextList(k.scopes.iter().map(Into::into).collect()),
        &from,
    );
    if let Some(fp) = &k.fingerprint {
        out.text(name::KEY_FINGERPRINT, fp.to_string(), &from);
    }
}

fn customer_facts(out: &mut Sink, c: &Cited<Option<api::Customer>>) {
    if let Some(cus) = &c.answer {
        let from = c.from.to_string();
        out.text(name::CUSTOMER_STATUS, cus.status.as_str(), &from);
        out.text(name::CUSTOMER_PLAN, &cus.plan, &from);
        if let Some(cell) = &cus.cell {
            out.text(name::CUSTOMER_CELL, cell, &from);
        }
    }
}

fn audit_facts(out: &mut Sink, c: &Cited<AuditDigest>) {
    let d = &c.answer;
    let window = format!(
        "{} events in the last {AUDIT_WINDOW_DAYS} days{}; {}",
        d.scanned,
        if d.truncated { " (cut short)" } else { "" },
        c.from
    );
    let flags = [
        (
            name::AUDIT_PERMISSION_CHANGED,
            &[AuditAction::RoleChanged, AuditAction::ScopesChanged][..],
        ),
        (
            name::AUDIT_IP_RULES_CHANGED,
            &[AuditAction::IpRulesChanged][..],
        ),
    ];
    for (name, actions) in flags {
        if let Some(changed) = d.changed(actions) {
            out.flag(name, changed, &window);
        }
    }
    if let Some(narrowed) = d.permission_narrowed() {
        out.flag(name::AUDIT_PERMISSION_NARROWED, narrowed, &window);
    }
    let newest = [
        (
            AuditAction::RoleChanged,
            name::AUDIT_ROLE_CHANGED_AT,
            Some(name::AUDIT_ROLE_CHANGED_BY),
        ),
        (
            AuditAction::ScopesChanged,
            name::AUDIT_SCOPES_CHANGED_AT,
            Some(name::AUDIT_SCOPES_CHANGED_BY),
        ),
        (
            AuditAction::IpRulesChanged,
            name::AUDIT_IP_RULES_CHANGED_AT,
            Some(name::AUDIT_IP_RULES_CHANGED_BY),
        ),
        (AuditAction::PlanChanged, name::AUDIT_PLAN_CHANGED_AT, None),
        (
            AuditAction::RateLimitChanged,
            name::AUDIT_RATE_LIMIT_CHANGED_AT,
            None,
        ),
        (AuditAction::KeyRotated, name::AUDIT_KEY_ROTATED_AT, None),
    ];
    for (action, at_name, by_name) in newest {
        let Some(e) = d.newest(action) else { continue };
        let evidence = format!(
            "event {} by {} at {}{}; {}",
            e.id,
            e.actor,
            e.at.format("%Y-%m-%d %H:%M UTC"),
            change(e),
            c.from
        );
        out.time(at_name, e.at, &evidence);
        if let Some(by_name) = by_name {
            out.text(by_name, &e.actor, &evidence);
        }
    }
}

/// ": [\"orders:read\",\"orders:write\"] → [\"orders:read\"]", when the event says.
fn change(e: &api::AuditEvent) -> String {
    match (&e.before, &e.after) {
        (None, None) => String::new(),
        (before, after) => {
            let show = |v: &Option<serde_json::Value>| {
                v.as_ref()
                    .map_or_else(|| "-".to_string(), ToString::to_string)
            };
            format!(": {} → {}", show(before), show(after))
        }
    }
}

fn failure_facts(out: &mut Sink, c: &Cited<FailureDigest>) {
    let d = &c.answer;
    let histogram: Vec<String> = d
        .reasons()
        .iter()
        .map(|(r, n)| format!("{} {n}", r.label()))
        .collect();
    let evidence = format!(
        "{} failing requests in the last {FAILURE_WINDOW_HOURS} h{}{}; {}",
        d.total,
        if histogram.is_empty() {
            String::new()
        } else {
            format!(": {}", histogram.join(", "))
        },
        if d.truncated {
            " (newest only: cut short)"
        } else {
            ""
        },
        c.from
    );
    out.number(name::FAILURES_TOTAL, d.total as f64, &evidence);
    if let Some(first) = d.first_at {
        out.time(name::FAILURES_FIRST_AT, first, &evidence);
    }
    if !d.newest.is_empty() {
        let listed = d
            .newest
            .iter()
            .map(|l| describe_request(l).into())
            .collect();
        out.set(
            name::FAILURES_REQUESTS,
            FactValue::TextList(listed),
            c.from.to_string(),
        );
        let ips = d.addresses.iter().map(|ip| ip.to_string().into()).collect();
        out.set(
            name::FAILURES_CLIENT_IPS,
            FactValue::TextList(ips),
            &evidence,
        );
    }
    out.text(name::FAILURES_TOP_REASON, d.top_reason(), &evidence);
    let codes = d.reasons().iter().map(|(r, _)| r.label().into()).collect();
    out.set(
        name::FAILURES_REASONS,
        FactValue::TextList(codes),
        &evidence,
    );
    let rate = d.count(ReasonCode::RateLimited) as f64;
    out.number(name::FAILURES_RATE_LIMITED, rate, &evidence);
    let quota = d.count(ReasonCode::QuotaExceeded) as f64;
    out.number(name::FAILURES_QUOTA_EXCEEDED, quota, &evidence);
    out.flag(
        name::FAILURES_UPSTREAM_DECIDED,
        d.mostly_upstream(),
        format!(
            "{} of {} decided upstream; {}",
            d.upstream_decided, d.total, c.from
        ),
    );
    out.flag(
        name::FAILURES_ANOMALY,
        d.anomaly(),
        format!(
            "credential failures from {}{} distinct addresses (anomaly: at least {} failures \
             from {} addresses); {}",
            if d.credential_ips() >= super::ANOMALY_DISTINCT_IPS {
                "at least "
            } else {
                ""
            },
            d.credential_ips(),
            super::ANOMALY_MIN_FAILURES,
            super::ANOMALY_DISTINCT_IPS,
            c.from
        ),
    );
}

/// One failing request on one line: "req_1 · 2026-11-22 09:58:02 UTC · GET /v1/orders/1 · from
/// 203.0.113.7 · 401 invalid_key". The request id leads: the ticket finds it there.
fn describe_request(l: &api::RequestLog) -> String {
    let reason = l
        .reason
        .as_ref()
        .map_or_else(|| "refused upstream".to_string(), |r| r.label());
    format!(
        "{} · {} · {} {} · from {} · {} {reason}",
        l.request_id,
        l.at.format("%Y-%m-%d %H:%M:%S UTC"),
        l.method,
        l.path,
        l.client_ip,
        l.status
    )
}

fn usage_facts(out: &mut Sink, c: &Cited<api::Usage>) {
    let u = &c.answer;
    let from = c.from.to_string();
    match u.windows.first() {
        Some(w) => {
            let exhausted = u.windows.iter().find(|w| w.remaining == 0);
            out.number(name::USAGE_RATE_LIMIT, w.limit as f64, &from);
            out.number(name::USAGE_RATE_WINDOW_S, w.window_s as f64, &from);
            out.number(name::USAGE_RATE_REMAINING, w.remaining as f64, &from);
            out.flag(
                name::USAGE_RATE_EXHAUSTED,
                exhausted.is_some(),
                match exhausted {
                    Some(w) => format!(
                        "{} of {} used in the {} s window, resets {}; {from}",
                        w.used,
                        w.limit,
                        w.window_s,
                        w.resets_at.format("%H:%M:%S UTC")
                    ),
                    None => format!("every window has requests left; {from}"),
                },
            );
        }
        None => out.flag(
            name::USAGE_RATE_EXHAUSTED,
            false,
            format!("no rate limit; {from}"),
        ),
    }
    match &u.quota {
        Some(q) => {
            let evidence = format!(
                "{} of {} used this {}, resets {}; {from}",
                q.used,
                q.limit,
                q.period,
                q.resets_at.format("%Y-%m-%d %H:%M UTC")
            );
            out.number(name::USAGE_QUOTA_REMAINING, q.remaining as f64, &evidence);
            out.flag(name::USAGE_QUOTA_EXHAUSTED, q.remaining == 0, &evidence);
        }
        None => out.flag(
            name::USAGE_QUOTA_EXHAUSTED,
            false,
            format!("no quota; {from}"),
        ),
    }
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

/// The client IP from intake, or else the one the gateway logged for the newest failure (which
/// then becomes a fact of its own, with the method and path, saying where it came from). An
/// internal address given at intake (`10.0.4.17` from the customer's own logs) is not what the
/// gateway sees: the logged one replaces it, and without logs no address is judged.
fn client_ip(
    out: &mut Sink,
    intake: &Intake,
    logs: Option<&Cited<FailureDigest>>,
) -> Option<IpAddr> {
    let given = intake.client_ip;
    let latest = logs.and_then(|c| c.answer.latest.as_ref().map(|l| (l, &c.from)));
    let Some((log, from)) = latest else {
        return given.filter(|ip| reaches_us(*ip));
    };
    let why = match given {
        Some(ip) => format!("{ip}, given at intake, is an internal address our gateway never sees"),
        None => "not given at intake".to_string(),
    };
    let evidence = format!(
        "{why}; from the newest failing request {} at {} ({} {} → {}{}); {from}",
        log.request_id,
        log.at.format("%Y-%m-%d %H:%M UTC"),
        log.method,
        log.path,
        log.status,
        log.reason
            .as_ref()
            .map_or(String::new(), |r| format!(" {}", r.label())),
    );
    if intake.endpoint.is_none() {
        out.text(name::ENDPOINT, &log.path, &evidence);
        if intake.method.is_none() {
            out.text(name::METHOD, &log.method, &evidence);
        }
    }
    match given {
        Some(ip) if reaches_us(ip) => Some(ip),
        _ => {
            out.set(name::CLIENT_IP, FactValue::Ip(log.client_ip), &evidence);
            Some(log.client_ip)
        }
    }
}

fn ip_facts(out: &mut Sink, key: &api::Key, ip: Option<IpAddr>, from: &str) {
    if key.allowed_ips.is_empty() {
        out.flag(
            name::IP_ALLOWED,
            true,
            format!("the key has no IP allowlist; {from}"),
        );
        return;
    }
    let Some(ip) = ip else { return };
    match check_ip(&key.allowed_ips, ip) {
        IpVerdict::AnyAddress => {}
        IpVerdict::Allowed { matched } => {
            let evidence = format!("{ip} is inside {matched}; {from}");
            out.flag(name::IP_ALLOWED, true, &evidence);
            out.text(name::IP_MATCHED_RANGE, matched.to_string(), &evidence);
        }
        IpVerdict::Refused {
            nearest,
            shared_bits,
        } => {
            let listed: Vec<String> = key.allowed_ips.iter().map(ToString::to_string).collect();
            let evidence = format!("{ip} is in none of {}; {from}", listed.join(", "));
            out.flag(name::IP_ALLOWED, false, &evidence);
            if let Some(n) = nearest {
                out.text(
                    name::IP_NEAREST_MISS,
                    n.to_string(),
                    format!("{n} shares the first {shared_bits} bits with {ip}; {from}"),
                );
            }
        }
    }
}

fn scope_facts(out: &mut Sink, key: &api::Key, route: &api::EndpointRoute, from: &str) {
    let missing: Vec<String> = route
        .required_scopes
        .iter()
        .filter(|need| !key.scopes.iter().any(|have| grants(have, need)))
        .cloned()
        .collect();
    let evidence = format!(
        "{} {} requires [{}], the key has [{}]; {from}",
        route.method,
        route.route,
        route.required_scopes.join(", "),
        key.scopes.join(", ")
    );
    out.flag(name::SCOPES_SUFFICIENT, missing.is_empty(), &evidence);
    out.set(
        name::SCOPES_MISSING,
        FactValue::TextList(missing.iter().map(Into::into).collect()),
        &evidence,
    );
}

/// Whether a granted scope covers a required one: exactly, or as `orders:*` / `*`.
fn grants(have: &str, need: &str) -> bool {
    have == "*"
        || have.eq_ignore_ascii_case(need)
        || have
            .strip_suffix(":*")
            .is_some_and(|prefix| need.split(':').next() == Some(prefix))
}

#[cfg(test)]
mod tests;
