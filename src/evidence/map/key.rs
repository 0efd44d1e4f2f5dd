//! Facts about the key, its customer, and what the caller may do with it: status and
//! revocation, the address against the allowlist, the key's scopes against the route's.

use super::Sink;
use crate::evidence::api;
use crate::evidence::ip::{IpVerdict, check as check_ip, reaches_us};
use crate::evidence::{Cited, FailureDigest, Intake};
use crate::facts::{FactValue, name};
use std::net::IpAddr;

pub(super) fn key_facts(out: &mut Sink, intake: &Intake, c: &Cited<Option<api::Key>>) {
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

pub(super) fn customer_facts(out: &mut Sink, c: &Cited<Option<api::Customer>>) {
    if let Some(cus) = &c.answer {
        let from = c.from.to_string();
        out.text(name::CUSTOMER_STATUS, cus.status.as_str(), &from);
        out.text(name::CUSTOMER_PLAN, &cus.plan, &from);
        if let Some(cell) = &cus.cell {
            out.text(name::CUSTOMER_CELL, cell, &from);
        }
    }
}

/// The client IP from intake, or else the one the gateway logged for the newest failure (which
/// then becomes a fact of its own, with the method and path, saying where it came from). An
/// internal address given at intake (`10.0.4.17` from the customer's own logs) is not what the
/// gateway sees: the logged one replaces it, and without logs no address is judged.
pub(super) fn client_ip(
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

pub(super) fn ip_facts(out: &mut Sink, key: &api::Key, ip: Option<IpAddr>, from: &str) {
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

pub(super) fn scope_facts(out: &mut Sink, key: &api::Key, route: &api::EndpointRoute, from: &str) {
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
