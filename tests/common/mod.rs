//! A small vocabulary for driving the real `authdesk` binary in tests: every command runs
//! with its own empty data, tickets and config folders, so tests never see each other's files
//! or the machine's configuration.

#![allow(dead_code)] // each test binary uses a different part of this module

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The fixed "now" of every test that needs a clock: results never depend on the day.
pub fn now() -> DateTime<Utc> {
    "2026-11-22T10:00:00Z".parse().expect("a valid time")
}

/// Each item's `field` as text, from a JSON array (`findings`, `choices`, `items`...).
pub fn strs<'a>(array: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("no text `{field}` in {item}"))
        })
        .collect()
}

pub struct Sandbox {
    pub dir: TempDir,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn tickets_dir(&self) -> PathBuf {
        self.path().join("tickets")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    /// The whole environment the binary runs with: nothing from the machine but `PATH`, so
    /// neither the developer's `AUTHDESK_CONFIG` nor their admin API can leak in.
    pub fn env(&self) -> Vec<(String, String)> {
        let path = |p: PathBuf| p.display().to_string();
        [
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", path(self.path().to_path_buf())),
            ("XDG_CONFIG_HOME", path(self.path().join("config"))),
            ("XDG_DATA_HOME", path(self.data_dir())),
            ("AUTHDESK_DATA_DIR", path(self.data_dir())),
            ("AUTHDESK_TICKETS_DIR", path(self.tickets_dir())),
            ("AUTHDESK_AGENT", "test-agent".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// The binary as a plain process (to spawn, e.g. a server), with only [`Sandbox::env`].
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_authdesk"));
        cmd.env_clear().envs(self.env());
        cmd
    }

    /// The binary, isolated from the machine's configuration and from other tests.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_cmd(self.cmd().args(args))
    }

    pub fn run_cmd(&self, cmd: &mut Command) -> Output {
        let out = cmd.output().expect("binary runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// Every file under the sandbox, with its content, for leak checks.
    pub fn all_files(&self) -> Vec<(PathBuf, String)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default())
                        .into_owned();
                    out.push((path, text));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }

    /// The tickets written so far, as (markdown, json) texts.
    pub fn tickets(&self) -> Vec<(String, serde_json::Value)> {
        let mut jsons: Vec<PathBuf> = std::fs::read_dir(self.tickets_dir())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        jsons.sort();
        jsons
            .into_iter()
            .map(|json| {
                let md = std::fs::read_to_string(json.with_extension("md"))
                    .expect("markdown beside json");
                let value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json"))
                    .expect("valid json");
                (md, value)
            })
            .collect()
    }
}

/// Asserts a ticket validates against `assets/ticket.schema.json`.
pub fn assert_valid_ticket(ticket: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../assets/ticket.schema.json"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(ticket)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "ticket does not match its schema:\n{}\n{ticket:#}",
        errors.join("\n")
    );
}

/// `authdesk demo-api` as a process of its own on an ephemeral loopback port, as a real admin
/// API would be: `args` add faults or data, `env` its admin token. Killed when dropped.
pub struct DemoApiProcess {
    child: std::process::Child,
    pub url: String,
}

impl DemoApiProcess {
    pub fn start(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = sb
            .process()
            .args(["demo-api", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("demo-api starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("demo-api prints its address");
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{line}");
        Self { child, url }
    }
}

impl Drop for DemoApiProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub mod cases;
pub mod saved_cases;
pub mod tmux;
