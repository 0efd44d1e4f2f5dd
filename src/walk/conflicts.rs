//! Where the evidence contradicts what a person said: the key's owner is not the customer
//! named at intake, or the admin API or a paste says otherwise than an answer the agent gave.
//! Found from the walk's facts alone, so the terminal app, the ticket and `authdesk run`
//! report the same list. The agent settles one by saying which value is right.

use super::{Decision, Walk};
use crate::facts::{Fact, FactSource, FactValue, Facts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The intake fact naming the customer, and the evidence naming the key's owner.
const CUSTOMER: &str = "customer_id";
const KEY_OWNER: &str = "key.customer_id";

/// One contradiction, as the ticket lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The fact a person gave.
    pub fact: String,
    /// What intake or the agent said.
    pub said: FactValue,
    pub said_by: FactSource,
    /// The fact the evidence gave (the same one, or `key.customer_id` for the key's owner).
    pub evidence_fact: String,
    /// What the evidence says, and where it comes from.
    pub evidence: FactValue,
    pub source: FactSource,
    /// The answer's step (0-based) the evidence contradicts, to answer again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The value the agent said is right, once they chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<FactValue>,
}

impl Conflict {
    /// One line for people: "customer_id: intake says cus_1001, admin API says cus_1003 (key.customer_id)".
    pub fn describe(&self) -> String {
        let via = if self.evidence_fact == self.fact {
            String::new()
        } else {
            format!(" ({})", self.evidence_fact)
        };
        let settled = self
            .settled
            .as_ref()
            .map_or_else(String::new, |v| format!("; the agent chose {v}"));
        format!(
            "{}: {} says {}, {} says {}{via}{settled}",
            self.fact,
            self.said_by.label(),
            self.said,
            self.source.label(),
            self.evidence
        )
    }
}

/// The agent's word on which value of a conflicting fact is right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settled {
    pub fact: String,
    pub value: FactValue,
    pub at: DateTime<Utc>,
}

fn from_evidence(fact: &Fact) -> bool {
    matches!(fact.source, FactSource::AdminApi | FactSource::Diagnostics)
}

/// The key's owner against the customer named at intake, from facts that may not be a walk
/// yet (the intake form shows it as soon as the key's record arrives).
pub fn owner_conflict(facts: &Facts) -> Option<Conflict> {
    let given = facts.get(CUSTOMER)?;
    let owner = facts.get(KEY_OWNER)?;
    (given.source == FactSource::Intake && from_evidence(owner) && given.value != owner.value).then(
        || Conflict {
            fact: CUSTOMER.into(),
            said: given.value.clone(),
            said_by: given.source,
            evidence_fact: KEY_OWNER.into(),
            evidence: owner.value.clone(),
            source: owner.source,
            step: None,
            settled: None,
        },
    )
}

impl Walk {
    /// Every contradiction between what people said and what the evidence says.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut found: Vec<Conflict> = owner_conflict(&self.base_facts).into_iter().collect();
        for (i, step) in self.steps.iter().enumerate() {
            let Decision::Answer { set, .. } = &step.decision else {
                continue;
            };
            for (name, said) in set.iter() {
                let Some(ev) = self.base_facts.get(name) else {
                    continue;
                };
                if from_evidence(ev) && ev.value != said.value {
                    found.push(Conflict {
                        fact: name.to_string(),
                        said: said.value.clone(),
                        said_by: said.source,
                        evidence_fact: name.to_string(),
                        evidence: ev.value.clone(),
                        source: ev.source,
                        step: Some(i),
                        settled: None,
                    });
                }
            }
        }
        for c in &mut found {
            c.settled = self
                .settled
                .iter()
                .find(|s| s.fact == c.fact)
                .map(|s| s.value.clone());
        }
        found
    }

    /// Conflicts the agent has not settled yet.
    pub fn open_conflicts(&self) -> Vec<Conflict> {
        let mut open = self.conflicts();
        open.retain(|c| c.settled.is_none());
        open
    }

    /// Records which value of `fact` is right; the walk's facts carry it from now on.
    pub fn settle(&mut self, fact: &str, value: FactValue, now: DateTime<Utc>) {
        self.settled.retain(|s| s.fact != fact);
        self.settled.push(Settled {
            fact: fact.to_string(),
            value,
            at: now,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::{Fact, FactSource, FactValue, Facts};
    use crate::runbook::Catalog;
    use crate::walk::{Answerer, Walk};

    use crate::testing::now;

    fn fact(value: &str, source: FactSource) -> Fact {
        Fact {
            value: FactValue::Text(value.into()),
            source,
            at: now(),
            evidence: None,
        }
    }

    #[test]
    fn a_key_owned_by_another_customer_is_a_conflict_until_settled() {
        let rb = Catalog::builtin().find("401").unwrap().clone();
        let mut facts = Facts::new();
        facts
            .insert("customer_id", fact("cus_1001", FactSource::Intake))
            .unwrap();
        facts
            .insert("key.customer_id", fact("cus_1003", FactSource::AdminApi))
            .unwrap();
        let mut walk = Walk::start(&rb, facts, now()).unwrap();
        let open = walk.open_conflicts();
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(
            open[0].describe(),
            "customer_id: intake says cus_1001, admin API says cus_1003 (key.customer_id)"
        );
        walk.settle("customer_id", FactValue::Text("cus_1003".into()), now());
        assert!(walk.open_conflicts().is_empty());
        assert_eq!(walk.conflicts().len(), 1, "still listed, as settled");
        assert_eq!(
            walk.facts().value("customer_id"),
            Some(&FactValue::Text("cus_1003".into()))
        );
    }

    #[test]
    fn evidence_arriving_after_an_answer_that_it_contradicts_is_a_conflict() {
        let rb = Catalog::builtin().find("403").unwrap().clone();
        let mut walk = Walk::start(&rb, Facts::new(), now()).unwrap();
        // Answer until the account question, choosing "suspended" there.
        for _ in 0..10 {
            let crate::walk::Position::Question { node, question } = walk.position(&rb).unwrap()
            else {
                break;
            };
            let node = node.to_string();
            let pick = question
                .choices
                .iter()
                .find(|c| {
                    c.set
                        .iter()
                        .any(|(n, v)| n == "customer.status" && v.to_string() == "suspended")
                })
                .or_else(|| {
                    question
                        .choices
                        .iter()
                        .find(|c| c.id == "just-this-customer")
                })
                .or_else(|| question.choices.last())
                .unwrap()
                .id
                .clone();
            let suspended = node == "ask-account";
            walk.answer(&rb, &node, &pick, Answerer::Script, now())
                .unwrap();
            if suspended {
                break;
            }
        }
        assert!(walk.conflicts().is_empty());
        let mut api = Facts::new();
        api.insert("customer.status", fact("active", FactSource::AdminApi))
            .unwrap();
        walk.add_facts(&rb, api, now()).unwrap();
        let found = walk.conflicts();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].fact, "customer.status");
        assert_eq!(found[0].said, FactValue::Text("suspended".into()));
        assert_eq!(found[0].said_by, FactSource::Agent);
        assert!(found[0].step.is_some());
    }
}
