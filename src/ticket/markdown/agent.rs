//! The agent's part: the reply to the customer, the next steps, and the agent's notes.

use super::{TIME, section};
use crate::escape::{lines, md_code, md_fence, md_text};
use crate::ticket::Ticket;
use std::fmt::Write;

/// The reply and next steps carry facts (who revoked a key, the endpoint), so they are
/// escaped like any value; an indented line is a code block, where nothing acts.
pub(super) fn reply(md: &mut String, t: &Ticket) {
    section(md, "Reply to the customer");
    for l in lines(&t.outcome.reply).lines() {
        if l.starts_with("    ") {
            let _ = writeln!(md, "> {l}");
        } else {
            let _ = writeln!(md, "> {}", md_text(l));
        }
    }

    section(md, "Next steps for the agent");
    for step in &t.outcome.next_steps {
        let _ = writeln!(md, "- [ ] {}", md_text(step));
    }
}

pub(super) fn notes(md: &mut String, t: &Ticket) {
    if t.notes.is_empty() {
        return;
    }
    section(md, "Notes");
    for n in &t.notes {
        let by = format!(
            "{}, at {}, {}",
            md_text(&n.by),
            md_code(&n.node),
            n.at.format(TIME)
        );
        if n.text.trim().contains('\n') {
            // A note of several lines keeps them, inside the list item.
            let _ = writeln!(md, "- ({by}):\n");
            for l in md_fence(n.text.trim()).lines() {
                let _ = writeln!(md, "  {l}");
            }
        } else {
            let _ = writeln!(md, "- {} ({by})", md_text(&n.text));
        }
    }
}
