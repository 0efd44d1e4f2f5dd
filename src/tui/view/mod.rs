//! Drawing. Every function here only reads the state; layout lives in [`layout`] so mouse
//! clicks can be matched against the same areas.

mod bars;
mod chrome;
mod evidence;
mod fit;
mod help;
mod home;
mod intake;
pub mod layout;

pub use intake::heights as intake_heights;
mod outcome;
mod scorecard;
mod stats;
mod training;
mod walk;

use super::state::{Screen, State};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Spinner frames, one per tick.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub fn spinner(tick: u64) -> char {
    SPINNER[(tick % SPINNER.len() as u64) as usize]
}

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    if layout::too_small(area) {
        too_small(frame, area, state, theme);
        return;
    }
    let c = layout::chrome(area);
    chrome::title_bar(frame, c.title, state, theme);
    match &state.screen {
        Screen::Home(home) => home::draw(frame, c.body, state, home, theme),
        Screen::Intake(form) => intake::draw(frame, c.body, state, form, theme),
        Screen::Walk(ws) => walk::draw(frame, c.body, state, ws, theme),
        Screen::Outcome(screen) => outcome::draw(frame, c.body, state, screen, theme),
        Screen::Stats(screen) => stats::draw(frame, c.body, state, screen, theme),
        Screen::Training(screen) => training::draw(frame, c.body, state, screen, theme),
    }
    chrome::status_line(frame, c.status, state, theme);
    chrome::hint_bar(frame, c.hints, (area.width, area.height), state, theme);
    help::overlay(frame, c.body, state, theme);
    training::popup(frame, c.body, state, theme);
}

/// How far the walk screen's evidence pane can scroll at the terminal's size, so the update
/// can stop at the end instead of scrolling into blank rows.
pub fn evidence_max_scroll(state: &State) -> u16 {
    let (Screen::Walk(ws), Some(case)) = (&state.screen, &state.case) else {
        return 0;
    };
    let Some(area) = walk::areas(case, ws, state.size) else {
        return 0;
    };
    evidence::max_scroll(state, case, area.evidence)
}

/// The facts of the walk screen's evidence pane scrolled into view at the terminal's size;
/// none on another screen.
pub fn evidence_in_view(state: &State) -> Vec<&'static str> {
    let (Screen::Walk(ws), Some(case)) = (&state.screen, &state.case) else {
        return Vec::new();
    };
    let Some(area) = walk::areas(case, ws, state.size) else {
        return Vec::new();
    };
    evidence::facts_in_view(state, case, ws, area.evidence)
}

/// How far the help of the question on screen can scroll on a terminal of `size`.
pub fn help_max_scroll(state: &State, size: (u16, u16)) -> u16 {
    let (Screen::Walk(ws), Some(case)) = (&state.screen, &state.case) else {
        return 0;
    };
    walk::help_max_scroll(case, ws, size)
}

/// How far the stats screen's figures can scroll at the terminal's size.
pub fn stats_max_scroll(state: &State) -> u16 {
    stats::max_scroll(state)
}
pub use training::max_scroll as training_max_scroll;

/// How far the ticket viewer can scroll `text` at the terminal's size.
pub fn ticket_max_scroll(state: &State, text: &str) -> u16 {
    let body = layout::chrome(Rect::new(0, 0, state.size.0, state.size.1)).body;
    let visible = help::ticket_area(body).height.saturating_sub(2);
    (text.lines().count() as u16).saturating_sub(visible)
}

/// Says the screen is hidden; keys other than force-quit are ignored meanwhile (see update).
fn too_small(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let leave = state
        .keys
        .first_key(
            super::keymap::Context::Global,
            super::msg::Action::ForceQuit,
        )
        .map_or_else(String::new, |k| format!(", or press {k} to leave"));
    let text = vec![
        Line::styled("Terminal too small", theme.title),
        Line::raw(format!(
            "{}x{} here; authdesk needs at least {}x{}.",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::styled(format!("Enlarge the window{leave}."), theme.dim),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    let r = Rect { y, height, ..area };
    frame.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), r);
}
