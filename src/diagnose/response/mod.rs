//! `inspect response`: reads a pasted HTTP response (also `curl -i` and `curl -v` output) and
//! explains its status, `WWW-Authenticate` challenges, problem details, retry and rate-limit
//! headers, request id and date.

mod challenge;
mod gateway;

pub use challenge::{Challenge, parse_challenges};
pub use gateway::{GatewayError, Reason};

use crate::diagnose::{Code, DiagnoseError, Finding, Severity};
use crate::facts::{FactValue, name};
use crate::secret::Redacted;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// RFC 9457 problem details, the members support cares about, redacted: a `detail` often
/// quotes the key that was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: Redacted,
    pub title: Option<Redacted>,
    pub status: Option<u16>,
    pub detail: Option<Redacted>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseReport {
    pub status: Option<u16>,
    pub challenges: Vec<Challenge>,
    pub problem: Option<Problem>,
    pub retry_after_s: Option<i64>,
    pub rate_limit_limit: Option<i64>,
    pub rate_limit_remaining: Option<i64>,
    pub request_id: Option<Redacted>,
    pub date: Option<DateTime<Utc>>,
    /// What the response proves went wrong, from its challenge, headers or a known body.
    pub reason: Option<GatewayError>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    facts: Vec<(&'static str, FactValue)>,
}

impl ResponseReport {
    pub fn facts(&self) -> &[(&'static str, FactValue)] {
        &self.facts
    }
}

struct Parsed<'a> {
    status: Option<u16>,
    headers: Vec<(String, &'a str)>,
    body: String,
}

impl Parsed<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
    }
}

/// Parses the pasted response; `now` is used for a `Retry-After` date only when the
/// response carries no `Date` of its own.
pub fn inspect_response(text: &str, now: DateTime<Utc>) -> Result<ResponseReport, DiagnoseError> {
    let p = parse(text)?;
    let mut findings = Vec::new();
    let www: Vec<&str> = p
        .headers
        .iter()
        .filter(|(n, _)| n == "www-authenticate")
        .map(|(_, v)| *v)
        .collect();
    let challenges = challenges(p.status, &www, &mut findings);
    challenge_findings(&challenges, &mut findings);
    let problem = problem_details(&p);
    findings.extend(problem.as_ref().map(problem_finding));
    let date = p.header("date").and_then(http_date);
    let retry_after_s = p
        .header("retry-after")
        .and_then(|v| retry_after(v, date.unwrap_or(now)));
    let limit = rate_limit(
        &p,
        &["ratelimit-limit", "x-ratelimit-limit", "x-rate-limit-limit"],
        &["limit", "l"],
    );
    let remaining = rate_limit(
        &p,
        &[
            "ratelimit-remaining",
            "x-ratelimit-remaining",
            "x-rate-limit-remaining",
        ],
        &["remaining", "r"],
    );
    let rate_headers = retry_after_s.is_some() || limit.is_some() || remaining.is_some();
    let reason = gateway::recognise(&p, rate_headers, remaining);
    let said_rate_limit = reason
        .as_ref()
        .is_some_and(|r| r.reason == Reason::RateLimited);
    let rate = RateSigns {
        limit,
        remaining,
        retry_after_s,
        said_rate_limit,
    };
    rate_findings(p.status, &rate, &mut findings);
    if let Some(r) = &reason {
        reason_finding(r, p.status, &mut findings);
    }
    let request_id = request_id(&p);
    if let Some(id) = &request_id {
        findings.push(Finding::new(
            Code::RequestId,
            Severity::Info,
            format!("Request id `{id}`: quote it when escalating to the API team."),
        ));
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut facts = facts(&p, &www, &challenges, &problem, retry_after_s, remaining);
    if let Some(r) = &reason {
        facts.push((
            name::RESPONSE_REASON,
            FactValue::Text(r.reason.as_str().into()),
        ));
    }
    if let Some(scope) = challenges.iter().find_map(|c| c.param("scope")) {
        facts.push((name::RESPONSE_REQUIRED_SCOPE, FactValue::Text(scope.into())));
    }
    if let Some(id) = &request_id {
        facts.push((name::RESPONSE_REQUEST_ID, FactValue::Text(id.clone())));
    }
    Ok(ResponseReport {
        status: p.status,
        challenges,
        problem,
        retry_after_s,
        rate_limit_limit: limit,
        rate_limit_remaining: remaining,
        request_id,
        date,
        reason,
        findings,
        facts,
    })
}

/// The challenges in the `WWW-Authenticate` values; a value that does not parse, or a 401
/// without any, is a finding.
fn challenges(status: Option<u16>, www: &[&str], findings: &mut Vec<Finding>) -> Vec<Challenge> {
    let mut challenges = Vec::new();
    for value in www {
        match parse_challenges(value) {
            Ok(c) => challenges.extend(c.into_iter().map(Challenge::redacted)),
            Err(e) => findings.push(Finding::new(
                Code::MalformedChallenge,
                Severity::Warning,
                format!(
                    "`WWW-Authenticate: {value}` does not parse ({} at byte {}).",
                    e.reason, e.at
                ),
            )),
        }
    }
    if status == Some(401) && www.is_empty() {
        findings.push(Finding::new(
            Code::MissingWwwAuthenticate,
            Severity::Warning,
            "The 401 has no `WWW-Authenticate` header, which RFC 9110 requires: the server does \
             not say which scheme it wants. Often a gateway or proxy answered, not the API.",
        ));
    }
    challenges
}

fn problem_finding(pr: &Problem) -> Finding {
    let mut msg = format!("Problem type `{}`", pr.kind);
    for (label, v) in [("title", &pr.title), ("detail", &pr.detail)] {
        if let Some(v) = v {
            msg.push_str(&format!(", {label}: {}", v.trim_end_matches('.')));
        }
    }
    Finding::new(Code::ProblemDetails, Severity::Info, msg + ".")
}

/// What a response says about rate limiting: its headers, and whether its body says it.
#[derive(Clone, Copy)]
struct RateSigns {
    limit: Option<i64>,
    remaining: Option<i64>,
    retry_after_s: Option<i64>,
    said_rate_limit: bool,
}

/// A rate limit hit is not an authentication failure; the wait it asks for is worth saying.
fn rate_findings(status: Option<u16>, rate: &RateSigns, findings: &mut Vec<Finding>) {
    let RateSigns {
        limit,
        remaining,
        retry_after_s,
        said_rate_limit,
    } = *rate;
    if status == Some(429) || remaining == Some(0) || said_rate_limit {
        findings.push(Finding::new(
            Code::RateLimited,
            Severity::Error,
            format!(
                "Rate limited{}{}: this is not an authentication failure.",
                if status == Some(429) { " (429)" } else { "" },
                limit
                    .map(|l| format!(", limit {l} per window"))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(s) = retry_after_s {
        findings.push(Finding::new(
            Code::RetryAfter,
            Severity::Info,
            format!(
                "The server says to retry after {}.",
                crate::diagnose::jwt::human(s.max(0))
            ),
        ));
    }
}

/// The finding for a recognised gateway error, unless a finding already says it (the
/// rate-limit and RFC 6750 findings above).
fn reason_finding(r: &GatewayError, status: Option<u16>, out: &mut Vec<Finding>) {
    let who = if r.gateway.is_empty() {
        String::new()
    } else {
        format!("{}'s ", r.gateway)
    };
    let said = &r.message;
    let (code, what) = match r.reason {
        Reason::RateLimited => return,
        // The RFC 6750 challenge has findings of its own; a body saying it (Apigee, Kong's
        // acl plugin) would otherwise leave "No problems found" on a refusal.
        Reason::ExpiredToken | Reason::InsufficientScope
            if r.message.starts_with("WWW-Authenticate") =>
        {
            return;
        }
        Reason::InsufficientScope => (
            Code::InsufficientScope,
            "the key is valid but not allowed on this route: it lacks a permission (a scope, or \
             a group the route admits) that the route requires"
                .to_string(),
        ),
        Reason::QuotaExceeded => (
            Code::QuotaExceeded,
            "the key's quota for the period is used up; it comes back when the quota resets"
                .to_string(),
        ),
        Reason::WrongEndpoint => (
            Code::WrongEndpoint,
            format!(
                "despite the words, this{} means the path or method does not exist on the API: \
                 check the URL, the stage and the HTTP method",
                status.map(|s| format!(" {s}")).unwrap_or_default()
            ),
        ),
        Reason::WafBlocked => (
            Code::GatewayError,
            "a web application firewall in front of the API blocked the request before any \
             key was checked; its Ray ID or reference number finds the rule"
                .to_string(),
        ),
        other => (
            Code::GatewayError,
            format!("the gateway's reason is `{}`", other.as_str()),
        ),
    };
    out.push(Finding::new(
        code,
        Severity::Error,
        format!("{who}error body says \"{said}\": {what}."),
    ));
}

fn challenge_findings(challenges: &[Challenge], out: &mut Vec<Finding>) {
    for ch in challenges {
        let realm = ch
            .param("realm")
            .map(|r| format!(" (realm \"{r}\")"))
            .unwrap_or_default();
        out.push(Finding::new(
            Code::AuthChallenge,
            Severity::Info,
            format!("The server asks for `{}` credentials{realm}.", ch.scheme),
        ));
        let Some(error) = ch.param("error") else {
            continue;
        };
        let description = ch
            .param("error_description")
            .map(|d| format!(" The server says: \"{d}\"."))
            .unwrap_or_default();
        let (code, what) = match error {
            "invalid_token" => (
                Code::InvalidToken,
                "The credential was read but refused: expired, revoked, malformed or for \
                 another audience.",
            ),
            "insufficient_scope" => (
                Code::InsufficientScope,
                "The credential is valid but lacks a scope this endpoint needs (expect 403).",
            ),
            "invalid_request" => (
                Code::InvalidRequest,
                "The request is malformed: credentials missing, sent more than one way, or a \
                 parameter repeated.",
            ),
            _ => continue,
        };
        let scope = ch
            .param("scope")
            .map(|s| format!(" Required scope: `{s}`."))
            .unwrap_or_default();
        out.push(Finding::new(
            code,
            Severity::Error,
            format!("{what}{description}{scope}"),
        ));
    }
}

fn parse(text: &str) -> Result<Parsed<'_>, DiagnoseError> {
    // `curl -v` prefixes response lines with `< ` and request lines with `> `.
    let verbose = text.lines().any(|l| l.starts_with("< HTTP/"));
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !verbose || !(l.starts_with("> ") || l.starts_with("* ") || l == &">"))
        .map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            if verbose {
                l.strip_prefix("< ").or(l.strip_prefix('<')).unwrap_or(l)
            } else {
                l
            }
        })
        .collect();
    // After redirects or `100 Continue` the last status line is the response that counts.
    let start = lines.iter().rposition(|l| l.starts_with("HTTP/"));
    let mut status = None;
    let mut i = 0;
    if let Some(s) = start {
        status = lines[s]
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok());
        if status.is_none() {
            return Err(DiagnoseError::input(
                s + 1,
                "the status line has no status code",
            ));
        }
        i = s + 1;
    }
    let mut headers = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        match line.split_once(':') {
            Some((n, v)) if !line.trim().is_empty() && !n.contains([' ', '{', '"']) => {
                headers.push((n.trim().to_ascii_lowercase(), v));
            }
            _ => break,
        }
        i += 1;
    }
    let body = lines[i.min(lines.len())..].join("\n").trim().to_string();
    if status.is_none() && headers.is_empty() && !body.starts_with('{') {
        let line = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
        return Err(DiagnoseError::input(
            line,
            "not an HTTP response: expected a status line (`HTTP/1.1 401 Unauthorized`), \
             headers, or a JSON body",
        ));
    }
    Ok(Parsed {
        status,
        headers,
        body,
    })
}

fn problem_details(p: &Parsed) -> Option<Problem> {
    let declared = p
        .header("content-type")
        .is_some_and(|c| c.contains("problem+json"));
    let body: Value = serde_json::from_str(&p.body).ok()?;
    let obj = body.as_object()?;
    let looks_like_problem =
        obj.contains_key("type") || (obj.contains_key("title") && obj.contains_key("status"));
    if !declared && !looks_like_problem {
        return None;
    }
    let text = |k: &str| obj.get(k).and_then(Value::as_str).map(Redacted::from);
    Some(Problem {
        kind: text("type").unwrap_or_else(|| "about:blank".into()),
        title: text("title"),
        status: obj
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok()),
        detail: text("detail"),
    })
}

fn http_date(v: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(v.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
fn retry_after(v: &str, reference: DateTime<Utc>) -> Option<i64> {
    match v.trim().parse::<i64>() {
        Ok(s) => Some(s),
        Err(_) => http_date(v).map(|d| (d - reference).num_seconds()),
    }
}

/// A rate-limit figure from the separate headers, or from the structured `RateLimit` header
/// of the IETF draft (`limit=100, remaining=0, reset=30` or `"default";r=0;t=30`).
fn rate_limit(p: &Parsed, names: &[&str], keys: &[&str]) -> Option<i64> {
    if let Some(v) = names.iter().find_map(|n| p.header(n)) {
        return v.split([',', ';']).next()?.trim().parse().ok();
    }
    let v = p.header("ratelimit")?;
    v.split([',', ';']).find_map(|part| {
        let (k, val) = part.trim().split_once('=')?;
        keys.contains(&k.trim())
            .then(|| val.trim().parse().ok())
            .flatten()
    })
}

fn request_id(p: &Parsed) -> Option<Redacted> {
    const NAMES: &[&str] = &[
        "x-request-id",
        "request-id",
        "x-correlation-id",
        "x-amzn-requestid",
        "x-amz-request-id",
        "cf-ray",
        "x-trace-id",
        "traceparent",
    ];
    if let Some(v) = NAMES.iter().find_map(|n| p.header(n)) {
        return Some(v.into());
    }
    if let Ok(body) = serde_json::from_str::<Value>(&p.body) {
        return ["request_id", "requestId", "trace_id", "traceId"]
            .iter()
            .find_map(|k| body.get(k)?.as_str().map(Redacted::from));
    }
    block_reference(&p.body)
}

/// The reference a firewall's block page prints for its owner to find the rule: Cloudflare's
/// "Ray ID: 8e4f2a9c1b7d3e21", Akamai's "Reference #18.2f3d…", CloudFront's "Request ID: …".
fn block_reference(body: &str) -> Option<Redacted> {
    const LABELS: &[&str] = &["ray id:", "reference #", "request id:"];
    let lower = body.to_ascii_lowercase();
    LABELS.iter().find_map(|label| {
        // ASCII lowering keeps byte offsets, so the index holds in the original text.
        let start = lower.find(label)? + label.len();
        let rest = body[start..].trim_start();
        // Markup around the value ("<strong>8e4f…</strong>") is skipped, not taken.
        let rest = rest.strip_prefix("<strong>").unwrap_or(rest).trim_start();
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .take(80)
            .collect();
        (!id.is_empty()).then(|| Redacted::from(id.as_str()))
    })
}

fn facts(
    p: &Parsed,
    www: &[&str],
    challenges: &[Challenge],
    problem: &Option<Problem>,
    retry_after_s: Option<i64>,
    remaining: Option<i64>,
) -> Vec<(&'static str, FactValue)> {
    let mut facts = Vec::new();
    if let Some(s) = p.status.or(problem.as_ref().and_then(|pr| pr.status)) {
        facts.push((name::RESPONSE_STATUS, FactValue::Number(f64::from(s))));
    }
    facts.push((
        name::RESPONSE_HAS_WWW_AUTHENTICATE,
        FactValue::Bool(!www.is_empty()),
    ));
    if let Some(e) = challenges.iter().find_map(|c| c.param("error")) {
        facts.push((name::RESPONSE_BEARER_ERROR, FactValue::Text(e.into())));
    }
    if let Some(pr) = problem {
        facts.push((
            name::RESPONSE_PROBLEM_TYPE,
            FactValue::Text(pr.kind.as_str().into()),
        ));
    }
    if let Some(s) = retry_after_s {
        facts.push((name::RESPONSE_RETRY_AFTER_S, FactValue::Number(s as f64)));
    }
    if let Some(r) = remaining {
        facts.push((
            name::RESPONSE_RATE_LIMIT_REMAINING,
            FactValue::Number(r as f64),
        ));
    }
    facts
}

#[cfg(test)]
mod tests;
