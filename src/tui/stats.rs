//! The stats screen's state: the saved cases read from disk, the filters over them, and the
//! figures of [`crate::stats`] they give. Plain data like [`super::state`]; reading the
//! folders is an effect, and the figures are computed again only when a filter changes.

use super::state::{Home, Load};
use crate::runbook::Runbook;
use crate::saved::{SavedCases, Skipped};
use crate::stats::{ABANDONED_AFTER_HOURS, Case, Filter, Stats, compute};
use chrono::{DateTime, Duration, Utc};

/// How far back cases count, cycled with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    All,
    Day,
    Week,
    Month,
}

impl Since {
    /// The next window: 24h, 7d, 30d, then every case again.
    pub fn next(self) -> Since {
        match self {
            Since::All => Since::Day,
            Since::Day => Since::Week,
            Since::Week => Since::Month,
            Since::Month => Since::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Since::All => "all time",
            Since::Day => "last 24h",
            Since::Week => "last 7d",
            Since::Month => "last 30d",
        }
    }

    /// The earliest start a case may have, or `None` for every case.
    pub fn start(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let age = match self {
            Since::All => return None,
            Since::Day => Duration::hours(24),
            Since::Week => Duration::days(7),
            Since::Month => Duration::days(30),
        };
        Some(now - age)
    }
}

/// The cases read, and the figures over those the filters keep.
#[derive(Debug)]
pub struct Figures {
    pub cases: Vec<Case>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
}

pub struct StatsScreen {
    pub data: Load<Figures>,
    /// Only cases on this runbook id; `None` for all.
    pub runbook: Option<String>,
    pub since: Since,
    /// The first row shown.
    pub scroll: u16,
    /// The home screen as it was left, to go back to.
    pub home: Home,
}

impl StatsScreen {
    pub fn new(home: Home, now: DateTime<Utc>) -> Self {
        StatsScreen {
            data: Load::Loading { since: now },
            runbook: None,
            since: Since::All,
            scroll: 0,
            home,
        }
    }

    /// Takes the cases read and works out their figures.
    pub fn loaded(&mut self, saved: SavedCases, now: DateTime<Utc>) {
        let stats = compute(&saved.cases, &self.filter(now));
        self.data = Load::Loaded(Figures {
            cases: saved.cases,
            skipped: saved.skipped,
            stats,
        });
    }

    /// Works the figures out again after a filter changed; back to the top, since the rows
    /// are not the same ones.
    pub fn refigure(&mut self, now: DateTime<Utc>) {
        let filter = self.filter(now);
        if let Load::Loaded(figures) = &mut self.data {
            figures.stats = compute(&figures.cases, &filter);
        }
        self.scroll = 0;
    }

    fn filter(&self, now: DateTime<Utc>) -> Filter {
        Filter {
            now,
            since: self.since.start(now),
            runbook: self.runbook.clone(),
            abandoned_after: Duration::hours(ABANDONED_AFTER_HOURS),
        }
    }

    /// The runbook after the one filtered on: those of the catalog in its order, then any
    /// other that saved cases were walked on, then all again.
    pub fn next_runbook(&self, catalog: &[Runbook]) -> Option<String> {
        let mut ids: Vec<&str> = catalog.iter().map(|r| r.id.as_str()).collect();
        if let Load::Loaded(figures) = &self.data {
            let mut others: Vec<&str> = figures
                .cases
                .iter()
                .map(|c| c.runbook.id.as_str())
                .filter(|id| !ids.contains(id))
                .collect();
            others.sort_unstable();
            others.dedup();
            ids.extend(others);
        }
        let next = match &self.runbook {
            None => 0,
            Some(now) => ids.iter().position(|id| id == now).map_or(0, |i| i + 1),
        };
        ids.get(next).map(|id| id.to_string())
    }
}
