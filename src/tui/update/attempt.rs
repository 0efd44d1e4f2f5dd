//! A scenario being taken: started from the picker, watched from outside while it runs on
//! the live screens ([`after`]), so intake, walk and evidence behave exactly as they do for a
//! real customer; hints recorded with their cost; reaching an outcome scores the attempt with
//! the core, saves it and shows the score card.

use crate::facts::FactSource;
use crate::tui::form::PASTE;
use crate::tui::materials;
use crate::tui::msg::Effect;
use crate::tui::state::{Screen, State, WalkPane};
use crate::tui::training::{Attempt, Card, Popup, ScenarioData, TrainingScreen};
use crate::walk::Answerer;

/// Starts scenario `index`: its data served on loopback, a new case on its runbook with the
/// intake it gives filled in, and the customer's text shown first.
pub fn take(state: &mut State, index: usize) -> Vec<Effect> {
    let now = state.now();
    let Some(lesson) = state.training.as_ref().and_then(|t| t.lessons.get(index)) else {
        return Vec::new();
    };
    let s = &lesson.scenario;
    let data = if s.facts.is_empty() {
        ScenarioData::Overlay {
            builtin: s.base == crate::training::Base::Builtin,
            overlay: s.data_overlay.clone(),
        }
    } else {
        ScenarioData::Frozen(crate::tui::training::frozen_facts(s, now))
    };
    let mut effects = vec![Effect::ServeScenario(data)];
    let mut inputs = s.inputs();
    // The form has one paste field; every other paste is attached to the form and joins
    // the walk with it, so the app decides on the same evidence as `train take`.
    let (field, attached) = materials::split(&s.pastes);
    let mut text = s.customer_wrote.trim().to_string();
    if let Some(pasted) = field {
        inputs.push((PASTE.to_string(), pasted));
        text.push_str("\n\nWhat they pasted is in the intake's paste field.");
    }
    let items = materials::describe(&attached);
    if !items.is_empty() {
        text.push_str(&format!(
            "\n\nThey also sent {}: attached to the intake, it joins the walk when the \
             intake is done.",
            items.join(", ")
        ));
    }
    let popup = Popup {
        title: format!("{} · the customer wrote", s.title),
        text,
    };
    let runbook = lesson.runbook.clone();
    let id = crate::session::new_id(now);
    effects.extend(super::start_case(state, runbook, id));
    // Names the runbook lacks were reported by `train check`; the rest still fill in.
    let (more, _) = super::prefill(state, &inputs);
    effects.extend(more);
    if let Screen::Intake(form) = &mut state.screen {
        form.attached = attached;
    }
    if let Some(t) = &mut state.training {
        t.attempt = Some(Attempt {
            lesson: index,
            started_at: now,
            hints: Vec::new(),
            evidence_opened: Vec::new(),
            typed: Vec::new(),
        });
        t.popup = Some(popup);
    }
    effects
}

/// The hint key: the current question's next hint, recorded with its cost.
pub fn hint(state: &mut State) -> Vec<Effect> {
    let node = match (&state.screen, &state.case) {
        (Screen::Walk(_), Some(case)) => {
            case.session.walk.as_ref().map(|w| w.current().to_string())
        }
        _ => None,
    };
    let (Some(t), Some(node)) = (&mut state.training, node) else {
        state.info("Hints are for training, on a question (authdesk train)");
        return Vec::new();
    };
    let Some(attempt) = &mut t.attempt else {
        return Vec::new();
    };
    let Some(lesson) = t.lessons.get(attempt.lesson) else {
        return Vec::new();
    };
    let taken = attempt.hints.iter().filter(|n| **n == node).count();
    let hints: Vec<_> = lesson.scenario.hints_for(&node).collect();
    let (text, note) = match hints.get(taken) {
        Some(h) => {
            attempt.hints.push(node.clone());
            (
                h.text.clone(),
                format!("This hint costs {} points.", h.cost),
            )
        }
        None => match hints.last() {
            Some(h) => (
                h.text.clone(),
                "No more hints here; no further cost.".into(),
            ),
            None => {
                state.info("No hint for this question");
                return Vec::new();
            }
        },
    };
    t.popup = Some(Popup {
        title: format!("Hint · {node}"),
        text: format!("{}\n\n{note}", text.trim()),
    });
    Vec::new()
}

/// After every update while training: the case's files stay out of the agent's data, what
/// the trainee typed and looked at is noted, and reaching an outcome ends the attempt.
pub fn after(state: &mut State, mut effects: Vec<Effect>) -> Vec<Effect> {
    if state.training.is_none() {
        return effects;
    }
    // Measured here, before `training` is borrowed: what the focused pane has in view.
    let in_view = match &state.screen {
        Screen::Walk(ws) if ws.pane == WalkPane::Evidence => {
            crate::tui::view::evidence_in_view(state)
        }
        _ => Vec::new(),
    };
    let Some(t) = &mut state.training else {
        return effects;
    };
    // A training case is nobody's case: no session, lock, ticket or home listing, and no
    // links to the agent's real tickets.
    effects.retain(|e| {
        !matches!(
            e,
            Effect::HoldCase(_)
                | Effect::SaveSession(_)
                | Effect::SaveTicket(_)
                | Effect::LoadHome
                | Effect::LoadIncidents
        )
    });
    match &state.screen {
        // The case was closed (Esc at intake): training's home is the picker.
        Screen::Home(_) => {
            t.attempt = None;
            t.popup = None;
            state.case = None;
            state.screen = Screen::Training(TrainingScreen::Picker);
        }
        Screen::Intake(form) => {
            if let Some(a) = &mut t.attempt {
                // Raw, as typed: a secret pasted into free text is a critical error, and the
                // session keeps only the redacted text.
                a.typed = form
                    .fields
                    .iter()
                    .filter(|f| !f.is_empty())
                    .map(|f| (f.name.clone(), f.raw()))
                    .collect();
            }
        }
        // Only what was scrolled into view counts as opened, not the whole pane.
        Screen::Walk(_) => {
            if let (Some(a), Some(case)) = (&mut t.attempt, &state.case) {
                let facts = case
                    .session
                    .walk
                    .as_ref()
                    .map_or_else(|| case.evidence.facts.clone(), |w| w.facts());
                for name in in_view {
                    let from_api = facts
                        .get(name)
                        .is_some_and(|f| f.source == FactSource::AdminApi);
                    if from_api && !a.evidence_opened.iter().any(|n| n == name) {
                        a.evidence_opened.push(name.to_string());
                    }
                }
            }
        }
        Screen::Outcome(_) if t.attempt.is_some() => effects.extend(finish(state)),
        _ => {}
    }
    effects
}

/// Scores the finished walk against the expected answers played on the same facts, and
/// shows the score card while the result is saved.
fn finish(state: &mut State) -> Vec<Effect> {
    let now = state.now();
    let case = state.case.take();
    let ticket = case
        .as_ref()
        .and_then(|c| super::case::build_ticket(c, &state.agent, now, None, &[]).ok())
        .map(|t| t.to_markdown());
    let Some(t) = &mut state.training else {
        return Vec::new();
    };
    t.popup = None;
    let (Some(attempt), Some(case)) = (t.attempt.take(), case) else {
        return Vec::new();
    };
    let Some(lesson) = t.lessons.get(attempt.lesson) else {
        return Vec::new();
    };
    let Some(walk) = &case.session.walk else {
        return Vec::new();
    };
    let s = &lesson.scenario;
    let played = crate::training::play(
        &lesson.runbook,
        walk.facts(),
        &s.expect.answers,
        &Answerer::Script,
        attempt.started_at,
    );
    let expected = match played {
        Ok(played) => played.walk,
        Err(e) => {
            let why = format!("Cannot score {}: {e}", s.id);
            state.screen = Screen::Training(TrainingScreen::Picker);
            state.error(why);
            return Vec::new();
        }
    };
    // Values the scenario gave are not the trainee's typing.
    let typed = attempt
        .typed
        .into_iter()
        .filter(|(name, value)| s.intake.get(name) != Some(value))
        .collect();
    let scored = crate::training::Attempt {
        trainee: t.trainee.clone(),
        started_at: attempt.started_at,
        finished_at: now,
        typed,
        hints: attempt.hints,
        evidence_opened: attempt.evidence_opened,
    };
    let result = crate::training::score(s, &lesson.runbook, walk, &expected, &scored);
    let effect = Effect::SaveResult {
        result: Box::new(result.clone()),
        dir: t.results_dir.clone(),
    };
    state.screen = Screen::Training(TrainingScreen::Card(Box::new(Card {
        result,
        lesson: attempt.lesson,
        saved: None,
        scroll: 0,
        ticket,
    })));
    vec![effect]
}

pub fn result_saved(state: &mut State, saved: Result<std::path::PathBuf, String>) -> Vec<Effect> {
    match &saved {
        Ok(path) => state.info(format!("Result saved: {}", path.display())),
        Err(why) => state.error(format!("Could not save the result: {why}")),
    }
    if let Screen::Training(TrainingScreen::Card(card)) = &mut state.screen {
        card.saved = Some(saved);
    }
    Vec::new()
}
