//! Clients left unanswered, end to end: a client who wrote twenty minutes ago and got no
//! answer is announced by a desktop notification as the app starts, and a click on it (by the
//! test's notification server, on the app's D-Bus session) brings up the window on that order.

use std::time::Duration;

use servicebot_core::store::{
    DATABASE_FILE, Direction, EntryKind, NewEntry, Store, TelegramProfile,
};
use servicebot_tests::desktop::Desktop;
use servicebot_tests::wait_for;

const ORDER: &str = "ЗН-000101 А123ВС77";
const CLIENT: i64 = 5_001;

/// Анна, a client of the order, wrote `minutes_ago` and nobody answered.
fn client_waiting(desktop: &Desktop, minutes_ago: i64) {
    let data = desktop.dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data folder");
    let store = Store::open(&data.join(DATABASE_FILE)).expect("store");
    let profile = TelegramProfile {
        telegram_id: CLIENT,
        chat_id: CLIENT,
        first_name: "Анна".to_owned(),
        last_name: None,
        username: None,
    };
    store
        .users()
        .upsert_seen(&profile, chrono::Utc::now())
        .expect("the client");
    let at = chrono::Utc::now() - chrono::Duration::minutes(minutes_ago);
    let mut said = NewEntry::new(
        "ЗН-000101",
        ORDER,
        at,
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    said.author_id = Some(CLIENT);
    said.text = Some("Когда будет готова машина?".to_owned());
    store
        .transcript()
        .append(&said)
        .expect("the client's message");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_on_the_notification_of_a_waiting_client_opens_the_order() {
    let desktop = Desktop::configured("").await;
    desktop.write_ready_config();
    std::fs::create_dir_all(desktop.root.join(ORDER)).expect("order");
    std::fs::create_dir_all(desktop.root.join("ЗН-000102 В777ОР99")).expect("order");
    client_waiting(&desktop, 20);
    let notifications = desktop.dir.path().join("notifications.log");
    desktop.gui.start_notification_server(&notifications);

    let session = desktop.open().await;
    let mut said = String::new();
    assert!(
        wait_for(Duration::from_secs(20), || {
            said = std::fs::read_to_string(&notifications).unwrap_or_default();
            said.contains("clicked")
        }),
        "a clickable notification is shown and clicked: {said}\n{}",
        std::fs::read_to_string(&desktop.gui.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.contains("dbus-daemon"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let shown = said
        .lines()
        .find(|line| line.starts_with("notify "))
        .unwrap_or_default();
    assert!(
        shown.contains("clickable=True") && shown.contains("Анна") && shown.contains("ЗН-000101"),
        "the notification names the client and the order: {shown}"
    );
    let title = session
        .wait_for_text("[data-testid='order-title']", |t| t.contains("ЗН-000101"))
        .await;
    assert!(title.contains("ЗН-000101"), "{title}");
    session.quit().await;
}
