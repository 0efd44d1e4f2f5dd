use super::*;
use crate::facts::FactSource;
use crate::runbook::Catalog;
use crate::walk::Walk;

const KEY: &str = "sk_live_CANARYab12cd34ef56gh78ij90kl";

use crate::testing::now;

fn revoked_walk() -> (Runbook, Walk) {
    let catalog = Catalog::builtin();
    let rb = catalog.find("401").unwrap().clone();
    let mut facts = Facts::new();
    for (k, v, source) in [
        ("customer_id", "cus_1001", FactSource::Intake),
        ("key_id", "key_revoked", FactSource::Intake),
        ("key", KEY, FactSource::Intake),
        ("health.status", "ok", FactSource::AdminApi),
        ("incident.customers_affected", "0", FactSource::AdminApi),
        ("health.auth_latency_p99_ms", "40", FactSource::AdminApi),
        ("failures.anomaly", "false", FactSource::AdminApi),
        ("failures.top_reason", "revoked_key", FactSource::AdminApi),
        ("key.status", "revoked", FactSource::AdminApi),
        ("key.revoked_by", "ops@example.com", FactSource::AdminApi),
        (
            "key.revoked_at",
            "2026-11-20T14:02:00Z",
            FactSource::AdminApi,
        ),
        (
            "key.revoke_reason",
            "customer request",
            FactSource::AdminApi,
        ),
    ] {
        facts.insert_text(k, v, source, now()).unwrap();
    }
    let walk = Walk::start(&rb, facts, now()).unwrap();
    (rb, walk)
}

fn cx() -> Context<'static> {
    Context {
        agent: "alice",
        demo_data: false,
        now: now(),
        related: &[],
    }
}

#[test]
fn summary_cites_who_revoked_and_when() {
    let (rb, walk) = revoked_walk();
    let t = Ticket::from_walk(&rb, &walk, &cx()).unwrap();
    assert_eq!(t.outcome.id, "key-revoked");
    assert_eq!(
        t.summary,
        "Key key_revoked revoked by ops@example.com at 2026-11-20 14:02:00 UTC: customer request"
    );
    assert!(t.evidence.iter().any(|c| c.fact == "key.revoked_by"));
    assert!(t.id.starts_with("ESC-20261122-"), "{}", t.id);
    assert!(t.path.iter().all(|s| s.decided_by == "check"));
}

#[test]
fn ticket_id_depends_on_the_walk_and_the_moment_only() {
    let (rb, walk) = revoked_walk();
    let id = |cx: &Context<'_>| Ticket::from_walk(&rb, &walk, cx).unwrap().id;
    assert_eq!(id(&cx()), id(&cx()));
    let later = Context {
        now: now() + chrono::Duration::nanoseconds(1),
        ..cx()
    };
    assert_ne!(id(&cx()), id(&later));
}

#[test]
fn unfinished_walk_has_no_ticket() {
    let rb = Catalog::builtin().find("403").unwrap().clone();
    let walk = Walk::start(&rb, Facts::new(), now()).unwrap();
    assert!(matches!(
        Ticket::from_walk(&rb, &walk, &cx()),
        Err(TicketError::NotFinished(_))
    ));
}

#[test]
fn the_key_appears_only_masked() {
    let (rb, walk) = revoked_walk();
    let t = Ticket::from_walk(&rb, &walk, &cx()).unwrap();
    for text in [t.to_json(), t.to_markdown()] {
        assert!(!text.contains(KEY));
        assert!(!text.contains("CANARY"), "{text}");
        assert!(text.contains(t.key.as_ref().unwrap().fingerprint()));
    }
}

#[test]
fn escalation_lists_the_criteria_it_met() {
    let rb = Catalog::builtin().find("401").unwrap().clone();
    let mut facts = Facts::new();
    facts
        .insert_text(
            "incident.customers_affected",
            "7",
            FactSource::AdminApi,
            now(),
        )
        .unwrap();
    facts
        .insert_text("health.status", "ok", FactSource::AdminApi, now())
        .unwrap();
    // The key is fine: statistics decide only after the hard facts about it.
    facts
        .insert_text("key.status", "active", FactSource::AdminApi, now())
        .unwrap();
    let walk = Walk::start(&rb, facts, now()).unwrap();
    let t = Ticket::from_walk(&rb, &walk, &cx()).unwrap();
    assert_eq!(t.outcome.id, "escalate-multi-customer");
    assert!(t.outcome.escalated());
    let ids: Vec<_> = t.criteria_matched.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["multi-customer"]);
    assert!(t.to_markdown().contains("## Escalation criteria matched"));
}

#[test]
fn markdown_tells_the_whole_story() {
    let (rb, mut walk) = revoked_walk();
    walk.add_note(
        None,
        "customer rotated keys last week".into(),
        "alice",
        now(),
    );
    walk.record_unavailable(FactSource::AdminApi, "usage", "timed out after 5 s", now());
    let md = Ticket::from_walk(&rb, &walk, &cx()).unwrap().to_markdown();
    for needle in [
        "# ESC-",
        "`key-revoked` (resolve)",
        "## Evidence",
        "`key.revoked_by` = ops@example.com (admin API)",
        "## Evidence unavailable",
        "usage (admin API): timed out after 5 s",
        "## Path taken",
        "## Reply to the customer",
        "## Next steps",
        "customer rotated keys last week",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in:\n{md}");
    }
}

#[test]
fn optional_segments_drop_when_their_facts_are_unknown() {
    let mut facts = Facts::new();
    facts
        .insert_text("key_id", "k1", FactSource::Intake, now())
        .unwrap();
    let t = "Key {key_id} revoked[ by {key.revoked_by}][ at {key.revoked_at}]";
    assert_eq!(fill(t, &facts), "Key k1 revoked");
    facts
        .insert_text("key.revoked_by", "ops@x", FactSource::AdminApi, now())
        .unwrap();
    assert_eq!(fill(t, &facts), "Key k1 revoked by ops@x");
}

#[test]
fn a_segment_marked_with_an_unknown_fact_is_kept_only_while_it_is_unknown() {
    let mut facts = Facts::new();
    let t = "Thanks.[ Please send the reference.{!response.request_id}][ We have {response.request_id}.]";
    assert_eq!(fill(t, &facts), "Thanks. Please send the reference.");
    facts
        .insert_text(
            "response.request_id",
            "8c1f",
            FactSource::Diagnostics,
            now(),
        )
        .unwrap();
    assert_eq!(fill(t, &facts), "Thanks. We have 8c1f.");
}

#[test]
fn replies_are_reflowed_but_code_keeps_its_lines() {
    let text = "Please send it\nlike this:\n\n    X-API-Key: <key>\n    Other: x\n\nThanks,\nus";
    assert_eq!(
        reflow(text),
        "Please send it like this:\n\n    X-API-Key: <key>\n    Other: x\n\nThanks, us"
    );
}

#[test]
fn unknown_placeholders_read_unknown() {
    let mut facts = Facts::new();
    facts
        .insert_text("key_id", "k1", FactSource::Intake, now())
        .unwrap();
    assert_eq!(
        fill("{key_id} by {key.revoked_by}", &facts),
        "k1 by unknown"
    );
}

#[test]
fn tracker_payloads_carry_the_ticket_and_its_labels() {
    let rb = Catalog::builtin().find("403").unwrap().clone();
    let mut facts = Facts::new();
    facts
        .insert_text("health.status", "down", FactSource::AdminApi, now())
        .unwrap();
    let walk = Walk::start(&rb, facts, now()).unwrap();
    let t = Ticket::from_walk(&rb, &walk, &cx()).unwrap();
    let gh = trackers::github_issue(&t);
    assert!(
        gh["title"]
            .as_str()
            .unwrap()
            .starts_with(&format!("[{}] Key validation appears down", t.id))
    );
    assert_eq!(gh["body"], t.to_markdown());
    let labels: Vec<&str> = gh["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "authdesk:escalate-validation-down",
            "severity:critical",
            "team:auth-platform-oncall"
        ]
    );
    let jira = trackers::jira_issue(&t, "SUP");
    assert_eq!(jira["fields"]["project"]["key"], "SUP");
    assert_eq!(jira["fields"]["priority"]["name"], "Highest");
    assert_eq!(jira["fields"]["issuetype"]["name"], "Bug");
}
