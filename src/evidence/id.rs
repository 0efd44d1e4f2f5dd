//! Ids that go into an admin-API path (`/v1/keys/{key_id}`): what may be one, checked where
//! a case's intake is taken (both front ends) and again before a request is built.

use crate::facts::name;

/// The intake inputs whose value becomes a path segment of an admin-API call.
pub const ID_INPUTS: &[&str] = &[name::KEY_ID, name::CUSTOMER_ID];
/// Ids of other systems that a ticket quotes: short, one word, nothing that acts in Markdown
/// or a terminal.
pub const SHORT_ID_INPUTS: &[&str] = &[name::REQUEST_ID, name::CUSTOMER_TICKET];
/// Longer than this is not an id but pasted text.
pub const SHORT_ID_MAX: usize = 64;

/// Why a value cannot be an id. The value is not repeated: it may hold a pasted secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("is empty")]
    Empty,
    #[error("`.` and `..` are not ids: they would change the admin-API path")]
    DotSegment,
    #[error(
        "contains `{}`, which an id cannot hold (no `/`, `\\`, `?`, `#`, `%` or control characters)",
        .0.escape_default()
    )]
    Forbidden(char),
    #[error("is not a short id: use up to {SHORT_ID_MAX} letters, digits, `-`, `_`, `.` or `:`")]
    NotShort,
}

/// Whether `id` can stand as one path segment unchanged in meaning: not empty, not `.` or
/// `..` (URL parsers resolve those, even percent-encoded), and free of separators, query and
/// fragment marks, `%` (pre-encoded text) and control characters.
pub fn check_id(id: &str) -> Result<(), IdError> {
    match id.trim() {
        "" => return Err(IdError::Empty),
        "." | ".." => return Err(IdError::DotSegment),
        _ => {}
    }
    match id
        .chars()
        .find(|c| matches!(c, '/' | '\\' | '?' | '#' | '%') || c.is_control())
    {
        Some(c) => Err(IdError::Forbidden(c)),
        None => Ok(()),
    }
}

/// Whether `id` is a short id of another system (a request id, a support ticket id).
pub fn check_short_id(id: &str) -> Result<(), IdError> {
    let id = id.trim();
    let fits = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    if id.is_empty() {
        Err(IdError::Empty)
    } else if id.len() > SHORT_ID_MAX || !id.chars().all(fits) {
        Err(IdError::NotShort)
    } else {
        Ok(())
    }
}

/// [`check_id`] for the inputs in [`ID_INPUTS`], [`check_short_id`] for those in
/// [`SHORT_ID_INPUTS`]; any other input passes.
pub fn check_input(name: &str, text: &str) -> Result<(), IdError> {
    if ID_INPUTS.contains(&name) {
        check_id(text.trim())
    } else if SHORT_ID_INPUTS.contains(&name) {
        check_short_id(text)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_that_would_change_the_path_are_refused() {
        for bad in [
            "", " ", ".", "..", "../admin", "a/b", "a\\b", "k?x=1", "k#f", "k%2e", "k\u{0}",
            "k\nx", "k\u{9b}",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?} passed");
        }
        for good in ["key_live_42", "cus_1", "k.v2", "...", "key-ü"] {
            assert_eq!(check_id(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn ticket_and_request_ids_must_be_short_ids() {
        for good in ["ZD-48213", "req_8f2a", "case:2026.11", " 12345 "] {
            assert_eq!(check_input("customer_ticket", good), Ok(()), "{good:?}");
        }
        let long = "x".repeat(SHORT_ID_MAX + 1);
        for bad in ["", "two words", "<b>", "a\nb", "a|b", long.as_str()] {
            assert!(check_input("request_id", bad).is_err(), "{bad:?} passed");
        }
    }

    #[test]
    fn only_id_inputs_are_checked() {
        assert!(check_input("key_id", "..").is_err());
        assert!(check_input("customer_id", "a/b").is_err());
        assert_eq!(check_input("endpoint", "/v1/../x"), Ok(()));
    }

    proptest! {
        /// Whatever passes stays one segment with the same meaning once percent-encoded.
        #[test]
        fn accepted_ids_never_hold_path_syntax(id in "\\PC{0,12}") {
            if check_id(&id).is_ok() {
                let t = id.trim();
                prop_assert!(t != "." && t != ".." && !t.is_empty());
                prop_assert!(!id.contains(['/', '\\', '?', '#', '%']));
            }
        }
    }
}
