//! Issue 14, item 11, in the terminal app: the same case walked twice in one data folder
//! gives a second ticket that links the first and is marked as its duplicate, on screen and
//! in the file saved.

mod common;

use common::DemoApiProcess;
use common::tmux::Pane;

const TOKEN: &str = "related-e2e-token";

/// Walks `key_stuffed` (credential stuffing, which the evidence decides alone) to its outcome
/// and saves the ticket; the screen at the outcome, before saving.
fn walk_and_save(p: &Pane, api: &DemoApiProcess) -> String {
    p.run(
        &["walk", "401", "--input", "key_id=key_stuffed"],
        &[
            ("AUTHDESK_ADMIN_URL", api.url.as_str()),
            ("AUTHDESK_ADMIN_TOKEN", TOKEN),
        ],
    );
    p.wait_for("Intake");
    // The walk starts once every query has answered: a check decided on part of the evidence
    // is not decided again, and under load the request logs (which show the stuffing) can
    // answer after the checks that need them have fallen through.
    p.wait_for("✓ evidence ready");
    p.keys(&["C-s"]);
    p.wait_walking();
    let screen = p.answer_until(&[], "Ticket preview");
    assert!(screen.contains("Credential stuffing"), "{screen}");
    // The saved tickets are read off the loop: a save asked meanwhile waits for them.
    p.keys(&["s"]);
    p.wait_for("Saved ESC-");
    screen
}

#[test]
fn the_same_case_walked_twice_marks_the_second_ticket_a_duplicate_of_the_first() {
    let p = Pane::new(80, 24);
    // One demo API for both walks: its request logs say when the failures began, anchored
    // once when it starts, so the two cases fall in one incident window whatever the clock
    // reads between them (each app's own demo API would anchor them anew).
    let api = DemoApiProcess::start(&p.sb, &[], &[("AUTHDESK_ADMIN_TOKEN", TOKEN)]);

    let first_screen = walk_and_save(&p, &api);
    assert!(!first_screen.contains("Duplicate of"), "{first_screen}");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");
    let tickets = p.sb.tickets();
    assert_eq!(tickets.len(), 1);
    let first = tickets[0].1.clone();
    let first_id = first["id"].as_str().unwrap().to_string();
    assert!(first.get("duplicate_of").is_none(), "{first:#}");

    walk_and_save(&p, &api);
    let screen = p.wait_for(&format!("Duplicate of {first_id}: already filed"));
    assert!(!screen.contains("✗ Not saved"), "{screen}");
    p.keys(&["q"]);
    assert_eq!(p.exit_status(), "0");

    let tickets = p.sb.tickets();
    assert_eq!(tickets.len(), 2, "two tickets, the first one untouched");
    let (md, second) = tickets
        .iter()
        .find(|(_, json)| json["id"] != first["id"])
        .unwrap();
    assert_eq!(second["incident_key"], first["incident_key"]);
    assert_eq!(second["duplicate_of"], first_id, "{second:#}");
    assert_eq!(second["related"][0]["ticket_id"], first_id, "{second:#}");
    assert!(
        md.contains(&format!("> **Duplicate** of {first_id}")),
        "{md}"
    );
    assert!(md.contains("## Related cases"), "{md}");
    assert!(
        md.contains(&format!("- {first_id} · `escalate-credential-stuffing`")),
        "{md}"
    );
    let unchanged = tickets.iter().find(|(_, json)| json["id"] == first["id"]);
    assert_eq!(unchanged.map(|t| &t.1), Some(&first));
}
