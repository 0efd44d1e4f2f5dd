//! The line `src/lib.rs` draws between the pure core and the edges, enforced: the core's code
//! (outside `#[cfg(test)]`) never touches files, the clock, threads, the network or the
//! terminal, and never calls into an edge module. Comments and string literals may mention
//! anything; only code counts.

use std::path::{Path, PathBuf};

/// The core modules, read from `src/lib.rs`: the `pub mod`s after its `// The core.` line and
/// before `// The edges.`. Every module must stand on one side.
fn core_modules(lib: &str) -> Vec<String> {
    let (mut core, mut edge, mut side) = (Vec::new(), Vec::new(), None);
    for line in lib.lines().map(str::trim) {
        match line {
            "// The core." => side = Some(true),
            "// The edges." => side = Some(false),
            _ => {}
        }
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            match side {
                Some(true) => core.push(name.to_string()),
                Some(false) => edge.push(name.to_string()),
                None => panic!("src/lib.rs: `{name}` stands on neither side"),
            }
        }
    }
    assert!(
        core.len() >= 5 && !edge.is_empty(),
        "src/lib.rs lists core {core:?} and edges {edge:?}"
    );
    core
}

/// Paths in the core that still break the rule, each with what removes it. The test fails
/// when an entry is no longer needed, so this list only shrinks.
const PENDING: &[(&str, &str)] = &[];

/// Token sequences the core's code must not contain: `std::fs` is `["std", "::", "fs"]`.
const FORBIDDEN: &[&[&str]] = &[
    // Files, the clock, threads, the process and its environment.
    &["fs"],
    &["File"],
    &["OpenOptions"],
    &["Utc", "::", "now"],
    &["Local", "::", "now"],
    &["SystemTime"],
    &["Instant"],
    &["thread"],
    &["std", "::", "env"],
    &["std", "::", "process"],
    // The network, the terminal and the command line.
    &["tokio"],
    &["reqwest"],
    &["axum"],
    &["ratatui"],
    &["crossterm"],
    &["clap"],
    &["directories"],
    // The edge modules themselves.
    &["crate", "::", "admin"],
    &["crate", "::", "cli"],
    &["crate", "::", "tui"],
    &["crate", "::", "config"],
    &["crate", "::", "session"],
    &["crate", "::", "store"],
    &["crate", "::", "triage"],
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    /// `::`, or any other single punctuation character.
    Punct(String),
    /// A string, character or number literal: its content is not code.
    Literal,
}

/// Rust source as tokens, without comments and with literals blanked. Lifetimes read as a
/// `'` followed by an identifier, which is all the checks need.
fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (at(i + 1) == '"' || (at(i + 1) == '#' && raw_start(&chars, i + 1)))
            || c == 'b' && at(i + 1) == 'r' && raw_start(&chars, i + 2)
        {
            // Raw string: r"..", r#".."#, br#".."#.
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j..].iter().collect();
            let len = rest
                .find(&closing)
                .map_or(rest.len(), |p| p + closing.len());
            i = j + rest[..len].chars().count();
            out.push(Token::Literal);
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Token::Literal);
        } else if c == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A character literal; `'a` without a closing quote is a lifetime.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Token::Literal);
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Literal);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c == ':' && at(i + 1) == ':' {
            out.push(Token::Punct("::".into()));
            i += 2;
        } else {
            out.push(Token::Punct(c.to_string()));
            i += 1;
        }
    }
    out
}

/// Whether `chars[i..]` starts the `#`s and quote of a raw string.
fn raw_start(chars: &[char], mut i: usize) -> bool {
    while chars.get(i) == Some(&'#') {
        i += 1;
    }
    chars.get(i) == Some(&'"')
}

fn is(t: &Token, s: &str) -> bool {
    matches!(t, Token::Ident(x) | Token::Punct(x) if x == s)
}

/// The tokens without `#[cfg(test)]` items, and the names of `mod name;` declarations that
/// are not behind `#[cfg(test)]` (the files the compiler reads next).
fn non_test_code(tokens: &[Token]) -> (Vec<Token>, Vec<String>) {
    let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut code = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let here = &tokens[i..];
        if here.len() >= cfg_test.len() && cfg_test.iter().zip(here).all(|(s, t)| is(t, s)) {
            i = skip_item(tokens, i + cfg_test.len());
        } else {
            code.push(tokens[i].clone());
            i += 1;
        }
    }
    let mods = code
        .windows(3)
        .filter(|w| is(&w[0], "mod") && is(&w[2], ";"))
        .filter_map(|w| match &w[1] {
            Token::Ident(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    (code, mods)
}

/// The index just past the item starting at `i` (after any further attributes): its `;`,
/// or the `}` closing its body.
fn skip_item(tokens: &[Token], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < tokens.len() {
        let t = &tokens[i];
        i += 1;
        if is(t, "(") || is(t, "[") || is(t, "{") {
            depth += 1;
        } else if is(t, ")") || is(t, "]") || is(t, "}") {
            depth = depth.saturating_sub(1);
            if depth == 0 && is(t, "}") {
                return i;
            }
        } else if depth == 0 && is(t, ";") {
            return i;
        }
    }
    i
}

/// Each forbidden sequence found in `code`, as text.
fn violations(code: &[Token]) -> Vec<String> {
    let mut found = Vec::new();
    for pattern in FORBIDDEN {
        let hits = code.windows(pattern.len()).any(|w| {
            pattern.iter().zip(w).all(|(p, t)| match t {
                Token::Ident(x) | Token::Punct(x) => x == p,
                Token::Literal => false,
            })
        });
        if hits {
            found.push(pattern.concat());
        }
    }
    found
}

/// A module's file and, through its non-test `mod x;` declarations, every file under it.
fn module_files(file: &Path, out: &mut Vec<(PathBuf, Vec<String>)>) {
    let src = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let (code, mods) = non_test_code(&tokens(&src));
    out.push((file.to_path_buf(), violations(&code)));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let parent = file.parent().unwrap_or(Path::new("."));
    let dir = if stem == "mod" {
        parent.to_path_buf()
    } else {
        parent.join(stem)
    };
    for name in mods {
        let flat = dir.join(format!("{name}.rs"));
        let nested = dir.join(&name).join("mod.rs");
        let child = if flat.is_file() { flat } else { nested };
        module_files(&child, out);
    }
}

#[test]
fn core_modules_do_no_io_and_never_call_the_edge() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    for module in core_modules(&lib) {
        let flat = src.join(format!("{module}.rs"));
        let root = if flat.is_file() {
            flat
        } else {
            src.join(module).join("mod.rs")
        };
        module_files(&root, &mut files);
    }
    // A scan that found nothing would pass without checking anything.
    assert!(files.len() > 40, "only {} core files found", files.len());

    let under = |path: &Path, prefix: &str| {
        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .is_ok_and(|p| p.starts_with(prefix))
    };
    let broken: Vec<String> = files
        .iter()
        .filter(|(path, found)| {
            !found.is_empty() && !PENDING.iter().any(|(prefix, _)| under(path, prefix))
        })
        .map(|(path, found)| format!("{}: {}", path.display(), found.join(", ")))
        .collect();
    assert!(
        broken.is_empty(),
        "the core must stay pure (move this code to an edge: admin, cli, tui, store, session, config):\n{}",
        broken.join("\n")
    );
    for (prefix, why) in PENDING {
        let still = files
            .iter()
            .any(|(path, found)| !found.is_empty() && under(path, prefix));
        assert!(
            still,
            "{prefix} is pure now ({why}): remove it from PENDING"
        );
    }
}

#[test]
fn scan_sees_code_but_not_comments_strings_or_test_modules() {
    let src = r##"
        //! Never use std::fs here.
        use chrono::Utc;
        const HELP: &str = "tokio::spawn";
        const RAW: &str = r#"reqwest "quoted" ratatui"#;
        fn f() -> char { '{' }
        fn g<'a>(x: &'a str) -> DateTime<Utc> { Utc :: now() }
        #[cfg(test)]
        mod tests {
            use std::thread;
            fn h() { let _ = "}"; }
        }
        #[cfg(test)]
        mod tests_hostile;
        mod child;
        use crate::store::save_ticket;
    "##;
    let (code, mods) = non_test_code(&tokens(src));
    assert_eq!(violations(&code), ["Utc::now", "crate::store"]);
    assert_eq!(mods, ["child"]);
}

#[test]
fn grouped_imports_are_caught() {
    let (code, _) = non_test_code(&tokens("use std::{fs::File, io, thread};"));
    assert_eq!(violations(&code), ["fs", "File", "thread"]);
}
