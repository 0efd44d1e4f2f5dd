//! `inspect request`: finds the credential in a pasted curl command, raw HTTP request or
//! header list, and reports what is wrong with where and how it is sent.

mod checks;
mod key_format;
mod parse;

pub use key_format::{KeyFormat, defaults as default_key_formats};
pub use parse::RequestForm;

use crate::diagnose::{Code, DiagnoseError, Finding, Severity};
use crate::facts::{FactValue, name};
use crate::secret::{Fingerprint, is_comparable_key};
use checks::{Credential, KeyJudgement, Place};
use serde::Serialize;

/// What the gateway the request is meant for accepts. The defaults describe the demo
/// gateway: `X-API-Key: sk_live_<32 alphanumerics>`, no scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestContext {
    /// Header the gateway reads the credential from.
    pub expect_header: String,
    /// Scheme expected before the key in that header (`Bearer`), if any.
    pub expect_scheme: Option<String>,
    /// The API's host; a request elsewhere is a finding.
    pub api_host: Option<String>,
    /// The kinds of key the gateway issues; a key of none of them is not measured.
    pub key_formats: Vec<KeyFormat>,
    /// Environment the request targets (`live`/`test`); guessed from the host when unset.
    pub expect_env: Option<String>,
}

impl Default for RequestContext {
    fn default() -> Self {
        Self {
            expect_header: "X-API-Key".into(),
            expect_scheme: None,
            api_host: None,
            key_formats: key_format::defaults(),
            expect_env: None,
        }
    }
}

/// Everything `inspect request` found, ready to print or serialize.
#[derive(Debug, Clone, Serialize)]
pub struct RequestReport {
    pub form: RequestForm,
    pub method: Option<String>,
    pub host: Option<String>,
    /// Where the credential the gateway would read was found, e.g. "the `X-API-Key` header".
    pub credential_at: Option<String>,
    /// That credential, masked with its fingerprint.
    pub credential: Option<String>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    facts: Vec<(&'static str, FactValue)>,
}

impl RequestReport {
    pub fn facts(&self) -> &[(&'static str, FactValue)] {
        &self.facts
    }
}

/// Credential-format problems, most decisive first: `request.header_problem` names the first
/// one found, which is what a runbook branches on.
const HEADER_PROBLEM_ORDER: &[Code] = &[
    Code::NoCredential,
    Code::KeyPlaceholder,
    Code::WrongHeader,
    Code::KeyInQuery,
    Code::BasicInsteadOfBearer,
    Code::WrongScheme,
    Code::SchemeMissing,
    Code::SchemeDoubled,
    Code::UnexpectedScheme,
    Code::KeyLineBreak,
    Code::KeyInvisibleChar,
    Code::KeyQuoted,
    Code::KeyWhitespace,
    Code::KeyTooShort,
    Code::KeyTooLong,
    Code::CredentialSentTwice,
];

pub fn inspect_request(text: &str, ctx: &RequestContext) -> Result<RequestReport, DiagnoseError> {
    let req = parse::parse(text)?;
    let creds = checks::find_credentials(&req, ctx);
    let host_env = host_environment(req.host.as_deref(), ctx);
    let mut findings = Vec::new();
    if let (Some(want), Some(host)) = (&ctx.api_host, &req.host)
        && !want.eq_ignore_ascii_case(host)
    {
        findings.push(Finding::new(
            Code::WrongHost,
            Severity::Error,
            format!("The request goes to `{host}`, not to the API at `{want}`."),
        ));
    }
    let primary = creds.first();
    let mut judged = KeyJudgement::default();
    match primary {
        None => findings.push(Finding::new(
            Code::NoCredential,
            Severity::Error,
            format!(
                "The request sends no API key or token. The gateway expects it in the `{}` header.",
                ctx.expect_header
            ),
        )),
        Some(cred) => {
            check_place(cred, &creds, ctx, &mut findings);
            // A doubled scheme is wrong in any header, so it is reported on the defaults too.
            checks::check_doubled_scheme(cred, &mut findings);
            // In a header the gateway does not read, how the value is written is moot.
            if matches!(&cred.place, Place::Header(n) if n.eq_ignore_ascii_case(&ctx.expect_header))
            {
                checks::check_scheme(cred, ctx, &mut findings);
            }
            judged = checks::check_key(cred, ctx, host_env, &mut findings);
        }
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let facts = facts(primary, &creds, &findings, &judged);
    Ok(RequestReport {
        form: req.form,
        method: req.method,
        host: req.host,
        credential_at: primary.map(|c| c.place.describe()),
        credential: primary.map(|c| c.masked().to_string()),
        findings,
        facts,
    })
}

fn check_place(
    cred: &Credential,
    all: &[Credential],
    ctx: &RequestContext,
    out: &mut Vec<Finding>,
) {
    let shown = cred.masked();
    match &cred.place {
        Place::Header(name) if !name.eq_ignore_ascii_case(&ctx.expect_header) => {
            let how = match cred.schemes.first() {
                Some(s) => format!("`{name}: {s} …`"),
                None => format!("`{name}`"),
            };
            let want = match &ctx.expect_scheme {
                Some(s) => format!("`{}: {s} <key>`", ctx.expect_header),
                None => format!("`{}: <key>`", ctx.expect_header),
            };
            out.push(Finding::new(
                Code::WrongHeader,
                Severity::Error,
                format!("The key {shown} is sent in {how}, but this gateway reads it from {want}."),
            ));
        }
        _ => {}
    }
    for c in all.iter().filter(|c| matches!(c.place, Place::Query(_))) {
        let primary = std::ptr::eq(c, cred);
        out.push(Finding::new(
            Code::KeyInQuery,
            if primary {
                Severity::Error
            } else {
                Severity::Warning
            },
            format!(
                "The key {} is in {}: URLs end up in proxy, server and browser logs, so the key \
                 leaks.{}",
                c.masked(),
                c.place.describe(),
                if primary {
                    format!(
                        " The gateway reads it from the `{}` header.",
                        ctx.expect_header
                    )
                } else {
                    String::new()
                }
            ),
        ));
    }
    if all.len() > 1 {
        let places: Vec<String> = all.iter().map(|c| c.place.describe()).collect();
        let same = all.iter().all(|c| c.clean == cred.clean);
        out.push(Finding::new(
            Code::CredentialSentTwice,
            Severity::Error,
            format!(
                "Credentials are sent {} ways ({}), {}. RFC 6750 makes that an \
                 invalid_request; gateways reject or pick one unpredictably.",
                all.len(),
                places.join(", "),
                if same {
                    "the same key each time"
                } else {
                    "and they differ"
                }
            ),
        ));
    }
}

/// A sandbox or test host expects test keys; the configured API host expects live ones.
fn host_environment(host: Option<&str>, ctx: &RequestContext) -> Option<&'static str> {
    let host = host?;
    if host
        .split(['.', '-'])
        .any(|l| matches!(l, "sandbox" | "test" | "staging"))
    {
        Some("test")
    } else if ctx
        .api_host
        .as_deref()
        .is_some_and(|a| a.eq_ignore_ascii_case(host))
    {
        Some("live")
    } else {
        None
    }
}

fn facts(
    primary: Option<&Credential>,
    all: &[Credential],
    findings: &[Finding],
    judged: &KeyJudgement,
) -> Vec<(&'static str, FactValue)> {
    let problem = HEADER_PROBLEM_ORDER
        .iter()
        .find(|code| {
            findings
                .iter()
                .any(|f| f.code == **code && f.severity == Severity::Error)
        })
        .map_or("none", |c| c.as_str());
    let mut facts = vec![
        (
            name::REQUEST_CREDENTIAL_PRESENT,
            FactValue::Bool(primary.is_some()),
        ),
        (
            name::REQUEST_HEADER_PROBLEM,
            FactValue::Text(problem.into()),
        ),
        (
            name::REQUEST_KEY_IN_QUERY,
            FactValue::Bool(all.iter().any(|c| matches!(c.place, Place::Query(_)))),
        ),
    ];
    if let Some(cred) = primary {
        if let Place::Header(name) = &cred.place {
            facts.push((name::REQUEST_HEADER_NAME, FactValue::Text(name.into())));
        }
        if let Some(env) = &judged.key_env {
            facts.push((name::REQUEST_KEY_ENV, FactValue::Text(env.into())));
        }
        // Held against the key record's fingerprint: a token or a placeholder would differ
        // from any key's and flag a mismatch that is none.
        if is_comparable_key(&cred.clean) {
            let fingerprint = Fingerprint::of(&cred.clean).to_string();
            facts.push((
                name::REQUEST_KEY_FINGERPRINT,
                FactValue::Text(fingerprint.into()),
            ));
        }
        if let (Some(have), Some(want)) = (&judged.key_env, &judged.target_env) {
            facts.push((name::REQUEST_ENV_MISMATCH, FactValue::Bool(have != want)));
        }
        if let Some(expected) = &judged.expected_length {
            let length_ok = !findings
                .iter()
                .any(|f| matches!(f.code, Code::KeyTooShort | Code::KeyTooLong));
            facts.push((name::REQUEST_KEY_LENGTH_OK, FactValue::Bool(length_ok)));
            if !length_ok {
                facts.push((
                    name::REQUEST_KEY_LENGTH,
                    FactValue::Number(cred.clean.len() as f64),
                ));
                facts.push((
                    name::REQUEST_KEY_EXPECTED_LENGTH,
                    FactValue::Text(expected.into()),
                ));
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests;
