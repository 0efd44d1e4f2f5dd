//! Folding ids in paths into templates, so `/v1/orders/123` and `/v1/orders/456` count as
//! one route, `/v1/orders/{id}`. The reference Python script applies the same rules.

/// Writes the template of `path` (query string dropped) into `out`.
pub fn path_template(path: &str, out: &mut String) {
    out.clear();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(if is_id(seg) { "{id}" } else { seg });
    }
}

/// Numbers, UUIDs, long hex strings, and long tokens mixing letters and digits
/// (`ord_8F3kq92LmX`) are ids; `v1`, `orders`, `me` are not.
fn is_id(seg: &str) -> bool {
    let b = seg.as_bytes();
    if b.is_empty() {
        return false;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let hexish = b.iter().all(|c| c.is_ascii_hexdigit() || *c == b'-');
    if hexish && b.len() >= 16 {
        return true;
    }
    b.len() >= 10
        && b.iter().any(u8::is_ascii_digit)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
