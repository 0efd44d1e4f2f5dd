//! The admin API's base URL as configured. It may carry credentials (`http://user:pass@host`),
//! so it never prints them: `Display` and `Debug` show `http://user:•••@host`.

use std::fmt;
use std::net::IpAddr;

/// The configured admin URL. Only [`AdminUrl::expose`] gives the text with its password.
#[derive(Clone, PartialEq, Eq)]
pub struct AdminUrl(String);

/// Why authdesk will not talk to an admin URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error(
        "refusing the admin API at {0}: it is plain http:// to a host other than this machine, \
         so the admin token would cross the network in clear. Use https://, or, on a network \
         you trust, set `[admin] allow_insecure_http = true` in authdesk.toml"
    )]
    Insecure(AdminUrl),
}

impl AdminUrl {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The URL as written, password included: for the HTTP client, nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Refuses a URL that would carry the admin token in clear over the network, unless
    /// `allow_insecure_http`. A URL that does not parse is left to the client to report.
    pub fn check(&self, allow_insecure_http: bool) -> Result<(), UrlError> {
        match url::Url::parse(&self.0) {
            Ok(u) if !allow_insecure_http && !is_safe(&u) => Err(UrlError::Insecure(self.clone())),
            _ => Ok(()),
        }
    }
}

/// Whether a request to `url` keeps the token off the network in clear: https, or http to
/// this machine (a loopback address or `localhost`).
pub fn is_safe(url: &url::Url) -> bool {
    if url.scheme() != "http" {
        return true;
    }
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::from(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::from(ip).is_loopback(),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

impl fmt::Display for AdminUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&masked(&self.0))
    }
}

impl fmt::Debug for AdminUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AdminUrl({})", masked(&self.0))
    }
}

/// `http://user:pass@host/x` → `http://user:•••@host/x`. Works on text, not a parsed URL, so a
/// URL too broken to parse (and so quoted in an error) is masked too.
pub fn masked(text: &str) -> String {
    let start = text.find("://").map_or(0, |i| i + 3);
    let rest = &text[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return text.to_string();
    };
    let Some(colon) = rest[..at].find(':') else {
        return text.to_string();
    };
    format!("{}{}:•••{}", &text[..start], &rest[..colon], &rest[at..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_password_never_prints() {
        let u = AdminUrl::new("http://ops:hunter2@admin.internal:8080/base?x=1");
        assert_eq!(u.to_string(), "http://ops:•••@admin.internal:8080/base?x=1");
        assert!(!format!("{u:?}").contains("hunter2"));
        assert_eq!(
            u.expose(),
            "http://ops:hunter2@admin.internal:8080/base?x=1"
        );
        assert_eq!(
            masked("https://gw.example/admin"),
            "https://gw.example/admin"
        );
        assert_eq!(masked("https://ops@gw.example/"), "https://ops@gw.example/");
        assert_eq!(masked("ops:p@ss@host"), "ops:•••@host");
        assert_eq!(masked("https://gw/a@b:c"), "https://gw/a@b:c");
    }

    #[test]
    fn plain_http_is_refused_off_this_machine_unless_allowed() {
        for safe in [
            "https://admin.example.com",
            "http://127.0.0.1:8700",
            "http://127.8.9.10",
            "http://[::1]:1/",
            "http://localhost:8700",
            "http://api.localhost",
        ] {
            assert_eq!(AdminUrl::new(safe).check(false), Ok(()), "{safe}");
        }
        for insecure in [
            "http://admin.example.com",
            "http://10.0.0.5:80",
            "http://[2001:db8::1]",
        ] {
            let err = AdminUrl::new(insecure).check(false).unwrap_err();
            assert!(
                err.to_string().contains("allow_insecure_http = true"),
                "{err}"
            );
            assert_eq!(AdminUrl::new(insecure).check(true), Ok(()));
        }
        let err = AdminUrl::new("http://ops:hunter2@gw.example")
            .check(false)
            .unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    proptest! {
        #[test]
        fn no_password_survives_masking(
            user in "[a-z]{1,8}",
            pass in "[A-Za-z0-9!$&'()*+,;=._~-]{4,16}",
            host in "[a-z]{1,10}(\\.[a-z]{2,5})?",
            path in "(/[a-z@:]{0,8}){0,3}",
        ) {
            let url = format!("https://{user}:{pass}@{host}{path}");
            let shown = masked(&url);
            prop_assert_eq!(&shown, &format!("https://{user}:•••@{host}{path}"));
        }
    }
}
