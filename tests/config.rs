//! `authdesk config` and configuration errors, as a user meets them.

mod common;
use common::Sandbox;

#[test]
fn config_shows_each_value_and_its_origin() {
    let sb = Sandbox::new();
    let file = sb.write(
        "authdesk.toml",
        "agent = \"from-file\"\n[admin]\nrequest_timeout_ms = 900\n",
    );
    let out = sb.run_cmd(
        sb.cmd()
            .args(["--config", file.to_str().unwrap(), "config"])
            .env_remove("AUTHDESK_AGENT"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |key: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("agent ").contains("from-file") && line("agent ").contains("authdesk.toml"),
        "{}",
        out.stdout
    );
    assert!(
        line("admin.request_timeout_ms").contains("900"),
        "{}",
        out.stdout
    );
    assert!(
        line("tickets_dir").contains("$AUTHDESK_TICKETS_DIR"),
        "{}",
        out.stdout
    );
    assert!(
        line("admin.connect_timeout_ms").contains("default"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_bad_config_file_names_line_and_column() {
    let sb = Sandbox::new();
    let file = sb.write("authdesk.toml", "agent = \"a\"\n\n[admin]\nurl = 42\n");
    let out = sb.run(&["--config", file.to_str().unwrap(), "config"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("authdesk.toml:4:7"), "{}", out.stderr);
}

#[test]
fn a_bad_environment_value_is_named() {
    let sb = Sandbox::new();
    let out = sb.run_cmd(
        sb.cmd()
            .arg("config")
            .env("AUTHDESK_CONNECT_TIMEOUT_MS", "soon"),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("AUTHDESK_CONNECT_TIMEOUT_MS"),
        "{}",
        out.stderr
    );
}

#[test]
fn commands_that_need_no_config_run_despite_a_broken_one() {
    let sb = Sandbox::new();
    let broken = sb.write("authdesk.toml", "agent = [\n");
    let jwt = sb.write(
        "token.txt",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJjdXNfMSIsImV4cCI6MX0.",
    );
    let log = sb.write("access.log", "{\"status\":401,\"key_id\":\"key_1\"}\n");
    let with_broken =
        |args: &[&str]| sb.run_cmd(sb.cmd().args(args).env("AUTHDESK_CONFIG", &broken));
    for args in [
        &["inspect", "jwt", jwt.to_str().unwrap()][..],
        &["logs", log.to_str().unwrap()],
    ] {
        let out = with_broken(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
    // `inspect` reads only the gateway settings, and says it used the defaults instead.
    let out = with_broken(&["inspect", "jwt", jwt.to_str().unwrap()]);
    assert!(
        out.stderr
            .contains("configuration ignored, default gateway settings"),
        "{}",
        out.stderr
    );
    // Runbook tools fall back to the built-in runbooks, and say so.
    for args in [&["graph", "401"][..], &["lint"]] {
        let out = with_broken(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("configuration ignored"),
            "{}",
            out.stderr
        );
    }
    // A command that acts on a case still stops on it, naming where.
    let out = with_broken(&["run", "401", "--offline"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("authdesk.toml:1:"), "{}", out.stderr);
}
