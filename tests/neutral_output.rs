//! Text from outside (admin-API answers, pastes, log lines) carrying terminal escapes, C1 and
//! bidi controls, line breaks and Markdown reaches no output raw: `run` stdout in every
//! format and its ticket files, `inspect`, and `logs`, through the real binary.

mod common;

use base64::Engine;
use common::{DemoApiProcess, Sandbox};

/// An OSC 52 clipboard write, a screen clear, a C1 CSI, a bidi override and isolate, a line
/// break and Markdown: what a hostile admin API or customer can put into a string.
const NASTY: &str =
    "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u{9b}31m\u{202e}gpj.exe\u{2066}\n# Pwned | x | <img src=x>";

/// No C0 control but the `allowed` ones, no DEL, C1, bidi control or line separator.
fn assert_inert(what: &str, text: &str, allowed: &[char]) {
    let hazard = |c: char| {
        matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}'
            | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if let Some(c) = text.chars().find(|c| hazard(*c) && !allowed.contains(c)) {
        panic!("{what}: raw {c:?} in:\n{text:?}");
    }
}

/// The Markdown, parsed as GitHub does, has no heading, HTML or image made from `NASTY`.
fn assert_no_markup_from_data(md: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut in_heading = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_GFM) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if in_heading => assert!(!t.contains("Pwned"), "heading {t} in:\n{md}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h} in:\n{md}"),
            Event::Start(Tag::Image { .. }) => panic!("an image in:\n{md}"),
            _ => {}
        }
    }
}

/// `authdesk demo-api` serving the built-in data with `NASTY` as the revoked key's revoker,
/// revoke reason and audit actor.
struct HostileApi(DemoApiProcess);

impl HostileApi {
    fn start(sandbox: &Sandbox) -> Self {
        let mut data: serde_json::Value =
            serde_json::from_str(include_str!("../assets/demo/dataset.json")).unwrap();
        let key = data["keys"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|k| k["id"] == "key_revoked")
            .unwrap();
        key["revoked_by"] = NASTY.into();
        key["revoke_reason"] = NASTY.into();
        key["audit"][0]["actor"] = NASTY.into();
        let file = sandbox.write("hostile.json", &data.to_string());
        let file = file.to_string_lossy();
        Self(DemoApiProcess::start(sandbox, &["--data", &file], &[]))
    }
}

#[test]
fn run_prints_and_saves_hostile_admin_data_inert_in_every_format() {
    let sandbox = Sandbox::new();
    let api = HostileApi::start(&sandbox);
    for format in ["markdown", "json", "github", "jira"] {
        let out = sandbox.run_cmd(
            sandbox
                .cmd()
                .env("AUTHDESK_ADMIN_URL", &api.0.url)
                .env("AUTHDESK_ADMIN_TOKEN", "test-token")
                .args([
                    "run",
                    "401",
                    "--input",
                    "key_id=key_revoked",
                    "--format",
                    format,
                ]),
        );
        assert_eq!(out.code, 0, "{format}: {}{}", out.stdout, out.stderr);
        let what = format!("run --format {format}");
        assert_inert(&what, &out.stderr, &['\n']);
        if format == "markdown" {
            assert_inert(&what, &out.stdout, &['\n', '\t']);
            assert!(out.stdout.contains("\\x1b]52;c;"), "{}", out.stdout);
            assert_no_markup_from_data(&out.stdout);
        } else {
            assert_inert(&what, &out.stdout, &['\n']);
            let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
            let text = json.to_string();
            assert!(
                text.contains("gpj.exe"),
                "{format}: the value went missing: {text}"
            );
        }
    }
    let tickets = sandbox.tickets();
    assert_eq!(tickets.len(), 4);
    for (md, json) in &tickets {
        assert_inert("markdown ticket", md, &['\n', '\t']);
        // The JSON ticket keeps the exact value, escaped in its text.
        assert!(json.to_string().contains("\\u001b]52;c;"));
        common::assert_valid_ticket(json);
    }
    for (path, text) in sandbox.all_files() {
        if path.starts_with(sandbox.tickets_dir()) && path.extension().is_some_and(|e| e == "json")
        {
            assert_inert(&path.display().to_string(), &text, &['\n']);
            assert!(
                text.contains("\\u009b31m") && text.contains("\\u202egpj"),
                "{text}"
            );
        }
    }
}

/// `inspect KIND FILE`, in text and as JSON; both outputs and the error stream must be inert.
fn inspect_both(sandbox: &Sandbox, kind: &str, extra: &[&str], paste: &str) -> String {
    let file = sandbox.write(&format!("{kind}.txt"), paste);
    let file = file.to_str().unwrap();
    let mut shown = String::new();
    for json in [false, true] {
        let mut args = vec!["inspect", kind, file];
        args.extend_from_slice(extra);
        if json {
            args.push("--json");
        }
        let out = sandbox.run(&args);
        let what = format!("{args:?}");
        assert_inert(&what, &out.stdout, &['\n']);
        assert_inert(&what, &out.stderr, &['\n']);
        if json {
            assert_eq!(out.code, 0, "{what}: {}", out.stderr);
            serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap();
        }
        shown.push_str(&out.stdout);
        shown.push_str(&out.stderr);
    }
    shown
}

#[test]
fn inspect_request_shows_hostile_paste_values_inert() {
    let paste = format!(
        "GET /v1/orders/\x1b]52;c;cm0=\x07\u{202e} HTTP/1.1\r\nHost: api.example.com\u{202e}\r\nX-API-Key: sk_live_0123456789abcdef0123456789abcd\u{9b}2J\r\nUser-Agent: {flat}\r\n\r\n",
        flat = NASTY.replace('\n', " ")
    );
    let shown = inspect_both(&Sandbox::new(), "request", &[], &paste);
    assert!(
        shown.contains("\\u{202e}") || shown.contains("\\u202e"),
        "{shown}"
    );
}

#[test]
fn inspect_jwt_shows_hostile_claims_inert() {
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let token = format!(
        "{}.{}.c2ln",
        b64(serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": NASTY})),
        b64(serde_json::json!({
            "iss": NASTY, "aud": "api", "sub": "\u{202e}user", "scope": "read \u{9b}2J",
            "iat": 1_700_000_000, "exp": 1_700_003_600,
        })),
    );
    let shown = inspect_both(
        &Sandbox::new(),
        "jwt",
        &["--at", "2023-11-14T23:00:00Z"],
        &token,
    );
    assert!(
        shown.contains("\\u001b]52;c;") && shown.contains("\\u{9b}31m"),
        "{shown}"
    );
}

#[test]
fn inspect_response_shows_hostile_problem_and_challenge_inert() {
    let body = serde_json::json!({
        "type": "https://example.com/probs/auth",
        "title": NASTY,
        "detail": format!("{NASTY} detail"),
        "status": 401,
    });
    let paste = format!(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"\u{202e}\x1b[2J\"\r\nContent-Type: application/problem+json\r\nX-Request-Id: req\u{9b}1\r\n\r\n{body}"
    );
    let shown = inspect_both(&Sandbox::new(), "response", &[], &paste);
    assert!(
        shown.contains("\\x1b]52;c;") || shown.contains("\\u001b]52;c;"),
        "{shown}"
    );
}

#[test]
fn logs_show_hostile_keys_paths_and_malformed_lines_inert() {
    let sandbox = Sandbox::new();
    let mut log = String::new();
    for i in 0..20 {
        let line = serde_json::json!({
            "ts": format!("2026-11-22T10:{:02}:00Z", i),
            "method": "GET",
            "path": format!("/v1/{}", NASTY.replace('\n', "\\n")),
            "status": 401,
            "key_id": format!("key{NASTY}"),
            "ip": "198.51.100.7",
            "latency_ms": 10,
        });
        log.push_str(&line.to_string());
        log.push('\n');
    }
    log.push_str(&format!("not a log line {}\n", NASTY.replace('\n', " ")));
    let file = sandbox.write("hostile.jsonl", &log);
    let file = file.to_str().unwrap();
    for json in [false, true] {
        let mut args = vec!["logs", file];
        if json {
            args.push("--json");
        }
        let out = sandbox.run(&args);
        let what = format!("{args:?}");
        assert_inert(&what, &out.stdout, &['\n']);
        assert_inert(&what, &out.stderr, &['\n']);
        if json {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
            assert!(v.to_string().contains("gpj.exe"), "{v}");
        } else {
            assert!(out.stdout.contains("\\x1b]52;c;"), "{}", out.stdout);
        }
    }
}

/// A loopback admin API that fails every call with a problem whose title is `NASTY`.
fn failing_api() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let body = serde_json::json!({"title": NASTY, "status": 500}).to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/problem+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn run_needing_an_answer_shows_a_hostile_admin_error_title_inert() {
    let sandbox = Sandbox::new();
    let url = failing_api();
    for format in ["markdown", "json"] {
        let out = sandbox.run_cmd(
            sandbox
                .cmd()
                .env("AUTHDESK_ADMIN_URL", &url)
                .env("AUTHDESK_ADMIN_TOKEN", "test-token")
                .args(["run", "401", "--input", "key_id=key_x", "--format", format]),
        );
        assert_eq!(out.code, 3, "{format}: {}{}", out.stdout, out.stderr);
        let what = format!("needs-answer --format {format}");
        assert_inert(&what, &out.stdout, &['\n']);
        assert_inert(&what, &out.stderr, &['\n']);
        assert!(out.stdout.contains("gpj.exe"), "{what}: {}", out.stdout);
    }
}
