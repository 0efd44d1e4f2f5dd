//! Plain mode at a real terminal (tmux), where a person types: a key typed at intake is not
//! echoed and echo comes back afterwards, and a line typed while evidence is still arriving
//! never answers a question that was not yet shown. They need tmux and fail without it.

mod common;
use authdesk::runbook::Catalog;
use authdesk::tui::form::Form;
use common::Sandbox;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_authdesk");
const CANARY: &str = "sk_live_CANARY0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf";
const EXITED: &str = "[authdesk exited";

struct Pane {
    socket: String,
    sb: Sandbox,
}

impl Pane {
    fn new() -> Pane {
        let sb = Sandbox::new();
        let socket = format!(
            "authdesk-plain-{}-{}",
            std::process::id(),
            sb.path().file_name().unwrap().to_string_lossy()
        );
        let pane = Pane { socket, sb };
        pane.tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "100",
            "-y",
            "40",
            "sleep 600",
        ]);
        pane.tmux(&["set-option", "-g", "history-limit", "20000"]);
        pane
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs (apt-get install tmux)");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs authdesk in the pane; when it has left, the shell prints its exit status and
    /// whether the terminal echoes again.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) {
        let vars: Vec<String> = self
            .sb
            .env()
            .into_iter()
            .chain(env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let program = vars
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(BIN))
            .chain(args.iter().copied());
        let line = format!(
            "env -i TERM=\"$TERM\" {}; st=$?; stty -a | tr ' ' '\\n' | grep -x -- '-\\?echo'; echo \"{EXITED} $st]\"; sleep 600",
            shell_words::join(program)
        );
        self.tmux(&["respawn-pane", "-k", "-t", "t", &line]);
    }

    fn line(&self, text: &str) {
        if !text.is_empty() {
            self.tmux(&["send-keys", "-t", "t", "-l", text]);
        }
        self.tmux(&["send-keys", "-t", "t", "Enter"]);
    }

    /// Everything the pane has shown, scrolled off or not.
    fn history(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-S", "-", "-t", "t"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.history();
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "`{needle}` never appeared:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The labels of the 401 runbook's intake fields.
fn fields() -> Vec<String> {
    let catalog = Catalog::builtin();
    let form = Form::new(catalog.find("401").expect("built in"), &Default::default());
    form.fields.iter().map(|f| f.label.clone()).collect()
}

#[test]
fn a_key_typed_at_a_terminal_is_not_echoed_and_echo_returns_on_ctrl_c() {
    let pane = Pane::new();
    pane.run(&["walk", "401", "--plain"], &[]);
    pane.wait_for("Field 1 of");
    pane.line("cus_1001");
    pane.wait_for("Field 2 of");
    pane.line("");
    pane.wait_for("Pasted key or token");
    pane.line(CANARY);
    let shown = pane.wait_for("Pasted key or token: sk_live_CANA");
    assert!(shown.contains("(masked)"), "{shown}");
    assert!(!shown.contains("CANARY0q7"), "the key was echoed:\n{shown}");
    pane.tmux(&["send-keys", "-t", "t", "C-c"]);
    let end = pane.wait_for(EXITED);
    assert!(end.contains("Continue with: authdesk resume"), "{end}");
    assert!(end.contains(&format!("{EXITED} 0]")), "{end}");
    let echo: Vec<&str> = end
        .lines()
        .filter(|l| l.trim() == "echo" || l.trim() == "-echo")
        .collect();
    assert_eq!(echo, ["echo"], "the terminal's echo is not back:\n{end}");
    for (path, text) in pane.sb.all_files() {
        assert!(
            !text.contains("CANARY0q7"),
            "key written to {}",
            path.display()
        );
    }
}

#[test]
fn a_line_typed_while_evidence_arrives_does_not_answer_the_next_question() {
    let pane = Pane::new();
    pane.run(
        &["walk", "401", "--plain"],
        &[("AUTHDESK_DEMO_LATENCY_MS", "2000")],
    );
    let fields = fields();
    for (i, label) in fields.iter().enumerate() {
        pane.wait_for(&format!("Field {} of {}: {label}", i + 1, fields.len()));
        // An empty line skips a field, a multi-line one too.
        pane.line(if i == 0 { "cus_1001" } else { "" });
    }
    pane.wait_for("Waiting for the evidence");
    // Meant for nothing on screen: the walk's first question is not shown yet.
    pane.line("1");
    // The demo's health rules out an outage, so the first question is the key's status.
    let asked = pane.wait_for("): Key status?");
    let after = pane.wait_for("Ignored “1”: typed before this question was shown.");
    assert!(!after.contains("Answered:"), "{asked}\n{after}");
    pane.line("5");
    pane.wait_for("Answered: Active");
}

#[test]
fn a_case_left_in_plain_mode_resumes_in_the_terminal_app_at_the_same_question() {
    use std::io::Write;
    let pane = Pane::new();
    let mut input = String::from("cus_1001\n");
    input.push_str(&"\n".repeat(fields().len() - 1));
    input.push_str("q\n");
    let mut child = pane
        .sb
        .process()
        .args(["walk", "401", "--plain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("input written");
    let out = child.wait_with_output().expect("binary ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Key status?"), "{stdout}");
    let id = stdout
        .lines()
        .find_map(|l| l.split("authdesk resume ").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no resume hint:\n{stdout}"))
        .to_string();

    pane.run(&["resume", &id], &[]);
    let screen = pane.wait_for("Look the key up in the admin dashboard");
    assert!(screen.contains("Resumed session"), "{screen}");
}
