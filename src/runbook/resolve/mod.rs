//! Turns raw files into validated runbooks, collecting every problem with its position
//! rather than stopping at the first.

mod node;
mod outcome;

use super::condition::Condition;
use super::diagnostic::{Diagnostic, SourceFile};
use super::model::*;
use super::raw::*;
use crate::facts::{FactSource, lookup};
use node::resolve_node;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml::Spanned;

/// Where each node of a resolved runbook was written, for diagnostics after resolution, and
/// where each of a check's rules was (its `when`), in rule order.
pub struct NodeSpans(
    pub HashMap<String, Range<usize>>,
    pub HashMap<String, Vec<Range<usize>>>,
);

impl NodeSpans {
    pub fn rule(&self, node: &str, i: usize) -> Option<Range<usize>> {
        self.1.get(node)?.get(i).cloned()
    }
}

/// What libraries share with every runbook.
#[derive(Default)]
pub struct Shared {
    pub outcomes: Vec<Node>,
    pub criteria: Vec<Criterion>,
}

/// Collects diagnostics against one file.
pub struct Ctx<'a> {
    pub src: &'a SourceFile,
    pub diags: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Every `next`, `otherwise` and `if_unknown` seen, checked once all nodes are known.
    pub(super) refs: Vec<Spanned<String>>,
}

impl<'a> Ctx<'a> {
    pub fn new(src: &'a SourceFile) -> Self {
        Self {
            src,
            diags: Vec::new(),
            warnings: Vec::new(),
            refs: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.diags.push(self.src.diagnostic(span, message));
    }

    /// A problem that does not stop the runbook from loading.
    pub fn warn(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.warnings.push(self.src.diagnostic(span, message));
    }
}

/// Parses the TOML, reporting syntax and type errors at their position.
pub fn parse(cx: &mut Ctx<'_>) -> Option<RawFile> {
    match toml::from_str::<RawFile>(&cx.src.text) {
        Ok(raw) => Some(raw),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            // The message's first line repeats the position in its own words; keep the cause.
            let message = e.message().trim().to_string();
            cx.error(span, message);
            None
        }
    }
}

/// Resolves a library file: shared outcomes and escalation criteria.
pub fn library(cx: &mut Ctx<'_>, raw: RawFile, shared: &mut Shared) {
    for field in [
        (raw.start.as_ref().map(Spanned::span), "start"),
        (raw.id.as_ref().map(Spanned::span), "id"),
    ] {
        if let (Some(span), name) = field {
            cx.error(span, format!("a library has no `{name}`"));
        }
    }
    if let Some(i) = raw.input.first() {
        cx.error(i.span(), "a library has no inputs");
    }
    for node in raw.node {
        let span = node.span();
        if node.get_ref().kind != RawNodeKind::Outcome {
            cx.error(span, "a library holds only outcome nodes");
            continue;
        }
        if let Some(n) = resolve_node(cx, node.into_inner(), &BTreeMap::new()) {
            shared.outcomes.push(n);
        }
    }
    for crit in raw.criterion {
        let crit = crit.into_inner();
        if let Some(when) = node::condition(cx, crit.when, &BTreeMap::new()) {
            shared.criteria.push(Criterion {
                id: crit.id.into_inner(),
                title: crit.title,
                when,
            });
        }
    }
}

/// Resolves a runbook file against what the libraries share.
pub fn runbook(cx: &mut Ctx<'_>, raw: RawFile, shared: &Shared) -> Option<(Runbook, NodeSpans)> {
    let id = raw.id.as_ref().map(|s| s.get_ref().clone());
    let Some(id) = id else {
        cx.error(
            0..0,
            "a runbook needs an `id` (or `library` for an outcome library)",
        );
        return None;
    };
    let Some(start) = raw.start else {
        cx.error(0..0, format!("runbook `{id}` needs a `start` node"));
        return None;
    };
    let inputs = raw
        .input
        .into_iter()
        .filter_map(|i| input(cx, i.into_inner()))
        .collect();
    let criteria: BTreeMap<String, Condition> = shared
        .criteria
        .iter()
        .map(|c| (c.id.clone(), c.when.clone()))
        .collect();

    let mut nodes: Vec<Node> = Vec::new();
    let mut spans: HashMap<String, Range<usize>> = HashMap::new();
    let mut rule_spans: HashMap<String, Vec<Range<usize>>> = HashMap::new();
    for node in raw.node {
        let span = node.get_ref().id.span();
        let node_id = node.get_ref().id.get_ref().clone();
        if let Some(first) = spans.get(&node_id) {
            let (line, _) = cx.src.position(first.start);
            cx.error(
                span,
                format!("duplicate node id `{node_id}` (first at line {line})"),
            );
            continue;
        }
        let rules = node.get_ref().rule.iter();
        rule_spans.insert(
            node_id.clone(),
            rules.map(|r| r.get_ref().when.span()).collect(),
        );
        spans.insert(node_id, node.get_ref().id.span());
        if let Some(n) = resolve_node(cx, node.into_inner(), &criteria) {
            nodes.push(n);
        }
    }
    for outcome in &shared.outcomes {
        if !spans.contains_key(&outcome.id) {
            nodes.push(outcome.clone());
        }
    }

    // A node that failed to resolve still exists: its own error says what is wrong with it.
    let known = |id: &str| spans.contains_key(id) || nodes.iter().any(|n| n.id == id);
    cx.refs.push(start.clone());
    for r in std::mem::take(&mut cx.refs) {
        if !known(r.get_ref()) {
            cx.error(r.span(), format!("unknown node `{}`", r.get_ref()));
        }
    }
    let runbook = Runbook::new(
        id,
        raw.title.unwrap_or_default(),
        raw.version.unwrap_or_else(|| "0".into()),
        raw.description.unwrap_or_default(),
        inputs,
        start.into_inner(),
        nodes,
        shared.criteria.clone(),
        cx.src.path.clone(),
        crate::digest::short_sha256(cx.src.text.as_bytes()),
    );
    Some((runbook, NodeSpans(spans, rule_spans)))
}

fn input(cx: &mut Ctx<'_>, raw: RawInput) -> Option<Input> {
    let name = raw.name.get_ref();
    match lookup(name) {
        Some(def) if def.source == FactSource::Intake => Some(Input {
            name: name.clone(),
            label: raw.label,
            required: raw.required,
            help: raw.help,
        }),
        Some(def) => {
            let source = def.source.label();
            cx.error(
                raw.name.span(),
                format!("`{name}` comes from the {source}, not from intake"),
            );
            None
        }
        None => {
            cx.error(raw.name.span(), format!("unknown fact `{name}`"));
            None
        }
    }
}

/// The fact names inside `{…}` in a summary template, with or without the `!` that marks a
/// segment kept only while the fact is unknown (`{!fact}`, see `ticket::fill`).
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.trim()))
        .map(|name| name.strip_prefix('!').unwrap_or(name).trim())
}
