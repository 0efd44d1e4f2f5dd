//! Sessions saved, listed, refused and locked, on real temporary folders.

use super::*;
use crate::facts::{FactSource, FactType, FactValue, Facts};
use crate::runbook::Catalog;
use crate::walk::Answerer;

use crate::testing::now;

fn walked_session() -> Session {
    let catalog = Catalog::builtin();
    let rb = catalog.find("401").unwrap();
    let mut facts = Facts::new();
    facts
        .insert_text("customer_id", "cus_1001", FactSource::Intake, now())
        .unwrap();
    let mut walk = Walk::start(rb, facts, now()).unwrap();
    let at = walk.current().to_string();
    walk.answer(
        rb,
        &at,
        "just-this-customer",
        Answerer::Agent {
            name: "alice".into(),
        },
        now(),
    )
    .unwrap();
    let mut s = Session::new(
        "20261122-100000-abcd".into(),
        RunbookRef::of(rb),
        "alice",
        now(),
    );
    s.intake
        .insert("customer_id".into(), IntakeValue::Text("cus_1001".into()));
    s.intake.insert(
        "key".into(),
        IntakeValue::keep(FactType::Secret, "sk_live_0123456789abcdef0123", &[]),
    );
    s.walk = Some(walk);
    s
}

#[test]
fn saved_session_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = walked_session();
    let path = s.save(dir.path()).unwrap();
    assert_eq!(path, dir.path().join("sessions/20261122-100000-abcd.json"));
    assert_eq!(Session::load(dir.path(), Some(&s.id)).unwrap(), s);
}

#[test]
fn pasted_key_is_never_written_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let path = walked_session().save(dir.path()).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("sk_live_0123456789abcdef0123"), "{text}");
    assert!(text.contains("sk_live_"), "the mask is kept: {text}");
}

#[test]
fn listing_skips_finished_and_reports_damaged_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut older = walked_session();
    older.id = "20261122-090000-0001".into();
    older.updated_at = now() - chrono::Duration::hours(1);
    older.save(dir.path()).unwrap();
    let newer = walked_session();
    newer.save(dir.path()).unwrap();
    let mut done = walked_session();
    done.id = "20261122-110000-0002".into();
    done.ticket_files = vec!["ESC-1.md".into()];
    done.save(dir.path()).unwrap();
    std::fs::write(sessions_dir(dir.path()).join("bad.json"), "{").unwrap();

    let listing = unfinished(dir.path());
    let ids: Vec<&str> = listing.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["20261122-100000-abcd", "20261122-090000-0001"]);
    assert!(listing.problems.is_empty(), "{:?}", listing.problems);
    let damaged: Vec<&str> = listing.damaged.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(damaged, ["bad.json"]);
    assert!(listing.damaged[0].error.to_string().contains("bad.json"));
    assert_eq!(Session::load(dir.path(), None).unwrap().id, newer.id);
}

#[test]
fn missing_session_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert!(unfinished(dir.path()).sessions.is_empty());
    let err = Session::load(dir.path(), Some("20261122-100000-0000"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no session `20261122-100000-0000`"), "{err}");
}

#[test]
fn only_ids_of_the_generated_form_are_sessions() {
    assert!(is_id(&new_id(now())));
    assert!(is_id("20261122-100000-abcd"));
    for bad in [
        "",
        "/tmp/x",
        "../20261122-100000-abcd",
        "20261122-100000-abcd.json",
        "20261122-100000-ABCD",
        "20261122-100000-abcg",
        "20261122_100000-abcd",
        "2026112a-100000-abcd",
        "20261122-100000-abc\n",
    ] {
        assert!(!is_id(bad), "{bad:?}");
    }
}

#[test]
fn a_path_is_refused_and_nothing_outside_the_data_folder_is_read() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let s = walked_session();
    s.save(elsewhere.path()).unwrap();
    let outside = sessions_dir(elsewhere.path()).join("20261122-100000-abcd");
    let err = Session::load(data.path(), Some(outside.to_str().unwrap())).unwrap_err();
    assert!(matches!(err, SessionError::BadId { .. }), "{err}");
    assert!(err.to_string().contains("not a session id"), "{err}");
}

#[test]
fn a_session_naming_another_case_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = walked_session().save(dir.path()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let renamed = sessions_dir(dir.path()).join("20261122-100000-0001.json");
    std::fs::write(&renamed, text.replace("20261122-100000-abcd", "../../x")).unwrap();
    let err = Session::load(dir.path(), Some("20261122-100000-0001")).unwrap_err();
    assert!(matches!(err, SessionError::WrongId { .. }), "{err}");
}

#[test]
fn a_session_from_a_newer_format_is_refused_not_called_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = walked_session().save(dir.path()).unwrap();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    value["format_version"] = (FORMAT_VERSION + 1).into();
    value["a_field_from_the_future"] = true.into();
    std::fs::write(&path, value.to_string()).unwrap();
    let err = Session::load(dir.path(), Some("20261122-100000-abcd"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("written by a newer authdesk"), "{err}");
    assert!(
        err.contains(&format!("format {}", FORMAT_VERSION + 1)),
        "{err}"
    );
}

#[test]
fn stale_temp_files_are_cleaned_and_fresh_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = walked_session().save(dir.path()).unwrap();
    let sessions = sessions_dir(dir.path());
    let stale = sessions.join(".20261122-100000-abcd.json.77.1.tmp");
    let fresh = sessions.join(".20261122-100000-abcd.json.78.2.tmp");
    for p in [&stale, &fresh] {
        std::fs::write(p, "{").unwrap();
    }
    let old = SystemTime::now() - STALE_TEMP - Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(clean_temp_files(dir.path()), 1);
    assert!(!stale.exists());
    assert!(fresh.exists(), "another authdesk may be saving it");
    assert!(path.exists());
}

#[test]
fn a_held_case_names_its_holder_and_is_free_once_released() {
    let dir = tempfile::tempdir().unwrap();
    let held = CaseLock::acquire(dir.path(), "20261122-100000-abcd").unwrap();
    let err = CaseLock::acquire(dir.path(), "20261122-100000-abcd").unwrap_err();
    let want = format!("open in another authdesk (pid {})", std::process::id());
    assert!(err.to_string().contains(&want), "{err}");
    assert!(CaseLock::acquire(dir.path(), "20261122-100000-0001").is_ok());
    drop(held);
    assert!(CaseLock::acquire(dir.path(), "20261122-100000-abcd").is_ok());
}

#[cfg(unix)]
#[test]
fn lock_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let _held = CaseLock::acquire(dir.path(), "20261122-100000-abcd").unwrap();
    let path = sessions_dir(dir.path()).join("20261122-100000-abcd.lock");
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn masked_intake_value_still_gives_the_fact() {
    let kept = IntakeValue::keep(FactType::Secret, "sk_live_0123456789abcdef0123", &[]);
    assert!(matches!(
        kept.to_value(FactType::Secret),
        Ok(FactValue::Secret(_))
    ));
    let ip = IntakeValue::keep(FactType::Ip, "nope", &[]);
    assert!(ip.to_value(FactType::Ip).is_err());
}

#[test]
fn an_archived_case_leaves_the_list_but_not_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let rb = crate::runbook::Catalog::builtin().runbooks.remove(0);
    let now = "2026-11-22T10:00:00Z".parse().unwrap();
    let mut s = Session::new(
        "20261122-100000-abcd".into(),
        crate::walk::RunbookRef::of(&rb),
        "alice",
        now,
    );
    s.intake
        .insert("key_id".into(), IntakeValue::Text("key_1".into()));
    s.save(dir.path()).unwrap();
    assert_eq!(unfinished(dir.path()).sessions.len(), 1);
    let to = archive(dir.path(), "20261122-100000-abcd").unwrap();
    assert!(
        to.ends_with("sessions/archive/20261122-100000-abcd.json"),
        "{to:?}"
    );
    let listing = unfinished(dir.path());
    assert!(
        listing.sessions.is_empty() && listing.damaged.is_empty(),
        "{listing:?}"
    );
    assert_eq!(Session::read(&to).unwrap().id, "20261122-100000-abcd");
}

#[test]
fn a_case_open_elsewhere_is_not_archived() {
    let dir = tempfile::tempdir().unwrap();
    let _held = CaseLock::acquire(dir.path(), "20261122-100000-abcd").unwrap();
    let e = archive(dir.path(), "20261122-100000-abcd").unwrap_err();
    assert!(matches!(e, SessionError::OpenElsewhere { .. }), "{e}");
}

/// The three ways a file fails to be a session here, each with its own reason.
fn three_damaged_files(data_dir: &Path) -> PathBuf {
    let dir = sessions_dir(data_dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("20261122-080000-0001.json"), "{not json").unwrap();
    let mut newer = walked_session();
    newer.id = "20261122-080000-0002".into();
    newer.save(data_dir).unwrap();
    let path = dir.join("20261122-080000-0002.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("\"format_version\": 1", "\"format_version\": 9"),
    )
    .unwrap();
    let mut moved = walked_session();
    moved.id = "20261122-080000-0003".into();
    moved.save(data_dir).unwrap();
    std::fs::rename(
        dir.join("20261122-080000-0003.json"),
        dir.join("notes.json"),
    )
    .unwrap();
    dir
}

#[test]
fn each_damaged_file_is_listed_with_its_own_reason() {
    let data = tempfile::tempdir().unwrap();
    three_damaged_files(data.path());
    let listing = unfinished(data.path());
    let rows: Vec<(&str, String)> = listing
        .damaged
        .iter()
        .map(|d| (d.file.as_str(), d.reason()))
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0].0, "20261122-080000-0001.json");
    assert!(
        rows[0].1.starts_with("not a readable session: "),
        "{rows:?}"
    );
    assert_eq!(rows[1].0, "20261122-080000-0002.json");
    assert!(
        rows[1].1.contains("newer authdesk (session format 9"),
        "{rows:?}"
    );
    assert_eq!(
        rows[2],
        (
            "notes.json",
            "holds case 20261122-080000-0003, not the one its name says".to_string()
        )
    );
}

#[test]
fn a_damaged_file_is_moved_to_the_archive_beside_earlier_ones_never_over_them() {
    let data = tempfile::tempdir().unwrap();
    let dir = three_damaged_files(data.path());
    let first = archive_damaged(data.path(), "notes.json").unwrap();
    assert!(first.ends_with("sessions/archive/notes.json"), "{first:?}");
    std::fs::write(dir.join("notes.json"), "second").unwrap();
    let second = archive_damaged(data.path(), "notes.json").unwrap();
    assert!(
        second.ends_with("sessions/archive/notes.1.json"),
        "{second:?}"
    );
    assert_eq!(std::fs::read_to_string(&second).unwrap(), "second");
    assert!(
        Session::read(&first).is_err(),
        "the first is kept as it was"
    );
    assert!(
        std::fs::read_to_string(&first)
            .unwrap()
            .contains("20261122-080000-0003")
    );
    let left: Vec<String> = unfinished(data.path())
        .damaged
        .into_iter()
        .map(|d| d.file)
        .collect();
    assert_eq!(
        left,
        ["20261122-080000-0001.json", "20261122-080000-0002.json"]
    );
}

#[test]
fn only_plain_json_names_in_the_folder_are_archived_as_damaged() {
    let data = tempfile::tempdir().unwrap();
    three_damaged_files(data.path());
    for bad in [
        "../authdesk.toml",
        "sub/x.json",
        ".20261122-080000-0001.json.tmp",
        "x.txt",
        "",
    ] {
        let e = archive_damaged(data.path(), bad).unwrap_err();
        assert!(
            matches!(e, SessionError::NotASessionFile { .. }),
            "{bad}: {e}"
        );
    }
}

#[test]
fn a_damaged_file_named_like_a_case_held_elsewhere_stays() {
    let data = tempfile::tempdir().unwrap();
    let dir = three_damaged_files(data.path());
    let _held = CaseLock::acquire(data.path(), "20261122-080000-0002").unwrap();
    let e = archive_damaged(data.path(), "20261122-080000-0002.json").unwrap_err();
    assert!(matches!(e, SessionError::OpenElsewhere { .. }), "{e}");
    assert!(dir.join("20261122-080000-0002.json").exists());
}
