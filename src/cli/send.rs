//! `authdesk send`: files a saved ticket at a configured `[[tracker]]`, shows what it would
//! send (`--dry-run`), or retries every send left pending (`--pending`).

use super::Exit;
use crate::config::{Config, Tracker};
use crate::outbox::{Courier, Credential, Records, Sent, credential, wire};
use crate::ticket::Ticket;
use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// A ticket's JSON file, its id (`ESC-20261122-a1b2c3`) in the tickets folder, or the
    /// session id of the case that saved it (`20261122-100000-abcd`, as `resume` takes it).
    #[arg(required_unless_present = "pending", value_name = "TICKET")]
    pub ticket: Option<String>,
    /// The `[[tracker]]` to send to, by name.
    #[arg(long = "to", value_name = "NAME", required_unless_present = "pending")]
    pub to: Option<String>,
    /// Print the request (method, URL, headers, body; the credential masked) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Resolve the PagerDuty page an earlier send of this ticket opened.
    #[arg(long, conflicts_with = "dry_run")]
    pub resolve: bool,
    /// Try again every send that did not go through.
    #[arg(long, conflicts_with_all = ["ticket", "to", "dry_run", "resolve"])]
    pub pending: bool,
}

pub fn run(args: SendArgs, config: &Config) -> Result<Exit> {
    let records = Records::new(&config.data_dir.value);
    if args.pending {
        return pending(config, &records);
    }
    // Invariant: clap requires both unless --pending.
    let (Some(ticket), Some(to)) = (args.ticket, args.to) else {
        bail!("give a ticket and --to NAME, or --pending");
    };
    let ticket = load_ticket(&ticket, config)?;
    let tracker = find(config, &to)?;
    let credential = credential_of(tracker)?;
    if args.dry_run {
        return dry_run(&ticket, tracker, &credential, &records);
    }
    let sent = runtime()?.block_on(async {
        let client = wire::client().map_err(anyhow::Error::msg)?;
        let now = chrono::Utc::now;
        let courier = Courier {
            client: &client,
            records: &records,
            now: &now,
        };
        anyhow::Ok(
            courier
                .send(&ticket, tracker, &credential, args.resolve)
                .await?,
        )
    })?;
    Ok(report(&sent, &tracker.target.name))
}

/// Prints what came of a send and picks its exit code.
fn report(sent: &Sent, target: &str) -> Exit {
    let text = crate::escape::lines(&sent.describe(target)).into_owned();
    match sent {
        Sent::NotSent { .. } => {
            eprintln!("authdesk: {text}");
            Exit::NotSent
        }
        _ => {
            println!("{text}");
            Exit::Ok
        }
    }
}

fn dry_run(
    ticket: &Ticket,
    tracker: &Tracker,
    credential: &Credential,
    records: &Records,
) -> Result<Exit> {
    let before = records
        .load(&ticket.id, &tracker.target.name)?
        .and_then(|r| r.remote);
    match crate::send::plan(ticket, &tracker.target, before.as_ref()) {
        crate::send::Plan::Send(request) => {
            super::emit(wire::describe(&request, credential).as_bytes())?;
        }
        crate::send::Plan::AlreadyFiled(r) => {
            println!(
                "already filed at {}: {}",
                tracker.target.name,
                crate::escape::line(r.show())
            );
        }
        crate::send::Plan::Skip(why) => println!("not sent to {}: {why}", tracker.target.name),
    }
    Ok(Exit::Ok)
}

/// Retries every pending send whose `Retry-After` has passed.
fn pending(config: &Config, records: &Records) -> Result<Exit> {
    let now = chrono::Utc::now();
    let mut exit = Exit::Ok;
    let mut count = 0;
    let rt = runtime()?;
    let client = wire::client().map_err(anyhow::Error::msg)?;
    for record in records.pending() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                eprintln!("authdesk: {e}");
                exit = Exit::NotSent;
                continue;
            }
        };
        if let crate::send::State::Pending {
            not_before: Some(t),
            ..
        } = record.state
            && t > now
        {
            println!(
                "{} at {}: waits until {t} (Retry-After)",
                record.ticket, record.target
            );
            exit = Exit::NotSent;
            continue;
        }
        count += 1;
        let result = (|| {
            let ticket = load_ticket(&record.ticket, config)?;
            let tracker = find(config, &record.target)?;
            let credential = credential_of(tracker)?;
            let clock = chrono::Utc::now;
            let courier = Courier {
                client: &client,
                records,
                now: &clock,
            };
            let sent = rt.block_on(courier.send(&ticket, tracker, &credential, false))?;
            anyhow::Ok(report(&sent, &tracker.target.name))
        })();
        match result {
            Ok(Exit::Ok) => {}
            Ok(other) => exit = other,
            Err(e) => {
                eprintln!(
                    "authdesk: {}: {}",
                    record.ticket,
                    crate::escape::lines(&format!("{e:#}"))
                );
                exit = Exit::NotSent;
            }
        }
    }
    if count == 0 && exit == Exit::Ok {
        println!("nothing pending");
    }
    Ok(exit)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn find<'a>(config: &'a Config, name: &str) -> Result<&'a Tracker> {
    config
        .trackers
        .value
        .iter()
        .find(|t| t.target.name == name)
        .with_context(|| {
            let names: Vec<&str> = config
                .trackers
                .value
                .iter()
                .map(|t| t.target.name.as_str())
                .collect();
            if names.is_empty() {
                format!(
                    "no tracker `{name}`: authdesk.toml has no [[tracker]] (see docs/sending.md)"
                )
            } else {
                format!("no tracker `{name}`; configured: {}", names.join(", "))
            }
        })
}

fn credential_of(tracker: &Tracker) -> Result<Credential> {
    let env = |name: &str| std::env::var(name).ok();
    Ok(credential::load(tracker, &env, &credential::os_keyring)?)
}

/// A ticket from its JSON file, by id from the tickets folder, or by the session id of the
/// case that saved it.
fn load_ticket(arg: &str, config: &Config) -> Result<Ticket> {
    let path = ticket_path(arg, &config.tickets_dir.value, &config.data_dir.value)?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not an authdesk ticket", path.display()))
}

/// Where the ticket `arg` names is saved: a file, then a ticket id, then a session id. A
/// session id has its own shape (`20261122-100000-abcd`), so it can never be mistaken for a
/// ticket id (`ESC-…`).
fn ticket_path(arg: &str, tickets_dir: &Path, data_dir: &Path) -> Result<PathBuf> {
    let given = PathBuf::from(arg);
    if given.is_file() {
        return Ok(given);
    }
    let by_id = tickets_dir.join(format!("{arg}.json"));
    if by_id.is_file() && !arg.contains(['/', '\\']) {
        return Ok(by_id);
    }
    if crate::session::is_id(arg) {
        return session_ticket(arg, tickets_dir, data_dir);
    }
    bail!(
        "no ticket `{}`: neither a file, a ticket id in {}, nor a case's session id",
        crate::escape::line(arg),
        tickets_dir.display()
    )
}

/// The one JSON ticket the case `id` saved; a case with none, or (after a re-save) with
/// several, is refused with what to do instead.
fn session_ticket(id: &str, tickets_dir: &Path, data_dir: &Path) -> Result<PathBuf> {
    let session = crate::session::Session::load(data_dir, Some(id))
        .with_context(|| format!("no ticket `{id}`, and no case with that session id"))?;
    let saved: Vec<&PathBuf> = session
        .ticket_files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
        .collect();
    let recorded = match saved.as_slice() {
        [] => bail!(
            "case {id} has no saved ticket yet: finish it (`authdesk resume {id}`), save its \
             ticket, then send that"
        ),
        [one] => *one,
        many => {
            let names: Vec<String> = many.iter().map(|f| ticket_name(f)).collect();
            bail!(
                "case {id} saved {} tickets ({}): send one of them by its ticket id",
                many.len(),
                names.join(", ")
            )
        }
    };
    if recorded.is_file() {
        return Ok(recorded.clone());
    }
    // The tickets folder may have moved since (a new `tickets_dir`): look there by name.
    let here = recorded.file_name().map(|n| tickets_dir.join(n));
    match here {
        Some(path) if path.is_file() => Ok(path),
        _ => bail!(
            "case {id} saved ticket {}, which is no longer at {} nor in {}",
            ticket_name(recorded),
            recorded.display(),
            tickets_dir.display()
        ),
    }
}

/// A saved ticket's id, from its file name.
fn ticket_name(file: &Path) -> String {
    file.file_stem().map_or_else(
        || file.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
