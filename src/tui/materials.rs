//! What the customer sent with the case besides the one paste field: a training scenario may
//! give a request, a token, an error response and access-log lines at once. The first of the
//! request, token and response goes in the paste field, where the trainee reads and may edit
//! it; the rest are attached to the intake form, listed for the trainee, and join the walk
//! with the paste when the form is finished, as `train take` and `run --log` take them.

use crate::diagnose::{DiagnoseError, LogsConfig};
use crate::training::Pastes;

/// The paste field's text, and the rest of `pastes` to attach to the form.
pub fn split(pastes: &Pastes) -> (Option<String>, Pastes) {
    let mut attached = pastes.clone();
    let first = [
        &mut attached.request,
        &mut attached.jwt,
        &mut attached.response,
    ]
    .into_iter()
    .find(|p| p.is_some())
    .and_then(Option::take);
    (first, attached)
}

/// What is attached, in words, one item each: `an access log (24 lines)`.
pub fn describe(attached: &Pastes) -> Vec<String> {
    let mut items = Vec::new();
    if attached.request.is_some() {
        items.push("a request".to_string());
    }
    if attached.jwt.is_some() {
        items.push("a token".to_string());
    }
    if attached.response.is_some() {
        items.push("an error response".to_string());
    }
    if let Some(log) = &attached.log {
        let lines = log.lines().filter(|l| !l.trim().is_empty()).count();
        items.push(format!("an access log ({lines} lines)"));
    }
    items
}

/// Puts the attached materials in the slots the paste field left empty (what the trainee
/// put in the field wins over an attachment of the same kind), the log triaged. A log held
/// in memory is triaged here rather than off the loop as a log file is: it is a scenario's
/// few dozen lines, pure to read like the paste's own diagnostics.
pub fn join(attached: &Pastes, pastes: &mut crate::intake::Pastes) -> Result<(), DiagnoseError> {
    let slot = |text: &Option<String>, what: &str| {
        text.as_ref()
            .map(|t| (format!("attached {what}"), t.clone()))
    };
    if pastes.request.is_none() {
        pastes.request = slot(&attached.request, "request");
    }
    if pastes.jwt.is_none() {
        pastes.jwt = slot(&attached.jwt, "token");
    }
    if pastes.response.is_none() {
        pastes.response = slot(&attached.response, "response");
    }
    if let (None, Some(log)) = (&pastes.logs, &attached.log) {
        let label = "attached access log";
        let report = crate::triage::triage_reader(log.as_bytes(), label, &LogsConfig::default())?;
        pastes.logs = Some((label.to_string(), report));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"{"ts":"2026-11-22T08:00:00Z","method":"GET","path":"/v1/orders","status":200}
{"ts":"2026-11-22T08:01:00Z","method":"GET","path":"/v1/orders","status":401}
"#;

    fn all() -> Pastes {
        Pastes {
            request: None,
            jwt: Some("eyJ.a.b".into()),
            response: Some("HTTP/1.1 401 Unauthorized".into()),
            log: Some(LOG.into()),
        }
    }

    #[test]
    fn the_first_paste_goes_in_the_field_and_the_rest_are_attached() {
        let (field, attached) = split(&all());
        assert_eq!(field.as_deref(), Some("eyJ.a.b"));
        assert_eq!(attached.jwt, None);
        assert_eq!(
            describe(&attached),
            ["an error response", "an access log (2 lines)"]
        );
        let (field, attached) = split(&Pastes::default());
        assert_eq!(field, None);
        assert!(describe(&attached).is_empty());
    }

    #[test]
    fn attachments_fill_the_slots_the_field_left_empty_and_the_log_is_triaged() {
        let (_, attached) = split(&all());
        let mut pastes = crate::intake::Pastes {
            response: Some(("intake paste".into(), "HTTP/1.1 403 Forbidden".into())),
            ..Default::default()
        };
        join(&attached, &mut pastes).unwrap();
        let (label, text) = pastes.response.unwrap();
        assert_eq!(
            (label.as_str(), text.as_str()),
            ("intake paste", "HTTP/1.1 403 Forbidden")
        );
        let (label, report) = pastes.logs.unwrap();
        assert_eq!(label, "attached access log");
        assert_eq!(report.requests, 2, "{report:?}");
    }
}
