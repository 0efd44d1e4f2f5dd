//! A scenario draft from a finished real case (`train from-session`): the case's evidence
//! frozen as a `[facts]` table, its path as the expected answer, and every customer id, key
//! id, IP address and email replaced by a pseudonym that stays the same across the draft.
//! Secrets are dropped (only their masks ever existed in a session), and all text is redacted
//! once more. The trainer then writes the customer's text, the title and the debrief.

use crate::facts::{FactSource, FactType, FactValue, Facts, lookup};
use crate::intake::IntakeValue;
use crate::walk::{Decision, Walk};
use chrono::{DateTime, Utc};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Customer ids, key ids, IPv4 addresses and emails, in the order they are replaced.
static IDENTIFIERS: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: the unit tests compile it.
    Regex::new(
        r"(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)|(?P<cus>\bcus_[A-Za-z0-9]+)|(?P<key>\bkey_[A-Za-z0-9_]+)|(?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}\b)",
    )
    .expect("constant regex")
});

/// A secret's mask (it always holds `…`): still a real key's prefix and last characters.
static MASKED: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: the unit tests compile it.
    Regex::new(r"[A-Za-z0-9_]*…(?:\((?:JWT, )?\d+ chars\)|[A-Za-z0-9_-]*)").expect("constant regex")
});

/// What a removed secret leaves in the draft.
pub const SECRET_REMOVED: &str = "[secret removed]";

/// Replacements chosen so far, so the same original always gets the same pseudonym.
#[derive(Debug, Default)]
pub struct Pseudonyms {
    seen: BTreeMap<String, String>,
    counts: BTreeMap<&'static str, usize>,
}

impl Pseudonyms {
    /// `text` with every identifier replaced and every secret removed.
    pub fn apply(&mut self, text: &str) -> String {
        let redacted = crate::secret::redact(text, &[]);
        let redacted = MASKED.replace_all(&redacted, SECRET_REMOVED);
        IDENTIFIERS
            .replace_all(&redacted, |caps: &regex::Captures<'_>| {
                let (kind, original) = ["email", "cus", "key", "ip"]
                    .iter()
                    .find_map(|k| caps.name(k).map(|m| (*k, m.as_str())))
                    .unwrap_or(("ip", &caps[0]));
                self.pseudonym(kind, original)
            })
            .into_owned()
    }

    fn pseudonym(&mut self, kind: &'static str, original: &str) -> String {
        if let Some(p) = self.seen.get(original) {
            return p.clone();
        }
        let n = {
            let c = self.counts.entry(kind).or_default();
            *c += 1;
            *c
        };
        let p = match kind {
            "email" => format!("person{n}@example.com"),
            "cus" => format!("cus_{}", 9000 + n),
            "key" => format!("key_train_{n}"),
            // The documentation range (RFC 5737): never a real customer's address.
            _ => format!("203.0.113.{}", n.min(254)),
        };
        self.seen.insert(original.to_string(), p.clone());
        p
    }
}

#[derive(Serialize)]
struct DraftFile {
    id: String,
    version: u32,
    title: String,
    difficulty: u8,
    runbook: String,
    customer_wrote: String,
    intake: BTreeMap<String, String>,
    facts: BTreeMap<String, String>,
    expect: DraftExpect,
    debrief: DraftDebrief,
}

#[derive(Serialize)]
struct DraftExpect {
    outcome: String,
    answers: BTreeMap<String, String>,
    par: u32,
}

#[derive(Serialize)]
struct DraftDebrief {
    why: String,
    trap: String,
}

/// The draft's TOML for a finished walk of `runbook` (an id), or `None` when the walk has not
/// reached an outcome (`finished` says whether it has).
pub fn draft(
    case_id: &str,
    runbook: &str,
    intake: &BTreeMap<String, IntakeValue>,
    walk: &Walk,
    finished: bool,
) -> Option<String> {
    if !finished {
        return None;
    }
    let mut names = Pseudonyms::default();
    let intake: BTreeMap<String, String> = intake
        .iter()
        .filter_map(|(name, value)| match value {
            // Secrets are removed, not masked: a mask still names a real key.
            IntakeValue::Masked(_) => None,
            IntakeValue::Text(t) => Some((name.clone(), names.apply(t.as_str()))),
        })
        .collect();
    let facts = frozen(&walk.facts(), walk.started_at, &mut names);
    let answers: BTreeMap<String, String> = walk
        .steps()
        .iter()
        .filter_map(|s| match &s.decision {
            Decision::Answer { choice, .. } => Some((s.node.clone(), choice.clone())),
            _ => None,
        })
        .collect();
    let file = DraftFile {
        id: format!("case-{}", case_id.to_ascii_lowercase()),
        version: 1,
        title: format!("Draft from case {case_id}: give it a title"),
        difficulty: 2,
        runbook: runbook.to_string(),
        customer_wrote: "Write what the customer wrote.".into(),
        intake,
        facts,
        expect: DraftExpect {
            outcome: walk.current().to_string(),
            par: answers.len() as u32,
            answers,
        },
        debrief: DraftDebrief {
            why: "Why the right path is right.".into(),
            trap: "The trap this case sets.".into(),
        },
    };
    let body = toml::to_string(&file).ok()?;
    Some(format!(
        "# A draft from case {case_id}: identifiers are pseudonyms, secrets removed, the\n\
         # evidence frozen in [facts]. Write the title, customer_wrote, hints and debrief.\n{body}"
    ))
}

/// The facts the evidence established (not intake, not the agent's answers), as text, with
/// times relative to the case's start so the story reads the same whenever it is played.
fn frozen(
    facts: &Facts,
    started: DateTime<Utc>,
    names: &mut Pseudonyms,
) -> BTreeMap<String, String> {
    facts
        .iter()
        .filter(|(_, f)| matches!(f.source, FactSource::AdminApi | FactSource::Diagnostics))
        .filter(|(name, _)| lookup(name).is_some_and(|d| d.ty != FactType::Secret))
        .map(|(name, f)| {
            let text = match &f.value {
                FactValue::Time(t) => relative(*t, started),
                FactValue::CidrList(nets) => nets
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                FactValue::TextList(items) => items
                    .iter()
                    .map(|i| i.as_str().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (name.to_string(), names.apply(&text))
        })
        .collect()
}

/// `now-2d3h4m5s` or `now+…`, as the demo data writes times.
fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (t - now).num_seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let s = secs.unsigned_abs();
    format!(
        "now{sign}{}d{}h{}m{}s",
        s / 86_400,
        s % 86_400 / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_consistent_within_a_case() {
        let mut p = Pseudonyms::default();
        let a =
            p.apply("cus_1001 owns key_live_42 and calls from 198.51.100.7 (ops@fjord.example)");
        let b = p.apply("again cus_1001, then cus_1002 from 198.51.100.7");
        assert_eq!(
            a,
            "cus_9001 owns key_train_1 and calls from 203.0.113.1 (person1@example.com)"
        );
        assert_eq!(b, "again cus_9001, then cus_9002 from 203.0.113.1");
    }

    #[test]
    fn secrets_and_their_masks_are_removed() {
        let mut p = Pseudonyms::default();
        let out = p.apply("sent api_key=sk_live_Canary7Qx2Lm9Rt4Vb8Nz");
        assert_eq!(out, "sent api_key=[secret removed]");
        let out = p.apply("kept as sk_live_Cana…b8Nz, and eyJh…(JWT, 120 chars).");
        assert_eq!(out, "kept as [secret removed], and [secret removed].");
    }

    #[test]
    fn times_are_written_relative_to_the_case() {
        let now = crate::testing::now();
        assert_eq!(
            relative(now - chrono::Duration::seconds(90_061), now),
            "now-1d1h1m1s"
        );
        assert_eq!(relative(now, now), "now+0d0h0m0s");
    }
}
