//! `servicebot import-legacy`: users and transcripts of the previous Python bot, imported once,
//! bad rows reported.

use servicebot_core::store::{Direction, Level};
use servicebot_tests::TestEnv;

/// A database shaped like the previous bot's `drive.sqlite`.
fn legacy_database(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("drive.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("legacy db");
    conn.execute_batch(
        "CREATE TABLE users (telegram_id TEXT, name TEXT, phone TEXT, user_type INTEGER, active INTEGER);
         INSERT INTO users VALUES ('5001', 'Мастер Пётр', '', 2, 1);
         INSERT INTO users VALUES ('5002', 'Анна', '8 (912) 345-67-89', 3, 1);
         INSERT INTO users VALUES ('5003', 'Заблокированный', '+7 900 000-00-00', 3, 2);
         INSERT INTO users VALUES ('5004', 'Админ', '9161112233', 1, 1);
         INSERT INTO users VALUES ('abc', 'Без id', '', 3, 1);
         INSERT INTO users VALUES ('5005', 'Странный', '', 7, 1);",
    )
    .expect("legacy users");
    path
}

const DIALOG: &str = "Mon Nov  3 14:05:01 2025
Заказ наряд ЗН-1 Пользователь 5001
Сообщение \"Машина готова\"
Mon Nov  3 14:20:00 2025
Заказ наряд ЗН-1 Пользователь 5002
Сообщение \"Спасибо, заберу
вечером\"
Mon Nov  3 15:00:00 2025
мусор
";

#[test]
fn users_and_transcripts_are_imported_once_and_bad_rows_reported() {
    let env = TestEnv::new();
    let db = legacy_database(&env.root.join(".."));
    let order = env.order("ЗН-1 А123ВС77");
    std::fs::write(order.join("recording_dialog_ЗН-1.txt"), DIALOG).expect("dialog");

    let out = env.cli(&["import-legacy", db.to_str().expect("path")]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.starts_with(
            "users: 4 imported, 0 already there; transcript entries: 2 imported, 0 already there"
        ),
        "{}",
        out.stdout
    );
    for reason in [
        "\"abc\" is not an id",
        "user_type Some(7)",
        "not a message block",
    ] {
        assert!(out.stdout.contains(reason), "{reason}: {}", out.stdout);
    }

    let store = env.store();
    let anna = store.users().get(5002).expect("get").expect("Анна");
    assert_eq!(anna.phone.as_ref().map(|p| p.digits()), Some("79123456789"));
    assert_eq!((anna.level, anna.active), (Level::Client, true));
    let blocked = store.users().get(5003).expect("get").expect("blocked");
    assert!(!blocked.active);
    assert_eq!(
        store.users().get(5004).expect("get").expect("admin").level,
        Level::Admin
    );
    let entries = store.transcript().by_order("ЗН-1").expect("transcript");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].entry.direction, Direction::StaffToClient);
    assert_eq!(entries[0].entry.author_id, Some(5001));
    assert_eq!(entries[1].entry.direction, Direction::ClientToStaff);
    assert_eq!(
        entries[1].entry.text.as_deref(),
        Some("Спасибо, заберу\nвечером")
    );
    assert_eq!(entries[1].entry.order_folder, "ЗН-1 А123ВС77");
    drop(store);

    let again = env.cli(&["import-legacy", db.to_str().expect("path")]);
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again.stdout.starts_with(
            "users: 0 imported, 4 already there; transcript entries: 0 imported, 2 already there"
        ),
        "{}",
        again.stdout
    );
    assert_eq!(
        env.store().transcript().by_order("ЗН-1").expect("t").len(),
        2
    );
}

#[test]
fn a_missing_database_is_a_clear_error() {
    let env = TestEnv::new();
    let out = env.cli(&["import-legacy", "/nonexistent/drive.sqlite"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("is not a file"), "{}", out.stderr);
}
