//! Plain mode end to end: the real binary driven through a pipe (lines in, stdout read), with
//! the built-in demo API, to an outcome and a saved ticket; picked by `--plain`, `TERM=dumb`
//! or `[tui] plain = true`; its output carries no escape sequence and no box drawing, and a
//! secret typed at intake reaches no output and no file.

mod common;
use authdesk::runbook::Catalog;
use authdesk::tui::form::Form;
use common::{Output, Sandbox};
use std::io::Write;
use std::process::Stdio;

const CANARY: &str = "sk_live_CANARY0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf";

/// The intake lines for runbook `rb`, in its field order: each given value, an empty line for
/// the rest (a multi-line field ends with an empty line), so a field added to the runbook
/// does not shift the answers.
fn intake(rb: &str, values: &[(&str, &str)]) -> String {
    let catalog = Catalog::builtin();
    let runbook = catalog.find(rb).expect("built-in runbook");
    let form = Form::new(runbook, &Default::default());
    let mut out = String::new();
    for field in &form.fields {
        let value = values
            .iter()
            .find(|(name, _)| *name == field.name)
            .map_or("", |(_, v)| *v);
        out.push_str(value);
        out.push('\n');
        if field.multiline && !value.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// Runs `authdesk ARGS` with `input` on stdin and waits for it to end.
fn plain(sb: &Sandbox, args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut cmd = sb.process();
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    let mut stdin = child.stdin.take().expect("stdin piped");
    // A command that refuses to start exits without reading: its closed pipe is no failure.
    if let Err(e) = stdin.write_all(input.as_bytes()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "input written: {e}"
        );
    }
    drop(stdin);
    let out = child.wait_with_output().expect("binary ends");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Nothing a terminal would act on: no ESC (CSI, OSC), no other control but the line break,
/// and no box-drawing or block characters (U+2500 to U+259F).
fn assert_plain_text(out: &Output) {
    for (what, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let bad: Vec<char> = text
            .chars()
            .filter(|c| (c.is_control() && *c != '\n') || ('\u{2500}'..='\u{259f}').contains(c))
            .collect();
        assert!(bad.is_empty(), "{what} holds {bad:?}:\n{text}");
    }
}

fn ticket_paths(stdout: &str) -> Vec<std::path::PathBuf> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Ticket saved: "))
        .map(Into::into)
        .collect()
}

#[test]
fn plain_walk_answers_by_number_and_saves_the_ticket_it_reaches() {
    let sb = Sandbox::new();
    let mut input = intake("401", &[("customer_id", "cus_1001")]);
    // The demo's health evidence rules out an outage, so the first question is the key's
    // status: 1 = not found; then Enter saves the ticket.
    input.push_str("1\n\n");
    let out = plain(&sb, &["walk", "401", "--plain"], &[], &input);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    for expected in [
        "Field 1 of ",
        "Customer id: set",
        "Evidence: asking the demo API (DEMO DATA) for account status",
        "Evidence: account status answered in ",
        "customer.status = active",
        "decided by evidence: Key validation down?: health.status = ok",
        "): Key status?",
        "Why it is asked: these facts are unknown: key.status",
        "Help: ",
        "  1. Not found: a typo or a truncated key",
        "Answered: Not found",
        "Outcome: Key was never valid: resolve with the customer",
        "is finished and its ticket saved",
    ] {
        assert!(
            out.stdout.contains(expected),
            "no {expected:?} in:\n{}",
            out.stdout
        );
    }
    let paths = ticket_paths(&out.stdout);
    assert_eq!(paths.len(), 2, "{}", out.stdout);
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with(sb.tickets_dir()) && p.exists())
    );
    let tickets = sb.tickets();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].1["outcome"]["id"], "key-never-valid");
    common::assert_valid_ticket(&tickets[0].1);
    assert_plain_text(&out);
}

#[test]
fn evidence_that_decides_a_check_is_printed_and_the_walk_goes_on_by_itself() {
    let sb = Sandbox::new();
    let mut input = intake(
        "401",
        &[("customer_id", "cus_1003"), ("key_id", "key_revoked")],
    );
    input.push('\n');
    let out = plain(&sb, &["walk", "401", "--plain"], &[], &input);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("decided by evidence: Account and key status: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("key.status = revoked (admin API"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Question ("), "{}", out.stdout);
    // The demo key was revoked by our secret scanning: the branch that says it leaked.
    assert!(
        out.stdout.contains("Outcome: Key revoked"),
        "{}",
        out.stdout
    );
    assert_eq!(sb.tickets()[0].1["outcome"]["id"], "key-revoked-leaked");
    assert_plain_text(&out);
}

#[test]
fn term_dumb_picks_plain_mode_without_the_flag() {
    let sb = Sandbox::new();
    let mut input = intake("401", &[("customer_id", "cus_1001")]);
    input.push_str("1\n\n");
    let out = plain(&sb, &["walk", "401"], &[("TERM", "dumb")], &input);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.starts_with("authdesk plain mode"),
        "{}",
        out.stdout
    );
    assert_eq!(sb.tickets().len(), 1);
    assert_plain_text(&out);
}

#[test]
fn config_plain_true_picks_plain_mode_and_other_terminals_still_need_one() {
    let sb = Sandbox::new();
    let input = intake("401", &[]);
    let ordinary = plain(&sb, &["walk", "401"], &[("TERM", "xterm")], &input);
    assert_eq!(ordinary.code, 2, "{}", ordinary.stdout);
    assert!(ordinary.stderr.contains("--plain"), "{}", ordinary.stderr);

    let config = sb.write("authdesk.toml", "[tui]\nplain = true\n");
    let config = config.display().to_string();
    let out = plain(
        &sb,
        &["--config", &config, "walk", "401"],
        &[("TERM", "xterm")],
        &input,
    );
    assert!(
        out.stdout.starts_with("authdesk plain mode"),
        "{}",
        out.stdout
    );
    assert_plain_text(&out);
}

#[test]
fn q_saves_the_case_and_resume_plain_continues_at_the_same_question() {
    let sb = Sandbox::new();
    let mut input = intake("401", &[("customer_id", "cus_1001")]);
    input.push_str("q\n");
    let left = plain(&sb, &["walk", "401", "--plain"], &[], &input);
    assert_eq!(left.code, 0, "{}\n{}", left.stdout, left.stderr);
    let resume = left
        .stdout
        .lines()
        .find_map(|l| l.split("Continue with: ").nth(1))
        .unwrap_or_else(|| panic!("no resume hint in:\n{}", left.stdout))
        .to_string();
    let args: Vec<&str> = resume.split(' ').skip(1).collect();
    assert_eq!(args[0], "resume", "{resume}");
    assert!(
        left.stdout
            .contains("is saved at “Key status?”. Continue with"),
        "{}",
        left.stdout
    );

    let back = plain(&sb, &args, &[], "5\n");
    assert!(back.stdout.contains("Resumed session"), "{}", back.stdout);
    assert!(back.stdout.contains("): Key status?"), "{}", back.stdout);
    assert!(back.stdout.contains("Answered: Active"), "{}", back.stdout);
    // Input ended before a ticket: saved to resume, with the code `run` uses for that.
    assert_eq!(back.code, 3, "{}", back.stderr);
    assert!(
        back.stdout.contains("Continue with: authdesk resume"),
        "{}",
        back.stdout
    );
    assert!(sb.tickets().is_empty());
    assert_plain_text(&back);
}

#[test]
fn a_canary_secret_typed_at_intake_reaches_no_output_and_no_file() {
    let sb = Sandbox::new();
    let body = format!("{{\"error\":\"invalid key {CANARY}\"}}");
    let endpoint = format!("/v1/orders?api_key={CANARY}");
    let mut input = intake(
        "401",
        &[
            ("customer_id", "cus_1001"),
            ("key", CANARY),
            ("endpoint", &endpoint),
            ("error_body", &body),
        ],
    );
    input.push_str(&format!("n\nthe customer sent {CANARY} by mail\n"));
    // Answer whatever is asked with its last choice until the outcome, then save.
    input.push_str(&"5\n".repeat(3));
    input.push_str("\n\n");
    let out = plain(&sb, &["walk", "401", "--plain"], &[], &input);
    assert!(out.stdout.contains("(masked)"), "{}", out.stdout);
    assert!(out.stdout.contains("Note added"), "{}", out.stdout);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains("CANARY0q7Zt2"), "canary printed:\n{text}");
    }
    for (path, text) in sb.all_files() {
        assert!(
            !text.contains("CANARY0q7Zt2"),
            "canary written to {}",
            path.display()
        );
    }
    assert_plain_text(&out);
}

#[test]
fn escapes_typed_in_a_note_are_shown_inert() {
    let sb = Sandbox::new();
    let mut input = intake("401", &[("customer_id", "cus_1001")]);
    input.push_str("1\nn\nred \x1b[31malert\x1b]52;c;aGk=\x07 \u{202e}gnp.exe\n\n");
    let out = plain(&sb, &["walk", "401", "--plain"], &[], &input);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("red \\x1b"), "{}", out.stdout);
    assert!(out.stdout.contains("\\u{202e}gnp.exe"), "{}", out.stdout);
    assert_plain_text(&out);
}

#[test]
fn a_dumb_terminal_without_a_walk_is_told_how_to_start_one() {
    let sb = Sandbox::new();
    let out = plain(&sb, &[], &[("TERM", "dumb")], "");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("authdesk walk RUNBOOK --plain"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

/// Issue 14, item 11: plain mode links the saved tickets of the incident as the terminal app
/// does. The failures' start is given at intake, so both cases fall in one incident window
/// whatever the clock reads between them.
#[test]
fn plain_walk_of_the_same_case_twice_saves_the_second_as_the_firsts_duplicate() {
    let sb = Sandbox::new();
    let mut input = intake(
        "401",
        &[
            ("customer_id", "cus_1001"),
            ("started_at", "2026-11-22T08:05:00Z"),
        ],
    );
    // As above: 1 = the key was not found; then Enter saves the ticket.
    input.push_str("1\n\n");
    for run in 1..=2 {
        let out = plain(&sb, &["walk", "401", "--plain"], &[], &input);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        assert_eq!(
            ticket_paths(&out.stdout).len(),
            2,
            "run {run}: {}",
            out.stdout
        );
    }
    let tickets = sb.tickets();
    assert_eq!(tickets.len(), 2);
    let (first, second) = match tickets[0].1.get("duplicate_of") {
        None => (&tickets[0], &tickets[1]),
        Some(_) => (&tickets[1], &tickets[0]),
    };
    assert_eq!(
        first.1["failures_began"]["source"], "intake",
        "{:#}",
        first.1
    );
    assert_eq!(second.1["incident_key"], first.1["incident_key"]);
    assert_eq!(second.1["duplicate_of"], first.1["id"], "{:#}", second.1);
    assert!(second.0.contains("## Related cases"), "{}", second.0);
}
