//! The admin API's HTTP client: reqwest over rustls on tokio, with timeouts, retries, lazy
//! cursor paging and errors a support agent can act on.

use super::retry;
use super::token::AdminToken;
use crate::evidence::Provenance;
use crate::evidence::api::Problem;
use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;

/// Sent as `User-Agent` on every call.
pub const USER_AGENT: &str = concat!("authdesk/", env!("CARGO_PKG_VERSION"));

/// Why the admin API could not answer, in words for the agent.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("the admin API at {url} is unreachable ({detail})")]
    Unreachable { url: String, detail: String },
    #[error("timed out after {}", Secs(*after))]
    TimedOut { after: Duration },
    #[error("the connection dropped before the admin API answered")]
    Dropped,
    #[error(
        "the admin API rejected authdesk's admin token ({status} {title}): the token is wrong, \
         expired or lacks read rights"
    )]
    TokenRejected { status: u16, title: String },
    #[error("the admin API knows no such thing ({from})")]
    NotFound { from: Provenance },
    #[error("the admin API is rate limiting authdesk{}", retry_after.map_or(String::new(), |d| format!("; retry after {}", Secs(d))))]
    RateLimited { retry_after: Option<Duration> },
    #[error("the admin API failed: {status} {title}")]
    Server { status: u16, title: String },
    #[error("the admin API refused the request: {status} {title}")]
    Refused { status: u16, title: String },
    #[error("malformed answer to {call}: `{field}` {detail}")]
    Malformed {
        call: String,
        field: String,
        detail: String,
    },
    #[error("admin API URL `{url}` is not usable: {detail}")]
    BadUrl { url: String, detail: String },
    #[error("{0}")]
    Token(String),
    #[error("cannot start the built-in demo API: {0}")]
    Demo(String),
    #[error("cannot start the HTTP client: {0}")]
    Setup(String),
}

impl AdminError {
    /// Whether trying the same GET again may help.
    fn is_transient(&self) -> bool {
        matches!(
            self,
            AdminError::Unreachable { .. }
                | AdminError::TimedOut { .. }
                | AdminError::Dropped
                | AdminError::RateLimited { .. }
                | AdminError::Server { .. }
        )
    }
}

/// A duration as people say it: `5 s`, `0.3 s`.
struct Secs(Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(1000) {
            write!(f, "{} s", ms / 1000)
        } else {
            write!(f, "{:.1} s", self.0.as_secs_f64())
        }
    }
}

/// An answer with the call it came from.
#[derive(Debug)]
pub struct Call<T> {
    pub body: T,
    pub from: Provenance,
    pub tries: u32,
}

/// Talks to one admin API.
#[derive(Debug, Clone)]
pub struct AdminClient {
    http: reqwest::Client,
    base: reqwest::Url,
    token: AdminToken,
    request_timeout: Duration,
}

impl AdminClient {
    pub fn new(
        base_url: &str,
        token: AdminToken,
        connect_timeout: Duration,
        request_timeout: Duration,
    ) -> Result<Self, AdminError> {
        let bad = |detail: String| AdminError::BadUrl {
            url: base_url.to_string(),
            detail,
        };
        let mut base = reqwest::Url::parse(base_url).map_err(|e| bad(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(bad("use http:// or https://".into()));
        }
        // Joining `v1/keys` onto `https://gw/admin` must give `https://gw/admin/v1/keys`.
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .build()
            .map_err(|e| AdminError::Setup(e.to_string()))?;
        Ok(Self {
            http,
            base,
            token,
            request_timeout,
        })
    }

    /// GETs `path` (relative, e.g. `v1/keys/key_x`) and decodes the answer, retrying what may
    /// be transient. Every try sends the same `X-Request-Id`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Call<T>, AdminError> {
        let request_id = new_request_id();
        let call = describe(path, query);
        let mut tries = 0;
        loop {
            tries += 1;
            let (result, retry_after) = self.try_once(path, query, &request_id, &call).await;
            let err = match result {
                Ok(body) => {
                    return Ok(Call {
                        body,
                        from: Provenance {
                            call,
                            request_id,
                            pages: 1,
                        },
                        tries,
                    });
                }
                Err(err) if err.is_transient() => err,
                Err(err) => return Err(err),
            };
            match retry::delay(tries, retry_after, fastrand::f64()) {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Err(err),
            }
        }
    }

    async fn try_once<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        request_id: &str,
        call: &str,
    ) -> (Result<T, AdminError>, Option<Duration>) {
        let mut url = match self.base.join(path.trim_start_matches('/')) {
            Ok(u) => u,
            Err(e) => {
                let err = AdminError::BadUrl {
                    url: format!("{}{path}", self.base),
                    detail: e.to_string(),
                };
                return (Err(err), None);
            }
        };
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let sent = self
            .http
            .get(url)
            .header(reqwest::header::AUTHORIZATION, self.token.bearer())
            .header("X-Request-Id", request_id)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => return (Err(self.transport_error(&e)), None),
        };
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let bytes = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return (Err(self.transport_error(&e)), retry_after),
        };
        if status.is_success() {
            return (decode(&bytes, call), None);
        }
        let problem: Option<Problem> = serde_json::from_slice(&bytes).ok();
        let title = problem
            .as_ref()
            .map_or_else(|| reason(status), |p| p.title.clone());
        let err = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => AdminError::TokenRejected {
                status: status.as_u16(),
                title,
            },
            StatusCode::NOT_FOUND => AdminError::NotFound {
                from: Provenance {
                    call: call.to_string(),
                    request_id: request_id.to_string(),
                    pages: 1,
                },
            },
            StatusCode::TOO_MANY_REQUESTS => AdminError::RateLimited { retry_after },
            s if s.is_server_error() => AdminError::Server {
                status: s.as_u16(),
                title,
            },
            s => AdminError::Refused {
                status: s.as_u16(),
                title,
            },
        };
        (Err(err), retry_after)
    }

    fn transport_error(&self, e: &reqwest::Error) -> AdminError {
        if e.is_timeout() {
            AdminError::TimedOut {
                after: self.request_timeout,
            }
        } else if e.is_connect() {
            AdminError::Unreachable {
                url: self.base.as_str().trim_end_matches('/').to_string(),
                detail: root_cause(e),
            }
        } else {
            AdminError::Dropped
        }
    }
}

/// The crypto provider reqwest's rustls needs; a second install is refused harmlessly.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn new_request_id() -> String {
    format!("ad-{:016x}", fastrand::u64(..))
}

/// `GET /v1/keys/key_x/request-logs?status=4xx`, for evidence and errors.
pub(super) fn describe(path: &str, query: &[(&str, String)]) -> String {
    let path = format!("/{}", path.trim_start_matches('/'));
    let shown: Vec<String> = query
        .iter()
        .filter(|(k, _)| !matches!(*k, "limit" | "cursor" | "since" | "until"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if shown.is_empty() {
        format!("GET {path}")
    } else {
        format!("GET {path}?{}", shown.join("&"))
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8], call: &str) -> Result<T, AdminError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        AdminError::Malformed {
            call: call.to_string(),
            // serde_path_to_error says `.` for the top level and `?` when cut off inside a name.
            field: if matches!(field.as_str(), "." | "?") {
                "(body)".into()
            } else {
                field
            },
            detail: e.into_inner().to_string(),
        }
    })
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    retry::parse_retry_after(value, Utc::now())
}

fn reason(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("error").to_string()
}

/// The innermost cause of a transport error: "Connection refused (os error 111)".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::api::Page;

    #[test]
    fn malformed_answers_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        struct K {
            #[allow(dead_code)] // Read only by Debug: the test is about the error.
            status: String,
        }
        let err = decode::<Page<K>>(br#"{"items":[{"status":7}]}"#, "GET /v1/x").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("`items[0].status`"), "{msg}");
        assert!(msg.contains("GET /v1/x"), "{msg}");
        let err = decode::<Page<K>>(br#"{"items":[{"sta"#, "GET /v1/x").unwrap_err();
        assert!(err.to_string().contains("EOF"), "{err}");
    }

    #[test]
    fn calls_are_described_without_paging_noise() {
        let q = [
            ("status", "4xx".to_string()),
            ("cursor", "o200".to_string()),
            ("limit", "200".to_string()),
        ];
        assert_eq!(
            describe("v1/keys/k/request-logs", &q),
            "GET /v1/keys/k/request-logs?status=4xx"
        );
    }

    #[test]
    fn durations_read_like_people_say_them() {
        assert_eq!(Secs(Duration::from_secs(5)).to_string(), "5 s");
        assert_eq!(Secs(Duration::from_millis(300)).to_string(), "0.3 s");
    }

    #[test]
    fn a_base_url_without_scheme_is_refused() {
        let err = AdminClient::new(
            "admin.example.com",
            AdminToken::random(),
            Duration::from_secs(1),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(matches!(err, AdminError::BadUrl { .. }), "{err}");
    }
}
