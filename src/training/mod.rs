//! Training mode: scenarios (a customer's case with its data and the expected answer), the
//! checks on them, scoring a trainee's attempt, and a class's report. Pure like the rest of the
//! core: the edge (`authdesk train`, the terminal app) reads the files, serves the scenario's
//! data over loopback, and hands the gathered facts and the trainee's answers in.
//!
//! The way through, for a front end:
//!
//! 1. [`Scenario::load`] a file's text (problems come back with file:line:col), then
//!    [`Scenario::check`] it against the runbook catalog.
//! 2. Build the intake with [`Scenario::inputs`] and gather evidence on
//!    [`Scenario::data_overlay`] (`crate::admin::demo::DemoData::with_overlay`).
//! 3. Walk with the trainee's answers; [`play`] does it for a scripted attempt.
//! 4. [`score`] the finished walk into a [`TrainingResult`], which is what is saved as JSON.
//! 5. [`report`] aggregates saved results for a class.

mod card;
mod check;
mod draft;
mod engine;
mod report;
mod scenario;
mod score;

pub use check::uncovered;
pub use draft::{Pseudonyms, draft};
pub use engine::{Played, play};
pub use report::{ClassReport, ScenarioLine, TraineeLine, report};
pub use score::{
    Attempt, CriticalError, Deduction, HintUsed, PathStep, ScenarioRef, ScoredAnswer, Source,
    TrainingResult, grade, par_time, score,
};

pub use scenario::{
    Base, Critical, CriticalRule, Debrief, Difficulty, Expect, Hint, Pastes, Scenario,
};
