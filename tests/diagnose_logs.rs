//! End-to-end: `authdesk logs` on the fixture logs (JSON lines, gzip combined, uvicorn),
//! through the real binary.

mod common;

use common::{Sandbox, strs};
use std::path::PathBuf;

const CANARY_KEY: &str = "sk_live_CANARY0123456789canary0123456789";

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnose/logs")
        .join(name)
        .display()
        .to_string()
}

fn logs(args: &[&str], stdin: Option<Vec<u8>>) -> (i32, String, String) {
    let sb = Sandbox::new();
    let mut cmd = sb.cmd();
    cmd.arg("logs").args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = sb.run_cmd(&mut cmd);
    let (o, e) = (out.stdout, out.stderr);
    for text in [&o, &e] {
        assert!(
            !text.contains(CANARY_KEY) && !text.contains("0123456789canary"),
            "canary leaked: {text}"
        );
    }
    (out.code, o, e)
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out, err) = logs(&all, None);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn three_formats_in_one_run() {
    let j = json(&[
        &fixture("gateway.jsonl"),
        &fixture("nginx-combined.log.gz"),
        &fixture("uvicorn.log"),
    ]);
    let formats = strs(&j["files"], "format");
    assert_eq!(formats, ["json_lines", "clf", "uvicorn"]);
    assert_eq!(j["requests"], 151);
    assert_eq!(j["malformed"], 5);
    assert_eq!(j["by_status"]["401"], 71);
    assert_eq!(
        j["failures"]["401"]["top_keys"][0],
        serde_json::json!(["key_initech", 30])
    );
    assert_eq!(
        j["failures"]["403"]["top_paths"][0],
        serde_json::json!(["/v2/customers/{id}/keys", 10])
    );
    assert_eq!(j["malformed_samples"][1]["line"], 31);
    let spikes: Vec<&str> = j["per_minute"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["spike"] == true)
        .map(|m| m["minute"].as_str().unwrap())
        .collect();
    assert_eq!(
        spikes,
        [
            "2026-11-22T10:00Z",
            "2026-11-22T10:03Z",
            "2026-11-22T10:07Z"
        ]
    );
}

#[test]
fn text_report_shows_band_spike_and_facts() {
    let (code, out, _) = logs(&[&fixture("gateway.jsonl")], None);
    assert_eq!(code, 0);
    assert!(out.contains("band: watch"), "{out}");
    assert!(out.contains("peak 30 at 2026-11-22T10:07Z"), "{out}");
    assert!(out.contains("logs.keys_failing"), "{out}");
    assert!(
        out.contains("gateway.jsonl:21: DEBUG dumped header X-API-Key: sk_live_CANA…6789"),
        "{out}"
    );
}

#[test]
fn filters_by_time_and_key() {
    let j = json(&[
        "--since",
        "2026-11-22T10:07:00Z",
        "--until",
        "2026-11-22T10:08:00Z",
        &fixture("gateway.jsonl"),
    ]);
    assert_eq!(j["requests"], 30);
    assert_eq!(j["rate_401"], 1.0);
    assert_eq!(j["band_401"], "critical");
    let j = json(&["--key", "key_acme", &fixture("gateway.jsonl")]);
    assert_eq!(j["requests"], 30);
    assert_eq!(j["keys_failing"], 1);
}

#[test]
fn custom_fields_and_bands() {
    let input = b"{\"code\":401,\"api_key\":\"k1\",\"at\":\"2026-11-22T10:00:00Z\"}\n{\"code\":200,\"api_key\":\"k1\",\"at\":\"2026-11-22T10:00:01Z\"}\n".to_vec();
    let (code, out, err) = logs(
        &[
            "--json",
            "--field",
            "status=code",
            "--field",
            "key=api_key",
            "--field",
            "ts=at",
            "--bands",
            "0.2,0.3,0.4",
        ],
        Some(input),
    );
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["requests"], 2);
    assert_eq!(j["band_401"], "critical");
    assert_eq!(j["failures"]["401"]["top_keys"][0][0], "k1");
    let (code, _, err) = logs(&["--field", "colour=red"], Some(Vec::new()));
    assert_eq!(code, 2);
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn stdin_is_read_when_no_file_is_given() {
    let input = std::fs::read(fixture("uvicorn.log")).unwrap();
    let (code, out, _) = logs(&["--json"], Some(input));
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["files"][0]["path"], "-");
    assert_eq!(j["rate_401"], 0.5);
}

#[test]
fn unreadable_file_exits_2_but_reports_the_rest() {
    let (code, out, err) = logs(
        &[&fixture("gateway.jsonl"), "/nonexistent/access.log"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/access.log, line 0"), "{err}");
    assert!(out.contains("91 requests"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.log.gz");
    let gz = std::fs::read(fixture("nginx-combined.log.gz")).unwrap();
    std::fs::write(&cut, &gz[..gz.len() - 20]).unwrap();
    let (code, _, err) = logs(&[cut.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(err.contains("cut.log.gz, line "), "{err}");
}

#[test]
fn json_output_carries_the_facts_and_none_when_nothing_parsed() {
    let j = json(&[&fixture("uvicorn.log")]);
    assert_eq!(j["facts"]["logs.rate_401"]["value"], 0.5);
    assert_eq!(j["facts"]["logs.band_401"]["value"], "watch");
    let (code, out, _) = logs(
        &["--json"],
        Some(b"not a log line\n{\"status\":\n".to_vec()),
    );
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (j["malformed"].as_u64(), &j["facts"]),
        (Some(2), &serde_json::json!({}))
    );
}

#[test]
fn dotted_field_names_read_nested_ecs_lines() {
    let line = r#"{"@timestamp":"2026-11-22T10:00:00Z","http":{"request":{"method":"GET"},"response":{"status_code":401}},"url":{"path":"/v1/orders/7"},"user":{"id":"key_7"},"error":{"message":"API key expired"}}"#;
    let input = format!("{line}\n{}\n", line.replace("401", "200"));
    let (code, out, err) = logs(
        &[
            "--json",
            "--field",
            "status=http.response.status_code",
            "--field",
            "path=url.path",
            "--field",
            "key=user.id",
            "--field",
            "ts=@timestamp",
        ],
        Some(input.into_bytes()),
    );
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (j["requests"].as_u64(), j["malformed"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(j["failures"]["401"]["top_paths"][0][0], "/v1/orders/{id}");
    assert_eq!(j["failures"]["401"]["top_keys"][0][0], "key_7");
}

#[test]
fn threads_above_the_cap_are_an_input_error() {
    let (code, out, err) = logs(&["--threads", "100000", &fixture("uvicorn.log")], None);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("more than 256 threads"), "{err}");
    let (code, _, err) = logs(&["--threads", "256", &fixture("uvicorn.log")], None);
    assert_eq!(code, 0, "{err}");
}

/// The app-session investigation's log: the status lives only in axios's error message.
#[test]
fn service_log_statuses_come_from_messages_and_group_by_any_field() {
    let log = fixture("app-session.jsonl");
    let args = [
        &log, "--json", "--field", "ts=time", "--by", "app", "--by", "userId", "--by", "service",
    ];
    let (code, stdout, stderr) = logs(&args, None);
    assert_eq!(code, 0, "{stderr}");
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["requests"], 3, "{stdout}");
    assert_eq!(r["by_status"]["401"], 2);
    assert_eq!(
        r["groups"][0]["values"],
        serde_json::json!(["ios", "u_1842", "app-session"])
    );
    assert_eq!(r["groups"][0]["status_401"], 1);
    assert_eq!(r["groups"][0]["status_403"], 1);
    assert_eq!(r["groups"][1]["values"][0], "android");
    // A pattern of one's own replaces the built-in phrasings.
    let (_, stdout, _) = logs(
        &[&log, "--json", "--status-pattern", "no (\\d{3}) here"],
        None,
    );
    let r: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["requests"], 0, "{stdout}");
    let (code, _, _) = logs(&[&log, "--status-pattern", "\\d{3}"], None);
    assert_eq!(code, 2, "a pattern without a group is refused");
}
