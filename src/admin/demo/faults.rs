//! Faults the demo server can inject, so agents and tests can see how authdesk degrades when
//! the admin API misbehaves.

use super::routes::problem;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::serve::Listener;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

/// How long the `latency` fault holds an answer: longer than any sensible client timeout.
pub const SLOW_ANSWER: Duration = Duration::from_secs(30);
/// The `Retry-After` the `rate-limited` fault sends, in seconds.
pub const RETRY_AFTER_S: u64 = 1;
/// Bodies larger than this are not mangled (none of the contract's are).
const MAX_BODY: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FaultKind {
    /// Hold the answer for 30 s.
    Latency,
    /// Answer 500 with a problem document.
    ServerError,
    /// Answer 429 with `Retry-After: 1`.
    RateLimited,
    /// Cut the JSON body off half way.
    MalformedJson,
    /// Give one field of the body the wrong type.
    BadField,
    /// Close new connections without answering.
    DropConnection,
    /// Answer 401: the admin token is not valid.
    RejectToken,
    /// Answer 200 with a chunked body that never ends.
    EndlessBody,
    /// Redirect every request to itself.
    RedirectLoop,
}

impl FaultKind {
    /// The name `--fault` takes.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Latency => "latency",
            FaultKind::ServerError => "server-error",
            FaultKind::RateLimited => "rate-limited",
            FaultKind::MalformedJson => "malformed-json",
            FaultKind::BadField => "bad-field",
            FaultKind::DropConnection => "drop-connection",
            FaultKind::RejectToken => "reject-token",
            FaultKind::EndlessBody => "endless-body",
            FaultKind::RedirectLoop => "redirect-loop",
        }
    }
}

/// A fault and the share of requests (or, for dropped connections, of connections) it hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    /// 0 to 1.
    pub rate: f64,
}

impl Fault {
    fn strikes(&self) -> bool {
        fastrand::f64() < self.rate
    }
}

pub(super) struct FaultState {
    pub latency: Duration,
    pub fault: Option<Fault>,
}

/// Middleware: the base latency on every request, then the fault on its share of them.
pub(super) async fn inject(State(s): State<Arc<FaultState>>, req: Request, next: Next) -> Response {
    if !s.latency.is_zero() {
        tokio::time::sleep(s.latency).await;
    }
    let Some(fault) = s.fault.filter(|f| f.strikes()) else {
        return next.run(req).await;
    };
    match fault.kind {
        FaultKind::Latency => {
            tokio::time::sleep(SLOW_ANSWER).await;
            next.run(req).await
        }
        FaultKind::ServerError => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            Some("injected fault: server-error".into()),
        ),
        FaultKind::RateLimited => {
            let mut res = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                Some("injected fault: rate-limited".into()),
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_S));
            res
        }
        FaultKind::RejectToken => problem(
            StatusCode::UNAUTHORIZED,
            "Admin token rejected",
            Some("injected fault: reject-token".into()),
        ),
        FaultKind::MalformedJson => {
            mangle(next.run(req).await, |body| {
                body.truncate(body.len() / 2);
            })
            .await
        }
        FaultKind::BadField => mangle(next.run(req).await, break_a_field).await,
        FaultKind::EndlessBody => {
            let spaces = axum::body::Bytes::from_static(&[b' '; 64 * 1024]);
            let endless = futures_util::stream::repeat(Ok::<_, std::convert::Infallible>(spaces));
            let mut res = Response::new(Body::from_stream(endless));
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            res
        }
        FaultKind::RedirectLoop => {
            let mut res = Response::new(Body::empty());
            *res.status_mut() = StatusCode::FOUND;
            let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
            if let Ok(location) = HeaderValue::from_str(here) {
                res.headers_mut().insert(header::LOCATION, location);
            }
            res
        }
        // Handled where connections are accepted: see `FaultyListener`.
        FaultKind::DropConnection => next.run(req).await,
    }
}

/// Rewrites a successful JSON body.
async fn mangle(res: Response, f: impl FnOnce(&mut Vec<u8>)) -> Response {
    if !res.status().is_success() {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return problem(StatusCode::INTERNAL_SERVER_ERROR, "Body too large", None);
    };
    let mut bytes = bytes.to_vec();
    f(&mut bytes);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Turns the first string field of the answer (or of its first list item) into a number.
fn break_a_field(body: &mut Vec<u8>) {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let target = match value.get_mut("items").and_then(|i| i.get_mut(0)) {
        Some(item) => item,
        None => &mut value,
    };
    if let Some(obj) = target.as_object_mut()
        && let Some((_, v)) = obj.iter_mut().find(|(_, v)| v.is_string())
    {
        *v = serde_json::Value::from(12345);
    }
    if let Ok(bytes) = serde_json::to_vec(&value) {
        *body = bytes;
    }
}

/// A listener that drops a share of new connections after reading the request, the way a
/// crashing proxy does.
pub(super) struct FaultyListener {
    pub inner: TcpListener,
    pub drop_rate: f64,
}

impl Listener for FaultyListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            let (mut stream, addr) = Listener::accept(&mut self.inner).await;
            if self.drop_rate <= 0.0 || fastrand::f64() >= self.drop_rate {
                return (stream, addr);
            }
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                // Whatever the read gives, the connection is then closed unanswered.
                let _ = stream.read(&mut buf).await;
            });
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_field_breaks_the_first_string_of_the_first_item() {
        let mut body =
            br#"{"items":[{"n":1,"at":"2026-11-22T10:00:00Z"}],"next_cursor":null}"#.to_vec();
        break_a_field(&mut body);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["items"][0]["at"], 12345);
    }
}
