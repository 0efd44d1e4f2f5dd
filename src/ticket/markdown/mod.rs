//! The ticket as Markdown, for the lead reading the queue and the engineer picking it up.
//!
//! Every value that is not this module's own text goes through [`crate::escape`]: data from
//! the admin API, pastes and agents is shown, never interpreted (no headings, links, HTML or
//! terminal escapes). The reply and next steps carry facts, so they are escaped too.
//!
//! One module per family of sections, in the order a reader meets them: [`top`] (title,
//! header table, impact, the ask), [`cases`] (conflicts, failing requests, addresses, related
//! cases), [`evidence`] (evidence, path, and what the facts table folds), [`agent`] (reply,
//! next steps, notes) and [`facts`] (the remaining facts).

mod agent;
mod cases;
mod evidence;
mod facts;
mod top;

use super::Ticket;
use crate::escape::{md_code, md_text};
use crate::walk::Citation;
use std::fmt::Write;

const TIME: &str = "%Y-%m-%d %H:%M:%S UTC";

pub fn to_markdown(t: &Ticket) -> String {
    let mut md = String::new();
    top::head(&mut md, t);
    top::impact(&mut md, t);
    top::ask(&mut md, t);
    cases::conflicts(&mut md, t);
    cases::failing_requests(&mut md, t);
    cases::addresses(&mut md, t);
    cases::related(&mut md, t);
    evidence::evidence(&mut md, t);
    evidence::path(&mut md, t);
    agent::reply(&mut md, t);
    agent::notes(&mut md, t);
    facts::all_facts(&mut md, t);
    md
}

pub(super) fn section(md: &mut String, title: &str) {
    let _ = writeln!(md, "\n## {title}\n");
}

pub(super) fn citation(c: &Citation) -> String {
    let mut s = format!(
        "{} = {} ({}",
        md_code(&c.fact),
        md_text(&c.value.to_string()),
        c.source.label()
    );
    if let Some(e) = &c.evidence {
        let _ = write!(s, ", {}", md_text(e));
    }
    s.push(')');
    s
}
