//! The fast path against the serde_json reference, and the shapes production logs have.

use super::*;
use proptest::prelude::*;

fn p(line: &str) -> Option<Record<'_>> {
    parse(line.as_bytes(), &FieldNames::default())
}

/// The fast path's own answer: `Err` when it handed the line to serde_json.
fn fast_only<'a>(picker: &mut Picker, line: &'a [u8]) -> Result<Option<Record<'a>>, ()> {
    match picker.fast(line) {
        Ok(got) => Ok(picker.record(line, &got)),
        Err(Stop::Malformed) => Ok(None),
        Err(Stop::Fallback) => Err(()),
    }
}

fn ecs() -> FieldNames {
    FieldNames {
        status: "http.response.status_code".into(),
        key: "user.id".into(),
        ip: "client.ip".into(),
        path: "url.path".into(),
        method: "http.request.method".into(),
        ts: "@timestamp".into(),
        latency: "event.duration".into(),
        customer: "organization.id".into(),
    }
}

#[test]
fn typical_gateway_line() {
    let r = p(r#"{"ts":"2026-11-22T10:00:00.120Z","method":"GET","path":"/v1/orders/9","status":401,"key_id":"key_42","ip":"203.0.113.9","latency_ms":12.5,"ua":"x","ok":false,"n":null}"#).unwrap();
    assert_eq!(r.status, 401);
    assert_eq!(r.key.as_deref(), Some("key_42"));
    assert_eq!(r.ts, Some(1_795_341_600));
    assert_eq!(r.latency_ms, Some(12.5));
}

#[test]
fn nested_values_escapes_and_numbers_as_strings_stay_on_the_fast_path() {
    let line = br#"{"err":{"message":"API key expired","stack":["a",{"b":[1,2.5e3]}]},"status":"403","path":"\/v1\/a\"b\u00e9","latency_ms":"7.5","ua":"Mozilla\/5.0 \"x\"","ts":1795341600123}"#;
    let r = fast_only(&mut Picker::new(&FieldNames::default()), line)
        .expect("stays on the fast path")
        .unwrap();
    assert_eq!(r.status, 403);
    assert_eq!(r.path.as_deref(), Some("/v1/a\"bé"));
    assert_eq!(r.latency_ms, Some(7.5));
    assert_eq!(r.ts, Some(1_795_341_600));
}

#[test]
fn ecs_style_nested_paths_are_read() {
    let line = br#"{"@timestamp":"2026-11-22T10:00:00Z","log":{"level":"info"},"http":{"request":{"method":"POST"},"response":{"status_code":401,"body":{"bytes":71}}},"url":{"path":"/v1/pay"},"client":{"ip":"203.0.113.9"},"user":{"id":"key_7"},"event":{"duration":1200}}"#;
    let r = fast_only(&mut Picker::new(&ecs()), line).unwrap().unwrap();
    assert_eq!(
        (r.status, r.method.as_deref(), r.path.as_deref()),
        (401, Some("POST"), Some("/v1/pay"))
    );
    assert_eq!(
        (r.ip.as_deref(), r.key.as_deref()),
        (Some("203.0.113.9"), Some("key_7"))
    );
    assert_eq!((r.ts, r.latency_ms), (Some(1_795_341_600), Some(1200.0)));
    // Dotted keys and nesting mix freely: the path is the keys joined by `.`.
    let dotted = br#"{"http.response":{"status_code":404},"url.path":"/x"}"#;
    let r = fast_only(&mut Picker::new(&ecs()), dotted)
        .unwrap()
        .unwrap();
    assert_eq!((r.status, r.path.as_deref()), (404, Some("/x")));
}

#[test]
fn malformed_lines() {
    for bad in [
        r#"{"status":401"#,
        r#"{"status":401} x"#,
        r#"{"status":01}"#,
        r#"{"status":4.5}"#,
        r#"{"path":"/"}"#,
        r#"[401]"#,
        r#"{"status":401,}"#,
        r#"{"status":"4x1"}"#,
        r#"{"status": 401, "a": tru}"#,
        r#"{"status": 401, "a": {"b":[1,]}}"#,
        r#"{"status": 401, "a": "tab	inside"}"#,
        r#"{"status": 401, "a": "\x"}"#,
        r#"{"status": 401, "a": "\udc00"}"#,
        r#"{"status": 401, "a": "\ud800\u0041"}"#,
        r#"{"status": 401, "a": 1e400}"#,
        r#"{"status": 401, "a": {"b" 1}}"#,
    ] {
        assert!(p(bad).is_none(), "{bad}");
        assert!(
            json_ref::read(bad.as_bytes(), &FieldNames::default()).is_none(),
            "{bad}"
        );
    }
}

#[test]
fn nesting_limit_is_serde_jsons() {
    let names = FieldNames::default();
    for depth in 120..135 {
        let line = format!(
            "{{\"status\":401,\"a\":{}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let fast = fast_only(&mut Picker::new(&names), line.as_bytes()).unwrap();
        assert_eq!(
            fast,
            json_ref::read(line.as_bytes(), &names),
            "depth {depth}"
        );
    }
}

#[test]
fn names_longer_than_a_window_and_odd_names() {
    let names = FieldNames {
        status: "http_response_status_code".into(),
        key: "k\\q".into(),
        ip: String::new(),
        ..FieldNames::default()
    };
    let line = br#"{"http_response_status_code":404,"http_response_status_cod":500,"":"9.9.9.9","k\\q":"x"}"#;
    let r = Picker::new(&names).parse(line).unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(r.ip.as_deref(), Some("9.9.9.9"));
    assert_eq!(r.key.as_deref(), Some("x"));
}

#[test]
fn invalid_utf8_costs_only_its_field() {
    let mut line = br#"{"status":401,"path":"/a","key_id":"k","ua":"?"}"#.to_vec();
    let q = line.iter().position(|c| *c == b'?').unwrap();
    line[q] = 0xff;
    let r = parse(&line, &FieldNames::default()).unwrap();
    assert_eq!(
        (r.path.as_deref(), r.key.as_deref()),
        (Some("/a"), Some("k"))
    );
    line = br#"{"status":401,"path":"/?","key_id":"k"}"#.to_vec();
    let q = line.iter().position(|c| *c == b'?').unwrap();
    line[q] = 0xff;
    let r = parse(&line, &FieldNames::default()).unwrap();
    assert_eq!((r.path.as_deref(), r.key.as_deref()), (None, Some("k")));
}

/// A JSON value as generated: rendered with the line's whitespace.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

impl Node {
    fn render(&self, ws: &str, out: &mut String) {
        match self {
            Node::Scalar(s) => out.push_str(s),
            Node::Arr(items) => {
                out.push('[');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    out.push_str(ws);
                    item.render(ws, out);
                }
                out.push(']');
            }
            Node::Obj(fields) => {
                out.push('{');
                for (k, (key, value)) in fields.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    out.push_str(&format!("{ws}\"{key}\"{ws}:{ws}"));
                    value.render(ws, out);
                }
                out.push_str(ws);
                out.push('}');
            }
        }
    }
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[ -!#-\\[\\]-~é]{0,30}\"",
        // Escapes, valid and not.
        "\"([a-z/]|\\\\[\"\\\\/bfnrt]|\\\\u00[0-7][0-9a-f]|\\\\ud83d\\\\ude00|\\\\ud800|\\\\x){0,6}\"",
        "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,4})?([eE][+-]?[0-9])?",
        "[1-5][0-9][0-9]",
        "\"[1-5][0-9]{2}\"",
        "\"[0-9]{1,4}(\\.[0-9])?\"",
        "\"20[0-9]{2}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,3})?(Z|[+-]0[0-9]:?[0-5][0-9])?\"",
        "1[0-9]{9,12}",
        Just("1e400".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("null".to_string()),
    ]
}

/// Keys: the default names, the parts of the ECS names, near misses and fillers; now and
/// then an escaped one.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "status", "key_id", "ip", "path", "method", "ts", "latency_ms", "http", "response",
            "status_code", "request", "url", "client", "user", "id", "@timestamp", "event",
            "duration", "http.response", "url.path", "stat", "err", "message", "ua", "",
        ])
        .prop_map(String::from),
        1 => Just("sta\\u0074us".to_string()),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    scalar()
        .prop_map(Node::Scalar)
        .prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Node::Arr),
                prop::collection::vec((key(), inner), 0..5).prop_map(Node::Obj),
            ]
        })
}

/// A field inserted on purpose: the n-th configured name, written flat (one dotted key),
/// nested (one object per part) or under an unrelated key (where it must not count).
fn known(names: &FieldNames) -> impl Strategy<Value = (usize, Node)> + use<> {
    let names: Vec<String> = names
        .in_slot_order()
        .iter()
        .map(|n| n.to_string())
        .collect();
    (0..7usize, 0..3u8, scalar(), any::<prop::sample::Index>()).prop_map(
        move |(slot, style, value, pos)| {
            let name = &names[slot];
            let node = match style {
                0 => Node::Obj(vec![(name.clone(), Node::Scalar(value))]),
                1 => name.rsplit('.').fold(Node::Scalar(value), |inner, part| {
                    Node::Obj(vec![(part.to_string(), inner)])
                }),
                _ => Node::Obj(vec![(
                    "err".into(),
                    Node::Obj(vec![(name.clone(), Node::Scalar(value))]),
                )]),
            };
            (pos.index(1000), node)
        },
    )
}

/// A line: random fields with the known ones spliced in at random places.
fn line(names: FieldNames) -> impl Strategy<Value = String> {
    (
        prop::collection::vec((key(), node()), 0..8),
        prop::collection::vec(known(&names), 0..6),
        prop::sample::select(vec!["", "", " ", "\t "]),
    )
        .prop_map(|(mut fields, known, ws)| {
            for (pos, node) in known {
                let Node::Obj(mut kv) = node else { continue };
                let at = pos % (fields.len() + 1);
                fields.insert(at, kv.remove(0));
            }
            let mut out = String::new();
            Node::Obj(fields).render(ws, &mut out);
            out
        })
}

fn agrees(names: &FieldNames, lines: &[String]) -> Result<(), TestCaseError> {
    // One picker for all lines, as a worker has: what it remembers from one line (key
    // order, minute) must never change how it reads the next.
    let mut picker = Picker::new(names);
    for line in lines {
        let b = line.as_bytes();
        let want = json_ref::read(b, names);
        match fast_only(&mut picker, b) {
            Ok(got) => prop_assert_eq!(got, want, "{}", line),
            // Only an escaped key on the way to a field leaves the fast path.
            Err(()) => prop_assert!(line.contains("\\u0074"), "{}", line),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn fast_path_agrees_with_serde_on_flat_and_nested_lines(
        lines in prop::collection::vec(line(FieldNames::default()), 1..6),
    ) {
        agrees(&FieldNames::default(), &lines)?;
    }

    #[test]
    fn fast_path_agrees_with_serde_on_ecs_names(lines in prop::collection::vec(line(ecs()), 1..6)) {
        agrees(&ecs(), &lines)?;
    }
}
