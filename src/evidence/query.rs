//! Which questions a case needs: from the intake, and from answers that name what to ask next.

use super::Answer;
use crate::facts::{FactValue, Facts, name};
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

/// How far back the audit trail is read: the runbooks speak of "the last 7 days".
pub const AUDIT_WINDOW_DAYS: i64 = 7;
/// How far back a key's failing requests are read.
pub const FAILURE_WINDOW_HOURS: i64 = 24;
/// The window of the platform-wide failure summary: "right now".
pub const SUMMARY_WINDOW_S: u64 = 900;

/// What the intake says that evidence can be asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Intake {
    pub key_id: Option<String>,
    pub customer_id: Option<String>,
    pub client_ip: Option<IpAddr>,
    pub method: Option<String>,
    /// The path only: a pasted URL loses its scheme, host and query.
    pub endpoint: Option<String>,
}

impl Intake {
    pub fn from_facts(facts: &Facts) -> Self {
        let text = |name: &str| match facts.value(name) {
            Some(FactValue::Text(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        };
        Self {
            key_id: text(name::KEY_ID),
            customer_id: text(name::CUSTOMER_ID),
            client_ip: match facts.value(name::CLIENT_IP) {
                Some(FactValue::Ip(ip)) => Some(*ip),
                _ => None,
            },
            method: text(name::METHOD).map(|m| m.to_ascii_uppercase()),
            endpoint: text(name::ENDPOINT).map(|e| path_of(&e)),
        }
    }
}

/// `https://api.example.com/v1/orders/1?x=2` → `/v1/orders/1`.
fn path_of(endpoint: &str) -> String {
    let without_scheme = endpoint.split_once("://").map_or(endpoint, |(_, rest)| {
        rest.find('/').map_or("/", |i| &rest[i..])
    });
    let path = without_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(without_scheme);
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// Whom a platform-wide answer should describe: a platform with several cells (regions)
/// answers for the cell serving this key or customer; one without ignores the scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub key_id: Option<String>,
    pub customer_id: Option<String>,
}

/// One question to the admin API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Key {
        key_id: String,
    },
    Customer {
        customer_id: String,
    },
    AuditEvents {
        key_id: String,
        since: DateTime<Utc>,
    },
    /// The key's failing requests.
    RequestLogs {
        key_id: String,
        since: DateTime<Utc>,
    },
    Usage {
        key_id: String,
    },
    Endpoint {
        method: String,
        path: String,
    },
    Health {
        scope: Scope,
    },
    FailureSummary {
        scope: Scope,
        window_s: u64,
    },
}

/// Which question a query asks, without its arguments: what front ends track and show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryKind {
    Key,
    Customer,
    AuditEvents,
    RequestLogs,
    Usage,
    Endpoint,
    Health,
    FailureSummary,
}

impl QueryKind {
    /// What was asked, for people: "evidence unavailable: key status (timed out after 5 s)".
    pub fn label(self) -> &'static str {
        match self {
            QueryKind::Key => "key status",
            QueryKind::Customer => "account status",
            QueryKind::AuditEvents => "audit events",
            QueryKind::RequestLogs => "request logs",
            QueryKind::Usage => "usage",
            QueryKind::Endpoint => "endpoint scopes",
            QueryKind::Health => "platform health",
            QueryKind::FailureSummary => "failure summary",
        }
    }

    /// Questions about an existing key's history: not applicable once the key is known not
    /// to exist. (Its request logs still are: "none" is what decides `key-never-valid`.)
    pub fn needs_existing_key(self) -> bool {
        matches!(self, QueryKind::AuditEvents | QueryKind::Usage)
    }
}

impl Query {
    pub fn kind(&self) -> QueryKind {
        match self {
            Query::Key { .. } => QueryKind::Key,
            Query::Customer { .. } => QueryKind::Customer,
            Query::AuditEvents { .. } => QueryKind::AuditEvents,
            Query::RequestLogs { .. } => QueryKind::RequestLogs,
            Query::Usage { .. } => QueryKind::Usage,
            Query::Endpoint { .. } => QueryKind::Endpoint,
            Query::Health { .. } => QueryKind::Health,
            Query::FailureSummary { .. } => QueryKind::FailureSummary,
        }
    }

    /// What was asked, for people.
    pub fn label(&self) -> &'static str {
        self.kind().label()
    }
}

pub(super) fn initial(intake: &Intake, now: DateTime<Utc>) -> Vec<Query> {
    let mut out = Vec::new();
    if intake.key_id.is_none() && intake.customer_id.is_none() {
        return out;
    }
    if let Some(key_id) = &intake.key_id {
        out.push(Query::Key {
            key_id: key_id.clone(),
        });
        out.push(Query::RequestLogs {
            key_id: key_id.clone(),
            since: now - Duration::hours(FAILURE_WINDOW_HOURS),
        });
        out.push(Query::AuditEvents {
            key_id: key_id.clone(),
            since: now - Duration::days(AUDIT_WINDOW_DAYS),
        });
        out.push(Query::Usage {
            key_id: key_id.clone(),
        });
    }
    if let Some(customer_id) = &intake.customer_id {
        out.push(Query::Customer {
            customer_id: customer_id.clone(),
        });
    }
    if let (Some(method), Some(path)) = (&intake.method, &intake.endpoint) {
        out.push(Query::Endpoint {
            method: method.clone(),
            path: path.clone(),
        });
    }
    // The key is served, and validated, where its owner's account lives; a customer id typed
    // at intake may be another account's (an agency's client, a typo), and asking about its
    // cell would miss an outage in the key's own.
    let scope = Scope {
        customer_id: intake
            .customer_id
            .clone()
            .filter(|_| intake.key_id.is_none()),
        key_id: intake.key_id.clone(),
    };
    out.push(Query::Health {
        scope: scope.clone(),
    });
    out.push(Query::FailureSummary {
        scope,
        window_s: SUMMARY_WINDOW_S,
    });
    out
}

pub(super) fn follow_ups(intake: &Intake, answer: &Answer) -> Vec<Query> {
    match answer {
        // The account's status decides 403s even when the agent only knows the key.
        Answer::Key(c) if intake.customer_id.is_none() => c
            .answer
            .iter()
            .map(|key| Query::Customer {
                customer_id: key.customer_id.clone(),
            })
            .collect(),
        // Without a path from the customer, the one the gateway logged tells the route.
        Answer::RequestLogs(c) if intake.endpoint.is_none() || intake.method.is_none() => {
            let Some(latest) = &c.answer.latest else {
                return Vec::new();
            };
            let path = intake
                .endpoint
                .clone()
                .unwrap_or_else(|| latest.path.clone());
            // A method logged on another path says nothing about the customer's.
            let method = match &intake.method {
                Some(m) => m.clone(),
                None if path == latest.path => latest.method.clone(),
                None => return Vec::new(),
            };
            vec![Query::Endpoint { method, path }]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactSource;

    use crate::testing::now;

    fn intake(pairs: &[(&str, &str)]) -> Intake {
        let mut f = Facts::new();
        for (k, v) in pairs {
            f.insert_text(k, v, FactSource::Intake, now()).unwrap();
        }
        Intake::from_facts(&f)
    }

    #[test]
    fn endpoint_keeps_only_the_path() {
        assert_eq!(
            path_of("https://api.example.com/v1/orders/1?x=2"),
            "/v1/orders/1"
        );
        assert_eq!(path_of("v1/orders"), "/v1/orders");
        assert_eq!(path_of("/v1/orders#frag"), "/v1/orders");
    }

    #[test]
    fn nothing_to_ask_without_a_key_or_customer() {
        assert!(initial(&intake(&[("client_ip", "192.0.2.1")]), now()).is_empty());
    }

    #[test]
    fn a_key_alone_asks_everything_about_the_key_and_the_platform() {
        let q = initial(&intake(&[("key_id", "key_x")]), now());
        let labels: Vec<_> = q.iter().map(Query::label).collect();
        assert_eq!(
            labels,
            [
                "key status",
                "request logs",
                "audit events",
                "usage",
                "platform health",
                "failure summary"
            ]
        );
    }

    #[test]
    fn platform_questions_are_scoped_by_the_key_not_a_customer_id_that_may_be_another() {
        let scope_of = |pairs: &[(&str, &str)]| {
            initial(&intake(pairs), now())
                .into_iter()
                .find_map(|q| match q {
                    Query::Health { scope } => Some(scope),
                    _ => None,
                })
                .unwrap()
        };
        let both = scope_of(&[("key_id", "key_eu3"), ("customer_id", "cus_1003")]);
        assert_eq!(both.key_id.as_deref(), Some("key_eu3"));
        assert_eq!(both.customer_id, None);
        let customer = scope_of(&[("customer_id", "cus_1003")]);
        assert_eq!(customer.customer_id.as_deref(), Some("cus_1003"));
    }

    #[test]
    fn a_full_intake_asks_the_route_and_the_account_up_front() {
        let q = initial(
            &intake(&[
                ("key_id", "key_x"),
                ("customer_id", "cus_1"),
                ("method", "post"),
                ("endpoint", "/v1/refunds"),
            ]),
            now(),
        );
        assert!(q.contains(&Query::Endpoint {
            method: "POST".into(),
            path: "/v1/refunds".into()
        }));
        assert!(q.contains(&Query::Customer {
            customer_id: "cus_1".into()
        }));
    }
}
