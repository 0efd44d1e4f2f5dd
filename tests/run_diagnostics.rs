//! Walks decided by what the customer pasted: a request, a JWT, an access log. The checks
//! decide from the diagnostics' facts without asking, and the secrets in the pastes stay masked.

mod common;
use common::{Sandbox, strs};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/diagnose/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run_json(sb: &Sandbox, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["run", "--offline", "--format", "json"];
    all.extend(args);
    let out = sb.run(&all);
    let value = serde_json::from_str(&out.stdout).unwrap_or(serde_json::Value::Null);
    assert!(
        !out.stdout.contains("CANARY") && !out.stderr.contains("CANARY"),
        "a pasted secret leaked:\n{}",
        out.stdout
    );
    (out.code, value, out.stderr)
}

fn step<'a>(ticket: &'a serde_json::Value, node: &str) -> &'a serde_json::Value {
    ticket["path"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["node"] == node)
        .unwrap_or_else(|| panic!("no step {node} in {ticket:#}"))
}

#[test]
fn pasted_curl_with_bearer_decides_bad_header_format_without_asking() {
    let sb = Sandbox::new();
    let request = fixture("request-bearer.curl");
    let (code, t, err) = run_json(
        &sb,
        &[
            "401",
            "--answer",
            "ask-wider-incident=just-this-customer",
            "--request",
            &request,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(t["outcome"]["id"], "bad-header-format");
    let decided = step(&t, "request-credential");
    assert_eq!(decided["decided_by"], "check");
    let fact = &decided["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "request.header_problem")
        .unwrap();
    assert_eq!(fact["source"], "diagnostics");
    assert!(
        fact["evidence"]
            .as_str()
            .unwrap()
            .ends_with("request-bearer.curl")
    );
    for (_, text) in sb.all_files() {
        assert!(!text.contains("CANARY"), "a pasted secret was written");
    }
}

#[test]
fn pasted_expired_jwt_decides_token_expired() {
    let sb = Sandbox::new();
    let jwt = fixture("jwt-expired.txt");
    let answers = [
        "--answer",
        "ask-wider-incident=just-this-customer",
        "--answer",
        "ask-credential-sent=looks-right",
        "--answer",
        "ask-key-status=active",
    ];
    let mut args = vec!["401", "--jwt", &jwt];
    args.extend(answers);
    let (code, t, err) = run_json(&sb, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(t["outcome"]["id"], "token-expired");
    assert_eq!(step(&t, "jwt-times")["decided_by"], "check");
    assert!(
        t["summary"].as_str().unwrap().contains("s past expiry"),
        "{}",
        t["summary"]
    );
}

#[test]
fn access_log_with_several_failing_customers_escalates_once_the_key_is_ruled_out() {
    let sb = Sandbox::new();
    let log = fixture("logs/gateway-customers.jsonl");
    let args = [
        "401",
        "--log",
        &log,
        "--answer",
        "ask-wider-incident=just-this-customer",
        "--answer",
        "ask-key-status=active",
    ];
    let (code, t, err) = run_json(&sb, &args);
    assert_eq!(code, 10, "{err}");
    assert_eq!(t["outcome"]["id"], "escalate-multi-customer");
    let criteria = strs(&t["criteria_matched"], "id");
    assert_eq!(criteria, ["multi-customer-logs"]);
    assert_eq!(step(&t, "platform-signals")["decided_by"], "check");
}

#[test]
fn many_failing_keys_without_customers_are_not_several_customers() {
    // Four keys fail, but the log names no customers: they may all be one customer's.
    let sb = Sandbox::new();
    let log = fixture("logs/gateway.jsonl");
    let args = [
        "401",
        "--log",
        &log,
        "--answer",
        "ask-wider-incident=just-this-customer",
        "--answer",
        "ask-key-status=active",
    ];
    let (code, asked, err) = run_json(&sb, &args);
    assert_eq!(code, 3, "asks instead of escalating: {err}");
    assert_eq!(asked["node"], "ask-credential-sent", "{asked}");
}

#[test]
fn an_unreadable_paste_exits_2_naming_it() {
    let sb = Sandbox::new();
    // A garbled token is a finding (token-invalid); text with no token at all is unreadable.
    let bad = fixture("not-a-request.txt");
    let (code, _, err) = run_json(&sb, &["401", "--jwt", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("not-a-request.txt"), "{err}");
    let (code, _, err) = run_json(&sb, &["401", "--request", "/nonexistent/req.curl"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/req.curl"), "{err}");
}

#[test]
fn a_log_with_no_request_in_it_says_so_instead_of_a_normal_rate() {
    let sb = Sandbox::new();
    // Real files that are not access logs: a manifest and a few syslog lines.
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let syslog = sb.write(
        "syslog",
        "Nov 22 10:00:01 host CRON[4242]: (root) CMD (run-parts /etc/cron.hourly)\n\
         Nov 22 10:00:02 host kernel: [12.345] eth0: link up\n",
    );
    for log in [manifest, syslog.to_str().unwrap()] {
        let (code, t, err) = run_json(&sb, &["403", "--log", log]);
        assert_eq!(code, 2, "{log}: {t:#}\n{err}");
        assert!(err.contains("no request found"), "{log}: {err}");
        assert!(!err.contains("normal"), "{log}: {err}");
        assert!(sb.tickets().is_empty(), "{log}: no ticket from no evidence");
    }
}
