//! Colours: a dark and a light preset embedded from `assets/`, the user's `[tui.colors]`
//! merged over the chosen one, and a colourless theme when `NO_COLOR` is set, which marks
//! what matters with REVERSED and BOLD alone.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::str::FromStr;

const DARK: &str = include_str!("../../assets/theme-dark.toml");
const LIGHT: &str = include_str!("../../assets/theme-light.toml");

/// The styles the views use, one per role.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub text: Style,
    /// Help text and secondary information.
    pub dim: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    /// The highlighted row of a list.
    pub selected: Style,
    /// Choice numbers, counts.
    pub accent: Style,
    /// Keys in the hint bar and help.
    pub key: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    /// DEMO DATA and "admin API not connected".
    pub banner: Style,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("[tui] theme: no theme `{0}` (use dark or light)")]
    UnknownTheme(String),
    #[error(
        "[tui.colors] no role `{0}` (roles: text, dim, title, border, border_focus, selected, accent, key, ok, warn, error, banner)"
    )]
    UnknownRole(String),
    #[error("[tui.colors] {role}: `{word}` is not a colour or modifier in `{spec}`")]
    BadStyle {
        role: String,
        spec: String,
        word: String,
    },
}

impl Theme {
    /// The theme to draw with: colourless when `no_color`, else the named preset with the
    /// user's roles over it.
    pub fn load(
        name: &str,
        user: &BTreeMap<String, String>,
        no_color: bool,
    ) -> Result<Theme, ThemeError> {
        let preset = match name {
            "dark" => DARK,
            "light" => LIGHT,
            other => return Err(ThemeError::UnknownTheme(other.to_string())),
        };
        // The presets are checked by the tests below; parsing them cannot fail at run time.
        let mut roles: BTreeMap<String, String> = toml::from_str(preset).unwrap_or_default();
        for (role, spec) in user {
            if !roles.contains_key(role) {
                return Err(ThemeError::UnknownRole(role.clone()));
            }
            roles.insert(role.clone(), spec.clone());
        }
        let mut theme = Theme::from_roles(&roles)?;
        if no_color {
            // User roles are still checked above, so a typo is reported even under NO_COLOR.
            theme = Theme::no_color();
        }
        Ok(theme)
    }

    pub fn dark() -> Theme {
        Theme::load("dark", &BTreeMap::new(), false).unwrap_or_else(|_| Theme::no_color())
    }

    /// No colours at all: REVERSED and BOLD carry selection, focus and warnings.
    pub fn no_color() -> Theme {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let reversed = Style::default().add_modifier(Modifier::REVERSED);
        Theme {
            text: Style::default(),
            dim: Style::default(),
            title: bold,
            border: Style::default(),
            border_focus: bold,
            selected: reversed.add_modifier(Modifier::BOLD),
            accent: bold,
            key: bold,
            ok: Style::default(),
            warn: bold,
            error: bold,
            banner: reversed.add_modifier(Modifier::BOLD),
        }
    }

    fn from_roles(roles: &BTreeMap<String, String>) -> Result<Theme, ThemeError> {
        let get = |role: &str| -> Result<Style, ThemeError> {
            roles
                .get(role)
                .map_or(Ok(Style::default()), |spec| parse_style(role, spec))
        };
        Ok(Theme {
            text: get("text")?,
            dim: get("dim")?,
            title: get("title")?,
            border: get("border")?,
            border_focus: get("border_focus")?,
            selected: get("selected")?,
            accent: get("accent")?,
            key: get("key")?,
            ok: get("ok")?,
            warn: get("warn")?,
            error: get("error")?,
            banner: get("banner")?,
        })
    }
}

/// `FG [on BG] [modifiers]`, e.g. `black on cyan bold`.
fn parse_style(role: &str, spec: &str) -> Result<Style, ThemeError> {
    let mut style = Style::default();
    let mut words = spec.split_whitespace();
    let bad = |word: &str| ThemeError::BadStyle {
        role: role.to_string(),
        spec: spec.to_string(),
        word: word.to_string(),
    };
    let mut fg_done = false;
    while let Some(word) = words.next() {
        let modifier = match word {
            "bold" => Some(Modifier::BOLD),
            "reversed" => Some(Modifier::REVERSED),
            "italic" => Some(Modifier::ITALIC),
            "underlined" => Some(Modifier::UNDERLINED),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
        } else if word == "on" {
            let bg = words.next().ok_or_else(|| bad(word))?;
            style = style.bg(Color::from_str(bg).map_err(|_| bad(bg))?);
        } else if !fg_done {
            style = style.fg(Color::from_str(word).map_err(|_| bad(word))?);
            fg_done = true;
        } else {
            return Err(bad(word));
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse() {
        let none = BTreeMap::new();
        let dark = Theme::load("dark", &none, false).unwrap();
        assert_eq!(dark.selected.bg, Some(Color::Cyan));
        let light = Theme::load("light", &none, false).unwrap();
        assert_eq!(light.selected.bg, Some(Color::Blue));
    }

    #[test]
    fn no_color_has_no_colours() {
        let mut user = BTreeMap::new();
        user.insert("accent".to_string(), "magenta".to_string());
        let t = Theme::load("dark", &user, true).unwrap();
        for s in [
            t.text, t.dim, t.title, t.selected, t.accent, t.error, t.banner,
        ] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn user_roles_override_and_typos_are_named() {
        let mut user = BTreeMap::new();
        user.insert("accent".to_string(), "#ff8800 bold".to_string());
        let t = Theme::load("light", &user, false).unwrap();
        assert_eq!(t.accent.fg, Some(Color::Rgb(0xff, 0x88, 0)));
        user.insert("acent".to_string(), "red".to_string());
        let e = Theme::load("light", &user, false).unwrap_err();
        assert!(e.to_string().contains("no role `acent`"), "{e}");
        let mut user = BTreeMap::new();
        user.insert("accent".to_string(), "purpel".to_string());
        let e = Theme::load("dark", &user, false).unwrap_err();
        assert!(e.to_string().contains("`purpel`"), "{e}");
        assert!(Theme::load("solarized", &BTreeMap::new(), false).is_err());
    }
}
