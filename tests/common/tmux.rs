//! tmux end-to-end harness: one tmux server per test, running the real binary in a pane with
//! the sandbox's cleared environment, so tests drive authdesk with keystrokes as a person would
//! and read back screens, exit statuses and files.

use super::Sandbox;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_authdesk");
/// What the pane's shell prints when authdesk has left, before its exit status.
pub const EXITED: &str = "[authdesk exited";

pub fn require_tmux() {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "these tests drive authdesk in tmux, which is not installed (apt-get install tmux)"
    );
}

/// One tmux server with one pane running authdesk.
pub struct Pane {
    socket: String,
    pub sb: Sandbox,
}

impl Pane {
    pub fn new(width: u16, height: u16) -> Pane {
        require_tmux();
        let sb = Sandbox::new();
        let socket = format!(
            "authdesk-e2e-{}-{}",
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
            &width.to_string(),
            "-y",
            &height.to_string(),
            "sleep 600",
        ]);
        pane.tmux(&["set-option", "-g", "remain-on-exit", "on"]);
        pane
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
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

    /// Runs authdesk in the pane (replacing whatever ran there) with the sandbox's cleared
    /// environment, the pane's `TERM`, and `env`.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) {
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
        // The shell reports the exit status on screen: tmux's own `pane_dead_status` is lost
        // when it sees the terminal close before the process is reaped. `env` execs authdesk,
        // so it stays the shell's child; the pane's `TERM` is the one thing kept from tmux.
        // A killed authdesk leaves the terminal raw (no carriage return on a line feed), so the
        // status goes on a line of its own after `stty sane`.
        let line = format!(
            "env -i TERM=\"$TERM\" {}; st=$?; stty sane; printf '\\r\\n{EXITED} %s]\\r\\n' $st; sleep 600",
            shell_words::join(program)
        );
        self.tmux(&["respawn-pane", "-k", "-t", "t", &line]);
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    pub fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    pub fn wait_for(&self, needle: &str) -> String {
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
    pub fn wait_walking(&self) -> String {
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

    pub fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// authdesk's exit status (`137` when killed), waiting for it to leave.
    pub fn exit_status(&self) -> String {
        let screen = self.wait_for(EXITED);
        let at = screen.find(EXITED).unwrap() + EXITED.len();
        // The marker is printed where the cursor was left, so it may wrap at the pane's edge.
        screen[at..]
            .split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .collect()
    }

    /// authdesk's pid: the child of the pane's shell.
    pub fn app_pid(&self) -> String {
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

    /// Answers questions by their text until `until` shows. Bounded by time, not by rounds:
    /// under load the evidence can take seconds to decide the checks between two questions.
    pub fn answer_until(&self, answers: &[(&str, &str)], until: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
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

    /// Pastes `text` as a terminal does (bracketed; tmux, like xterm and VTE, sends its line
    /// breaks as CR).
    pub fn paste(&self, text: &str) {
        self.tmux(&["set-buffer", "-b", "pasted", text]);
        self.tmux(&["paste-buffer", "-p", "-d", "-b", "pasted", "-t", "t"]);
    }

    /// Tabs through the intake form until the field labelled `label` has the focus.
    pub fn focus_field(&self, label: &str) {
        let focused = format!("▸ {label}");
        for _ in 0..16 {
            let screen = self.screen();
            if screen.contains(&focused) {
                return;
            }
            self.keys(&["Tab"]);
            self.wait_change(&screen);
        }
        self.wait_for(&focused);
    }

    /// Waits until `needle` has left the screen (a popup closed), and returns the screen.
    pub fn wait_gone(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "`{needle}` never went away; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_change(&self, before: &str) {
        let start = Instant::now();
        while self.screen() == before && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(30));
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
