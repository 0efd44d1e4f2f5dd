//! authdesk's files are owner-only, and a folder the user chose keeps the permissions its
//! owner gave it: a team's shared tickets folder stays shared.
#![cfg(unix)]

mod common;
use common::Sandbox;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// An offline walk that ends in an escalation, so a ticket is written.
fn file_a_ticket(sb: &Sandbox) {
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--answer",
        "ask-wider-incident=validation-down",
    ]);
    assert_eq!(out.code, 10, "{}", out.stderr);
}

#[test]
fn a_shared_tickets_folder_keeps_its_mode() {
    for shared in [0o2775, 0o1777] {
        let sb = Sandbox::new();
        let tickets = sb.tickets_dir();
        std::fs::create_dir(&tickets).unwrap();
        std::fs::set_permissions(&tickets, std::fs::Permissions::from_mode(shared)).unwrap();
        file_a_ticket(&sb);
        assert_eq!(mode(&tickets), shared, "mode {shared:o} was changed");
        assert_eq!(sb.tickets().len(), 1);
    }
}

#[test]
fn folders_and_tickets_authdesk_creates_are_owner_only() {
    let sb = Sandbox::new();
    file_a_ticket(&sb);
    let tickets = sb.tickets_dir();
    assert_eq!(mode(&tickets), 0o700);
    let files: Vec<_> = std::fs::read_dir(&tickets).unwrap().collect();
    assert_eq!(files.len(), 2, "markdown and json");
    for file in files {
        let path = file.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

#[test]
fn an_out_file_in_a_new_folder_is_owner_only_and_an_existing_folder_left_alone() {
    let sb = Sandbox::new();
    let shared = sb.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2775)).unwrap();
    let out_path = shared.join("new/ticket.md");
    let out = sb.run(&[
        "run",
        "401",
        "--offline",
        "--answer",
        "ask-wider-incident=validation-down",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 10, "{}", out.stderr);
    assert_eq!(mode(&shared), 0o2775);
    // The setgid bit comes from the shared parent (Linux passes it on); the rest is ours.
    assert_eq!(mode(&shared.join("new")) & 0o777, 0o700);
    assert_eq!(mode(&out_path), 0o600);
}
