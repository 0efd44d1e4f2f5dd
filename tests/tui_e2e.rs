//! The real binary driven in tmux, as a person would: keystrokes in, screens and files out.
//! Each test has its own tmux server and its own sandbox (data, tickets, a cleared
//! environment). They need tmux, and fail when it is missing: a skipped test would pass
//! without having run.
//!
//! They run with or without the admin API: where the built-in demo API answers, checks decide
//! by themselves; where it is missing, the same questions are answered by keys. The latency
//! test needs the demo API and says so when it is not there.

mod common;

use common::tmux::Pane;
use std::process::Command;

const PASTED_KEY: &str = "sk_live_0123456789abcdef0123";

// Questions are found by their box's title (`┌ Title`), which never wraps and, unlike the
// path's list of steps, shows only the question being asked.
const ANSWERS_401: &[(&str, &str)] = &[("┌ Platform incident? ", "5"), ("┌ Key status? ", "2")];

const ANSWERS_403: &[(&str, &str)] = &[
    ("┌ Platform incident? ", "5"),
    ("┌ Account status? ", "2"),
    ("┌ IP allowed? ", "1"),
];

#[test]
fn a_revoked_key_401_goes_from_intake_to_a_saved_ticket() {
    let p = Pane::new(80, 24);
    // `key_revoked` is `cus_1003`'s: with another customer, saving would ask which is right.
    p.run(&["walk", "401", "--input", "customer_id=cus_1003"], &[]);
    p.wait_for("Intake");
    // The first empty field has the focus: the key id.
    p.text("key_revoked");
    p.keys(&["Tab"]);
    p.text(PASTED_KEY);
    let screen = p.wait_for("••••");
    assert!(
        !screen.contains(PASTED_KEY),
        "the pasted key shows only masked:\n{screen}"
    );
    p.keys(&["C-s"]);
    p.wait_walking();
    let screen = p.answer_until(ANSWERS_401, "Ticket preview");
    assert!(screen.contains("Key revoked"), "{screen}");
    assert!(!screen.contains(PASTED_KEY));
    p.keys(&["s"]);
    let screen = p.wait_for("Saved ESC-");
    assert!(screen.contains(".md and ESC-"), "{screen}");
    let tickets = p.sb.tickets();
    assert_eq!(tickets.len(), 1, "one ticket, as Markdown and JSON");
    let (md, json) = &tickets[0];
    assert!(md.contains("`key-revoked-leaked`"), "{md}");
    assert!(md.contains("| Agent | test-agent |"), "{md}");
    assert!(md.contains("sk_live_"), "the mask is in the ticket");
    assert!(!md.contains(PASTED_KEY), "the key itself is not");
    assert_eq!(json["outcome"]["id"], "key-revoked-leaked");
    // The ticket is saved, so q leaves without asking.
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}

#[test]
fn an_ip_outside_the_allowlist_403_goes_from_intake_to_a_saved_ticket() {
    let p = Pane::new(160, 48);
    p.run(
        &[
            "walk",
            "403",
            "--input",
            "customer_id=cus_1015",
            "--input",
            "key_id=key_iplocked",
            "--input",
            "client_ip=198.51.100.7",
            "--input",
            "status=403",
        ],
        &[],
    );
    p.wait_for("Intake");
    // An address that is not one is flagged as typed, and blocks the walk.
    p.keys(&["Tab", "Tab", "Tab"]);
    let screen = p.wait_for("▸ Client IP");
    assert!(!screen.contains("✗ Client IP"), "{screen}");
    p.text(".5");
    p.wait_for("not a valid ip");
    p.keys(&["C-s"]);
    p.wait_for("Client IP: `198.51.100.7.5` is not a valid ip");
    p.keys(&["BSpace", "BSpace", "C-s"]);
    p.wait_walking();
    let screen = p.answer_until(ANSWERS_403, "Ticket preview");
    assert!(screen.contains("IP not in the key's allowlist"), "{screen}");
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    let (md, _) = p.sb.tickets().pop().expect("a saved ticket");
    assert!(md.contains("`ip-not-allowed`"), "{md}");
    assert!(md.contains("198.51.100.7"), "{md}");
    // The demo API's evidence decided it: the allowlist and who changed it are cited.
    assert!(md.contains("DEMO DATA"), "{md}");
    assert!(md.contains("198.51.100.128/25"), "{md}");
    assert!(md.contains("it-admin@redwoodclinics.example"), "{md}");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}

#[test]
fn a_killed_case_comes_back_with_resume_and_sigterm_saves_it() {
    let p = Pane::new(80, 24);
    // A healthy key: evidence explains nothing, so the walk stops at a question. (A key the
    // admin API does not know now decides `key-never-valid` outright: its logs are "none".)
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1008",
            "--input",
            "key_id=key_quiet",
        ],
        &[],
    );
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_for("Walk");
    let before = p.screen();
    if before.contains("┌ Platform incident? ") {
        p.keys(&["5"]);
        p.wait_change(&before);
    }
    // Evidence still arriving moves the walk on (Traffic spike?, Credential sent?, ...); the
    // question it settles at is the one a resume must bring back. Captured earlier, a slow
    // machine saw a question the saved session had already left.
    let at = p.wait_for("┌ Same key? ");
    let question = at.lines().nth(1).unwrap().to_string();
    Command::new("kill")
        .args(["-KILL", &p.app_pid()])
        .status()
        .unwrap();
    assert_eq!(p.exit_status(), "137");

    p.run(&["resume"], &[]);
    let screen = p.wait_for("Resumed session");
    assert_eq!(
        screen.lines().nth(1).unwrap(),
        question,
        "same question:\n{screen}"
    );

    // SIGTERM saves and restores the terminal; the case can be resumed again.
    Command::new("kill")
        .args(["-TERM", &p.app_pid()])
        .status()
        .unwrap();
    assert_eq!(p.exit_status(), "143", "SIGTERM is reported as such");
    let log = std::fs::read_to_string(p.sb.data_dir().join("logs/authdesk.log")).unwrap();
    assert!(
        log.contains("leaving on signal signal=\"SIGTERM\""),
        "{log}"
    );
    let mode = |path: std::path::PathBuf| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    };
    assert_eq!(mode(p.sb.data_dir().join("logs")), 0o700);
    assert_eq!(mode(p.sb.data_dir().join("logs/authdesk.log")), 0o600);
    p.run(&["resume"], &[]);
    p.wait_for("Resumed session");
    // Counted by their `.json` names: the resumed app may be mid-save, with a `.tmp` beside.
    let sessions: Vec<_> = std::fs::read_dir(p.sb.data_dir().join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(
        sessions.len(),
        1,
        "one case, saved over and over: {sessions:?}"
    );
}

/// `authdesk resume ID` without a terminal, as a second authdesk beside the pane's.
fn resume_elsewhere(p: &Pane, id: &str) -> (i32, String) {
    let out =
        p.sb.process()
            .args(["resume", id])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_case_open_in_one_authdesk_is_refused_by_another_until_its_holder_dies() {
    let p = Pane::new(80, 24);
    p.run(&["walk", "401", "--input", "customer_id=cus_1001"], &[]);
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_walking();
    let holder = p.app_pid();
    let saved = std::fs::read_dir(p.sb.data_dir().join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.extension().is_some_and(|x| x == "json"))
        .expect("the walk was saved");
    let id = saved.file_stem().unwrap().to_string_lossy().into_owned();

    let (code, stderr) = resume_elsewhere(&p, &id);
    assert_eq!(code, 2, "{stderr}");
    let want = format!("case {id} is open in another authdesk (pid {holder})");
    assert!(stderr.contains(&want), "expected {want:?} in {stderr}");

    Command::new("kill")
        .args(["-KILL", &holder])
        .status()
        .unwrap();
    assert_eq!(p.exit_status(), "137");
    let (_, stderr) = resume_elsewhere(&p, &id);
    assert!(!stderr.contains("open in another"), "{stderr}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

#[test]
fn keys_move_the_selection_while_slow_queries_are_in_flight() {
    let p = Pane::new(120, 36);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_revoked",
        ],
        &[("AUTHDESK_DEMO_LATENCY_MS", "3000")],
    );
    let screen = p.wait_for("Intake");
    assert!(
        !screen.contains("admin API not connected"),
        "the built-in demo API should be connected:\n{screen}"
    );
    p.keys(&["C-s"]);
    p.wait_for("Walk");
    p.keys(&["Down", "Down"]);
    let screen = p.wait_for("▸3");
    // The selection moved while the queries were still running: keys did not wait for them.
    let spinning = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    assert!(
        screen.chars().any(|c| spinning.contains(&c)),
        "queries still in flight:\n{screen}"
    );
}

#[test]
fn a_tiny_terminal_gets_a_message_not_a_garbled_screen() {
    let p = Pane::new(50, 12);
    p.run(&[], &[]);
    let screen = p.wait_for("Terminal too small");
    assert!(screen.contains("50x12"), "{screen}");
    p.tmux(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    p.wait_for("Start a case");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}

/// Issue 11: `s` at home reads the saved cases off the loop and charts them; `f` narrows
/// them to a runbook, and `q` goes back home rather than out.
#[test]
fn the_stats_screen_counts_the_saved_cases_and_q_goes_home() {
    let p = Pane::new(80, 24);
    common::saved_cases::write(&p.sb);
    p.run(&[], &[]);
    p.wait_for("Start a case");
    p.keys(&["s"]);
    p.wait_for("Cases: 6");
    // tmux can capture a frame half drawn: wait for its last part, then read the rest.
    let screen = p.wait_for("health.status");
    assert!(screen.contains("Cases: 6"), "{screen}");
    assert!(screen.contains("escalate-auth-anomaly"), "{screen}");
    p.keys(&["f"]);
    let screen = p.wait_for("Cases: 5");
    assert!(screen.contains("Runbook 401-unauthorized"), "{screen}");
    p.keys(&["q"]);
    p.wait_for("Start a case");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}

/// Issue 9: a key and a bearer token typed or pasted into every text field, through the real
/// terminal. Neither may reach the session file, the ticket files, the clipboard (tmux keeps
/// what an OSC 52 sequence sets as a paste buffer) or the log.
#[test]
fn canaries_in_every_text_field_reach_no_file_clipboard_or_log() {
    const KEY: &str = "sk_live_CANARY0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf";
    const TOKEN: &str = "tokCANARY5f8e7d6c5b4a3f2e";
    const NEVER: &[&str] = &[KEY, TOKEN, "q7Zt2Lm9Xw4R", "5f8e7d6c5b4a"];
    let p = Pane::new(120, 40);
    p.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    let clear = || p.tmux(&["send-keys", "-t", "t", "-N", "300", "BSpace"]);
    // Nothing answers on port 9 of loopback: every question is answered by keys.
    p.run(
        &["walk", "401"],
        &[("AUTHDESK_ADMIN_URL", "http://127.0.0.1:9")],
    );
    p.wait_for("Intake");
    // customer_id, key_id, key, method, endpoint, client_ip, status, error_body, started_at.
    p.text(&format!("cus_1001 {KEY}"));
    p.keys(&["Tab"]);
    p.text(&format!("key_revoked Bearer {TOKEN}"));
    p.keys(&["Tab"]);
    p.paste(KEY);
    p.keys(&["Tab"]);
    p.text(&format!("GET {KEY}"));
    p.keys(&["Tab"]);
    p.text(&format!("/v1/orders?api_key={KEY}"));
    for _ in ["client_ip", "status"] {
        p.keys(&["Tab"]);
        p.text(&format!("{KEY} Bearer {TOKEN}"));
        p.keys(&["C-s"]);
        // The field shows what was typed; the message about it must not repeat it.
        let screen = p.wait_for("is not a valid");
        let message = screen
            .lines()
            .find(|l| l.contains("is not a valid"))
            .unwrap();
        assert!(NEVER.iter().all(|c| !message.contains(c)), "{message}");
        clear();
    }
    p.keys(&["Tab"]);
    p.paste(&format!(
        "{{\"error\":\"invalid key {KEY}\"}}\nAuthorization: Bearer {TOKEN}"
    ));
    p.keys(&["Tab"]);
    p.text(&format!("{KEY} Bearer {TOKEN}"));
    p.keys(&["C-s"]);
    p.wait_for("is not a valid time");
    clear();
    p.keys(&["C-s"]);
    p.wait_walking();
    p.keys(&["n"]);
    p.text(&format!("walk note {KEY} token={TOKEN}"));
    p.keys(&["C-s"]);
    p.wait_for("Note added");
    p.answer_until(ANSWERS_401, "Ticket preview");
    p.keys(&["e"]);
    clear();
    p.paste(&format!("Revoked; customer sent {KEY}"));
    p.keys(&["Enter"]);
    p.wait_for("Summary updated");
    p.keys(&["n"]);
    p.text(&format!("outcome note Authorization: Bearer {TOKEN}"));
    p.keys(&["C-s"]);
    p.wait_for("Note added");
    p.keys(&["y"]);
    p.wait_for("Copied the ticket");
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");

    let mut outputs: Vec<(String, String)> = Vec::new();
    for dir in [
        p.sb.data_dir().join("sessions"),
        p.sb.tickets_dir(),
        p.sb.data_dir().join("logs"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            outputs.push((
                entry.path().display().to_string(),
                std::fs::read_to_string(entry.path()).unwrap(),
            ));
        }
    }
    let buffers = p.tmux(&["list-buffers", "-F", "#{buffer_name}"]);
    let buffers = String::from_utf8_lossy(&buffers.stdout).into_owned();
    for name in buffers.lines() {
        let text = p.tmux(&["show-buffer", "-b", name]).stdout;
        outputs.push((
            format!("clipboard {name}"),
            String::from_utf8_lossy(&text).into(),
        ));
    }
    let names: Vec<&str> = outputs.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("authdesk.log")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("clipboard")),
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.contains("ESC-")).count(),
        2,
        "{names:?}"
    );
    for (name, text) in &outputs {
        for canary in NEVER {
            assert!(
                !text.contains(canary),
                "{canary} leaked into {name}:\n{text}"
            );
        }
    }
    let md = outputs.iter().find(|(n, _)| n.ends_with(".md")).unwrap();
    for shown in [
        "api_key=sk_live_CANA",
        "walk note sk_live_CANA",
        "outcome note",
    ] {
        assert!(
            md.1.contains(shown),
            "{shown} missing from the ticket:\n{}",
            md.1
        );
    }
}

/// Issue 13 item 8: the outcome opens the path and the evidence that led to it, and Esc goes
/// back to the intake with its values to walk again.
#[test]
fn the_outcome_opens_its_path_and_evidence_and_esc_returns_to_intake() {
    let p = Pane::new(80, 24);
    p.run(&["walk", "401", "--input", "customer_id=cus_1001"], &[]);
    p.wait_for("Intake");
    p.text("key_revoked");
    p.keys(&["C-s"]);
    p.wait_walking();
    let screen = p.answer_until(ANSWERS_401, "Ticket preview");
    assert!(screen.contains("Tab path/evidence"), "{screen}");
    p.keys(&["Tab"]);
    let screen = p.wait_for("┌ Path");
    assert!(screen.contains("Key validation down?"), "{screen}");
    p.keys(&["Tab"]);
    p.wait_for("┌ Evidence");
    p.keys(&["Escape"]);
    let screen = p.wait_for("▸ Intake");
    assert!(
        screen.contains("key_revoked"),
        "the values are kept:\n{screen}"
    );
    p.keys(&["C-s"]);
    p.wait_walking();
    p.answer_until(ANSWERS_401, "Ticket preview");
}
