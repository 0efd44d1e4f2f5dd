use super::*;
use crate::facts::{FactSource, Facts};
use crate::runbook::{Catalog, Runbook};
use crate::session::Session;
use crate::ticket::{Context, Ticket};
use crate::walk::{Answerer, RunbookRef, Walk};
use proptest::prelude::*;

fn at(minute: i64) -> DateTime<Utc> {
    "2026-11-22T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
}

fn filter() -> Filter {
    Filter {
        now: at(48 * 60),
        since: None,
        runbook: None,
        abandoned_after: Duration::hours(24),
    }
}

fn rb401() -> Runbook {
    Catalog::builtin().find("401").unwrap().clone()
}

/// A 401 walk with no evidence at all: every check hands over to a question, and the agent
/// answers `answers` one minute apart.
fn walk_401(answers: &[(&str, &str)]) -> (Runbook, Walk) {
    let rb = rb401();
    let mut facts = Facts::new();
    facts
        .insert_text("customer_id", "cus_1001", FactSource::Intake, at(0))
        .unwrap();
    let mut walk = Walk::start(&rb, facts, at(0)).unwrap();
    for (i, (node, choice)) in answers.iter().enumerate() {
        let by = Answerer::Agent {
            name: "alice".into(),
        };
        walk.answer(&rb, node, choice, by, at(i as i64 + 1))
            .unwrap();
    }
    (rb, walk)
}

/// The case a real walk's ticket reads back as, through its JSON.
fn ticket_case(answers: &[(&str, &str)], saved_at: i64) -> Case {
    let (rb, walk) = walk_401(answers);
    let cx = Context {
        agent: "alice",
        demo_data: false,
        now: at(saved_at),
        related: &[],
    };
    let ticket = Ticket::from_walk(&rb, &walk, &cx).unwrap();
    from_ticket_json(&ticket.to_json()).unwrap()
}

const ANOMALY: &[(&str, &str)] = &[("ask-wider-incident", "anomaly")];
const NO_CREDENTIAL: &[(&str, &str)] = &[
    ("ask-wider-incident", "just-this-customer"),
    ("ask-key-status", "active"),
    ("ask-credential-sent", "none"),
];

#[test]
fn a_saved_ticket_reads_back_as_the_path_its_walk_took() {
    let (rb, walk) = walk_401(NO_CREDENTIAL);
    let case = ticket_case(NO_CREDENTIAL, 5);
    assert_eq!(case.runbook, RunbookRef::of(&rb));
    assert_eq!(case.started_at, at(0));
    let nodes: Vec<&str> = walk.steps().iter().map(|s| s.node.as_str()).collect();
    assert_eq!(
        case.steps.iter().map(|s| &*s.node).collect::<Vec<_>>(),
        nodes
    );
    let answered: Vec<&str> = case
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Answered { label } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(answered.len(), NO_CREDENTIAL.len(), "{:?}", case.steps);
    assert!(
        case.steps
            .iter()
            .any(|s| matches!(&s.kind, StepKind::Undecided { missing } if !missing.is_empty()))
    );
    assert!(matches!(&case.end, End::Outcome { node, at: saved, .. }
        if node == "missing-credentials" && *saved == at(5)));
}

#[test]
fn every_transition_of_a_real_walk_lands_on_an_edge_the_runbook_draws() {
    let rb = rb401();
    let cases = vec![
        ticket_case(ANOMALY, 3),
        ticket_case(NO_CREDENTIAL, 4),
        ticket_case(NO_CREDENTIAL, 9),
    ];
    let counts = EdgeCounts::of(&cases, &rb.id, &rb.version);
    assert_eq!(counts.cases, 3);
    let on_edges: usize = rb
        .nodes
        .iter()
        .flat_map(|n| {
            n.edges()
                .into_iter()
                .map(move |(to, l)| (n.id.clone(), to, l))
        })
        .map(|(from, to, label)| counts.get(&from, to, &label))
        .sum();
    let transitions: usize = cases.iter().map(|c| c.steps.len()).sum();
    assert_eq!(on_edges, transitions);
    assert_eq!(
        counts.get(
            "ask-credential-sent",
            "missing-credentials",
            "No credential at all (no header, no query parameter)"
        ),
        2
    );
}

#[test]
fn edge_counts_leave_out_other_runbook_versions() {
    let rb = rb401();
    let mut case = ticket_case(ANOMALY, 3);
    case.runbook.version = "0-older".into();
    let counts = EdgeCounts::of(&[case], &rb.id, &rb.version);
    assert_eq!(counts, EdgeCounts::default());
}

#[test]
fn outcomes_paths_and_case_times_have_the_known_counts() {
    let cases = vec![
        ticket_case(ANOMALY, 3),
        ticket_case(NO_CREDENTIAL, 4),
        ticket_case(NO_CREDENTIAL, 10),
    ];
    let stats = compute(&cases, &filter());
    assert_eq!((stats.cases, stats.finished, stats.unfinished), (3, 3, 0));
    let rb = &stats.runbooks[0];
    assert_eq!(rb.cases, 3);
    let outcomes: Vec<(&str, usize)> = rb
        .outcomes
        .iter()
        .map(|o| (o.outcome.as_str(), o.count))
        .collect();
    assert_eq!(
        outcomes,
        [("missing-credentials", 2), ("escalate-auth-anomaly", 1)]
    );
    // Case times 3, 4 and 10 minutes.
    assert_eq!(
        stats.case_time,
        Some(Timing {
            samples: 3,
            median_secs: 240,
            p90_secs: 600
        })
    );
    let root = &rb.paths[0];
    assert_eq!(root.cases, 3);
    let mut n = root;
    while n.next.len() == 1 {
        n = &n.next[0];
    }
    assert_eq!(n.node, "ask-wider-incident");
    let branches: Vec<(&str, usize)> = n.next.iter().map(|b| (&*b.node, b.cases)).collect();
    assert_eq!(branches.len(), 2, "{branches:?}");
    assert_eq!(branches[0].1, 2);
    assert_eq!(branches[1], ("escalate-auth-anomaly", 1));
}

#[test]
fn questions_are_grouped_by_the_fact_their_check_was_missing() {
    let case = |id: &str, steps: Vec<(&str, StepKind)>| Case {
        id: id.into(),
        runbook: RunbookRef {
            id: "401-unauthorized".into(),
            version: "1".into(),
            content_hash: "h".into(),
        },
        started_at: at(0),
        steps: steps
            .into_iter()
            .enumerate()
            .map(|(i, (node, kind))| CaseStep {
                node: node.into(),
                kind,
                at: at(i as i64),
            })
            .collect(),
        end: End::Outcome {
            node: "done".into(),
            resolution: Resolution::Resolve,
            at: at(9),
        },
    };
    let missing = |f: &[&str]| StepKind::Undecided {
        missing: f.iter().map(|s| s.to_string()).collect(),
    };
    let answered = || StepKind::Answered { label: "x".into() };
    let cases = vec![
        case(
            "a",
            vec![
                ("check-key", missing(&["key.status"])),
                ("ask-key", answered()),
                ("ask-more", answered()),
            ],
        ),
        case(
            "b",
            vec![
                ("check-key", missing(&["key.status", "key.scopes"])),
                ("ask-key", answered()),
            ],
        ),
        case("c", vec![("ask-more", answered())]),
    ];
    let stats = compute(&cases, &filter());
    let facts: Vec<(&str, usize)> = stats
        .missing_facts
        .iter()
        .map(|m| (m.fact.as_str(), m.count))
        .collect();
    assert_eq!(facts, [("key.status", 2), ("key.scopes", 1)]);
    let key_status = &stats.missing_facts[0];
    assert_eq!(
        key_status.questions,
        [Count {
            node: "ask-key".into(),
            count: 2
        }]
    );
    assert_eq!(
        key_status.checks,
        [Count {
            node: "check-key".into(),
            count: 2
        }]
    );
    assert_eq!(
        stats.asked_by_design,
        [Count {
            node: "ask-more".into(),
            count: 2
        }]
    );
}

#[test]
fn open_sessions_count_as_unfinished_and_stale_ones_as_abandoned() {
    let (rb, walk) = walk_401(&[]);
    let session = |id: &str, updated: i64, walk: Option<Walk>| {
        let mut s = Session::new(id.into(), RunbookRef::of(&rb), "alice", at(0));
        s.walk = walk;
        s.updated_at = at(updated);
        s
    };
    let fresh = session("20261122-100000-aaaa", 47 * 60, Some(walk.clone()));
    let stale = session("20261122-100000-bbbb", 60, None);
    let mut done = session("20261122-100000-cccc", 60, Some(walk));
    done.ticket_files = vec!["ESC-1.json".into()];
    assert_eq!(done.open_case(), None, "its ticket counts it");
    let cases: Vec<Case> = [fresh, stale]
        .iter()
        .filter_map(Session::open_case)
        .collect();
    let stats = compute(&cases, &filter());
    assert_eq!((stats.unfinished, stats.abandoned), (2, 1));
    assert_eq!(stats.open[0].id, "20261122-100000-bbbb");
    assert!(stats.open[0].abandoned);
    assert_eq!(stats.open[0].at, None, "still at intake");
    assert_eq!(stats.open[1].at.as_deref(), Some("ask-wider-incident"));
    let root = &stats.runbooks[0].paths[0];
    let mut n = root;
    while let [only] = n.next.as_slice() {
        n = only;
    }
    assert_eq!((n.node.as_str(), n.open), ("ask-wider-incident", 1));
}

#[test]
fn since_and_runbook_narrow_the_cases() {
    let mut later = ticket_case(ANOMALY, 3);
    later.started_at = at(60);
    let cases = vec![ticket_case(ANOMALY, 3), later];
    let since = Filter {
        since: Some(at(30)),
        ..filter()
    };
    assert_eq!(compute(&cases, &since).cases, 1);
    for (named, kept) in [("401", 2), ("401-unauthorized", 2), ("40", 0), ("403", 0)] {
        let f = Filter {
            runbook: Some(named.into()),
            ..filter()
        };
        assert_eq!(compute(&cases, &f).cases, kept, "--runbook {named}");
    }
}

#[test]
fn node_time_is_the_wait_since_the_step_before() {
    let stats = compute(&[ticket_case(NO_CREDENTIAL, 4)], &filter());
    let time = |node: &str| {
        stats
            .node_times
            .iter()
            .find(|t| t.node == node)
            .map(|t| t.timing.median_secs)
    };
    assert_eq!(time("ask-wider-incident"), Some(60));
    assert_eq!(time("ask-credential-sent"), Some(60));
    assert_eq!(
        stats.node_times.last().map(|t| t.timing.median_secs),
        Some(0)
    );
}

#[test]
fn percentiles_use_the_nearest_rank() {
    let t = Timing::of((1..=10).collect()).unwrap();
    assert_eq!((t.median_secs, t.p90_secs, t.samples), (5, 9, 10));
    let one = Timing::of(vec![7]).unwrap();
    assert_eq!((one.median_secs, one.p90_secs), (7, 7));
    assert_eq!(Timing::of(Vec::new()), None);
}

#[test]
fn text_shows_outcomes_paths_and_questions() {
    let cases = vec![ticket_case(ANOMALY, 3), ticket_case(NO_CREDENTIAL, 4)];
    let text = to_text(&compute(&cases, &filter()));
    assert!(text.starts_with("Cases: 2 (2 finished, 0 unfinished, 0 abandoned)\n"));
    for want in [
        "escalate-auth-anomaly",
        "escalate to ",
        "├─ ",
        "└─ ",
        " → ",
        "Questions asked, by the fact a check was missing",
        "Time per node",
    ] {
        assert!(text.contains(want), "no {want:?} in\n{text}");
    }
}

#[test]
fn text_neutralises_control_characters_in_ids() {
    let mut case = ticket_case(ANOMALY, 3);
    case.runbook.id = "evil\u{1b}[2J".into();
    let text = to_text(&compute(&[case], &filter()));
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

proptest! {
    /// However cases are finished or left open, the totals add up and every case with a step
    /// is under exactly one root of its runbook's path tree.
    #[test]
    fn totals_add_up(picks in prop::collection::vec((0usize..3, 0i64..5000), 0..12)) {
        let (rb, open_walk) = walk_401(&[]);
        let cases: Vec<Case> = picks
            .iter()
            .enumerate()
            .map(|(i, (kind, minutes))| match kind {
                0 => ticket_case(ANOMALY, 3),
                1 => ticket_case(NO_CREDENTIAL, 4),
                _ => {
                    let id = format!("20261122-100000-{i:04x}");
                    let mut s = Session::new(id, RunbookRef::of(&rb), "a", at(0));
                    s.walk = Some(open_walk.clone());
                    s.updated_at = at(*minutes);
                    s.open_case().unwrap()
                }
            })
            .collect();
        let stats = compute(&cases, &filter());
        prop_assert_eq!(stats.cases, cases.len());
        prop_assert_eq!(stats.finished + stats.unfinished, stats.cases);
        prop_assert!(stats.abandoned <= stats.unfinished);
        let rooted: usize = stats
            .runbooks
            .iter()
            .flat_map(|r| r.paths.iter().map(|p| p.cases))
            .sum();
        prop_assert_eq!(rooted, stats.cases);
        let outcomes: usize = stats
            .runbooks
            .iter()
            .flat_map(|r| r.outcomes.iter().map(|o| o.count))
            .sum();
        prop_assert_eq!(outcomes, stats.finished);
    }
}
