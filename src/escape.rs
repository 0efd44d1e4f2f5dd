//! Escaping text from outside (admin-API answers, pastes, log lines, typed notes) for every
//! place a person or a program reads it: the terminal, Markdown tickets, JSON and tracker
//! payloads. This is the one step all renderers share, so terminal escapes (CSI, OSC 52),
//! C1 controls and bidi overrides can neither drive a terminal nor hide text, and data cannot
//! add headings, links or HTML to a ticket.
//!
//! Hazards are shown as visible escapes (`\x1b`, `\u{202e}`) rather than dropped, so a reader
//! sees that the value carried them. Masking secrets is not done here (see `secret`).

use serde::Serialize;
use std::borrow::Cow;
use std::io;

/// A character that must never reach output raw: C0 controls (callers decide about `\n` and
/// `\t`), DEL, C1 controls, the bidi embeddings, overrides, isolates and marks, and the
/// Unicode line and paragraph separators (which some viewers treat as line breaks).
pub fn is_hazard(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `\x1b` for ASCII controls, `\u{202e}` for the rest, as Rust writes them.
fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = if c.is_ascii() {
        write!(out, "\\x{:02x}", c as u32)
    } else {
        write!(out, "\\u{{{:x}}}", c as u32)
    };
}

/// Rewrites `s` char by char (with the next one) only when it holds a hazard, so clean
/// text is not copied.
fn rewrite<'a>(
    s: &'a str,
    keep: &[char],
    mut each: impl FnMut(&mut String, char, Option<char>),
) -> Cow<'a, str> {
    if !s.chars().any(|c| is_hazard(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        each(&mut out, c, chars.peek().copied());
    }
    Cow::Owned(out)
}

/// One line: line breaks and tabs fold to a space, every other hazard becomes visible.
/// For fields shown on one line (a revoke reason, a path, a log sample).
pub fn line(s: &str) -> Cow<'_, str> {
    rewrite(s, &[], |out, c, next| match c {
        // CRLF folds to one space; a lone CR (which rewinds a terminal line) stays visible.
        '\r' if next == Some('\n') => {}
        '\n' | '\t' => out.push(' '),
        c if is_hazard(c) => push_visible(out, c),
        c => out.push(c),
    })
}

/// Several lines (an error body, a pasted request): `\n` and `\t` are kept, CRLF becomes
/// `\n`, every other hazard becomes visible.
pub fn lines(s: &str) -> Cow<'_, str> {
    rewrite(s, &['\n', '\t'], |out, c, next| match c {
        '\r' if next == Some('\n') => {}
        '\n' | '\t' => out.push(c),
        c if is_hazard(c) => push_visible(out, c),
        c => out.push(c),
    })
}

/// Markdown punctuation that can start emphasis, code, links, images, HTML, entities,
/// headings (or close one), strikethrough or table cells. `]`, `>` and `!` need no escape
/// once `[` and `<` have one, and a value never starts a line.
const MD_SPECIAL: &[char] = &['`', '*', '_', '[', '<', '#', '|', '~', '&'];

/// Inline Markdown text: one line, with Markdown punctuation backslash-escaped, so it reads
/// as exactly the text it is (also inside a table cell). What cannot act stays as it is, for
/// people reading the raw file: an underscore inside a word (`key_live_42`), a backslash
/// before a letter (`\x1b`).
pub fn md_text(s: &str) -> String {
    let flat = line(s);
    let mut out = String::with_capacity(flat.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = flat.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let intraword = c == '_'
            && prev.is_some_and(char::is_alphanumeric)
            && next.is_some_and(char::is_alphanumeric);
        // A backslash escapes only the punctuation after it, so `\x1b` reads as it is.
        let escapes = c == '\\' && next.is_some_and(|n| n.is_ascii_punctuation());
        if (MD_SPECIAL.contains(&c) && !intraword) || escapes {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A one-line value as a Markdown code span: its content is literal (no emphasis, links,
/// HTML or entities), fenced with more backticks than any run inside.
pub fn md_code(s: &str) -> String {
    let flat = line(s);
    let fence = "`".repeat(longest_run(&flat, '`') + 1);
    if flat.is_empty() {
        // `` is not a span at all.
        return "` `".to_string();
    }
    // A space on each side keeps a value that starts or ends with a backtick or a space intact:
    // one is stripped from each side, unless the value is all spaces.
    let edge = flat.starts_with(['`', ' ']) || flat.ends_with(['`', ' ']);
    let pad = if edge && !flat.trim_start_matches(' ').is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// [`md_code`] for a table cell: GFM splits cells at `|` even inside a code span, unless
/// it is escaped.
pub fn md_code_in_cell(s: &str) -> String {
    md_code(s).replace('|', "\\|")
}

/// A multi-line value as a fenced code block, fenced with more backticks than any run inside
/// so the value cannot close it early. Ends with a newline.
pub fn md_fence(s: &str) -> String {
    let body = lines(s);
    let body = body.trim_end_matches('\n');
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    format!("{fence}text\n{body}\n{fence}\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Pretty JSON that, beyond what serde_json escapes, also writes DEL, C1 controls, bidi
/// controls and line separators as `\uXXXX`: still valid JSON that reads back to the same
/// strings, but no viewer or terminal showing the raw text acts on them.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Formatter::default());
    value.serialize(&mut ser)?;
    // Both the serializer and the escapes below only ever write UTF-8.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// serde_json's pretty formatter with the extra escapes of [`json`].
#[derive(Default)]
struct Formatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Formatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has already escaped C0, quotes and backslashes out of `fragment`.
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hazard(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Shared with other modules' tests: hostile text and the checks that it came out inert.
#[cfg(test)]
pub(crate) mod tests;
