//! The demo server's handlers: the contract of `assets/admin-api.yaml`, answered from a
//! [`DemoData`].

use super::data::{DemoData, page};
use crate::evidence::api::{
    Customer, FailureSummary, Health, HealthStatus, Key, Latency, Problem, QuotaUsage, Usage,
    UsageWindow,
};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde::Deserialize;
use std::sync::Arc;

/// Items per page when the caller does not say, and the most it may ask for.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;

pub(super) struct AppState {
    pub data: DemoData,
    /// The admin token callers must present; `None` accepts any bearer token.
    pub token: Option<String>,
}

type Shared = State<Arc<AppState>>;

pub(super) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/keys/{key_id}", get(key))
        .route("/v1/keys/{key_id}/audit-events", get(audit_events))
        .route("/v1/keys/{key_id}/request-logs", get(request_logs))
        .route("/v1/keys/{key_id}/usage", get(usage))
        .route("/v1/customers/{customer_id}", get(customer))
        .route("/v1/customers/{customer_id}/keys", get(customer_keys))
        .route("/v1/endpoints/resolve", get(resolve))
        .route("/v1/auth-failures/summary", get(summary))
        .fallback(|| async { problem(StatusCode::NOT_FOUND, "No such endpoint", None) })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_token,
        ))
        .with_state(state)
}

/// An RFC 9457 problem response.
pub(super) fn problem(status: StatusCode, title: &str, detail: Option<String>) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: title.into(),
        status: status.as_u16(),
        detail,
        instance: None,
    };
    let mut res = (status, Json(body)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

fn not_found(what: &str, id: &str) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        &format!("No such {what}"),
        Some(format!("no {what} has the id `{id}`")),
    )
}

/// A parameter the contract does not allow, answered 400.
struct BadRequest(String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        problem(StatusCode::BAD_REQUEST, "Bad request", Some(self.0))
    }
}

type Answer = Result<Response, BadRequest>;

async fn require_token(State(state): Shared, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    match (given, &state.token) {
        (None, _) => problem(
            StatusCode::UNAUTHORIZED,
            "Admin token required",
            Some("send Authorization: Bearer <admin token>".into()),
        ),
        (Some(given), Some(want)) if given != want => problem(
            StatusCode::UNAUTHORIZED,
            "Admin token rejected",
            Some("the admin token is not valid".into()),
        ),
        _ => next.run(req).await,
    }
}

#[derive(Deserialize)]
struct ScopeParams {
    key_id: Option<String>,
    customer_id: Option<String>,
    window: Option<String>,
}

impl ScopeParams {
    fn scoped(&self) -> bool {
        self.key_id.is_some() || self.customer_id.is_some()
    }
}

async fn health(State(s): Shared, Query(q): Query<ScopeParams>) -> Response {
    let d = &s.data;
    let checked_at = Utc::now();
    if q.scoped() {
        let cell_id = d.cell_of(q.key_id.as_deref(), q.customer_id.as_deref());
        if let Some(cell) = d.cells.get(cell_id) {
            return Json(Health {
                status: cell.status,
                auth_latency_ms: cell.auth_latency_ms,
                cell: Some(cell_id.to_string()),
                checked_at,
            })
            .into_response();
        }
    }
    // Platform-wide: the worst cell's status and latency.
    let worst = |f: fn(&Latency) -> f64| {
        d.cells
            .values()
            .map(|c| f(&c.auth_latency_ms))
            .fold(0.0, f64::max)
    };
    let status = d
        .cells
        .values()
        .map(|c| c.status)
        .max_by_key(|s| match s {
            HealthStatus::Ok => 0,
            HealthStatus::Degraded => 1,
            HealthStatus::Down => 2,
        })
        .unwrap_or(HealthStatus::Ok);
    Json(Health {
        status,
        auth_latency_ms: Latency {
            p50: worst(|l| l.p50),
            p99: worst(|l| l.p99),
        },
        cell: None,
        checked_at,
    })
    .into_response()
}

async fn summary(State(s): Shared, Query(q): Query<ScopeParams>) -> Answer {
    let window_s = match q.window.as_deref().map(window_seconds) {
        None => 900,
        Some(Some(w)) => w,
        Some(None) => {
            let why = "window must be seconds, or a number with s, m or h";
            return Err(BadRequest(why.into()));
        }
    };
    let d = &s.data;
    let (cell, mut customers) = if q.scoped() {
        let id = d.cell_of(q.key_id.as_deref(), q.customer_id.as_deref());
        let elevated = d
            .cells
            .get(id)
            .map(|c| c.elevated.clone())
            .unwrap_or_default();
        (Some(id.to_string()), elevated)
    } else {
        let all = d.cells.values().flat_map(|c| c.elevated.iter().cloned());
        (None, all.collect())
    };
    customers.sort_by(|a, b| b.failure_rate.total_cmp(&a.failure_rate));
    Ok(Json(FailureSummary {
        window_s,
        cell,
        customers_affected: customers.len() as u64,
        customers,
    })
    .into_response())
}

fn window_seconds(text: &str) -> Option<u64> {
    let (digits, unit) = match text.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&text[..i], c),
        _ => (text, 's'),
    };
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return None,
    };
    Some(n * factor).filter(|w| *w > 0)
}

async fn key(State(s): Shared, Path(key_id): Path<String>) -> Response {
    match s.data.key(&key_id) {
        Some(k) => Json(&k.key).into_response(),
        None => not_found("key", &key_id),
    }
}

async fn customer(State(s): Shared, Path(id): Path<String>) -> Response {
    match s.data.customer(&id) {
        Some(c) => Json::<&Customer>(c).into_response(),
        None => not_found("customer", &id),
    }
}

#[derive(Deserialize)]
struct ListParams {
    cursor: Option<String>,
    limit: Option<usize>,
    since: Option<String>,
    until: Option<String>,
    status: Option<String>,
}

impl ListParams {
    fn limit(&self) -> Result<usize, BadRequest> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(n) => Err(BadRequest(format!(
                "limit {n} is not within 1..={MAX_LIMIT}"
            ))),
        }
    }

    fn time(name: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>, BadRequest> {
        text.map(|t| {
            DateTime::parse_from_rfc3339(t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| BadRequest(format!("{name} `{t}` is not an RFC 3339 time")))
        })
        .transpose()
    }

    fn page<T: Clone + serde::Serialize>(&self, items: &[T]) -> Answer {
        match page(items, self.cursor.as_deref(), self.limit()?) {
            Some(p) => Ok(Json(p).into_response()),
            None => Err(BadRequest(
                "cursor is not one this server handed out".into(),
            )),
        }
    }
}

async fn customer_keys(
    State(s): Shared,
    Path(id): Path<String>,
    Query(q): Query<ListParams>,
) -> Answer {
    if s.data.customer(&id).is_none() {
        return Ok(not_found("customer", &id));
    }
    let keys: Vec<Key> = s
        .data
        .keys
        .iter()
        .filter(|k| k.key.customer_id == id)
        .map(|k| k.key.clone())
        .collect();
    q.page(&keys)
}

async fn audit_events(
    State(s): Shared,
    Path(key_id): Path<String>,
    Query(q): Query<ListParams>,
) -> Answer {
    let Some(k) = s.data.key(&key_id) else {
        return Ok(not_found("key", &key_id));
    };
    let since = ListParams::time("since", q.since.as_deref())?;
    let until = ListParams::time("until", q.until.as_deref())?;
    // Newest first, so the window is one contiguous run.
    let start = until.map_or(0, |u| k.audit.partition_point(|e| e.at >= u));
    let end = since.map_or(k.audit.len(), |t| k.audit.partition_point(|e| e.at >= t));
    q.page(&k.audit[start..end.max(start)])
}

async fn request_logs(
    State(s): Shared,
    Path(key_id): Path<String>,
    Query(q): Query<ListParams>,
) -> Answer {
    let logs = match (s.data.key(&key_id), s.data.unknown_key_logs.get(&key_id)) {
        (Some(k), _) => &k.logs,
        (None, Some(logs)) => logs,
        (None, None) => return Ok(not_found("key", &key_id)),
    };
    let since = ListParams::time("since", q.since.as_deref())?;
    let status = match q.status.as_deref().map(StatusFilter::parse) {
        None => StatusFilter::Any,
        Some(Some(f)) => f,
        Some(None) => return Err(BadRequest("status must be like 401 or 4xx".into())),
    };
    let matching: Vec<_> = logs
        .iter()
        .take_while(|l| since.is_none_or(|t| l.at >= t))
        .filter(|l| status.matches(l.status))
        .cloned()
        .collect();
    q.page(&matching)
}

enum StatusFilter {
    Any,
    Exact(u16),
    Class(u16),
}

impl StatusFilter {
    fn parse(text: &str) -> Option<Self> {
        if let Some(class) = text.strip_suffix("xx") {
            return class
                .parse()
                .ok()
                .filter(|c| (1..=5).contains(c))
                .map(Self::Class);
        }
        text.parse()
            .ok()
            .filter(|s| (100..600).contains(s))
            .map(Self::Exact)
    }

    fn matches(&self, status: u16) -> bool {
        match self {
            StatusFilter::Any => true,
            StatusFilter::Exact(s) => status == *s,
            StatusFilter::Class(c) => status / 100 == *c,
        }
    }
}

async fn usage(State(s): Shared, Path(key_id): Path<String>) -> Response {
    let Some(k) = s.data.key(&key_id) else {
        return not_found("key", &key_id);
    };
    let now = Utc::now();
    let rate = k.key.rate_limit;
    let into_window = now.timestamp().rem_euclid(rate.window_s as i64);
    let window = UsageWindow {
        window_s: rate.window_s,
        limit: rate.limit,
        used: k.rate_used.min(rate.limit),
        remaining: rate.limit.saturating_sub(k.rate_used),
        resets_at: now + Duration::seconds(rate.window_s as i64 - into_window),
    };
    let quota = k.key.quota.as_ref().map(|q| QuotaUsage {
        period: q.period.clone(),
        limit: q.limit,
        used: k.quota_used.min(q.limit),
        remaining: q.limit.saturating_sub(k.quota_used),
        resets_at: next_period(now, &q.period),
    });
    Json(Usage {
        key_id,
        windows: vec![window],
        quota,
    })
    .into_response()
}

/// Midnight UTC after `now`, or the first of next month.
fn next_period(now: DateTime<Utc>, period: &str) -> DateTime<Utc> {
    let today = now.date_naive();
    let next = if period == "day" {
        today.succ_opt()
    } else {
        let (y, m) = if today.month() == 12 {
            (today.year() + 1, 1)
        } else {
            (today.year(), today.month() + 1)
        };
        chrono::NaiveDate::from_ymd_opt(y, m, 1)
    };
    next.and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(now, |t| Utc.from_utc_datetime(&t))
}

#[derive(Deserialize)]
struct ResolveParams {
    method: Option<String>,
    path: Option<String>,
}

async fn resolve(State(s): Shared, Query(q): Query<ResolveParams>) -> Answer {
    let (Some(method), Some(path)) = (q.method, q.path) else {
        return Err(BadRequest("method and path are required".into()));
    };
    Ok(match s.data.route(&method, &path) {
        Some(r) => Json(r).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "No such route",
            Some(format!("no route matches {method} {path}")),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_accept_seconds_and_units() {
        assert_eq!(window_seconds("900"), Some(900));
        assert_eq!(window_seconds("15m"), Some(900));
        assert_eq!(window_seconds("1h"), Some(3600));
        assert_eq!(window_seconds("0"), None);
        assert_eq!(window_seconds("5d"), None);
    }

    #[test]
    fn status_filter_takes_codes_and_classes() {
        assert!(StatusFilter::parse("4xx").unwrap().matches(403));
        assert!(!StatusFilter::parse("401").unwrap().matches(403));
        assert!(StatusFilter::parse("9xx").is_none());
    }

    #[test]
    fn quota_resets_at_the_next_period() {
        let now: DateTime<Utc> = "2026-12-15T10:00:00Z".parse().unwrap();
        assert_eq!(
            next_period(now, "month").to_rfc3339(),
            "2027-01-01T00:00:00+00:00"
        );
        assert_eq!(
            next_period(now, "day").to_rfc3339(),
            "2026-12-16T00:00:00+00:00"
        );
    }
}
