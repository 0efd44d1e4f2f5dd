//! What the unit tests share: the one moment every test runs at. Compiled for tests only.

use chrono::{DateTime, Utc};

/// 2026-11-22 10:00 UTC: the "now" of every unit test, so times in expected output are fixed.
pub fn now() -> DateTime<Utc> {
    "2026-11-22T10:00:00Z"
        .parse()
        .expect("a valid constant time")
}

#[test]
fn now_is_the_documented_moment() {
    assert_eq!(now().to_rfc3339(), "2026-11-22T10:00:00+00:00");
}
