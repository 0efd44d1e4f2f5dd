//! The canary run of issue 9: a key and a bearer token typed or pasted into every text field
//! of the terminal app, driven headless through the same update loop, must not come out in
//! full anywhere: session files, both ticket files, the OSC 52 payload, what evidence queries
//! are sent, or what the status line says. `tests/tui_e2e.rs` repeats it through tmux.

use super::tests::{app, ctrl, focus_field, press, type_text};
use super::*;
use crate::tui::effects::{osc52, read_saved, triage_logs};
use base64::Engine;
use std::path::{Path, PathBuf};

const KEY: &str = "sk_live_CANARY0q7Zt2Lm9Xw4Rv8Ks1Np6Hd3Jf";
const TOKEN: &str = "tokCANARY5f8e7d6c5b4a3f2e";
/// What must never be seen: both canaries, and the parts a mask never shows.
const NEVER: &[&str] = &[KEY, TOKEN, "q7Zt2Lm9Xw4R", "5f8e7d6c5b4a"];

/// Carries out effects the way the runtime does, into temporary folders, and keeps what
/// left the app: the OSC 52 sequences and the facts evidence queries were sent.
struct Runtime {
    data: tempfile::TempDir,
    tickets: PathBuf,
    clipboard: Vec<String>,
    sent: Vec<String>,
    statuses: Vec<String>,
}

impl Runtime {
    fn new() -> Self {
        let data = tempfile::tempdir().unwrap();
        let tickets = data.path().join("tickets");
        Runtime {
            data,
            tickets,
            clipboard: Vec::new(),
            sent: Vec::new(),
            statuses: Vec::new(),
        }
    }

    fn run(&mut self, s: &mut State, effects: Vec<Effect>) {
        if let Some(status) = &s.status {
            self.statuses.push(status.text.clone());
        }
        for effect in effects {
            let follow = match effect {
                Effect::SaveSession(session) => {
                    session.save(self.data.path()).unwrap();
                    None
                }
                Effect::SaveTicket(ticket) => Some(Msg::TicketSaved {
                    files: crate::store::save_ticket(&ticket, &self.tickets).unwrap(),
                }),
                Effect::Copy(text) => {
                    self.clipboard.push(osc52(&text));
                    None
                }
                Effect::FetchEvidence { intake, .. } => {
                    self.sent.push(serde_json::to_string(&intake).unwrap());
                    None
                }
                Effect::OpenEditor(text) => Some(Msg::EditorClosed {
                    text: Ok(format!(
                        "Summary from the editor {KEY}\n{text}\nEditor note: Bearer {TOKEN}\n"
                    )),
                }),
                Effect::ReadSavedTicket(files) => Some(Msg::SavedTicketRead(read_saved(&files))),
                Effect::LoadIncidents => Some(Msg::IncidentsLoaded(crate::store::saved_incidents(
                    &self.tickets,
                ))),
                Effect::TriageLogs { case, paths } => Some(Msg::LogsTriaged {
                    case,
                    facts: triage_logs(paths),
                }),
                Effect::LoadStats => Some(Msg::StatsLoaded(
                    crate::saved::read(&self.tickets, self.data.path()).map_err(|e| e.to_string()),
                )),
                Effect::LoadHome
                | Effect::Quit
                | Effect::HoldCase(_)
                | Effect::ArchiveSession(_)
                | Effect::ArchiveDamaged(_)
                | Effect::ReadTicket(_)
                | Effect::OpenPager(_)
                | Effect::ServeScenario(_)
                | Effect::RememberTrainee(_)
                | Effect::SaveResult { .. }
                | Effect::LoadReport(_)
                | Effect::Send { .. } => None,
            };
            if let Some(msg) = follow {
                let more = update(s, msg);
                self.run(s, more);
            }
        }
    }

    fn key(&mut self, s: &mut State, code: KeyCode) {
        let effects = press(s, code);
        self.run(s, effects);
    }

    fn ctrl(&mut self, s: &mut State, c: char) {
        let effects = ctrl(s, c);
        self.run(s, effects);
    }

    fn focus(&mut self, s: &mut State, field: &str) {
        let effects = focus_field(s, field);
        self.run(s, effects);
    }

    fn paste(&mut self, s: &mut State, text: &str) {
        let effects = update(s, Msg::Paste(text.into()));
        self.run(s, effects);
    }

    fn clear(&mut self, s: &mut State) {
        for _ in 0..120 {
            press(s, KeyCode::Backspace);
        }
    }
}

/// Every file under `dir`, with its text.
fn files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for canary in NEVER {
        assert!(
            !text.contains(canary),
            "{canary} leaked into {what}:\n{text}"
        );
    }
}

#[test]
fn canaries_typed_into_every_text_field_never_leave_the_app() {
    let mut s = app();
    let mut rt = Runtime::new();
    rt.key(&mut s, KeyCode::Enter);
    let Screen::Intake(form) = &s.screen else {
        panic!("not on intake")
    };
    let fields: Vec<String> = form.fields.iter().map(|f| f.name.clone()).collect();
    assert!(fields.len() >= 9, "{fields:?}");
    for name in &fields {
        rt.focus(&mut s, name);
        match name.as_str() {
            "error_body" => rt.paste(
                &mut s,
                &format!("{{\"error\":\"invalid key {KEY}\"}}\nAuthorization: Bearer {TOKEN}"),
            ),
            "endpoint" => type_text(&mut s, &format!("/v1/orders?api_key={KEY}")),
            "key" => rt.paste(&mut s, KEY),
            // The paste field reads a request; its diagnostic facts must not carry either.
            "paste" => rt.paste(
                &mut s,
                &format!(
                    "curl -H 'Authorization: Bearer {TOKEN}' 'https://api.example.com/v1/orders?api_key={KEY}'"
                ),
            ),
            // Typed fields refuse the canary; the refusal must not echo it.
            "client_ip" | "status" | "started_at" | "request_id" | "customer_ticket" => {
                type_text(&mut s, &format!("{KEY} Bearer {TOKEN}"));
                rt.ctrl(&mut s, 's');
                assert!(s.status.as_ref().is_some_and(|st| st.error), "{name}");
                rt.clear(&mut s);
                let valid = match name.as_str() {
                    "client_ip" => "203.0.113.7",
                    "status" => "401",
                    "request_id" => "req_8f2a",
                    "customer_ticket" => "ZD-48213",
                    _ => "2026-11-22 09:00",
                };
                type_text(&mut s, valid);
            }
            _ => type_text(&mut s, &format!("x {KEY} Bearer {TOKEN}")),
        }
    }
    rt.ctrl(&mut s, 's');
    assert!(matches!(s.screen, Screen::Walk(_)), "{:?}", s.status);
    rt.key(&mut s, KeyCode::Char('n'));
    type_text(&mut s, &format!("walk note {KEY} token={TOKEN}"));
    rt.ctrl(&mut s, 's');
    for n in ['5', '3', '2'] {
        rt.key(&mut s, KeyCode::Char(n));
    }
    assert!(matches!(s.screen, Screen::Outcome(_)), "{:?}", s.status);

    rt.key(&mut s, KeyCode::Char('e'));
    rt.clear(&mut s);
    rt.paste(&mut s, &format!("Revoked; customer sent {KEY}"));
    rt.key(&mut s, KeyCode::Enter);
    rt.key(&mut s, KeyCode::Char('n'));
    type_text(
        &mut s,
        &format!("outcome note Authorization: Bearer {TOKEN}"),
    );
    rt.ctrl(&mut s, 's');
    rt.key(&mut s, KeyCode::Char('E'));
    rt.key(&mut s, KeyCode::Char('y'));
    rt.key(&mut s, KeyCode::Char('f'));
    rt.key(&mut s, KeyCode::Char('y'));
    rt.key(&mut s, KeyCode::Char('s'));

    let sessions = files(&crate::session::sessions_dir(rt.data.path()));
    let tickets = files(&rt.tickets);
    assert!(!sessions.is_empty(), "no session was saved");
    assert_eq!(tickets.len(), 2, "{tickets:?}");
    assert_eq!(rt.clipboard.len(), 2);
    for (path, text) in sessions.iter().chain(&tickets) {
        assert_clean(&path.display().to_string(), text);
    }
    let mut copied = Vec::new();
    for payload in &rt.clipboard {
        assert_clean("the OSC 52 sequence", payload);
        let encoded = payload
            .trim_start_matches("\x1b]52;c;")
            .trim_end_matches('\x07');
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        copied.push(String::from_utf8(decoded).unwrap());
    }
    for text in &copied {
        assert_clean("the clipboard", text);
    }
    // Redacting the copy once more changed nothing: it is the ticket as saved.
    let mut saved: Vec<&String> = tickets.iter().map(|(_, t)| t).collect();
    saved.sort();
    let mut copied: Vec<&String> = copied.iter().collect();
    copied.sort();
    assert_eq!(copied, saved);
    for sent in &rt.sent {
        assert_clean("an evidence query", sent);
    }
    for status in &rt.statuses {
        assert_clean("the status line", status);
    }
    // Not vacuous: every text reached the ticket, masked.
    let md = &tickets
        .iter()
        .find(|(p, _)| p.extension().unwrap() == "md")
        .unwrap()
        .1;
    for shown in [
        "/v1/orders?api_key=sk_live_CANA",
        "walk note sk_live_CANA",
        "outcome note Authorization: Bearer ",
        "Editor note: Bearer ",
        "Summary from the editor sk_live_CANA",
    ] {
        assert!(md.contains(shown), "{shown} missing from\n{md}");
    }
}

#[test]
fn a_key_without_a_prefix_typed_at_intake_is_masked_in_later_notes_and_summary() {
    let plain = "plainkey0q7Zt2Lm9X";
    let mut s = app();
    let mut rt = Runtime::new();
    rt.key(&mut s, KeyCode::Enter);
    type_text(&mut s, "cus_1001");
    rt.focus(&mut s, "key_id");
    type_text(&mut s, "key_revoked");
    rt.focus(&mut s, "key");
    rt.paste(&mut s, plain);
    rt.focus(&mut s, "error_body");
    rt.paste(&mut s, &format!("{{\"error\":\"bad key {plain}\"}}"));
    rt.ctrl(&mut s, 's');
    rt.key(&mut s, KeyCode::Char('n'));
    type_text(&mut s, &format!("they pasted {plain} again"));
    rt.ctrl(&mut s, 's');
    for n in ['5', '3', '2'] {
        rt.key(&mut s, KeyCode::Char(n));
    }
    rt.key(&mut s, KeyCode::Char('e'));
    rt.clear(&mut s);
    rt.paste(&mut s, &format!("key={plain}"));
    rt.key(&mut s, KeyCode::Enter);
    rt.key(&mut s, KeyCode::Char('s'));
    let all: Vec<(PathBuf, String)> = files(rt.data.path());
    assert!(all.len() >= 3, "{all:?}");
    for (path, text) in &all {
        assert!(
            !text.contains(plain),
            "{plain} leaked into {}:\n{text}",
            path.display()
        );
    }
}
