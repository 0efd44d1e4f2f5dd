//! `authdesk run` never falls back to demo data on its own: a script names its evidence source
//! (an admin API, `--demo` or `--offline`), or it is told how to before anything is written.

mod common;
use common::Sandbox;

#[test]
fn run_without_an_admin_api_exits_2_naming_every_way_out() {
    let sb = Sandbox::new();
    let out = sb.run(&["run", "401", "--input", "key_id=key_revoked"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    for needle in ["AUTHDESK_ADMIN_URL", "[admin] url", "--demo", "--offline"] {
        assert!(
            out.stderr.contains(needle),
            "expected {needle:?} in {}",
            out.stderr
        );
    }
    assert!(out.stdout.is_empty(), "nothing printed: {}", out.stdout);
    assert!(sb.tickets().is_empty(), "no ticket written");
}

#[test]
fn demo_flag_uses_the_demo_data_and_marks_the_ticket() {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "run",
        "401",
        "--demo",
        "--format",
        "json",
        "--input",
        "key_id=key_revoked",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ticket: serde_json::Value = serde_json::from_str(&out.stdout).expect("json ticket");
    assert_eq!(
        ticket["outcome"]["id"], "key-revoked-leaked",
        "{}",
        out.stdout
    );
    assert_eq!(ticket["demo_data"], true);
}

#[test]
fn demo_flag_wins_over_a_configured_admin_api() {
    let sb = Sandbox::new();
    // Nothing listens on port 9 of loopback: were it asked, the key would be unavailable.
    let out = sb.run_cmd(
        sb.cmd()
            .env("AUTHDESK_ADMIN_URL", "http://127.0.0.1:9")
            .args(["run", "401", "--demo", "--format", "json"])
            .args(["--input", "key_id=key_revoked"]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"demo_data\": true"), "{}", out.stdout);
}

#[test]
fn demo_and_offline_together_are_a_usage_error() {
    let out = Sandbox::new().run(&["run", "401", "--demo", "--offline"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--offline"), "{}", out.stderr);
}
