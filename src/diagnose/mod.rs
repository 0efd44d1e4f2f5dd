//! Diagnostics: reads a pasted request, JWT, error response or access log and turns what it
//! finds into findings and facts. Pure and synchronous; never sends anything anywhere, and
//! never lets a raw key, token or signature out (only `MaskedSecret`s).
//!
//! The `facts_from_*` functions are the stable API the walk uses: they return schema fact
//! names with values of the schema's type.

mod finding;
pub mod jwt;
pub mod logs;
pub mod paste;
mod redact;
pub mod request;
pub mod response;

pub use finding::{Code, Finding, Severity};
pub use jwt::{JwtContext, JwtReport, inspect_jwt};
pub use logs::{LogsConfig, LogsReport};
pub use request::{KeyFormat, RequestContext, RequestReport, default_key_formats, inspect_request};
pub use response::{ResponseReport, inspect_response};

use crate::facts::{FactValue, name};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Input a diagnostic cannot read at all. Findings are never errors; this is.
#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    /// Pasted text that is not what the command reads; `line` counts from 1.
    #[error("line {line}: {reason}")]
    Input { line: usize, reason: String },
    /// A file that cannot be opened or read; `line` is the last line read before the error.
    #[error("{}, line {line}: {source}", path.display())]
    Read {
        path: PathBuf,
        line: u64,
        #[source]
        source: std::io::Error,
    },
    /// Logs in which no request could be read: rates of nothing would read as "normal".
    #[error(
        "no request found in {lines} line(s) ({malformed} not in a known log format); \
         use `authdesk logs` with --field to read other JSON names"
    )]
    NoRequests { lines: u64, malformed: u64 },
}

impl DiagnoseError {
    pub(crate) fn input(line: usize, reason: impl Into<String>) -> Self {
        DiagnoseError::Input {
            line,
            reason: reason.into(),
        }
    }

    pub(crate) fn read(path: &Path, line: u64, source: std::io::Error) -> Self {
        DiagnoseError::Read {
            path: path.to_path_buf(),
            line,
            source,
        }
    }
}

/// Facts a pasted request establishes: `request.credential_present`, `request.header_problem`
/// (a finding code, or `none`), `request.header_name`, `request.key_in_query`,
/// `request.key_env`, `request.key_length_ok`.
pub fn facts_from_request(
    text: &str,
    ctx: &RequestContext,
) -> Result<Vec<(&'static str, FactValue)>, DiagnoseError> {
    Ok(inspect_request(text, ctx)?.facts().to_vec())
}

/// Facts a pasted JWT establishes, judged at `ctx.now`: `jwt.alg`, `jwt.expired`,
/// `jwt.expired_for_s`, `jwt.not_yet_valid`, `jwt.clock_skew_s`, `jwt.scopes`, and
/// `jwt.problem` (`alg-none`, `no-signature`, `wrong-audience`, `malformed` or `none`): a
/// token that is there but does not decode gives only `jwt.problem = malformed`.
pub fn facts_from_jwt(
    text: &str,
    ctx: &JwtContext,
) -> Result<Vec<(&'static str, FactValue)>, DiagnoseError> {
    match inspect_jwt(text, ctx) {
        Ok(report) => Ok(report.facts().to_vec()),
        // A token that is there but does not decode is itself the finding.
        Err(_) if jwt::looks_like_jwt(text) => Ok(vec![(
            name::JWT_PROBLEM,
            FactValue::Text("malformed".into()),
        )]),
        Err(e) => Err(e),
    }
}

/// Facts a pasted response establishes: `response.status`, `response.has_www_authenticate`,
/// `response.bearer_error`, `response.problem_type`, `response.retry_after_s`,
/// `response.rate_limit_remaining`, `response.reason` (what the response proves went wrong),
/// `response.required_scope`. A `Retry-After` date is measured from the response's own
/// `Date`, or from `now` when it has none.
pub fn facts_from_response(
    text: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(&'static str, FactValue)>, DiagnoseError> {
    Ok(inspect_response(text, now)?.facts().to_vec())
}

/// Facts access logs establish: `logs.rate_401`, `logs.rate_403`, `logs.rate_429`,
/// `logs.band_401`, `logs.keys_failing`, `logs.spike`, `logs.auth_latency_p99_ms` (when the
/// logs carry latencies), from their report. Fails on the first file the report could not
/// read, and when no request could be read at all: facts from part of the logs, or from none,
/// would mislead.
pub fn facts_from_logs(
    mut report: LogsReport,
) -> Result<Vec<(&'static str, FactValue)>, DiagnoseError> {
    if !report.errors.is_empty() {
        return Err(report.errors.swap_remove(0));
    }
    if report.requests == 0 {
        return Err(DiagnoseError::NoRequests {
            lines: report.lines,
            malformed: report.malformed,
        });
    }
    Ok(report.facts())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::lookup;

    fn assert_in_schema(facts: &[(&'static str, FactValue)]) {
        for (name, value) in facts {
            let def = lookup(name).unwrap_or_else(|| panic!("`{name}` is not in the schema"));
            assert_eq!(def.ty, value.fact_type(), "`{name}` has the wrong type");
            assert_eq!(def.source, crate::facts::FactSource::Diagnostics, "{name}");
        }
    }

    #[test]
    fn every_emitted_fact_is_in_the_schema_with_its_type() {
        let key = "sk_test_0123456789abcdefghijklmnopqrstuv";
        let req = format!(
            "curl 'https://api.example.com/v1?api_key={key}' -H 'Authorization: Bearer {key}'"
        );
        let facts = facts_from_request(&req, &RequestContext::default()).unwrap();
        assert!(facts.len() >= 6, "{facts:?}");
        assert_in_schema(&facts);

        let ctx = JwtContext::at("2026-11-22T10:00:00Z".parse().unwrap());
        let jwt = jwt::tests::make_jwt(
            r#"{"alg":"RS256"}"#,
            r#"{"exp":1,"iat":1,"nbf":1,"scope":"a b"}"#,
        );
        let facts = facts_from_jwt(&jwt, &ctx).unwrap();
        assert_eq!(facts.len(), 7, "{facts:?}");
        assert_in_schema(&facts);

        let resp = "HTTP/1.1 429 Too Many Requests\nWWW-Authenticate: Bearer error=\"invalid_token\"\n\
                    Retry-After: 30\nX-RateLimit-Remaining: 0\nContent-Type: application/problem+json\n\n\
                    {\"type\":\"https://example.com/probs/rate\",\"status\":429}";
        let facts = facts_from_response(resp, ctx.now).unwrap();
        assert_eq!(facts.len(), 7, "{facts:?}");
        assert_in_schema(&facts);

        let log =
            "{\"ts\":\"2026-11-22T10:00:00Z\",\"status\":401,\"key_id\":\"k1\",\"latency_ms\":3}\n";
        let report =
            crate::triage::triage_reader(log.as_bytes(), "stdin", &LogsConfig::default()).unwrap();
        let facts = facts_from_logs(report).unwrap();
        assert_eq!(facts.len(), 7, "{facts:?}");
        assert_in_schema(&facts);
    }

    #[test]
    fn response_retry_date_without_a_date_header_counts_from_the_given_now() {
        let resp = "HTTP/1.1 429 Too Many Requests\nRetry-After: Sun, 22 Nov 2026 10:02:00 GMT\n";
        let now = "2026-11-22T10:00:00Z".parse().unwrap();
        let facts = facts_from_response(resp, now).unwrap();
        let retry = facts.iter().find(|(n, _)| *n == "response.retry_after_s");
        assert_eq!(
            retry,
            Some(&("response.retry_after_s", FactValue::Number(120.0)))
        );
    }
}
