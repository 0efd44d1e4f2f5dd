//! `authdesk logs FILE...`: prints the triage of access logs, or JSON with `--json`.

use super::Exit;
use crate::diagnose::logs::{FieldNames, LogsConfig, LogsReport, MAX_THREADS, ServiceConfig};
use crate::escape::line;
use crate::triage::triage_files;
use anyhow::bail;
use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Log files (plain or gzip); `-` or none reads standard input.
    pub files: Vec<PathBuf>,
    /// Only requests at or after this time (RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,
    /// Only requests before this time (RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,
    /// Only requests made with this key id.
    #[arg(long, value_name = "KEY_ID")]
    pub key: Option<String>,
    /// JSON field names, e.g. `--field status=code --field key=api_key_id`
    /// (fields: status, key, ip, path, method, ts, latency, customer); a dotted name such as
    /// `status=http.response.status_code` also reads nested objects (ECS, OpenTelemetry).
    /// `auth_latency=NAME` names a field that measures authentication alone: only its latency
    /// counts as auth latency (`latency` is whole-request time).
    #[arg(long = "field", value_name = "FIELD=NAME")]
    pub fields: Vec<String>,
    /// Upper bounds of the normal, watch and investigate bands of the 401 rate.
    #[arg(long, value_name = "A,B,C", default_value = "0.5,0.7,0.9")]
    pub bands: String,
    /// Entries in each top list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Worker threads (0: one per core; at most 256).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = threads)]
    pub threads: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Group the requests by this JSON field (a dotted path for nested ones); repeat to group
    /// by several, e.g. `--by app --by userId --by service`.
    #[arg(long = "by", value_name = "FIELD")]
    pub by: Vec<String>,
    /// A JSON field that may hold an error message with the status in it (dotted path);
    /// repeat for several [default: err.message, error.message, message, msg, error, err].
    #[arg(long = "message-field", value_name = "FIELD")]
    pub message_fields: Vec<String>,
    /// How to find the status in such a message: a regex whose first group is the status
    /// [default: the axios, fetch, requests and gateway phrasings].
    #[arg(long, value_name = "REGEX")]
    pub status_pattern: Option<String>,
}

fn threads(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if n > MAX_THREADS {
        return Err(format!("{n} is more than {MAX_THREADS} threads"));
    }
    Ok(n)
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    crate::facts::parse_time(s).ok_or_else(|| format!("`{s}` is not a time (use RFC 3339)"))
}

fn config(args: &LogsArgs) -> anyhow::Result<LogsConfig> {
    let mut fields = FieldNames::default();
    let mut latency_is_auth = false;
    for spec in &args.fields {
        let Some((field, name)) = spec.split_once('=') else {
            bail!("--field {spec}: use FIELD=NAME, e.g. status=code");
        };
        let slot = match field {
            "status" => &mut fields.status,
            "key" => &mut fields.key,
            "ip" => &mut fields.ip,
            "path" => &mut fields.path,
            "method" => &mut fields.method,
            "ts" => &mut fields.ts,
            "latency" => &mut fields.latency,
            "auth_latency" => {
                latency_is_auth = true;
                &mut fields.latency
            }
            "customer" => &mut fields.customer,
            other => bail!(
                "--field {spec}: unknown field `{other}` (status, key, ip, path, method, ts, \
                 latency, auth_latency, customer)"
            ),
        };
        *slot = name.to_string();
    }
    let bands: Vec<f64> = args
        .bands
        .split(',')
        .filter_map(|b| b.trim().parse().ok())
        .collect();
    let [a, b, c] = bands[..] else {
        bail!(
            "--bands {}: give three rates between 0 and 1, e.g. 0.5,0.7,0.9",
            args.bands
        );
    };
    if !(0.0 <= a && a <= b && b <= c && c <= 1.0) {
        bail!(
            "--bands {}: the three bounds must rise from 0 to 1",
            args.bands
        );
    }
    let mut service = ServiceConfig {
        by: args.by.clone(),
        ..ServiceConfig::default()
    };
    if !args.message_fields.is_empty() {
        service.message_fields = args.message_fields.clone();
    }
    if let Some(p) = &args.status_pattern {
        let re = regex::Regex::new(p).map_err(|e| anyhow::anyhow!("--status-pattern: {e}"))?;
        if re.captures_len() < 2 {
            bail!("--status-pattern {p}: put the status in a group, e.g. `code=(\\d{{3}})`");
        }
        service.pattern = re;
    }
    Ok(LogsConfig {
        service,
        fields,
        since: args.since,
        until: args.until,
        key: args.key.clone(),
        latency_is_auth,
        bands: [a, b, c],
        top: args.top,
        threads: args.threads,
        ..LogsConfig::default()
    })
}

pub fn run(args: LogsArgs) -> anyhow::Result<Exit> {
    let cfg = config(&args)?;
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    let report = triage_files(&files, &cfg);
    if args.json {
        let facts = report.facts();
        let out = JsonOut {
            report: &report,
            facts: facts.iter().map(|(n, v)| (*n, v)).collect(),
        };
        println!("{}", crate::escape::json(&out)?);
    } else {
        print!("{}", render(&report, &cfg));
    }
    for e in &report.errors {
        eprintln!("authdesk: {}", line(&e.to_string()));
    }
    Ok(if report.errors.is_empty() {
        Exit::Ok
    } else {
        Exit::Usage
    })
}

/// The report with the facts it sets, as `inspect --json` prints them.
#[derive(serde::Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    report: &'a LogsReport,
    facts: std::collections::BTreeMap<&'static str, &'a crate::facts::FactValue>,
}

fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

fn list(items: &[(String, u64)]) -> String {
    if items.is_empty() {
        return "-".into();
    }
    items
        .iter()
        .map(|(k, n)| format!("{} ({n})", line(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(r: &LogsReport, cfg: &LogsConfig) -> String {
    let mut o = String::new();
    totals(&mut o, r, cfg);
    failures(&mut o, r);
    groups(&mut o, r, cfg);
    malformed_and_facts(&mut o, r);
    o
}

/// What was read, and the rates the bands judge.
fn totals(o: &mut String, r: &LogsReport, cfg: &LogsConfig) {
    for f in &r.files {
        let _ = writeln!(o, "{}: {}", line(&f.path), f.format.label());
    }
    let _ = writeln!(
        o,
        "{} requests, {} malformed lines, {} left out by --since/--until/--key",
        r.requests, r.malformed, r.filtered
    );
    if let (Some(a), Some(b)) = (&r.first_ts, &r.last_ts) {
        let _ = writeln!(o, "from {} to {}", line(a), line(b));
    }
    let statuses: Vec<String> = r
        .by_status
        .iter()
        .map(|(s, n)| format!("{s}: {n}"))
        .collect();
    let _ = writeln!(o, "\nby status: {}", statuses.join(", "));
    let [a, b, c] = cfg.bands;
    let _ = writeln!(
        o,
        "401 rate {}  band: {}  (normal < {}, watch < {}, investigate < {}, critical above)",
        pct(r.rate_401),
        r.band_401.label(),
        pct(a),
        pct(b),
        pct(c)
    );
    let _ = writeln!(
        o,
        "403 rate {}   429 rate {}",
        pct(r.rate_403),
        pct(r.rate_429)
    );
}

/// Who fails, when, and how slowly.
fn failures(o: &mut String, r: &LogsReport) {
    for (status, f) in &r.failures {
        if f.count == 0 {
            continue;
        }
        let _ = writeln!(o, "\n{status} ({} requests)", f.count);
        let _ = writeln!(o, "  top keys:  {}", list(&f.top_keys));
        let _ = writeln!(o, "  top IPs:   {}", list(&f.top_ips));
        let _ = writeln!(o, "  top paths: {}", list(&f.top_paths));
    }
    let who = match r.keys_failing {
        0 => "none",
        1 => "one key: probably one customer's problem",
        _ => "several keys: look for a shared cause",
    };
    let _ = writeln!(o, "\nkeys failing (401/403): {} ({who})", r.keys_failing);
    if let Some(peak) = r.per_minute.iter().max_by_key(|m| m.failures) {
        let _ = writeln!(
            o,
            "failures per minute: {} minutes with failures, peak {} at {}",
            r.per_minute.len(),
            peak.failures,
            peak.minute
        );
    }
    let spikes: Vec<String> = r
        .per_minute
        .iter()
        .filter(|m| m.spike)
        .map(|m| format!("{} ({})", m.minute, m.failures))
        .collect();
    if !spikes.is_empty() {
        let shown = spikes
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            o,
            "spikes: {shown}{}",
            if spikes.len() > 10 { ", …" } else { "" }
        );
    }
    if let Some(l) = &r.latency_ms {
        let _ = writeln!(
            o,
            "{}: average {:.1} ms, p50 {} ms, p90 {} ms, p99 {} ms ({} requests)",
            if r.latency_is_auth {
                "auth latency"
            } else {
                "request latency (not auth)"
            },
            l.mean,
            l.p50,
            l.p90,
            l.p99,
            l.count
        );
    }
}

/// The `--by` groups, most failures first.
fn groups(o: &mut String, r: &LogsReport, cfg: &LogsConfig) {
    if !r.groups.is_empty() {
        let _ = writeln!(
            o,
            "\nby {} (most failures first):",
            line(&cfg.service.by.join(", "))
        );
        for g in &r.groups {
            let _ = writeln!(
                o,
                "  {:<40} {:>8} requests  401: {:<6} 403: {:<6} 429: {}",
                line(&g.values.join(" / ")),
                g.requests,
                g.status_401,
                g.status_403,
                g.status_429
            );
        }
    }
}

fn malformed_and_facts(o: &mut String, r: &LogsReport) {
    if !r.malformed_samples.is_empty() {
        let _ = writeln!(
            o,
            "\nmalformed lines (first {}):",
            r.malformed_samples.len()
        );
        for s in &r.malformed_samples {
            let _ = writeln!(o, "  {}:{}: {}", line(&s.file), s.line, line(&s.text));
        }
    }
    let facts = r.facts();
    let _ = writeln!(o, "\nfacts:");
    for (name, value) in &facts {
        let _ = writeln!(o, "  {name:<26} {}", line(&value.to_string()));
    }
}
