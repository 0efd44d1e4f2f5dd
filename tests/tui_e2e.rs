//! The real binary driven in tmux, as a person would: keystrokes in, screens and files out.
//! Each test has its own tmux server and its own data and tickets folders.
//!
//! They run with or without the admin API: where the built-in demo API answers, checks decide
//! by themselves; where it is missing, the same questions are answered by keys. The latency
//! test needs the demo API and says so when it is not there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_authdesk");
const PASTED_KEY: &str = "sk_live_0123456789abcdef0123";
/// What the pane's shell prints when authdesk has left, before its exit status.
const EXITED: &str = "[authdesk exited";

fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    // CI installs tmux (.ci/run): there, a missing tmux is a failure, not a quiet pass.
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "tmux is required in CI"
    );
    if !ok {
        eprintln!("skipping: tmux is not installed (apt-get install tmux)");
    }
    ok
}

/// One tmux server with one pane running authdesk.
struct Pane {
    socket: String,
    dir: tempfile::TempDir,
}

impl Pane {
    fn new(width: u16, height: u16) -> Pane {
        let dir = tempfile::tempdir().unwrap();
        let socket = format!(
            "authdesk-e2e-{}-{}",
            std::process::id(),
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let pane = Pane { socket, dir };
        pane.tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "sleep 600",
        ]);
        pane.tmux(&["set-option", "-g", "remain-on-exit", "on"]);
        pane
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn tickets(&self) -> PathBuf {
        self.dir.path().join("tickets")
    }

    /// Runs authdesk in the pane (replacing whatever ran there) with isolated folders.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) {
        let data = format!("AUTHDESK_DATA_DIR={}", self.data().display());
        let tickets = format!("AUTHDESK_TICKETS_DIR={}", self.tickets().display());
        let config = format!(
            "XDG_CONFIG_HOME={}",
            self.dir.path().join("config").display()
        );
        let mut cmd: Vec<String> = [
            "respawn-pane",
            "-k",
            "-t",
            "t",
            "-e",
            &data,
            "-e",
            &tickets,
            "-e",
            &config,
            "-e",
            "AUTHDESK_AGENT=alice",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (k, v) in env {
            cmd.push("-e".into());
            cmd.push(format!("{k}={v}"));
        }
        // The shell reports the exit status on screen: tmux's own `pane_dead_status` is lost
        // when it sees the terminal close before the process is reaped.
        let line = shell_words::join(std::iter::once(BIN).chain(args.iter().copied()));
        cmd.push(format!("{line}; echo \"{EXITED} $?]\"; sleep 600"));
        let refs: Vec<&str> = cmd.iter().map(String::as_str).collect();
        self.tmux(&refs);
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "`{needle}` never appeared; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the walk to start: it may already have reached its outcome when the demo
    /// API answered before the form was finished.
    fn wait_walking(&self) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains("▸ Walk") || screen.contains("▸ Outcome") {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no walk:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// authdesk's exit status (`137` when killed), waiting for it to leave.
    fn exit_status(&self) -> String {
        let screen = self.wait_for(EXITED);
        let at = screen.find(EXITED).unwrap() + EXITED.len();
        // The message may wrap at the pane's edge, inside the number.
        screen[at..]
            .trim_start()
            .split(']')
            .next()
            .unwrap()
            .replace('\n', "")
    }

    /// authdesk's pid: the child of the pane's shell.
    fn app_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let out = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        assert!(
            !pid.is_empty(),
            "authdesk is not running:\n{}",
            self.screen()
        );
        pid
    }

    /// Answers questions by their text until `until` shows.
    fn answer_until(&self, answers: &[(&str, &str)], until: &str) -> String {
        for _ in 0..20 {
            let screen = self.screen();
            if screen.contains(until) {
                return screen;
            }
            if let Some((_, key)) = answers.iter().find(|(q, _)| screen.contains(q)) {
                self.keys(&[key]);
                self.wait_change(&screen);
            } else {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!("never reached `{until}`:\n{}", self.screen());
    }

    fn wait_change(&self, before: &str) {
        let start = Instant::now();
        while self.screen() == before && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn ticket_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.tickets())
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

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
    if !tmux_available() {
        return;
    }
    let p = Pane::new(80, 24);
    p.run(&["walk", "401", "--input", "customer_id=cus_1001"], &[]);
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
    let files = p.ticket_files();
    assert_eq!(files.len(), 2, "{files:?}");
    let md = read(
        &files
            .iter()
            .find(|f| f.extension().unwrap() == "md")
            .unwrap()
            .clone(),
    );
    // The demo key was revoked by our secret scanning: that branch, not the generic one.
    assert!(md.contains("`key-revoked-leaked`"), "{md}");
    assert!(md.contains("| Agent | alice |"), "{md}");
    assert!(md.contains("sk_live_"), "the mask is in the ticket");
    assert!(!md.contains(PASTED_KEY), "the key itself is not");
    let json: serde_json::Value = serde_json::from_str(&read(
        files
            .iter()
            .find(|f| f.extension().unwrap() == "json")
            .unwrap(),
    ))
    .unwrap();
    assert_eq!(json["outcome"]["id"], "key-revoked-leaked");
    // The ticket is saved, so q leaves without asking.
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}

#[test]
fn an_ip_outside_the_allowlist_403_goes_from_intake_to_a_saved_ticket() {
    if !tmux_available() {
        return;
    }
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
    let md = p
        .ticket_files()
        .into_iter()
        .find(|f| f.extension().unwrap() == "md")
        .unwrap();
    let md = read(&md);
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
    if !tmux_available() {
        return;
    }
    let p = Pane::new(80, 24);
    p.run(
        &[
            "walk",
            "401",
            "--input",
            "customer_id=cus_1001",
            "--input",
            // Nothing on record explains this key's failures, so the walk ends on a question.
            "key_id=key_healthy",
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
    let at = p.screen();
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
    assert_eq!(p.exit_status(), "0");
    let log = read(&p.data().join("logs/authdesk.log"));
    assert!(
        log.contains("leaving on signal signal=\"SIGTERM\""),
        "{log}"
    );
    p.run(&["resume"], &[]);
    p.wait_for("Resumed session");
    let sessions = std::fs::read_dir(p.data().join("sessions"))
        .unwrap()
        .count();
    assert_eq!(sessions, 1, "one case, saved over and over");
}

#[test]
fn keys_move_the_selection_while_slow_queries_are_in_flight() {
    if !tmux_available() {
        return;
    }
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
    let start = Instant::now();
    p.keys(&["Down", "Down"]);
    let screen = p.wait_for("▸3");
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "keys waited for the queries"
    );
    let spinning = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    assert!(
        screen.chars().any(|c| spinning.contains(&c)),
        "queries still in flight:\n{screen}"
    );
}

#[test]
fn a_tiny_terminal_gets_a_message_not_a_garbled_screen() {
    if !tmux_available() {
        return;
    }
    let p = Pane::new(50, 12);
    p.run(&[], &[]);
    let screen = p.wait_for("Terminal too small");
    assert!(screen.contains("50x12"), "{screen}");
    p.tmux(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    p.wait_for("Start a case");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
}
