//! Conditions over facts: typed when the runbook loads, evaluated with three-valued logic
//! (true, false, unknown) so a check can tell "no" from "not known yet".

use crate::facts::{FactType, FactValue, Facts};
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

/// The operators a runbook may use, by their names in the file.
pub const OPERATORS: &[&str] = &[
    "eq",
    "ne",
    "in",
    "contains",
    "exists",
    "gt",
    "lt",
    "before",
    "after",
    "within",
    "cidr_contains",
    "matches",
];

/// Builds a typed test for `op` on a fact of type `ty`; the error says what does not fit.
pub fn build_test<'v>(
    op: &str,
    ty: FactType,
    value: Option<&'v toml::Value>,
) -> Result<Test, String> {
    use FactType as T;
    let need = |v: Option<&'v toml::Value>| v.ok_or_else(|| format!("`{op}` needs a `value`"));
    Ok(match (op, ty) {
        ("exists", _) => Test::Exists(match value {
            None => true,
            Some(toml::Value::Boolean(b)) => *b,
            Some(v) => return Err(format!("`exists` takes true or false, not {v}")),
        }),
        (_, T::Secret) => return Err("a secret can only be tested with `exists`".into()),
        ("eq" | "ne", T::Text | T::Number | T::Bool | T::Time | T::Ip) => {
            let v = typed(ty, need(value)?)?;
            if op == "eq" { Test::Eq(v) } else { Test::Ne(v) }
        }
        ("in", T::Text | T::Number | T::Ip) => match need(value)? {
            toml::Value::Array(items) => Test::In(
                items
                    .iter()
                    .map(|i| typed(ty, i))
                    .collect::<Result<_, _>>()?,
            ),
            v => return Err(format!("`in` needs a list of values, not {v}")),
        },
        ("contains", T::Text | T::TextList) => Test::Contains(text(need(value)?)?.to_string()),
        ("gt" | "lt", T::Number) => {
            let n = number(need(value)?)?;
            if op == "gt" { Test::Gt(n) } else { Test::Lt(n) }
        }
        ("before" | "after", T::Time) => {
            let t = time_ref(need(value)?)?;
            if op == "before" {
                Test::Before(t)
            } else {
                Test::After(t)
            }
        }
        ("within", T::Time) => Test::Within(duration(text(need(value)?)?)?),
        ("cidr_contains", T::Ip) => Test::InRanges(ranges(need(value)?)?),
        ("cidr_contains", T::CidrList) => {
            let t = text(need(value)?)?;
            Test::RangesContain(
                t.parse()
                    .map_err(|_| format!("`{t}` is not an IP address"))?,
            )
        }
        ("matches", T::Text) => {
            let t = text(need(value)?)?;
            Test::Matches(Regex::new(t).map_err(|e| format!("bad regular expression: {e}"))?)
        }
        (op, _) if OPERATORS.contains(&op) => {
            return Err(format!("`{op}` does not apply to a {ty} fact"));
        }
        (op, _) => {
            return Err(format!(
                "unknown operator `{op}` (expected one of: {})",
                OPERATORS.join(", ")
            ));
        }
    })
}

/// A literal of the fact's own type; strings are parsed as that type.
fn typed(ty: FactType, value: &toml::Value) -> Result<FactValue, String> {
    let mismatch = || format!("a {ty} fact cannot be compared with {value}");
    match (ty, value) {
        (FactType::Number, toml::Value::Integer(i)) => Ok(FactValue::Number(*i as f64)),
        (FactType::Number, toml::Value::Float(f)) => Ok(FactValue::Number(*f)),
        (FactType::Bool, toml::Value::Boolean(b)) => Ok(FactValue::Bool(*b)),
        (FactType::Time, toml::Value::Datetime(d)) => {
            FactValue::parse(ty, &d.to_string()).map_err(|e| e.to_string())
        }
        (FactType::Text | FactType::Time | FactType::Ip, toml::Value::String(s)) => {
            FactValue::parse(ty, s).map_err(|_| mismatch())
        }
        _ => Err(mismatch()),
    }
}

fn text(value: &toml::Value) -> Result<&str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("expected a string, not {value}"))
}

fn number(value: &toml::Value) -> Result<f64, String> {
    match value {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) => Ok(*f),
        v => Err(format!("a number fact cannot be compared with {v}")),
    }
}

fn time_ref(value: &toml::Value) -> Result<TimeRef, String> {
    if value.as_str() == Some("now") {
        return Ok(TimeRef::Now);
    }
    match typed(FactType::Time, value)? {
        FactValue::Time(t) => Ok(TimeRef::At(t)),
        _ => Err(format!("`{value}` is not a time")),
    }
}

fn ranges(value: &toml::Value) -> Result<Vec<IpNet>, String> {
    let one = |v: &toml::Value| {
        let t = text(v)?;
        crate::facts::parse_cidr(t).ok_or_else(|| format!("`{t}` is not a CIDR range"))
    };
    match value {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        v => Ok(vec![one(v)?]),
    }
}

/// Parses `90s`, `15m`, `24h` or `7d`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration (use e.g. 90s, 15m, 24h, 7d)");
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = text[..split].parse().map_err(|_| bad())?;
    match &text[split..] {
        "s" => Ok(Duration::seconds(n)),
        "m" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        _ => Err(bad()),
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

    fn now() -> DateTime<Utc> {
        "2026-11-22T10:00:00Z".parse().unwrap()
    }

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
    fn type_mismatches_are_rejected_with_a_reason() {
        let err = build_test("before", FactType::Time, Some(&"soon".into())).unwrap_err();
        assert!(err.contains("time fact cannot be compared"), "{err}");
        let err = build_test("gt", FactType::Text, Some(&1.into())).unwrap_err();
        assert!(err.contains("does not apply to a text fact"), "{err}");
        let err = build_test("approx", FactType::Text, Some(&1.into())).unwrap_err();
        assert!(err.contains("unknown operator"), "{err}");
        let err = build_test("eq", FactType::Secret, Some(&"x".into())).unwrap_err();
        assert!(err.contains("secret"), "{err}");
        let err = build_test("matches", FactType::Text, Some(&"(".into())).unwrap_err();
        assert!(err.contains("regular expression"), "{err}");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(duration("7d"), Ok(Duration::days(7)));
        assert!(duration("7 days").is_err());
        assert!(duration("d").is_err());
    }
}
