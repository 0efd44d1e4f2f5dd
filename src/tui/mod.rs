//! The terminal app: a thin front end over the core walk. Terminal events and finished
//! queries become messages ([`msg`]); one [`update`] changes the [`state`] through the core
//! and returns effects that the runtime ([`app`]) carries out; [`view`] only draws.

pub mod app;
pub(crate) mod effects;
pub mod evidence;
pub mod farewell;
pub mod form;
pub mod gathering;
pub mod keymap;
pub mod log;
pub mod materials;
pub mod msg;
pub mod state;
pub mod stats;
pub mod terminal;
pub mod theme;
pub mod training;
pub mod update;
pub mod view;

pub use msg::{Effect, Msg};
pub use state::State;
pub use update::update;
