//! Realistic cases driven through the core, shared by the scenario tests: the facts a case
//! would hold (each from the source that provides it), a walk to its outcome with scripted
//! answers, and the ticket it writes.

use super::now;
use authdesk::facts::{Facts, lookup};
use authdesk::runbook::{Catalog, Resolution, Runbook, Severity};
use authdesk::ticket::{Context, Ticket};
use authdesk::walk::{Answerer, Walk};

pub fn runbook(name: &str) -> Runbook {
    Catalog::builtin().find(name).unwrap().clone()
}

/// Facts as the case would hold them, each from the source that provides it.
pub fn facts(pairs: &[(&str, &str)]) -> Facts {
    let mut f = Facts::new();
    for (name, value) in pairs {
        let source = lookup(name).unwrap().source;
        f.insert_text(name, value, source, now()).unwrap();
    }
    f
}

/// A key the admin API knows, the account it belongs to, and a healthy platform.
pub const ACTIVE: &[(&str, &str)] = &[
    ("customer_id", "cus_1001"),
    ("key_id", "key_42"),
    ("health.status", "ok"),
    ("health.auth_latency_p99_ms", "40"),
    ("incident.customers_affected", "0"),
    ("customer.status", "active"),
    ("customer.plan", "growth"),
    ("key.status", "active"),
    ("key.customer_id", "cus_1001"),
    ("key.accepted_header", "X-API-Key"),
    ("key.credential_header", "X-API-Key: <your key>"),
    ("usage.rate_exhausted", "false"),
    ("usage.rate_limit", "600"),
    ("usage.rate_window_s", "60"),
    ("usage.quota_exhausted", "false"),
    ("failures.anomaly", "false"),
    ("failures.top_reason", "none"),
    ("failures.upstream_decided", "false"),
    ("ip.allowed", "true"),
    ("scopes.sufficient", "true"),
    ("audit.permission_changed", "false"),
    ("audit.permission_narrowed", "false"),
];

/// The case: [`ACTIVE`] overlaid with `extra` and the pastes' facts, walked with `answers`
/// (`question=choice`).
pub fn start(rb: &Runbook, extra: &[(&str, &str)], pasted: &[Facts], answers: &[&str]) -> Walk {
    let mut f = facts(ACTIVE);
    f.extend(&facts(extra));
    for p in pasted {
        f.extend(p);
    }
    let mut walk = Walk::start(rb, f, now()).unwrap();
    for a in answers {
        let (node, choice) = a.split_once('=').unwrap();
        walk.answer(rb, node, choice, Answerer::Script, now())
            .unwrap_or_else(|e| panic!("{a}: {e} (at {})", walk.current()));
    }
    walk
}

/// The ticket of the case [`start`] walks.
pub fn ticket(rb: &str, extra: &[(&str, &str)], pasted: &[Facts], answers: &[&str]) -> Ticket {
    let rb = runbook(rb);
    let walk = start(&rb, extra, pasted, answers);
    let cx = Context {
        agent: "test-agent",
        demo_data: false,
        now: now(),
        related: &[],
    };
    Ticket::from_walk(&rb, &walk, &cx).unwrap_or_else(|e| {
        panic!("{e}: stopped at {}", walk.current());
    })
}

/// The outcome, who it goes to (`None`: resolved), its severity and the reply's key sentence.
pub fn assert_case(t: &Ticket, outcome: &str, team: Option<&str>, severity: Severity, says: &str) {
    assert_eq!(t.outcome.id, outcome, "{}", t.summary);
    let got_team = match &t.outcome.resolution {
        Resolution::Escalate { team } => Some(team.as_str()),
        Resolution::Resolve => None,
    };
    assert_eq!(got_team, team, "{outcome}");
    assert_eq!(t.outcome.severity, severity, "{outcome}");
    assert!(
        t.outcome.reply.contains(says),
        "{outcome}: reply lacks {says:?}:\n{}",
        t.outcome.reply
    );
}
