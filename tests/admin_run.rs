//! `authdesk run` end to end with the built-in demo admin API: demo keys alone reach every
//! outcome of both trees (answers only where no evidence can decide), and a faulty admin API
//! degrades to the needs-an-answer exit code naming the failure.

mod common;

use common::{DemoApiProcess, Sandbox};
use serde_json::Value;

/// `authdesk run` in a sandbox: no configuration, so the built-in demo API answers unless
/// the test names an admin API.
struct Desk {
    sb: Sandbox,
}

impl Desk {
    fn new() -> Self {
        let sb = Sandbox::new();
        std::fs::write(sb.path().join("authdesk.toml"), "").unwrap();
        Self { sb }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
        let mut run = vec!["run"];
        run.extend(args);
        run.extend(["--format", "json"]);
        self.command(&run, env)
    }

    /// Any subcommand, with the sandbox's `authdesk.toml`: (exit code, stdout as JSON or
    /// null, stdout and stderr).
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
        let mut cmd = self.sb.cmd();
        cmd.arg("--config")
            .arg(self.sb.path().join("authdesk.toml"))
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = self.sb.run_cmd(&mut cmd);
        let json = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
        (out.code, json, format!("{}{}", out.stdout, out.stderr))
    }
}

/// (runbook, key, answers, outcome). Answers only where evidence cannot decide: the token's
/// timing without a JWT, and "nothing else explains it" before escalating as unexplained.
const CASES: &[(&str, &str, &[&str], &str)] = &[
    ("401", "key_nocreds", &[], "missing-credentials"),
    ("401", "key_badheader", &[], "bad-header-format"),
    ("401", "key_typo", &[], "key-never-valid"),
    ("401", "key_revoked", &[], "key-revoked-leaked"),
    ("401", "key_retired", &[], "key-revoked"),
    ("401", "key_abuse", &[], "key-revoked-by-us"),
    ("401", "key_billing", &[], "key-revoked-billing"),
    ("401", "key_rotated", &[], "rotation-leftover"),
    ("401", "key_fleet", &[], "key-expired"),
    ("401", "key_expired", &[], "key-expired"),
    ("401", "key_disabled", &[], "key-disabled"),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=after-lifetime"],
        "token-expired",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=right-away", "ask-whose-clock=theirs"],
        "clock-skew",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=right-away", "ask-whose-clock=ours"],
        "escalate-issuer-clock",
    ),
    (
        "401",
        "key_oauth",
        &["ask-token-timing=refresh-failed"],
        "refresh-token-expired",
    ),
    ("401", "key_burst", &[], "limit-lowered"),
    ("401", "key_peak", &[], "rate-limited-as-401"),
    // The service behind the gateway refused (403s decided upstream): the gateway took the key.
    ("401", "key_healthy", &[], "escalate-upstream-refused"),
    (
        "401",
        "key_quiet",
        &["ask-key-match=same"],
        "escalate-unexplained",
    ),
    (
        "401",
        "key_quiet",
        &["ask-key-match=session-ended"],
        "expected-401",
    ),
    ("401", "key_stuffed", &[], "escalate-credential-stuffing"),
    ("401", "key_eu3", &[], "escalate-validation-down"),
    ("401", "key_us2", &[], "escalate-auth-latency"),
    ("401", "key_ap1", &[], "escalate-multi-customer"),
    ("403", "key_suspended", &[], "account-suspended"),
    ("403", "key_iplocked", &[], "ip-not-allowed"),
    ("403", "key_quota", &[], "quota-exceeded"),
    ("403", "key_peak", &[], "rate-limit-edge"),
    ("403", "key_scope", &[], "insufficient-scope"),
    ("403", "key_role", &[], "role-changed"),
    ("403", "key_healthy", &[], "escalate-upstream-refused"),
    ("403", "key_stuffed", &[], "escalate-credential-stuffing"),
    // An AWS API Gateway body pasted at intake: the path does not exist.
    (
        "403",
        "key_healthy",
        &[
            "--input=status=403",
            "--input=error_body={\"message\":\"Missing Authentication Token\"}",
        ],
        "wrong-endpoint",
    ),
    // A pasted 429 proves a rate limit; the demo data still shows the limit was lowered.
    (
        "401",
        "key_burst",
        &["--response=tests/fixtures/diagnose/responses/kong-rate-limit.http"],
        "limit-lowered",
    ),
    (
        "403",
        "key_burst",
        &["--response=tests/fixtures/diagnose/responses/kong-rate-limit.http"],
        "limit-lowered",
    ),
    // A live key of the demo data sent to the sandbox host.
    (
        "401",
        "key_healthy",
        &["--request=tests/fixtures/diagnose/request-live-key-to-sandbox.http"],
        "key-wrong-environment",
    ),
    // An unsigned token: unusable whatever its lifetime.
    (
        "401",
        "key_oauth",
        &["--jwt=tests/fixtures/diagnose/jwt-alg-none.txt"],
        "token-invalid",
    ),
    // The pod's HTTP debug log: the key's variable is unset, so it sends "undefined".
    (
        "401",
        "key_nocreds",
        &["--request=tests/fixtures/diagnose/request-undefined-key.http"],
        "key-variable-unset",
    ),
    // Cloudflare's error 1020 page: a firewall rule, before the gateway.
    (
        "403",
        "key_healthy",
        &["--response=tests/fixtures/diagnose/responses/cloudflare-1020.http"],
        "escalate-waf-blocked",
    ),
    // AWS API Gateway's 403 for a request without x-api-key.
    (
        "403",
        "key_healthy",
        &["--request=tests/fixtures/diagnose/request-no-key.curl"],
        "missing-credentials",
    ),
    ("403", "key_eu3", &[], "escalate-validation-down"),
    // The customer says 403; the key's own status decides (the logs say 401).
    ("403", "key_disabled", &[], "key-disabled"),
    ("403", "key_revoked", &[], "key-revoked-leaked"),
    ("403", "key_expired", &[], "key-expired"),
    ("403", "key_rotated", &[], "rotation-leftover"),
    ("403", "key_typo", &[], "key-never-valid"),
    // Another key's request pasted (with a header problem of its own): the disabled key in
    // question decides, not the paste.
    (
        "401",
        "key_disabled",
        &["--request=tests/fixtures/diagnose/request-other-key-bearer.curl"],
        "key-disabled",
    ),
];

#[test]
fn demo_keys_reach_every_outcome_of_both_trees() {
    let desk = Desk::new();
    let mut failures = Vec::new();
    for (runbook, key, answers, want) in CASES {
        let mut args = vec![*runbook, "--demo", "--input"];
        let input = format!("key_id={key}");
        args.push(&input);
        for a in *answers {
            // `--input=…` entries are pastes given at intake, the rest answers.
            if a.starts_with("--") {
                args.push(a);
            } else {
                args.extend(["--answer", a]);
            }
        }
        let (code, ticket, out) = desk.run(&args, &[]);
        let got = ticket["outcome"]["id"].as_str().unwrap_or("(none)");
        let want_code = if want.starts_with("escalate-") { 10 } else { 0 };
        if got != *want || code != want_code {
            failures.push(format!(
                "{runbook} {key}: got {got} (exit {code}), want {want}\n{out}"
            ));
            continue;
        }
        assert_eq!(
            ticket["demo_data"], true,
            "{runbook} {key}: not marked demo data"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn every_outcome_id_of_the_trees_is_covered() {
    let mut ids = std::collections::BTreeSet::new();
    for file in [
        "401-unauthorized.toml",
        "403-forbidden.toml",
        "escalations.toml",
    ] {
        let path = format!("{}/runbooks/{file}", env!("CARGO_MANIFEST_DIR"));
        let doc: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for node in doc
            .get("node")
            .and_then(|n| n.as_array())
            .into_iter()
            .flatten()
        {
            if node["kind"].as_str() == Some("outcome") {
                ids.insert(node["id"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(ids.len(), 38, "outcomes found: {ids:?}");
    // These need a pasted request or the agent's judgement on top of the admin data; the
    // scenario tests (tests/scenarios.rs) reach each of them.
    let beyond_admin_data = [
        "cors-preflight-401",
        "works-in-curl-not-app",
        "auth-header-dropped",
        "escalate-auth-anomaly",
    ];
    let covered: std::collections::BTreeSet<String> = CASES
        .iter()
        .map(|c| c.3)
        .chain(beyond_admin_data)
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = ids.difference(&covered).collect();
    assert!(missing.is_empty(), "no demo key reaches {missing:?}");
}

#[test]
fn a_disabled_key_reported_as_403_still_flags_the_status_the_logs_show() {
    let (_, ticket, out) =
        Desk::new().run(&["403", "--demo", "--input", "key_id=key_disabled"], &[]);
    assert_eq!(ticket["outcome"]["id"], "key-disabled", "{out}");
    let contradictions = ticket["contradictions"].to_string();
    assert!(
        contradictions.contains("the request logs show 401"),
        "{contradictions}\n{out}"
    );
}

#[test]
fn a_firewall_page_with_its_ray_id_is_not_asked_for_again() {
    let (_, ticket, out) = Desk::new().run(
        &[
            "403",
            "--demo",
            "--input",
            "key_id=key_healthy",
            "--response=tests/fixtures/diagnose/responses/cloudflare-1020.http",
        ],
        &[],
    );
    assert_eq!(ticket["outcome"]["id"], "escalate-waf-blocked", "{out}");
    let reply = ticket["outcome"]["reply"].as_str().unwrap_or_default();
    assert!(reply.contains("8e4f2a9c1b7d3e21"), "{reply}");
    assert!(!reply.contains("Ray ID or reference number"), "{reply}");
    assert!(reply.contains("the time of the request in UTC"), "{reply}");
}

#[test]
fn revoked_key_ticket_cites_who_when_and_the_request_id() {
    let (_, ticket, out) =
        Desk::new().run(&["401", "--demo", "--input", "key_id=key_revoked"], &[]);
    let summary = ticket["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("revoked by us after a leak"), "{out}");
    let cited = ticket["evidence"].to_string();
    assert!(cited.contains("ops@authdesk.example"), "{out}");
    assert!(
        out.contains("GET /v1/keys/key_revoked, request id ad-"),
        "{out}"
    );
}

/// The admin token a demo API in its own process is started with.
const TOKEN: &str = "e2e-token";

/// `authdesk demo-api` in its own process with a fault, on a free port.
struct FaultyApi(DemoApiProcess);

impl FaultyApi {
    fn start(fault: &str, token: &str) -> Self {
        Self::start_with(&["--fault", fault], token)
    }

    fn start_with(args: &[&str], token: &str) -> Self {
        let env = [("AUTHDESK_ADMIN_TOKEN", token)];
        Self(DemoApiProcess::start(&Sandbox::new(), args, &env))
    }

    fn url(&self) -> &str {
        &self.0.url
    }
}

#[test]
fn faulty_admin_api_needs_an_answer_and_names_the_failure() {
    let api = FaultyApi::start("server-error", "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["403", "--input", "key_id=key_suspended"],
        &[
            ("AUTHDESK_ADMIN_URL", api.url()),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
            ("AUTHDESK_REQUEST_TIMEOUT_MS", "500"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert_eq!(json["status"], "needs_answer", "{out}");
    assert_eq!(json["node"], "ask-wider-incident", "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(
        reasons.contains("the admin API failed: 500 Internal error"),
        "{out}"
    );
    assert!(reasons.contains("platform health"), "{out}");
}

#[test]
fn rejected_admin_token_needs_an_answer_and_says_so() {
    let api = FaultyApi::start("reject-token", "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", api.url()),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert!(
        json["evidence_unavailable"]
            .to_string()
            .contains("rejected authdesk's admin token"),
        "{out}"
    );
    assert!(
        !out.contains("e2e-token"),
        "the admin token was printed:\n{out}"
    );
}

/// A port nothing listens on (it was free a moment ago).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_admin_url_password_never_prints() {
    let desk = Desk::new();
    let url = format!("http://ops:hunter2@127.0.0.1:{}", closed_port());
    let env = [
        ("AUTHDESK_ADMIN_URL", url.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    let (code, _, out) = desk.command(&["config"], &env);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("http://ops:•••@127.0.0.1:"), "{out}");
    // An unreachable API is named in the error, the ticket-to-be and on stderr, masked.
    let (code, json, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(code, 3, "{out}");
    assert!(
        json["evidence_unavailable"]
            .to_string()
            .contains("the admin API at http://ops:•••@127.0.0.1:"),
        "{out}"
    );
    for (_, _, out) in [(0, Value::Null, out), desk.command(&["config"], &env)] {
        assert!(!out.contains("hunter2"), "the password was printed:\n{out}");
    }
}

#[test]
fn plain_http_off_this_machine_is_refused_before_any_connection() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    // 0.0.0.0 reaches this machine's server on Linux yet is no loopback address: the old
    // code connects (staying on this machine), the new one refuses without connecting.
    let off_machine = api.url().replace("127.0.0.1", "0.0.0.0");
    let env = [
        ("AUTHDESK_ADMIN_URL", off_machine.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    let desk = Desk::new();
    let (code, _, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("in clear"), "{out}");
    assert!(out.contains("[admin] allow_insecure_http = true"), "{out}");
    assert!(!out.contains("e2e-token"), "{out}");

    // The setting it names lets it through; loopback http needs no setting.
    std::fs::write(
        desk.sb.path().join("authdesk.toml"),
        "[admin]\nallow_insecure_http = true\n",
    )
    .unwrap();
    let (code, json, out) = desk.run(&["401", "--input", "key_id=key_revoked"], &env);
    assert_eq!(
        (code, &json["outcome"]["id"]),
        (0, &Value::from("key-revoked-leaked")),
        "{out}"
    );
    let (code, _, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", api.url()),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn an_id_that_would_change_the_admin_path_is_an_input_error() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let env = [
        ("AUTHDESK_ADMIN_URL", api.url()),
        ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
    ];
    for bad in [
        "key_id=..",
        "key_id=.",
        "key_id=a/b",
        "key_id=k%2F",
        "customer_id=c?x=1",
    ] {
        let (code, _, out) = Desk::new().run(&["403", "--input", bad], &env);
        assert_eq!(code, 2, "{bad}: {out}");
        let name = bad.split('=').next().unwrap();
        assert!(out.contains(&format!("input {name}:")), "{bad}: {out}");
        assert!(!out.contains("ticket written"), "{bad}: {out}");
    }
}

#[test]
fn a_token_with_control_characters_is_refused_before_sending() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", api.url()),
            ("AUTHDESK_ADMIN_TOKEN", "e2e\u{1b}[2J-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(reasons.contains("control character"), "{out}");
    assert!(reasons.contains("$AUTHDESK_ADMIN_TOKEN"), "{out}");
    assert!(!reasons.contains("dropped"), "{out}");
}

#[test]
fn a_wrong_base_path_never_decides_key_never_valid() {
    let api = FaultyApi::start_with(&[], "e2e-token");
    let wrong = format!("{}/admin", api.url());
    let (code, json, out) = Desk::new().run(
        &["401", "--input", "key_id=key_revoked"],
        &[
            ("AUTHDESK_ADMIN_URL", &wrong),
            ("AUTHDESK_ADMIN_TOKEN", "e2e-token"),
        ],
    );
    assert_eq!(code, 3, "{out}");
    assert_eq!(json["status"], "needs_answer", "{out}");
    assert!(!out.contains("key-never-valid"), "{out}");
    let reasons = json["evidence_unavailable"].to_string();
    assert!(reasons.contains("admin API misconfigured"), "{out}");
    assert!(reasons.contains("key status"), "{out}");
}

#[test]
fn replies_from_the_demo_are_true_for_the_key() {
    let desk = Desk::new();
    // key_badheader takes `Authorization: Bearer`: the reply must not say X-API-Key.
    let (_, t, out) = desk.run(&["401", "--demo", "--input", "key_id=key_badheader"], &[]);
    let reply = t["outcome"]["reply"].as_str().unwrap_or_default();
    assert!(reply.contains("Authorization: Bearer <your key>"), "{out}");
    assert!(!reply.contains("X-API-Key"), "{reply}");
    // Fourteen pods retrying an expired key: the key's expiry, not an attack.
    let (code, t, out) = desk.run(&["401", "--demo", "--input", "key_id=key_fleet"], &[]);
    assert_eq!(
        (code, t["outcome"]["id"].as_str()),
        (0, Some("key-expired")),
        "{out}"
    );
    assert!(
        t["criteria_matched"].as_array().unwrap().is_empty(),
        "{out}"
    );
    // Our billing team revoked it: the reply says so.
    let (_, t, out) = desk.run(&["401", "--demo", "--input", "key_id=key_billing"], &[]);
    let reply = t["outcome"]["reply"].as_str().unwrap_or_default();
    assert!(
        reply.contains("We revoked this API key on our side for a billing reason"),
        "{out}"
    );
}

/// Issue 13 item 3: `key_revoked` belongs to `cus_1003`; a case opened for `cus_1001` says so
/// in the ticket's `conflicts` and on stderr, as the terminal app does.
#[test]
fn a_key_owned_by_another_customer_is_listed_as_a_conflict() {
    // Without `Desk`'s `--config`: the sandbox has no authdesk.toml to read.
    let sb = Sandbox::new();
    let run = sb.run(&[
        "run",
        "401",
        "--demo",
        "--input",
        "customer_id=cus_1001",
        "--input",
        "key_id=key_revoked",
        "--format",
        "json",
    ]);
    let out = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, 0, "{out}");
    let ticket: Value = serde_json::from_str(&run.stdout).unwrap();
    let conflicts = ticket["conflicts"].as_array().expect("a conflicts list");
    assert_eq!(conflicts.len(), 1, "{ticket}");
    let c = &conflicts[0];
    assert_eq!(c["fact"], "customer_id");
    assert_eq!(c["said"]["value"], "cus_1001");
    assert_eq!(c["said_by"], "intake");
    assert_eq!(c["evidence_fact"], "key.customer_id");
    assert_eq!(c["evidence"]["value"], "cus_1003");
    assert_eq!(c["source"], "admin_api");
    assert!(
        out.contains("conflict: customer_id: intake says cus_1001, admin API says cus_1003"),
        "{out}"
    );
    common::assert_valid_ticket(&ticket);
}

/// A customer id of another account (an agency's client, a typo) must not send the platform
/// questions to that account's cell: the key is validated in its owner's, where validation is
/// down for `key_eu3`.
#[test]
fn an_outage_in_the_keys_cell_is_found_whatever_customer_id_the_intake_names() {
    let desk = Desk::new();
    let (code, ticket, out) = desk.run(
        &[
            "401",
            "--demo",
            "--input",
            "customer_id=cus_1003",
            "--input",
            "key_id=key_eu3",
        ],
        &[],
    );
    assert_eq!(ticket["outcome"]["id"], "escalate-validation-down", "{out}");
    assert_eq!(code, 10, "{out}");
    assert!(
        out.contains("conflict: customer_id: intake says cus_1003, admin API says cus_1010"),
        "{out}"
    );
}

#[test]
fn a_second_ticket_for_the_same_incident_links_the_first_as_a_duplicate() {
    // key_stuffed: credential stuffing from many addresses, over the demo API on loopback.
    // One demo API for both runs: its request logs, which say when the failures began (and
    // so which incident window the key names), are anchored once, when it starts. Each run's
    // own built-in demo API would anchor them at its own start, and two runs either side of
    // a window boundary would name two incidents.
    let api = DemoApiProcess::start(&Sandbox::new(), &[], &[("AUTHDESK_ADMIN_TOKEN", TOKEN)]);
    let env = [
        ("AUTHDESK_ADMIN_URL", api.url.as_str()),
        ("AUTHDESK_ADMIN_TOKEN", TOKEN),
    ];
    let desk = Desk::new();
    let args = [
        "401",
        "--input",
        "key_id=key_stuffed",
        "--input",
        "customer_ticket=ZD-48213",
    ];
    let (code, first, all) = desk.run(&args, &env);
    assert_eq!(code, 10, "{all}");
    assert_eq!(
        first["outcome"]["id"], "escalate-credential-stuffing",
        "{all}"
    );
    assert_eq!(first["customer_ticket"], "ZD-48213");
    assert!(first["outcome"]["ask"]["need"].is_string(), "{first:#}");
    let listed = first["failing_requests"].as_array().unwrap();
    assert!(!listed.is_empty(), "{first:#}");
    assert!(
        first["addresses"]["addresses"].as_array().unwrap().len() > 1,
        "a security escalation lists the addresses: {first:#}"
    );
    assert!(first.get("duplicate_of").is_none(), "{first:#}");

    let (code, second, all) = desk.run(&args, &env);
    assert_eq!(code, 10, "{all}");
    assert_eq!(
        second["failures_began"], first["failures_began"],
        "both runs read when the failures began from the same data"
    );
    assert_eq!(
        first["failures_began"]["source"], "request_logs",
        "{first:#}"
    );
    assert_eq!(second["incident_key"], first["incident_key"]);
    assert_eq!(second["duplicate_of"], first["id"], "{second:#}");
    common::assert_valid_ticket(&second);
}
