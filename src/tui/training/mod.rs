//! Training mode in the terminal app (`authdesk train`): who is training, the scenarios on
//! offer, the attempt under way and training's own screens (the name, the picker, the score
//! card, the class report). Plain data like the rest of the state: `update::training`
//! changes it through the core (`crate::training`), [`files`] does its I/O at the edge.

pub mod files;

use super::state::Load;
use crate::facts::{FactSource, Facts};
use crate::runbook::Runbook;
use crate::training::{ClassReport, Scenario, TrainingResult};
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// A scenario ready to take: loaded, with the runbook it names.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub scenario: Scenario,
    pub runbook: Runbook,
}

/// Everything `authdesk train` gathered before the terminal was taken.
#[derive(Debug, Clone)]
pub struct TrainingSetup {
    /// The name given with `--trainee` or remembered from last time; asked for when `None`
    /// or when it came from memory (the form starts filled with it).
    pub trainee: Option<String>,
    /// Whether `trainee` was given on the command line (no need to ask).
    pub trainee_given: bool,
    pub lessons: Vec<Lesson>,
    /// Scenario files that could not be loaded, for the picker.
    pub problems: Vec<String>,
    /// Where results are saved and the class report reads them.
    pub results_dir: PathBuf,
}

pub struct Training {
    pub trainee: String,
    /// In the order sets run: easiest first, then by id.
    pub lessons: Vec<Lesson>,
    pub problems: Vec<String>,
    pub results_dir: PathBuf,
    pub picker: Picker,
    /// The scenario being taken, from its intake to its outcome.
    pub attempt: Option<Attempt>,
    /// A popup over the screen (the customer's text, a hint); any key closes it.
    pub popup: Option<Popup>,
}

impl Training {
    pub fn new(setup: TrainingSetup) -> Self {
        let mut lessons = setup.lessons;
        lessons.sort_by(|a, b| {
            (a.scenario.difficulty, &a.scenario.id).cmp(&(b.scenario.difficulty, &b.scenario.id))
        });
        Training {
            trainee: setup.trainee.unwrap_or_default(),
            lessons,
            problems: setup.problems,
            results_dir: setup.results_dir,
            picker: Picker::default(),
            attempt: None,
            popup: None,
        }
    }

    /// The lessons the picker shows (its set and filter), as indexes into `lessons`.
    pub fn visible(&self) -> Vec<usize> {
        let words: Vec<String> = self
            .picker
            .filter
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        self.lessons
            .iter()
            .enumerate()
            .filter(|(_, l)| self.picker.set.holds(l.scenario.difficulty.get()))
            .filter(|(_, l)| {
                let s = &l.scenario;
                let text = format!("{} {} {}", s.id, s.title, s.runbook).to_lowercase();
                words.iter().all(|w| text.contains(w))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Seconds since the attempt started, for the clock in the banner.
    pub fn elapsed(&self, now: DateTime<Utc>) -> Option<i64> {
        self.attempt
            .as_ref()
            .map(|a| (now - a.started_at).num_seconds().max(0))
    }
}

/// Where a scenario's evidence comes from: its data set served by a demo API of its own, or
/// facts frozen from a real case (`train from-session`), handed over as if the admin API
/// had answered them.
#[derive(Debug, Clone)]
pub enum ScenarioData {
    Overlay {
        builtin: bool,
        overlay: serde_json::Value,
    },
    Frozen(Result<Facts, String>),
}

/// A scenario's `[facts]` as admin-API facts; `now±…` times are anchored at `now`.
pub fn frozen_facts(s: &Scenario, now: DateTime<Utc>) -> Result<Facts, String> {
    let mut facts = Facts::new();
    for (name, text) in &s.facts {
        let text = if text.starts_with("now") {
            crate::admin::demo::relative_time(text, now)
                .map_err(|e| e.to_string())?
                .to_rfc3339()
        } else {
            text.clone()
        };
        facts
            .insert_text(name, &text, FactSource::AdminApi, now)
            .map_err(|e| format!("scenario {}: [facts]: {e}", s.path.display()))?;
    }
    Ok(facts)
}

/// `mm:ss` (or `h:mm:ss` past the hour).
pub fn clock(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `★★☆` for difficulty 2 of 3.
pub fn stars(difficulty: u8) -> String {
    (1..=3)
        .map(|i| if i <= difficulty { '★' } else { '☆' })
        .collect()
}

/// Which scenarios the picker offers: all, or one difficulty; each set runs in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Set {
    #[default]
    All,
    Difficulty(u8),
}

impl Set {
    pub fn holds(self, difficulty: u8) -> bool {
        match self {
            Set::All => true,
            Set::Difficulty(d) => d == difficulty,
        }
    }

    /// All, ★, ★★, ★★★, and round again.
    pub fn next(self) -> Set {
        match self {
            Set::All => Set::Difficulty(1),
            Set::Difficulty(d) if d < 3 => Set::Difficulty(d + 1),
            Set::Difficulty(_) => Set::All,
        }
    }

    pub fn prev(self) -> Set {
        match self {
            Set::All => Set::Difficulty(3),
            Set::Difficulty(1) => Set::All,
            Set::Difficulty(d) => Set::Difficulty(d - 1),
        }
    }

    pub fn label(self) -> String {
        match self {
            Set::All => "all".to_string(),
            Set::Difficulty(d) => stars(d),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// Index into the visible lessons.
    pub selected: usize,
    pub set: Set,
    /// Words the id, title or runbook must contain (any case).
    pub filter: String,
    /// Whether keys type into the filter (after `/`, until Enter or Esc).
    pub filtering: bool,
}

/// One scenario being taken: what the trainee did besides answering (the walk holds the
/// answers and their times).
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Index into `Training::lessons`.
    pub lesson: usize,
    pub started_at: DateTime<Utc>,
    /// The node of each hint taken, in order.
    pub hints: Vec<String>,
    /// Facts whose evidence the trainee had on screen, in the order first seen.
    pub evidence_opened: Vec<String>,
    /// Intake fields as typed (raw, in memory only), for the secret-in-free-text rule.
    pub typed: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub title: String,
    pub text: String,
}

/// Training's screens (the case itself uses the app's intake, walk and outcome screens).
pub enum TrainingScreen {
    /// "Who is training?", the name being typed.
    Trainee {
        name: String,
    },
    /// The scenarios to pick from; its state is `Training::picker`, kept across cases.
    Picker,
    /// Boxed: a result is large, and screens change rarely.
    Card(Box<Card>),
    Report(ReportScreen),
}

/// The score card and debrief of the attempt just finished.
pub struct Card {
    pub result: TrainingResult,
    pub lesson: usize,
    /// Where the result was saved, once the runtime says.
    pub saved: Option<Result<PathBuf, String>>,
    /// The ticket the case would have written (Markdown), to read; training never saves it.
    pub ticket: Option<String>,
    pub scroll: u16,
}

pub struct ReportScreen {
    pub data: Load<ReportData>,
    pub scroll: u16,
}

/// A results folder read for the class report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub report: ClassReport,
    pub files: usize,
    /// Files that could not be read, each with why.
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_shows_minutes_and_seconds_and_hours_past_the_hour() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(75), "01:15");
        assert_eq!(clock(3725), "1:02:05");
    }

    #[test]
    fn sets_go_round_all_then_each_difficulty() {
        let mut set = Set::All;
        let mut seen = Vec::new();
        for _ in 0..4 {
            set = set.next();
            seen.push(set.label());
        }
        assert_eq!(seen, ["★☆☆", "★★☆", "★★★", "all"]);
        assert_eq!(Set::All.prev(), Set::Difficulty(3));
        assert!(Set::Difficulty(2).holds(2) && !Set::Difficulty(2).holds(1));
    }
}
