use super::*;
use proptest::prelude::*;

#[test]
fn terminal_escapes_show_as_visible_escapes() {
    assert_eq!(
        line("ok\x1b]52;c;aGk=\x07\x1b[2J"),
        "ok\\x1b]52;c;aGk=\\x07\\x1b[2J"
    );
    assert_eq!(line("a\u{9b}31mb"), "a\\u{9b}31mb");
    assert_eq!(
        line("evil\u{202e}txt.exe\u{2066}"),
        "evil\\u{202e}txt.exe\\u{2066}"
    );
    assert_eq!(line("del\x7f"), "del\\x7f");
}

#[test]
fn one_line_fields_fold_line_breaks_but_show_a_lone_carriage_return() {
    assert_eq!(line("a\nb\r\nc\td"), "a b c d");
    assert_eq!(line("fake\rreal"), "fake\\x0dreal");
}

#[test]
fn clean_text_is_not_copied() {
    assert!(matches!(line("key_live_42 revoked"), Cow::Borrowed(_)));
    assert!(matches!(lines("two\nlines"), Cow::Borrowed(_)));
}

#[test]
fn multi_line_text_keeps_lines_and_tabs() {
    assert_eq!(lines("a\r\n\tb\x1b[2J\n"), "a\n\tb\\x1b[2J\n");
}

#[test]
fn markdown_text_cannot_add_structure() {
    assert_eq!(md_text("# Title"), "\\# Title");
    assert_eq!(md_text("a|b"), "a\\|b");
    assert_eq!(md_text("<img src=x>"), "\\<img src=x>");
    assert_eq!(md_text("[x](http://e)"), "\\[x](http://e)");
    assert_eq!(md_text("\x1b[2J \\* \\x"), "\\x1b\\[2J \\\\\\* \\x");
    assert_eq!(md_text("&#x202e;"), "\\&\\#x202e;");
    assert_eq!(md_text("key_live_42 _em_"), "key_live_42 \\_em\\_");
}

#[test]
fn code_spans_fence_past_any_backtick_run() {
    assert_eq!(md_code("key_1"), "`key_1`");
    assert_eq!(md_code("a``b"), "```a``b```");
    assert_eq!(md_code("`x"), "`` `x ``");
    assert_eq!(md_code(""), "` `");
    assert_eq!(md_code_in_cell("a|b"), "`a\\|b`");
}

#[test]
fn fenced_blocks_outlast_the_longest_backtick_run() {
    assert_eq!(md_fence("x"), "```text\nx\n```\n");
    assert_eq!(
        md_fence("```\nrm -rf\n````"),
        "`````text\n```\nrm -rf\n````\n`````\n"
    );
}

#[test]
fn json_escapes_c1_and_bidi_and_reads_back_the_same() {
    let value = vec!["a\u{9b}b\u{202e}c\x1bd\u{7f}\u{2028}".to_string()];
    let text = json(&value).unwrap();
    assert!(text.contains("\\u009b"), "{text}");
    assert!(text.contains("\\u202e"), "{text}");
    assert!(text.contains("\\u007f"), "{text}");
    assert!(text.contains("\\u2028"), "{text}");
    assert_inert(&text, &['\n']);
    let back: Vec<String> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, value);
}

#[test]
fn json_keeps_the_pretty_layout() {
    let value = serde_json::json!({"a": [1, {"b": "c"}]});
    assert_eq!(
        json(&value).unwrap(),
        serde_json::to_string_pretty(&value).unwrap()
    );
}

/// Text an attacker might send: terminal escapes, C1, bidi, line breaks, Markdown and HTML.
pub(crate) fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\x1b]52;c;aGk=\x07".to_string()),
        Just("\x1b[2J".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("|".to_string()),
        Just("`".to_string()),
        Just("```".to_string()),
        Just("#".to_string()),
        Just("<img src=x>".to_string()),
        Just("[a](http://e)".to_string()),
        Just("\\".to_string()),
        Just(" ".to_string()),
        any::<char>().prop_map(String::from),
        "[a-z_]{1,6}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// No C0 (except the allowed), DEL, C1, bidi or separator character. Written apart from
/// `is_hazard`, from the Unicode categories and the bidi list, so it checks that too.
pub(crate) fn assert_inert(out: &str, allowed: &[char]) {
    let bidi = |c: char| matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let separator = |c: char| matches!(c, '\u{2028}' | '\u{2029}');
    let raw = |c: char| (c.is_control() || bidi(c) || separator(c)) && !allowed.contains(&c);
    if let Some(c) = out.chars().find(|c| raw(*c)) {
        panic!("raw {c:?} in output:\n{out:?}");
    }
}

proptest! {
    #[test]
    fn every_escape_leaves_no_raw_hazard(s in hostile()) {
        assert_inert(&line(&s), &[]);
        assert_inert(&md_text(&s), &[]);
        assert_inert(&md_code(&s), &[]);
        assert_inert(&lines(&s), &['\n', '\t']);
        assert_inert(&md_fence(&s), &['\n', '\t']);
        assert_inert(&json(&s).unwrap(), &['\n']);
        prop_assert_eq!(serde_json::from_str::<String>(&json(&s).unwrap()).unwrap(), s);
    }

    #[test]
    fn a_code_span_reads_back_as_the_one_line_value(s in hostile()) {
        let md = md_code(&s);
        let mut spans = Vec::new();
        for event in pulldown_cmark::Parser::new(&format!("x {md} y")) {
            if let pulldown_cmark::Event::Code(code) = event {
                spans.push(code.to_string());
            }
        }
        prop_assert_eq!(spans, vec![line(&s).into_owned()].into_iter()
            .map(|l| if l.is_empty() { " ".to_string() } else { l }).collect::<Vec<_>>());
    }

    #[test]
    fn markdown_text_reads_back_as_plain_text(s in hostile()) {
        use pulldown_cmark::{Event, Parser};
        let md = md_text(&s);
        let mut text = String::new();
        for event in Parser::new_ext(&format!("x {md} y"), gfm()) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(pulldown_cmark::Tag::Paragraph) | Event::End(_) => {}
                Event::SoftBreak => text.push('\n'),
                other => prop_assert!(false, "{md:?} made {other:?}"),
            }
        }
        prop_assert_eq!(text, format!("x {} y", line(&s)).trim_end().to_string());
    }
}

/// The extensions GitHub renders, without pulldown's smart punctuation.
pub(crate) fn gfm() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}
