//! Text entry: the intake form, checked against the fact schema as the agent types, and the
//! small editors for a note or the ticket summary. The pasted key is held only in the text
//! field (shown as bullets); what the fields hold becomes facts and a saved session only
//! through `crate::intake`, which masks and redacts it.

use crate::diagnose::paste::{PasteKind, detect};
use crate::facts::{FactType, FactValue, Facts, lookup, name};
use crate::intake::{self, Given, Pastes};
use crate::runbook::Runbook;
use crate::secret::MaskedSecret;
use crate::session::IntakeValue;
use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;
use std::collections::BTreeMap;

/// Inputs typed over several lines. The schema has no such flag: only the pasted error body
/// is long enough to need one.
const MULTILINE: &[&str] = &[name::ERROR_BODY];
/// Inputs that identify what to ask the admin API about; evidence starts once one is valid.
const IDENTIFYING: &[&str] = &[name::CUSTOMER_ID, name::KEY_ID, name::KEY];
/// Inputs the admin API's answers depend on; changing one fetches the evidence again.
const QUERIED: &[&str] = &[
    name::CUSTOMER_ID,
    name::KEY_ID,
    name::KEY,
    name::CLIENT_IP,
    name::METHOD,
    name::ENDPOINT,
];

/// The field that takes whatever the customer pasted (not a runbook input: its diagnostics
/// give the facts).
pub const PASTE: &str = "paste";
const PASTE_LABEL: &str = "Customer's paste";
const PASTE_HELP: &str = "A curl command, raw request, headers, a JWT or an error response. \
    It is recognised and checked as `authdesk inspect` would, and its facts join the walk.";

/// The field naming an access log file, triaged as `run --log` does once the walk starts.
pub const LOG_FILE: &str = "log_file";
const LOG_LABEL: &str = "Access log file";
const LOG_HELP: &str = "A path to the gateway's access logs (JSON lines, nginx, uvicorn; gzip too). \
    They are triaged when the walk starts, and their facts join it as they come.";

/// Fields that are not runbook inputs: their text is read by the diagnostics, not parsed.
const NOT_INPUTS: &[&str] = &[PASTE, LOG_FILE];

pub struct Field {
    /// The fact this field provides (or [`PASTE`], [`LOG_FILE`]).
    pub name: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub ty: FactType,
    pub multiline: bool,
    pub text: TextArea<'static>,
    /// A secret restored from a saved session: only its mask survives, so it stands in for
    /// the field's text until the agent types a new one.
    pub kept: Option<MaskedSecret>,
}

impl Field {
    fn new(name: &str, label: &str, help: &str, required: bool) -> Self {
        let ty = lookup(name).map_or(FactType::Text, |d| d.ty);
        let mut text = TextArea::default();
        if ty == FactType::Secret {
            text.set_mask_char('•');
        }
        Field {
            name: name.to_string(),
            label: label.to_string(),
            help: help.to_string(),
            required,
            ty,
            multiline: MULTILINE.contains(&name),
            text,
            kept: None,
        }
    }

    pub fn raw(&self) -> String {
        self.text.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_none() && self.raw().trim().is_empty()
    }

    /// The field's value, `Ok(None)` when it is empty, or why its text does not fit the schema.
    pub fn value(&self) -> Result<Option<FactValue>, String> {
        if let Some(kept) = &self.kept {
            return Ok(Some(FactValue::Secret(kept.clone())));
        }
        let raw = self.raw();
        if raw.trim().is_empty() || NOT_INPUTS.contains(&self.name.as_str()) {
            return Ok(None);
        }
        crate::evidence::check_input(&self.name, &raw).map_err(|e| e.to_string())?;
        FactValue::parse(self.ty, &raw)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// The field's value as intake takes it.
    fn given(&self) -> Given {
        match &self.kept {
            Some(kept) => Given::Masked(kept.clone()),
            None => Given::Text(self.raw()),
        }
    }
}

/// The intake form of one runbook.
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Set once the agent tried to finish, so missing required fields are shown as errors.
    pub tried: bool,
    /// The identifying values evidence was last fetched for, to fetch again only on change.
    pub fetched_for: Option<String>,
    /// What the customer sent besides the paste (a training scenario's other pastes): they
    /// join the walk with it ([`crate::tui::materials`]). Not saved: only training sets them.
    pub attached: crate::training::Pastes,
}

impl Form {
    pub fn new(rb: &Runbook, saved: &BTreeMap<String, IntakeValue>) -> Self {
        let mut fields: Vec<Field> = rb
            .inputs
            .iter()
            .map(|i| Field::new(&i.name, &i.label, &i.help, i.required))
            .collect();
        for field in &mut fields {
            match saved.get(&field.name) {
                Some(IntakeValue::Text(t)) => {
                    field.text = TextArea::new(t.lines().map(str::to_string).collect());
                    field.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
                    field.text.move_cursor(ratatui_textarea::CursorMove::End);
                }
                Some(IntakeValue::Masked(m)) => field.kept = Some(m.clone()),
                None => {}
            }
            if field.ty == FactType::Secret {
                field.text.set_mask_char('•');
            }
        }
        let mut paste = Field::new(PASTE, PASTE_LABEL, PASTE_HELP, false);
        paste.multiline = true;
        if let Some(IntakeValue::Text(t)) = saved.get(PASTE) {
            paste.text = TextArea::new(t.lines().map(str::to_string).collect());
        }
        fields.push(paste);
        let mut log = Field::new(LOG_FILE, LOG_LABEL, LOG_HELP, false);
        if let Some(IntakeValue::Text(t)) = saved.get(LOG_FILE) {
            log.text = TextArea::new(vec![t.to_string()]);
        }
        fields.push(log);
        let mut form = Form {
            fields,
            focus: 0,
            tried: false,
            fetched_for: None,
            attached: Default::default(),
        };
        form.set_focus(0);
        form
    }

    /// Puts `text` in the field for input `name`; false when the runbook has no such input.
    pub fn set_text(&mut self, name: &str, text: &str) -> bool {
        let Some(field) = self.fields.iter_mut().find(|f| f.name == name) else {
            return false;
        };
        field.kept = None;
        field.text = TextArea::new(text.lines().map(str::to_string).collect());
        // Typing goes on after what is there, not before it.
        field.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        field.text.move_cursor(ratatui_textarea::CursorMove::End);
        if field.ty == FactType::Secret {
            field.text.set_mask_char('•');
        }
        true
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    /// Moves focus, showing the cursor only in the focused field.
    pub fn set_focus(&mut self, index: usize) {
        self.focus = index.min(self.fields.len().saturating_sub(1));
        for (i, f) in self.fields.iter_mut().enumerate() {
            let cursor = if i == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            f.text.set_cursor_style(cursor);
            f.text.set_cursor_line_style(Style::default());
        }
    }

    /// Every field's problem: text that does not parse, or a required field left empty once
    /// the agent tried to finish.
    pub fn problems(&self) -> Vec<(usize, String)> {
        self.fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f.value() {
                Err(e) => Some((i, e)),
                Ok(None) if f.required && self.tried => Some((i, "required".to_string())),
                Ok(_) => None,
            })
            .collect()
    }

    pub fn problem(&self, index: usize) -> Option<String> {
        self.problems()
            .into_iter()
            .find(|(i, _)| *i == index)
            .map(|(_, e)| e)
    }

    /// Every input's value by name, as intake takes them (the paste is not an input).
    fn given(&self) -> Vec<(String, Given)> {
        self.fields
            .iter()
            .filter(|f| !NOT_INPUTS.contains(&f.name.as_str()))
            .map(|f| (f.name.clone(), f.given()))
            .collect()
    }

    /// The paste's text, if any.
    pub fn paste(&self) -> Option<String> {
        self.text_of(PASTE)
    }

    /// The access log file named, if any.
    pub fn log_file(&self) -> Option<std::path::PathBuf> {
        self.text_of(LOG_FILE).map(|t| t.trim().into())
    }

    fn text_of(&self, name: &str) -> Option<String> {
        let f = self.fields.iter().find(|f| f.name == name)?;
        (!f.is_empty()).then(|| f.raw())
    }

    /// The paste filed where `run` would take it from a file, by what it looks like.
    pub fn pastes(&self) -> (Option<PasteKind>, Pastes) {
        let Some(text) = self.paste() else {
            return (None, Pastes::default());
        };
        let kind = detect(&text);
        let slot = Some(("intake paste".to_string(), text));
        let pastes = match kind {
            Some(PasteKind::Jwt) => Pastes {
                jwt: slot,
                ..Pastes::default()
            },
            Some(PasteKind::Response) => Pastes {
                response: slot,
                ..Pastes::default()
            },
            Some(PasteKind::Request) | None => Pastes {
                request: slot,
                ..Pastes::default()
            },
        };
        (kind, pastes)
    }

    /// The intake facts, when every field is valid.
    pub fn facts(&self, rb: &Runbook, now: DateTime<Utc>) -> Result<Facts, Vec<(usize, String)>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        intake::facts(rb, &self.given(), now).map_err(|e| {
            let at = match &e {
                intake::IntakeError::Invalid(crate::facts::FactError::Parse { name, .. }) => {
                    self.fields.iter().position(|f| &f.name == name)
                }
                _ => None,
            };
            vec![(at.unwrap_or(0), e.to_string())]
        })
    }

    /// What a saved session keeps of the form, the paste redacted like any free text.
    pub fn saved(&self) -> BTreeMap<String, IntakeValue> {
        let mut all = self.given();
        for name in NOT_INPUTS {
            if let Some(text) = self.text_of(name) {
                all.push((name.to_string(), Given::Text(text)));
            }
        }
        intake::kept(&all)
    }

    /// The valid facts evidence can be fetched for, with a signature to notice changes; none
    /// until a customer or a key is given.
    pub fn evidence_request(&self, rb: &Runbook, now: DateTime<Utc>) -> Option<(String, Facts)> {
        let facts = intake::valid_facts(rb, &self.given(), now);
        let signature: Vec<String> = QUERIED
            .iter()
            .filter_map(|n| facts.value(n).map(|v| format!("{n}={v}")))
            .collect();
        let identified = IDENTIFYING.iter().any(|n| facts.get(n).is_some());
        identified.then(|| (signature.join("|"), facts))
    }
}

/// What a small editor is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditPurpose {
    Note,
    Summary,
}

/// A note or the summary being typed in a popup.
pub struct TextEdit {
    pub purpose: EditPurpose,
    pub text: TextArea<'static>,
}

impl TextEdit {
    pub fn new(purpose: EditPurpose, initial: &str) -> Self {
        let mut text = TextArea::new(initial.lines().map(str::to_string).collect());
        text.set_cursor_line_style(Style::default());
        text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        text.move_cursor(ratatui_textarea::CursorMove::End);
        TextEdit { purpose, text }
    }

    pub fn content(&self) -> String {
        self.text.lines().join("\n").trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Catalog;

    use crate::testing::now;

    fn rb() -> Runbook {
        Catalog::builtin().find("401").unwrap().clone()
    }

    fn form() -> Form {
        Form::new(&rb(), &BTreeMap::new())
    }

    fn type_into(form: &mut Form, name: &str, text: &str) {
        let i = form.fields.iter().position(|f| f.name == name).unwrap();
        form.fields[i].text.insert_str(text);
    }

    #[test]
    fn bad_ip_is_reported_as_typed() {
        let mut f = form();
        type_into(&mut f, "client_ip", "203.0.113");
        let i = f.fields.iter().position(|f| f.name == "client_ip").unwrap();
        assert!(f.problem(i).unwrap().contains("not a valid ip"));
        type_into(&mut f, "client_ip", ".7");
        assert_eq!(f.problem(i), None);
    }

    #[test]
    fn an_id_that_would_change_the_admin_path_is_a_form_problem() {
        let mut f = form();
        type_into(&mut f, "key_id", "..");
        let i = f.fields.iter().position(|f| f.name == "key_id").unwrap();
        assert!(f.problem(i).unwrap().contains("`.` and `..`"));
        assert!(f.evidence_request(&rb(), now()).is_none());
        type_into(&mut f, "key_id", "key_x");
        assert_eq!(f.problem(i), None);
    }

    #[test]
    fn pasted_key_is_saved_only_masked() {
        let mut f = form();
        type_into(&mut f, "key", "sk_live_0123456789abcdef0123");
        let saved = serde_json::to_string(&f.saved()).unwrap();
        assert!(!saved.contains("0123456789abcdef"), "{saved}");
        let facts = f.facts(&rb(), now()).unwrap();
        assert!(matches!(facts.value("key"), Some(FactValue::Secret(_))));
    }

    #[test]
    fn restored_masked_key_still_counts_as_given() {
        let mut saved = BTreeMap::new();
        saved.insert(
            "key".to_string(),
            IntakeValue::keep(FactType::Secret, "sk_live_0123456789abcdef0123", &[]),
        );
        let catalog = Catalog::builtin();
        let f = Form::new(catalog.find("401").unwrap(), &saved);
        assert!(f.evidence_request(&rb(), now()).is_some());
        assert_eq!(f.saved(), saved);
    }

    #[test]
    fn evidence_waits_for_a_customer_or_key() {
        let mut f = form();
        type_into(&mut f, "method", "GET");
        assert!(f.evidence_request(&rb(), now()).is_none());
        type_into(&mut f, "key_id", "key_revoked");
        let (sig, facts) = f.evidence_request(&rb(), now()).unwrap();
        assert!(sig.contains("key_id=key_revoked"));
        assert!(facts.get("method").is_some());
    }
}
