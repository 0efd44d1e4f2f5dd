//! `authdesk config` checks the terminal app's theme, colours and keys, and
//! `authdesk config --defaults` prints the built-in ones (issue 13 item 15).

mod common;
use common::Sandbox;

#[test]
fn config_reports_every_theme_colour_and_key_problem_at_once() {
    let sb = Sandbox::new();
    let file = sb.write(
        "authdesk.toml",
        "[tui]\ntheme = \"solarized\"\n[tui.keys.walk]\nundo = [\"zz\"]\nnote = [\"ctrl-x-y\"]\n\
         [tui.colors]\nacent = \"red\"\ndim = \"grey50\"\n",
    );
    let out = sb.run(&["--config", file.to_str().unwrap(), "config"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    for expected in [
        "5 problem(s)",
        "[tui] theme: no theme `solarized`",
        "[tui.colors] no role `acent`",
        "[tui.colors] dim: `grey50`",
        "[tui.keys.walk] undo: `zz`",
        "[tui.keys.walk] note: `ctrl-x-y`",
        "authdesk config --defaults",
    ] {
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
    assert!(!out.stderr.contains("assets/"), "{}", out.stderr);
}

#[test]
fn theme_names_are_read_whatever_their_case() {
    let sb = Sandbox::new();
    let file = sb.write("authdesk.toml", "[tui]\ntheme = \"Light\"\n");
    let out = sb.run(&["--config", file.to_str().unwrap(), "config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn the_printed_defaults_are_a_valid_config_file() {
    let sb = Sandbox::new();
    let out = sb.run(&["config", "--defaults"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for section in [
        "[tui]",
        "[tui.keys.walk]",
        "[tui.keys.global]",
        "[tui.colors]",
    ] {
        assert!(out.stdout.contains(section), "{section}: {}", out.stdout);
    }
    let file = sb.write("authdesk.toml", &out.stdout);
    let check = sb.run(&["--config", file.to_str().unwrap(), "config"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("tui.theme"), "{}", check.stdout);
}
