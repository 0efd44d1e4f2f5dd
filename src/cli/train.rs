//! `authdesk train`: take a scenario without a terminal, check the scenarios, report on a
//! class. The decisions are the core's (`crate::training`); this edge reads the files, serves
//! each scenario's data from a demo API on loopback, and writes the results.

use super::{Exit, catalog, run};
use crate::admin::demo::DemoData;
use crate::config::Config;
use crate::facts::Facts;
use crate::intake::{Given, Pastes};
use crate::runbook::{Diagnostic, Runbook, SourceFile};
use crate::training::{self, Attempt, Base, Scenario};
use crate::tui::training::{Lesson, TrainingSetup, files};
use crate::walk::{Answerer, Walk};
use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where scenarios are looked for when no folder is named.
const SCENARIO_DIR: &str = "training";

/// `authdesk train`: the terminal app in training mode, or one of the commands.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TrainArgs {
    #[command(subcommand)]
    pub command: Option<TrainCommand>,
    #[command(flatten)]
    pub app: AppArgs,
}

/// The terminal app's options (`authdesk train` with no subcommand).
#[derive(Debug, clap::Args)]
pub struct AppArgs {
    /// Who is training; asked for (and remembered) when not given.
    #[arg(long)]
    pub trainee: Option<String>,
    /// The scenario folder; ./training when it exists, else the data folder's training.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Save results here instead of the data folder's training/results.
    #[arg(long, value_name = "DIR")]
    pub results: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum TrainCommand {
    /// Take a scenario with answers given as flags, and print and save the score card.
    Take(TakeArgs),
    /// Check every scenario: format, names, expected answers reaching the expected outcome,
    /// and every runbook outcome covered.
    Check(CheckArgs),
    /// A class's results per trainee and per scenario.
    Report(ReportArgs),
    /// Turn a finished case into a scenario draft (pseudonyms, no secrets, frozen evidence).
    FromSession(FromSessionArgs),
}

#[derive(Debug, clap::Args)]
pub struct FromSessionArgs {
    /// The case's session id (as `authdesk resume` takes it).
    pub id: String,
    /// Write the draft here (it must not exist) instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct TakeArgs {
    /// A scenario id (looked for in ./training) or a path to a scenario file.
    pub scenario: String,
    /// Who takes it; the configured agent name when not given.
    #[arg(long)]
    pub trainee: Option<String>,
    /// The answer to a question, e.g. `--answer ask-key-status=revoked`.
    #[arg(long = "answer", value_name = "NODE=CHOICE", value_parser = run::pair)]
    pub answers: Vec<(String, String)>,
    /// A value the trainee types (an intake field or free text); `NAME=@FILE` reads a file.
    #[arg(long = "input", value_name = "NAME=VALUE", value_parser = run::pair)]
    pub inputs: Vec<(String, String)>,
    /// Take the next hint for this node (each costs points).
    #[arg(long = "hint", value_name = "NODE")]
    pub hints: Vec<String>,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
    /// Save the result here instead of the data folder's training/results.
    #[arg(long, value_name = "DIR")]
    pub results: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The scenario folder.
    #[arg(default_value = SCENARIO_DIR)]
    pub dir: PathBuf,
    /// Skip the coverage rule (every runbook outcome has a scenario): for a partial folder.
    #[arg(long)]
    pub no_coverage: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The folder of a class's result files (`*.json`).
    pub dir: PathBuf,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
}

pub fn run(args: TrainArgs, config: &Config) -> Result<Exit> {
    match args.command {
        Some(TrainCommand::Take(args)) => take(args, config),
        Some(TrainCommand::Check(args)) => check(args, config),
        Some(TrainCommand::Report(args)) => report(args),
        Some(TrainCommand::FromSession(args)) => from_session(args, config),
        None => app(args.app, config),
    }
}

/// The terminal app: the scenarios that load and name a runbook that does, the rest listed
/// as problems on the picker (ripgrep's habit: report a bad file, go on with the others).
fn app(args: AppArgs, config: &Config) -> Result<Exit> {
    let data = &config.data_dir.value;
    let dir = args.scenarios.clone().unwrap_or_else(|| {
        let here = PathBuf::from(SCENARIO_DIR);
        if here.is_dir() {
            here
        } else {
            data.join(SCENARIO_DIR)
        }
    });
    let mut lessons = Vec::new();
    let mut problems = Vec::new();
    for path in toml_files(&dir)? {
        match lesson(&path, config) {
            Ok(l) => lessons.push(l),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    // A blank `--trainee ""` names nobody: ask, as if it had not been given.
    let named = args
        .trainee
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let given = named.is_some();
    let setup = TrainingSetup {
        trainee: named.or_else(|| files::remembered_trainee(data)),
        trainee_given: given,
        lessons,
        problems,
        results_dir: args
            .results
            .unwrap_or_else(|| data.join("training").join("results")),
    };
    super::tui::train(setup, config)
}

fn lesson(path: &Path, config: &Config) -> Result<Lesson> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read scenario {}", path.display()))?;
    let src = SourceFile::new(path, text);
    let scenario = Scenario::load(&src).map_err(|d| anyhow::anyhow!("{}", joined(&d)))?;
    let runbook = catalog::runbook(&scenario.runbook, config)
        .with_context(|| format!("{}: runbook `{}`", path.display(), scenario.runbook))?;
    let problems = scenario.check(&src, &runbook);
    if !problems.is_empty() {
        bail!("{}", joined(&problems));
    }
    Ok(Lesson { scenario, runbook })
}

fn load_scenario(name: &str) -> Result<(SourceFile, Scenario)> {
    let path = if Path::new(name).is_file() {
        PathBuf::from(name)
    } else {
        Path::new(SCENARIO_DIR).join(format!("{name}.toml"))
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read scenario {}", path.display()))?;
    let src = SourceFile::new(&path, text);
    match Scenario::load(&src) {
        Ok(s) => Ok((src, s)),
        Err(diags) => bail!("{}", joined(&diags)),
    }
}

fn joined(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The facts a scenario's case starts from, built as `run` builds them: intake (the
/// scenario's values, then what the trainee typed), evidence from the scenario's data served
/// on loopback, then the diagnostics of its pastes. Also what could not be gathered.
fn case_facts(
    s: &Scenario,
    rb: &Runbook,
    typed: &[(String, String)],
    config: &Config,
    now: DateTime<Utc>,
) -> Result<(Facts, Vec<(String, String)>)> {
    let mut inputs: BTreeMap<String, String> = s.intake.clone();
    inputs.extend(typed.iter().cloned());
    let inputs: Vec<(String, Given)> = inputs
        .into_iter()
        .map(|(name, text)| (name, Given::Text(text)))
        .collect();
    let mut facts = crate::intake::facts(rb, &inputs, now)?;
    let gathered = if s.facts.is_empty() {
        let data = DemoData::with_overlay(s.base == Base::Builtin, &s.data_overlay, now)
            .with_context(|| format!("scenario {}: its [data]", s.path.display()))?;
        crate::admin::gather_demo_blocking(&config.admin, data, &facts, now)
    } else {
        crate::admin::Gathered {
            facts: crate::tui::training::frozen_facts(s, now).map_err(anyhow::Error::msg)?,
            ..Default::default()
        }
    };
    facts.extend(&gathered.facts);
    let label = |what: &str| format!("scenario {what}");
    let logs = match &s.pastes.log {
        Some(text) => Some((
            label("log"),
            crate::triage::triage_reader(
                text.as_bytes(),
                &label("log"),
                &crate::diagnose::LogsConfig::default(),
            )?,
        )),
        None => None,
    };
    let pastes = Pastes {
        request: s.pastes.request.clone().map(|t| (label("request"), t)),
        jwt: s.pastes.jwt.clone().map(|t| (label("jwt"), t)),
        response: s.pastes.response.clone().map(|t| (label("response"), t)),
        logs,
    };
    let gateway = &config.gateway.value;
    let diagnosed = crate::intake::diagnostic_facts(
        pastes,
        &facts,
        &gateway.request_context(),
        gateway.jwt_audience.as_deref(),
        now,
    )?;
    facts.extend(&diagnosed);
    Ok((facts, gathered.unavailable))
}

/// Writes a scenario draft from a finished case: pseudonyms, no secrets, frozen evidence.
fn from_session(args: FromSessionArgs, config: &Config) -> Result<Exit> {
    let session = crate::session::Session::load(&config.data_dir.value, Some(&args.id))?;
    let Some(walk) = &session.walk else {
        bail!("case {} has no walk yet: finish it first", args.id);
    };
    let rb = catalog::runbook(&session.runbook.id, config)?;
    walk.verify(&rb)?;
    let Some(text) = training::draft(
        &session.id,
        &session.runbook.id,
        &session.intake,
        walk,
        walk.is_finished(&rb),
    ) else {
        bail!(
            "case {} has not reached an outcome: finish it first",
            args.id
        );
    };
    match &args.out {
        Some(path) => {
            crate::store::write_new(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("scenario draft written: {}", path.display());
        }
        None => super::emit(text.as_bytes())?,
    }
    Ok(Exit::Ok)
}

fn take(args: TakeArgs, config: &Config) -> Result<Exit> {
    let (_, s) = load_scenario(&args.scenario)?;
    let rb = catalog::runbook(&s.runbook, config)?;
    let answers: BTreeMap<String, String> = args.answers.iter().cloned().collect();
    run::check_answers(&rb, &answers)?;
    let typed = args
        .inputs
        .iter()
        .map(|(name, value)| Ok((name.clone(), run::input_value(name, value)?)))
        .collect::<Result<Vec<_>>>()?;
    let started = Utc::now();
    let (facts, unavailable) = case_facts(&s, &rb, &typed, config, started)?;
    let trainee = args
        .trainee
        .clone()
        .unwrap_or_else(|| config.agent.value.clone());
    let by = Answerer::Agent {
        name: trainee.clone(),
    };
    // The trainee would see these on the evidence panel; a grader sees them here.
    for (what, reason) in &unavailable {
        eprintln!(
            "evidence unavailable: {}: {}",
            crate::escape::line(what),
            crate::escape::line(reason)
        );
    }
    let played = training::play(&rb, facts.clone(), &answers, &by, started)?;
    if let Some(node) = &played.needs {
        print_needs_answer(&rb, node, args.format);
        return Ok(Exit::NeedsAnswer);
    }
    let expected = training::play(&rb, facts, &s.expect.answers, &Answerer::Script, started)?;
    let attempt = Attempt {
        trainee,
        started_at: started,
        finished_at: Utc::now(),
        typed,
        hints: args.hints.clone(),
        evidence_opened: Vec::new(),
    };
    let result = training::score(&s, &rb, &played.walk, &expected.walk, &attempt);
    let dir = args
        .results
        .clone()
        .unwrap_or_else(|| config.data_dir.value.join("training").join("results"));
    let saved = files::save_result(&result, &dir)?;
    let text = match args.format {
        Format::Markdown => result.to_markdown(),
        Format::Json => crate::escape::json(&result)?,
    };
    super::emit(format!("{text}\n").as_bytes())?;
    eprintln!("result saved: {}", saved.display());
    Ok(if result.passed {
        Exit::Ok
    } else {
        Exit::Problems
    })
}

fn print_needs_answer(rb: &Runbook, node: &str, format: Format) {
    let choices: Vec<&str> = match rb.node(node).map(|n| &n.kind) {
        Some(crate::runbook::NodeKind::Question(q)) => {
            q.choices.iter().map(|c| c.id.as_str()).collect()
        }
        _ => Vec::new(),
    };
    match format {
        Format::Json => println!(
            "{}",
            serde_json::json!({"status": "needs_answer", "node": node, "choices": choices})
        ),
        Format::Markdown => println!(
            "needs an answer at `{node}` (choices: {}); answer with --answer {node}=CHOICE",
            choices.join(", ")
        ),
    }
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read scenario folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

fn check(args: CheckArgs, config: &Config) -> Result<Exit> {
    let (catalog, runbook_files) = catalog::load_with_sources(config);
    let mut problems = Vec::new();
    let mut scenarios = Vec::new();
    let paths = toml_files(&args.dir)?;
    for path in &paths {
        let src = match std::fs::read_to_string(path) {
            Ok(text) => SourceFile::new(path, text),
            Err(e) => {
                problems
                    .push(SourceFile::new(path, "").diagnostic(0..0, format!("cannot read: {e}")));
                continue;
            }
        };
        match Scenario::load(&src) {
            Ok(s) => {
                problems.extend(check_one(&src, &s, &catalog, config));
                scenarios.push(s);
            }
            Err(diags) => problems.extend(diags),
        }
    }
    if !args.no_coverage {
        problems.extend(training::uncovered(&catalog, &runbook_files, &scenarios));
    }
    for p in &problems {
        println!("{}", crate::escape::line(&p.to_string()));
    }
    if problems.is_empty() {
        eprintln!("{} scenario(s) clean", scenarios.len());
        Ok(Exit::Ok)
    } else {
        eprintln!("{} problem(s) found", problems.len());
        Ok(Exit::Problems)
    }
}

/// One scenario against its runbook, then its expected answers played on its own data.
fn check_one(
    src: &SourceFile,
    s: &Scenario,
    catalog: &crate::runbook::Catalog,
    config: &Config,
) -> Vec<Diagnostic> {
    let rb = match catalog.find(&s.runbook) {
        Some(rb) => rb,
        None => match catalog::runbook(&s.runbook, config) {
            Ok(rb) => return check_with(src, s, &rb, config),
            Err(e) => return vec![s.runbook_problem(src, format!("{e:#}"))],
        },
    };
    check_with(src, s, rb, config)
}

fn check_with(src: &SourceFile, s: &Scenario, rb: &Runbook, config: &Config) -> Vec<Diagnostic> {
    let problems = s.check(src, rb);
    if !problems.is_empty() {
        return problems;
    }
    let now = Utc::now();
    let played = case_facts(s, rb, &[], config, now).and_then(|(facts, _)| {
        Ok(training::play(
            rb,
            facts,
            &s.expect.answers,
            &Answerer::Script,
            now,
        )?)
    });
    match played {
        Err(e) => vec![s.runbook_problem(src, format!("cannot play the scenario: {e:#}"))],
        Ok(p) if p.outcome() != Some(s.expect.outcome.as_str()) => {
            vec![s.unreached(src, p.outcome(), p.needs.as_deref())]
        }
        Ok(p) => s
            .par_mismatch(src, questions(&p.walk))
            .into_iter()
            .collect(),
    }
}

fn questions(walk: &Walk) -> u32 {
    walk.steps()
        .iter()
        .filter(|s| matches!(s.decision, crate::walk::Decision::Answer { .. }))
        .count() as u32
}

fn report(args: ReportArgs) -> Result<Exit> {
    let (results, skipped) = files::read_results(&args.dir)?;
    // One bad file is reported and the rest still count.
    for why in &skipped {
        eprintln!("authdesk: skipped {why}");
    }
    let report = training::report(&results);
    let text = match args.format {
        Format::Markdown => report.to_markdown(),
        Format::Json => crate::escape::json(&report)?,
    };
    super::emit(format!("{text}\n").as_bytes())?;
    Ok(Exit::Ok)
}
