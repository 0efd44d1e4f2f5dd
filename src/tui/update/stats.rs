//! The stats screen: opened from home, it asks for the saved cases to be read, then scrolls
//! through their figures and narrows them by runbook and by age.

use crate::saved::SavedCases;
use crate::tui::msg::{Action, Effect};
use crate::tui::state::{Home, Load, Screen, State};
use crate::tui::stats::StatsScreen;

/// Rows a page key moves.
const PAGE: u16 = 10;

/// Leaves home for the stats screen, which reads the folders afresh.
pub fn open(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let Screen::Home(home) = std::mem::replace(&mut state.screen, Screen::Home(Home::new(now)))
    else {
        return Vec::new();
    };
    state.screen = Screen::Stats(Box::new(StatsScreen::new(home, now)));
    vec![Effect::LoadStats]
}

/// The cases arrived (or could not be read); kept only while the screen still waits for them.
pub fn loaded(state: &mut State, read: Result<SavedCases, String>) -> Vec<Effect> {
    let now = state.now();
    let Screen::Stats(screen) = &mut state.screen else {
        return Vec::new();
    };
    if !matches!(screen.data, Load::Loading { .. }) {
        return Vec::new();
    }
    match read {
        Ok(saved) => screen.loaded(saved, now),
        Err(why) => screen.data = Load::Failed(why),
    }
    Vec::new()
}

pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let now = state.now();
    let end = crate::tui::view::stats_max_scroll(state);
    let Screen::Stats(screen) = &mut state.screen else {
        return Vec::new();
    };
    match action {
        Action::Up => screen.scroll = screen.scroll.saturating_sub(1),
        Action::Down => screen.scroll = screen.scroll.saturating_add(1).min(end),
        Action::PageUp => screen.scroll = screen.scroll.saturating_sub(PAGE),
        Action::PageDown => screen.scroll = screen.scroll.saturating_add(PAGE).min(end),
        Action::Top => screen.scroll = 0,
        Action::Bottom => screen.scroll = end,
        Action::FilterRunbook => {
            screen.runbook = screen.next_runbook(&state.runbooks);
            screen.refigure(now);
        }
        Action::FilterSince => {
            screen.since = screen.since.next();
            screen.refigure(now);
        }
        Action::Refresh => {
            screen.data = Load::Loading { since: now };
            screen.scroll = 0;
            return vec![Effect::LoadStats];
        }
        Action::Back => return back(state),
        _ => {}
    }
    Vec::new()
}

/// Home again, as it was left.
fn back(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    if let Screen::Stats(screen) =
        std::mem::replace(&mut state.screen, Screen::Home(Home::new(now)))
    {
        state.screen = Screen::Home(screen.home);
    }
    Vec::new()
}
