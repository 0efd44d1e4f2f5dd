//! Issue 13 items 3 and 4, and issue 9's "not applicable": conflicts between evidence and
//! what people said, the intake's paste and log file, and a missing key's history queries.

use super::tests::{app, ctrl, current, focus_field, press, type_text, walk_401};
use super::*;

#[test]
fn a_ticket_for_a_key_another_customer_owns_waits_for_the_agent_to_choose() {
    let mut s = app();
    let g = super::tests::generation(&walk_401(&mut s));
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query: crate::evidence::QueryKind::Key,
            elapsed: std::time::Duration::from_millis(120),
            facts: super::tests::admin(&[
                ("key.status", "revoked"),
                ("key.customer_id", "cus_1003"),
            ]),
        },
    );
    let status = s.status.clone().unwrap();
    assert!(
        status.error
            && status.text
                == "Conflict: customer_id: intake says cus_1001, admin API says cus_1003 (key.customer_id)",
        "{status:?}"
    );
    for n in ['5', '3', '2'] {
        press(&mut s, KeyCode::Char(n));
    }
    assert!(matches!(s.screen, Screen::Outcome(_)));
    update(&mut s, Msg::IncidentsLoaded(Vec::new()));
    let effects = press(&mut s, KeyCode::Char('s'));
    assert!(
        effects.is_empty(),
        "not saved under either customer yet: {effects:?}"
    );
    assert!(matches!(
        s.overlay,
        Some(crate::tui::state::Overlay::ChooseCustomer(_))
    ));
    let effects = press(&mut s, KeyCode::Char('2'));
    let ticket = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveTicket(t) => Some(t),
            _ => None,
        })
        .expect("saved once chosen");
    assert_eq!(ticket.customer_id.as_ref().unwrap().as_str(), "cus_1003");
    assert_eq!(ticket.conflicts.len(), 1);
    assert_eq!(
        ticket.conflicts[0].settled,
        Some(crate::facts::FactValue::Text("cus_1003".into()))
    );
}

#[test]
fn evidence_contradicting_an_answer_is_flagged_with_a_way_to_answer_again() {
    let mut s = app();
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.case.as_ref().unwrap().runbook.id, "403-forbidden");
    type_text(&mut s, "cus_1001");
    focus_field(&mut s, "key_id");
    ctrl(&mut s, 's');
    let g = s.case.as_ref().unwrap().evidence.generation;
    // Platform incident: just this customer; account: suspended.
    press(&mut s, KeyCode::Char('5'));
    assert_eq!(current(&s), "ask-account");
    press(&mut s, KeyCode::Char('1'));
    assert_eq!(s.status.clone().unwrap().text, "Answered: Suspended");
    update(
        &mut s,
        Msg::EvidenceLoaded {
            key_absent: false,
            generation: g,
            query: crate::evidence::QueryKind::Customer,
            elapsed: std::time::Duration::from_millis(120),
            facts: super::tests::admin(&[("customer.status", "active")]),
        },
    );
    let status = s.status.clone().unwrap();
    assert_eq!(
        status.text,
        "Conflict: customer.status: agent says suspended, admin API says active"
    );
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    let step = walk.open_conflicts()[0].step.unwrap();
    assert_eq!(
        walk.steps()[step].node,
        "ask-account",
        "the step to answer again"
    );
}

/// The 401 intake with `text` pasted into the paste field, then finished.
fn walk_401_with_paste(s: &mut State, text: &str) {
    press(s, KeyCode::Enter);
    type_text(s, "cus_1001");
    focus_field(s, crate::tui::form::PASTE);
    update(s, Msg::Paste(text.into()));
    ctrl(s, 's');
}

#[test]
fn a_pasted_curl_with_a_wrong_header_decides_bad_header_format() {
    let mut s = app();
    walk_401_with_paste(
        &mut s,
        "curl -H 'Authorization: Token sk_live_0123456789abcdef0123' \\\r  https://api.example.com/v1/orders",
    );
    press(&mut s, KeyCode::Char('5'));
    assert_eq!(current(&s), "bad-header-format", "{:?}", s.status);
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    let fact = walk.facts().get("request.header_problem").cloned().unwrap();
    assert_eq!(fact.source, crate::facts::FactSource::Diagnostics);
    assert_ne!(fact.value.to_string(), "none");
    let saved = serde_json::to_string(&s.case.as_ref().unwrap().session).unwrap();
    assert!(
        !saved.contains("0123456789abcdef"),
        "the paste is kept redacted: {saved}"
    );
}

#[test]
fn a_pasted_jwt_and_error_response_feed_the_walk_like_run_does() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let jwt = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256"}"#),
        b64(r#"{"exp":1,"scope":"orders:read"}"#),
        b64("sig")
    );
    let mut s = app();
    walk_401_with_paste(&mut s, &format!("Bearer {jwt}"));
    let facts = s
        .case
        .as_ref()
        .unwrap()
        .session
        .walk
        .as_ref()
        .unwrap()
        .facts();
    assert_eq!(
        facts
            .value("jwt.expired")
            .map(ToString::to_string)
            .as_deref(),
        Some("true")
    );

    let mut s = app();
    walk_401_with_paste(
        &mut s,
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n\r\n",
    );
    let facts = s
        .case
        .as_ref()
        .unwrap()
        .session
        .walk
        .as_ref()
        .unwrap()
        .facts();
    assert_eq!(
        facts
            .value("response.status")
            .map(ToString::to_string)
            .as_deref(),
        Some("401")
    );
}

#[test]
fn once_the_key_is_known_absent_its_history_queries_are_not_applicable() {
    use crate::evidence::QueryKind;
    let mut s = app();
    let g = super::tests::generation(&walk_401(&mut s));
    update(
        &mut s,
        Msg::EvidenceStarted {
            generation: g,
            queries: vec![QueryKind::Key, QueryKind::AuditEvents, QueryKind::Usage],
            demo: true,
        },
    );
    let loaded = |query, key_absent| Msg::EvidenceLoaded {
        generation: g,
        query,
        facts: crate::facts::Facts::new(),
        elapsed: std::time::Duration::from_millis(5),
        key_absent,
    };
    // Audit answers first, before the key's 404 is known: it looks loaded until then.
    update(&mut s, loaded(QueryKind::AuditEvents, false));
    let ev = &s.case.as_ref().unwrap().evidence;
    assert!(!ev.not_applicable(QueryKind::AuditEvents));
    update(&mut s, loaded(QueryKind::Key, true));
    let ev = &s.case.as_ref().unwrap().evidence;
    assert!(ev.not_applicable(QueryKind::AuditEvents));
    assert!(ev.not_applicable(QueryKind::Usage));
    assert!(!ev.not_applicable(QueryKind::Key));
}

#[test]
fn an_access_log_named_at_intake_is_triaged_and_decides_like_run_log() {
    let mut s = app();
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "cus_1001");
    focus_field(&mut s, crate::tui::form::LOG_FILE);
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/diagnose/logs/gateway-customers.jsonl"
    );
    type_text(&mut s, log);
    let effects = ctrl(&mut s, 's');
    let Some(Effect::TriageLogs { case, paths }) = effects
        .iter()
        .find(|e| matches!(e, Effect::TriageLogs { .. }))
    else {
        panic!("{effects:?}")
    };
    assert_eq!(paths, &[std::path::PathBuf::from(log)]);
    let facts = crate::tui::effects::triage_logs(paths.clone());
    let case = case.clone();
    update(&mut s, Msg::LogsTriaged { case, facts });
    // The log's facts join the walk as `run --log`'s do: the customers failing in it, which
    // escalate once the key and the account are ruled out (the trees ask those first).
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    let fact = walk.facts().get("logs.customers_failing").cloned().unwrap();
    assert_eq!(
        fact.source,
        crate::facts::FactSource::Diagnostics,
        "{fact:?}"
    );
    assert!(
        matches!(fact.value, crate::facts::FactValue::Number(n) if n >= 3.0),
        "{fact:?}"
    );
}

#[test]
fn an_unreadable_log_file_is_evidence_unavailable_not_a_crash() {
    let mut s = app();
    walk_401(&mut s);
    let case = s.case.as_ref().unwrap().session.id.clone();
    let facts = crate::tui::effects::triage_logs(vec!["/nonexistent/access.log".into()]);
    update(&mut s, Msg::LogsTriaged { case, facts });
    let status = s.status.clone().unwrap();
    assert!(
        status.error && status.text.starts_with("Cannot triage the access logs"),
        "{status:?}"
    );
    let walk = s.case.as_ref().unwrap().session.walk.as_ref().unwrap();
    assert!(walk.unavailable().iter().any(|u| u.what == "access logs"));
}
