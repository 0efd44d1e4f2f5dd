//! `authdesk inspect request|jwt|response`: reads a paste from a file or stdin, runs the
//! diagnostic, prints findings and facts (or JSON with `--json`).

use super::Exit;
use crate::config::GatewayConfig;
use crate::diagnose::{self, DiagnoseError, Finding, JwtContext, JwtReport, RequestContext};
use crate::escape::line;
use crate::facts::FactValue;
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum InspectCommand {
    /// A curl command line, a raw HTTP request, or a list of headers.
    Request(RequestArgs),
    /// A JWT, decoded without verification.
    Jwt(JwtArgs),
    /// A pasted HTTP response.
    Response(ResponseArgs),
}

#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// File holding the paste; `-` or none reads standard input.
    pub file: Option<PathBuf>,
    /// Print findings and facts as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RequestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Header the gateway reads the key from [default: X-API-Key, or Authorization with
    /// --expect-scheme].
    #[arg(long, value_name = "NAME")]
    pub expect_header: Option<String>,
    /// Scheme the gateway expects before the key, e.g. Bearer.
    #[arg(long, value_name = "SCHEME")]
    pub expect_scheme: Option<String>,
    /// The API's host; requests to another host are reported.
    #[arg(long, value_name = "HOST")]
    pub api_host: Option<String>,
    /// A key's full length, prefix included, for every key format [default: the config's
    /// `[[key_format]]` entries, else sk_live_/sk_test_ + 32 characters].
    #[arg(long, value_name = "N")]
    pub key_length: Option<usize>,
    /// Environment the request targets; guessed from the host (sandbox, test) when absent.
    #[arg(long, value_name = "ENV", value_parser = ["live", "test"])]
    pub expect_env: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct JwtArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Judge the token at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "date_from")]
    pub at: Option<DateTime<Utc>>,
    /// Judge the token at the `Date` of this pasted response.
    #[arg(long, value_name = "FILE")]
    pub date_from: Option<PathBuf>,
    /// Clock difference tolerated, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub leeway: i64,
    /// The audience the API's tokens carry in `aud` [default: `[gateway] jwt_audience`].
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ResponseArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    crate::facts::parse_time(s).ok_or_else(|| format!("`{s}` is not a time (use RFC 3339)"))
}

pub fn run(cmd: InspectCommand, gateway: &GatewayConfig) -> anyhow::Result<Exit> {
    match cmd {
        InspectCommand::Request(a) => request(a, gateway),
        InspectCommand::Jwt(a) => jwt(a, gateway),
        InspectCommand::Response(a) => response(a),
    }
}

fn request(a: RequestArgs, gateway: &GatewayConfig) -> anyhow::Result<Exit> {
    let (name, text) = read_input(a.input.file.as_deref())?;
    // Flags override the config, which `run` reads too.
    let mut settings = gateway.clone();
    if a.expect_scheme.is_some() && a.expect_header.is_none() {
        settings.expect_header = None;
    }
    settings.expect_header = a.expect_header.or(settings.expect_header);
    settings.expect_scheme = a.expect_scheme.or(settings.expect_scheme);
    settings.api_host = a.api_host.or(settings.api_host);
    if let Some(n) = a.key_length {
        for f in &mut settings.key_formats {
            (f.length, f.min_length, f.max_length) = (Some(n), None, None);
        }
    }
    let ctx = RequestContext {
        expect_env: a.expect_env,
        ..settings.request_context()
    };
    let r = diagnose::inspect_request(&text, &ctx).map_err(|e| located(&name, e))?;
    let mut head = vec![format!(
        "{} {}{}",
        r.form.label(),
        r.method.as_deref().unwrap_or(""),
        r.host
            .as_deref()
            .map(|h| format!(" to {h}"))
            .unwrap_or_default()
    )];
    if let (Some(at), Some(c)) = (&r.credential_at, &r.credential) {
        head.push(format!("credential: {c} in {at}"));
    }
    emit(a.input.json, "request", &r, &head, &r.findings, r.facts())
}

fn jwt(a: JwtArgs, gateway: &GatewayConfig) -> anyhow::Result<Exit> {
    let (name, text) = read_input(a.input.file.as_deref())?;
    let now = match (&a.at, &a.date_from) {
        (Some(at), _) => *at,
        (None, Some(path)) => response_date(path)?,
        (None, None) => Utc::now(),
    };
    let ctx = JwtContext {
        now,
        leeway_s: a.leeway,
        audience: a.audience.or_else(|| gateway.jwt_audience.clone()),
    };
    let r = diagnose::inspect_jwt(&text, &ctx).map_err(|e| located(&name, e))?;
    emit(
        a.input.json,
        "jwt",
        &r,
        &jwt_head(&r),
        &r.findings,
        r.facts(),
    )
}

/// What the token says about itself, before the findings: never the signature.
fn jwt_head(r: &JwtReport) -> Vec<String> {
    let fmt = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let claim = |k: &str| {
        r.claims
            .get(k)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "-".into())
    };
    vec![
        format!(
            "JWT sha256:{} (signature: {} bytes, not shown, not verified)",
            r.fingerprint, r.signature_bytes
        ),
        format!("header: {}", r.header),
        format!(
            "iss: {}  aud: {}  sub: {}",
            claim("iss"),
            claim("aud"),
            claim("sub")
        ),
        format!(
            "scopes: {}",
            if r.scopes.is_empty() {
                "-".into()
            } else {
                r.scopes.join(" ")
            }
        ),
        format!(
            "iat: {}  nbf: {}  exp: {}",
            fmt(r.issued_at),
            fmt(r.not_before),
            fmt(r.expires_at)
        ),
        format!("checked at: {}", fmt(Some(r.checked_at))),
    ]
}

fn response(a: ResponseArgs) -> anyhow::Result<Exit> {
    let (name, text) = read_input(a.input.file.as_deref())?;
    let r = diagnose::inspect_response(&text, Utc::now()).map_err(|e| located(&name, e))?;
    let head = vec![format!(
        "response {}",
        r.status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "(no status line)".into())
    )];
    emit(a.input.json, "response", &r, &head, &r.findings, r.facts())
}

fn response_date(path: &Path) -> anyhow::Result<DateTime<Utc>> {
    let (name, text) = read_input(Some(path))?;
    let r = diagnose::inspect_response(&text, Utc::now()).map_err(|e| located(&name, e))?;
    r.date
        .ok_or_else(|| anyhow!("{name}: the response has no Date header"))
}

/// `file.txt, line 3: reason` — the file and line the user must look at.
fn located(name: &str, err: DiagnoseError) -> anyhow::Error {
    anyhow!("{name}, {err}")
}

/// Reads the paste as text; a file that is not UTF-8 is named with the line that breaks.
pub(super) fn read_input(file: Option<&Path>) -> anyhow::Result<(String, String)> {
    let (name, bytes) = match file {
        None => (
            "<stdin>".to_string(),
            read_all(std::io::stdin().lock()).context("<stdin>")?,
        ),
        Some(p) if p == Path::new("-") => (
            "<stdin>".to_string(),
            read_all(std::io::stdin().lock()).context("<stdin>")?,
        ),
        Some(p) => {
            let name = p.display().to_string();
            let bytes = std::fs::read(p).with_context(|| format!("{name}, line 1"))?;
            (name, bytes)
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..bad].iter().filter(|b| **b == b'\n').count() + 1;
            Err(anyhow!("{name}, line {line}: not UTF-8 text"))
        }
    }
}

fn read_all(mut r: impl Read) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.read_to_end(&mut buf)?;
    Ok(buf)
}

#[derive(Serialize)]
struct JsonOut<'a, R: Serialize> {
    kind: &'static str,
    #[serde(flatten)]
    report: &'a R,
    facts: BTreeMap<&'static str, &'a FactValue>,
}

fn emit<R: Serialize>(
    json: bool,
    kind: &'static str,
    report: &R,
    head: &[String],
    findings: &[Finding],
    facts: &[(&'static str, FactValue)],
) -> anyhow::Result<Exit> {
    if json {
        let out = JsonOut {
            kind,
            report,
            facts: facts.iter().map(|(n, v)| (*n, v)).collect(),
        };
        println!("{}", crate::escape::json(&out)?);
        return Ok(Exit::Ok);
    }
    print!("{}", render_text(head, findings, facts));
    Ok(Exit::Ok)
}

pub(super) fn render_text(
    head: &[String],
    findings: &[Finding],
    facts: &[(&'static str, FactValue)],
) -> String {
    let mut out = String::new();
    // Head lines, messages and values all quote the paste: each is shown on one line with its
    // control and bidi characters visible.
    for l in head {
        out.push_str(line(l.trim_end()).trim_end());
        out.push('\n');
    }
    out.push('\n');
    if findings.is_empty() {
        out.push_str("No problems found.\n");
    }
    let width = findings
        .iter()
        .map(|f| f.code.as_str().len())
        .max()
        .unwrap_or(0);
    for f in findings {
        out.push_str(&format!(
            "{:<7}  {:<width$}  {}\n",
            f.severity.label(),
            f.code.as_str(),
            line(&f.message)
        ));
    }
    if !facts.is_empty() {
        out.push_str("\nfacts:\n");
        let width = facts.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, value) in facts {
            out.push_str(&format!("  {name:<width$}  {}\n", line(&value.to_string())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{Code, Severity};
    use crate::escape::tests::{assert_inert, hostile};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_text_report_keeps_every_value_on_its_line_and_inert(
            head in hostile(), message in hostile(), value in hostile(),
        ) {
            let findings = [Finding::new(Code::ALL[0], Severity::Error, message)];
            let facts = [("request.path", FactValue::Text(value.into()))];
            let out = render_text(&[head], &findings, &facts);
            assert_inert(&out, &['\n']);
            // Head, blank, finding, blank, "facts:", the fact: a value adds no line.
            prop_assert_eq!(out.lines().count(), 6, "{}", out);
        }
    }
}
