//! The finished triage: rates, the 401 band, top keys/IPs/paths per failure status, failures
//! per minute with spikes, latency percentiles, malformed-line samples; and its facts.

use super::stats::{FAILURE_STATUSES, Stats};
use super::{FileSummary, LogsConfig};
use crate::diagnose::DiagnoseError;
use crate::diagnose::redact::redact;
use crate::facts::{FactValue, name};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The band of the 401 rate, as support teams read it for an endpoint that validates every
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Normal,
    Watch,
    /// Clients are probably not sending credentials.
    Investigate,
    Critical,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Normal => "normal",
            Band::Watch => "watch",
            Band::Investigate => "investigate",
            Band::Critical => "critical",
        }
    }

    fn of(rate: f64, bounds: [f64; 3]) -> Band {
        if rate < bounds[0] {
            Band::Normal
        } else if rate < bounds[1] {
            Band::Watch
        } else if rate < bounds[2] {
            Band::Investigate
        } else {
            Band::Critical
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FailureReport {
    pub count: u64,
    pub top_keys: Vec<(String, u64)>,
    pub top_ips: Vec<(String, u64)>,
    pub top_paths: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Minute {
    /// `2026-11-22T10:07Z`
    pub minute: String,
    pub failures: u64,
    pub spike: bool,
}

/// Whole-millisecond percentiles.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub count: u64,
    /// Over whole milliseconds, like the percentiles.
    pub mean: f64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MalformedLine {
    pub file: String,
    pub line: u64,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct LogsReport {
    pub files: Vec<FileSummary>,
    /// Non-blank lines read.
    pub lines: u64,
    /// Requests counted: parsed, inside `--since/--until`, made with `--key`.
    pub requests: u64,
    pub malformed: u64,
    /// Parsed but left out by `--since`, `--until` or `--key`.
    pub filtered: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub rate_401: f64,
    pub rate_403: f64,
    pub rate_429: f64,
    pub band_401: Band,
    pub failures: BTreeMap<u16, FailureReport>,
    /// Distinct keys with a 401 or 403.
    pub keys_failing: u64,
    /// Distinct customers with a 401 or 403, when the logs name them.
    pub customers_failing: u64,
    /// Distinct client addresses with a 401 or 403.
    pub ips_failing: u64,
    /// Whether the latencies are authentication latency (see [`LogsConfig::latency_is_auth`]).
    pub latency_is_auth: bool,
    /// Minutes with at least one 401, 403 or 429.
    pub per_minute: Vec<Minute>,
    pub spike: bool,
    pub latency_ms: Option<Latency>,
    pub first_ts: Option<String>,
    pub last_ts: Option<String>,
    pub malformed_samples: Vec<MalformedLine>,
    /// Requests per `--by` group, most failures first (at most `--top`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    pub unreadable: Vec<String>,
    #[serde(skip)]
    pub errors: Vec<DiagnoseError>,
}

/// One `--by` group: the values of the grouped fields, in `--by` order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Group {
    pub values: Vec<String>,
    pub requests: u64,
    pub failures: u64,
    pub status_401: u64,
    pub status_403: u64,
    pub status_429: u64,
}

/// A minute is a spike when it has at least this many failures...
const SPIKE_MIN: u64 = 10;
/// ...and more than this many times the median of the minutes with failures.
const SPIKE_FACTOR: u64 = 3;

/// `names` holds every input's name by position, readable or not, for sample locations.
pub fn build(
    stats: Stats,
    files: Vec<FileSummary>,
    names: &[String],
    errors: Vec<DiagnoseError>,
    cfg: &LogsConfig,
) -> LogsReport {
    let rate = |status: u16| {
        if stats.requests == 0 {
            0.0
        } else {
            stats.by_status[usize::from(status)] as f64 / stats.requests as f64
        }
    };
    let (rate_401, rate_403, rate_429) = (rate(401), rate(403), rate(429));
    let mut failing: Vec<&str> = stats.failures[..2]
        .iter()
        .flat_map(|t| t.keys.keys().map(|k| &**k))
        .collect();
    failing.sort_unstable();
    failing.dedup();
    let distinct = |pick: fn(&super::stats::FailureTally) -> &super::stats::Counts| {
        let mut all: Vec<&str> = stats.failures[..2]
            .iter()
            .flat_map(|t| pick(t).keys().map(|k| &**k))
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len() as u64
    };
    let customers_failing = distinct(|t| &t.customers);
    let ips_failing = distinct(|t| &t.ips);
    let failures = FAILURE_STATUSES
        .iter()
        .zip(&stats.failures)
        .map(|(status, t)| {
            (
                *status,
                FailureReport {
                    count: t.count,
                    top_keys: top(&t.keys, cfg.top, true),
                    top_ips: top(&t.ips, cfg.top, false),
                    top_paths: top(&t.paths, cfg.top, false),
                },
            )
        })
        .collect();
    let per_minute = minutes(&stats);
    let samples = malformed_samples(&stats, names);
    let groups = groups(&stats, cfg.top);
    LogsReport {
        lines: stats.lines,
        requests: stats.requests,
        malformed: stats.malformed,
        filtered: stats.filtered,
        by_status: (0u16..1000)
            .filter(|s| stats.by_status[usize::from(*s)] > 0)
            .map(|s| (s, stats.by_status[usize::from(s)]))
            .collect(),
        rate_401,
        rate_403,
        rate_429,
        band_401: Band::of(rate_401, cfg.bands),
        failures,
        keys_failing: failing.len() as u64,
        customers_failing,
        ips_failing,
        latency_is_auth: cfg.latency_is_auth,
        spike: per_minute.iter().any(|m| m.spike),
        per_minute,
        latency_ms: latency(&stats.latency),
        first_ts: stats.first_ts.map(format_ts),
        last_ts: stats.last_ts.map(format_ts),
        malformed_samples: samples,
        groups,
        unreadable: errors.iter().map(ToString::to_string).collect(),
        errors,
        files,
    }
}

/// The `n` groups with the most failures, ties by requests, then by values. Values are
/// redacted: a grouped field may hold a key.
fn groups(stats: &Stats, n: usize) -> Vec<Group> {
    let mut v: Vec<Group> = stats
        .groups
        .iter()
        .map(|(values, t)| Group {
            values: values.iter().map(|x| redact(x).into_owned()).collect(),
            requests: t.requests,
            failures: t.failures.iter().sum(),
            status_401: t.failures[0],
            status_403: t.failures[1],
            status_429: t.failures[2],
        })
        .collect();
    v.sort_unstable_by(|a, b| {
        (b.failures, b.requests)
            .cmp(&(a.failures, a.requests))
            .then_with(|| a.values.cmp(&b.values))
    });
    v.truncate(n);
    v
}

/// The `n` largest counts, ties broken by name so the output is stable. Keys are redacted:
/// some gateways log the key itself rather than its id.
fn top(
    map: &HashMap<Box<str>, u64, impl std::hash::BuildHasher>,
    n: usize,
    redacted: bool,
) -> Vec<(String, u64)> {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, c)| (&**k, *c)).collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(n);
    v.into_iter()
        .map(|(k, c)| {
            (
                if redacted {
                    redact(k).into_owned()
                } else {
                    k.to_string()
                },
                c,
            )
        })
        .collect()
}

fn minutes(stats: &Stats) -> Vec<Minute> {
    let mut mins: Vec<(i64, u64)> = stats.per_minute.iter().map(|(m, c)| (*m, *c)).collect();
    mins.sort_unstable();
    let mut counts: Vec<u64> = mins.iter().map(|m| m.1).collect();
    counts.sort_unstable();
    let median = counts
        .get(counts.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(0);
    mins.into_iter()
        .map(|(m, c)| Minute {
            minute: chrono::DateTime::from_timestamp(m * 60, 0)
                .map(|t| t.format("%Y-%m-%dT%H:%MZ").to_string())
                .unwrap_or_default(),
            failures: c,
            spike: c >= SPIKE_MIN && c > SPIKE_FACTOR * median,
        })
        .collect()
}

fn latency(hist: &[u64]) -> Option<Latency> {
    let count: u64 = hist.iter().sum();
    if count == 0 {
        return None;
    }
    // Nearest rank, in integers so the reference script gets the same ranks.
    let at = |pct: u64| {
        let rank = (count * pct).div_ceil(100).max(1);
        let mut seen = 0;
        hist.iter()
            .position(|n| {
                seen += n;
                seen >= rank
            })
            .unwrap_or(hist.len() - 1) as u64
    };
    let total: u64 = hist.iter().enumerate().map(|(ms, n)| ms as u64 * n).sum();
    Some(Latency {
        count,
        mean: total as f64 / count as f64,
        p50: at(50),
        p90: at(90),
        p99: at(99),
    })
}

fn malformed_samples(stats: &Stats, names: &[String]) -> Vec<MalformedLine> {
    // Lines before a chunk = lines in the earlier chunks of the same file.
    let mut chunks = stats.chunk_lines.clone();
    chunks.sort_unstable();
    stats
        .samples
        .iter()
        .map(|s| {
            let before: u64 = chunks
                .iter()
                .filter(|c| c.0 == s.file && c.1 < s.chunk)
                .map(|c| c.2)
                .sum();
            MalformedLine {
                file: names.get(s.file).cloned().unwrap_or_default(),
                line: before + s.line_in_chunk,
                text: s.text.clone(),
            }
        })
        .collect()
}

fn format_ts(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

impl LogsReport {
    /// The facts the logs establish; none when no line was counted, since rates of nothing
    /// would read as "no failures".
    pub fn facts(&self) -> Vec<(&'static str, FactValue)> {
        if self.requests == 0 {
            return Vec::new();
        }
        let mut facts = vec![
            (name::LOGS_RATE_401, FactValue::Number(self.rate_401)),
            (name::LOGS_RATE_403, FactValue::Number(self.rate_403)),
            (name::LOGS_RATE_429, FactValue::Number(self.rate_429)),
            (
                name::LOGS_BAND_401,
                FactValue::Text(self.band_401.label().into()),
            ),
            (
                name::LOGS_KEYS_FAILING,
                FactValue::Number(self.keys_failing as f64),
            ),
            (name::LOGS_SPIKE, FactValue::Bool(self.spike)),
            (
                name::LOGS_IPS_FAILING,
                FactValue::Number(self.ips_failing as f64),
            ),
        ];
        // No customer field in the logs is "unknown", not "no customers".
        if self.customers_failing > 0 {
            let n = FactValue::Number(self.customers_failing as f64);
            facts.push((name::LOGS_CUSTOMERS_FAILING, n));
        }
        if let Some(l) = self.latency_ms.as_ref().filter(|_| self.latency_is_auth) {
            facts.push((
                name::LOGS_AUTH_LATENCY_P99_MS,
                FactValue::Number(l.p99 as f64),
            ));
            facts.push((name::LOGS_AUTH_LATENCY_AVG_MS, FactValue::Number(l.mean)));
        }
        facts
    }
}
