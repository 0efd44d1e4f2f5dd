//! `inspect jwt`: decodes a JWT's header and claims without verifying it and without any
//! network, and judges its lifetime against a reference clock. The signature is never
//! decoded for display or printed; only its length is reported.

use crate::diagnose::{Code, DiagnoseError, Finding, Severity};
use crate::facts::{FactValue, name};
use crate::secret::{MaskedSecret, redact_json};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// The clock a token is judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtContext {
    /// Now, or the `Date` of the response the customer got.
    pub now: DateTime<Utc>,
    /// Clock difference tolerated before `nbf`/`iat`/`exp` count as violated.
    pub leeway_s: i64,
    /// The audience the API's tokens must name in `aud`, when configured.
    pub audience: Option<String>,
}

impl JwtContext {
    /// Default leeway of 60 s, what most JWT libraries allow.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            leeway_s: 60,
            audience: None,
        }
    }
}

/// A token decoded and judged; every claim and header value redacted.
#[derive(Debug, Clone, Serialize)]
pub struct JwtReport {
    /// Fingerprint of the whole token, to match it across tickets without showing it.
    pub fingerprint: String,
    pub header: Value,
    pub claims: Value,
    pub alg: Option<String>,
    pub scopes: Vec<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub not_before: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub checked_at: DateTime<Utc>,
    pub signature_bytes: usize,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    facts: Vec<(&'static str, FactValue)>,
}

impl JwtReport {
    pub fn facts(&self) -> &[(&'static str, FactValue)] {
        &self.facts
    }
}

/// JWTs are unpadded base64url, but pasted ones sometimes carry padding; accept both.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub fn inspect_jwt(text: &str, ctx: &JwtContext) -> Result<JwtReport, DiagnoseError> {
    let (line, token) = find_token(text)?;
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next(), parts.next(), parts.next());
    let (Some(h), Some(c), Some(s), None) = (h, c, s, parts.next()) else {
        return Err(DiagnoseError::input(
            line,
            "a JWT has exactly three dot-separated parts",
        ));
    };
    // Claims such as `kid` or `scope` may hold an API key: only their redacted form is kept.
    let header = redact_json(&decode_part(h, "header", line)?);
    let claims = redact_json(&decode_part(c, "claims", line)?);
    let signature_bytes = B64.decode(s).map(|b| b.len()).unwrap_or(s.len() * 3 / 4);
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .map(str::to_string);
    let time = |name: &str| claims.get(name).and_then(numeric_date);
    let (iat, nbf, exp) = (time("iat"), time("nbf"), time("exp"));
    let scopes = scopes(&claims);

    let mut findings: Vec<Finding> = signature_finding(alg.as_deref(), s).into_iter().collect();
    lifetime_findings(ctx, iat, nbf, exp, &mut findings);
    if let Some(want) = &ctx.audience
        && !audiences(&claims).contains(&want.as_str())
    {
        let have = audiences(&claims).join(", ");
        findings.push(Finding::new(
            Code::WrongAudience,
            Severity::Error,
            format!(
                "The token is for audience `{}`, not this API's `{want}`: it was issued for \
                 another API or client.",
                if have.is_empty() { "(none)" } else { &have }
            ),
        ));
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut report = JwtReport {
        fingerprint: MaskedSecret::new(token).fingerprint().to_string(),
        header,
        claims,
        alg,
        scopes,
        issued_at: iat,
        not_before: nbf,
        expires_at: exp,
        checked_at: ctx.now,
        signature_bytes,
        findings,
        facts: Vec::new(),
    };
    report.facts = report_facts(&report, ctx.leeway_s);
    Ok(report)
}

/// An unsigned token, or one whose signature was lost when it was copied.
fn signature_finding(alg: Option<&str>, signature: &str) -> Option<Finding> {
    if alg.is_some_and(|a| a.eq_ignore_ascii_case("none")) {
        Some(Finding::new(
            Code::AlgNone,
            Severity::Error,
            "The token says `alg: none`: it is unsigned, and any server that checks tokens \
             properly rejects it.",
        ))
    } else if signature.is_empty() {
        Some(Finding::new(
            Code::NoSignature,
            Severity::Error,
            "The signature part is empty: the token was cut at the last dot when copied.",
        ))
    } else {
        None
    }
}

/// The report's facts, judged at its `checked_at` with `leeway_s` of tolerated skew.
fn report_facts(r: &JwtReport, leeway_s: i64) -> Vec<(&'static str, FactValue)> {
    let now = r.checked_at;
    let mut facts = Vec::new();
    let unusable = [Code::AlgNone, Code::NoSignature, Code::WrongAudience]
        .into_iter()
        .find(|c| r.findings.iter().any(|f| f.code == *c));
    facts.push((
        name::JWT_PROBLEM,
        FactValue::Text(unusable.map_or("none", Code::as_str).into()),
    ));
    if let Some(a) = &r.alg {
        facts.push((name::JWT_ALG, FactValue::Text(a.into())));
    }
    if let Some(exp) = r.expires_at {
        let expired_for = (now - exp).num_seconds();
        facts.push((name::JWT_EXPIRED, FactValue::Bool(expired_for > leeway_s)));
        facts.push((
            name::JWT_EXPIRED_FOR_S,
            FactValue::Number(expired_for as f64),
        ));
    }
    let ahead = [r.issued_at, r.not_before]
        .into_iter()
        .flatten()
        .map(|t| (t - now).num_seconds())
        .max();
    facts.push((
        name::JWT_NOT_YET_VALID,
        FactValue::Bool(
            r.findings
                .iter()
                .any(|f| matches!(f.code, Code::NotYetValid | Code::IssuedInFuture)),
        ),
    ));
    if let Some(ahead) = ahead {
        facts.push((
            name::JWT_CLOCK_SKEW_S,
            FactValue::Number(ahead.max(0) as f64),
        ));
    }
    if r.claims.get("scope").is_some() || r.claims.get("scp").is_some() {
        facts.push((
            name::JWT_SCOPES,
            FactValue::TextList(r.scopes.iter().map(Into::into).collect()),
        ));
    }
    facts
}

fn lifetime_findings(
    ctx: &JwtContext,
    iat: Option<DateTime<Utc>>,
    nbf: Option<DateTime<Utc>>,
    exp: Option<DateTime<Utc>>,
    out: &mut Vec<Finding>,
) {
    let at = ctx.now.format("%Y-%m-%d %H:%M:%S UTC");
    match exp {
        None => out.push(Finding::new(
            Code::NoExpiry,
            Severity::Warning,
            "The token has no `exp` claim; many servers reject tokens that never expire.",
        )),
        Some(exp) => {
            let left = (exp - ctx.now).num_seconds();
            if -left > ctx.leeway_s {
                out.push(Finding::new(
                    Code::TokenExpired,
                    Severity::Error,
                    format!(
                        "The token expired {} ago ({}; checked at {at}). Get a new token.",
                        human(-left),
                        exp.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                ));
            } else if left < 300 {
                out.push(Finding::new(
                    Code::ExpiresSoon,
                    Severity::Warning,
                    format!(
                        "The token expires in {} (checked at {at}).",
                        human(left.max(0))
                    ),
                ));
            }
        }
    }
    if let Some(nbf) = nbf
        && (nbf - ctx.now).num_seconds() > ctx.leeway_s
    {
        out.push(Finding::new(
            Code::NotYetValid,
            Severity::Error,
            format!(
                "The token is not valid before {}, {} after {at}: beyond the {} s leeway. \
                 The issuer's clock is probably ahead.",
                nbf.format("%Y-%m-%d %H:%M:%S UTC"),
                human((nbf - ctx.now).num_seconds()),
                ctx.leeway_s
            ),
        ));
    }
    if let Some(iat) = iat
        && (iat - ctx.now).num_seconds() > ctx.leeway_s
    {
        out.push(Finding::new(
            Code::IssuedInFuture,
            Severity::Error,
            format!(
                "The token was issued {} in the future (iat {}, checked at {at}): the issuer's \
                 and the server's clocks disagree by more than the {} s leeway.",
                human((iat - ctx.now).num_seconds()),
                iat.format("%Y-%m-%d %H:%M:%S UTC"),
                ctx.leeway_s
            ),
        ));
    }
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
fn audiences(claims: &Value) -> Vec<&str> {
    match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether the text holds something shaped like a JWT, readable or not: a token that does
/// not decode is a malformed token, not a paste of something else.
pub fn looks_like_jwt(text: &str) -> bool {
    find_token(text).is_ok()
}

/// The first word that looks like a JWT, after `Authorization:` and `Bearer` if pasted.
fn find_token(text: &str) -> Result<(usize, &str), DiagnoseError> {
    for (i, line) in text.lines().enumerate() {
        for word in line.split([' ', '\t', '"', '\'', ',', ';']) {
            let word = word.trim_end_matches(['\r']);
            if word.split('.').count() >= 3 && word.starts_with("eyJ") {
                return Ok((i + 1, word));
            }
        }
    }
    let line = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
    Err(DiagnoseError::input(
        line,
        "no JWT found (a JWT is three dot-separated base64url parts starting with `eyJ`)",
    ))
}

fn decode_part(part: &str, what: &str, line: usize) -> Result<Value, DiagnoseError> {
    let bytes = B64.decode(part).map_err(|e| {
        DiagnoseError::input(line, format!("the JWT's {what} is not base64url: {e}"))
    })?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| DiagnoseError::input(line, format!("the JWT's {what} is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(DiagnoseError::input(
            line,
            format!("the JWT's {what} is not a JSON object"),
        ));
    }
    Ok(value)
}

/// RFC 7519 NumericDate: seconds since the epoch, possibly fractional; some issuers send it
/// as a string.
fn numeric_date(v: &Value) -> Option<DateTime<Utc>> {
    let secs = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    if !secs.is_finite() || secs.abs() > 1e12 {
        return None;
    }
    DateTime::from_timestamp(secs.floor() as i64, 0)
}

/// `scope` is a space-separated string (RFC 8693); Azure and others use `scp`, as a string
/// or an array.
fn scopes(claims: &Value) -> Vec<String> {
    let v = claims.get("scope").or_else(|| claims.get("scp"));
    match v {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// `3h 12m`, `45s`, `2d 4h`: how support agents say durations.
pub(crate) fn human(secs: i64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn make_jwt(header: &str, claims: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.{}",
            e(header),
            e(claims),
            e("SIGNATURE-CANARY-bytes")
        )
    }

    fn ctx() -> JwtContext {
        JwtContext::at("2026-11-22T10:00:00Z".parse().unwrap())
    }

    fn codes(r: &JwtReport) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    const NOW: i64 = 1_795_341_600; // 2026-11-22T10:00:00Z

    #[test]
    fn expired_token_says_how_long_ago() {
        let jwt = make_jwt(
            r#"{"alg":"RS256","typ":"JWT"}"#,
            &format!(
                r#"{{"exp":{},"iat":{}}}"#,
                NOW - 3 * 3600 - 720,
                NOW - 4 * 3600
            ),
        );
        let r = inspect_jwt(&format!("Authorization: Bearer {jwt}"), &ctx()).unwrap();
        assert_eq!(codes(&r), ["token-expired"]);
        assert!(
            r.findings[0].message.contains("3h 12m ago"),
            "{}",
            r.findings[0].message
        );
        assert!(
            r.facts()
                .contains(&(name::JWT_EXPIRED_FOR_S, FactValue::Number(11_520.0)))
        );
        assert!(
            r.facts()
                .contains(&(name::JWT_EXPIRED, FactValue::Bool(true)))
        );
    }

    #[test]
    fn expiry_within_leeway_is_not_expired() {
        let jwt = make_jwt(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, NOW - 30));
        let r = inspect_jwt(&jwt, &ctx()).unwrap();
        assert_eq!(codes(&r), ["expires-soon"]);
        assert!(
            r.facts()
                .contains(&(name::JWT_EXPIRED, FactValue::Bool(false)))
        );
    }

    #[test]
    fn alg_none_and_missing_exp() {
        let jwt = make_jwt(r#"{"alg":"none"}"#, r#"{"sub":"u1"}"#);
        let r = inspect_jwt(&jwt, &ctx()).unwrap();
        assert_eq!(codes(&r), ["alg-none", "no-expiry"]);
    }

    fn problem(facts: &[(&'static str, FactValue)]) -> String {
        facts
            .iter()
            .find(|(n, _)| *n == name::JWT_PROBLEM)
            .map(|(_, v)| v.to_string())
            .unwrap()
    }

    #[test]
    fn unsigned_token_is_a_problem_whatever_its_times() {
        // The RFC 7519 §6.1 example of an unsecured JWT.
        let jwt = "eyJhbGciOiJub25lIn0\
                   .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
                   .";
        let facts = crate::diagnose::facts_from_jwt(jwt, &ctx()).unwrap();
        assert_eq!(problem(&facts), "alg-none");
    }

    #[test]
    fn wrong_audience_only_when_one_is_configured() {
        let jwt = make_jwt(
            r#"{"alg":"RS256","typ":"JWT"}"#,
            &format!(
                r#"{{"aud":["https://billing.example.com"],"exp":{}}}"#,
                NOW + 3600
            ),
        );
        let facts = crate::diagnose::facts_from_jwt(&jwt, &ctx()).unwrap();
        assert_eq!(problem(&facts), "none");
        let want = JwtContext {
            audience: Some("https://api.example.com".into()),
            ..ctx()
        };
        let r = inspect_jwt(&jwt, &want).unwrap();
        assert_eq!(codes(&r), ["wrong-audience"]);
        assert!(r.findings[0].message.contains("billing.example.com"));
        assert_eq!(problem(r.facts()), "wrong-audience");
        let right = JwtContext {
            audience: Some("https://billing.example.com".into()),
            ..ctx()
        };
        assert_eq!(problem(inspect_jwt(&jwt, &right).unwrap().facts()), "none");
    }

    #[test]
    fn a_token_that_does_not_decode_is_malformed_but_other_text_is_an_error() {
        let garbled = "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.%%%%.c2ln";
        let facts = crate::diagnose::facts_from_jwt(garbled, &ctx()).unwrap();
        assert_eq!(
            facts,
            [(name::JWT_PROBLEM, FactValue::Text("malformed".into()))]
        );
        assert!(crate::diagnose::facts_from_jwt("no token here", &ctx()).is_err());
    }

    #[test]
    fn truncated_signature() {
        let jwt = make_jwt(
            r#"{"alg":"RS256"}"#,
            &format!(r#"{{"exp":{}}}"#, NOW + 3600),
        );
        let cut = &jwt[..jwt.rfind('.').unwrap() + 1];
        assert_eq!(codes(&inspect_jwt(cut, &ctx()).unwrap()), ["no-signature"]);
    }

    #[test]
    fn future_iat_and_nbf_are_clock_skew() {
        let jwt = make_jwt(
            r#"{"alg":"ES256"}"#,
            &format!(
                r#"{{"iat":{},"nbf":"{}","exp":{},"scp":["orders:read"]}}"#,
                NOW + 600,
                NOW + 590,
                NOW + 4200
            ),
        );
        let r = inspect_jwt(&jwt, &ctx()).unwrap();
        assert_eq!(codes(&r), ["not-yet-valid", "issued-in-future"]);
        assert!(
            r.facts()
                .contains(&(name::JWT_CLOCK_SKEW_S, FactValue::Number(600.0)))
        );
        assert!(
            r.facts()
                .contains(&(name::JWT_NOT_YET_VALID, FactValue::Bool(true)))
        );
        assert_eq!(r.scopes, ["orders:read"]);
    }

    #[test]
    fn wider_leeway_accepts_small_skew() {
        let jwt = make_jwt(
            r#"{"alg":"ES256"}"#,
            &format!(r#"{{"iat":{},"exp":{}}}"#, NOW + 120, NOW + 4000),
        );
        let ctx = JwtContext {
            leeway_s: 300,
            ..ctx()
        };
        assert!(codes(&inspect_jwt(&jwt, &ctx).unwrap()).is_empty());
    }

    #[test]
    fn not_a_jwt_names_the_line() {
        let err = inspect_jwt("\n\nhello", &ctx()).unwrap_err();
        assert!(err.to_string().starts_with("line 3:"), "{err}");
        let err = inspect_jwt("x\neyJhbGc.eyJzdWIi!!.sig", &ctx()).unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
    }

    #[test]
    fn report_never_holds_the_signature() {
        let jwt = make_jwt(r#"{"alg":"RS256"}"#, r#"{"exp":1}"#);
        let r = inspect_jwt(&jwt, &ctx()).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        let sig = jwt.rsplit('.').next().unwrap();
        assert!(!json.contains(sig) && !json.contains("CANARY"), "{json}");
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(45), "45s");
        assert_eq!(human(11_520), "3h 12m");
        assert_eq!(human(2 * 86_400 + 4 * 3600 + 5), "2d 4h");
    }
}
