//! `servicebot users …` against a real SQLite file shared with the bot.

use servicebot_tests::{Level, TestEnv};

fn env_with_users() -> TestEnv {
    let env = TestEnv::new();
    env.add_user(111, "Анна", Level::Client, Some("+7 (912) 345-67-89"));
    env.add_user(222, "Борис", Level::Client, None);
    env
}

#[test]
fn list_shows_every_user_a_line() {
    let env = env_with_users();
    let out = env.cli(&["users", "list"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.lines(),
        [
            "111\tАнна\t+7 912 345-67-89\t3 client\tactive",
            "222\tБорис\t-\t3 client\tactive"
        ]
    );
    let out = env.cli(&["users", "list", "бор"]);
    assert_eq!(out.lines().len(), 1);
}

#[test]
fn promote_by_phone_in_any_format_then_rename_block_unblock() {
    let env = env_with_users();
    let out = env.cli(&["users", "promote", "8 912 345 67 89"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("111\tАнна") && out.stdout.contains("1 admin"),
        "{}",
        out.stdout
    );

    let out = env.cli(&["users", "rename", "222", "Борис", "Механик"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("Борис Механик"));

    assert_eq!(env.cli(&["users", "set-level", "222", "2"]).code, 0);
    assert_eq!(env.cli(&["users", "block", "222"]).code, 0);
    let user = env.store().users().get(222).expect("get").expect("user");
    assert_eq!(
        (user.level, user.active, user.display_name.as_deref()),
        (Level::Staff, false, Some("Борис Механик"))
    );
    assert_eq!(env.cli(&["users", "unblock", "222"]).code, 0);
    assert!(
        env.store()
            .users()
            .get(222)
            .expect("get")
            .expect("user")
            .active
    );

    let events = env.store().audit().recent(10).expect("audit");
    assert_eq!(events.len(), 5, "every change is recorded");
    assert!(events.iter().all(|e| e.channel == "cli"));
}

#[test]
fn the_last_admin_cannot_be_demoted_or_blocked() {
    let env = env_with_users();
    assert_eq!(env.cli(&["users", "promote", "111"]).code, 0);
    for args in [
        ["users", "set-level", "111", "3"].as_slice(),
        &["users", "block", "111"],
    ] {
        let out = env.cli(args);
        assert_eq!(out.code, 1, "{args:?}");
        assert!(out.stderr.contains("last active admin"), "{}", out.stderr);
    }
    assert_eq!(
        env.store()
            .users()
            .get(111)
            .expect("get")
            .expect("user")
            .level,
        Level::Admin
    );
    // With a second admin, the first may step down.
    assert_eq!(env.cli(&["users", "promote", "222"]).code, 0);
    assert_eq!(env.cli(&["users", "set-level", "111", "2"]).code, 0);
}

#[test]
fn unknown_users_and_bad_input_are_explained() {
    let env = env_with_users();
    let out = env.cli(&["users", "promote", "999"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("press Start"), "{}", out.stderr);
    let out = env.cli(&["users", "promote", "ivan"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("neither a Telegram id nor a phone"),
        "{}",
        out.stderr
    );
    let out = env.cli(&["users", "set-level", "111", "4"]);
    assert_eq!(out.code, 2, "level out of range is a usage error");
    let out = env.cli(&["users", "rename", "111", " "]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("1 to 64"), "{}", out.stderr);
}

#[test]
fn changes_are_visible_to_another_connection_at_once() {
    // The bot holds its own connection; the database is the one source of truth (WAL).
    let env = env_with_users();
    let bot_connection = env.store();
    assert_eq!(env.cli(&["users", "set-level", "222", "2"]).code, 0);
    assert_eq!(
        bot_connection
            .users()
            .get(222)
            .expect("get")
            .expect("user")
            .level,
        Level::Staff
    );
}
