//! Folding ids in paths into templates, so `/v1/orders/123` and `/v1/orders/456` count as
//! one route, `/v1/orders/{id}`. The reference Python script applies the same rules.

/// Writes the template of `path` (query string dropped) into `out`.
pub fn path_template(path: &str, out: &mut String) {
    out.clear();
    let end = path.bytes().position(|c| matches!(c, b'?' | b'#'));
    let path = end.and_then(|e| path.get(..e)).unwrap_or(path);
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(if is_id(seg) { "{id}" } else { seg });
    }
}

/// Numbers, UUIDs, long hex strings, and long tokens mixing letters and digits
/// (`ord_8F3kq92LmX`) are ids; `v1`, `orders`, `me` are not. One pass over the bytes: this
/// runs for every segment of every failed request's path.
fn is_id(seg: &str) -> bool {
    let b = seg.as_bytes();
    if b.is_empty() {
        return false;
    }
    let (mut all_digits, mut hexish, mut any_digit, mut tokenish) = (true, true, false, true);
    for c in b {
        let digit = c.is_ascii_digit();
        all_digits &= digit;
        any_digit |= digit;
        hexish &= c.is_ascii_hexdigit() || *c == b'-';
        tokenish &= c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-';
    }
    all_digits || (hexish && b.len() >= 16) || (b.len() >= 10 && any_digit && tokenish)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rules as written before the single pass, one check at a time.
    fn is_id_by_rule(b: &[u8]) -> bool {
        !b.is_empty()
            && (b.iter().all(u8::is_ascii_digit)
                || (b.len() >= 16 && b.iter().all(|c| c.is_ascii_hexdigit() || *c == b'-'))
                || (b.len() >= 10
                    && b.iter().any(u8::is_ascii_digit)
                    && b.iter()
                        .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')))
    }

    proptest! {
        #[test]
        fn one_pass_keeps_the_rules(seg in "[0-9a-fA-Fg-z_\\-.~]{0,24}") {
            prop_assert_eq!(is_id(&seg), is_id_by_rule(seg.as_bytes()), "{}", seg);
        }
    }

    fn t(p: &str) -> String {
        let mut s = String::new();
        path_template(p, &mut s);
        s
    }

    #[test]
    fn ids_fold_and_words_stay() {
        assert_eq!(t("/v1/orders/123?expand=items"), "/v1/orders/{id}");
        assert_eq!(
            t("/v1/customers/cus_8F3kq92LmX/keys"),
            "/v1/customers/{id}/keys"
        );
        assert_eq!(
            t("/v2/sessions/3f2b9c1e-8a7d-4c1b-9e2f-0a1b2c3d4e5f"),
            "/v2/sessions/{id}"
        );
        assert_eq!(t("/api/v1/auth/validate"), "/api/v1/auth/validate");
        assert_eq!(t("/"), "/");
        assert_eq!(t("/files/deadbeefdeadbeef00"), "/files/{id}");
        assert_eq!(t("/a#b?c/1"), "/a");
        assert_eq!(t("/x/12345abcde/-/ab-cd"), "/x/{id}/-/ab-cd");
    }
}
