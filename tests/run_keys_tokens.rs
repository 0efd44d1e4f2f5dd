//! Keys and tokens that decide the walk by themselves: a truncated key, a key of the other
//! environment, an unusable JWT; and the `[gateway]`/`[[key_format]]` settings `run` shares
//! with `inspect`.

mod common;
use common::Sandbox;

const JUST_THIS_CUSTOMER: &str = "ask-wider-incident=just-this-customer";
/// 40 characters, as the company's keys are.
const KEY: &str = "sk_live_CANARY0123456789canary0123456789";

fn run(sb: &Sandbox, config: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let config = sb.write("authdesk.toml", config);
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend([
        "run",
        "--offline",
        "--format",
        "json",
        "--answer",
        JUST_THIS_CUSTOMER,
    ]);
    all.extend(args);
    let out = sb.run(&all);
    let value = serde_json::from_str(&out.stdout).unwrap_or(serde_json::Value::Null);
    let text = format!("{}{}", out.stderr, out.stdout);
    assert!(
        !text.contains("CANARY0123456789canary"),
        "a key leaked:\n{text}"
    );
    (out.code, value, text)
}

fn request(sb: &Sandbox, host: &str, key: &str) -> String {
    let text = format!("GET /v1/orders HTTP/1.1\nHost: {host}\nX-API-Key: {key}\nAccept: */*\n");
    sb.write("request.http", &text).display().to_string()
}

fn jwt(header: &str, claims: &str) -> String {
    use base64::Engine;
    let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.{}", e(header), e(claims), e("sig"))
}

#[test]
fn truncated_key_reaches_key_never_valid_with_the_truncation_in_the_reply() {
    let sb = Sandbox::new();
    let req = request(&sb, "api.example.com", &KEY[..34]);
    let (code, t, out) = run(&sb, "", &["401", "--request", &req]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "key-never-valid");
    let reply = t["outcome"]["reply"].as_str().unwrap();
    assert!(
        reply.contains("It is 34 characters long, but our keys have 40"),
        "{reply}"
    );
}

#[test]
fn a_key_never_truncated_keeps_the_plain_reply() {
    let sb = Sandbox::new();
    let (code, t, out) = run(
        &sb,
        "",
        &[
            "401",
            "--answer",
            "ask-credential-sent=looks-right",
            "--answer",
            "ask-key-status=not-found",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "key-never-valid");
    let reply = t["outcome"]["reply"].as_str().unwrap();
    assert!(!reply.contains("characters long"), "{reply}");
    assert!(!reply.contains('{') && !reply.contains('['), "{reply}");
}

#[test]
fn test_key_to_the_live_api_reaches_key_wrong_environment() {
    let sb = Sandbox::new();
    let test_key = KEY.replace("_live_", "_test_");
    let req = request(&sb, "api.example.com", &test_key);
    let config = "[gateway]\napi_host = \"api.example.com\"\n";
    let (code, t, out) = run(&sb, config, &["401", "--request", &req]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "key-wrong-environment");
    assert!(
        t["summary"].as_str().unwrap().contains("a test key"),
        "{}",
        t["summary"]
    );
    // A live key to the sandbox, the reverse, needs no configured host.
    let req = request(&sb, "sandbox.api.example.com", KEY);
    let (_, t, out) = run(&sb, "", &["401", "--request", &req]);
    assert_eq!(t["outcome"]["id"], "key-wrong-environment", "{out}");
}

#[test]
fn a_configured_key_format_decides_what_is_too_short() {
    let sb = Sandbox::new();
    // The company moves to 34-character keys: the same paste is no longer truncated.
    let req = request(&sb, "api.example.com", &KEY[..34]);
    let config = "[[key_format]]\nprefix = \"sk_live_\"\nmin_length = 34\nmax_length = 40\nenvironment = \"live\"\n";
    let (code, t, out) = run(
        &sb,
        config,
        &[
            "401",
            "--request",
            &req,
            "--answer",
            "ask-key-status=active",
            "--answer",
            "ask-credential-sent=looks-right",
            "--answer",
            "ask-token=static-key",
            "--answer",
            "ask-rate=steady",
            "--answer",
            "ask-key-match=same",
        ],
    );
    assert_eq!(code, 10, "{out}");
    assert_eq!(t["outcome"]["id"], "escalate-unexplained");
}

#[test]
fn a_bad_key_format_in_the_config_is_a_usage_error_naming_it() {
    let sb = Sandbox::new();
    let config =
        "[[key_format]]\nprefix = \"sk_live_\"\nlength = 40\nenvironment = \"production\"\n";
    let (code, _, out) = run(&sb, config, &["401"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("production"), "{out}");
    let (code, _, out) = run(&sb, "[[key_format]]\nprefx = \"x\"\n", &["401"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("prefx"), "{out}");
}

#[test]
fn inspect_request_reads_the_same_key_formats() {
    let sb = Sandbox::new();
    let req = request(&sb, "api.example.com", &KEY[..34]);
    let config = sb.write(
        "authdesk.toml",
        "[[key_format]]\nprefix = \"sk_live_\"\nlength = 34\nenvironment = \"live\"\n",
    );
    let out = sb.run(&[
        "--config",
        config.to_str().unwrap(),
        "inspect",
        "request",
        &req,
    ]);
    assert!(!out.stdout.contains("key-too-short"), "{}", out.stdout);
    let out = sb.run(&["inspect", "request", &req]);
    assert!(out.stdout.contains("key-too-short"), "{}", out.stdout);
}

#[test]
fn unsigned_jwt_reaches_token_invalid() {
    let sb = Sandbox::new();
    let token = jwt(
        r#"{"alg":"none","typ":"JWT"}"#,
        r#"{"sub":"cus_1001","exp":4102444800}"#,
    );
    let path = sb.write("token.txt", &format!("Authorization: Bearer {token}\n"));
    let (code, t, out) = run(
        &sb,
        "",
        &[
            "401",
            "--jwt",
            path.to_str().unwrap(),
            "--answer",
            "ask-credential-sent=looks-right",
            "--answer",
            "ask-key-status=active",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "token-invalid");
    assert!(
        t["summary"].as_str().unwrap().contains("alg-none"),
        "{}",
        t["summary"]
    );
}

#[test]
fn garbled_jwt_reaches_token_invalid_instead_of_an_error() {
    let sb = Sandbox::new();
    let garbled = format!(
        "{}/tests/fixtures/diagnose/jwt-garbled.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, t, out) = run(
        &sb,
        "",
        &[
            "401",
            "--jwt",
            &garbled,
            "--answer",
            "ask-credential-sent=looks-right",
            "--answer",
            "ask-key-status=active",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(t["outcome"]["id"], "token-invalid");
    assert!(t["summary"].as_str().unwrap().contains("malformed"));
}

#[test]
fn jwt_for_another_audience_reaches_token_invalid_when_the_audience_is_configured() {
    let sb = Sandbox::new();
    let token = jwt(
        r#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#,
        r#"{"aud":"https://billing.example.com","sub":"cus_1001","exp":4102444800}"#,
    );
    let path = sb.write("token.txt", &token);
    let path = path.to_str().unwrap();
    let answers = [
        "--answer",
        "ask-credential-sent=looks-right",
        "--answer",
        "ask-key-status=active",
    ];
    let mut args = vec!["401", "--jwt", path];
    args.extend(answers);
    let config = "[gateway]\njwt_audience = \"https://api.example.com\"\n";
    let (_, t, out) = run(&sb, config, &args);
    assert_eq!(t["outcome"]["id"], "token-invalid", "{out}");
    // Without the setting the same token is judged by its times only.
    let (_, t, out) = run(&sb, "", &args);
    assert_eq!(t["node"], "ask-rate", "{out}");
}
