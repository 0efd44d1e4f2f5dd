//! Keeping a typed key off the screen: while plain mode asks for a secret on a terminal, the
//! terminal does not echo what is typed (as `read -s` and password prompts do). Echo comes
//! back when the guard is dropped: after the line, on leaving, on a signal handled by the
//! loop, and on a panic's unwinding.

use rustix::termios::{LocalModes, OptionalActions, Termios, tcgetattr, tcsetattr};

/// Echo is off while this lives; it holds the settings to restore.
pub struct EchoOff(Termios);

impl EchoOff {
    /// Turns echo off on stdin, or does nothing (`None`) when stdin is not a terminal.
    pub fn new() -> Option<EchoOff> {
        let stdin = std::io::stdin();
        let saved = tcgetattr(&stdin).ok()?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(LocalModes::ECHO);
        tcsetattr(&stdin, OptionalActions::Now, &quiet).ok()?;
        Some(EchoOff(saved))
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // Nothing more can be done if the terminal refuses; it has gone, most likely.
        let _ = tcsetattr(std::io::stdin(), OptionalActions::Now, &self.0);
    }
}
