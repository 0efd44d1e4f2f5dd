//! Cases from the world outside the trees (issue 14, re-checked): what customers actually
//! paste — gateways' documented error bodies, curl lines with odd quoting, tokens from skewed
//! clocks, unset variables — run through the real diagnostics, then walked to the ticket. Each
//! asserts the outcome, who it goes to, how severe it is and the reply's key sentence; a reply
//! must also never say what is untrue or private for that key.

mod common;

use authdesk::diagnose::{
    JwtContext, RequestContext, facts_from_jwt, facts_from_request, facts_from_response,
};
use authdesk::facts::{FactSource, FactValue, Facts};
use authdesk::runbook::{Catalog, Severity};
use authdesk::ticket::Ticket;
use base64::Engine;
use common::cases::{assert_case, runbook, start, ticket as walk};
use common::now;

/// What a diagnostic read from a paste, as the walk receives it.
fn diagnosed(found: Vec<(&'static str, FactValue)>) -> Facts {
    let mut f = Facts::new();
    for (name, value) in found {
        let fact = authdesk::facts::Fact {
            value,
            source: FactSource::Diagnostics,
            at: now(),
            evidence: None,
        };
        f.insert(name, fact).unwrap();
    }
    f
}

fn response(text: &str) -> Facts {
    diagnosed(facts_from_response(text, now()).unwrap())
}

fn request(text: &str, ctx: &RequestContext) -> Facts {
    diagnosed(facts_from_request(text, ctx).unwrap())
}

fn jwt(token: &str) -> Facts {
    diagnosed(facts_from_jwt(token, &JwtContext::at(now())).unwrap())
}

/// A signed-looking JWT (the signature is never checked) with claims relative to `now()`.
fn token(iss: &str, iat_s: i64, exp_s: i64) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let t = now().timestamp();
    let claims = format!(
        r#"{{"iss":"{iss}","sub":"svc-sync","iat":{},"nbf":{},"exp":{}}}"#,
        t + iat_s,
        t + iat_s,
        t + exp_s
    );
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(r#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#),
        b64(&claims)
    )
}

/// The same key read from `Authorization: Bearer` (an OAuth client).
const BEARER: &[(&str, &str)] = &[
    ("key.accepted_header", "Authorization"),
    ("key.accepted_scheme", "Bearer"),
    ("key.credential_header", "Authorization: Bearer <your key>"),
];

/// The question the case stops at before any answer.
fn asks(rb: &str, extra: &[(&str, &str)], pasted: &[Facts]) -> String {
    let rb = runbook(rb);
    let walk = start(&rb, extra, pasted, &[]);
    assert!(!walk.is_finished(&rb), "decided without asking");
    walk.current().to_string()
}

fn assert_reply_lacks(t: &Ticket, words: &[&str]) {
    for w in words {
        assert!(
            !t.outcome.reply.contains(w),
            "{}: reply says {w:?}:\n{}",
            t.outcome.id,
            t.outcome.reply
        );
    }
}

// --- Tokens: "expired" is the gateway's conclusion, not the cause ------------------------------

/// Apigee's default OAuthV2 fault for an expired access token (the Apigee OAuthV2 runtime
/// error reference: `keymanagement.service.access_token_expired`, 401).
const APIGEE_TOKEN_EXPIRED: &str = "HTTP/1.1 401 Unauthorized\n\
    Content-Type: application/json\n\n\
    {\"fault\":{\"faultstring\":\"Access Token expired\",\
    \"detail\":{\"errorcode\":\"keymanagement.service.access_token_expired\"}}}";

#[test]
fn apigee_says_access_token_expired_and_the_walk_asks_why_before_answering() {
    // An opaque Apigee token: nothing to decode, so the agent is asked how it fails.
    let pasted = [response(APIGEE_TOKEN_EXPIRED)];
    assert_eq!(asks("401", BEARER, &pasted), "ask-token-timing");
    let t = walk("401", BEARER, &pasted, &["ask-token-timing=refresh-failed"]);
    assert_case(
        &t,
        "refresh-token-expired",
        None,
        Severity::Low,
        "its refresh token is no longer valid",
    );
}

#[test]
fn expired_in_the_response_from_a_skewed_customer_clock_is_clock_skew() {
    let pasted = [response(APIGEE_TOKEN_EXPIRED)];
    let t = walk(
        "401",
        BEARER,
        &pasted,
        &["ask-token-timing=right-away", "ask-whose-clock=theirs"],
    );
    assert_case(
        &t,
        "clock-skew",
        None,
        Severity::Low,
        "the clock on your server and ours disagree",
    );
    assert_reply_lacks(&t, &["not refreshed", "80% of its lifetime"]);
}

#[test]
fn cognito_expired_with_a_stale_jwt_pasted_decides_from_the_token() {
    // AWS API Gateway with a Cognito authorizer: 401 {"message":"The incoming token has
    // expired"} (API Gateway developer guide, gateway responses). The token expired 2 h ago.
    let pasted = [
        response(
            "HTTP/2 401\ncontent-type: application/json\nx-amzn-errortype: UnauthorizedException\n\n\
             {\"message\":\"The incoming token has expired\"}",
        ),
        jwt(&token(
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12",
            -10_800,
            -7_200,
        )),
    ];
    let t = walk("401", BEARER, &pasted, &[]);
    assert_case(
        &t,
        "token-expired",
        None,
        Severity::Low,
        "Your requests use an access token that has expired.",
    );
    assert!(t.summary.contains("7200 s past expiry"), "{}", t.summary);
}

#[test]
fn an_invalid_token_challenge_with_an_expired_jwt_still_ends_at_token_expired() {
    // RFC 6750 §3.1 challenge with and without the expiry description.
    for challenge in [
        "Bearer realm=\"api\", error=\"invalid_token\"",
        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"",
    ] {
        let pasted = [
            response(&format!(
                "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: {challenge}\nContent-Length: 0\n\n"
            )),
            jwt(&token("https://auth.example.com", -4_000, -400)),
        ];
        let t = walk("401", BEARER, &pasted, &[]);
        assert_case(
            &t,
            "token-expired",
            None,
            Severity::Low,
            "refreshing when 80% of its lifetime has passed",
        );
    }
}

#[test]
fn envoy_says_jwt_is_expired_for_a_token_still_valid_by_our_clock_and_asks() {
    // Envoy jwt_authn's plain-text body (source/common/jwt/status.cc). The pasted token
    // still has 20 minutes left by our clock, so "stale" cannot be the answer yet.
    let pasted = [
        response(
            "HTTP/1.1 401 Unauthorized\n\
             www-authenticate: Bearer realm=\"https://api.example.com/v1/orders\", error=\"invalid_token\"\n\
             content-type: text/plain\n\nJwt is expired",
        ),
        jwt(&token("https://auth.example.com", -600, 1_200)),
    ];
    assert_eq!(asks("401", BEARER, &pasted), "ask-token-timing");
}

#[test]
fn envoy_says_jwt_not_yet_valid_and_the_walk_goes_to_whose_clock() {
    let pasted = [response(
        "HTTP/1.1 401 Unauthorized\n\
         www-authenticate: Bearer realm=\"https://api.example.com/v1/reports\", error=\"invalid_token\"\n\
         content-length: 17\ncontent-type: text/plain\n\nJwt not yet valid",
    )];
    assert_eq!(asks("401", BEARER, &pasted), "ask-whose-clock");
    let t = walk("401", BEARER, &pasted, &["ask-whose-clock=theirs"]);
    assert_case(
        &t,
        "clock-skew",
        None,
        Severity::Low,
        "Please enable time synchronisation",
    );
}

// --- Requests as customers paste them ---------------------------------------------------------

#[test]
fn a_curl_with_continuations_and_authorization_bearer_without_space_is_the_wrong_header() {
    let curl = "curl -sS -X GET \\\n  \"https://api.example.com/v1/orders?limit=10\" \\\n  \
                -H 'authorization:bearer  sk_live_4eC39HqLyjWDarjtT1zdp7dcXq8RmN2v' \\\n  \
                -H \"Accept: application/json\"";
    let pasted = [request(curl, &RequestContext::default())];
    let t = walk("401", &[], &pasted, &[]);
    assert_case(
        &t,
        "bad-header-format",
        None,
        Severity::Low,
        "X-API-Key: <your key>",
    );
    assert_reply_lacks(&t, &["4eC39HqLyjWDarjtT1zdp7dcXq8RmN2v"]);
}

#[test]
fn the_same_odd_spacing_to_a_bearer_gateway_is_no_header_problem() {
    // RFC 9110 §11.4 allows one or more spaces after the scheme, and schemes are
    // case-insensitive: `authorization:bearer  <key>` is well formed there.
    let ctx = RequestContext {
        expect_header: "Authorization".into(),
        expect_scheme: Some("Bearer".into()),
        ..RequestContext::default()
    };
    let found = facts_from_request(
        "curl https://api.example.com/v1/payments -H 'authorization:bearer  sk_live_4eC39HqLyjWDarjtT1zdp7dcXq8RmN2v'",
        &ctx,
    )
    .unwrap();
    assert!(
        found.contains(&("request.header_problem", FactValue::Text("none".into()))),
        "{found:?}"
    );
}

#[test]
fn a_node_app_sending_x_api_key_undefined_is_told_the_variable_is_unset() {
    // Raw request headers from the customer's HTTP debug log: process.env.API_KEY was unset.
    let raw = "GET /v1/orders HTTP/1.1\r\nHost: api.example.com\r\nX-API-Key: undefined\r\n\
               User-Agent: axios/1.7.2\r\nAccept: application/json\r\n\r\n";
    let pasted = [request(raw, &RequestContext::default())];
    let t = walk(
        "401",
        &[("failures.top_reason", "invalid_key")],
        &pasted,
        &[],
    );
    assert_case(
        &t,
        "key-variable-unset",
        None,
        Severity::Low,
        "The variable your application reads the key from is not set",
    );
    assert!(t.outcome.reply.contains("X-API-Key: <your key>"));
}

#[test]
fn a_python_app_sending_none_or_an_unexpanded_variable_is_the_same_case() {
    for header in [
        "X-API-Key: None",
        "X-API-Key: ${AUTHDESK_API_KEY}",
        "X-API-Key:",
    ] {
        let raw = format!("GET /v1/orders HTTP/1.1\nHost: api.example.com\n{header}\n\n");
        let pasted = [request(&raw, &RequestContext::default())];
        let t = walk("401", &[], &pasted, &[]);
        assert_eq!(t.outcome.id, "key-variable-unset", "{header}");
    }
}

#[test]
fn a_key_read_from_a_file_with_its_trailing_newline_fails_in_the_app_not_in_curl() {
    // The customer's curl (`-H "X-API-Key: $(cat key.txt)"` strips the newline) works; the
    // service reads key.txt itself and sends the newline, which the gateway logs as a
    // malformed credential.
    let curl = "curl -i https://api.example.com/v1/orders \\\n  \
                -H \"X-API-Key: sk_live_4eC39HqLyjWDarjtT1zdp7dcXq8RmN2v\"";
    let pasted = [request(curl, &RequestContext::default())];
    let extra = [("failures.top_reason", "malformed_credentials")];
    assert_eq!(asks("401", &extra, &pasted), "ask-credential-lost");
    let t = walk(
        "401",
        &extra,
        &pasted,
        &["ask-credential-lost=secret-not-loaded"],
    );
    assert_case(
        &t,
        "works-in-curl-not-app",
        None,
        Severity::Low,
        "the value read from a .env file ends with a line break",
    );
}

#[test]
fn a_test_key_sent_to_the_live_api_is_the_other_environment() {
    let ctx = RequestContext {
        api_host: Some("api.example.com".into()),
        ..RequestContext::default()
    };
    let curl = "curl --location 'https://api.example.com/v1/orders' \\\n\
                --header 'X-API-Key: sk_test_51Hx9PqLyjWDarjtT1zdp7dcABcD3eF4'";
    let pasted = [request(curl, &ctx)];
    let t = walk("401", &[("key.env", "live")], &pasted, &[]);
    assert_case(
        &t,
        "key-wrong-environment",
        None,
        Severity::Low,
        "Your requests send a test key to an API of the other environment",
    );
}

// --- 403: who refused? -----------------------------------------------------------------------

/// Cloudflare's block page for a WAF custom rule (error 1020), trimmed as customers paste it
/// from `curl -i` (Cloudflare docs, "Error 1020: Access denied").
const CLOUDFLARE_1020: &str = "HTTP/2 403\n\
    date: Sun, 22 Nov 2026 09:58:12 GMT\n\
    content-type: text/html; charset=UTF-8\n\
    server: cloudflare\n\
    cf-ray: 8e4f2a9c1b7d3e21-FRA\n\n\
    <!DOCTYPE html><html><head><title>Access denied | api.example.com used Cloudflare to \
    restrict access</title></head><body><div class=\"cf-error-details\"><h1>Access denied</h1>\
    <p>The site owner may have set restrictions that prevent you from accessing the site.</p>\
    <ul><li>Ray ID: 8e4f2a9c1b7d3e21</li><li>Error code: 1020</li></ul></div></body></html>";

#[test]
fn a_cloudflare_block_page_goes_to_security_not_to_the_key() {
    let pasted = [response(CLOUDFLARE_1020)];
    let t = walk(
        "403",
        &[("method", "POST"), ("endpoint", "/v1/payments")],
        &pasted,
        &[],
    );
    assert_case(
        &t,
        "escalate-waf-blocked",
        Some("security"),
        Severity::Medium,
        "the web application firewall in front of it blocked the request before your key was checked",
    );
    assert!(t.outcome.ask.is_some());
}

#[test]
fn cloudflares_sorry_you_have_been_blocked_page_is_the_same_block() {
    let page = "HTTP/1.1 403 Forbidden\nServer: cloudflare\nCF-RAY: 8e4f2a9c1b7d3e22-AMS\n\
                Content-Type: text/html\n\n<html><head><title>Attention Required! | Cloudflare\
                </title></head><body><h1>Sorry, you have been blocked</h1><h2>You are unable \
                to access api.example.com</h2></body></html>";
    let t = walk("403", &[], &[response(page)], &[]);
    assert_eq!(t.outcome.id, "escalate-waf-blocked");
}

#[test]
fn our_own_scope_check_is_a_missing_scope_not_a_firewall() {
    // The gateway's RFC 6750 §3.1 answer for a key without the scope.
    let pasted = [response(
        "HTTP/1.1 403 Forbidden\n\
         WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"refunds:write\"\n\
         Content-Type: application/json\n\n{\"error\":\"insufficient_scope\"}",
    )];
    let t = walk(
        "403",
        &[
            ("method", "POST"),
            ("endpoint", "/v1/refunds"),
            ("scopes.sufficient", "false"),
            ("scopes.missing", "refunds:write"),
        ],
        &pasted,
        &[],
    );
    assert_case(
        &t,
        "insufficient-scope",
        None,
        Severity::Low,
        "needs a permission (scope) that your API key does not have: refunds:write",
    );
}

#[test]
fn kongs_rate_limit_answered_as_403_is_the_rate_limit() {
    // Kong rate-limiting's body (kong/plugins/rate-limiting/handler.lua) behind a route that
    // maps 429 to 403, with the headers Kong sets.
    let pasted = [response(
        "HTTP/1.1 403 Forbidden\nRetry-After: 31\nX-RateLimit-Limit-Minute: 600\n\
         X-RateLimit-Remaining-Minute: 0\nRateLimit-Remaining: 0\n\
         Content-Type: application/json; charset=utf-8\n\n{\"message\":\"API rate limit exceeded\"}",
    )];
    let t = walk("403", &[("status", "403")], &pasted, &[]);
    assert_case(
        &t,
        "rate-limit-edge",
        None,
        Severity::Low,
        "our gateway answers 403 on some routes and 429 on others",
    );
}

#[test]
fn aws_api_gateways_forbidden_for_a_request_without_a_key_is_the_missing_key() {
    // API Gateway with `apiKeyRequired`: no x-api-key header gets 403 {"message":"Forbidden"}
    // (AWS knowledge center "api-gateway-403-error-lambda-authorizer"; the usual Stack
    // Overflow thread "Using an API key in Amazon API Gateway").
    let curl = "curl -X POST https://api.example.com/v1/orders \\\n  \
                -H 'Content-Type: application/json' \\\n  -d '{\"sku\":\"A-1\",\"qty\":2}'";
    let pasted = [
        request(curl, &RequestContext::default()),
        response(
            "HTTP/2 403\ncontent-type: application/json\nx-amzn-errortype: ForbiddenException\n\
             x-amzn-requestid: 6f1c2a4e-1111-4a2b-9c3d-0e5f6a7b8c9d\n\n{\"message\":\"Forbidden\"}",
        ),
    ];
    let t = walk("403", &[("status", "403")], &pasted, &[]);
    assert_case(
        &t,
        "missing-credentials",
        None,
        Severity::Low,
        "The failing requests reach us without any API key",
    );
}

#[test]
fn aws_api_gateways_forbidden_for_a_key_we_do_not_know_is_a_key_that_was_never_valid() {
    // API Gateway answers an x-api-key it does not know with the same bare 403
    // {"message":"Forbidden"} (AWS knowledge center "api-gateway-troubleshoot-403-forbidden";
    // Stack Overflow 39061041): the key is sent, so only the admin API's 404 tells.
    let curl =
        "curl https://api.example.com/v1/orders -H 'x-api-key: sk_live_Zq8rT2wX9mK4pL7vN3bY6cF1'";
    let pasted = [
        request(curl, &RequestContext::default()),
        response(
            "HTTP/2 403\ncontent-type: application/json\nx-amzn-errortype: ForbiddenException\n\n\
             {\"message\":\"Forbidden\"}",
        ),
    ];
    let t = walk(
        "403",
        &[("status", "403"), ("key.status", "not_found")],
        &pasted,
        &[],
    );
    assert_case(
        &t,
        "key-never-valid",
        None,
        Severity::Low,
        "does not match any active key for this environment",
    );
}

#[test]
fn a_suspended_account_answered_with_403_says_we_suspended_it() {
    let pasted = [response(
        "HTTP/1.1 403 Forbidden\nContent-Type: application/json\n\n\
         {\"error\":\"forbidden\",\"message\":\"Forbidden\"}",
    )];
    let t = walk(
        "403",
        &[("status", "403"), ("customer.status", "suspended")],
        &pasted,
        &[],
    );
    assert_case(
        &t,
        "account-suspended",
        None,
        Severity::Medium,
        "We have suspended your account on our side",
    );
}

// --- Revoked keys: who did it decides the reply, and the reply never names them ----------------

#[test]
fn a_key_revoked_by_the_agency_that_owns_it_never_names_the_agency_to_the_customer() {
    // Training scenario key-from-the-agency: the key belongs to the agency's account.
    let t = walk(
        "401",
        &[
            ("customer_id", "cus_2081"),
            ("key.customer_id", "cus_2082"),
            ("key.status", "revoked"),
            ("key.revoked_at", "2026-11-22T01:00:00Z"),
            ("key.revoked_by", "ops.brightpixel@example.com"),
            (
                "key.revoke_reason",
                "Client offboarding: keys of finished projects revoked",
            ),
        ],
        &[],
        &[],
    );
    assert_case(
        &t,
        "key-revoked",
        None,
        Severity::Medium,
        "by an administrator of the account it belongs to",
    );
    assert_reply_lacks(&t, &["brightpixel", "@", "offboarding"]);
    assert!(
        t.summary.contains("ops.brightpixel@example.com"),
        "{}",
        t.summary
    );
}

#[test]
fn a_key_the_customers_admin_revoked_during_a_rotation_is_the_leftover_deployment() {
    let t = walk(
        "401",
        &[
            ("key.status", "revoked"),
            ("key.revoked_by", "it-admin@northwindbooks.example"),
            ("key.revoked_at", "2026-11-21T18:00:00Z"),
            ("audit.key_rotated_at", "2026-11-21T17:55:00Z"),
            ("failures.top_reason", "revoked_key"),
        ],
        &[],
        &[],
    );
    assert_case(
        &t,
        "rotation-leftover",
        None,
        Severity::Low,
        "Some part of your system",
    );
    assert_reply_lacks(&t, &["it-admin"]);
}

#[test]
fn a_key_our_staff_revoked_for_another_reason_says_we_did_without_naming_anyone() {
    let t = walk(
        "401",
        &[
            ("key.status", "revoked"),
            ("key.revoked_by", "j.doe@authdesk.example"),
            (
                "key.revoke_reason",
                "Scraping in breach of ToS §4.2, ticket ABUSE-311",
            ),
        ],
        &[],
        &[],
    );
    assert_case(
        &t,
        "key-revoked-by-us",
        None,
        Severity::Medium,
        "We revoked this API key on our side",
    );
    assert_reply_lacks(
        &t,
        &["j.doe", "ABUSE-311", "an administrator of the account"],
    );
}

#[test]
fn no_reply_of_any_tree_quotes_who_acted_or_the_internal_reason() {
    // Staff identities and free-text notes are for the ticket, never for the customer.
    let private = [
        "{key.revoked_by}",
        "{audit.role_changed_by}",
        "{audit.scopes_changed_by}",
        "{audit.ip_rules_changed_by}",
        "{key.revoke_reason}",
    ];
    let catalog = Catalog::builtin();
    for name in ["401", "403"] {
        let rb = catalog.find(name).unwrap();
        let source = std::fs::read_to_string(format!(
            "{}/runbooks/{}.toml",
            env!("CARGO_MANIFEST_DIR"),
            rb.id
        ))
        .unwrap();
        for reply in source.split("reply = \"\"\"").skip(1) {
            let reply = reply.split("\"\"\"").next().unwrap();
            for p in private {
                // The leaked-key reply names where the key leaked: that is the customer's to know.
                let leak_location =
                    p == "{key.revoke_reason}" && reply.contains("because it was exposed publicly");
                assert!(
                    leak_location || !reply.contains(p),
                    "{name}: a reply quotes {p}:\n{reply}"
                );
            }
        }
    }
}

// --- Wider signals --------------------------------------------------------------------------

#[test]
fn several_customers_of_one_cell_at_once_escalate_even_when_this_key_is_rate_limited() {
    let t = walk(
        "403",
        &[
            ("incident.customers_affected", "3"),
            ("incident.cell", "ap-1"),
            ("failures.top_reason", "rate_limited"),
        ],
        &[],
        &[],
    );
    assert_case(
        &t,
        "escalate-multi-customer",
        Some("auth-platform"),
        Severity::High,
        "Other customers are reporting similar authentication errors",
    );
}

// --- The gateway's own reason when the address is unknown -------------------------------------

/// `ACTIVE` without `ip.allowed`: no client address at intake, none the logs could give.
fn address_unknown(
    rb: &authdesk::runbook::Runbook,
    extra: &[(&str, &str)],
) -> authdesk::walk::Walk {
    let mut f = common::cases::facts(common::cases::ACTIVE);
    f.remove("ip.allowed");
    f.extend(&common::cases::facts(extra));
    authdesk::walk::Walk::start(rb, f, now()).unwrap()
}

#[test]
fn the_gateway_logging_ip_not_allowed_decides_when_the_address_is_unknown() {
    let rb = runbook("403");
    let walk = address_unknown(&rb, &[("failures.top_reason", "ip_not_allowed")]);
    assert!(walk.is_finished(&rb), "asked at {}", walk.current());
    let cx = authdesk::ticket::Context {
        agent: "test-agent",
        demo_data: false,
        now: now(),
        related: &[],
    };
    let t = Ticket::from_walk(&rb, &walk, &cx).unwrap();
    assert_case(
        &t,
        "ip-not-allowed",
        None,
        Severity::Medium,
        "not on the allowlist for this API key",
    );
    // Without the gateway's word the agent is still asked, and a known address still decides.
    let walk = address_unknown(&rb, &[]);
    assert_eq!(walk.current(), "ask-ip");
    let t = walk_403_known_inside_with_logged_refusals();
    assert_ne!(t.outcome.id, "ip-not-allowed", "{}", t.summary);
}

/// An address known to be inside the allowlist is a hard fact; the 24-hour top reason does
/// not overrule it.
fn walk_403_known_inside_with_logged_refusals() -> Ticket {
    walk(
        "403",
        &[("failures.top_reason", "ip_not_allowed")],
        &[],
        &["ask-403-other=nothing"],
    )
}

#[test]
fn an_outage_seen_by_one_customer_asks_in_words_that_count_right() {
    let t = walk(
        "401",
        &[
            ("health.status", "down"),
            ("incident.customers_affected", "1"),
        ],
        &[],
        &[],
    );
    assert_eq!(t.outcome.id, "escalate-validation-down");
    let ask = t.outcome.ask.as_ref().expect("an escalation asks");
    assert!(!ask.urgency.contains("1 customers"), "{}", ask.urgency);
    assert!(
        ask.urgency
            .contains("customers above their 401/403 baseline now: 1"),
        "{}",
        ask.urgency
    );
}

#[test]
fn a_block_pages_ray_id_reaches_the_firewall_team_without_asking_the_customer_again() {
    // The customer pasted the page with its Ray ID; the security engineer needs it to find the
    // rule, and it must not take a round trip to the customer.
    let t = walk("403", &[], &[response(CLOUDFLARE_1020)], &[]);
    assert_eq!(t.outcome.id, "escalate-waf-blocked");
    let ask = t.outcome.ask.as_ref().expect("an escalation asks");
    assert!(ask.need.contains("8e4f2a9c1b7d3e21-FRA"), "{}", ask.need);
    assert!(
        t.summary
            .as_str()
            .contains("block reference 8e4f2a9c1b7d3e21-FRA")
    );
    // Without the header, the Ray ID printed on the page is the reference.
    let page = CLOUDFLARE_1020.replace("cf-ray: 8e4f2a9c1b7d3e21-FRA\n", "");
    let t = walk("403", &[], &[response(&page)], &[]);
    let need = &t.outcome.ask.as_ref().expect("asks").need;
    assert!(
        need.contains("block reference: 8e4f2a9c1b7d3e21)"),
        "{need}"
    );
}

// --- Hard facts the trees read before the paste and the statistics (issue 14, items 1 and 4) -

#[test]
fn a_403_on_a_disabled_key_ends_at_the_disabled_key_not_unexplained() {
    // The customer says 403; the gateway answers 401 for the disabled key itself.
    let t = walk(
        "403",
        &[("status", "403"), ("key.status", "disabled")],
        &[],
        &[],
    );
    assert_case(
        &t,
        "key-disabled",
        None,
        Severity::Low,
        "The API key your requests use is disabled on your account.",
    );
}

#[test]
fn a_403_on_a_revoked_or_expired_key_reaches_the_401_trees_outcomes() {
    let revoked = walk(
        "403",
        &[
            ("key.status", "revoked"),
            ("key.revoked_by", "secret-scanning"),
            ("key.revoke_reason", "leaked in a public repo"),
        ],
        &[],
        &[],
    );
    assert_case(
        &revoked,
        "key-revoked-leaked",
        None,
        Severity::High,
        "because it was exposed publicly",
    );
    let expired = walk("403", &[("key.status", "expired")], &[], &[]);
    assert_case(
        &expired,
        "key-expired",
        None,
        Severity::Low,
        "The API key your requests use expired",
    );
}

#[test]
fn a_401_refused_by_the_service_behind_the_gateway_goes_to_tier_2() {
    let t = walk("401", &[("failures.upstream_decided", "true")], &[], &[]);
    assert_case(
        &t,
        "escalate-upstream-refused",
        Some("api-support-tier2"),
        Severity::Medium,
        "the refusal comes from the service behind it",
    );
    // Sessions ending are the upstream's own 401s too: a normal rate still reads as expected.
    let t = walk(
        "401",
        &[
            ("failures.upstream_decided", "true"),
            ("logs.band_401", "normal"),
        ],
        &[],
        &[],
    );
    assert_eq!(t.outcome.id, "expected-401");
}

/// A curl line sending a key in the wrong header (Authorization where X-API-Key is read).
const OTHER_KEY_CURL: &str = "curl https://api.example.com/v1/orders \\\n  \
     -H 'Authorization: Bearer sk_live_DEMOhealthy012345678901234567890'";

#[test]
fn another_keys_request_does_not_decide_before_the_disabled_key_in_question() {
    let pasted = [request(OTHER_KEY_CURL, &RequestContext::default())];
    // The record of the key in question: another fingerprint than the pasted key's.
    let this_key = [
        ("key.status", "disabled"),
        ("key.fingerprint", "sha256:0123456789ab"),
    ];
    let t = walk("401", &this_key, &pasted, &[]);
    assert_case(
        &t,
        "key-disabled",
        None,
        Severity::Low,
        "The API key your requests use is disabled on your account.",
    );
    assert!(
        t.contradictions.iter().any(|c| c.fact == "key"),
        "{:?}",
        t.contradictions
    );
}

#[test]
fn the_key_in_questions_own_request_still_shows_its_header_problem() {
    let pasted = [request(OTHER_KEY_CURL, &RequestContext::default())];
    let sent = authdesk::secret::Fingerprint::of("sk_live_DEMOhealthy012345678901234567890");
    let same = format!("sha256:{}", sent.hex());
    // The same key, disabled: the paste shows what the customer sends, and it is the header.
    let t = walk(
        "401",
        &[("key.status", "disabled"), ("key.fingerprint", &same)],
        &pasted,
        &[],
    );
    assert_eq!(t.outcome.id, "bad-header-format", "{}", t.summary);
    // Another key, but the key in question is active: nothing about it explains the
    // failures, so the paste's finding stands.
    let t = walk(
        "401",
        &[("key.fingerprint", "sha256:0123456789ab")],
        &pasted,
        &[],
    );
    assert_eq!(t.outcome.id, "bad-header-format", "{}", t.summary);
}

#[test]
fn the_firewall_reply_asks_for_the_ray_id_only_when_the_page_gave_none() {
    let t = walk("403", &[], &[response(CLOUDFLARE_1020)], &[]);
    assert_case(
        &t,
        "escalate-waf-blocked",
        Some("security"),
        Severity::Medium,
        "We have passed on the reference shown on the error page (8e4f2a9c1b7d3e21-FRA)",
    );
    assert_reply_lacks(&t, &["Ray ID or reference number"]);
    // A page without a Ray ID or reference: the customer is asked for it.
    let page = "HTTP/1.1 403 Forbidden\nServer: cloudflare\n\
                Content-Type: text/html\n\n<html><head><title>Attention Required! | Cloudflare\
                </title></head><body><h1>Sorry, you have been blocked</h1></body></html>";
    let t = walk("403", &[], &[response(page)], &[]);
    assert_case(
        &t,
        "escalate-waf-blocked",
        Some("security"),
        Severity::Medium,
        "please reply with the Ray ID or reference number shown on the error page",
    );
    assert_reply_lacks(&t, &["We have passed on the reference"]);
}
