//! `authdesk resume` names sessions by id and looks only in the data folder; a session it
//! cannot read safely is refused with a message, before any terminal is needed.

mod common;
use common::Sandbox;

/// A session as the terminal app saves it, under `data/sessions/`.
fn saved_session(sb: &Sandbox, id: &str) -> std::path::PathBuf {
    let dir = sb.path().join("data/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{id}.json"));
    let json = serde_json::json!({
        "format_version": 1,
        "id": id,
        "runbook": {"id": "401", "version": "1", "content_hash": "x"},
        "agent": "test-agent",
        "created_at": "2026-11-22T10:00:00Z",
        "updated_at": "2026-11-22T10:00:00Z",
        "intake": {},
        "walk": null,
        "demo_data": false,
    });
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

#[test]
fn resume_refuses_a_path_even_to_a_real_session() {
    let sb = Sandbox::new();
    let outside = sb.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    let real = saved_session(&sb, "20261122-100000-abcd");
    let copied = outside.join("20261122-100000-abcd.json");
    std::fs::copy(&real, &copied).unwrap();
    for arg in [
        copied.to_str().unwrap(),
        real.to_str().unwrap(),
        "../elsewhere/20261122-100000-abcd",
    ] {
        let out = sb.run(&["resume", arg]);
        assert_eq!(out.code, 2, "{arg}: {}", out.stderr);
        assert!(
            out.stderr.contains("is not a session id"),
            "{arg}: {}",
            out.stderr
        );
    }
}

#[test]
fn resume_refuses_a_session_from_a_newer_authdesk() {
    let sb = Sandbox::new();
    let path = saved_session(&sb, "20261122-100000-abcd");
    let text = std::fs::read_to_string(&path).unwrap();
    let newer = text.replace("\"format_version\":1", "\"format_version\":99");
    std::fs::write(
        &path,
        newer.replace("\"walk\":null", "\"walk\":null,\"hints\":[]"),
    )
    .unwrap();
    let out = sb.run(&["resume", "20261122-100000-abcd"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("written by a newer authdesk (session format 99"),
        "{}",
        out.stderr
    );
}
