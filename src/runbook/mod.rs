//! Runbooks: decision trees as data. Files are parsed (`raw`), validated and typed
//! (`resolve`), and their graphs checked (`lint`); a [`Catalog`] holds the result.

pub mod condition;
mod diagnostic;
pub mod graph;
mod lint;
mod model;
pub mod operand;
mod raw;
mod resolve;
mod shadow;

pub use diagnostic::{Diagnostic, SourceFile};
pub use model::*;
pub use resolve::placeholders;

use resolve::{Ctx, Shared};
use std::collections::HashMap;

/// The runbooks shipped inside the binary, with the paths they have in the repository.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "runbooks/401-unauthorized.toml",
        include_str!("../../runbooks/401-unauthorized.toml"),
    ),
    (
        "runbooks/403-forbidden.toml",
        include_str!("../../runbooks/403-forbidden.toml"),
    ),
    (
        "runbooks/escalations.toml",
        include_str!("../../runbooks/escalations.toml"),
    ),
];

/// Runbooks loaded together, so libraries are shared and ids are checked across files.
#[derive(Debug, Default)]
pub struct Catalog {
    pub runbooks: Vec<Runbook>,
    /// Every problem found, in file order. A runbook with problems is left out.
    pub diagnostics: Vec<Diagnostic>,
    /// Doubts that do not keep a runbook out, e.g. a statistic checked before a hard fact.
    pub warnings: Vec<Diagnostic>,
}

impl Catalog {
    pub fn builtin() -> Self {
        Self::load(
            BUILTIN
                .iter()
                .map(|(path, text)| SourceFile::new(*path, *text))
                .collect(),
        )
    }

    pub fn load(files: Vec<SourceFile>) -> Self {
        let mut catalog = Catalog::default();
        let mut parsed = Vec::new();
        for src in &files {
            let mut cx = Ctx::new(src);
            if let Some(raw) = resolve::parse(&mut cx) {
                parsed.push((src, raw));
            }
            catalog.diagnostics.extend(cx.diags);
        }

        let (libraries, runbooks): (Vec<_>, Vec<_>) = parsed
            .into_iter()
            .partition(|(_, raw)| raw.library.is_some());
        let mut shared = Shared::default();
        for (src, raw) in libraries {
            let mut cx = Ctx::new(src);
            resolve::library(&mut cx, raw, &mut shared);
            catalog.diagnostics.extend(cx.diags);
        }

        // Where each runbook id and each runbook's own outcome id was first defined.
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut outcome_ids: HashMap<String, String> = HashMap::new();
        let shared_ids: Vec<&str> = shared.outcomes.iter().map(|n| n.id.as_str()).collect();
        for (src, raw) in runbooks {
            let mut cx = Ctx::new(src);
            let id_span = raw.id.as_ref().map(|s| s.span()).unwrap_or(0..0);
            let outcome_spans: Vec<_> = raw
                .node
                .iter()
                .filter(|n| n.get_ref().kind == raw::RawNodeKind::Outcome)
                .map(|n| n.get_ref().id.clone())
                .collect();
            let Some((rb, spans)) = resolve::runbook(&mut cx, raw, &shared) else {
                catalog.diagnostics.extend(cx.diags);
                continue;
            };
            // A node that failed to resolve has no edges, so graph checks on the rest would
            // report its targets as unreachable: fix the nodes first, then the graph.
            if cx.diags.is_empty() {
                lint::graph(&mut cx, &rb, &spans);
            }
            if cx.diags.is_empty() {
                lint::hard_facts_first(&mut cx, &rb, &spans);
            }
            let here = src.path.display().to_string();
            if let Some(first) = ids.insert(rb.id.clone(), here.clone()) {
                cx.error(
                    id_span,
                    format!("duplicate runbook id `{}` (also in {first})", rb.id),
                );
            }
            let mut seen_here = std::collections::HashSet::new();
            for outcome in outcome_spans {
                let oid = outcome.get_ref();
                if !seen_here.insert(oid.clone()) {
                    // Already reported as a duplicate node id.
                } else if shared_ids.contains(&oid.as_str()) {
                    cx.error(
                        outcome.span(),
                        format!("outcome `{oid}` is already defined by a library"),
                    );
                } else if let Some(first) = outcome_ids.insert(oid.clone(), here.clone()) {
                    cx.error(
                        outcome.span(),
                        format!("outcome id `{oid}` is reused (already defined in {first})"),
                    );
                }
            }
            let clean = cx.diags.is_empty();
            catalog.diagnostics.extend(cx.diags);
            catalog.warnings.extend(cx.warnings);
            if clean {
                catalog.runbooks.push(rb);
            }
        }
        catalog
    }

    /// A runbook by id, or by the short name before its first dash (`401`).
    pub fn find(&self, name: &str) -> Option<&Runbook> {
        self.runbooks.iter().find(|r| r.id == name).or_else(|| {
            let mut matches = self
                .runbooks
                .iter()
                .filter(|r| r.id.split('-').next() == Some(name));
            let first = matches.next();
            // An ambiguous short name finds nothing rather than a guess.
            if matches.next().is_some() {
                None
            } else {
                first
            }
        })
    }
}
