//! The outline as Jira wiki markup, the description Jira Data Center's REST v2 takes
//! (<https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all>). Text is
//! escaped so data cannot add formatting, links, images (`!url!`) or macros (`{…}`).

use super::outline::Block;
use std::fmt::Write;

/// Characters that start or end wiki formatting, links, images, macros, table cells or
/// list items; a backslash makes each literal.
const SPECIAL: &[char] = &[
    '\\', '*', '_', '?', '-', '+', '^', '~', '{', '}', '[', ']', '|', '!', '#',
];

/// Inline text, every special character backslash-escaped. A line that would start with a
/// block signature (`h1.`, `bq.`) is escaped at its dot.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    let starts_block = |p: &str| {
        let p = p.to_ascii_lowercase();
        p.starts_with("bq.")
            || (p.len() >= 3
                && p.starts_with('h')
                && p[1..].starts_with(|c: char| ('1'..='6').contains(&c))
                && p[2..].starts_with('.'))
    };
    if starts_block(&out) {
        let dot = out.find('.').unwrap_or(0);
        out.insert(dot, '\\');
    }
    out
}

/// Text inside `{noformat}`: shown as is, and only the macro itself can end the block.
fn noformat(s: &str) -> String {
    const MACRO: &str = "{noformat";
    let mut body = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.to_ascii_lowercase().find(MACRO) {
        body.push_str(&rest[..at]);
        body.push_str("(noformat");
        rest = &rest[at + MACRO.len()..];
    }
    body.push_str(rest);
    format!("{{noformat}}\n{body}\n{{noformat}}")
}

pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(h) => {
                let _ = writeln!(out, "h2. {}\n", text(h));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(out, "{}\n", text(p));
            }
            Block::Bullets(items) | Block::Numbered(items) => {
                let mark = if matches!(b, Block::Bullets(_)) {
                    '*'
                } else {
                    '#'
                };
                for i in items {
                    let _ = writeln!(out, "{mark} {}", text(i));
                }
                out.push('\n');
            }
            Block::Code(c) => {
                let _ = writeln!(out, "{}\n", noformat(c));
            }
            Block::Table { header, rows } => {
                let _ = writeln!(out, "||{}||", join(header, "||"));
                for r in rows {
                    let _ = writeln!(out, "|{}|", join(r, "|"));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Cells joined by `sep`; an empty cell holds a space, since `||` would end the row's cell.
fn join(cells: &[String], sep: &str) -> String {
    cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                " ".to_string()
            } else {
                text(c)
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}
