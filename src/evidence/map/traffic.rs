//! Facts about the key's traffic and history: audit events, the failing requests of the last
//! day with their reasons, and usage against limit and quota.

use super::Sink;
use crate::evidence::api::{self, AuditAction, ReasonCode};
use crate::evidence::query::{AUDIT_WINDOW_DAYS, FAILURE_WINDOW_HOURS};
use crate::evidence::{AuditDigest, Cited, FailureDigest};
use crate::facts::{FactValue, name};

pub(super) fn audit_facts(out: &mut Sink, c: &Cited<AuditDigest>) {
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

pub(super) fn failure_facts(out: &mut Sink, c: &Cited<FailureDigest>) {
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
            if d.credential_ips() >= crate::evidence::ANOMALY_DISTINCT_IPS {
                "at least "
            } else {
                ""
            },
            d.credential_ips(),
            crate::evidence::ANOMALY_MIN_FAILURES,
            crate::evidence::ANOMALY_DISTINCT_IPS,
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

pub(super) fn usage_facts(out: &mut Sink, c: &Cited<api::Usage>) {
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
