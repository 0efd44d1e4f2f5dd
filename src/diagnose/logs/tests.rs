//! Triage behaviour on small logs, including that chunking and threads never change a result.

use super::*;
use crate::facts::FactValue;
use crate::triage::triage_reader;
use std::io::Write;

fn line(ts: &str, status: u16, key: &str, path: &str, latency: u32) -> String {
    format!(
        "{{\"ts\":\"{ts}\",\"method\":\"GET\",\"path\":\"{path}\",\"status\":{status},\"key_id\":\"{key}\",\"ip\":\"203.0.113.{}\",\"latency_ms\":{latency}}}\n",
        latency % 7
    )
}

fn sample_log() -> String {
    let mut s = String::new();
    for i in 0..100 {
        let status = if i % 4 == 0 { 401 } else { 200 };
        s += &line(
            &format!("2026-11-22T10:{:02}:00Z", i % 5),
            status,
            &format!("key_{}", i % 3),
            &format!("/v1/orders/{i}"),
            i,
        );
    }
    // A burst of 403s in one minute, and some junk.
    for i in 0..40 {
        s += &line("2026-11-22T10:09:30Z", 403, "key_9", "/v1/admin", 5 + i);
    }
    s += "not json at all\n\n{\"status\":\n";
    s
}

fn run(text: &str, cfg: &LogsConfig) -> LogsReport {
    triage_reader(text.as_bytes(), "test.log", cfg).unwrap()
}

fn comparable(r: &LogsReport) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn counts_rates_tops_and_latency() {
    let r = run(&sample_log(), &LogsConfig::default());
    assert_eq!(r.requests, 140);
    assert_eq!(r.malformed, 2);
    assert_eq!(r.by_status[&401], 25);
    assert_eq!(r.rate_401, 25.0 / 140.0);
    assert_eq!(r.band_401, Band::Normal);
    let f401 = &r.failures[&401];
    assert_eq!(f401.top_paths, [("/v1/orders/{id}".to_string(), 25)]);
    assert_eq!(f401.top_keys[0], ("key_0".to_string(), 9));
    assert_eq!(r.keys_failing, 4);
    let l = r.latency_ms.as_ref().unwrap();
    assert_eq!((l.count, l.p50, l.p90, l.p99), (140, 37, 85, 98));
}

#[test]
fn burst_minute_is_a_spike() {
    let r = run(&sample_log(), &LogsConfig::default());
    let spikes: Vec<&str> = r
        .per_minute
        .iter()
        .filter(|m| m.spike)
        .map(|m| m.minute.as_str())
        .collect();
    assert_eq!(spikes, ["2026-11-22T10:09Z"]);
    assert!(r.facts().contains(&("logs.spike", FactValue::Bool(true))));
}

#[test]
fn malformed_lines_are_sampled_with_their_line_numbers() {
    let r = run(&sample_log(), &LogsConfig::default());
    let where_: Vec<(u64, &str)> = r
        .malformed_samples
        .iter()
        .map(|s| (s.line, s.text.as_str()))
        .collect();
    assert_eq!(where_, [(141, "not json at all"), (143, "{\"status\":")]);
}

#[test]
fn chunk_size_and_threads_never_change_the_result() {
    let log = sample_log();
    let whole = comparable(&run(
        &log,
        &LogsConfig {
            threads: 1,
            ..LogsConfig::default()
        },
    ));
    for chunk_size in [1, 7, 64, 333, 4096] {
        for threads in [1, 2, 3] {
            let cfg = LogsConfig {
                chunk_size,
                threads,
                ..LogsConfig::default()
            };
            assert_eq!(
                comparable(&run(&log, &cfg)),
                whole,
                "chunk {chunk_size}, threads {threads}"
            );
        }
    }
}

#[test]
fn gzip_is_read_transparently() {
    let log = sample_log();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(log.as_bytes()).unwrap();
    let packed = gz.finish().unwrap();
    let r = triage_reader(packed.as_slice(), "test.log.gz", &LogsConfig::default()).unwrap();
    assert_eq!(
        comparable(&r),
        comparable(&run(&log, &LogsConfig::default())).replace("test.log\"", "test.log.gz\"")
    );
}

#[test]
fn corrupt_gzip_names_the_line_reached() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(sample_log().as_bytes()).unwrap();
    let mut packed = gz.finish().unwrap();
    let n = packed.len();
    packed.truncate(n - 12);
    let err = triage_reader(packed.as_slice(), "cut.log.gz", &LogsConfig::default()).unwrap_err();
    assert!(err.to_string().starts_with("cut.log.gz, line "), "{err}");
}

#[test]
fn since_until_and_key_filter() {
    let cfg = LogsConfig {
        since: Some("2026-11-22T10:01:00Z".parse().unwrap()),
        until: Some("2026-11-22T10:03:00Z".parse().unwrap()),
        ..LogsConfig::default()
    };
    let r = run(&sample_log(), &cfg);
    assert_eq!(r.requests, 40);
    assert_eq!(r.filtered, 100);
    let r = run(
        &sample_log(),
        &LogsConfig {
            key: Some("key_9".into()),
            ..LogsConfig::default()
        },
    );
    assert_eq!((r.requests, r.rate_403), (40, 1.0));
    assert_eq!(r.band_401, Band::Normal);
}

#[test]
fn bands_follow_the_configured_bounds() {
    let log: String = (0..10)
        .map(|i| {
            line(
                "2026-11-22T10:00:00Z",
                if i < 8 { 401 } else { 200 },
                "k",
                "/",
                1,
            )
        })
        .collect();
    assert_eq!(
        run(&log, &LogsConfig::default()).band_401,
        Band::Investigate
    );
    let cfg = LogsConfig {
        bands: [0.9, 0.95, 0.99],
        ..LogsConfig::default()
    };
    assert_eq!(run(&log, &cfg).band_401, Band::Normal);
    let all: String = (0..10)
        .map(|_| line("2026-11-22T10:00:00Z", 401, "k", "/", 1))
        .collect();
    assert_eq!(run(&all, &LogsConfig::default()).band_401, Band::Critical);
}

#[test]
fn secrets_logged_as_keys_are_masked() {
    let key = "sk_live_CANARY0123456789canary0123456789";
    let log = line("2026-11-22T10:00:00Z", 401, key, "/", 1) + &format!("broken {key}\n");
    let json = comparable(&run(&log, &LogsConfig::default()));
    assert!(!json.contains(key), "{json}");
    assert!(json.contains("sk_live_CANA…6789"), "{json}");
}

#[test]
fn empty_input_is_a_quiet_report() {
    let r = run("", &LogsConfig::default());
    assert_eq!((r.requests, r.rate_401, r.band_401), (0, 0.0, Band::Normal));
    assert!(r.latency_ms.is_none());
}

#[test]
fn nothing_parsed_sets_no_facts() {
    let r = run("not json\n{\"status\":\n", &LogsConfig::default());
    assert_eq!((r.requests, r.malformed), (0, 2));
    assert_eq!(r.facts(), []);
    assert!(
        !run(&sample_log(), &LogsConfig::default())
            .facts()
            .is_empty()
    );
}

/// A line `len` bytes long, of JSON that never closes, as a runaway logger writes.
fn runaway(len: usize) -> String {
    let mut s = String::from("{\"status\":401,\"msg\":\"");
    s.extend(std::iter::repeat_n('x', len - s.len()));
    s
}

#[test]
fn a_line_over_the_cap_counts_as_one_malformed_line() {
    let ok = line("2026-11-22T10:00:00Z", 401, "k", "/", 1);
    let long = runaway(3 * chunks::MAX_LINE);
    // Between lines, at the end without a line break, and as long as a chunk allows.
    for log in [
        format!("{ok}{long}\n{ok}"),
        format!("{ok}{ok}{long}"),
        format!("{ok}{}\n{ok}", runaway(chunks::MAX_LINE + 1)),
    ] {
        for chunk_size in [1000, 1 << 16, 4 << 20] {
            let cfg = LogsConfig {
                chunk_size,
                ..LogsConfig::default()
            };
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(log.as_bytes()).unwrap();
            let packed = gz.finish().unwrap();
            for r in [
                run(&log, &cfg),
                triage_reader(packed.as_slice(), "t.gz", &cfg).unwrap(),
            ] {
                assert_eq!(
                    (r.lines, r.requests, r.malformed),
                    (3, 2, 1),
                    "chunk {chunk_size}"
                );
                assert!(
                    r.malformed_samples[0]
                        .text
                        .starts_with("{\"status\":401,\"msg\":\"xxx")
                );
            }
        }
    }
}

#[test]
fn a_ten_mib_line_takes_time_linear_in_its_length() {
    const SIZE: usize = 10 << 20;
    let one_line = runaway(SIZE);
    let ok = line("2026-11-22T10:00:00Z", 401, "k", "/", 1);
    let short_lines = ok.repeat(SIZE / ok.len());
    // The best of three runs each, so a busy machine skews neither side much.
    let time = |log: &str| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let r = run(log, &LogsConfig::default());
                (start.elapsed(), r.lines)
            })
            .min()
            .unwrap()
    };
    let (long, lines) = time(&one_line);
    let (short, _) = time(&short_lines);
    assert_eq!(lines, 1);
    // Parsing short lines does far more work per byte than skipping a cut line; quadratic
    // handling of the long line took minutes.
    assert!(long < short * 2, "one line {long:?}, short lines {short:?}");
}

fn fact<'a>(facts: &'a [(&'static str, FactValue)], name: &str) -> Option<&'a FactValue> {
    facts.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
}

#[test]
fn request_latency_is_no_auth_latency() {
    let r = run(&sample_log(), &LogsConfig::default());
    assert!(
        r.latency_ms.is_some(),
        "the report still shows request latency"
    );
    let facts = r.facts();
    assert_eq!(fact(&facts, "logs.auth_latency_avg_ms"), None);
    assert_eq!(fact(&facts, "logs.auth_latency_p99_ms"), None);
}

#[test]
fn an_auth_latency_field_gives_the_average_the_runbook_monitors() {
    let mut log = String::new();
    for ms in [20, 40, 60, 480] {
        log += &format!("{{\"status\":200,\"key_id\":\"k\",\"auth_ms\":{ms}}}\n");
    }
    let mut cfg = LogsConfig {
        latency_is_auth: true,
        ..LogsConfig::default()
    };
    cfg.fields.latency = "auth_ms".into();
    let facts = run(&log, &cfg).facts();
    assert_eq!(
        fact(&facts, "logs.auth_latency_avg_ms"),
        Some(&FactValue::Number(150.0))
    );
}

#[test]
fn several_customers_are_counted_as_customers_not_keys() {
    // One customer's fleet: twelve keys, one customer, from many addresses.
    let mut log = String::new();
    for i in 0..12 {
        log += &format!(
            "{{\"status\":401,\"key_id\":\"key_{i}\",\"customer_id\":\"cus_7\",\"ip\":\"10.0.0.{i}\"}}\n"
        );
    }
    let facts = run(&log, &LogsConfig::default()).facts();
    assert_eq!(
        fact(&facts, "logs.keys_failing"),
        Some(&FactValue::Number(12.0))
    );
    assert_eq!(
        fact(&facts, "logs.customers_failing"),
        Some(&FactValue::Number(1.0))
    );
    assert_eq!(
        fact(&facts, "logs.ips_failing"),
        Some(&FactValue::Number(12.0))
    );
    // Without a customer field, how many customers failed is unknown.
    let facts = run(&sample_log(), &LogsConfig::default()).facts();
    assert_eq!(fact(&facts, "logs.customers_failing"), None);
}
