//! Lines in: typed at a terminal or piped from a script, read off the loop so evidence is
//! printed while the agent types, and the commands a line stands for during the walk.

use std::io::BufRead;
use std::time::Instant;
use tokio::sync::mpsc::{self, UnboundedReceiver};

/// A line as typed, with when it arrived.
pub type Typed = (Instant, String);

/// Reads lines on their own thread, so evidence is printed while the agent types. A line
/// break from a paste (CR, CRLF) ends a line like LF; bytes that are not UTF-8 are replaced.
pub fn read_lines(input: impl BufRead + Send + 'static) -> UnboundedReceiver<Typed> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut input = input;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match input.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let (at, text) = (Instant::now(), String::from_utf8_lossy(&buf));
            for part in text.trim_end_matches(['\n', '\r']).split('\r') {
                if tx.send((at, part.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// A line typed while a question or the outcome is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A number: the choice at this index (from 0).
    Choice(usize),
    /// `?`: show the question (or the outcome) again, with its help.
    Help,
    /// `b`: undo the last answer.
    Back,
    /// `n`: the next line is a note.
    Note,
    /// `q`: save the case and leave.
    Quit,
    /// `s` or an empty line: save the ticket (at the outcome).
    Save,
    /// Anything else.
    Unknown,
}

/// What a typed line asks for; numbers count from 1, as printed.
pub fn command(line: &str) -> Command {
    match line.trim() {
        "?" | "h" | "help" => Command::Help,
        "b" | "back" => Command::Back,
        "n" | "note" => Command::Note,
        "q" | "quit" => Command::Quit,
        "" | "s" | "save" => Command::Save,
        n => match n.parse::<usize>() {
            Ok(i) if i > 0 => Command::Choice(i - 1),
            _ => Command::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_become_commands() {
        assert_eq!(command("2"), Command::Choice(1));
        assert_eq!(command(" 10 "), Command::Choice(9));
        assert_eq!(command("0"), Command::Unknown);
        assert_eq!(command("?"), Command::Help);
        assert_eq!(command("b"), Command::Back);
        assert_eq!(command("n"), Command::Note);
        assert_eq!(command("q"), Command::Quit);
        assert_eq!(command(""), Command::Save);
        assert_eq!(command("yes"), Command::Unknown);
    }

    #[test]
    fn pasted_line_breaks_of_any_kind_end_lines() {
        let input = std::io::Cursor::new(b"one\r\ntwo\rthree\nfour".to_vec());
        let mut rx = read_lines(input);
        let mut got = Vec::new();
        while let Some((_, l)) = rx.blocking_recv() {
            got.push(l);
        }
        assert_eq!(got, ["one", "two", "three", "four"]);
    }
}
