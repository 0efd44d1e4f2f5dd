//! Every outcome id scripts rely on, reached by the real binary in scripted mode with the
//! answers an agent would give, each checked in the ticket it writes.

mod common;
use common::{Sandbox, assert_valid_ticket, strs};

/// (runbook, outcome id, answers that lead there with no evidence, escalated?)
const PATHS: &[(&str, &str, &[&str], bool)] = &[
    (
        "401",
        "escalate-validation-down",
        &["ask-wider-incident=validation-down"],
        true,
    ),
    (
        "401",
        "escalate-multi-customer",
        &["ask-wider-incident=many-customers"],
        true,
    ),
    (
        "401",
        "escalate-auth-latency",
        &["ask-wider-incident=slow-auth"],
        true,
    ),
    (
        "401",
        "escalate-auth-anomaly",
        &["ask-wider-incident=anomaly"],
        true,
    ),
    (
        "401",
        "escalate-credential-stuffing",
        &["ask-wider-incident=stuffing"],
        true,
    ),
    (
        "401",
        "missing-credentials",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=none",
        ],
        false,
    ),
    (
        "401",
        "bad-header-format",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=malformed",
        ],
        false,
    ),
    (
        "401",
        "cors-preflight-401",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=preflight",
        ],
        false,
    ),
    (
        "401",
        "works-in-curl-not-app",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=curl-works",
            "ask-credential-lost=secret-not-loaded",
        ],
        false,
    ),
    (
        "401",
        "auth-header-dropped",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=curl-works",
            "ask-credential-lost=redirect-or-proxy",
        ],
        false,
    ),
    (
        "401",
        "key-never-valid",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=not-found",
        ],
        false,
    ),
    (
        "401",
        "key-revoked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=revoked",
        ],
        false,
    ),
    (
        "401",
        "key-revoked-leaked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=revoked-leak",
        ],
        false,
    ),
    (
        "401",
        "key-revoked-billing",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=revoked-billing",
        ],
        false,
    ),
    (
        "401",
        "key-revoked-by-us",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=revoked-by-us",
        ],
        false,
    ),
    (
        "401",
        "key-variable-unset",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=variable-unset",
        ],
        false,
    ),
    (
        "401",
        "escalate-waf-blocked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=firewall",
        ],
        true,
    ),
    (
        "403",
        "escalate-waf-blocked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-limits=neither",
            "ask-scope=complete",
            "ask-recent-change=unchanged",
            "ask-403-other=firewall",
        ],
        true,
    ),
    (
        "403",
        "missing-credentials",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-limits=neither",
            "ask-scope=complete",
            "ask-recent-change=unchanged",
            "ask-403-other=no-key",
        ],
        false,
    ),
    (
        "401",
        "rotation-leftover",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=rotated",
        ],
        false,
    ),
    (
        "401",
        "key-expired",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=expired",
        ],
        false,
    ),
    (
        "401",
        "key-disabled",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=disabled",
        ],
        false,
    ),
    (
        "401",
        "account-suspended",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=suspended",
        ],
        false,
    ),
    (
        "401",
        "token-expired",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=expired",
        ],
        false,
    ),
    (
        "401",
        "refresh-token-expired",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=refresh-failed",
        ],
        false,
    ),
    (
        "401",
        "clock-skew",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=not-yet-valid",
            "ask-whose-clock=theirs",
        ],
        false,
    ),
    (
        "401",
        "escalate-issuer-clock",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=not-yet-valid",
            "ask-whose-clock=ours",
        ],
        true,
    ),
    (
        "401",
        "rate-limited-as-401",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=static-key",
            "ask-rate=bursts",
        ],
        false,
    ),
    (
        "401",
        "limit-lowered",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=static-key",
            "ask-rate=limit-cut",
        ],
        false,
    ),
    (
        "401",
        "expected-401",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=valid",
            "ask-rate=steady",
            "ask-key-match=session-ended",
        ],
        false,
    ),
    (
        "401",
        "escalate-unexplained",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=valid",
            "ask-rate=steady",
            "ask-key-match=same",
        ],
        true,
    ),
    (
        "401",
        "escalate-upstream-refused",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=valid",
            "ask-rate=steady",
            "ask-key-match=upstream",
        ],
        true,
    ),
    (
        "401",
        "wrong-endpoint",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=wrong-path",
        ],
        false,
    ),
    (
        "401",
        "key-wrong-environment",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=other-environment",
        ],
        false,
    ),
    (
        "401",
        "token-invalid",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-key-status=active",
            "ask-credential-sent=looks-right",
            "ask-token=unusable",
        ],
        false,
    ),
    (
        "403",
        "wrong-endpoint",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-limits=neither",
            "ask-scope=complete",
            "ask-recent-change=unchanged",
            "ask-403-other=wrong-path",
        ],
        false,
    ),
    (
        "403",
        "account-suspended",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=suspended",
        ],
        false,
    ),
    (
        "403",
        "ip-not-allowed",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=outside",
        ],
        false,
    ),
    (
        "403",
        "quota-exceeded",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=quota",
        ],
        false,
    ),
    (
        "403",
        "rate-limit-edge",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=rate-edge",
        ],
        false,
    ),
    (
        "403",
        "limit-lowered",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=limit-cut",
        ],
        false,
    ),
    (
        "403",
        "role-changed",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=missing",
            "ask-recent-change=changed",
        ],
        false,
    ),
    (
        "403",
        "insufficient-scope",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=missing",
            "ask-recent-change=unchanged-missing-scope",
        ],
        false,
    ),
    (
        "403",
        "escalate-unexplained",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=neither",
            "ask-recent-change=unchanged",
            "ask-403-other=nothing",
        ],
        true,
    ),
    (
        "403",
        "key-revoked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=revoked",
        ],
        false,
    ),
    (
        "403",
        "key-revoked-leaked",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=revoked-leak",
        ],
        false,
    ),
    (
        "403",
        "key-revoked-billing",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=revoked-billing",
        ],
        false,
    ),
    (
        "403",
        "key-revoked-by-us",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=revoked-by-us",
        ],
        false,
    ),
    (
        "403",
        "rotation-leftover",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=rotated",
        ],
        false,
    ),
    (
        "403",
        "key-expired",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=expired",
        ],
        false,
    ),
    (
        "403",
        "key-disabled",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=disabled",
        ],
        false,
    ),
    (
        "403",
        "key-never-valid",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=not-found",
        ],
        false,
    ),
    (
        "403",
        "escalate-upstream-refused",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=neither",
            "ask-recent-change=unchanged",
            "ask-403-other=upstream",
        ],
        true,
    ),
    (
        "403",
        "escalate-multi-customer",
        &["ask-wider-incident=many-customers"],
        true,
    ),
    (
        "403",
        "escalate-validation-down",
        &["ask-wider-incident=validation-down"],
        true,
    ),
    (
        "403",
        "escalate-auth-latency",
        &["ask-wider-incident=slow-auth"],
        true,
    ),
    (
        "403",
        "escalate-auth-anomaly",
        &["ask-wider-incident=anomaly"],
        true,
    ),
    (
        "403",
        "escalate-credential-stuffing",
        &[
            "ask-wider-incident=just-this-customer",
            "ask-account=active",
            "ask-ip=inside",
            "ask-scope=complete",
            "ask-limits=neither",
            "ask-recent-change=unchanged",
            "ask-403-other=stuffing",
        ],
        true,
    ),
];

fn run_to(runbook: &str, answers: &[&str], format: &str) -> (Sandbox, common::Output) {
    let sb = Sandbox::new();
    let mut args = vec![
        "run",
        runbook,
        "--offline",
        "--format",
        format,
        "--input",
        "customer_id=cus_1001",
        "--input",
        "key_id=key_42",
    ];
    for a in answers {
        args.extend(["--answer", a]);
    }
    let out = sb.run(&args);
    (sb, out)
}

#[test]
fn every_outcome_id_is_reached_in_scripted_mode() {
    for (runbook, outcome, answers, escalated) in PATHS {
        let (sb, out) = run_to(runbook, answers, "json");
        let expected_code = if *escalated { 10 } else { 0 };
        assert_eq!(
            out.code, expected_code,
            "{runbook} → {outcome}: {}\n{}",
            out.stderr, out.stdout
        );
        let printed: serde_json::Value =
            serde_json::from_str(&out.stdout).expect("stdout is the JSON ticket");
        assert_eq!(printed["outcome"]["id"], *outcome, "{runbook}");
        let tickets = sb.tickets();
        assert_eq!(tickets.len(), 1, "one ticket written for {outcome}");
        let (md, json) = &tickets[0];
        assert_eq!(json, &printed, "the saved ticket is the printed one");
        assert_valid_ticket(json);
        assert!(md.contains(&format!("`{outcome}`")), "{md}");
        assert_eq!(json["agent"], "test-agent");
        assert_eq!(json["customer_id"], "cus_1001");
        let steps = json["path"].as_array().unwrap();
        let answered = steps.iter().filter(|s| s["decided_by"] == "script").count();
        assert_eq!(
            answered,
            answers.len(),
            "every answer recorded on the path for {outcome}"
        );
        if *escalated {
            assert!(json["outcome"]["resolution"]["team"].is_string());
        }
    }
}

#[test]
fn every_shipped_outcome_has_a_scripted_path() {
    let catalog = authdesk::runbook::Catalog::builtin();
    for rb in &catalog.runbooks {
        let short = rb.id.split('-').next().unwrap();
        for (node, _) in rb.outcomes() {
            let reachable_from_start =
                authdesk::runbook::graph::dot(rb).contains(&format!("\"{}\" [", node.id));
            let tested = PATHS
                .iter()
                .any(|(r, o, _, _)| *r == short && *o == node.id);
            // Library outcomes a runbook never reaches need no path through it.
            if reachable_from_start {
                assert!(
                    tested,
                    "no scripted test reaches `{}` in {}",
                    node.id, rb.id
                );
            }
        }
    }
}

#[test]
fn missing_answer_exits_3_naming_the_question_and_choices() {
    let (sb, out) = run_to("403", &["ask-wider-incident=just-this-customer"], "json");
    assert_eq!(out.code, 3, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["status"], "needs_answer");
    assert_eq!(v["node"], "ask-account");
    assert_eq!(v["missing_facts"][0], "customer.status");
    let choices = strs(&v["choices"], "id");
    assert_eq!(
        choices,
        [
            "suspended",
            "active",
            "revoked",
            "revoked-leak",
            "revoked-billing",
            "revoked-by-us",
            "rotated",
            "expired",
            "disabled",
            "not-found"
        ]
    );
    assert!(
        sb.tickets().is_empty(),
        "nothing is written while an answer is missing"
    );

    let (_, out) = run_to(
        "403",
        &["ask-wider-incident=just-this-customer"],
        "markdown",
    );
    assert_eq!(out.code, 3);
    assert!(
        out.stdout.contains("--answer ask-account=CHOICE"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_usage_exits_2_naming_the_bad_part() {
    let sb = Sandbox::new();
    let cases: &[(&[&str], &str)] = &[
        (&["run", "999"], "no runbook `999`"),
        (
            &["run", "401", "--offline", "--answer", "nowhere=yes"],
            "has no node `nowhere`",
        ),
        (
            &[
                "run",
                "401",
                "--offline",
                "--answer",
                "ask-key-status=purple",
            ],
            "choices: not-found, revoked",
        ),
        (
            &["run", "401", "--offline", "--answer", "key-state=x"],
            "is a check, not a question",
        ),
        (
            &["run", "401", "--offline", "--input", "colour=red"],
            "no input `colour`",
        ),
        (
            &["run", "403", "--offline", "--input", "client_ip=1.2.3.999"],
            "client_ip",
        ),
        (
            &["run", "401", "--offline", "--input", "started_at=yesterday"],
            "RFC 3339",
        ),
        (&["run", "401", "--input", "novalue"], "not NAME=VALUE"),
    ];
    for (args, needle) in cases {
        let out = sb.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(needle),
            "{args:?}: expected {needle:?} in {}",
            out.stderr
        );
    }
}

#[test]
fn answers_file_is_read_and_flags_override_it() {
    let sb = Sandbox::new();
    let file = sb.write(
        "answers.toml",
        "[inputs]\nkey_id = \"key_from_file\"\n\n[answers]\nask-wider-incident = \"just-this-customer\"\nask-credential-sent = \"looks-right\"\nask-key-status = \"expired\"\n",
    );
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--format",
        "json",
        "--answers",
        file.to_str().unwrap(),
        "--answer",
        "ask-key-status=revoked",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["outcome"]["id"], "key-revoked");
    assert_eq!(v["key_id"], "key_from_file");

    let bad = sb.write(
        "bad.toml",
        "[answers]\nask-key-status = \"revoked\"\n[extra]\n",
    );
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--answers",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad.toml:3:2"), "{}", out.stderr);
}

#[test]
fn out_writes_one_file_and_never_overwrites() {
    let sb = Sandbox::new();
    let path = sb.path().join("handoff/ticket.md");
    let p = path.to_str().unwrap();
    let args = [
        "run",
        "401",
        "--offline",
        "--out",
        p,
        "--answer",
        "ask-wider-incident=validation-down",
    ];
    let out = sb.run(&args);
    assert_eq!(out.code, 10, "{}", out.stderr);
    let md = std::fs::read_to_string(&path).unwrap();
    assert!(md.contains("`escalate-validation-down` (escalate)"), "{md}");
    assert!(md.contains("`auth-platform-oncall`"), "{md}");
    assert!(sb.tickets().is_empty(), "--out replaces the tickets folder");
    let again = sb.run(&args);
    assert_eq!(again.code, 2, "an existing ticket is never overwritten");
    assert!(again.stderr.contains("ticket.md"), "{}", again.stderr);
}

#[test]
fn a_runbook_can_be_named_by_path() {
    let sb = Sandbox::new();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks/403-forbidden.toml");
    let out = sb.run(&[
        "run",
        path,
        "--offline",
        "--format",
        "json",
        "--answer",
        "ask-wider-incident=validation-down",
    ]);
    assert_eq!(out.code, 10, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["runbook"]["id"], "403-forbidden");
}
