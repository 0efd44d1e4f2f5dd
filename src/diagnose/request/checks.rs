//! Judging the credential a parsed request carries: where it is, how its header is written,
//! and what the key itself looks like. Every message shows the key masked.

use super::parse::{Header, ParsedRequest};
use super::{KeyFormat, RequestContext};
use crate::diagnose::{Code, Finding, Severity};
use crate::secret::{MaskedSecret, key_environment};
use base64::Engine;

/// Headers that carry credentials at one gateway or another.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "x-api-token",
    "api-token",
    "x-auth-token",
    "x-access-token",
    "token",
    "x-key",
];
/// Query parameters that carry credentials.
const CREDENTIAL_PARAMS: &[&str] = &[
    "api_key",
    "apikey",
    "api-key",
    "key",
    "access_token",
    "token",
    "x-api-key",
    "auth",
];
/// Words customers put before a key.
const SCHEMES: &[&str] = &[
    "bearer", "basic", "token", "apikey", "api-key", "key", "digest", "jwt",
];

/// Where a credential was found.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Header(String),
    Query(String),
}

impl Place {
    pub fn describe(&self) -> String {
        match self {
            Place::Header(n) => format!("the `{n}` header"),
            Place::Query(p) => format!("the `{p}` query parameter"),
        }
    }
}

/// A credential as sent: the scheme words before it and the key exactly as written.
#[derive(Debug, Clone)]
pub struct Credential {
    pub place: Place,
    pub schemes: Vec<String>,
    /// Everything after the scheme, quotes, spaces and line breaks included.
    pub sent: String,
    /// The key with quotes, whitespace and invisible characters removed: what the customer
    /// meant to send. Used for length, environment and the mask.
    pub clean: String,
}

impl Credential {
    pub fn masked(&self) -> MaskedSecret {
        MaskedSecret::new(&self.clean)
    }
}

pub fn find_credentials(req: &ParsedRequest, ctx: &RequestContext) -> Vec<Credential> {
    let mut found: Vec<Credential> = req
        .headers
        .iter()
        .filter(|h| is_credential_header(h, ctx))
        .map(from_header)
        .collect();
    found.extend(
        req.query
            .iter()
            .filter(|(k, v)| {
                CREDENTIAL_PARAMS.contains(&k.to_ascii_lowercase().as_str())
                    || key_environment(v).is_some()
            })
            .map(|(k, v)| Credential {
                place: Place::Query(k.clone()),
                schemes: Vec::new(),
                sent: v.clone(),
                clean: clean(v),
            }),
    );
    // The one the gateway would read comes first.
    found.sort_by_key(|c| match &c.place {
        Place::Header(n) if n.eq_ignore_ascii_case(&ctx.expect_header) => 0,
        Place::Header(_) => 1,
        Place::Query(_) => 2,
    });
    found
}

fn is_credential_header(h: &Header, ctx: &RequestContext) -> bool {
    let name = h.name.to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&name.as_str())
        || name.eq_ignore_ascii_case(&ctx.expect_header)
        || (name != "host" && key_environment(&h.value).is_some())
}

fn from_header(h: &Header) -> Credential {
    let mut rest = h.value.trim_start_matches([' ', '\t']);
    let mut schemes = Vec::new();
    while let Some((word, after)) = rest.split_once([' ', '\t']) {
        if !SCHEMES.contains(&word.to_ascii_lowercase().as_str()) || after.trim().is_empty() {
            break;
        }
        schemes.push(word.to_string());
        // Exactly one separator belongs to the syntax; more is whitespace in the key.
        rest = after;
    }
    let is_basic = schemes
        .last()
        .is_some_and(|s| s.eq_ignore_ascii_case("basic"));
    let clean_key = if is_basic {
        basic_user_or_password(rest)
    } else {
        clean(rest)
    };
    Credential {
        place: Place::Header(h.name.clone()),
        schemes,
        sent: rest.to_string(),
        clean: clean_key,
    }
}

/// With Basic, API keys travel as the user name (or the password with an empty user).
fn basic_user_or_password(encoded: &str) -> String {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    match decoded.as_deref().and_then(|d| d.split_once(':')) {
        Some(("", pass)) => clean(pass),
        Some((user, _)) => clean(user),
        None => clean(encoded),
    }
}

fn clean(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\''))
        .collect()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
    )
}

/// `Bearer Bearer …`: wrong whatever the gateway expects.
pub fn check_doubled_scheme(cred: &Credential, out: &mut Vec<Finding>) {
    if cred.schemes.len() > 1 {
        out.push(Finding::new(
            Code::SchemeDoubled,
            Severity::Error,
            format!(
                "{} says `{}` before the key: the scheme is written {} times, so the server \
                 reads `{}` as the token. Send the scheme once.",
                cred.place.describe(),
                cred.schemes.join(" "),
                cred.schemes.len(),
                cred.schemes[1..].join(" ")
            ),
        ));
    }
}

/// Checks of how the primary credential's header is written.
pub fn check_scheme(cred: &Credential, ctx: &RequestContext, out: &mut Vec<Finding>) {
    let shown = cred.masked();
    let sent_scheme = cred.schemes.first().map(|s| s.to_ascii_lowercase());
    match (&ctx.expect_scheme, sent_scheme.as_deref()) {
        (Some(want), None) => out.push(Finding::new(
            Code::SchemeMissing,
            Severity::Error,
            format!(
                "{} holds the key {shown} with no scheme; the gateway expects `{want} <key>`.",
                cred.place.describe()
            ),
        )),
        (Some(want), Some("basic")) if !want.eq_ignore_ascii_case("basic") => {
            out.push(Finding::new(
                Code::BasicInsteadOfBearer,
                Severity::Error,
                format!(
                    "The request sends Basic credentials (user:password in base64, as `curl -u` \
                 does); the gateway expects `{want} <key>`."
                ),
            ))
        }
        (Some(want), Some(sent)) if !want.eq_ignore_ascii_case(sent) => out.push(Finding::new(
            Code::WrongScheme,
            Severity::Error,
            format!("The scheme sent is `{sent}`; the gateway expects `{want}`."),
        )),
        (None, Some(sent)) => out.push(Finding::new(
            Code::UnexpectedScheme,
            Severity::Error,
            format!(
                "{} starts with `{sent} `, but the gateway reads that header verbatim: it sees \
                 `{sent} ` as part of the key. Send only the key.",
                cred.place.describe()
            ),
        )),
        _ => {}
    }
}

/// What the key's format says: its environment, the environment the request targets, and
/// the length its format expects (none when the format is unknown).
#[derive(Debug, Default)]
pub struct KeyJudgement {
    pub key_env: Option<String>,
    pub target_env: Option<String>,
    pub expected_length: Option<String>,
}

/// Checks of the key's characters, length, format and environment.
pub fn check_key(
    cred: &Credential,
    ctx: &RequestContext,
    host_env: Option<&str>,
    out: &mut Vec<Finding>,
) -> KeyJudgement {
    let sent = cred.sent.as_str();
    let shown = cred.masked();
    let place = cred.place.describe();
    if sent.contains(['\n', '\r']) {
        out.push(Finding::new(
            Code::KeyLineBreak,
            Severity::Error,
            format!("The key {shown} in {place} is broken across lines; paste it on one line."),
        ));
    }
    if let Some((pos, c)) = sent
        .chars()
        .enumerate()
        .find(|(_, c)| is_invisible(*c) || !c.is_ascii())
    {
        let what = if is_invisible(c) {
            "an invisible (zero-width) character"
        } else {
            "a non-ASCII character"
        };
        out.push(Finding::new(
            Code::KeyInvisibleChar,
            Severity::Error,
            format!(
                "The key {shown} contains {what} (U+{:04X}) at position {}: typical of copying \
                 from a document or chat. Copy the key again from the dashboard.",
                c as u32,
                pos + 1
            ),
        ));
    }
    let unquoted = sent.trim();
    if unquoted.starts_with(['"', '\'']) || unquoted.ends_with(['"', '\'']) {
        out.push(Finding::new(
            Code::KeyQuoted,
            Severity::Error,
            format!("The key {shown} is wrapped in quotes, which are sent as part of it."),
        ));
    }
    let inner = unquoted.trim_matches(['"', '\'']).trim();
    if inner.contains([' ', '\t']) {
        out.push(Finding::new(
            Code::KeyWhitespace,
            Severity::Error,
            format!("The key {shown} has a space or tab inside it."),
        ));
    } else if sent != sent.trim() {
        out.push(Finding::new(
            Code::KeyWhitespace,
            Severity::Warning,
            format!(
                "The key {shown} has spaces or tabs around it; most servers strip them, \
                 some compare them."
            ),
        ));
    }
    check_format(cred, ctx, host_env, out)
}

/// What an application sends when the variable meant to hold the key is unset or was never
/// expanded: JavaScript's `undefined`/`null`, Python's `None`, an empty value, a shell or
/// template reference, or the documentation's placeholder.
fn is_placeholder(key: &str) -> bool {
    is_unset_word(key) || is_reference(key)
}

/// The words a language prints for a missing value: no secret, so they may be shown.
fn is_unset_word(key: &str) -> bool {
    matches!(
        key.to_ascii_lowercase().as_str(),
        "" | "undefined" | "null" | "none" | "nil" | "nan" | "false" | "[objectobject]"
    )
}

fn is_reference(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let variable = lower.strip_prefix('$').is_some_and(|name| {
        name.trim_start_matches('{')
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '}'))
    });
    variable
        || lower.starts_with("{{")
        || lower.starts_with("<your")
        || lower.starts_with("process.env.")
        || lower.starts_with("os.environ")
        || lower.contains("your_api_key")
        || lower.contains("your-api-key")
        || lower == "api_key"
}

fn check_format(
    cred: &Credential,
    ctx: &RequestContext,
    host_env: Option<&str>,
    out: &mut Vec<Finding>,
) -> KeyJudgement {
    let shown = cred.masked();
    let key = cred.clean.as_str();
    if is_placeholder(key) {
        // `undefined` is no secret, and saying it is what makes the cause obvious; anything
        // else stays masked, in case a real key looks like a reference.
        let what = match key {
            "" => "nothing".to_string(),
            word if is_unset_word(word) => format!("`{word}`"),
            _ => shown.to_string(),
        };
        out.push(Finding::new(
            Code::KeyPlaceholder,
            Severity::Error,
            format!(
                "{} holds {what}, not a key: the variable the application reads the key \
                 from is unset or was never expanded.",
                cred.place.describe()
            ),
        ));
        return KeyJudgement::default();
    }
    let format = super::key_format::find(&ctx.key_formats, key);
    let env = format
        .and_then(|f| f.environment.clone())
        .or_else(|| key_environment(key).map(str::to_string));
    match format {
        None => {
            // A JWT or another system's key has no length we know: it is never "too short".
            let known: Vec<String> = ctx
                .key_formats
                .iter()
                .map(|f| format!("`{}`", f.prefix))
                .collect();
            out.push(Finding::new(
                Code::KeyUnknownFormat,
                Severity::Warning,
                format!(
                    "The credential {shown} does not start with a known key prefix ({}); it may \
                     be a token or a key from another system.",
                    known.join(", ")
                ),
            ));
        }
        Some(f) => {
            let (min, max) = f.range();
            let wrong = if key.len() < min {
                Some((Code::KeyTooShort, "It was probably cut short when copied."))
            } else if key.len() > max {
                Some((Code::KeyTooLong, "Something was pasted with it."))
            } else {
                None
            };
            if let Some((code, what)) = wrong {
                out.push(Finding::new(
                    code,
                    Severity::Error,
                    format!(
                        "The key {shown} is {} characters long; `{}` keys have {}. {what}",
                        key.len(),
                        f.prefix,
                        f.describe_length()
                    ),
                ));
            }
        }
    }
    let want = ctx.expect_env.as_deref().or(host_env);
    if let (Some(have), Some(want)) = (env.as_deref(), want)
        && have != want
    {
        out.push(Finding::new(
            Code::KeyEnvMismatch,
            Severity::Error,
            format!("The key {shown} is a {have} key, sent to the {want} API."),
        ));
    }
    KeyJudgement {
        key_env: env,
        target_env: want.map(str::to_string),
        expected_length: format.map(KeyFormat::describe_length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_quotes_spaces_and_invisible_chars() {
        assert_eq!(clean(" \"sk_live_a\u{200b}b\" "), "sk_live_ab");
    }

    #[test]
    fn unset_variables_are_placeholders_and_keys_are_not() {
        for text in [
            "undefined",
            "None",
            "null",
            "${API_KEY}",
            "$API_KEY",
            "{{api_key}}",
            "<your key>",
            "",
        ] {
            assert!(is_placeholder(&clean(text)), "{text:?}");
        }
        for key in [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "eyJhbGciOiJSUzI1NiJ9.e30.sig",
            "nonesuch_key_123",
        ] {
            assert!(!is_placeholder(key), "{key}");
        }
    }

    #[test]
    fn doubled_scheme_is_collected() {
        let c = from_header(&Header {
            name: "Authorization".into(),
            value: "Bearer bearer tok".into(),
        });
        assert_eq!(c.schemes, ["Bearer", "bearer"]);
        assert_eq!(c.sent, "tok");
    }

    #[test]
    fn basic_yields_the_user_name() {
        let c = from_header(&Header {
            name: "Authorization".into(),
            value: "Basic c2tfbGl2ZV94eXo6".into(),
        });
        assert_eq!(c.clean, "sk_live_xyz");
    }
}
