//! Home with session files that cannot be resumed: listed with why, archived after a dialog.

use super::tests::{app, press};
use super::tests_states::session;
use super::*;
use crate::tui::msg::{DamagedFile, HomeData};
use crate::tui::state::{Overlay, ResumeRow};

fn home_with_a_case_and_a_damaged_file(s: &mut State) {
    update(
        s,
        Msg::HomeLoaded(HomeData {
            sessions: vec![session(
                "20261122-090000-aaaa",
                &[("customer_id", "cus_1001")],
            )],
            damaged: vec![DamagedFile {
                file: "20261122-080000-0002.json".into(),
                reason: "written by a newer authdesk (session format 9)".into(),
            }],
            problems: Vec::new(),
            tickets: Vec::new(),
        }),
    );
    // Focus Resume, then the second row: the damaged file after the case.
    press(s, KeyCode::Tab);
    press(s, KeyCode::Down);
}

#[test]
fn a_damaged_file_is_a_row_after_the_cases_and_enter_says_why_it_cannot_open() {
    let mut s = app();
    home_with_a_case_and_a_damaged_file(&mut s);
    let Screen::Home(home) = &s.screen else {
        panic!()
    };
    assert!(matches!(
        home.resume_rows().get(home.session),
        Some(ResumeRow::Damaged(d)) if d.file == "20261122-080000-0002.json"
    ));
    assert!(press(&mut s, KeyCode::Enter).is_empty());
    assert!(s.case.is_none() && matches!(s.screen, Screen::Home(_)));
    let status = s.status.as_ref().unwrap();
    assert!(status.error, "{}", status.text);
    assert!(
        status.text.contains("newer authdesk") && status.text.contains("Press d"),
        "{}",
        status.text
    );
}

#[test]
fn d_on_a_damaged_file_asks_in_a_dialog_and_only_yes_archives_it() {
    let mut s = app();
    home_with_a_case_and_a_damaged_file(&mut s);
    assert!(press(&mut s, KeyCode::Char('d')).is_empty());
    assert!(
        matches!(&s.overlay, Some(Overlay::ConfirmArchive(d)) if d.file == "20261122-080000-0002.json")
    );
    // Keys the dialog does not know leave it open; `n` closes it and archives nothing.
    assert!(press(&mut s, KeyCode::Char('j')).is_empty());
    assert!(s.overlay.is_some());
    assert!(press(&mut s, KeyCode::Char('n')).is_empty());
    assert!(s.overlay.is_none());

    press(&mut s, KeyCode::Char('d'));
    let effects = press(&mut s, KeyCode::Char('y'));
    let [Effect::ArchiveDamaged(file)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(file, "20261122-080000-0002.json");
    assert!(s.overlay.is_none());
    let effects = update(
        &mut s,
        Msg::DamagedArchived {
            file: file.clone(),
            result: Ok("/d/sessions/archive/20261122-080000-0002.json".into()),
        },
    );
    assert!(matches!(effects.as_slice(), [Effect::LoadHome]));
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("Archived 20261122-080000-0002.json")
    );
}

#[test]
fn a_damaged_file_held_by_another_authdesk_stays_and_says_so() {
    let mut s = app();
    home_with_a_case_and_a_damaged_file(&mut s);
    let effects = update(
        &mut s,
        Msg::DamagedArchived {
            file: "20261122-080000-0002.json".into(),
            result: Err("case 20261122-080000-0002 is open in another authdesk".into()),
        },
    );
    assert!(effects.is_empty());
    let status = s.status.as_ref().unwrap();
    assert!(
        status.error && status.text.contains("open in another"),
        "{}",
        status.text
    );
}

#[test]
fn the_filter_finds_a_damaged_file_by_its_reason() {
    let mut s = app();
    home_with_a_case_and_a_damaged_file(&mut s);
    press(&mut s, KeyCode::Char('/'));
    super::tests::type_text(&mut s, "newer");
    let Screen::Home(home) = &s.screen else {
        panic!()
    };
    let rows = home.resume_rows();
    assert!(
        matches!(rows.as_slice(), [ResumeRow::Damaged(_)]),
        "{rows:?}"
    );
}
