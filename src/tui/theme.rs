//! Colours: a dark and a light preset embedded from `assets/`, the user's `[tui.colors]`
//! merged over the chosen one, and a colourless theme when `NO_COLOR` is set, which marks
//! what matters with REVERSED and BOLD alone.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::str::FromStr;

pub const DARK: &str = include_str!("../../assets/theme-dark.toml");
pub const LIGHT: &str = include_str!("../../assets/theme-light.toml");

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
    #[error(
        "[tui] theme: no theme `{0}` (use dark or light; `authdesk config --defaults` shows both)"
    )]
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
        let mut theme = match Theme::check(name, user).into_iter().next() {
            Some(e) => return Err(e),
            None => Theme::from_roles(&roles(name, user))?,
        };
        if no_color {
            // User roles are still checked above, so a typo is reported even under NO_COLOR.
            theme = Theme::no_color();
        }
        Ok(theme)
    }

    /// Every problem with a theme name and the user's roles, not only the first, so one
    /// run of `authdesk config` shows all there is to fix.
    pub fn check(name: &str, user: &BTreeMap<String, String>) -> Vec<ThemeError> {
        let mut errors = Vec::new();
        if preset(name).is_none() {
            errors.push(ThemeError::UnknownTheme(name.to_string()));
        }
        let known = preset_roles(DARK);
        for (role, spec) in user {
            if !known.contains_key(role) {
                errors.push(ThemeError::UnknownRole(role.clone()));
            } else if let Err(e) = parse_style(role, spec) {
                errors.push(e);
            }
        }
        errors
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

/// The preset a theme name means; names are case-insensitive (`Dark`, `LIGHT`).
fn preset(name: &str) -> Option<&'static str> {
    match name.trim().to_ascii_lowercase().as_str() {
        "dark" => Some(DARK),
        "light" => Some(LIGHT),
        _ => None,
    }
}

fn preset_roles(preset: &str) -> BTreeMap<String, String> {
    // The presets are checked by the tests below; parsing them cannot fail at run time.
    toml::from_str(preset).unwrap_or_default()
}

/// The preset's roles with the user's over them (unknown names were rejected by `check`).
fn roles(name: &str, user: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut roles = preset_roles(preset(name).unwrap_or(DARK));
    for (role, spec) in user {
        roles.insert(role.clone(), spec.clone());
    }
    roles
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
            // Fainter than the terminal's own text colour whatever its palette: the one way to
            // mark secondary text that no dark or light scheme can make vanish.
            "dim" => Some(Modifier::DIM),
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

    #[test]
    fn theme_names_are_case_insensitive() {
        let none = BTreeMap::new();
        assert_eq!(
            Theme::load("Light", &none, false).unwrap(),
            Theme::load("light", &none, false).unwrap()
        );
        assert!(Theme::load("DARK", &none, false).is_ok());
    }

    #[test]
    fn every_colour_problem_is_reported_at_once() {
        let mut user = BTreeMap::new();
        user.insert("acent".to_string(), "red".to_string());
        user.insert("dim".to_string(), "grey50".to_string());
        user.insert("title".to_string(), "blue on".to_string());
        let errors = Theme::check("solarised", &user);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 4, "{text:#?}");
        assert!(text.iter().all(|t| t.starts_with("[tui")), "{text:#?}");
        assert!(text[0].contains("`solarised`"), "{text:#?}");
    }

    /// ANSI 8 (dark grey) is the background colour of Solarized Dark and ANSI 7 (light grey)
    /// is near white: as the only colour of a role, either can vanish. Roles on their own
    /// background (selected, banner) choose both colours and are exempt.
    #[test]
    fn presets_use_no_colour_that_vanishes_on_a_common_background() {
        for (name, vanishing) in [
            ("dark", [Color::DarkGray, Color::Black]),
            ("light", [Color::Gray, Color::White]),
        ] {
            let t = Theme::load(name, &BTreeMap::new(), false).unwrap();
            for (role, style) in [
                ("text", t.text),
                ("dim", t.dim),
                ("title", t.title),
                ("border", t.border),
                ("border_focus", t.border_focus),
                ("accent", t.accent),
                ("key", t.key),
                ("ok", t.ok),
                ("warn", t.warn),
                ("error", t.error),
            ] {
                assert!(
                    style.bg.is_some() || !style.fg.is_some_and(|c| vanishing.contains(&c)),
                    "{name} theme, role {role}: {style:?}"
                );
            }
        }
    }
}
