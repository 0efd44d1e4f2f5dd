//! What an error response says went wrong, in the gateway reason vocabulary the request logs
//! use (`rate_limited`, `quota_exceeded`, …): from the standard headers first, then from the
//! error bodies of the gateways customers sit behind. Only conclusive signs count; a body
//! that merely says "Unauthorized" says nothing here.

use super::Parsed;
use serde_json::Value;

/// Why the gateway refused the request, as far as the response alone proves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    RateLimited,
    QuotaExceeded,
    InsufficientScope,
    ExpiredToken,
    /// The path or method does not exist (AWS answers that as a 403 "Missing Authentication
    /// Token").
    WrongEndpoint,
    MissingCredentials,
    InvalidKey,
    IpNotAllowed,
    /// The token's `nbf` (or `iat`) lies ahead of the gateway's clock: clocks disagree.
    TokenNotYetValid,
    /// A web application firewall in front of the gateway blocked the request before any key
    /// was checked.
    WafBlocked,
}

impl Reason {
    /// The value of `response.reason`: the same words `failures.top_reason` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::RateLimited => "rate_limited",
            Reason::QuotaExceeded => "quota_exceeded",
            Reason::InsufficientScope => "insufficient_scope",
            Reason::ExpiredToken => "expired_token",
            Reason::WrongEndpoint => "wrong_endpoint",
            Reason::MissingCredentials => "missing_credentials",
            Reason::InvalidKey => "invalid_key",
            Reason::IpNotAllowed => "ip_not_allowed",
            Reason::TokenNotYetValid => "token_not_yet_valid",
            Reason::WafBlocked => "waf_blocked",
        }
    }
}

/// A recognised gateway error: which gateway (when the body is its own), why, and the
/// message that proves it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GatewayError {
    pub gateway: &'static str,
    pub reason: Reason,
    pub message: String,
}

/// Phrases (lower case) found in gateways' default error bodies. Specific phrases come before
/// the generic ones they contain.
const PHRASES: &[(&str, &str, Reason)] = &[
    // AWS API Gateway, gateway response MISSING_AUTHENTICATION_TOKEN (403): sent when the
    // resource or method does not exist, e.g. `{"message":"Missing Authentication Token"}`.
    // Source: AWS knowledge center "api-gateway-authentication-token-errors" and the gateway
    // response types in the API Gateway developer guide.
    (
        "missing authentication token",
        "AWS API Gateway",
        Reason::WrongEndpoint,
    ),
    // AWS API Gateway QUOTA_EXCEEDED (429 `{"message":"Limit Exceeded"}`), THROTTLED (429
    // `{"message":"Too Many Requests"}`), and a Cognito authorizer's 401
    // `{"message":"The incoming token has expired"}` (API Gateway developer guide, gateway
    // response types).
    (
        "the incoming token has expired",
        "AWS API Gateway",
        Reason::ExpiredToken,
    ),
    // Apigee fault bodies, `{"fault":{"faultstring":…,"detail":{"errorcode":…}}}`: Quota
    // policy `policies.ratelimit.QuotaViolation` ("Rate limit quota violation. Quota limit
    // exceeded. Identifier : _default"), SpikeArrest `policies.ratelimit.SpikeArrestViolation`,
    // VerifyAPIKey `oauth.v2.InvalidApiKey` ("Invalid ApiKey") and
    // `steps.oauth.v2.FailedToResolveAPIKey`, OAuthV2 `keymanagement.service.access_token_expired`
    // ("Access Token expired") and `steps.oauth.v2.InsufficientScope` ("Required scope(s)").
    // Source: Apigee runtime error references (docs.apigee.com / cloud.google.com/apigee
    // "troubleshoot/policies/runtime") and the Apigee forum post "HTTP 429 as default status
    // code for quota policy violation".
    (
        "policies.ratelimit.quotaviolation",
        "Apigee",
        Reason::QuotaExceeded,
    ),
    (
        "policies.ratelimit.spikearrestviolation",
        "Apigee",
        Reason::RateLimited,
    ),
    // VerifyAPIKey `oauth.v2.InvalidApiKeyForGivenResource` (401 "Invalid ApiKey for given
    // resource"): a valid key whose app is not approved for an API product holding this
    // resource, i.e. a permission the key lacks. It contains "invalidapikey", so it comes
    // first. Source: the VerifyAPIKey runtime error reference and the Apigee forum thread
    // "Invalid API key for given resource" (discuss.google.dev/t/…/4905).
    (
        "invalidapikeyforgivenresource",
        "Apigee",
        Reason::InsufficientScope,
    ),
    ("access_token_expired", "Apigee", Reason::ExpiredToken),
    ("access token expired", "Apigee", Reason::ExpiredToken),
    ("insufficientscope", "Apigee", Reason::InsufficientScope),
    (
        "failedtoresolveapikey",
        "Apigee",
        Reason::MissingCredentials,
    ),
    ("invalidapikey", "Apigee", Reason::InvalidKey),
    // Azure API Management: `{"statusCode":401,"message":"Access denied due to missing
    // subscription key. …"}`, "… invalid subscription key. …", 429 "Rate limit is exceeded. Try
    // again in N seconds." and 403 "Out of call volume quota. Quota will be replenished in …".
    // Source: Microsoft's APIM troubleshooting series, "Unauthorized errors (401) while
    // invoking APIs" (KB 4464930), and the rate-limit/quota policy reference.
    (
        "missing subscription key",
        "Azure API Management",
        Reason::MissingCredentials,
    ),
    (
        "invalid subscription key",
        "Azure API Management",
        Reason::InvalidKey,
    ),
    (
        "out of call volume quota",
        "Azure API Management",
        Reason::QuotaExceeded,
    ),
    (
        "rate limit is exceeded",
        "Azure API Management",
        Reason::RateLimited,
    ),
    // Kong: key-auth `{"message":"No API key found in request"}` and `{"message":"Invalid
    // authentication credentials"}` (kong/plugins/key-auth/handler.lua), rate-limiting 429
    // `{"message":"API rate limit exceeded"}` (kong/plugins/rate-limiting/handler.lua),
    // ip-restriction 403 "Your IP address is not allowed" (kong/plugins/ip-restriction).
    (
        "no api key found in request",
        "Kong",
        Reason::MissingCredentials,
    ),
    (
        "invalid authentication credentials",
        "Kong",
        Reason::InvalidKey,
    ),
    ("api rate limit exceeded", "Kong", Reason::RateLimited),
    ("ip address is not allowed", "Kong", Reason::IpNotAllowed),
    // Kong's acl plugin: 403 `{"message":"You cannot consume this service"}` when the key's
    // consumer is in no group the route allows (kong/plugins/acl/handler.lua,
    // `kong.response.error(403, "You cannot consume this service")`): the key is valid, but
    // not for this route, the gateway's own form of a missing permission.
    (
        "you cannot consume this service",
        "Kong (acl)",
        Reason::InsufficientScope,
    ),
    // Tyk, whose error template is `{"error": "<message>"}`: 403 "Quota exceeded" and 429
    // "Rate limit exceeded" (gateway/mw_rate_limiting.go, handleQuotaFailure and
    // handleRateLimitFailure), 401 "Authorization field missing" (gateway/mw_auth_key.go,
    // auth.auth_field_missing).
    ("quota exceeded", "Tyk", Reason::QuotaExceeded),
    (
        "authorization field missing",
        "Tyk",
        Reason::MissingCredentials,
    ),
    // Envoy's jwt_authn filter answers 401 with its verification status as a plain-text
    // body, e.g. "Jwt is expired", "Jwt not yet valid", "Jwt is missing" (envoyproxy/envoy
    // source/common/jwt/status.cc, getStatusString), with `WWW-Authenticate: Bearer
    // realm=…, error="invalid_token"` that names no cause.
    ("jwt is expired", "Envoy", Reason::ExpiredToken),
    ("jwt not yet valid", "Envoy", Reason::TokenNotYetValid),
    ("jwt is missing", "Envoy", Reason::MissingCredentials),
    // Web application firewalls answer 403 with an HTML page before the gateway sees the
    // request. Cloudflare's block page: "Sorry, you have been blocked" / "Attention
    // Required! | Cloudflare", and "Error code: 1020" "Access denied" for a firewall rule,
    // with a Ray ID (Cloudflare docs, "Error 1020: Access denied"). CloudFront with AWS WAF:
    // "403 ERROR The request could not be satisfied. Request blocked." (AWS knowledge
    // center, "cloudfront-403-request-blocked"). Akamai: "Access Denied … Reference #".
    (
        "sorry, you have been blocked",
        "Cloudflare",
        Reason::WafBlocked,
    ),
    ("error code: 1020", "Cloudflare", Reason::WafBlocked),
    (
        "attention required! | cloudflare",
        "Cloudflare",
        Reason::WafBlocked,
    ),
    (
        "request blocked.",
        "AWS WAF (CloudFront)",
        Reason::WafBlocked,
    ),
    (
        "you don't have permission to access",
        "Akamai",
        Reason::WafBlocked,
    ),
    // Generic phrasings, said by many gateways and frameworks.
    ("rate limit", "", Reason::RateLimited),
    ("ratelimit", "", Reason::RateLimited),
    ("too many requests", "", Reason::RateLimited),
    ("limit exceeded", "", Reason::QuotaExceeded),
    ("token has expired", "", Reason::ExpiredToken),
    ("token expired", "", Reason::ExpiredToken),
    ("jwt expired", "", Reason::ExpiredToken),
];

/// The reason the response gives, if it is conclusive. `rate_limit_headers` says whether the
/// response carried `Retry-After` or rate-limit headers.
pub fn recognise(
    p: &Parsed,
    rate_limit_headers: bool,
    remaining: Option<i64>,
) -> Option<GatewayError> {
    // An RFC 6750 challenge is the server's own word and beats any body.
    if let Some(found) = from_challenges(p) {
        return Some(found);
    }
    let message = body_message(&p.body);
    let found = message.as_deref().and_then(|m| {
        let lower = m.to_ascii_lowercase();
        PHRASES
            .iter()
            .find(|(needle, _, _)| lower.contains(needle))
            .map(|(_, gateway, reason)| GatewayError {
                gateway,
                reason: *reason,
                // Outside text: a key echoed in the body stays masked, a runaway one is cut.
                message: crate::secret::redact(m, &[]).chars().take(200).collect(),
            })
    });
    if found.is_some() {
        return found;
    }
    // AWS names the gateway response type in a header even when the body was customised.
    if let Some(kind) = p.header("x-amzn-errortype") {
        let reason = match kind.split(':').next().unwrap_or(kind) {
            "MissingAuthenticationTokenException" => Some(Reason::WrongEndpoint),
            "LimitExceededException" => Some(Reason::QuotaExceeded),
            "TooManyRequestsException" => Some(Reason::RateLimited),
            _ => None,
        };
        if let Some(reason) = reason {
            return Some(GatewayError {
                gateway: "AWS API Gateway",
                reason,
                message: kind.to_string(),
            });
        }
    }
    let limited = (p.status == Some(429) && rate_limit_headers) || remaining == Some(0);
    limited.then(|| GatewayError {
        gateway: "",
        reason: Reason::RateLimited,
        message: match p.status {
            Some(s) => format!("{s} with rate-limit headers"),
            None => "rate-limit headers with nothing left".into(),
        },
    })
}

fn from_challenges(p: &Parsed) -> Option<GatewayError> {
    p.headers
        .iter()
        .filter(|(n, _)| n == "www-authenticate")
        .filter_map(|(_, v)| super::parse_challenges(v).ok())
        .flatten()
        .find_map(|ch| {
            let description = ch.param("error_description").unwrap_or_default();
            let reason = match ch.param("error")? {
                "insufficient_scope" => Reason::InsufficientScope,
                "invalid_token" if description.to_ascii_lowercase().contains("expired") => {
                    Reason::ExpiredToken
                }
                _ => return None,
            };
            Some(GatewayError {
                gateway: "",
                reason,
                message: format!("WWW-Authenticate: {} error", ch.scheme),
            })
        })
}

/// The human message of an error body: the JSON members gateways put it in, joined, or the
/// text itself when the body is not JSON.
fn body_message(body: &str) -> Option<String> {
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Some(body.chars().take(500).collect());
    };
    const PATHS: &[&[&str]] = &[
        &["message"],
        &["Message"],
        &["error"],
        &["error", "message"],
        &["error_description"],
        &["detail"],
        &["title"],
        &["fault", "faultstring"],
        &["fault", "detail", "errorcode"],
    ];
    let parts: Vec<&str> = PATHS
        .iter()
        .filter_map(|path| path.iter().try_fold(&value, |v, k| v.get(k))?.as_str())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" | "))
}

#[cfg(test)]
mod tests;
