//! A canary secret put through every path a secret can take (the intake key, an error body
//! that quotes it, a bearer token in free text) is found in no output and no file, only
//! masked.

mod common;
use common::Sandbox;

const CANARY_KEY: &str = "sk_live_CANARY7f3a9b2c4d5e6f708192a3b4";
const CANARY_TOKEN: &str = "CANARYtokenQWERTYUIOPasdfghjkl1234567890";

fn assert_no_canary(sb: &Sandbox, outputs: &[&common::Output]) {
    for out in outputs {
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains("CANARY"), "canary printed:\n{text}");
        }
    }
    for (path, text) in sb.all_files() {
        assert!(
            !text.contains("CANARY"),
            "canary written to {}:\n{text}",
            path.display()
        );
    }
}

#[test]
fn canary_secret_never_leaves_masked_form() {
    let sb = Sandbox::new();
    let body = format!(
        "{{\"error\":\"invalid key {CANARY_KEY}\",\"hint\":\"Authorization: Bearer {CANARY_TOKEN}\"}}"
    );
    let key = format!("--input=key={CANARY_KEY}");
    let error_body = format!("--input=error_body={body}");
    let base = [
        "run",
        "401",
        "--offline",
        &key,
        &error_body,
        "--input",
        "key_id=key_42",
    ];

    let mut needs = base.to_vec();
    needs.extend(["--format", "json"]);
    let asked = sb.run(&needs);
    assert_eq!(asked.code, 3, "{}", asked.stderr);

    let mut done = base.to_vec();
    done.extend([
        "--answer",
        "ask-wider-incident=just-this-customer",
        "--answer",
        "ask-key-status=active",
        "--answer",
        "ask-credential-sent=malformed",
    ]);
    let md = sb.run(&done);
    assert_eq!(md.code, 0, "{}", md.stderr);
    done.extend(["--format", "json"]);
    let json = sb.run(&done);
    assert_eq!(json.code, 0, "{}", json.stderr);

    assert_no_canary(&sb, &[&asked, &md, &json]);
    assert!(
        md.stdout.contains("sk_live_CANA…a3b4"),
        "the mask is shown:\n{}",
        md.stdout
    );
    assert_eq!(sb.tickets().len(), 2);
}

#[test]
fn canary_in_a_bad_input_is_not_echoed() {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        &format!("--input=colour={CANARY_KEY}"),
    ]);
    assert_eq!(out.code, 2);
    assert_no_canary(&sb, &[&out]);
}

/// Issue 9 item 1: what agents paste besides prefixed keys (a key in a query parameter, an
/// `X-API-Key` header, a password) is masked in `run`'s output and ticket files too.
#[test]
fn secrets_named_by_parameter_header_or_field_are_masked_by_run() {
    let sb = Sandbox::new();
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--input=endpoint=/v1/orders?api_key=CANARYqueryZq81rTe55",
        "--input=error_body=X-API-Key: CANARYheader9a8b7c6d\npassword=CANARYpw!",
        "--input",
        "key_id=key_42",
        "--answer",
        "ask-wider-incident=just-this-customer",
        "--answer",
        "ask-key-status=active",
        "--answer",
        "ask-credential-sent=malformed",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_no_canary(&sb, &[&out]);
    assert!(out.stdout.contains("/v1/orders?api_key="), "{}", out.stdout);
    assert_eq!(sb.tickets().len(), 1);
}
