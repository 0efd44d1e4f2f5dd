//! Dead rules: a check's rule that can never fire because an earlier rule of the same check
//! matches whenever it does. Decided from the conditions alone, soundly: "implies" is only
//! claimed where it holds for every set of facts; anything not understood is assumed live.

use super::condition::{Condition, Test};
use crate::facts::FactValue;

/// Whether `later` being true makes `earlier` true (so `later` never gets its turn).
pub fn implies(later: &Condition, earlier: &Condition) -> bool {
    match (later, earlier) {
        (Condition::Criterion { when, .. }, _) => implies(when, earlier),
        (_, Condition::Criterion { when, .. }) => implies(later, when),
        (_, Condition::All(parts)) => parts.iter().all(|p| implies(later, p)),
        (_, Condition::Any(parts)) if parts.iter().any(|p| implies(later, p)) => true,
        (Condition::Any(parts), _) => {
            !parts.is_empty() && parts.iter().all(|p| implies(p, earlier))
        }
        (Condition::All(parts), _) => parts.iter().any(|p| implies(p, earlier)),
        (Condition::Test { fact: f1, test: t1 }, Condition::Test { fact: f2, test: t2 }) => {
            f1 == f2 && test_implies(t1, t2)
        }
        // Identical conditions (a `not` repeated, say) shadow each other too.
        (a, b) => format!("{a:?}") == format!("{b:?}"),
    }
}

fn test_implies(later: &Test, earlier: &Test) -> bool {
    use Test::*;
    match (later, earlier) {
        // Any test that holds needs the fact known.
        (Exists(false), Exists(false)) => true,
        (Exists(false), _) => false,
        (_, Exists(true)) => true,
        (Eq(x), Eq(y)) => x == y,
        (Eq(x), Ne(y)) => x != y,
        (Eq(x), In(ys)) => ys.contains(x),
        (Eq(FactValue::Number(n)), Gt(y)) => n > y,
        (Eq(FactValue::Number(n)), Lt(y)) => n < y,
        (In(xs), Eq(y)) => !xs.is_empty() && xs.iter().all(|x| x == y),
        (In(xs), Ne(y)) => !xs.contains(y),
        (In(xs), In(ys)) => xs.iter().all(|x| ys.contains(x)),
        (Ne(x), Ne(y)) => x == y,
        (Gt(x), Gt(y)) => x >= y,
        (Lt(x), Lt(y)) => x <= y,
        (a, b) => format!("{a:?}") == format!("{b:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(fact: &str, test: Test) -> Condition {
        Condition::Test {
            fact: fact.into(),
            test,
        }
    }
    fn text(s: &str) -> FactValue {
        FactValue::Text(s.into())
    }

    #[test]
    fn the_truncated_key_rule_behind_the_header_rule_is_dead() {
        let header = t("request.header_problem", Test::Ne(text("none")));
        let truncated = t("request.header_problem", Test::Eq(text("key-too-short")));
        assert!(implies(&truncated, &header));
        assert!(!implies(&header, &truncated), "the other order is live");
    }

    #[test]
    fn exists_guards_and_ranges() {
        let exists = t("logs.keys_failing", Test::Exists(true));
        let gt3 = t("logs.keys_failing", Test::Gt(3.0));
        let gt5 = t("logs.keys_failing", Test::Gt(5.0));
        assert!(implies(&gt3, &exists));
        assert!(implies(&gt5, &gt3));
        assert!(!implies(&gt3, &gt5));
        let guarded = Condition::All(vec![exists.clone(), gt5.clone()]);
        assert!(implies(&guarded, &gt3));
        assert!(!implies(&exists, &guarded));
    }

    #[test]
    fn other_facts_and_values_are_live() {
        let a = t("key.status", Test::Eq(text("revoked")));
        let b = t("key.status", Test::Eq(text("expired")));
        let c = t("customer.status", Test::Eq(text("revoked")));
        assert!(!implies(&b, &a));
        assert!(!implies(&c, &a));
        let any = Condition::Any(vec![a.clone(), b.clone()]);
        assert!(implies(&b, &any));
        assert!(!implies(&any, &a));
        let within = t(
            "key.status",
            Test::In(vec![text("revoked"), text("expired")]),
        );
        assert!(implies(&a, &within));
        assert!(implies(&any, &within));
    }
}
