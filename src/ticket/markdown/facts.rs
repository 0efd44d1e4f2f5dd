//! Every fact the sections above do not quote.

use super::evidence::cited;
use super::section;
use crate::escape::{md_code, md_code_in_cell, md_fence, md_text};
use crate::facts::FactValue;
use crate::ticket::Ticket;
use std::fmt::Write;

/// Every fact the sections above do not quote, as a table row; values of several lines follow
/// the table in fenced blocks.
pub(super) fn all_facts(md: &mut String, t: &Ticket) {
    section(md, "Other facts");
    let _ = writeln!(
        md,
        "| Fact | Value | Source | Evidence |\n|---|---|---|---|"
    );
    let mut long = Vec::new();
    for c in t.facts.iter().filter(|c| !cited(t, &c.fact)) {
        let value = match multi_line(&c.value) {
            Some(text) => {
                long.push((&c.fact, text));
                format!("_{} lines, below_", text.lines().count())
            }
            None => md_text(&c.value.to_string()),
        };
        let _ = writeln!(
            md,
            "| {} | {value} | {} | {} |",
            md_code_in_cell(&c.fact),
            c.source.label(),
            md_text(c.evidence.as_deref().unwrap_or("")),
        );
    }
    for (fact, text) in long {
        let _ = writeln!(md, "\n{}:\n", md_code(fact));
        md.push_str(&md_fence(text));
    }
}

/// Text of several lines (an error body), shown in a fenced block rather than folded.
fn multi_line(value: &FactValue) -> Option<&str> {
    value.as_text().map(str::trim).filter(|t| t.contains('\n'))
}
