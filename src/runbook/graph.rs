//! Drawing a runbook as Mermaid or Graphviz dot: questions as rounded boxes, checks as
//! diamonds, outcomes coloured by whether they resolve or escalate. Only the runbook's
//! reachable nodes and edges are drawn. (Which format to draw is the command's choice:
//! `cli::graph`.)

use super::model::{NodeKind, Resolution, Runbook};
use std::collections::BTreeSet;
use std::fmt::Write;

/// How many cases took an edge, given as (from, to, label).
pub type EdgeCount<'a> = &'a dyn Fn(&str, &str, &str) -> usize;

/// A Mermaid flowchart of the runbook.
pub fn mermaid(rb: &Runbook) -> String {
    mermaid_of(rb, &reachable(rb), None)
}

/// A Graphviz dot digraph of the runbook.
pub fn dot(rb: &Runbook) -> String {
    dot_of(rb, &reachable(rb), None)
}

/// As [`mermaid`], with each edge labelled by how many cases took it; edges no case took are
/// dotted, so the unused branches stand out.
pub fn mermaid_counted(rb: &Runbook, count: EdgeCount<'_>) -> String {
    mermaid_of(rb, &reachable(rb), Some(count))
}

/// As [`dot`], with counts on the edges; edges no case took are dashed.
pub fn dot_counted(rb: &Runbook, count: EdgeCount<'_>) -> String {
    dot_of(rb, &reachable(rb), Some(count))
}

/// An edge's label, with its count when counting, and whether any case took it.
fn edge_label(count: Option<EdgeCount<'_>>, from: &str, to: &str, label: &str) -> (String, bool) {
    let text = clean(label, 32);
    match count.map(|f| f(from, to, label)) {
        Some(n) => (format!("{text} · {n}"), n > 0),
        None => (text, true),
    }
}

fn reachable(rb: &Runbook) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    let mut stack = vec![rb.start.as_str()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        order.push(id);
        if let Some(node) = rb.node(id) {
            stack.extend(node.edges().into_iter().rev().map(|(n, _)| n));
        }
    }
    order
}

/// Mermaid ids cannot contain dashes everywhere; labels carry the real id.
fn mid(id: &str) -> String {
    id.replace('-', "_")
}

fn clean(label: &str, max: usize) -> String {
    let flat: String = label
        .chars()
        .map(|c| {
            if matches!(c, '"' | '[' | ']' | '{' | '}' | '(' | ')' | '|' | '<' | '>') {
                '\''
            } else {
                c
            }
        })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        flat.chars().take(max - 1).collect::<String>() + "…"
    } else {
        flat
    }
}

fn mermaid_of(rb: &Runbook, ids: &[&str], count: Option<EdgeCount<'_>>) -> String {
    let mut out = String::from("flowchart TD\n");
    for id in ids {
        let Some(node) = rb.node(id) else { continue };
        let title = clean(&node.title, 40);
        let shape = match &node.kind {
            NodeKind::Question(_) => format!("(\"{title}\")"),
            NodeKind::Check(_) => format!("{{\"{title}\"}}"),
            NodeKind::Outcome(_) => format!("[\"{}\"]", clean(id, 40)),
        };
        let _ = writeln!(out, "    {}{shape}", mid(id));
    }
    for id in ids {
        let Some(node) = rb.node(id) else { continue };
        for (next, label) in node.edges() {
            let (label, taken) = edge_label(count, id, next, &label);
            let arrow = if taken { "-->" } else { "-.->" };
            let _ = writeln!(out, "    {} {arrow}|\"{label}\"| {}", mid(id), mid(next));
        }
    }
    let class = |want: bool| {
        ids.iter()
            .filter(|id| match rb.node(id).map(|n| &n.kind) {
                Some(NodeKind::Outcome(o)) => {
                    matches!(o.resolution, Resolution::Escalate { .. }) == want
                }
                _ => false,
            })
            .map(|id| mid(id))
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(out, "    classDef resolve fill:#d4edda,stroke:#28a745");
    let _ = writeln!(out, "    classDef escalate fill:#f8d7da,stroke:#dc3545");
    for (names, class_name) in [(class(false), "resolve"), (class(true), "escalate")] {
        if !names.is_empty() {
            let _ = writeln!(out, "    class {names} {class_name}");
        }
    }
    out
}

fn dot_of(rb: &Runbook, ids: &[&str], count: Option<EdgeCount<'_>>) -> String {
    let mut out = format!(
        "digraph \"{}\" {{\n    rankdir=TB;\n    node [fontname=\"Helvetica\"];\n",
        rb.id
    );
    for id in ids {
        let Some(node) = rb.node(id) else { continue };
        let attrs = match &node.kind {
            NodeKind::Question(_) => format!(
                "shape=box, style=rounded, label=\"{}\"",
                clean(&node.title, 40)
            ),
            NodeKind::Check(_) => format!("shape=diamond, label=\"{}\"", clean(&node.title, 40)),
            NodeKind::Outcome(o) => {
                let colour = match o.resolution {
                    Resolution::Resolve => "#d4edda",
                    Resolution::Escalate { .. } => "#f8d7da",
                };
                format!("shape=box, style=filled, fillcolor=\"{colour}\", label=\"{id}\"")
            }
        };
        let _ = writeln!(out, "    \"{id}\" [{attrs}];");
    }
    for id in ids {
        let Some(node) = rb.node(id) else { continue };
        for (next, label) in node.edges() {
            let (label, taken) = edge_label(count, id, next, &label);
            let style = if taken { "" } else { ", style=dashed" };
            let _ = writeln!(
                out,
                "    \"{id}\" -> \"{next}\" [label=\"{label}\"{style}];"
            );
        }
    }
    out.push_str("}\n");
    out
}
