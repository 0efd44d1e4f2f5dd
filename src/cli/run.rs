//! `authdesk run`: walks a runbook without a terminal, for scripts handing off escalations.
//!
//! Answers come from `--answer NODE=CHOICE` and `--answers FILE.toml`; evidence from the
//! configured admin API, the built-in demo data with `--demo`, or none with `--offline`. A
//! script must pick one: demo data is never used silently. When the walk needs an answer it
//! was not given, nothing is written and the exit code says so.

use super::{Exit, catalog};
use crate::admin;
use crate::config::{AdminConfig, Config};
use crate::escape::line;
use crate::intake::Given;
use crate::runbook::{NodeKind, Runbook};
use crate::ticket::{Context, Ticket, trackers};
use crate::walk::{Answerer, Position, Walk};
use anyhow::{Context as _, Result, bail};
use chrono::Utc;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TicketFormat {
    Markdown,
    Json,
    /// The body of a GitHub "create an issue" request.
    Github,
    /// The body of a Jira Cloud "create issue" request, its description an Atlassian
    /// Document Format document (project from --jira-project).
    Jira,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// A runbook id (`401`, `403-forbidden`) or a path to a runbook file.
    pub runbook: String,
    /// An intake value, e.g. `--input key_id=key_live_42`; `NAME=@FILE` reads the value from
    /// a file and `NAME=@-` from standard input, as curl does.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = pair)]
    pub inputs: Vec<(String, String)>,
    /// The answer to a question, e.g. `--answer ask-key-status=revoked`.
    #[arg(long = "answer", value_name = "NODE=CHOICE", value_parser = pair)]
    pub answers: Vec<(String, String)>,
    /// A TOML file with `[inputs]` and `[answers]` tables; flags override it.
    #[arg(long = "answers", value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
    /// How the ticket (or the question needing an answer) is printed.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: TicketFormat,
    /// Write the ticket to this file instead of the tickets folder.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The Jira project key for `--format jira`.
    #[arg(long, value_name = "KEY", default_value = "SUP")]
    pub jira_project: String,
    /// The customer's failing request: a curl command, raw HTTP request or header list.
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,
    /// The customer's bearer token (JWT), decoded without verification.
    #[arg(long, value_name = "FILE")]
    pub jwt: Option<PathBuf>,
    /// The error response the customer got (status line, headers, body).
    #[arg(long, value_name = "FILE")]
    pub response: Option<PathBuf>,
    /// Access logs to triage (JSON lines, nginx combined or common, uvicorn; gzip too).
    #[arg(long = "log", value_name = "FILE")]
    pub logs: Vec<PathBuf>,
    /// Do not query the admin API: every check without facts becomes a question.
    #[arg(long, conflicts_with = "demo")]
    pub offline: bool,
    /// Take evidence from the built-in demo data (dated today) instead of an admin API; the
    /// ticket is marked as demo data.
    #[arg(long)]
    pub demo: bool,
}

/// Where a script's evidence comes from; there is no default, so a script that forgot to
/// configure the admin API cannot file a ticket built from demo data.
fn evidence_source(args: &RunArgs, config: &Config) -> Result<Option<AdminConfig>> {
    if args.offline {
        return Ok(None);
    }
    let mut admin = config.admin.clone();
    if args.demo {
        // No URL is how the admin layer is told to start its demo API.
        admin.url.value = None;
        return Ok(Some(admin));
    }
    if admin.url.value.is_none() {
        bail!(
            "no admin API configured: set AUTHDESK_ADMIN_URL or `[admin] url` in the config \
             file, or pass --demo (the built-in demo data, dated today) or --offline (walk \
             without evidence)"
        );
    }
    // Refused before any connection: the admin token must not cross the network in clear.
    admin.checked_url()?;
    Ok(Some(admin))
}

pub(super) fn pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!(
            "`{}` is not NAME=VALUE",
            crate::secret::redact(s, &[])
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    #[serde(default)]
    inputs: BTreeMap<String, String>,
    #[serde(default)]
    answers: BTreeMap<String, String>,
}

pub fn run(args: RunArgs, config: &Config) -> Result<Exit> {
    let rb = catalog::runbook(&args.runbook, config)?;
    let AnswersFile { inputs, answers } = merged_inputs(&args)?;
    check_answers(&rb, &answers)?;
    let admin = evidence_source(&args, config)?;
    let now = Utc::now();
    let inputs: Vec<(String, Given)> = inputs
        .into_iter()
        .map(|(name, text)| (name, Given::Text(text)))
        .collect();
    let mut facts = crate::intake::facts(&rb, &inputs, now)?;

    let gathered = admin.map(|admin| admin::gather_blocking(&admin, &facts, now));
    let demo = gathered.as_ref().is_some_and(|g| g.demo);
    if let Some(g) = &gathered {
        facts.extend(&g.facts);
    }
    let pastes = read_pastes(&args)?;
    let gateway = &config.gateway.value;
    let diagnosed = crate::intake::diagnostic_facts(
        pastes,
        &facts,
        &gateway.request_context(),
        gateway.jwt_audience.as_deref(),
        now,
    )?;
    facts.extend(&diagnosed);
    let mut walk = Walk::start(&rb, facts, now)?;
    for (what, reason) in gathered.iter().flat_map(|g| &g.unavailable) {
        walk.record_unavailable(crate::facts::FactSource::AdminApi, what, reason, now);
    }

    loop {
        let (node, question) = match walk.position(&rb)? {
            Position::Outcome { .. } => break,
            Position::Question { node, question } => (node.to_string(), question),
        };
        let Some(choice) = answers.get(&node) else {
            print_needs_answer(&rb, &walk, &node, args.format);
            return Ok(Exit::NeedsAnswer);
        };
        debug_assert!(
            question.choice(choice).is_some(),
            "answers were checked up front"
        );
        walk.answer(&rb, &node, choice, Answerer::Script, Utc::now())?;
    }

    // Saved tickets of the same incident are linked, and the same customer's is a duplicate.
    let saved = crate::store::saved_incidents(&config.tickets_dir.value);
    let cx = Context {
        agent: &config.agent.value,
        demo_data: demo,
        now: Utc::now(),
        related: &saved,
    };
    let ticket = Ticket::from_walk(&rb, &walk, &cx)?;
    // Also in the ticket (`contradictions`, `conflicts`); said here so a script's log shows
    // them without parsing.
    for c in &ticket.contradictions {
        eprintln!("conflict: {}", line(&c.describe()));
    }
    for c in &ticket.conflicts {
        eprintln!("conflict: {}", line(&c.describe()));
    }
    let text = match args.format {
        TicketFormat::Markdown => ticket.to_markdown(),
        TicketFormat::Json => ticket.to_json(),
        TicketFormat::Github => pretty(&trackers::github_issue(&ticket)),
        TicketFormat::Jira => pretty(&trackers::jira_issue(&ticket, &args.jira_project)),
    };
    let written = match &args.out {
        Some(path) => {
            write_out(path, &text)?;
            vec![path.clone()]
        }
        None => crate::store::save_ticket(&ticket, &config.tickets_dir.value)?,
    };
    println!("{text}");
    for path in written {
        eprintln!("ticket written: {}", path.display());
    }
    Ok(if ticket.outcome.escalated() {
        Exit::Escalated
    } else {
        Exit::Ok
    })
}

/// Inputs and answers from the file, with the command line's taking precedence.
fn merged_inputs(args: &RunArgs) -> Result<AnswersFile> {
    let file = match &args.answers_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read answers file {}", path.display()))?;
            let src = crate::runbook::SourceFile::new(path, text);
            toml::from_str::<AnswersFile>(&src.text).map_err(|e| {
                anyhow::anyhow!(
                    "{}",
                    src.diagnostic(e.span().unwrap_or(0..0), e.message().trim())
                )
            })?
        }
        None => AnswersFile::default(),
    };
    let mut merged = file;
    for (name, value) in &args.inputs {
        merged
            .inputs
            .insert(name.clone(), input_value(name, value)?);
    }
    merged.answers.extend(args.answers.iter().cloned());
    Ok(merged)
}

/// A flag's value, read from the file it names when it starts with `@` (`@-`: stdin). A
/// customer's error body is pasted into a file far more often than quoted on a command line.
pub(super) fn input_value(name: &str, value: &str) -> Result<String> {
    let Some(path) = value.strip_prefix('@') else {
        return Ok(value.to_string());
    };
    if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .with_context(|| format!("--input {name}=@-: cannot read standard input"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).with_context(|| format!("--input {name}=@{path}: cannot read"))
}

fn read_pastes(args: &RunArgs) -> Result<crate::intake::Pastes> {
    let read = |path: &Option<PathBuf>| -> Result<Option<(String, String)>> {
        path.as_ref()
            .map(|p| {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?;
                Ok((p.display().to_string(), text))
            })
            .transpose()
    };
    Ok(crate::intake::Pastes {
        request: read(&args.request)?,
        jwt: read(&args.jwt)?,
        response: read(&args.response)?,
        logs: crate::triage::case_logs(&args.logs),
    })
}

/// Refuses answers that could never apply, before anything runs.
pub(super) fn check_answers(rb: &Runbook, answers: &BTreeMap<String, String>) -> Result<()> {
    for (node, choice) in answers {
        let Some(n) = rb.node(node) else {
            bail!(
                "--answer {node}={choice}: runbook `{}` has no node `{node}`",
                rb.id
            );
        };
        let NodeKind::Question(q) = &n.kind else {
            bail!(
                "--answer {node}={choice}: `{node}` is a {}, not a question",
                n.kind.name()
            );
        };
        if q.choice(choice).is_none() {
            let valid: Vec<&str> = q.choices.iter().map(|c| c.id.as_str()).collect();
            bail!(
                "--answer {node}={choice}: no such choice (choices: {})",
                valid.join(", ")
            );
        }
    }
    Ok(())
}

fn write_out(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::store::private_dir(dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    crate::store::write_new(path, text.as_bytes())
        .with_context(|| format!("cannot write ticket {}", path.display()))
}

fn print_needs_answer(rb: &Runbook, walk: &Walk, node: &str, format: TicketFormat) {
    let Some(n) = rb.node(node) else { return };
    let NodeKind::Question(q) = &n.kind else {
        return;
    };
    let missing: Vec<&String> = walk
        .steps()
        .last()
        .into_iter()
        .flat_map(|s| match &s.decision {
            crate::walk::Decision::Undecided { missing, .. } if s.next == node => {
                missing.iter().collect()
            }
            _ => Vec::new(),
        })
        .collect();
    match format {
        TicketFormat::Json | TicketFormat::Github | TicketFormat::Jira => {
            let value = serde_json::json!({
                "status": "needs_answer",
                "runbook": rb.id,
                "node": node,
                "question": n.text.trim(),
                "help": n.help.trim(),
                "choices": q.choices.iter().map(|c| serde_json::json!({"id": c.id, "label": c.label})).collect::<Vec<_>>(),
                "missing_facts": missing,
                "evidence_unavailable": walk.unavailable(),
                "steps_taken": walk.steps().len(),
            });
            println!("{}", pretty(&value));
        }
        TicketFormat::Markdown => {
            println!("needs an answer at `{node}`: {}", line(n.text.trim()));
            if !missing.is_empty() {
                let missing: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                println!(
                    "  (the check could not decide: unknown {})",
                    missing.join(", ")
                );
            }
            for u in walk.unavailable() {
                println!(
                    "  evidence unavailable: {}: {}",
                    line(&u.what),
                    line(&u.reason)
                );
            }
            println!("choices:");
            for c in &q.choices {
                println!("  {:<24} {}", line(&c.id), line(&c.label));
            }
            println!("answer with: --answer {node}=CHOICE");
        }
    }
}

fn pretty(value: &serde_json::Value) -> String {
    // A JSON value always serializes.
    crate::escape::json(value).unwrap_or_default()
}
