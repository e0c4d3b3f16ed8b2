//! The status page's data (`App::status`): bot state, last error, offline since, outbox queue,
//! today's files and messages, and the orders folder, from a real run against the fake.

use chrono::{Local, Utc};
use servicebot_app::{BotStatus, StatusView};
use servicebot_core::orders::RootState;
use servicebot_fake_telegram::Fault;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, wait_for_status};

fn status(app: &servicebot_app::App, running: &servicebot_app::RunningApp) -> StatusView {
    app.status(Some(running), Local::now()).expect("status")
}

#[tokio::test]
async fn the_status_counts_todays_work_and_remembers_errors_and_offline_time() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1 А123ВС77", "+7 912 345-67-89");
    t.env.order("ЗН-2");
    let staff = t.staff("Иван Мастер");
    let client = t.client("Анна", "89123456789");
    // The first getMe fails: the bot reports the error, then recovers on its own.
    t.fake.inject("getMe", Fault::DropConnection, 1);
    let (app, running) = t.start_app().await;

    let first = status(&app, &running);
    assert!(matches!(first.bot, BotStatus::Running { .. }), "{first:?}");
    let error = first.last_error.expect("the failed getMe is remembered");
    assert!(error.reason.contains("cannot reach Telegram"), "{error:?}");
    assert_eq!(first.offline_since, None, "running: not offline");
    assert_eq!((first.files_today, first.messages_today), (0, 0));
    assert_eq!(first.orders_found, 2);
    assert!(matches!(first.orders_state, RootState::Ready { .. }));

    t.enter_order(&staff, "ЗН-1", "ЗН-1 А123ВС77", "Прочее")
        .await;
    t.fake.send_photo(&staff, b"photo".to_vec(), None);
    t.fake.send_text(&staff, "Машина готова");
    t.fake.wait_for_sent(client.id, 2, BOT_TIMEOUT).await;
    t.fake.send_text(&client, "Спасибо");
    let counted = t
        .fake
        .wait_until(BOT_TIMEOUT, |_| {
            let s = status(&app, &running);
            s.files_today == 1 && s.messages_today == 2
        })
        .await;
    assert!(counted, "{:?}", status(&app, &running));

    let before_stop = Utc::now();
    running.stop_bot().await;
    let stopped = status(&app, &running);
    assert_eq!(stopped.bot, BotStatus::Stopped);
    let offline = stopped.offline_since.expect("offline since the stop");
    assert!(
        (offline - before_stop).num_seconds().abs() <= 31,
        "offline since {offline}, stopped at {before_stop}"
    );
    assert_eq!(stopped.files_today, 1, "counts survive a stop");

    running.start_bot().await.expect("starts again");
    assert!(wait_for_status(&running, |s| matches!(s, BotStatus::Running { .. })).await);
    assert_eq!(status(&app, &running).offline_since, None);
    running.stop().await;

    // A new run of the app still knows when the bot was last online.
    let reopened =
        servicebot_app::App::open(Some(&t.env.config_path), &|_| None).expect("app opens");
    let cold = reopened.status(None, Local::now()).expect("status");
    assert_eq!(cold.bot, BotStatus::Stopped);
    assert!(cold.offline_since.is_some_and(|at| at >= before_stop));
    assert_eq!(cold.last_error, None, "errors are of one run");
}

#[tokio::test]
async fn without_a_token_the_bot_cannot_be_started_and_says_why() {
    let t = TelegramEnv::start_with_config("").await;
    let app = servicebot_app::App::open(Some(&t.env.config_path), &|_| None).expect("opens");
    let running = app.start().await.expect("starts without a bot");
    let error = running.start_bot().await.expect_err("no token");
    assert_eq!(error.code, servicebot_app::ErrorCode::BotNotConfigured);
    let view = status(&app, &running);
    assert_eq!(view.bot, BotStatus::Stopped);
    assert_eq!(view.offline_since, None, "never online");
    running.stop().await;
}
