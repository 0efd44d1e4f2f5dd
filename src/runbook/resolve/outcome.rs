//! Resolving outcomes: what they say, what they cite, and what an escalation asks of
//! engineering.

use super::{Ctx, placeholders};
use crate::facts::lookup;
use crate::runbook::model::*;
use crate::runbook::raw::*;
use std::ops::Range;
use toml::Spanned;

pub(super) fn outcome(
    cx: &mut Ctx<'_>,
    id: &str,
    span: Range<usize>,
    raw: RawNode,
) -> Option<Outcome> {
    let mut missing = |field: &str, present: bool| {
        if !present {
            cx.error(span.clone(), format!("outcome `{id}` needs `{field}`"));
        }
        present
    };
    let ok = [
        missing("resolution", raw.resolution.is_some()),
        missing("severity", raw.severity.is_some()),
        missing("summary", raw.summary.is_some()),
        missing("reply", raw.reply.is_some()),
    ];
    if ok.contains(&false) {
        return None;
    }
    let (resolution, severity, summary) = (raw.resolution?, raw.severity?, raw.summary?);
    let Some(sev) = Severity::parse(severity.get_ref()) else {
        let found = severity.get_ref();
        cx.error(
            severity.span(),
            format!("unknown severity `{found}` (expected low, medium, high or critical)"),
        );
        return None;
    };
    let resolution = match (resolution.get_ref().as_str(), raw.team) {
        ("resolve", None) => Resolution::Resolve,
        ("resolve", Some(team)) => {
            cx.error(team.span(), "a resolved outcome has no team to escalate to");
            return None;
        }
        ("escalate", Some(team)) if !team.get_ref().trim().is_empty() => Resolution::Escalate {
            team: team.into_inner(),
        },
        ("escalate", _) => {
            cx.error(
                resolution.span(),
                format!("escalation `{id}` needs a `team`"),
            );
            return None;
        }
        (other, _) => {
            cx.error(
                resolution.span(),
                format!("unknown resolution `{other}` (expected resolve or escalate)"),
            );
            return None;
        }
    };
    for placeholder in placeholders(summary.get_ref()) {
        if lookup(placeholder).is_none() {
            cx.error(
                summary.span(),
                format!("summary names unknown fact `{placeholder}`"),
            );
        }
    }
    let ask = ask(cx, id, &resolution, raw.ask, span.clone());
    let ask_texts = ask.iter().flat_map(|a| [&a.need, &a.urgency, &a.from]);
    let texts = std::iter::once(raw.reply.as_deref().unwrap_or_default())
        .chain(raw.next_steps.iter().map(String::as_str))
        .chain(ask_texts.map(String::as_str));
    for text in texts {
        if let Some(unknown) = placeholders(text).find(|p| lookup(p).is_none()) {
            cx.error(
                span.clone(),
                format!("outcome `{id}` names unknown fact `{unknown}`"),
            );
        }
    }
    let mut cite = Vec::new();
    for c in raw.cite {
        match lookup(c.get_ref()) {
            Some(_) => cite.push(c.into_inner()),
            None => cx.error(c.span(), format!("unknown fact `{}`", c.get_ref())),
        }
    }
    Some(Outcome {
        resolution,
        severity: sev,
        summary: summary.into_inner(),
        reply: raw.reply.unwrap_or_default(),
        next_steps: raw.next_steps,
        cite,
        ask,
    })
}

/// An escalation's ask of engineering. A resolved outcome hands nothing over, so an ask there
/// is an error; an escalation without one still loads, with a warning, because the ticket can
/// go out without it, only less useful to its receiver.
fn ask(
    cx: &mut Ctx<'_>,
    id: &str,
    resolution: &Resolution,
    raw: Option<Spanned<RawAsk>>,
    span: Range<usize>,
) -> Option<Ask> {
    match (resolution, raw) {
        (Resolution::Resolve, Some(a)) => {
            cx.error(a.span(), "a resolved outcome asks nothing of engineering");
            None
        }
        (Resolution::Resolve, None) => None,
        (Resolution::Escalate { .. }, None) => {
            cx.warn(
                span,
                format!(
                    "escalation `{id}` has no `ask`: say what engineering is asked for, how \
                     urgently, and from whom"
                ),
            );
            None
        }
        (Resolution::Escalate { .. }, Some(a)) => {
            let a = a.into_inner();
            Some(Ask {
                need: a.need,
                urgency: a.urgency,
                from: a.from,
            })
        }
    }
}

#[cfg(test)]
mod ask_tests {
    use crate::runbook::{Catalog, NodeKind, SourceFile};

    fn tree(outcome: &str) -> Catalog {
        let text = format!(
            r#"
id = "t"
title = "t"
version = "1"
start = "q"

[[node]]
id = "q"
kind = "question"
text = "?"
[[node.choice]]
id = "a"
label = "a"
next = "out"

[[node]]
id = "out"
kind = "outcome"
severity = "high"
summary = "s"
reply = "r"
{outcome}
"#
        );
        Catalog::load(vec![SourceFile::new("t.toml", text)])
    }

    #[test]
    fn an_escalation_without_an_ask_loads_with_a_warning() {
        let c = tree("resolution = \"escalate\"\nteam = \"x\"");
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let w: Vec<String> = c.warnings.iter().map(ToString::to_string).collect();
        assert!(
            w.iter()
                .any(|w| w.contains("escalation `out` has no `ask`")),
            "{w:?}"
        );
    }

    #[test]
    fn an_ask_is_kept_and_its_facts_checked() {
        let ok = tree(
            "resolution = \"escalate\"\nteam = \"x\"\n[node.ask]\nneed = \"n {key_id}\"\nurgency = \"u\"\nfrom = \"f\"",
        );
        assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
        assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
        let rb = ok.find("t").unwrap();
        let Some(NodeKind::Outcome(o)) = rb.node("out").map(|n| &n.kind) else {
            panic!("no outcome");
        };
        assert_eq!(o.ask.as_ref().map(|a| a.need.as_str()), Some("n {key_id}"));

        let bad = tree(
            "resolution = \"escalate\"\nteam = \"x\"\n[node.ask]\nneed = \"{nope}\"\nurgency = \"u\"\nfrom = \"f\"",
        );
        let errors: Vec<String> = bad.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            errors.iter().any(|e| e.contains("unknown fact `nope`")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_resolved_outcome_asks_nothing() {
        let c = tree(
            "resolution = \"resolve\"\n[node.ask]\nneed = \"n\"\nurgency = \"u\"\nfrom = \"f\"",
        );
        let errors: Vec<String> = c.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("asks nothing of engineering")),
            "{errors:?}"
        );
    }
}
