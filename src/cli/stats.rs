//! `authdesk stats [--since WHEN] [--runbook ID] [--json]`: reads the saved tickets and the
//! sessions and prints the figures of [`crate::stats`]. A file that cannot be read is named
//! on stderr and the rest still count.

use super::Exit;
use crate::config::Config;
use crate::stats::{ABANDONED_AFTER_HOURS, Case, Filter, compute, to_text};
use anyhow::{Result, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Only cases started since then: a date (2026-11-01), a time (2026-11-01T09:00:00Z) or
    /// an age (36h, 7d, 2w).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only cases on this runbook (`401`, `403-forbidden`).
    #[arg(long, value_name = "ID")]
    pub runbook: Option<String>,
    /// Print JSON for dashboards instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: StatsArgs, config: &Config) -> Result<Exit> {
    let now = Utc::now();
    let filter = Filter {
        now,
        since: args.since.as_deref().map(|s| since(s, now)).transpose()?,
        runbook: args.runbook,
        abandoned_after: Duration::hours(ABANDONED_AFTER_HOURS),
    };
    let stats = compute(&load_cases(config)?, &filter);
    let text = if args.json {
        crate::escape::json(&stats)? + "\n"
    } else {
        to_text(&stats)
    };
    super::emit(text.as_bytes())?;
    Ok(Exit::Ok)
}

/// Every case saved (see [`crate::saved`]); files that cannot be read are named on stderr
/// and left out.
pub fn load_cases(config: &Config) -> Result<Vec<Case>> {
    let saved = crate::saved::read(&config.tickets_dir.value, &config.data_dir.value)?;
    for skipped in &saved.skipped {
        eprintln!("authdesk: {}", crate::escape::line(&skipped.to_string()));
    }
    Ok(saved.cases)
}

/// `--since`: a date, an RFC 3339 time, or an age before `now`.
fn since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    let unit = text.chars().last().unwrap_or(' ');
    let number: Option<i64> = text[..text.len() - unit.len_utf8().min(text.len())]
        .parse()
        .ok();
    let age = match (number, unit) {
        (Some(n), 'h') => Duration::try_hours(n),
        (Some(n), 'd') => Duration::try_days(n),
        (Some(n), 'w') => Duration::try_weeks(n),
        _ => None,
    };
    match age.and_then(|a| now.checked_sub_signed(a)) {
        Some(t) if number.is_some_and(|n| n >= 0) => Ok(t),
        _ => bail!(
            "--since {:?}: give a date (2026-11-01), a time (2026-11-01T09:00:00Z) or an age \
             (36h, 7d, 2w)",
            crate::escape::line(text)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_dates_times_and_ages() {
        let now: DateTime<Utc> = "2026-11-22T10:00:00Z".parse().unwrap();
        let t = |s: &str| since(s, now).map(|t| t.to_rfc3339()).ok();
        assert_eq!(
            t("2026-11-01").as_deref(),
            Some("2026-11-01T00:00:00+00:00")
        );
        assert_eq!(
            t("2026-11-01T09:30:00+01:00").as_deref(),
            Some("2026-11-01T08:30:00+00:00")
        );
        assert_eq!(t("36h").as_deref(), Some("2026-11-20T22:00:00+00:00"));
        assert_eq!(t("7d").as_deref(), Some("2026-11-15T10:00:00+00:00"));
        assert_eq!(t("2w").as_deref(), Some("2026-11-08T10:00:00+00:00"));
        for bad in [
            "",
            "d",
            "7",
            "-3d",
            "7y",
            "yesterday",
            "é",
            "99999999999999w",
        ] {
            assert_eq!(t(bad), None, "{bad:?}");
        }
    }
}
