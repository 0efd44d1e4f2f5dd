//! Hard facts decide first: a rule on a statistic (the 24-hour top reason, a log-derived
//! figure) that the walk can evaluate before a rule on a hard fact (the key's status, the
//! account's, a scope) leading to the same outcome is a warning. The statistic would decide a
//! case the hard fact settles, e.g. a revoked key reported as rate limiting because the
//! morning was rate-limited.

use super::super::model::{Check, NodeKind, Rule, Runbook};
use super::super::resolve::{Ctx, NodeSpans};
use crate::facts::{Weight, lookup};
use std::collections::{BTreeMap, BTreeSet};

/// A rule, by its node and its place among the node's rules.
type RuleAt<'a> = (&'a str, usize);

pub fn hard_facts_first(cx: &mut Ctx<'_>, rb: &Runbook, spans: &NodeSpans) {
    let before = statistics_before(rb);
    let mut warned = BTreeSet::new();
    for node in &rb.nodes {
        let NodeKind::Check(check) = &node.kind else {
            continue;
        };
        for (j, rule) in check.rules.iter().enumerate() {
            if weight(rule) != Weight::Hard {
                continue;
            }
            let hard_targets = targets(rb, &rule.next).outcomes;
            let earlier_here = (0..j)
                .filter(|i| weight(&check.rules[*i]) == Weight::Statistic)
                .map(|i| (node.id.as_str(), i));
            let candidates: BTreeSet<RuleAt> = before
                .get(node.id.as_str())
                .into_iter()
                .flatten()
                .copied()
                .chain(earlier_here)
                .collect();
            for (stat_node, i) in candidates {
                let Some(stat) = rule_of(rb, stat_node, i) else {
                    continue;
                };
                let behind_stat = targets(rb, &stat.next);
                // A hard rule in a check the statistic leads to refines it; it is not overruled.
                let refines = behind_stat.checks.contains(node.id.as_str());
                let shared: Vec<&str> = behind_stat
                    .outcomes
                    .intersection(&hard_targets)
                    .copied()
                    .collect();
                if refines
                    || shared.is_empty()
                    || !warned.insert(((stat_node, i), (node.id.as_str(), j)))
                {
                    continue;
                }
                let (Some(stat_span), Some(hard_span)) =
                    (spans.rule(stat_node, i), spans.rule(&node.id, j))
                else {
                    continue;
                };
                let (line, col) = cx.src.position(stat_span.start);
                let path = cx.src.path.display().to_string();
                cx.warn(
                    hard_span,
                    format!(
                        "rule on a hard fact ({}) in `{}` comes after a rule on a statistic ({}) \
                         in `{stat_node}` at {path}:{line}:{col}, both leading to `{}`: the \
                         statistic can decide a case the hard fact settles",
                        rule.when.facts().join(", "),
                        node.id,
                        stat.when.facts().join(", "),
                        shared.join("`, `"),
                    ),
                );
            }
        }
    }
}

/// Statistic unless every fact the rule reads is hard.
fn weight(rule: &Rule) -> Weight {
    let statistic = rule
        .when
        .facts()
        .iter()
        .any(|f| lookup(f).is_some_and(|d| d.weight == Weight::Statistic));
    if statistic {
        Weight::Statistic
    } else {
        Weight::Hard
    }
}

fn rule_of<'a>(rb: &'a Runbook, node: &str, i: usize) -> Option<&'a Rule> {
    match &rb.node(node)?.kind {
        NodeKind::Check(c) => c.rules.get(i),
        _ => None,
    }
}

/// What a rule decides for.
#[derive(Default)]
struct Targets<'a> {
    /// Its `next` when that is an outcome, or the outcomes the rules of the checks behind it
    /// lead to. Questions and `otherwise` end the search: an answer is no statistic, and what
    /// a check does when nothing matched is not what the rule decided.
    outcomes: BTreeSet<&'a str>,
    /// The checks passed on the way.
    checks: BTreeSet<&'a str>,
}

fn targets<'a>(rb: &'a Runbook, next: &'a str) -> Targets<'a> {
    let mut found = Targets::default();
    let mut stack = vec![next];
    while let Some(id) = stack.pop() {
        match rb.node(id).map(|n| &n.kind) {
            Some(NodeKind::Outcome(_)) => {
                found.outcomes.insert(id);
            }
            Some(NodeKind::Check(c)) if found.checks.insert(id) => {
                stack.extend(c.rules.iter().map(|r| r.next.as_str()));
            }
            _ => {}
        }
    }
    found
}

/// For each node, the statistic rules some walk evaluates before reaching it.
fn statistics_before(rb: &Runbook) -> BTreeMap<&str, BTreeSet<RuleAt<'_>>> {
    let mut before: BTreeMap<&str, BTreeSet<RuleAt>> = BTreeMap::new();
    // Runbooks are small and acyclic (the graph lint says so): iterate to a fixed point.
    loop {
        let mut changed = false;
        for node in &rb.nodes {
            let inherited = before.get(node.id.as_str()).cloned().unwrap_or_default();
            for (next, carried) in carried_along(node.id.as_str(), &node.kind, inherited) {
                let entry = before.entry(next).or_default();
                let size = entry.len();
                entry.extend(carried);
                changed |= entry.len() != size;
            }
        }
        if !changed {
            return before;
        }
    }
}

/// Each edge out of a node with the statistic rules evaluated before it is taken.
fn carried_along<'a>(
    id: &'a str,
    kind: &'a NodeKind,
    inherited: BTreeSet<RuleAt<'a>>,
) -> Vec<(&'a str, BTreeSet<RuleAt<'a>>)> {
    match kind {
        NodeKind::Question(q) => q
            .choices
            .iter()
            .map(|c| (c.next.as_str(), inherited.clone()))
            .collect(),
        NodeKind::Check(check) => check_edges(id, check, inherited),
        NodeKind::Outcome(_) => Vec::new(),
    }
}

fn check_edges<'a>(
    id: &'a str,
    check: &'a Check,
    inherited: BTreeSet<RuleAt<'a>>,
) -> Vec<(&'a str, BTreeSet<RuleAt<'a>>)> {
    let mut seen = inherited;
    let mut out = Vec::new();
    for (i, rule) in check.rules.iter().enumerate() {
        if weight(rule) == Weight::Statistic {
            seen.insert((id, i));
        }
        out.push((rule.next.as_str(), seen.clone()));
    }
    out.push((check.otherwise.as_str(), seen.clone()));
    out.push((check.if_unknown.as_str(), seen));
    out
}

#[cfg(test)]
mod tests {
    use crate::runbook::{Catalog, SourceFile};

    const TREE: &str = r#"
id = "t"
title = "T"
start = "gateway"

[[node]]
id = "gateway"
kind = "check"
text = "gateway's reason"
otherwise = "key"
if_unknown = "ask"
[[node.rule]]
when = { fact = "failures.top_reason", op = "eq", value = "rate_limited" }
next = "limited"

[[node]]
id = "key"
kind = "check"
text = "key"
otherwise = "ask"
if_unknown = "ask"
[[node.rule]]
when = { fact = "key.status", op = "eq", value = "revoked" }
next = "revoked"
[[node.rule]]
when = { fact = "usage.rate_exhausted", op = "eq", value = true }
next = "limited"

[[node]]
id = "ask"
kind = "question"
text = "?"
[[node.choice]]
id = "a"
label = "a"
next = "limited"

[[node]]
id = "limited"
kind = "outcome"
resolution = "resolve"
severity = "low"
summary = "s"
reply = "r"

[[node]]
id = "revoked"
kind = "outcome"
resolution = "resolve"
severity = "low"
summary = "s"
reply = "r"
"#;

    fn warnings(text: &str) -> Vec<String> {
        let catalog = Catalog::load(vec![SourceFile::new("t.toml", text)]);
        assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
        catalog.warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn statistic_before_hard_fact_for_the_same_outcome_warns_with_both_positions() {
        let w = warnings(TREE);
        assert_eq!(w.len(), 1, "{w:?}");
        // The hard rule's position leads; the statistic's is named in the message.
        assert!(w[0].starts_with("t.toml:26:8: "), "{}", w[0]);
        assert!(w[0].contains("usage.rate_exhausted"), "{}", w[0]);
        assert!(w[0].contains("failures.top_reason"), "{}", w[0]);
        assert!(w[0].contains("t.toml:13:8"), "{}", w[0]);
        assert!(w[0].contains("`limited`"), "{}", w[0]);
    }

    #[test]
    fn a_statistic_for_another_outcome_does_not_warn() {
        let tree = TREE.replace(
            "value = true }\nnext = \"limited\"",
            "value = true }\nnext = \"revoked\"",
        );
        assert!(warnings(&tree).is_empty(), "{:?}", warnings(&tree));
    }

    #[test]
    fn hard_facts_checked_first_do_not_warn() {
        let tree = TREE
            .replace("start = \"gateway\"", "start = \"key\"")
            .replace("otherwise = \"key\"", "otherwise = \"GATEWAY-NEXT\"")
            .replace(
                "text = \"key\"\notherwise = \"ask\"",
                "text = \"key\"\notherwise = \"gateway\"",
            )
            .replace("GATEWAY-NEXT", "ask");
        assert!(warnings(&tree).is_empty(), "{:?}", warnings(&tree));
    }

    #[test]
    fn the_shipped_runbooks_check_hard_facts_first() {
        let catalog = Catalog::builtin();
        assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
        assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    }
}
