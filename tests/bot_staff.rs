//! The bot, staff side, end to end: the real app (order watcher, SQLite, supervisor, teloxide
//! dispatcher with long polling) against the fake Telegram server and a real orders folder.

use std::time::Duration;

use servicebot_app::BotStatus;
use servicebot_core::store::Delivery;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, wait_for_status};

const TOKEN_OTHER: &str = "7000000001:AAOtherTokenThatTheFakeRejects_xyzw";

#[tokio::test]
async fn the_bot_runs_as_its_username_and_sets_menus_per_role() {
    let t = TelegramEnv::start().await;
    let staff = t.staff("Иван Мастер");
    let admin = t.admin("Пётр");
    let (_app, running) = t.start_app().await;
    assert_eq!(
        running.bot_status(),
        BotStatus::Running {
            username: servicebot_fake_telegram::BOT_USERNAME.into()
        }
    );
    let names = |scope: &str| {
        t.fake
            .commands(scope)
            .into_iter()
            .map(|(c, _)| c)
            .collect::<Vec<_>>()
    };
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| !f
                .commands(&format!("chat:{}", admin.id))
                .is_empty())
            .await
    );
    assert_eq!(names("all_private_chats"), ["start", "help"]);
    assert_eq!(
        names(&format!("chat:{}", staff.id)),
        ["start", "help", "order", "type"]
    );
    assert_eq!(
        names(&format!("chat:{}", admin.id)),
        ["start", "help", "order", "type", "admin"]
    );
    running.stop().await;
}

#[tokio::test]
async fn a_rejected_token_is_a_reported_state_not_a_panic() {
    let t = TelegramEnv::start_with_config("").await;
    let config = format!(
        "{}\n[telegram]\ntoken = \"{TOKEN_OTHER}\"\napi_url = \"{}\"\n",
        std::fs::read_to_string(&t.env.config_path).expect("config"),
        t.fake.api_url()
    );
    std::fs::write(&t.env.config_path, config).expect("config");
    let app = servicebot_app::App::open(Some(&t.env.config_path), &|_| None).expect("opens");
    let running = app.start().await.expect("starts");
    let reported = wait_for_status(&running, |s| matches!(s, BotStatus::Error { .. })).await;
    assert!(reported, "{:?}", running.bot_status());
    assert!(matches!(
        running.bot_status(),
        BotStatus::Error { problem: servicebot_app::BotProblem::TokenRejected, reason } if reason.contains("rejected")
    ));
    running.stop().await;
}

#[tokio::test]
async fn an_unreachable_api_is_reported_and_stopping_still_works() {
    let t = TelegramEnv::start_with_config("").await;
    let config = format!(
        "{}\n[telegram]\ntoken = \"{}\"\napi_url = \"http://127.0.0.1:9\"\n",
        std::fs::read_to_string(&t.env.config_path).expect("config"),
        servicebot_fake_telegram::TOKEN
    );
    std::fs::write(&t.env.config_path, config).expect("config");
    let app = servicebot_app::App::open(Some(&t.env.config_path), &|_| None).expect("opens");
    let running = app.start().await.expect("starts");
    let reported = wait_for_status(&running, |s| matches!(s, BotStatus::Error { .. })).await;
    assert!(reported, "{:?}", running.bot_status());
    assert!(matches!(
        running.bot_status(),
        BotStatus::Error { problem: servicebot_app::BotProblem::Unreachable, reason }
            if reason.contains("cannot reach Telegram")
    ));
    let stopped = tokio::time::timeout(Duration::from_secs(5), running.stop()).await;
    assert!(
        stopped.is_ok(),
        "stopping a bot that never connected is immediate"
    );
}

#[tokio::test]
async fn calendar_day_order_stage_and_one_pinned_card_edited_in_place() {
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-004512 А123ВС77");
    let staff = t.staff("Иван Мастер");
    let (_app, running) = t.start_app().await;

    t.fake.send_command(&staff, "/order");
    let sent = t.fake.wait_for_sent(staff.id, 1, BOT_TIMEOUT).await;
    let today = chrono::Local::now().date_naive();
    let today_label = format!("[{}(1)]", chrono::Datelike::day(&today));
    assert!(
        sent[0].button_texts().contains(&today_label),
        "today shows one order: {:?}",
        sent[0].button_texts()
    );
    assert!(sent[0].button_texts().contains(&"🔎 Поиск".to_owned()));
    assert!(
        sent[0]
            .inline_buttons()
            .iter()
            .flatten()
            .all(|b| b.callback_data.as_ref().is_some_and(|d| d.len() <= 14))
    );

    t.fake.press_button(&staff, &today_label);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f.sent_to(staff.id)[0]
                .button_texts()
                .contains(&"ЗН-004512 А123ВС77".to_owned()))
            .await,
        "the day lists its order"
    );
    t.fake.press_button(&staff, "ЗН-004512 А123ВС77");
    let card = |f: &servicebot_fake_telegram::FakeTelegram| {
        f.sent_to(staff.id).into_iter().find(|m| m.pinned)
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, |f| card(f).is_some()).await,
        "a card is pinned"
    );
    let first = card(&t.fake).expect("card");
    assert!(
        first.body().contains("ЗН-004512") && first.body().contains("А123ВС77"),
        "{}",
        first.body()
    );
    assert!(
        first.body().contains("не подключён"),
        "no phone file: the client is not connected: {}",
        first.body()
    );

    t.fake.press_button(&staff, "Приёмка автомобиля");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| card(f)
                .is_some_and(|c| c.body().contains("Приёмка автомобиля")))
            .await
    );
    t.fake.send_command(&staff, "/type");
    t.fake
        .wait_until(BOT_TIMEOUT, |f| {
            f.sent_to(staff.id)
                .iter()
                .filter(|m| m.button_texts().contains(&"Прочее".to_owned()))
                .count()
                >= 2
        })
        .await;
    t.fake.press_button(&staff, "Прочее");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| card(f)
                .is_some_and(|c| c.body().contains("Прочее")))
            .await
    );
    let card_now = card(&t.fake).expect("card");
    assert_eq!(
        card_now.message_id, first.message_id,
        "the same card is edited"
    );
    assert!(card_now.edits >= 2);
    assert_eq!(
        t.fake.requests("pinChatMessage"),
        1,
        "pinned once, never re-pinned"
    );
    let session = t
        .env
        .store()
        .staff_sessions()
        .get(staff.id)
        .expect("get")
        .expect("session");
    assert_eq!(
        (
            session.order_folder.as_deref(),
            session.stage_folder.as_deref()
        ),
        (Some("ЗН-004512 А123ВС77"), Some("Other"))
    );
    running.stop().await;
}

#[tokio::test]
async fn search_folds_layouts_and_pages_and_long_names_work() {
    let t = TelegramEnv::start().await;
    for i in 1..=10 {
        t.env.order(&format!("ЗН-{i:03} А{i:03}ВС77"));
    }
    let long = format!("ЗН-777 \"Иванов, Пётр\" {}", "Ж".repeat(90));
    assert!(long.len() > 200);
    t.env.order(&long);
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;

    t.fake.send_command(&staff, "/order bc77");
    let sent = t.fake.wait_for_sent(staff.id, 1, BOT_TIMEOUT).await;
    assert!(
        sent[0].body().contains("10"),
        "Latin bc77 finds the Cyrillic ВС77 plates: {}",
        sent[0].body()
    );
    assert_eq!(
        sent[0]
            .button_texts()
            .iter()
            .filter(|b| b.starts_with("ЗН-"))
            .count(),
        8,
        "8 a page"
    );
    t.fake.press_button(&staff, "Далее ›");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f.sent_to(staff.id)[0]
                .button_texts()
                .iter()
                .filter(|b| b.starts_with("ЗН-"))
                .count()
                == 2)
            .await,
        "the second page has the last two"
    );

    t.fake.press_button(&staff, "🔎 Поиск");
    t.fake.wait_for_sent(staff.id, 2, BOT_TIMEOUT).await;
    t.fake.send_text(&staff, "иванов,");
    let sent = t.fake.wait_for_sent(staff.id, 3, BOT_TIMEOUT).await;
    let label = sent[2]
        .button_texts()
        .into_iter()
        .find(|b| b.starts_with("ЗН-777"))
        .expect("long order found");
    t.fake.press_button(&staff, &label);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(staff.id)
                .iter()
                .any(|m| m.button_texts().contains(&"Прочее".to_owned())))
            .await
    );
    t.fake.press_button(&staff, "Прочее");
    let chosen = |f: &servicebot_fake_telegram::FakeTelegram| {
        t.env
            .store()
            .staff_sessions()
            .get(staff.id)
            .ok()
            .flatten()
            .and_then(|s| s.stage_folder)
            .is_some()
            && f.requests("pinChatMessage") == 1
    };
    assert!(t.fake.wait_until(BOT_TIMEOUT, chosen).await);
    let session = t
        .env
        .store()
        .staff_sessions()
        .get(staff.id)
        .expect("get")
        .expect("session");
    assert_eq!(
        session.order_folder.as_deref(),
        Some(long.as_str()),
        "a 200-byte name with commas and quotes round-trips through a short key"
    );
    running.stop().await;
}

#[tokio::test]
async fn staff_text_reaches_each_connected_client_escaped_and_recorded() {
    let t = TelegramEnv::start().await;
    t.env
        .order_with_phones("ЗН-1 А123ВС77", "+7 (912) 345-67-89\n8 999 111 22 33");
    t.env.order_with_phones("ЗН-2 В456ОР99", "8 900 000 00 00");
    let staff = t.staff("Иван Мастер");
    let other_staff = t.staff("Олег");
    let anna = t.client("Анна", "89123456789");
    let boris = t.client("Борис", "+7 999 111-22-33");
    let vera = t.client("Вера", "9000000000");
    let (_app, running) = t.start_app().await;

    t.enter_order(&staff, "a123", "ЗН-1 А123ВС77", "Прочее")
        .await;
    t.enter_order(&other_staff, "в456", "ЗН-2 В456ОР99", "Прочее")
        .await;
    t.fake.send_text(&staff, "Цена <b>4 500</b> & скидка");
    t.fake.send_text(&other_staff, "Машина готова");
    let expected = "<b>Иван Мастер, Автоцентр</b>\nЦена &lt;b&gt;4 500&lt;/b&gt; &amp; скидка";
    for client in [&anna, &boris] {
        let sent = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
        assert_eq!(sent[0].text.as_deref(), Some(expected));
        assert_eq!(sent[0].parse_mode.as_deref(), Some("HTML"));
    }
    let sent = t.fake.wait_for_sent(vera.id, 1, BOT_TIMEOUT).await;
    assert_eq!(
        sent[0].text.as_deref(),
        Some("<b>Олег, Автоцентр</b>\nМашина готова"),
        "no cross-routing between orders"
    );
    assert_eq!(t.fake.sent_to(anna.id).len(), 1);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(staff.id)
                .iter()
                .any(|m| m.body().contains("Доставлено: Анна, Борис")))
            .await
    );

    let delivered = || {
        let entries = t
            .env
            .store()
            .transcript()
            .by_order("ЗН-1")
            .expect("transcript");
        entries.iter().any(|e| {
            e.entry.text.as_deref() == Some("Цена <b>4 500</b> & скидка")
                && e.entry.delivery == Delivery::Delivered
        })
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, |_| delivered()).await,
        "the transcript records the delivery"
    );
    running.stop().await;
}

#[tokio::test]
async fn nobody_connected_and_closed_orders_are_said_plainly() {
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-5");
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "зн-5", "ЗН-5", "Прочее").await;
    t.fake.send_text(&staff, "есть кто?");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(staff.id)
                .iter()
                .any(|m| m.body().contains("никто не получил")))
            .await
    );

    std::fs::rename(t.env.root.join("ЗН-5"), t.env.root.join("ЗН-5 closed"))
        .expect("close the order");
    let closed = |f: &servicebot_fake_telegram::FakeTelegram| {
        f.sent_to(staff.id)
            .iter()
            .any(|m| m.body().contains("закрыт"))
    };
    let deadline = tokio::time::Instant::now() + BOT_TIMEOUT;
    while !closed(&t.fake) && tokio::time::Instant::now() < deadline {
        // The watcher drops the order within moments; each text is answered with the closure
        // notice once it has.
        t.fake.send_text(&staff, "ещё текст");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(closed(&t.fake), "staff are told the order is closed");
    let session = t
        .env
        .store()
        .staff_sessions()
        .get(staff.id)
        .expect("get")
        .expect("session");
    assert_eq!(session.order_folder, None, "the closed order is left");
    running.stop().await;
}

#[tokio::test]
async fn forged_and_foreign_buttons_do_nothing() {
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-1");
    let staff = t.staff("Иван");
    let other = t.staff("Олег");
    let client = t.client("Анна", "89123456789");
    let (_app, running) = t.start_app().await;
    t.fake.send_command(&staff, "/order зн-1");
    let sent = t.fake.wait_for_sent(staff.id, 1, BOT_TIMEOUT).await;
    let key = sent[0].inline_buttons()[0][0]
        .callback_data
        .clone()
        .expect("key");
    // Another staff member's chat gets a message to press on, then presses the first one's key.
    t.fake.send_command(&other, "/order зн-1");
    let other_sent = t.fake.wait_for_sent(other.id, 1, BOT_TIMEOUT).await;
    let forged = t
        .fake
        .press_callback_data(&other, other_sent[0].message_id, &key);
    let by_client = t.fake.press_callback_data(&client, 1, "k1");
    for query in [&forged, &by_client] {
        assert!(
            t.fake
                .wait_until(BOT_TIMEOUT, |f| f.callback_answer(query).is_some())
                .await,
            "every press is answered"
        );
        let answer = t.fake.callback_answer(query).expect("answer");
        assert!(
            answer.text.is_some_and(|text| text.contains("устарела")),
            "refused"
        );
    }
    assert!(
        t.env
            .store()
            .staff_sessions()
            .get(other.id)
            .expect("get")
            .is_none_or(|s| s.order_folder.is_none())
    );
    running.stop().await;
}

#[tokio::test]
async fn groups_are_left_and_blocked_users_only_get_the_notice() {
    let t = TelegramEnv::start().await;
    let staff = t.staff("Иван");
    let blocked = t.staff("Уволенный");
    t.env
        .store()
        .users()
        .set_active(blocked.id, false)
        .expect("block");
    let (_app, running) = t.start_app().await;
    let group = t.fake.send_group_text(&staff, "Сервис", "/order");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f.left_chats().contains(&group))
            .await,
        "group chats are left"
    );
    t.fake.send_command(&blocked, "/order");
    let sent = t.fake.wait_for_sent(blocked.id, 1, BOT_TIMEOUT).await;
    assert!(
        sent[0].body().contains("Доступ к боту закрыт"),
        "{}",
        sent[0].body()
    );
    t.fake.send_command(&blocked, "/start");
    let sent = t.fake.wait_for_sent(blocked.id, 2, BOT_TIMEOUT).await;
    assert!(
        sent.iter()
            .all(|m| m.body().contains("Доступ к боту закрыт") && m.reply_markup.is_none())
    );
    running.stop().await;
}

#[tokio::test]
async fn staff_are_told_when_a_client_blocked_the_bot() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "зн-1", "ЗН-1", "Прочее").await;
    t.fake.block_bot(&client);
    t.fake.send_text(&staff, "Машина готова");
    // The receipt says "sending…" first and is edited in place to what happened.
    let receipt = t
        .bot_message(&staff, |m| m.body().contains("Не доставлено Анна"))
        .await;
    assert_eq!(
        receipt.body(),
        "⚠️ Не доставлено Анна: клиент заблокировал бота"
    );
    assert!(receipt.edits >= 1, "edited in place, not a second message");
    let store = t.env.store();
    assert!(
        store
            .users()
            .get(client.id)
            .expect("get")
            .expect("user")
            .blocked_bot
    );
    let entries = store.transcript().by_order("ЗН-1").expect("transcript");
    assert!(entries.iter().any(|e| {
        e.entry.text.as_deref() == Some("Не доставлено клиенту Анна: клиент заблокировал бота")
    }));
    assert!(entries.iter().any(|e| {
        e.entry.text.as_deref() == Some("Машина готова") && e.entry.delivery == Delivery::Failed
    }));
    drop(store);
    running.stop().await;
}

#[tokio::test]
async fn a_failing_handler_answers_the_button_and_loses_the_update_to_nobody() {
    // A fault inside handling (here the staff positions table disappears under the bot): the
    // update is rolled back and marked failed, and the pressed button is answered — it never
    // keeps spinning — with a plain request to try again, never the database's error text.
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-1");
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.fake.send_command(&staff, "/order");
    t.bot_message(&staff, |m| {
        m.button_texts().contains(&"🔎 Поиск".to_owned())
    })
    .await;
    let database = t.env.data_dir.join(servicebot_core::store::DATABASE_FILE);
    rusqlite::Connection::open(database)
        .expect("open the database")
        .execute_batch("ALTER TABLE staff_sessions RENAME TO staff_sessions_gone")
        .expect("break the table");
    let answer = t.press(&staff, "🔎 Поиск").await;
    assert_eq!(
        answer.text.as_deref(),
        Some("Что-то пошло не так. Попробуйте ещё раз через минуту."),
        "{answer:?}"
    );
    assert!(answer.show_alert, "shown as an alert");
    running.stop().await;
}
