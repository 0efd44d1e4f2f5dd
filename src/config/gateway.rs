//! `[gateway]` and `[[key_format]]`: what the gateway customers call expects, so `inspect`
//! and `run` judge a paste by the same rules.

use crate::diagnose::{KeyFormat, RequestContext, default_key_formats};
use serde::Deserialize;

#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGateway {
    pub expect_header: Option<String>,
    pub expect_scheme: Option<String>,
    pub api_host: Option<String>,
    pub jwt_audience: Option<String>,
}

/// The effective gateway settings.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Header the key is read from; `Authorization` by default when a scheme is expected.
    pub expect_header: Option<String>,
    pub expect_scheme: Option<String>,
    pub api_host: Option<String>,
    /// The `aud` the API's tokens carry; a token for another audience is unusable.
    pub jwt_audience: Option<String>,
    /// The kinds of key issued; the company's own format when the file names none.
    pub key_formats: Vec<KeyFormat>,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            expect_header: None,
            expect_scheme: None,
            api_host: None,
            jwt_audience: None,
            key_formats: default_key_formats(),
        }
    }
}

impl GatewayConfig {
    pub(super) fn apply(&mut self, raw: RawGateway, formats: Vec<KeyFormat>) -> Result<(), String> {
        if let Some(problem) = formats.iter().find_map(KeyFormat::problem) {
            return Err(problem);
        }
        if !formats.is_empty() {
            self.key_formats = formats;
        }
        self.expect_header = raw.expect_header.or(self.expect_header.take());
        self.expect_scheme = raw.expect_scheme.or(self.expect_scheme.take());
        self.api_host = raw.api_host.or(self.api_host.take());
        self.jwt_audience = raw.jwt_audience.or(self.jwt_audience.take());
        Ok(())
    }

    /// The request check's context from these settings.
    pub fn request_context(&self) -> RequestContext {
        let defaults = RequestContext::default();
        let expect_header = self.expect_header.clone().unwrap_or_else(|| {
            if self.expect_scheme.is_some() {
                "Authorization".into()
            } else {
                defaults.expect_header.clone()
            }
        });
        RequestContext {
            expect_header,
            expect_scheme: self.expect_scheme.clone(),
            api_host: self.api_host.clone(),
            key_formats: self.key_formats.clone(),
            expect_env: None,
        }
    }

    /// One line per format for `authdesk config`.
    pub fn describe_formats(&self) -> String {
        self.key_formats
            .iter()
            .map(|f| {
                let env = f.environment.as_deref().unwrap_or("any environment");
                format!("{}… ({} chars, {env})", f.prefix, f.describe_length())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The request expectations in one line for `authdesk config`.
    pub fn describe_expectations(&self) -> String {
        let ctx = self.request_context();
        let scheme = ctx
            .expect_scheme
            .map(|s| format!("{s} "))
            .unwrap_or_default();
        format!(
            "{}: {scheme}<key>; host {}; jwt audience {}",
            ctx.expect_header,
            self.api_host.as_deref().unwrap_or("(any)"),
            self.jwt_audience.as_deref().unwrap_or("(not checked)")
        )
    }
}
