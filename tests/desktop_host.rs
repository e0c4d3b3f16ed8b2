//! The desktop's command surface (`servicebot_app::Host`) against the fake Telegram server:
//! saving the settings restarts the bot with them, in the same process.

use std::sync::Arc;
use std::time::Duration;

use servicebot_app::dto::BotState;
use servicebot_app::{Host, HostOptions, SharedEnv};
use servicebot_fake_telegram::{BOT_USERNAME, FakeTelegram, Fault};

use servicebot_tests::telegram::{SCENE_ORDER, TelegramEnv, fast_tuning};

/// The desktop's host on `config_path`, with `env` as the environment and short intervals.
async fn start_host(
    config_path: &std::path::Path,
    env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) -> Result<Host, servicebot_app::AppError> {
    let env: SharedEnv = Arc::new(env);
    Host::start(HostOptions {
        config_path: Some(config_path.to_owned()),
        env,
        bot_tuning: fast_tuning(),
    })
    .await
}

async fn wait_for_state(host: &Host, state: BotState) -> servicebot_app::dto::StatusDto {
    let mut changes = host.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let status = changes.borrow_and_update().status.clone();
        if status.bot_state == state {
            return status;
        }
        let changed = tokio::time::timeout_at(deadline, changes.changed()).await;
        assert!(
            matches!(changed, Ok(Ok(()))),
            "the status never became {state:?}; last {status:?}"
        );
    }
}

#[tokio::test]
async fn a_save_restarts_the_bot_as_the_new_tokens_bot() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("Photo");
    std::fs::create_dir_all(root.join("ЗН-000101 А123ВС77")).expect("orders");
    let config_path = dir.path().join("config.toml");
    std::fs::write(
        &config_path,
        format!(
            "[telegram]\napi_url = \"{}\"\n[storage]\ndata_dir = {:?}\n",
            fake.api_url(),
            dir.path().join("data").to_string_lossy()
        ),
    )
    .expect("config");
    let host = start_host(&config_path, |_| None)
        .await
        .expect("host starts without a token");
    let stopped = host.state().status;
    assert_eq!(stopped.bot_state, BotState::Stopped);
    assert!(!stopped.can_start, "no token yet");
    assert_eq!(host.state().tray.tooltip, "ServiceBot — остановлен");
    let view = host.settings().await;
    assert!(!view.first_run, "the file exists");
    assert_eq!(
        view.missing.len(),
        2,
        "token and folder missing: {:?}",
        view.missing
    );

    let mut draft = view.to_draft();
    draft.token = Some(fake.token().to_owned());
    draft.orders_root = root.display().to_string();
    let saved = host.save_settings(draft).await.expect("saves");
    assert!(saved.missing.is_empty());
    assert_eq!(
        saved.token.ends_with,
        format!("••{}", &fake.token()[fake.token().len() - 4..])
    );

    let running = wait_for_state(&host, BotState::Running).await;
    assert_eq!(running.username.as_deref(), Some(BOT_USERNAME));
    assert_eq!(running.headline, "Работает");
    assert!(host.state().tray.tooltip.contains(BOT_USERNAME));
    let written = std::fs::read_to_string(&config_path).expect("config");
    assert!(written.contains(fake.token()), "the token is in the file");

    host.stop_bot().await;
    wait_for_state(&host, BotState::Stopped).await;
    host.start_bot().await.expect("starts again");
    wait_for_state(&host, BotState::Running).await;
    host.shutdown().await;
}

#[tokio::test]
async fn a_rejected_draft_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config_path = dir.path().join("config.toml");
    let data = dir.path().join("data").display().to_string();
    let host = start_host(&config_path, move |name| {
        (name == "SERVICEBOT_DATA_DIR").then(|| data.clone())
    })
    .await
    .expect("a first run starts on the defaults");
    let view = host.settings().await;
    assert!(view.first_run);
    let mut draft = view.to_draft();
    draft.token = Some("123:abc".to_owned());
    draft.stages[0].folder = "Inspection/..".to_owned();
    let error = host.save_settings(draft).await.expect_err("refused");
    assert_eq!(error.code, "config_invalid");
    let fields: Vec<&str> = error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["telegram.token", "stages[0].folder"]);
    assert!(
        !config_path.exists(),
        "nothing written on a first run either"
    );
    assert!(host.settings().await.first_run, "still the first run");
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_waiting_to_be_sent_survives_a_save_and_arrives_once() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(SCENE_ORDER, "89123456789");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let host = start_host(&t.env.config_path, |_| None)
        .await
        .expect("host");
    wait_for_state(&host, BotState::Running).await;
    t.enter_order(&staff, "a123", SCENE_ORDER, "Прочее").await;

    // Telegram refuses every message for now: the relay waits in the outbox.
    t.fake
        .inject("sendMessage", Fault::ServerError { status: 502 }, 1_000);
    let tries = t.fake.requests("sendMessage");
    t.fake.send_text(&staff, "Машина готова, можно забирать");
    let refused = t
        .fake
        .wait_until(Duration::from_secs(20), |f| {
            f.requests("sendMessage") > tries
        })
        .await;
    assert!(refused, "the bot tried to send and was refused");
    assert!(wait_for_queue(&host).await, "the relay waits in the outbox");
    assert!(
        t.fake.sent_to(client.id).is_empty(),
        "nothing reached the client yet"
    );

    let mut draft = host.settings().await.to_draft();
    draft.organization_name = "Автоцентр Север".to_owned();
    let connections = t.fake.requests("getMe");
    host.save_settings(draft).await.expect("saves and restarts");
    // A new bot asks who it is when it starts.
    let restarted = t
        .fake
        .wait_until(Duration::from_secs(20), |f| {
            f.requests("getMe") > connections
        })
        .await;
    assert!(restarted, "the bot restarted");
    wait_for_state(&host, BotState::Running).await;

    t.fake.clear_faults();
    let delivered = t
        .fake
        .wait_for_sent(client.id, 1, Duration::from_secs(30))
        .await;
    assert!(delivered.iter().any(|m| m.body().contains("Машина готова")));
    // Once, even when nothing is left to send (the receipt edited too).
    wait_for_empty_queue(&host).await;
    let copies = t
        .fake
        .sent_to(client.id)
        .iter()
        .filter(|m| m.body().contains("Машина готова"))
        .count();
    assert_eq!(copies, 1, "delivered exactly once");
    host.shutdown().await;
}

async fn wait_for_empty_queue(host: &Host) {
    let mut changes = host.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while changes.borrow_and_update().status.outbox_queue > 0 {
        let changed = tokio::time::timeout_at(deadline, changes.changed()).await;
        assert!(matches!(changed, Ok(Ok(()))), "the outbox never emptied");
    }
}

async fn wait_for_queue(host: &Host) -> bool {
    let mut changes = host.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if changes.borrow_and_update().status.outbox_queue >= 1 {
            return true;
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_err()
        {
            return false;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_that_keeps_the_folder_keeps_the_known_orders_through_the_restart() {
    const ORDERS: usize = 5_000;
    let t = TelegramEnv::start().await;
    for n in 0..ORDERS {
        t.env.order(&format!("ЗН-{n:06} А{:03}ВС77", n % 1000));
    }
    let host = start_host(&t.env.config_path, |_| None)
        .await
        .expect("host");
    let mut changes = host.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while changes.borrow_and_update().status.orders_found != u32::try_from(ORDERS).expect("n") {
        let changed = tokio::time::timeout_at(deadline, changes.changed()).await;
        assert!(
            matches!(changed, Ok(Ok(()))),
            "the orders were never all found"
        );
    }

    // Every state published while the settings are saved and the bot restarts.
    let mut seen = host.subscribe();
    let watcher = tokio::spawn(async move {
        let mut states = Vec::new();
        let end = tokio::time::Instant::now() + Duration::from_secs(3);
        while let Ok(Ok(())) = tokio::time::timeout_at(end, seen.changed()).await {
            let status = seen.borrow_and_update().status.clone();
            states.push((status.orders_state, status.orders_found));
        }
        states
    });
    let mut draft = host.settings().await.to_draft();
    draft.organization_name = "Автоцентр Север".to_owned();
    host.save_settings(draft).await.expect("saves");
    let states = watcher.await.expect("watcher");
    assert!(!states.is_empty(), "the restart was published");
    assert!(
        states
            .iter()
            .all(|(state, found)| state == "ready" && *found == u32::try_from(ORDERS).expect("n")),
        "the orders stay known through the restart: {states:?}"
    );
    host.shutdown().await;
}
