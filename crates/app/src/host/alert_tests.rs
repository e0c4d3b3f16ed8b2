#![allow(
    clippy::expect_used,
    reason = "test code: a failed step must stop the test with its message"
)]

//! The notifications of clients left unanswered, from a host as the desktop starts it.

use std::sync::Arc;
use std::time::Duration;

use servicebot_core::store::{
    DATABASE_FILE, Direction, EntryKind, NewEntry, Store, TelegramProfile,
};

use crate::{Host, HostOptions, SharedEnv};

const ORDER: &str = "ЗН-000101 А123ВС77";

#[tokio::test]
async fn a_client_left_waiting_overnight_is_announced_as_soon_as_the_folder_is_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("Photo");
    std::fs::create_dir_all(root.join(ORDER)).expect("order");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data");
    let store = Store::open(&data.join(DATABASE_FILE)).expect("store");
    let profile = TelegramProfile {
        telegram_id: 5_001,
        chat_id: 5_001,
        first_name: "Анна".to_owned(),
        last_name: None,
        username: None,
    };
    store
        .users()
        .upsert_seen(&profile, chrono::Utc::now())
        .expect("client");
    let at = chrono::Utc::now() - chrono::Duration::hours(14);
    let mut said = NewEntry::new(
        "ЗН-000101",
        ORDER,
        at,
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    said.author_id = Some(5_001);
    said.text = Some("Когда будет готова машина?".to_owned());
    store.transcript().append(&said).expect("message");
    drop(store);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[orders]\nroot = {:?}\n[storage]\ndata_dir = {:?}\n",
            root.to_string_lossy(),
            data.to_string_lossy()
        ),
    )
    .expect("config");
    let env: SharedEnv = Arc::new(|_| None);
    let host = Host::start(HostOptions {
        config_path: Some(config),
        env,
        bot_tuning: crate::BotTuning::default(),
    })
    .await
    .expect("the host starts");
    // The shell subscribes once the host is up; the first look may be over by then.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut alerts = host.subscribe_alerts();
    // Well before the periodic look (every 30 s).
    let alert = tokio::time::timeout(Duration::from_secs(10), alerts.recv())
        .await
        .expect("announced at start")
        .expect("an alert");
    assert_eq!(alert.order_folder, ORDER);
    assert!(alert.body.contains("Анна"), "{}", alert.body);
    // Nothing is kept for the window until the manager clicks the notification.
    assert_eq!(host.take_alert_order(), None);
    host.alert_clicked(alert.order_folder.clone());
    assert_eq!(host.take_alert_order().as_deref(), Some(ORDER));
    assert_eq!(host.take_alert_order(), None, "taken once");
}
