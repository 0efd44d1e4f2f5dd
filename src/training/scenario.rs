//! The scenario file format (`training/<id>.toml`) and its loader. Every problem comes back
//! as a [`Diagnostic`] with file, line and column, as runbook problems do; checks against the
//! runbook a scenario names live in `check`.

use crate::runbook::{Diagnostic, Severity, SourceFile};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use toml::Spanned;

/// A loaded scenario: one customer's case, its data, and what a skilled agent does with it.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    /// Bumped when the expected answer changes, so old results are not compared with new.
    pub version: u32,
    pub title: String,
    pub difficulty: Difficulty,
    /// As `authdesk run` accepts it: an id (`401`) or a path.
    pub runbook: String,
    /// The ticket text the trainee reads first.
    pub customer_wrote: String,
    /// Intake values the trainee is given, by runbook input name.
    pub intake: BTreeMap<String, String>,
    pub pastes: Pastes,
    pub base: Base,
    /// The data set's entries in the demo data set's JSON shape, laid over `base`.
    pub data_overlay: serde_json::Value,
    /// Facts frozen from a real case (`train from-session`), fact name → value as text (times
    /// may be `now-2d3h`). When present they are the evidence, and no data set is served.
    pub facts: BTreeMap<String, String>,
    pub expect: Expect,
    pub hints: Vec<Hint>,
    pub critical: Vec<Critical>,
    pub debrief: Debrief,
    pub path: PathBuf,
    pub(super) spans: Spans,
}

/// How hard a scenario is: 1 to 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Difficulty(u8);

impl Difficulty {
    pub fn get(self) -> u8 {
        self.0
    }
}

/// What the scenario's data is laid over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The shipped demo data set.
    Builtin,
    /// Nothing: only the scenario's own entries (with a default cell).
    Empty,
}

/// What the customer pasted, each as `run --request/--jwt/--response/--log` reads it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pastes {
    pub request: Option<String>,
    pub jwt: Option<String>,
    pub response: Option<String>,
    /// Access-log lines.
    pub log: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Expect {
    pub outcome: String,
    /// node → choice id: the questions a skilled agent answers (evidence decides the rest).
    pub answers: BTreeMap<String, String>,
    /// How many questions a skilled agent answers.
    pub par: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub node: String,
    pub text: String,
    /// Points taken off a pass when the hint is used.
    pub cost: u32,
}

/// An error that fails the scenario whatever else the trainee did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Critical {
    pub rule: CriticalRule,
    /// Why it is critical, for the debrief.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CriticalRule {
    /// Reaching this outcome.
    Outcome(String),
    /// Any outcome that resolves: the case must be escalated.
    Resolves,
    /// Escalating to any team but this one.
    TeamNot(String),
    /// Reaching an outcome of lower severity than this.
    SeverityBelow(Severity),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Debrief {
    pub why: String,
    pub trap: String,
}

/// Where the parts that name runbook things were written, for `check`'s diagnostics.
#[derive(Debug, Clone, Default)]
pub(super) struct Spans {
    pub runbook: Range<usize>,
    pub outcome: Range<usize>,
    pub par: Range<usize>,
    pub answers: BTreeMap<String, Range<usize>>,
    pub intake: Range<usize>,
    /// One per hint, in order.
    pub hints: Vec<Range<usize>>,
    /// One per critical entry, in order.
    pub critical: Vec<Range<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: Spanned<String>,
    version: u32,
    title: String,
    difficulty: Spanned<u8>,
    runbook: Spanned<String>,
    customer_wrote: String,
    intake: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pastes: Pastes,
    #[serde(default)]
    data: Option<Spanned<toml::Table>>,
    facts: Option<Spanned<BTreeMap<String, String>>>,
    expect: RawExpect,
    #[serde(default)]
    hint: Vec<Spanned<RawHint>>,
    #[serde(default)]
    critical: Vec<Spanned<RawCritical>>,
    debrief: Debrief,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    outcome: Spanned<String>,
    #[serde(default)]
    answers: BTreeMap<String, Spanned<String>>,
    par: Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHint {
    node: Spanned<String>,
    text: String,
    cost: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCritical {
    outcome: Option<String>,
    resolves: Option<bool>,
    team_not: Option<String>,
    severity_below: Option<Spanned<String>>,
    why: String,
}

impl Scenario {
    /// Parses and validates one scenario file's text. The file name must be `<id>.toml`.
    pub fn load(src: &SourceFile) -> Result<Self, Vec<Diagnostic>> {
        let raw: RawScenario = toml::from_str(&src.text)
            .map_err(|e| vec![src.diagnostic(e.span().unwrap_or(0..0), e.message().trim())])?;
        let mut diags = Vec::new();
        let id = raw.id.get_ref().clone();
        if !is_kebab(&id) {
            diags.push(src.diagnostic(raw.id.span(), format!("id `{id}` is not kebab-case")));
        }
        let stem = src.path.file_stem().and_then(|s| s.to_str());
        if stem.is_some_and(|s| s != id) {
            diags.push(src.diagnostic(
                raw.id.span(),
                format!("id `{id}` does not match the file name (expected {id}.toml)"),
            ));
        }
        let difficulty = *raw.difficulty.get_ref();
        if !(1..=3).contains(&difficulty) {
            diags.push(src.diagnostic(
                raw.difficulty.span(),
                format!("difficulty {difficulty} is not 1, 2 or 3"),
            ));
        }
        let (base, data_overlay) = match raw.data {
            None => (Base::Builtin, serde_json::Value::Object(Default::default())),
            Some(data) => {
                let span = data.span();
                data_set(data.into_inner()).unwrap_or_else(|message| {
                    diags.push(src.diagnostic(span, message));
                    (Base::Builtin, serde_json::Value::Null)
                })
            }
        };
        let facts = raw.facts.map(|f| {
            let span = f.span();
            let facts = f.into_inner();
            for name in facts.keys() {
                if crate::facts::lookup(name).is_none() {
                    diags.push(src.diagnostic(
                        span.clone(),
                        format!("facts: `{name}` is not a fact of the schema"),
                    ));
                }
            }
            facts
        });
        if facts.is_some() && data_overlay.as_object().is_some_and(|o| !o.is_empty()) {
            diags.push(src.diagnostic(0..0, "a scenario has [data] or [facts], not both"));
        }
        let mut critical = Vec::new();
        let mut critical_spans = Vec::new();
        for c in raw.critical {
            let span = c.span();
            match critical_rule(c.into_inner()) {
                Ok(rule) => {
                    critical.push(rule);
                    critical_spans.push(span);
                }
                Err((message, at)) => diags.push(src.diagnostic(at.unwrap_or(span), message)),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let spans = Spans {
            runbook: raw.runbook.span(),
            outcome: raw.expect.outcome.span(),
            par: raw.expect.par.span(),
            answers: raw
                .expect
                .answers
                .iter()
                .map(|(node, choice)| (node.clone(), choice.span()))
                .collect(),
            intake: raw.intake.as_ref().map_or(0..0, Spanned::span),
            hints: raw.hint.iter().map(|h| h.get_ref().node.span()).collect(),
            critical: critical_spans,
        };
        Ok(Scenario {
            id,
            version: raw.version,
            title: raw.title,
            difficulty: Difficulty(difficulty),
            runbook: raw.runbook.into_inner(),
            customer_wrote: raw.customer_wrote,
            intake: raw.intake.map(Spanned::into_inner).unwrap_or_default(),
            pastes: raw.pastes,
            base,
            data_overlay,
            facts: facts.unwrap_or_default(),
            expect: Expect {
                outcome: raw.expect.outcome.into_inner(),
                answers: raw
                    .expect
                    .answers
                    .into_iter()
                    .map(|(node, choice)| (node, choice.into_inner()))
                    .collect(),
                par: raw.expect.par.into_inner(),
            },
            hints: raw
                .hint
                .into_iter()
                .map(|h| {
                    let h = h.into_inner();
                    Hint {
                        node: h.node.into_inner(),
                        text: h.text,
                        cost: h.cost,
                    }
                })
                .collect(),
            critical,
            debrief: raw.debrief,
            path: src.path.clone(),
            spans,
        })
    }

    /// The intake values as `(input name, value)` pairs, ready for `crate::intake`.
    pub fn inputs(&self) -> Vec<(String, String)> {
        self.intake
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The hints for one node, in file order.
    pub fn hints_for<'a>(&'a self, node: &'a str) -> impl Iterator<Item = &'a Hint> + 'a {
        self.hints.iter().filter(move |h| h.node == node)
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[data]`: its `base` and the rest as the JSON the demo data set is written in.
fn data_set(mut table: toml::Table) -> Result<(Base, serde_json::Value), String> {
    let base = match table.remove("base") {
        None => Base::Builtin,
        Some(toml::Value::String(s)) if s == "builtin" => Base::Builtin,
        Some(toml::Value::String(s)) if s == "empty" => Base::Empty,
        Some(other) => {
            return Err(format!(
                "data.base is `{other}`: use \"builtin\" or \"empty\""
            ));
        }
    };
    let json = serde_json::to_value(&table).map_err(|e| format!("data: {e}"))?;
    Ok((base, json))
}

/// One `[[critical]]` entry: exactly one of its rule fields, with `why`.
fn critical_rule(c: RawCritical) -> Result<Critical, (String, Option<Range<usize>>)> {
    let mut rules = Vec::new();
    if let Some(o) = c.outcome {
        rules.push(CriticalRule::Outcome(o));
    }
    if c.resolves == Some(true) {
        rules.push(CriticalRule::Resolves);
    }
    if let Some(t) = c.team_not {
        rules.push(CriticalRule::TeamNot(t));
    }
    if let Some(s) = c.severity_below {
        let span = s.span();
        let severity = Severity::parse(s.get_ref()).ok_or_else(|| {
            (
                format!(
                    "severity_below `{}` is not low, medium, high or critical",
                    s.get_ref()
                ),
                Some(span),
            )
        })?;
        rules.push(CriticalRule::SeverityBelow(severity));
    }
    match rules.len() {
        1 => Ok(Critical {
            rule: rules.remove(0),
            why: c.why,
        }),
        0 => Err((
            "a critical entry needs one of outcome, resolves = true, team_not, severity_below"
                .into(),
            None,
        )),
        _ => Err((
            "a critical entry names one rule (outcome, resolves, team_not or severity_below), \
             not several"
                .into(),
            None,
        )),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) const GOOD: &str = r#"
id = "demo-revoked-key"
version = 1
title = "Payments stopped overnight"
difficulty = 2
runbook = "401"
customer_wrote = "Every call returns 401 since this morning."

[intake]
key_id = "key_revoked"

[data]
base = "builtin"
[[data.customers]]
id = "cus_2001"
name = "Fjord Freight"

[expect]
outcome = "key-revoked-leaked"
answers = { "ask-key-status" = "revoked" }
par = 1

[[hint]]
node = "ask-key-status"
text = "Look at the key."
cost = 10

[[critical]]
resolves = true
why = "Must be escalated."

[[critical]]
severity_below = "high"
why = "Too low."

[debrief]
why = "Because."
trap = "The trap."
"#;

    fn load(path: &str, text: &str) -> Result<Scenario, Vec<Diagnostic>> {
        Scenario::load(&SourceFile::new(path, text))
    }

    #[test]
    fn a_good_scenario_loads_with_its_data_as_json() {
        let s = load("training/demo-revoked-key.toml", GOOD).unwrap();
        assert_eq!(s.id, "demo-revoked-key");
        assert_eq!(s.difficulty.get(), 2);
        assert_eq!(s.base, Base::Builtin);
        assert_eq!(s.data_overlay["customers"][0]["id"], "cus_2001");
        assert_eq!(s.expect.answers["ask-key-status"], "revoked");
        assert_eq!(s.critical[0].rule, CriticalRule::Resolves);
        assert_eq!(
            s.critical[1].rule,
            CriticalRule::SeverityBelow(Severity::High)
        );
        assert_eq!(s.hints_for("ask-key-status").count(), 1);
    }

    #[test]
    fn bad_toml_is_reported_at_its_line_and_column() {
        let text = GOOD.replace("difficulty = 2", "difficulty = = 2");
        let err = load("training/demo-revoked-key.toml", &text).unwrap_err();
        assert_eq!((err[0].line, err[0].column), (5, 14), "{}", err[0]);
    }

    #[test]
    fn unknown_fields_are_errors() {
        let text = GOOD.replace("par = 1", "par = 1\npr = 2");
        let err = load("training/demo-revoked-key.toml", &text).unwrap_err();
        assert!(err[0].message.contains("pr"), "{}", err[0]);
    }

    #[test]
    fn id_must_match_the_file_name_and_difficulty_its_range() {
        let text = GOOD.replace("difficulty = 2", "difficulty = 4");
        let err = load("training/other.toml", &text).unwrap_err();
        let messages: Vec<&str> = err.iter().map(|d| d.message.as_str()).collect();
        assert!(messages[0].contains("file name"), "{messages:?}");
        assert!(messages[1].contains("difficulty 4"), "{messages:?}");
        assert_eq!(err[1].line, 5);
    }

    #[test]
    fn a_critical_entry_names_exactly_one_rule() {
        let text = GOOD.replace("resolves = true", "resolves = true\nteam_not = \"x\"");
        let err = load("training/demo-revoked-key.toml", &text).unwrap_err();
        assert!(err[0].message.contains("not several"), "{}", err[0]);
        let text = GOOD.replace("severity_below = \"high\"", "severity_below = \"huge\"");
        let err = load("training/demo-revoked-key.toml", &text).unwrap_err();
        assert!(err[0].message.contains("huge"), "{}", err[0]);
    }

    #[test]
    fn data_base_is_builtin_or_empty() {
        let text = GOOD.replace("base = \"builtin\"", "base = \"mine\"");
        let err = load("training/demo-revoked-key.toml", &text).unwrap_err();
        assert!(err[0].message.contains("data.base"), "{}", err[0]);
    }
}
