//! Facts computed from two facts that different sources provide, so neither source can state
//! them alone: the key in the pasted request (diagnostics) against the key record (admin API).
//! The walk computes them whenever it combines a case's facts, so they follow their inputs and
//! are never stale; nothing here does I/O.

use super::{Fact, FactSource, FactValue, Facts, name};

/// Each derived fact with the facts it is computed from.
const DERIVED: &[(&str, &[&str])] = &[(
    name::REQUEST_KEY_IS_THIS_KEY,
    &[name::REQUEST_KEY_FINGERPRINT, name::KEY_FINGERPRINT],
)];

/// The derived facts that `changed` facts feed, so a check reading one decides again.
pub fn fed_by(changed: &[&str]) -> Vec<&'static str> {
    DERIVED
        .iter()
        .filter(|(_, inputs)| inputs.iter().any(|i| changed.contains(i)))
        .map(|(derived, _)| *derived)
        .collect()
}

/// Adds every derived fact whose inputs are known. One whose inputs are not is left as it
/// is (unknown, or as a person or a test set it).
pub fn add(facts: &mut Facts) {
    if let Some(fact) = key_is_this_key(facts) {
        // The name and the type are the schema's (checked by the tests below).
        let _ = facts.insert(name::REQUEST_KEY_IS_THIS_KEY, fact);
    }
}

/// Whether the pasted request's key is the key record's: both fingerprints known.
fn key_is_this_key(facts: &Facts) -> Option<Fact> {
    let fingerprint = |fact| Some((facts.fingerprint(fact)?, facts.get(fact)?.at));
    let (sent, sent_at) = fingerprint(name::REQUEST_KEY_FINGERPRINT)?;
    let (record, record_at) = fingerprint(name::KEY_FINGERPRINT)?;
    Some(Fact {
        value: FactValue::Bool(sent == record),
        source: FactSource::Diagnostics,
        at: sent_at.max(record_at),
        evidence: Some(
            format!("request.key_fingerprint {sent} against key.fingerprint {record}").into(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::now;

    const THIS: &str = "sha256:0123456789ab";
    const OTHER: &str = "sha256:ba9876543210";

    fn facts(pairs: &[(&str, &str)]) -> Facts {
        let mut f = Facts::new();
        for (n, v) in pairs {
            let source = super::super::lookup(n).unwrap().source;
            f.insert_text(n, v, source, now()).unwrap();
        }
        f
    }

    fn derived(pairs: &[(&str, &str)]) -> Option<bool> {
        let mut f = facts(pairs);
        add(&mut f);
        match f.value(name::REQUEST_KEY_IS_THIS_KEY) {
            Some(FactValue::Bool(b)) => Some(*b),
            None => None,
            Some(other) => panic!("not a bool: {other:?}"),
        }
    }

    #[test]
    fn another_keys_request_is_not_this_key() {
        let other = [
            (name::REQUEST_KEY_FINGERPRINT, OTHER),
            (name::KEY_FINGERPRINT, THIS),
        ];
        assert_eq!(derived(&other), Some(false));
        let same = [
            (name::REQUEST_KEY_FINGERPRINT, THIS),
            (name::KEY_FINGERPRINT, THIS),
        ];
        assert_eq!(derived(&same), Some(true));
    }

    #[test]
    fn unknown_until_both_fingerprints_are_known() {
        assert_eq!(derived(&[(name::REQUEST_KEY_FINGERPRINT, OTHER)]), None);
        assert_eq!(derived(&[(name::KEY_FINGERPRINT, THIS)]), None);
    }

    #[test]
    fn each_derived_fact_and_its_inputs_are_in_the_schema() {
        for (derived, inputs) in DERIVED {
            assert!(super::super::lookup(derived).is_some(), "{derived}");
            for i in *inputs {
                assert!(super::super::lookup(i).is_some(), "{i}");
            }
        }
        assert_eq!(
            fed_by(&[name::KEY_FINGERPRINT]),
            vec![name::REQUEST_KEY_IS_THIS_KEY]
        );
        assert!(fed_by(&[name::KEY_STATUS]).is_empty());
    }
}
