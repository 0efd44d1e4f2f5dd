//! Key bindings: the defaults in `assets/keymap.toml`, with the user's `[tui.keys]` from
//! `authdesk.toml` merged over them. The help overlay and the hint bar read this table, so
//! they always show the keys that really work.

use super::msg::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

pub const DEFAULTS: &str = include_str!("../../assets/keymap.toml");

/// Where a key is pressed. A screen's context is tried first, then `Navigate`, then `Global`;
/// in a text field only `Form` applies, so letters type instead of firing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    Navigate,
    Home,
    Walk,
    Outcome,
    Stats,
    Form,
    Confirm,
    /// Training mode's own screens: the scenario picker, the score card, the report.
    Training,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Navigate => "Lists and panes",
            Context::Home => "Home",
            Context::Walk => "Walk",
            Context::Outcome => "Outcome",
            Context::Stats => "Stats",
            Context::Form => "Text fields",
            Context::Confirm => "Questions",
            Context::Training => "Training",
        }
    }
}

/// One key with its modifiers, e.g. `ctrl-c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    /// The chord a key event stands for. Shift is dropped from characters (it is already in
    /// the character: `G`) and from BackTab, so terminals that do and do not report it agree.
    pub fn of(key: &KeyEvent) -> Self {
        let mut mods =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Chord {
            code: key.code,
            mods,
        }
    }

    /// Whether this chord types a character into a text field.
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    pub fn parse(text: &str) -> Option<Chord> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            c => {
                let mut chars = c.chars();
                let ch = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(ch)
            }
        };
        Some(Chord { code, mods })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// A keymap file that cannot be used, with the context and action it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("[tui.keys]: {0}")]
    Shape(String),
    #[error(
        "[tui.keys.{context}] {action}: `{key}` is not a key (`authdesk config --defaults` lists the keys)"
    )]
    BadKey {
        context: String,
        action: String,
        key: String,
    },
    #[error("[tui.keys.{context}] `{action}` does nothing there")]
    Misplaced { context: String, action: String },
    #[error("[tui.keys.form] {action}: `{key}` types text; text fields need keys such as ctrl-s")]
    Typing { action: String, key: String },
    #[error("[tui.keys.{context}] `{key}` is bound to both `{first}` and `{second}`")]
    Conflict {
        context: String,
        key: String,
        first: String,
        second: String,
    },
}

type RawKeys = BTreeMap<Context, BTreeMap<Action, Vec<String>>>;

/// Bindings per context, in the order the defaults list them (the help shows that order).
#[derive(Debug, Clone)]
pub struct Keymap {
    contexts: BTreeMap<Context, Vec<(Action, Vec<Chord>)>>,
}

impl Keymap {
    /// The built-in keys.
    pub fn defaults() -> Keymap {
        // The embedded file is checked by `defaults_are_valid` below; an error here is a bug
        // caught by the test suite, so falling back to an empty map cannot ship.
        Self::with_user(None).unwrap_or_else(|_| Keymap {
            contexts: BTreeMap::new(),
        })
    }

    /// Every problem in the user's `[tui.keys]`, not only the first: each action is tried on
    /// its own, then all together for conflicts between them.
    pub fn problems(user: &toml::Table) -> Vec<KeymapError> {
        let Err(whole) = Self::with_user(Some(user)) else {
            return Vec::new();
        };
        let mut errors = Vec::new();
        for (context, actions) in user {
            let Some(actions) = actions.as_table() else {
                continue;
            };
            for (action, keys) in actions {
                let mut one = toml::Table::new();
                let mut inner = toml::Table::new();
                inner.insert(action.clone(), keys.clone());
                one.insert(context.clone(), toml::Value::Table(inner));
                if let Err(e) = Self::with_user(Some(&one))
                    && !errors.contains(&e)
                {
                    errors.push(e);
                }
            }
        }
        if errors.is_empty() {
            errors.push(whole);
        }
        errors
    }

    /// The built-in keys with the user's `[tui.keys]` table merged over them: an action named
    /// there gets exactly the keys listed.
    pub fn with_user(user: Option<&toml::Table>) -> Result<Keymap, KeymapError> {
        let defaults: toml::Table =
            toml::from_str(DEFAULTS).map_err(|e| KeymapError::Shape(e.to_string()))?;
        let mut contexts = BTreeMap::new();
        for (context, actions) in defaults {
            let context: Context = toml::Value::String(context)
                .try_into()
                .map_err(|e: toml::de::Error| KeymapError::Shape(e.to_string()))?;
            let actions = actions
                .as_table()
                .ok_or_else(|| KeymapError::Shape("each context must be a table".into()))?;
            let mut rows = Vec::new();
            for (action, keys) in actions {
                let action: Action = toml::Value::String(action.clone())
                    .try_into()
                    .map_err(|e: toml::de::Error| KeymapError::Shape(e.to_string()))?;
                let keys: Vec<String> = keys
                    .clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| KeymapError::Shape(e.to_string()))?;
                rows.push((action, parse_keys(context, action, &keys)?));
            }
            contexts.insert(context, rows);
        }
        let mut map = Keymap { contexts };
        if let Some(user) = user {
            let raw: RawKeys = toml::Value::Table(user.clone())
                .try_into()
                .map_err(|e: toml::de::Error| KeymapError::Shape(e.message().to_string()))?;
            map.merge(raw)?;
        }
        map.check()?;
        Ok(map)
    }

    fn merge(&mut self, raw: RawKeys) -> Result<(), KeymapError> {
        for (context, actions) in raw {
            let rows = self.contexts.entry(context).or_default();
            for (action, keys) in actions {
                let chords = parse_keys(context, action, &keys)?;
                match rows.iter_mut().find(|(a, _)| *a == action) {
                    Some((_, existing)) => *existing = chords,
                    None => {
                        return Err(KeymapError::Misplaced {
                            context: name(context),
                            action: name(action),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), KeymapError> {
        for (context, rows) in &self.contexts {
            let mut seen: Vec<(Chord, Action)> = Vec::new();
            for (action, chords) in rows {
                for chord in chords {
                    if *context == Context::Form && chord.types_text() {
                        return Err(KeymapError::Typing {
                            action: name(*action),
                            key: chord.to_string(),
                        });
                    }
                    if let Some((_, first)) = seen.iter().find(|(c, _)| c == chord) {
                        return Err(KeymapError::Conflict {
                            context: name(*context),
                            key: chord.to_string(),
                            first: name(*first),
                            second: name(*action),
                        });
                    }
                    seen.push((*chord, *action));
                }
            }
        }
        Ok(())
    }

    /// The action `key` fires in the first of `contexts` that binds it.
    pub fn action(&self, contexts: &[Context], key: &KeyEvent) -> Option<Action> {
        let chord = Chord::of(key);
        contexts.iter().find_map(|c| {
            self.contexts
                .get(c)?
                .iter()
                .find_map(|(action, chords)| chords.contains(&chord).then_some(*action))
        })
    }

    /// The keys bound to `action` in `context`.
    pub fn keys(&self, context: Context, action: Action) -> &[Chord] {
        self.contexts
            .get(&context)
            .and_then(|rows| rows.iter().find(|(a, _)| *a == action))
            .map_or(&[], |(_, chords)| chords.as_slice())
    }

    /// The first key of `action` in `context`, for the hint bar.
    pub fn first_key(&self, context: Context, action: Action) -> Option<Chord> {
        self.keys(context, action).first().copied()
    }

    /// Every binding of a context, in file order, for the help overlay.
    pub fn rows(&self, context: Context) -> &[(Action, Vec<Chord>)] {
        self.contexts.get(&context).map_or(&[], Vec::as_slice)
    }
}

fn parse_keys(
    context: Context,
    action: Action,
    keys: &[String],
) -> Result<Vec<Chord>, KeymapError> {
    keys.iter()
        .map(|k| {
            Chord::parse(k).ok_or_else(|| KeymapError::BadKey {
                context: name(context),
                action: name(action),
                key: k.clone(),
            })
        })
        .collect()
}

/// The snake_case name serde reads, for messages.
fn name(value: impl fmt::Debug) -> String {
    let debug = format!("{value:?}");
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn user(text: &str) -> Result<Keymap, KeymapError> {
        Keymap::with_user(Some(&toml::from_str(text).unwrap()))
    }

    #[test]
    fn defaults_are_valid() {
        Keymap::with_user(None).unwrap();
    }

    #[test]
    fn screen_context_wins_over_navigation() {
        let k = Keymap::defaults();
        let u = key(KeyCode::Char('u'), KeyModifiers::NONE);
        assert_eq!(
            k.action(&[Context::Walk, Context::Navigate], &u),
            Some(Action::Undo)
        );
        let j = key(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(
            k.action(&[Context::Walk, Context::Navigate], &j),
            Some(Action::Down)
        );
    }

    #[test]
    fn shifted_letters_and_backtab_match_however_reported() {
        let k = Keymap::defaults();
        let g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(k.action(&[Context::Navigate], &g), Some(Action::Bottom));
        let bt = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(k.action(&[Context::Navigate], &bt), Some(Action::PrevPane));
    }

    #[test]
    fn user_keys_replace_an_action_and_keep_the_rest() {
        let k = user("[walk]\nundo = [\"z\"]\n").unwrap();
        assert_eq!(
            k.keys(Context::Walk, Action::Undo),
            [Chord::parse("z").unwrap()]
        );
        assert_eq!(k.keys(Context::Walk, Action::Note).len(), 1);
    }

    #[test]
    fn bad_user_keys_say_what_and_where() {
        let e = user("[walk]\nundo = [\"ctrl-\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("[tui.keys.walk] undo: `ctrl-`"), "{e}");
        let e = user("[walk]\nundoo = [\"z\"]\n").unwrap_err().to_string();
        assert!(e.contains("undoo"), "{e}");
        let e = user("[walk]\nsave = [\"s\"]\n").unwrap_err().to_string();
        assert!(e.contains("`save` does nothing there"), "{e}");
        let e = user("[form]\nsubmit = [\"s\"]\n").unwrap_err().to_string();
        assert!(e.contains("types text"), "{e}");
        let e = user("[walk]\nnote = [\"u\"]\n").unwrap_err().to_string();
        assert!(e.contains("bound to both `undo` and `note`"), "{e}");
    }

    #[test]
    fn chords_print_compactly() {
        assert_eq!(Chord::parse("ctrl-s").unwrap().to_string(), "C-s");
        assert_eq!(Chord::parse("backtab").unwrap().to_string(), "S-Tab");
        assert_eq!(Chord::parse("f2").unwrap().to_string(), "F2");
    }
}
