//! Issue 13 through the real terminal: the app never acts on what the agent has not seen,
//! keeps pasted text as lines, shows a resumed ticket as saved, and says on leaving where the
//! case stands. Each test drives the real binary in tmux (tests/common/tmux.rs).

mod common;

use common::tmux::Pane;
use std::process::Command;

/// Nothing answers on port 9 of loopback: every question is asked, none decided by evidence.
const OFFLINE: (&str, &str) = ("AUTHDESK_ADMIN_URL", "http://127.0.0.1:9");

const ANSWERS_401: &[(&str, &str)] = &[
    ("┌ Platform incident? ", "5"),
    ("┌ Credential sent? ", "3"),
    ("┌ Key status? ", "2"),
];

/// The session id of the only case in the sandbox.
fn only_case(p: &Pane) -> String {
    let saved: Vec<_> = std::fs::read_dir(p.sb.data_dir().join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    saved[0].file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn keys_pressed_behind_terminal_too_small_do_nothing() {
    let p = Pane::new(80, 24);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_x",
        ],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_for("┌ Platform incident? ");
    p.tmux(&["resize-window", "-t", "t", "-x", "50", "-y", "12"]);
    p.wait_for("Terminal too small");
    // Before the fix: `j` then `2` answered the question, and `q` opened an unseen dialog.
    p.keys(&["j", "2", "5", "q", "Enter"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    let screen = p.wait_for("┌ Platform incident? ");
    assert!(!screen.contains("Leave without"), "{screen}");
    assert!(!screen.contains("Answered"), "{screen}");
    p.keys(&["C-c"]);
    assert_eq!(p.exit_status(), "0");
}

#[test]
fn a_key_pressed_as_evidence_moves_the_question_does_not_answer_the_new_one() {
    let p = Pane::new(120, 36);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1008",
            "--input",
            "key_id=key_quiet",
        ],
        &[("AUTHDESK_DEMO_LATENCY_MS", "3000")],
    );
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_for("┌ Platform incident? ");
    // The agent reaches for `1` just as the evidence lands.
    p.wait_for("Decided by evidence:");
    p.keys(&["1"]);
    let screen = p.wait_for("Not answered: the question just changed");
    assert!(!screen.contains("Answered:"), "{screen}");
    let session = std::fs::read_to_string(
        p.sb.data_dir()
            .join("sessions")
            .join(format!("{}.json", only_case(&p))),
    )
    .unwrap();
    assert!(
        !session.contains("\"kind\": \"answer\""),
        "no answer was recorded:\n{session}"
    );
    p.keys(&["C-c"]);
}

#[test]
fn a_paste_with_cr_line_breaks_reaches_the_ticket_as_lines() {
    let p = Pane::new(120, 40);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_x",
        ],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.focus_field("Error body");
    // tmux sends a bracketed paste's line breaks as CR, like xterm and VTE.
    p.paste("{\"error\":\"invalid_key\",\n\"hint\":\"rotate\"}");
    p.wait_for("\"hint\":\"rotate\"}");
    p.keys(&["C-s"]);
    p.wait_walking();
    p.answer_until(ANSWERS_401, "Ticket preview");
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    let (md, json) = p.sb.tickets().pop().expect("a saved ticket");
    assert!(!md.contains('\r'), "{md:?}");
    assert!(md.contains("{\"error\":\"invalid_key\",\n"), "{md}");
    assert!(!json.to_string().contains("\\r"), "{json}");
    p.keys(&["q"]);
}

#[test]
fn a_finished_case_resumed_shows_and_copies_the_ticket_on_disk() {
    let p = Pane::new(120, 40);
    p.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_x",
        ],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_walking();
    p.answer_until(ANSWERS_401, "Ticket preview");
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
    let id = only_case(&p);
    let md_file = std::fs::read_dir(p.sb.tickets_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|f| f.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let ticket_id = md_file.file_stem().unwrap().to_string_lossy().into_owned();
    let on_disk = std::fs::read_to_string(&md_file).unwrap();

    p.run(&["resume", &id], &[OFFLINE]);
    let screen = p.wait_for("Resumed session");
    assert!(screen.contains(&ticket_id), "the id on disk:\n{screen}");
    p.keys(&["y"]);
    p.wait_for("Copied the ticket");
    let buffers = p.tmux(&["list-buffers", "-F", "#{buffer_name}"]);
    let name = String::from_utf8_lossy(&buffers.stdout)
        .lines()
        .next()
        .expect("the clipboard was set")
        .to_string();
    let copied = p.tmux(&["show-buffer", "-b", &name]).stdout;
    assert_eq!(
        String::from_utf8_lossy(&copied),
        on_disk,
        "exactly the saved file"
    );
    p.keys(&["q"]);
}

#[test]
fn leaving_prints_where_the_case_stands_and_sigterm_exits_143() {
    let p = Pane::new(100, 30);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_x",
        ],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.keys(&["C-s"]);
    p.wait_for("┌ Platform incident? ");
    p.keys(&["C-c"]);
    assert_eq!(p.exit_status(), "0");
    let id = only_case(&p);
    // The line may wrap at the pane's edge.
    let screen = p.screen().replace('\n', "");
    assert!(
        screen.contains(&format!("case {id} is at “Platform incident?”")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("authdesk resume {id}")),
        "{screen}"
    );

    // Killed while a field is being typed: the field is saved, and the status says SIGTERM.
    p.run(
        &["walk", "403", "--input", "customer_id=cus_1015"],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.text("key_typed_not_left");
    p.wait_for("key_typed_not_left");
    Command::new("kill")
        .args(["-TERM", &p.app_pid()])
        .status()
        .unwrap();
    assert_eq!(p.exit_status(), "143");
    let screen = p.screen().replace('\n', "");
    assert!(
        screen.contains("is at intake; resume with: authdesk resume"),
        "{screen}"
    );
    let sessions = std::fs::read_dir(p.sb.data_dir().join("sessions")).unwrap();
    let texts: Vec<String> = sessions
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|x| x == "json"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("key_typed_not_left")),
        "{texts:?}"
    );
}

#[test]
fn a_key_owned_by_another_customer_is_flagged_and_the_ticket_waits_for_a_choice() {
    let p = Pane::new(120, 40);
    // `key_revoked` belongs to `cus_1003` in the demo data.
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            "key_id=key_revoked",
        ],
        &[],
    );
    p.wait_for("⚠ the key belongs to cus_1003, not cus_1001");
    p.keys(&["C-s"]);
    let screen = p.wait_walking();
    let screen = if screen.contains("Ticket preview") {
        screen
    } else {
        p.answer_until(ANSWERS_401, "Ticket preview")
    };
    assert!(
        screen.contains("Conflicts") || screen.contains("Conflict"),
        "{screen}"
    );
    p.keys(&["s"]);
    p.wait_for("Which customer?");
    assert!(p.sb.tickets().is_empty(), "nothing saved before the choice");
    p.keys(&["2"]);
    p.wait_for("Saved ESC-");
    let (md, json) = p.sb.tickets().pop().expect("a saved ticket");
    assert_eq!(json["customer_id"], "cus_1003", "{json}");
    assert_eq!(
        json["conflicts"][0]["settled"]["value"], "cus_1003",
        "{json}"
    );
    assert!(md.contains("## Conflicts"), "{md}");
    p.keys(&["q"]);
}

#[test]
fn a_pasted_curl_with_a_wrong_header_decides_bad_header_format() {
    let p = Pane::new(120, 40);
    p.run(
        &["walk", "401", "--input", "customer_id=cus_1001"],
        &[OFFLINE],
    );
    p.wait_for("Intake");
    p.focus_field("Customer's paste");
    p.paste(
        "curl -H 'Authorization: Token sk_live_0123456789abcdef0123' \\\n  https://api.example.com/v1/orders",
    );
    p.wait_for("✓ Read as request");
    p.keys(&["C-s"]);
    p.wait_walking();
    p.answer_until(&[("┌ Platform incident? ", "5")], "Ticket preview");
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    let (_, json) = p.sb.tickets().pop().expect("a saved ticket");
    assert_eq!(json["outcome"]["id"], "bad-header-format", "{json}");
    p.keys(&["q"]);
}

#[test]
fn a_damaged_session_is_listed_with_why_and_d_then_y_moves_it_to_the_archive() {
    let p = Pane::new(100, 30);
    let sessions = p.sb.data_dir().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("20261122-080000-0001.json"),
        "{\"format_version\": 7}",
    )
    .unwrap();
    p.run(&[], &[OFFLINE]);
    let screen = p.wait_for("20261122-080000-0001.json  damaged");
    assert!(
        screen.contains("written by a newer authdesk (session format 7"),
        "{screen}"
    );
    // Resume has focus after one Tab; its only row is the damaged file.
    p.keys(&["Tab"]);
    p.wait_for("d archive file");
    p.keys(&["d"]);
    let dialog = p.wait_for("Archive 20261122-080000-0001.json?");
    // `n` closes the dialog and keeps the file where it is.
    p.keys(&["n"]);
    p.wait_change(&dialog);
    let screen = p.screen();
    assert!(!screen.contains("Archive 2026"), "{screen}");
    assert!(screen.contains("0001.json  damaged"), "{screen}");
    assert!(sessions.join("20261122-080000-0001.json").exists());
    p.keys(&["d"]);
    p.wait_for("Archive 20261122-080000-0001.json?");
    p.keys(&["y"]);
    p.wait_for("Archived 20261122-080000-0001.json");
    // The list is read again after the move, a moment after the message.
    p.wait_for("No unfinished cases.");
    assert!(!sessions.join("20261122-080000-0001.json").exists());
    let kept = std::fs::read_to_string(sessions.join("archive/20261122-080000-0001.json")).unwrap();
    assert_eq!(
        kept, "{\"format_version\": 7}",
        "moved as it was, not rewritten"
    );
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}
