//! A request on the wire: the credential put where its target takes it, then sent with
//! reqwest (rustls, no `Referer`, no redirects, timeouts, a cap on the answer's size).

use super::credential::Credential;
use crate::admin::USER_AGENT;
use crate::send::{Auth, Request};
use base64::Engine;
use serde_json::Value;
use std::time::Duration;

/// The largest answer read: create-issue answers are a few kilobytes.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// What a target answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The URL, headers and body of `request` with `credential` in place. `show` masks the
/// credential instead, for `--dry-run`.
fn assemble(
    request: &Request,
    credential: &Credential,
    show: bool,
) -> (String, Vec<(String, String)>, Value) {
    let secret = if show {
        credential.mask()
    } else {
        credential.expose().to_string()
    };
    let mut headers: Vec<(String, String)> = vec![
        ("Content-Type".into(), "application/json".into()),
        ("User-Agent".into(), USER_AGENT.into()),
    ];
    headers.extend(
        request
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone())),
    );
    let mut body = request.body.clone();
    let mut url = request.url.clone();
    match &request.auth {
        Auth::Bearer => headers.push(("Authorization".into(), format!("Bearer {secret}"))),
        Auth::Basic { user } => {
            let value = if show {
                format!("Basic base64({user}:{secret})")
            } else {
                let pair = format!("{user}:{secret}");
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            };
            headers.push(("Authorization".into(), value));
        }
        Auth::Raw => headers.push(("Authorization".into(), secret)),
        Auth::Header(name) => headers.push(((*name).into(), secret)),
        Auth::RoutingKey => body["routing_key"] = Value::String(secret),
        Auth::WebhookUrl => url = secret,
    }
    (url, headers, body)
}

/// What `--dry-run` prints: method, URL, headers and body, the credential masked.
pub fn describe(request: &Request, credential: &Credential) -> String {
    let (url, headers, body) = assemble(request, credential, true);
    let mut out = format!(
        "{} {}\n",
        request.method.as_str(),
        crate::escape::line(&url)
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {}\n", crate::escape::line(&v)));
    }
    out.push('\n');
    out.push_str(&crate::escape::json(&body).unwrap_or_default());
    out.push('\n');
    out
}

/// The client every send uses.
pub fn client() -> Result<reqwest::Client, String> {
    // Only the first install wins; later ones (the admin client's) report it and change nothing.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .referer(false)
        // A tracker that redirects a POST is misconfigured: say so rather than follow.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())
}

/// Sends `request`; `Err` when no answer came (unreachable, timed out, dropped), in words
/// without the credential.
pub async fn deliver(
    client: &reqwest::Client,
    request: &Request,
    credential: &Credential,
) -> Result<Answer, String> {
    let (url, headers, body) = assemble(request, credential, false);
    let method = match request.method {
        crate::send::Method::Post => reqwest::Method::POST,
        crate::send::Method::Put => reqwest::Method::PUT,
    };
    let mut builder = client.request(method, &url);
    for (k, v) in &headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let sent = builder.body(body).send().await;
    // reqwest's errors quote the URL, which for a webhook is the credential.
    let mut response = sent.map_err(|e| credential.scrub(&transport_error(&e)))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| credential.scrub(&transport_error(&e)))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_ANSWER_BYTES {
            bytes.truncate(MAX_ANSWER_BYTES);
            break;
        }
    }
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn transport_error(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "unreachable"
    } else {
        "the connection failed"
    };
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    format!("{what} ({detail})")
}
