//! Every answer of the demo admin API, over real loopback HTTP, validates against the response
//! schema `assets/admin-api.yaml` gives for its path and status.

mod common;

use authdesk::admin::demo::{DemoData, DemoOptions, DemoServer};
use common::strs;
use serde_json::{Value, json};
use std::net::{Ipv4Addr, SocketAddr};

const TOKEN: &str = "contract-test-token";

fn contract() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/admin-api.yaml"
    ))
    .unwrap();
    let mut doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    // The demo must say exactly what the contract says (real adapters may say more), so its
    // objects are checked with no extra members allowed.
    close_objects(&mut doc["components"]["schemas"]);
    doc
}

fn close_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let is_object = map.get("properties").is_some();
            for child in map.values_mut() {
                close_objects(child);
            }
            if is_object && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// The schema of the response to `GET path_template` with `status`, as the contract says.
fn response_schema(doc: &Value, template: &str, status: u16) -> Value {
    let responses = &doc["paths"][template]["get"]["responses"];
    let mut response = responses
        .get(status.to_string())
        .or_else(|| responses.get("default"))
        .unwrap_or_else(|| panic!("{template} has no response for {status}"))
        .clone();
    if let Some(r) = response.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/responses/");
        response = doc["components"]["responses"][name].clone();
    }
    let content = &response["content"];
    let media = if status < 400 {
        "application/json"
    } else {
        "application/problem+json"
    };
    content[media]["schema"].clone()
}

struct Check {
    validator_doc: Value,
}

impl Check {
    fn validate(&self, template: &str, status: u16, body: &Value) {
        let mut schema = self.validator_doc.clone();
        let target = response_schema(&schema, template, status);
        // The whole document is the root, so the schema's `$ref`s resolve inside it.
        schema
            .as_object_mut()
            .unwrap()
            .insert("allOf".into(), json!([target]));
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{template} ({status}) does not fit the contract:\n{}\n{body:#}",
            errors.join("\n")
        );
    }
}

async fn start() -> (DemoServer, DemoData) {
    let data = DemoData::built_in(chrono::Utc::now()).unwrap();
    let server = DemoServer::start(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        data.clone(),
        DemoOptions {
            token: Some(TOKEN.into()),
            ..DemoOptions::default()
        },
    )
    .await
    .unwrap();
    (server, data)
}

async fn get(base: &str, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let mut req = client.get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let media = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.json().await.unwrap();
    (status, media, body)
}

#[tokio::test]
async fn every_demo_answer_fits_the_contract() {
    let check = Check {
        validator_doc: contract(),
    };
    let (server, data) = start().await;
    let base = server.url();
    let mut calls: Vec<(String, &str)> = vec![
        ("/v1/health".into(), "/v1/health"),
        (
            "/v1/auth-failures/summary".into(),
            "/v1/auth-failures/summary",
        ),
        (
            "/v1/endpoints/resolve?method=GET&path=/v1/orders/ord_1".into(),
            "/v1/endpoints/resolve",
        ),
    ];
    for c in &data.customers {
        calls.push((
            format!("/v1/customers/{}", c.id),
            "/v1/customers/{customer_id}",
        ));
        calls.push((
            format!("/v1/customers/{}/keys?limit=1", c.id),
            "/v1/customers/{customer_id}/keys",
        ));
        calls.push((format!("/v1/health?customer_id={}", c.id), "/v1/health"));
    }
    for k in &data.keys {
        let id = &k.key.id;
        calls.extend([
            (format!("/v1/keys/{id}"), "/v1/keys/{key_id}"),
            (format!("/v1/keys/{id}/usage"), "/v1/keys/{key_id}/usage"),
            (
                format!("/v1/keys/{id}/audit-events?limit=2"),
                "/v1/keys/{key_id}/audit-events",
            ),
            (
                format!("/v1/keys/{id}/request-logs?status=4xx&limit=3"),
                "/v1/keys/{key_id}/request-logs",
            ),
            (
                format!("/v1/auth-failures/summary?key_id={id}&window=15m"),
                "/v1/auth-failures/summary",
            ),
        ]);
    }
    calls.push((
        "/v1/keys/key_typo/request-logs".into(),
        "/v1/keys/{key_id}/request-logs",
    ));
    for (path, template) in &calls {
        let (status, media, body) = get(&base, path, Some(TOKEN)).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(media, "application/json", "{path}");
        check.validate(template, status, &body);
    }
    assert!(calls.len() > 100, "only {} calls checked", calls.len());
}

/// The key record's optional `fingerprint`: the demo serves every key's in the documented
/// form (the contract's pattern), the SHA-256 of the secret and never the secret, and the
/// contract keeps the field optional so an adapter without it still fits.
#[tokio::test]
async fn key_records_carry_their_secrets_fingerprint_in_the_documented_form() {
    let doc = contract();
    let key = &doc["components"]["schemas"]["Key"];
    let required = key["required"].as_array().unwrap();
    assert!(!required.iter().any(|r| r == "fingerprint"), "optional");
    let pattern = key["properties"]["fingerprint"]["pattern"]
        .as_str()
        .unwrap();
    assert_eq!(pattern, "^sha256:[0-9a-f]{12}$");
    let (server, data) = start().await;
    let (status, _, body) = get(&server.url(), "/v1/keys/key_expired", Some(TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    // `key_expired`'s secret in the data set is sk_live_DEMOexpired012345678901234567890.
    assert_eq!(body["fingerprint"], "sha256:c22726428140");
    assert!(!body.to_string().contains("DEMOexpired"), "{body}");
    assert!(data.keys.iter().all(|k| k.key.fingerprint.is_some()));
    let mut without = body.clone();
    without.as_object_mut().unwrap().remove("fingerprint");
    Check { validator_doc: doc }.validate("/v1/keys/{key_id}", 200, &without);
}

#[tokio::test]
async fn errors_are_problem_documents_that_fit_the_contract() {
    let check = Check {
        validator_doc: contract(),
    };
    let (server, _) = start().await;
    let base = server.url();
    let cases = [
        ("/v1/keys/key_nope", "/v1/keys/{key_id}", Some(TOKEN), 404),
        (
            "/v1/customers/cus_nope",
            "/v1/customers/{customer_id}",
            Some(TOKEN),
            404,
        ),
        (
            "/v1/endpoints/resolve?method=GET&path=/nowhere",
            "/v1/endpoints/resolve",
            Some(TOKEN),
            404,
        ),
        (
            "/v1/endpoints/resolve",
            "/v1/endpoints/resolve",
            Some(TOKEN),
            400,
        ),
        (
            "/v1/keys/key_role/audit-events?cursor=bogus",
            "/v1/keys/{key_id}/audit-events",
            Some(TOKEN),
            400,
        ),
        ("/v1/keys/key_role", "/v1/keys/{key_id}", None, 401),
        ("/v1/keys/key_role", "/v1/keys/{key_id}", Some("wrong"), 401),
    ];
    for (path, template, token, want) in cases {
        let (status, media, body) = get(&base, path, token).await;
        assert_eq!(status, want, "{path}: {body}");
        assert_eq!(media, "application/problem+json", "{path}");
        check.validate(template, status, &body);
    }
}

#[tokio::test]
async fn paging_walks_a_whole_list_and_filters_by_time() {
    let (server, data) = start().await;
    let base = server.url();
    let key = data.key("key_burst").unwrap();
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let path = match &cursor {
            None => "/v1/keys/key_burst/request-logs?limit=50".to_string(),
            Some(c) => format!("/v1/keys/key_burst/request-logs?limit=50&cursor={c}"),
        };
        let (_, _, body) = get(&base, &path, Some(TOKEN)).await;
        seen += body["items"].as_array().unwrap().len();
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, key.logs.len());
    let since = (chrono::Utc::now() - chrono::Duration::days(7))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (_, _, body) = get(
        &base,
        &format!("/v1/keys/key_role/audit-events?since={since}"),
        Some(TOKEN),
    )
    .await;
    let actions = strs(&body["items"], "action");
    // key.created, 160 days ago, lies outside the window.
    assert_eq!(actions, ["scopes.changed", "role.changed"]);
}
