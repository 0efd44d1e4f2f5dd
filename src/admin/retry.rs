//! When to try a GET again: at most three tries, with jittered exponential backoff, waiting as
//! long as the admin API's `Retry-After` asks when it says.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Tries per call, the first included.
pub const MAX_TRIES: u32 = 3;
/// The first backoff, doubled on each retry before jitter.
const BASE_DELAY: Duration = Duration::from_millis(100);
/// A `Retry-After` longer than this is not waited for: the agent hears "retry after N s"
/// instead of staring at a spinner.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(5);

/// How long to wait before try `tries + 1`, or `None` to stop.
///
/// `jitter` is a number in 0..1; the wait is half the exponential delay plus up to the other
/// half ("equal jitter"), so many clients failing together do not retry in step.
pub fn delay(tries: u32, retry_after: Option<Duration>, jitter: f64) -> Option<Duration> {
    if tries >= MAX_TRIES {
        return None;
    }
    let exponential = BASE_DELAY * 2u32.saturating_pow(tries.saturating_sub(1));
    let jittered = exponential / 2 + exponential.mul_f64(jitter.clamp(0.0, 1.0) / 2.0);
    match retry_after {
        Some(wait) if wait > MAX_RETRY_AFTER => None,
        Some(wait) => Some(wait.max(jittered)),
        None => Some(jittered),
    }
}

/// `Retry-After` as seconds (`120`) or an HTTP date, relative to `now`.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_after_three_tries() {
        let first = delay(1, None, 0.0).unwrap();
        let first_max = delay(1, None, 1.0).unwrap();
        assert_eq!(first, Duration::from_millis(50));
        assert_eq!(first_max, Duration::from_millis(100));
        assert_eq!(delay(2, None, 0.0).unwrap(), Duration::from_millis(100));
        assert_eq!(delay(3, None, 0.5), None);
    }

    #[test]
    fn retry_after_is_honoured_unless_too_long() {
        let wait = delay(1, Some(Duration::from_secs(1)), 0.3).unwrap();
        assert_eq!(wait, Duration::from_secs(1));
        assert_eq!(delay(1, Some(Duration::from_secs(60)), 0.3), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now: DateTime<Utc> = "2026-11-22T10:00:00Z".parse().unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
