//! Drawing a runbook as Mermaid or Graphviz dot: questions as rounded boxes, checks as
//! diamonds, outcomes coloured by whether they resolve or escalate. Only the runbook's
//! reachable nodes and edges are drawn. (Which format to draw is the command's choice:
//! `cli::graph`.)

use super::model::{NodeKind, Resolution, Runbook};
use std::collections::BTreeSet;
use std::fmt::Write;

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

/// A Mermaid flowchart of the runbook.
pub fn mermaid(rb: &Runbook) -> String {
    let ids = &reachable(rb);
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
            let label = clean(&label, 32);
            let _ = writeln!(out, "    {} -->|\"{label}\"| {}", mid(id), mid(next));
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

/// A Graphviz dot digraph of the runbook.
pub fn dot(rb: &Runbook) -> String {
    let ids = &reachable(rb);
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
            let _ = writeln!(
                out,
                "    \"{id}\" -> \"{next}\" [label=\"{}\"];",
                clean(&label, 32)
            );
        }
    }
    out.push_str("}\n");
    out
}
