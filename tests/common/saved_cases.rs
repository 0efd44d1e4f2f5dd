//! A folder of saved cases with known figures, written through the library at fixed times so
//! screens that show them repeat: the shape of `tests/stats.rs`'s fixture (two 401 anomaly
//! escalations, one 401 missing credential, one suspended 403 account, two open 401 cases, one
//! untouched for three days), with answers that took the agent some minutes.

use super::{Sandbox, now};
use authdesk::facts::Facts;
use authdesk::runbook::Catalog;
use authdesk::session::Session;
use authdesk::ticket::{Context, Ticket};
use authdesk::walk::{Answerer, RunbookRef, Walk};
use chrono::{DateTime, Duration, Utc};

/// Writes the cases into the sandbox's tickets and data folders.
pub fn write(sb: &Sandbox) {
    let hours = |h| now() - Duration::hours(h);
    let anomaly = [("ask-wider-incident", "anomaly", 2)];
    ticket(sb, "401", &anomaly, hours(30));
    let anomaly = [("ask-wider-incident", "anomaly", 6)];
    ticket(sb, "401", &anomaly, hours(5));
    let no_credential = [
        ("ask-wider-incident", "just-this-customer", 1),
        ("ask-key-status", "active", 3),
        ("ask-credential-sent", "none", 2),
    ];
    ticket(sb, "401", &no_credential, hours(3));
    let suspended = [
        ("ask-wider-incident", "just-this-customer", 4),
        ("ask-account", "suspended", 1),
    ];
    ticket(sb, "403", &suspended, hours(200));
    open(sb, "20261122-090000-0a0a", Duration::hours(1));
    open(sb, "20261119-100000-0b0b", Duration::days(3));
}

/// A case on `runbook` started at `start`, each answer `(node, choice, minutes taken)`, its
/// ticket saved a minute after the last.
fn ticket(sb: &Sandbox, runbook: &str, answers: &[(&str, &str, i64)], start: DateTime<Utc>) {
    let catalog = Catalog::builtin();
    let rb = catalog.find(runbook).expect("a built-in runbook");
    let mut at = start;
    let mut walk = Walk::start(rb, Facts::new(), at).expect("the walk starts");
    for (node, choice, minutes) in answers {
        at += Duration::minutes(*minutes);
        let by = Answerer::Agent {
            name: "alice".into(),
        };
        walk.answer(rb, node, choice, by, at)
            .unwrap_or_else(|e| panic!("{node}={choice}: {e}"));
    }
    let cx = Context {
        agent: "alice",
        demo_data: false,
        now: at + Duration::minutes(1),
        related: &[],
    };
    let ticket = Ticket::from_walk(rb, &walk, &cx).expect("the walk reached an outcome");
    authdesk::store::save_ticket(&ticket, &sb.tickets_dir()).expect("the ticket is saved");
}

/// An open 401 case waiting at its first question, last saved `idle` before [`now`].
fn open(sb: &Sandbox, id: &str, idle: Duration) {
    let catalog = Catalog::builtin();
    let rb = catalog.find("401").expect("the 401 runbook");
    let at = now() - idle;
    let mut session = Session::new(id.into(), RunbookRef::of(rb), "alice", at);
    session.walk = Some(Walk::start(rb, Facts::new(), at).expect("the walk starts"));
    session.save(&sb.data_dir()).expect("the session is saved");
}
