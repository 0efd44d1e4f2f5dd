//! Resolving nodes: questions, and checks with their conditions; outcomes are in [`super::outcome`].

use super::Ctx;
use crate::facts::{FactType, FactValue, lookup};
use crate::runbook::condition::Condition;
use crate::runbook::model::*;
use crate::runbook::operand::build_test;
use crate::runbook::raw::*;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// Reports fields that belong to another kind of node.
fn stray_fields(cx: &mut Ctx<'_>, raw: &RawNode) {
    let kind = raw.kind;
    let mut stray = |present: bool, field: &str, belongs: RawNodeKind| {
        if present && kind != belongs {
            cx.error(
                raw.id.span(),
                format!("`{field}` belongs on a {belongs:?} node, not a {kind:?} node")
                    .to_lowercase(),
            );
        }
    };
    stray(!raw.choice.is_empty(), "choice", RawNodeKind::Question);
    stray(!raw.rule.is_empty(), "rule", RawNodeKind::Check);
    stray(raw.otherwise.is_some(), "otherwise", RawNodeKind::Check);
    stray(raw.if_unknown.is_some(), "if_unknown", RawNodeKind::Check);
    for (present, field) in [
        (raw.resolution.is_some(), "resolution"),
        (raw.severity.is_some(), "severity"),
        (raw.team.is_some(), "team"),
        (raw.summary.is_some(), "summary"),
        (raw.reply.is_some(), "reply"),
        (!raw.next_steps.is_empty(), "next_steps"),
        (!raw.cite.is_empty(), "cite"),
        (raw.ask.is_some(), "ask"),
    ] {
        stray(present, field, RawNodeKind::Outcome);
    }
}

pub(super) fn resolve_node(
    cx: &mut Ctx<'_>,
    raw: RawNode,
    criteria: &BTreeMap<String, Condition>,
) -> Option<Node> {
    stray_fields(cx, &raw);
    let id_span = raw.id.span();
    let id = raw.id.get_ref().clone();
    let text = raw.text.clone().unwrap_or_default();
    if text.trim().is_empty() && raw.kind != RawNodeKind::Outcome {
        cx.error(id_span.clone(), format!("node `{id}` needs a `text`"));
    }
    let help = raw.help.clone();
    let title = raw
        .title
        .clone()
        .unwrap_or_else(|| text.lines().next().unwrap_or(&id).to_string());
    let kind = match raw.kind {
        RawNodeKind::Question => NodeKind::Question(question(cx, &id, id_span, raw.choice)?),
        RawNodeKind::Check => {
            let (rules, otherwise, if_unknown) = (raw.rule, raw.otherwise, raw.if_unknown);
            NodeKind::Check(check(
                cx, &id, id_span, rules, otherwise, if_unknown, criteria,
            )?)
        }
        RawNodeKind::Outcome => NodeKind::Outcome(super::outcome::outcome(cx, &id, id_span, raw)?),
    };
    Some(Node {
        id,
        title,
        text,
        help,
        kind,
    })
}

fn question(
    cx: &mut Ctx<'_>,
    id: &str,
    span: Range<usize>,
    raw: Vec<Spanned<RawChoice>>,
) -> Option<Question> {
    if raw.is_empty() {
        cx.error(span, format!("question `{id}` has no choices: no way out"));
        return None;
    }
    let mut choices: Vec<Choice> = Vec::new();
    for c in raw {
        let c = c.into_inner();
        if choices.iter().any(|o| &o.id == c.id.get_ref()) {
            cx.error(
                c.id.span(),
                format!("duplicate choice id `{}`", c.id.get_ref()),
            );
            continue;
        }
        let mut set = Vec::new();
        for (fact, value) in c.set {
            match lookup(&fact) {
                None => cx.error(value.span(), format!("unknown fact `{fact}`")),
                Some(def) => match set_value(def.ty, value.get_ref()) {
                    Ok(v) => set.push((fact, v)),
                    Err(e) => cx.error(value.span(), format!("`{fact}`: {e}")),
                },
            }
        }
        cx.refs.push(c.next.clone());
        choices.push(Choice {
            id: c.id.into_inner(),
            label: c.label,
            next: c.next.into_inner(),
            set,
        });
    }
    Some(Question { choices })
}

/// A value a choice asserts, typed by the schema.
fn set_value(ty: FactType, value: &toml::Value) -> Result<FactValue, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) if ty == FactType::Number => i.to_string(),
        toml::Value::Float(f) if ty == FactType::Number => f.to_string(),
        toml::Value::Boolean(b) if ty == FactType::Bool => b.to_string(),
        toml::Value::Datetime(d) if ty == FactType::Time => d.to_string(),
        toml::Value::Array(items) if matches!(ty, FactType::TextList | FactType::CidrList) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or("list items must be strings")
            })
            .collect::<Result<Vec<_>, _>>()?
            .join(","),
        v => return Err(format!("a {ty} fact cannot be set to {v}")),
    };
    if ty == FactType::Secret {
        return Err("a secret cannot be set by a choice".into());
    }
    FactValue::parse(ty, &text).map_err(|e| e.to_string())
}

fn check(
    cx: &mut Ctx<'_>,
    id: &str,
    span: Range<usize>,
    raw_rules: Vec<Spanned<RawRule>>,
    otherwise: Option<Spanned<String>>,
    if_unknown: Option<Spanned<String>>,
    criteria: &BTreeMap<String, Condition>,
) -> Option<Check> {
    if raw_rules.is_empty() {
        cx.error(span.clone(), format!("check `{id}` has no rules"));
    }
    let (Some(otherwise), Some(if_unknown)) = (otherwise, if_unknown) else {
        cx.error(
            span,
            format!(
                "check `{id}` needs `otherwise` (no rule matched) and `if_unknown` (facts \
                 missing: ask the agent), so it never dead-ends"
            ),
        );
        return None;
    };
    let mut rules = Vec::new();
    let mut starts = Vec::new();
    for r in raw_rules {
        let start = r.span().start;
        let r = r.into_inner();
        cx.refs.push(r.next.clone());
        if let Some(when) = condition(cx, r.when, criteria) {
            rules.push(Rule {
                when,
                next: r.next.into_inner(),
            });
            starts.push(start);
        }
    }
    dead_rules(cx, id, &rules, &starts);
    cx.refs.push(otherwise.clone());
    cx.refs.push(if_unknown.clone());
    Some(Check {
        rules,
        otherwise: otherwise.into_inner(),
        if_unknown: if_unknown.into_inner(),
    })
}

/// Reports each rule an earlier rule of the same check always beats, with both positions.
fn dead_rules(cx: &mut Ctx<'_>, id: &str, rules: &[Rule], starts: &[usize]) {
    for (j, later) in rules.iter().enumerate() {
        let Some(i) =
            (0..j).find(|&i| crate::runbook::shadow::implies(&later.when, &rules[i].when))
        else {
            continue;
        };
        let (line, column) = cx.src.position(starts[i]);
        let message = format!(
            "check `{id}`: this rule can never fire: the earlier rule at {}:{line}:{column} \
             matches whenever it does (put the narrower rule first)",
            cx.src.path.display()
        );
        cx.error(starts[j]..starts[j], message);
    }
}

pub(super) fn condition(
    cx: &mut Ctx<'_>,
    raw: Spanned<RawCondition>,
    criteria: &BTreeMap<String, Condition>,
) -> Option<Condition> {
    let span = raw.span();
    let raw = raw.into_inner();
    let forms = [
        raw.fact.is_some(),
        raw.all.is_some(),
        raw.any.is_some(),
        raw.not.is_some(),
        raw.criterion.is_some(),
    ];
    if forms.iter().filter(|f| **f).count() != 1 {
        cx.error(
            span,
            "a condition needs exactly one of `fact`, `all`, `any`, `not`, `criterion`",
        );
        return None;
    }
    let mut many = |parts: Vec<Spanned<RawCondition>>| -> Option<Vec<Condition>> {
        let built: Vec<_> = parts
            .into_iter()
            .map(|p| condition(cx, p, criteria))
            .collect();
        built.into_iter().collect()
    };
    if let Some(parts) = raw.all {
        return many(parts).map(Condition::All);
    }
    if let Some(parts) = raw.any {
        return many(parts).map(Condition::Any);
    }
    if let Some(inner) = raw.not {
        return condition(cx, *inner, criteria).map(|c| Condition::Not(Box::new(c)));
    }
    if let Some(id) = raw.criterion {
        return match criteria.get(id.get_ref()) {
            Some(when) => Some(Condition::Criterion {
                id: id.into_inner(),
                when: Box::new(when.clone()),
            }),
            None => {
                cx.error(id.span(), format!("unknown criterion `{}`", id.get_ref()));
                None
            }
        };
    }
    let fact = raw.fact?;
    let Some(def) = lookup(fact.get_ref()) else {
        cx.error(fact.span(), format!("unknown fact `{}`", fact.get_ref()));
        return None;
    };
    let Some(op) = raw.op else {
        cx.error(span, format!("condition on `{}` needs an `op`", def.name));
        return None;
    };
    let value_span = raw.value.as_ref().map_or(op.span(), Spanned::span);
    match build_test(
        op.get_ref(),
        def.ty,
        raw.value.as_ref().map(Spanned::get_ref),
    ) {
        Ok(test) => Some(Condition::Test {
            fact: def.name.to_string(),
            test,
        }),
        Err(e) => {
            let at = if e.contains("operator") {
                op.span()
            } else {
                value_span
            };
            cx.error(at, format!("`{}`: {e}", def.name));
            None
        }
    }
}
