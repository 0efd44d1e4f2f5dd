use super::*;
use proptest::prelude::*;

const KEY: &str = "sk_live_ab12cd34ef56gh78ij90kl12mn9f3e";

fn assert_hidden(text: &str, secret: &str) {
    let out = redact(text, &[]);
    assert!(
        !out.contains(secret),
        "{secret} leaked from {text:?}: {out:?}"
    );
    assert_eq!(redact(&out, &[]), out, "not idempotent on {text:?}");
}

#[test]
fn known_and_shaped_secrets_are_masked() {
    let body = "401: key sk_live_ab12cd34ef56gh78ij90kl12mn9f3e invalid; \
                Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345; \
                token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl; my-own-secret-value";
    let out = redact(body, &["my-own-secret-value"]);
    for secret in [
        KEY,
        "abcdefghijklmnopqrstuvwxyz012345",
        "c2lnbmF0dXJl",
        "my-own-secret-value",
    ] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
    assert!(out.contains("sk_live_ab12…9f3e"), "{out}");
    assert!(out.contains("Bearer "), "{out}");
    assert_eq!(redact(&out, &[]), out, "redaction is idempotent");
}

#[test]
fn ordinary_text_is_untouched() {
    for text in [
        "GET /v1/orders/123 returned 401 at 14:02 from 203.0.113.7",
        "key_id=key_revoked customer cus_1001, request req_nc_fail",
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 id 550e8400-e29b-41d4-a716-446655440000",
        "{\"error\":\"invalid_token\",\"token_type\":\"Bearer\"}",
        "Send the key in the X-API-Key header, not Authorization: Bearer",
    ] {
        assert_eq!(redact(text, &[]), text);
    }
}

#[test]
fn credentials_named_by_header_parameter_or_field_are_masked() {
    for (text, secret) in [
        (
            "GET /v1/orders?api_key=Zq81rTe55Wqp01 HTTP/1.1",
            "Zq81rTe55Wqp01",
        ),
        ("/v1/orders?limit=5&key=Zq81rTe55Wqp01", "Zq81rTe55Wqp01"),
        ("X-API-Key: 9a8b7c6d5e4f3a2b", "9a8b7c6d5e4f3a2b"),
        ("x-api-key:9a8b7c6d5e4f3a2b", "9a8b7c6d5e4f3a2b"),
        ("Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"),
        ("Authorization: Bearer shorttok", "shorttok"),
        ("authorization: abc123def", "abc123def"),
        ("curl -d 'token=tok_8d7f6e5d'", "tok_8d7f6e5d"),
        ("{\"password\": \"hunter2!\"}", "hunter2!"),
        ("login with password=hunter2!", "hunter2!"),
        ("{\"access_token\":\"ya29.a0AfH6SMBx\"}", "ya29.a0AfH6SMBx"),
        ("client_secret=s3cr3t-v4lue", "s3cr3t-v4lue"),
        ("https://ops:Pa55word@admin.example.com/v1", "Pa55word"),
        (
            "ghp_1234567890abcdefghijABCDEFGHIJ123456",
            "ghp_1234567890abcdefghij",
        ),
        ("aws AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        (
            "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
            "cXV4cXV1eGNvcmdl",
        ),
    ] {
        assert_hidden(text, secret);
    }
}

#[test]
fn a_secret_glued_to_other_text_is_still_masked() {
    assert_hidden(&format!("({KEY})"), KEY);
    assert_hidden(&format!("key={KEY}&x=1"), KEY);
    assert_hidden(&format!("abcdefghij{KEY}_tail"), KEY);
    assert_hidden("password=hunter2x…", "hunter2x");
}

#[test]
fn masks_are_not_masked_again() {
    let once = redact(
        "password=hunter2 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2ln",
        &[],
    );
    assert!(once.contains("password=…(7 chars)"), "{once}");
    assert!(once.contains("Bearer eyJ…(JWT,"), "{once}");
    assert_eq!(redact(&once, &[]), once);
}

#[test]
fn redacted_text_re_redacts_when_read_back() {
    let smuggled: Redacted = serde_json::from_str(&format!("\"note {KEY}\"")).unwrap();
    assert!(!smuggled.contains(KEY), "{smuggled}");
    assert_eq!(
        Redacted::from(format!("k {KEY}")),
        smuggled.replace("note", "k")
    );
    let json = serde_json::to_string(&Redacted::new("plain")).unwrap();
    assert_eq!(json, "\"plain\"");
}

/// A secret as customers paste it, and the part of it that must never come out.
fn pasted_secret() -> impl Strategy<Value = (String, String)> {
    let body = "[A-Za-z0-9]{24,40}";
    let token = "[A-Za-z0-9._~+/-]{16,48}";
    let b64 = "[A-Za-z0-9_-]{8,60}";
    let loose = "[A-Za-z0-9!@$%^*+=._~-]{8,24}";
    prop_oneof![
        ("(sk|pk|rk)_(live|test)_", body).prop_map(|(p, b)| (format!("{p}{b}"), b)),
        token.prop_map(|t| (format!("Authorization: Bearer {t}"), t)),
        token.prop_map(|t| (format!("authorization: {t}"), t)),
        (b64, b64, b64).prop_map(|(h, c, s)| {
            let jwt = format!("eyJ{h}.{c}.{s}");
            (jwt.clone(), jwt)
        }),
        (
            "(api_key|apikey|access_token|token|password|client_secret|X-API-Key)",
            "(=|: |\": \")",
            loose
        )
            .prop_map(|(n, sep, v)| (format!("{n}{sep}{v}"), v)),
        ("[?&]", body).prop_map(|(q, v)| (format!("/v1/orders{q}key={v}"), v)),
        loose.prop_map(|p| (format!("https://user:{p}@api.example.com/"), p)),
    ]
}

proptest! {
    #[test]
    fn an_embedded_secret_never_survives_redaction(
        before in ".{0,40}",
        sep in "[ \n\t(\"',;]",
        (pasted, secret) in pasted_secret(),
        after in ".{0,40}",
    ) {
        let text = format!("{before}{sep}{pasted}{after}");
        let out = redact(&text, &[]);
        prop_assert!(!out.contains(&secret), "{:?} -> {:?}", text, out);
    }

    #[test]
    fn redaction_is_idempotent(text in ".{0,120}", (pasted, _) in pasted_secret()) {
        for t in [text.clone(), format!("{text} {pasted}")] {
            let once = redact(&t, &[]);
            prop_assert_eq!(redact(&once, &[]), once.clone(), "{:?}", t);
        }
    }

    #[test]
    fn a_known_secret_is_masked_wherever_it_stands(
        before in ".{0,40}",
        secret in "[A-Za-z0-9]{10,30}",
        after in ".{0,40}",
    ) {
        let out = redact(&format!("{before}{secret}{after}"), &[&secret]);
        prop_assert!(!out.contains(&secret), "{}", out);
    }
}

#[test]
fn placeholders_in_runbook_replies_are_left_as_written() {
    for text in [
        "X-API-Key: <key>, or Authorization: Bearer <key>.",
        "curl -H \"X-API-Key: $YOUR_API_KEY\" https://api.example.com/v1/orders",
        "Authorization: Bearer ${TOKEN}",
        "api_key={key} password=****",
    ] {
        assert_eq!(redact(text, &[]), text);
    }
}

#[test]
fn the_built_in_runbooks_read_the_same_after_redaction() {
    for rb in crate::runbook::Catalog::builtin().runbooks {
        for node in &rb.nodes {
            for text in [&node.title, &node.text, &node.help] {
                assert_eq!(
                    &redact(text, &[]),
                    text,
                    "runbook {} node {}",
                    rb.id,
                    node.id
                );
            }
            if let crate::runbook::NodeKind::Outcome(o) = &node.kind {
                for text in std::iter::once(&o.reply).chain(&o.next_steps) {
                    assert_eq!(
                        &redact(text, &[]),
                        text,
                        "runbook {} node {}",
                        rb.id,
                        node.id
                    );
                }
            }
        }
    }
}

#[test]
fn a_key_known_only_by_its_mask_is_found_again_by_fingerprint() {
    let key = "plainkey0q7Zt2Lm9X";
    let masked = MaskedSecret::new(key);
    let note = format!("customer resent {key}, then api_key={key}.");
    let out = Redacted::with_masked(&note, &[&masked]);
    assert!(!out.contains(key), "{out}");
    assert!(out.starts_with("customer resent "), "{out}");
    assert_eq!(
        Redacted::with_masked("nothing here", &[&masked]),
        "nothing here"
    );
}

#[test]
fn a_word_after_token_or_secret_is_prose_not_a_credential() {
    for prose in [
        "Who issued the token: our auth server, or the customer's own identity provider?",
        "The token: expired an hour ago.",
        "secret: none was set",
    ] {
        assert_eq!(redact(prose, &[]), prose);
    }
    for (text, secret) in [
        ("token: s3cr3tvalue", "s3cr3tvalue"),
        ("secret=averyverylongword", "averyverylongword"),
        ("password: sunshine", "sunshine"),
    ] {
        assert!(!redact(text, &[]).contains(secret), "{text}");
    }
}

/// Found by `redaction_is_idempotent`: a Bearer token whose first two `_`-separated runs
/// looked like a `sk_live_` prefix was shown 12 of 16 characters, a mask that itself read as
/// a secret and was masked again.
#[test]
fn a_random_run_before_an_underscore_is_not_a_key_prefix() {
    let t = "Authorization: Bearer aA0AA_0aaaaaAa_a";
    let once = redact(t, &[]);
    assert_eq!(once, "Authorization: Bearer aA0A…Aa_a");
    assert_eq!(redact(&once, &[]), once);
    assert_eq!(
        MaskedSecret::new("sk_live_4eC39HqLyjWDarjtT1zdp7dc").mask(),
        "sk_live_4eC3…p7dc"
    );
}
