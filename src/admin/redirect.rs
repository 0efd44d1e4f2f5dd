//! Which redirects the admin-API client follows: a few, never in a circle, never to plain
//! http:// off this machine; and how a stopped chain is named.

use crate::config::{AdminUrl, is_safe_url};

/// Redirects followed per call at most: an admin API moved once or twice is fine, more is a
/// misconfiguration worth naming.
pub const MAX_REDIRECTS: usize = 5;

/// Why a chain of redirects was stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectStop {
    #[error("a redirect loop (back to {0})")]
    Loop(AdminUrl),
    #[error("more than {MAX_REDIRECTS} redirects in a row")]
    TooMany,
    #[error(
        "a redirect to {0}, plain http:// off this machine, would send the admin token in clear \
         (`[admin] allow_insecure_http = true` allows it)"
    )]
    Insecure(AdminUrl),
}

/// Follows at most [`MAX_REDIRECTS`] redirects, never in a circle, never to plain http://
/// off this machine unless allowed (reqwest drops `Authorization` only when the host changes,
/// so an https → http redirect on the same host would carry the token in clear).
pub(super) fn redirect_policy(allow_insecure_http: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        let next = attempt.url();
        let stop = if attempt.previous().iter().any(|seen| seen == next) {
            Some(RedirectStop::Loop(AdminUrl::new(next.as_str())))
        } else if attempt.previous().len() > MAX_REDIRECTS {
            Some(RedirectStop::TooMany)
        } else if !allow_insecure_http && !is_safe_url(next) {
            Some(RedirectStop::Insecure(AdminUrl::new(next.as_str())))
        } else {
            None
        };
        match stop {
            Some(stop) => attempt.error(stop),
            None => attempt.follow(),
        }
    })
}

/// The first error of type `E` in `e`'s chain of causes.
pub(super) fn find_cause<'e, E: std::error::Error + 'static>(
    e: &'e (dyn std::error::Error + 'static),
) -> Option<&'e E> {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if let Some(found) = c.downcast_ref::<E>() {
            return Some(found);
        }
        cause = c.source();
    }
    None
}
