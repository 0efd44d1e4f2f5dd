//! A small vocabulary for driving the real `authdesk` binary in tests: every command runs
//! with its own empty data, tickets and config folders, so tests never see each other's files
//! or the machine's configuration.

#![allow(dead_code)] // each test binary uses a different part of this module

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

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

    /// The binary, isolated from the machine's configuration and from other tests.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("authdesk").expect("binary built");
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("AUTHDESK_DATA_DIR", self.path().join("data"))
            .env("AUTHDESK_TICKETS_DIR", self.tickets_dir())
            .env("AUTHDESK_AGENT", "test-agent");
        cmd
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
