//! Property tests: random walks over the shipped trees, with random evidence known up front or
//! arriving mid-walk and random undos, always end at an outcome and never panic.

mod common;

use authdesk::facts::{Fact, FactSource, FactType, FactValue, Facts, SCHEMA};
use authdesk::runbook::{Catalog, NodeKind, Runbook};
use authdesk::ticket::{Context, Ticket};
use authdesk::walk::{Answerer, Position, Walk};
use chrono::Duration;
use common::now;
use proptest::prelude::*;

/// Values that the shipped conditions actually distinguish, per type.
fn value(ty: FactType, pick: usize) -> Option<FactValue> {
    const TEXTS: &[&str] = &[
        "revoked",
        "active",
        "expired",
        "disabled",
        "not_found",
        "none",
        "down",
        "ok",
        "suspended",
        "rate_limited",
        "quota_exceeded",
        "expired_token",
        "missing_credentials",
        "malformed_credentials",
        "revoked_key",
        "quoted_key",
        "live",
        "test",
    ];
    Some(match ty {
        FactType::Text => FactValue::Text(TEXTS[pick % TEXTS.len()].into()),
        FactType::Number => FactValue::Number([0.0, 1.0, 3.0, 50.0, 150.0][pick % 5]),
        FactType::Bool => FactValue::Bool(pick.is_multiple_of(2)),
        FactType::Time => FactValue::Time(now() + Duration::hours([-720, -1, 1][pick % 3])),
        FactType::Ip => FactValue::Ip("203.0.113.7".parse().unwrap()),
        FactType::CidrList => FactValue::CidrList(if pick.is_multiple_of(2) {
            vec![]
        } else {
            vec!["203.0.113.0/24".parse().unwrap()]
        }),
        FactType::TextList => FactValue::TextList(if pick.is_multiple_of(2) {
            vec![]
        } else {
            vec!["orders:read".into()]
        }),
        FactType::Secret => return None,
    })
}

fn facts_from(picks: &[(usize, usize)]) -> Facts {
    let mut facts = Facts::new();
    for &(which, pick) in picks {
        let def = &SCHEMA[which % SCHEMA.len()];
        if let Some(value) = value(def.ty, pick) {
            let fact = Fact {
                value,
                source: FactSource::AdminApi,
                at: now(),
                evidence: None,
            };
            facts.insert(def.name, fact).unwrap();
        }
    }
    facts
}

#[derive(Debug, Clone)]
enum Move {
    Answer(usize),
    Back,
    Evidence(Vec<(usize, usize)>),
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let one = prop_oneof![
        6 => any::<usize>().prop_map(Move::Answer),
        1 => Just(Move::Back),
        1 => prop::collection::vec((any::<usize>(), any::<usize>()), 0..6).prop_map(Move::Evidence),
    ];
    prop::collection::vec(one, 0..40)
}

fn walk_randomly(rb: &Runbook, initial: &[(usize, usize)], moves: &[Move]) -> Walk {
    let mut walk =
        Walk::start(rb, facts_from(initial), now()).expect("a shipped tree always starts");
    let mut moves = moves.iter().cycle().take(moves.len() + 200);
    let mut steps = 0;
    loop {
        let node = match walk.position(rb).expect("the walk always stands at a node") {
            Position::Outcome { .. } => return walk,
            Position::Question { node, .. } => node.to_string(),
        };
        steps += 1;
        assert!(steps < 500, "the walk does not end: at {node}");
        let Some(NodeKind::Question(q)) = rb.node(&node).map(|n| &n.kind) else {
            unreachable!()
        };
        match moves.next() {
            Some(Move::Back) => {
                let _ = walk.back(rb, now());
            }
            Some(Move::Evidence(picks)) => {
                walk.add_facts(rb, facts_from(picks), now())
                    .expect("evidence is accepted");
            }
            Some(Move::Answer(i)) => {
                let choice = q.choices[i % q.choices.len()].id.clone();
                walk.answer(rb, &node, &choice, Answerer::Script, now())
                    .expect("a listed choice is accepted");
            }
            // Out of moves: take the last choice, which tends to go deeper.
            None => {
                let choice = q.choices[q.choices.len() - 1].id.clone();
                walk.answer(rb, &node, &choice, Answerer::Script, now())
                    .expect("a listed choice is accepted");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_walks_end_at_an_outcome_with_a_ticket(
        tree in 0usize..2,
        initial in prop::collection::vec((any::<usize>(), any::<usize>()), 0..30),
        moves in moves(),
    ) {
        let catalog = Catalog::builtin();
        let rb = &catalog.runbooks[tree];
        let walk = walk_randomly(rb, &initial, &moves);
        let cx = Context { agent: "prop", demo_data: false, now: now(), related: &[] };
        let ticket = Ticket::from_walk(rb, &walk, &cx).expect("a finished walk has a ticket");
        prop_assert!(rb.node(&ticket.outcome.id).is_some());
        prop_assert!(!ticket.summary.is_empty());
        // The path is a chain: each step leads to the next one's node.
        for pair in walk.steps().windows(2) {
            prop_assert_eq!(&pair[0].next, &pair[1].node);
        }
        // And it survives a save and resume unchanged.
        let saved = serde_json::to_string(&walk).unwrap();
        let resumed: Walk = serde_json::from_str(&saved).unwrap();
        prop_assert_eq!(resumed, walk);
    }
}

/// A step as a route: where it stood, how it decided, where it went; not when.
fn route(walk: &Walk) -> Vec<String> {
    walk.steps()
        .iter()
        .map(|s| format!("{} {:?} -> {}", s.node, s.decision, s.next))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The admin API's answers arrive one query at a time, in any order; until an agent
    /// answers, the walk must stand where it would with everything known at once. A check
    /// that fell through on half the evidence (an `exists` false only because the fact had
    /// not come yet) would otherwise leave the agent at the wrong question.
    #[test]
    fn evidence_in_any_order_and_batches_decides_as_if_it_came_at_once(
        tree in 0usize..2,
        batches in prop::collection::vec(
            prop::collection::vec((any::<usize>(), any::<usize>()), 0..10),
            1..6,
        ),
    ) {
        let catalog = Catalog::builtin();
        let rb = &catalog.runbooks[tree];
        let mut everything = Facts::new();
        let mut piecemeal = Walk::start(rb, Facts::new(), now()).unwrap();
        for batch in &batches {
            everything.extend(&facts_from(batch));
            piecemeal.add_facts(rb, facts_from(batch), now()).unwrap();
        }
        let at_once = Walk::start(rb, everything, now()).unwrap();
        prop_assert_eq!(piecemeal.current(), at_once.current());
        prop_assert_eq!(route(&piecemeal), route(&at_once));
    }
}
