//! The real terminal: entering and leaving raw mode and the alternate screen (also on panic
//! and on SIGTERM/SIGHUP), and a thread turning crossterm events into messages.

use super::msg::{Msg, Signal};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Raw mode, the alternate screen, mouse and bracketed paste; restored by [`leave`], and by
/// the panic hook before the panic's report is printed.
pub fn enter() -> io::Result<DefaultTerminal> {
    // ratatui's hook restores raw mode and the screen, then prints the report; ours runs
    // first and turns off what ratatui does not know we turned on.
    let terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Gives the terminal back as it was. Errors are ignored: after SIGHUP there may be no
/// terminal left to restore, and leaving must still finish.
pub fn leave() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    let _ = ratatui::try_restore();
}

/// Takes the terminal back after another program (the editor) had it; [`leave`] hands it over.
pub fn resume(terminal: &mut DefaultTerminal) -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    terminal.clear()
}

/// Reads terminal events on a thread of its own (crossterm's read blocks) and sends them as
/// messages. While `paused` is set it leaves the terminal alone, for the editor.
pub fn spawn_input(tx: UnboundedSender<Msg>, paused: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        loop {
            if paused.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            match event::poll(Duration::from_millis(50)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::error!("cannot read terminal events: {e}");
                    break;
                }
            }
            let msg = match event::read() {
                // Releases and repeats would double every key on terminals that report them.
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
                Ok(Event::Mouse(m)) => Msg::Mouse(m),
                Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("cannot read terminal events: {e}");
                    break;
                }
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}

/// Turns SIGTERM and SIGHUP into a message, so the case is saved before leaving.
#[cfg(unix)]
pub fn spawn_signals(tx: UnboundedSender<Msg>) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        let signal = tokio::select! {
            _ = term.recv() => Signal::Term,
            _ = hup.recv() => Signal::Hup,
        };
        let _ = tx.send(Msg::Terminate { signal });
    });
    Ok(())
}

#[cfg(not(unix))]
pub fn spawn_signals(_tx: UnboundedSender<Msg>) -> io::Result<()> {
    Ok(())
}
