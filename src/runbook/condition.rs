//! Conditions over facts: typed when the runbook loads, evaluated with three-valued logic
//! (true, false, unknown) so a check can tell "no" from "not known yet".

use crate::facts::{FactValue, Facts};
use chrono::{DateTime, Duration, Utc};
use ipnet::IpNet;
use regex::Regex;
use std::fmt;
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub enum Condition {
    Test {
        fact: String,
        test: Test,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A named escalation criterion, resolved to its condition at load time.
    Criterion {
        id: String,
        when: Box<Condition>,
    },
}

/// A comparison, with its operand already typed for the fact it applies to.
#[derive(Debug, Clone)]
pub enum Test {
    Eq(FactValue),
    Ne(FactValue),
    In(Vec<FactValue>),
    /// Substring of a text, or member of a list.
    Contains(String),
    /// Whether the fact is known; never unknown itself.
    Exists(bool),
    Gt(f64),
    Lt(f64),
    Before(TimeRef),
    After(TimeRef),
    /// The time lies within this long of now, before or after.
    Within(Duration),
    /// The fact (an IP) lies in one of these ranges.
    InRanges(Vec<IpNet>),
    /// The fact (a list of ranges) contains this IP.
    RangesContain(IpAddr),
    Matches(Regex),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRef {
    Now,
    At(DateTime<Utc>),
}

impl TimeRef {
    fn at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            TimeRef::Now => now,
            TimeRef::At(t) => t,
        }
    }
}

/// The result of evaluating a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }

    fn not(self) -> Self {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// What an evaluation looked at: the facts it read, and those it needed but did not have.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trace {
    pub read: Vec<String>,
    pub missing: Vec<String>,
}

impl Trace {
    fn note(list: &mut Vec<String>, fact: &str) {
        if !list.iter().any(|f| f == fact) {
            list.push(fact.to_string());
        }
    }
}

impl Condition {
    /// Evaluates with Kleene logic: `any` is true if one part is true even when another is
    /// unknown; `all` is false if one part is false.
    pub fn eval(&self, facts: &Facts, now: DateTime<Utc>, trace: &mut Trace) -> Truth {
        match self {
            Condition::Test { fact, test } => match facts.value(fact) {
                Some(value) => {
                    Trace::note(&mut trace.read, fact);
                    Truth::from_bool(test.holds(value, now))
                }
                None if matches!(test, Test::Exists(_)) => {
                    Truth::from_bool(matches!(test, Test::Exists(false)))
                }
                None => {
                    Trace::note(&mut trace.missing, fact);
                    Truth::Unknown
                }
            },
            Condition::All(parts) => fold(parts, facts, now, trace, Truth::False),
            Condition::Any(parts) => fold(parts, facts, now, trace, Truth::True),
            Condition::Not(inner) => inner.eval(facts, now, trace).not(),
            Condition::Criterion { when, .. } => when.eval(facts, now, trace),
        }
    }

    /// The facts that settled the condition, in the order it names them: a test's own fact
    /// when known; every part of an `all` that holds (each was needed) but only the first part
    /// that sank it when it fails; the first part that held of an `any`. A part that merely
    /// came before, and did not hold, settled nothing: in `any [reason matches leak, revoked_by
    /// matches scanning]` that held on the reason, `revoked_by` is not why. Empty when the
    /// condition is unknown.
    pub fn settled_by(&self, facts: &Facts, now: DateTime<Utc>) -> Vec<String> {
        let mut out = Vec::new();
        self.settle(facts, now, &mut out);
        out
    }

    fn settle(&self, facts: &Facts, now: DateTime<Utc>, out: &mut Vec<String>) -> Truth {
        match self {
            Condition::Test { fact, .. } => {
                let truth = self.eval(facts, now, &mut Trace::default());
                // A missing fact that settles an `exists` test is nothing a ticket can cite.
                if truth != Truth::Unknown && facts.value(fact).is_some() {
                    Trace::note(out, fact);
                }
                truth
            }
            Condition::All(parts) => settle_fold(parts, facts, now, out, Truth::False),
            Condition::Any(parts) => settle_fold(parts, facts, now, out, Truth::True),
            Condition::Not(inner) => inner.settle(facts, now, out).not(),
            Condition::Criterion { when, .. } => when.settle(facts, now, out),
        }
    }

    /// Every fact the condition names.
    pub fn facts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_facts(&mut out);
        out
    }

    fn collect_facts<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Test { fact, .. } => out.push(fact),
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.collect_facts(out))
            }
            Condition::Not(inner) => inner.collect_facts(out),
            Condition::Criterion { when, .. } => when.collect_facts(out),
        }
    }
}

/// `decisive` is the value that settles the whole: false for `all`, true for `any`.
fn fold(
    parts: &[Condition],
    facts: &Facts,
    now: DateTime<Utc>,
    trace: &mut Trace,
    decisive: Truth,
) -> Truth {
    let mut unknown = false;
    for part in parts {
        match part.eval(facts, now, trace) {
            t if t == decisive => return decisive,
            Truth::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Truth::Unknown
    } else {
        decisive.not()
    }
}

/// [`fold`] that keeps only the facts behind the result: the first part with the `decisive`
/// value alone, or every part when none has it.
fn settle_fold(
    parts: &[Condition],
    facts: &Facts,
    now: DateTime<Utc>,
    out: &mut Vec<String>,
    decisive: Truth,
) -> Truth {
    let mut all_parts = Vec::new();
    let mut unknown = false;
    for part in parts {
        let mut own = Vec::new();
        match part.settle(facts, now, &mut own) {
            t if t == decisive => {
                own.iter().for_each(|f| Trace::note(out, f));
                return decisive;
            }
            Truth::Unknown => unknown = true,
            _ => all_parts.extend(own),
        }
    }
    if unknown {
        return Truth::Unknown;
    }
    all_parts.iter().for_each(|f| Trace::note(out, f));
    decisive.not()
}

impl Test {
    fn holds(&self, value: &FactValue, now: DateTime<Utc>) -> bool {
        match (self, value) {
            (Test::Eq(want), v) => same(v, want),
            (Test::Ne(want), v) => !same(v, want),
            (Test::In(options), v) => options.iter().any(|o| same(v, o)),
            (Test::Contains(needle), FactValue::Text(s)) => {
                s.to_lowercase().contains(&needle.to_lowercase())
            }
            (Test::Contains(needle), FactValue::TextList(items)) => {
                items.iter().any(|i| i.eq_ignore_ascii_case(needle))
            }
            (Test::Exists(want), _) => *want,
            (Test::Gt(n), FactValue::Number(v)) => v > n,
            (Test::Lt(n), FactValue::Number(v)) => v < n,
            (Test::Before(t), FactValue::Time(v)) => *v < t.at(now),
            (Test::After(t), FactValue::Time(v)) => *v > t.at(now),
            (Test::Within(d), FactValue::Time(v)) => (now - *v).abs() <= *d,
            (Test::InRanges(nets), FactValue::Ip(ip)) => nets.iter().any(|n| n.contains(ip)),
            (Test::RangesContain(ip), FactValue::CidrList(nets)) => {
                nets.iter().any(|n| n.contains(ip))
            }
            (Test::Matches(re), FactValue::Text(s)) => re.is_match(s),
            // The loader types every test against its fact, so other pairs cannot occur;
            // treating them as false keeps a hand-built condition from panicking.
            _ => false,
        }
    }
}

/// Equality that ignores ASCII case for text: gateways and people disagree on case.
fn same(a: &FactValue, b: &FactValue) -> bool {
    match (a, b) {
        (FactValue::Text(x), FactValue::Text(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Condition], sep: &str| {
            let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            write!(f, "({})", parts.join(sep))
        };
        match self {
            Condition::Test { fact, test } => write!(f, "{fact} {test}"),
            Condition::All(parts) => join(f, parts, " and "),
            Condition::Any(parts) => join(f, parts, " or "),
            Condition::Not(inner) => write!(f, "not {inner}"),
            Condition::Criterion { id, .. } => write!(f, "criterion {id}"),
        }
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |items: &[FactValue]| {
            items
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let time = |t: &TimeRef| match t {
            TimeRef::Now => "now".to_string(),
            TimeRef::At(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        };
        match self {
            Test::Eq(v) => write!(f, "= {v}"),
            Test::Ne(v) => write!(f, "≠ {v}"),
            Test::In(items) => write!(f, "in [{}]", list(items)),
            Test::Contains(s) => write!(f, "contains {s}"),
            Test::Exists(true) => write!(f, "is known"),
            Test::Exists(false) => write!(f, "is not known"),
            Test::Gt(n) => write!(f, "> {n}"),
            Test::Lt(n) => write!(f, "< {n}"),
            Test::Before(t) => write!(f, "before {}", time(t)),
            Test::After(t) => write!(f, "after {}", time(t)),
            Test::Within(d) => write!(f, "within {}h of now", d.num_hours()),
            Test::InRanges(nets) => {
                let nets: Vec<String> = nets.iter().map(ToString::to_string).collect();
                write!(f, "in {}", nets.join(", "))
            }
            Test::RangesContain(ip) => write!(f, "contains {ip}"),
            Test::Matches(re) => write!(f, "matches /{re}/"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactSource;
    use crate::runbook::operand::build_test;

    use crate::testing::now;

    fn facts(pairs: &[(&str, &str)]) -> Facts {
        let mut f = Facts::new();
        for (k, v) in pairs {
            f.insert_text(k, v, FactSource::AdminApi, now()).unwrap();
        }
        f
    }

    fn test(fact: &str, op: &str, value: toml::Value) -> Condition {
        let ty = crate::facts::lookup(fact).unwrap().ty;
        Condition::Test {
            fact: fact.into(),
            test: build_test(op, ty, Some(&value)).unwrap(),
        }
    }

    #[test]
    fn missing_fact_is_unknown_and_traced() {
        let c = test("key.status", "eq", "revoked".into());
        let mut trace = Trace::default();
        assert_eq!(c.eval(&Facts::new(), now(), &mut trace), Truth::Unknown);
        assert_eq!(trace.missing, ["key.status"]);
    }

    #[test]
    fn any_is_true_when_one_part_is_true_despite_unknowns() {
        let c = Condition::Any(vec![
            test("health.status", "eq", "down".into()),
            test("incident.customers_affected", "gt", 2.into()),
        ]);
        let f = facts(&[("incident.customers_affected", "5")]);
        assert_eq!(c.eval(&f, now(), &mut Trace::default()), Truth::True);
        let f = facts(&[("incident.customers_affected", "1")]);
        assert_eq!(c.eval(&f, now(), &mut Trace::default()), Truth::Unknown);
    }

    #[test]
    fn all_is_false_when_one_part_is_false_despite_unknowns() {
        let c = Condition::All(vec![
            test("key.status", "eq", "revoked".into()),
            test("key.env", "eq", "live".into()),
        ]);
        let f = facts(&[("key.env", "test")]);
        assert_eq!(c.eval(&f, now(), &mut Trace::default()), Truth::False);
    }

    #[test]
    fn text_equality_ignores_case() {
        let c = test("key.status", "eq", "Revoked".into());
        let f = facts(&[("key.status", "revoked")]);
        assert_eq!(c.eval(&f, now(), &mut Trace::default()), Truth::True);
    }

    #[test]
    fn time_operators_use_the_given_now() {
        let f = facts(&[("key.expires_at", "2026-11-21T10:00:00Z")]);
        let before_now = test("key.expires_at", "before", "now".into());
        assert_eq!(
            before_now.eval(&f, now(), &mut Trace::default()),
            Truth::True
        );
        let within = test("key.expires_at", "within", "1d".into());
        assert_eq!(within.eval(&f, now(), &mut Trace::default()), Truth::True);
        let within = test("key.expires_at", "within", "12h".into());
        assert_eq!(within.eval(&f, now(), &mut Trace::default()), Truth::False);
    }

    #[test]
    fn cidr_contains_works_both_ways() {
        let f = facts(&[
            ("client_ip", "203.0.113.9"),
            ("key.allowed_ips", "203.0.113.0/24"),
        ]);
        let ip_in = test(
            "client_ip",
            "cidr_contains",
            toml::Value::Array(vec!["198.51.100.0/24".into(), "203.0.113.0/28".into()]),
        );
        assert_eq!(ip_in.eval(&f, now(), &mut Trace::default()), Truth::True);
        let ranges_have = test("key.allowed_ips", "cidr_contains", "198.51.100.1".into());
        assert_eq!(
            ranges_have.eval(&f, now(), &mut Trace::default()),
            Truth::False
        );
    }

    #[test]
    fn exists_is_never_unknown() {
        let c = test("key.revoked_at", "exists", true.into());
        assert_eq!(
            c.eval(&Facts::new(), now(), &mut Trace::default()),
            Truth::False
        );
    }

    #[test]
    fn an_either_or_is_settled_by_the_part_that_held_not_the_one_read_before_it() {
        let leak = Condition::All(vec![
            test("key.revoke_reason", "exists", toml::Value::Boolean(true)),
            test("key.revoke_reason", "matches", "(?i)leak".into()),
        ]);
        let scanning = test("key.revoked_by", "matches", "(?i)scann".into());
        let f = facts(&[
            ("key.revoke_reason", "leaked in a public repo"),
            ("key.revoked_by", "ops@example.com"),
        ]);
        let either = Condition::Any(vec![scanning.clone(), leak.clone()]);
        let mut trace = Trace::default();
        assert_eq!(either.eval(&f, now(), &mut trace), Truth::True);
        assert_eq!(trace.read, ["key.revoked_by", "key.revoke_reason"]);
        assert_eq!(either.settled_by(&f, now()), ["key.revoke_reason"]);

        let both = Condition::All(vec![
            test("key.status", "eq", "revoked".into()),
            leak.clone(),
        ]);
        let f = facts(&[("key.status", "revoked"), ("key.revoke_reason", "leak")]);
        assert_eq!(
            both.settled_by(&f, now()),
            ["key.status", "key.revoke_reason"]
        );

        // `not all`: the part that failed is why; an unknown settles nothing.
        let f = facts(&[("key.status", "active"), ("key.revoke_reason", "leak")]);
        assert_eq!(
            Condition::Not(Box::new(both.clone())).settled_by(&f, now()),
            ["key.status"]
        );
        assert!(scanning.settled_by(&Facts::new(), now()).is_empty());
    }
}
