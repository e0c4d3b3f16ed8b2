//! The admin menu in Telegram: users (list, search, card, level, rename, block), the last-admin
//! rule, and order transcripts — every action audited.

use servicebot_core::store::{Direction, EntryKind, Level, NewEntry};
use servicebot_fake_telegram::TgUser;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, eventually};

fn level_of(t: &TelegramEnv, id: i64) -> Level {
    t.env
        .store()
        .users()
        .get(id)
        .expect("get")
        .expect("user")
        .level
}

#[tokio::test]
async fn admin_manages_users_from_the_menu_and_every_change_is_audited() {
    let t = TelegramEnv::start().await;
    let admin = t.admin("Мария");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;

    t.fake.send_command(&admin, "/admin");
    t.bot_message(&admin, |m| {
        m.button_texts().contains(&"👥 Пользователи".to_owned())
    })
    .await;
    t.press(&admin, "👥 Пользователи").await;
    let list = t
        .bot_message(&admin, |m| m.body().starts_with("Пользователи (3)"))
        .await;
    let labels = list.button_texts();
    assert!(
        labels
            .iter()
            .any(|l| l == "Анна · +7 912 345-67-89 · клиент"),
        "name, phone and level: {labels:?}"
    );

    // Search narrows the list.
    t.press(&admin, "🔎 Поиск").await;
    t.bot_message(&admin, |m| m.body().contains("Введите часть имени"))
        .await;
    t.fake.send_text(&admin, "ива");
    let found = t
        .bot_message(&admin, |m| m.body().contains("по запросу «ива» (1)"))
        .await;
    assert!(found.button_texts().iter().any(|l| l.starts_with("Иван")));

    // The card: level 2.
    t.press_starting(&admin, "Анна").await;
    t.bot_message(&admin, |m| m.body().starts_with("👤 Анна"))
        .await;
    let answer = t.press(&admin, "Уровень 2").await;
    assert_eq!(answer.text.as_deref(), Some("Сохранено."));
    assert_eq!(level_of(&t, client.id), Level::Staff);

    // Rename: a bad name is asked again, a good one is stored.
    t.press(&admin, "✏️ Переименовать").await;
    t.bot_message(&admin, |m| m.body().contains("новое отображаемое имя"))
        .await;
    t.fake.send_text(&admin, &"Я".repeat(65));
    t.bot_message(&admin, |m| m.body().contains("от 1 до 64 символов"))
        .await;
    t.fake.send_text(&admin, "  Анна Петровна ");
    t.bot_message(&admin, |m| m.body() == "Имя изменено: Анна Петровна.")
        .await;

    // Block: the user gets nothing but the notice from now on.
    t.press(&admin, "🚫 Заблокировать").await;
    let blocked = t
        .env
        .store()
        .users()
        .get(client.id)
        .expect("get")
        .expect("user");
    assert!(!blocked.active);
    assert_eq!(blocked.display_name.as_deref(), Some("Анна Петровна"));
    t.fake.send_command(&client, "/order");
    let notice = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    assert!(notice[0].body().starts_with("Доступ к боту закрыт"));

    let events = t.env.store().audit().recent(10).expect("audit");
    let actions: Vec<&str> = events.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["set_level", "rename", "block"]);
    assert!(
        events.iter().all(|e| e.actor_id == Some(admin.id)
            && e.channel == "telegram"
            && e.target_id == Some(client.id)),
        "who, what, to whom: {events:?}"
    );
    // Staff never see the admin menu.
    t.fake.send_command(&staff, "/admin");
    let refused = t.fake.wait_for_sent(staff.id, 1, BOT_TIMEOUT).await;
    assert!(
        refused[0].body().contains("недоступна"),
        "{}",
        refused[0].body()
    );
    assert!(refused[0].inline_buttons().is_empty());
    running.stop().await;
}

#[tokio::test]
async fn the_last_admin_stays_and_a_demoted_admins_old_buttons_are_refused() {
    let t = TelegramEnv::start().await;
    let first = t.admin("Мария");
    let second = t.staff("Олег");
    let (_app, running) = t.start_app().await;

    t.fake.send_command(&first, "/admin");
    t.bot_message(&first, |m| {
        m.button_texts().contains(&"👥 Пользователи".to_owned())
    })
    .await;
    t.press(&first, "👥 Пользователи").await;
    t.bot_message(&first, |m| m.body().starts_with("Пользователи (2)"))
        .await;
    t.press_starting(&first, "Мария").await;
    t.bot_message(&first, |m| m.body().starts_with("👤 Мария"))
        .await;
    for label in ["Уровень 3", "🚫 Заблокировать"] {
        let answer = t.press(&first, label).await;
        assert!(
            answer
                .text
                .as_deref()
                .is_some_and(|a| a.contains("последнего")),
            "{label}: {answer:?}"
        );
    }
    assert_eq!(level_of(&t, first.id), Level::Admin);
    assert!(t.env.store().audit().recent(10).expect("audit").is_empty());

    // Promote the second admin, keep the first one's card of Олег open…
    t.press(&first, "« К списку").await;
    t.bot_message(&first, |m| m.body().starts_with("Пользователи (2)"))
        .await;
    t.press_starting(&first, "Олег").await;
    t.bot_message(&first, |m| m.body().starts_with("👤 Олег"))
        .await;
    t.press(&first, "Уровень 1").await;
    assert_eq!(level_of(&t, second.id), Level::Admin);
    // …then the first admin is demoted from the command line.
    let out = t
        .env
        .cli(&["users", "set-level", &first.id.to_string(), "2"]);
    assert_eq!(out.code, 0, "{out:?}");
    let answer = t.press(&first, "🚫 Заблокировать").await;
    assert!(
        answer
            .text
            .as_deref()
            .is_some_and(|a| a.contains("недоступна")),
        "{answer:?}"
    );
    let second_now = t
        .env
        .store()
        .users()
        .get(second.id)
        .expect("get")
        .expect("user");
    assert!(second_now.active, "the old button changed nothing");
    running.stop().await;
}

fn transcript_entry(t: &TelegramEnv, order: &str, author: i64, text: String) {
    let mut entry = NewEntry::new(
        order,
        order,
        chrono::Utc::now(),
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    entry.author_id = Some(author);
    entry.text = Some(text);
    t.env
        .store()
        .transcript()
        .append(&entry)
        .expect("transcript entry");
}

/// `/admin` → transcript → search `query` → press the order.
async fn open_transcript(t: &TelegramEnv, admin: &TgUser, query: &str) {
    t.fake.send_command(admin, "/admin");
    t.bot_message(admin, |m| {
        m.button_texts()
            .contains(&"📜 Переписка по заказ-наряду".to_owned())
    })
    .await;
    t.press(admin, "📜 Переписка по заказ-наряду").await;
    t.bot_message(admin, |m| m.body().contains("Введите номер заказ-наряда"))
        .await;
    t.fake.send_text(admin, query);
    t.bot_message(admin, |m| {
        m.body().contains(&format!("найдено по «{query}»"))
    })
    .await;
    t.press(admin, query).await;
}

#[tokio::test]
async fn transcripts_come_in_messages_under_the_limit_or_as_a_file() {
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-1");
    t.env.order("ЗН-2");
    let admin = t.admin("Мария");
    let client = t.client("Анна", "+79123456789");
    for i in 0..5 {
        transcript_entry(&t, "ЗН-1", client.id, format!("короткое сообщение {i}"));
    }
    for i in 0..60 {
        transcript_entry(
            &t,
            "ЗН-2",
            client.id,
            format!("{i}: <{}>", "длинно ".repeat(40)),
        );
    }
    let (_app, running) = t.start_app().await;
    open_transcript(&t, &admin, "ЗН-1").await;
    let short = t
        .bot_message(&admin, |m| {
            m.body().starts_with("Переписка по заказ-наряду ЗН-1")
        })
        .await;
    for i in 0..5 {
        assert!(
            short
                .body()
                .contains(&format!("Анна (клиент): короткое сообщение {i}"))
        );
    }

    open_transcript(&t, &admin, "ЗН-2").await;
    let file = t.bot_message(&admin, |m| m.method == "sendDocument").await;
    let media = file.media.as_ref().expect("a document");
    assert_eq!(media.file_name.as_deref(), Some("transcript-ЗН-2.html"));
    let html =
        String::from_utf8(t.fake.file_bytes(&media.file_id).expect("uploaded")).expect("utf-8");
    assert!(html.contains("59: &lt;длинно"), "every entry, escaped");
    assert!(file.body().contains("60 записей"), "{}", file.body());
    let reads: Vec<String> = t
        .env
        .store()
        .audit()
        .recent(10)
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "read_transcript" && e.actor_id == Some(admin.id))
        .map(|e| e.details)
        .collect();
    assert_eq!(
        reads,
        ["ЗН-2", "ЗН-1"],
        "who read which transcript is recorded"
    );
    assert!(
        eventually(|| t
            .fake
            .sent_to(admin.id)
            .iter()
            .all(|m| m.body().encode_utf16().count() <= 4096))
        .await
    );
    running.stop().await;
}

#[tokio::test]
async fn the_latest_prompt_decides_what_the_next_text_means() {
    let t = TelegramEnv::start().await;
    t.env.order("ЗН-1 А123ВС77");
    let admin = t.admin("Мария");
    t.staff("Иван");
    let (_app, running) = t.start_app().await;
    // The order search prompt, then the admin's user search prompt: the text is a user search.
    t.fake.send_command(&admin, "/order");
    t.bot_message(&admin, |m| {
        m.button_texts().contains(&"🔎 Поиск".to_owned())
    })
    .await;
    t.press(&admin, "🔎 Поиск").await;
    t.bot_message(&admin, |m| {
        m.body().contains("номера заказ-наряда или госномера")
    })
    .await;
    t.fake.send_command(&admin, "/admin");
    t.bot_message(&admin, |m| {
        m.button_texts().contains(&"👥 Пользователи".to_owned())
    })
    .await;
    t.press(&admin, "👥 Пользователи").await;
    t.bot_message(&admin, |m| m.body().starts_with("Пользователи (2)"))
        .await;
    t.press(&admin, "🔎 Поиск").await;
    t.bot_message(&admin, |m| m.body().contains("Введите часть имени"))
        .await;
    t.fake.send_text(&admin, "ива");
    t.bot_message(&admin, |m| m.body().contains("по запросу «ива» (1)"))
        .await;
    // And the other way round: the order search wins after the admin prompt.
    t.press(&admin, "🔎 Поиск").await;
    t.nth_bot_message(&admin, 2, |m| m.body().contains("Введите часть имени"))
        .await;
    t.fake.send_command(&admin, "/order");
    t.nth_bot_message(&admin, 2, |m| m.body().starts_with("Выберите день"))
        .await;
    t.press(&admin, "🔎 Поиск").await;
    t.nth_bot_message(&admin, 2, |m| {
        m.body().contains("номера заказ-наряда или госномера")
    })
    .await;
    t.fake.send_text(&admin, "а123");
    t.bot_message(&admin, |m| m.body().contains("Найдено по запросу «а123»"))
        .await;
    running.stop().await;
}

/// `/admin` → Пользователи → the card of the user whose button starts with `name`.
async fn open_card(t: &TelegramEnv, admin: &TgUser, name: &str) {
    t.fake.send_command(admin, "/admin");
    t.bot_message(admin, |m| {
        m.button_texts().contains(&"👥 Пользователи".to_owned())
    })
    .await;
    t.press(admin, "👥 Пользователи").await;
    t.bot_message(admin, |m| m.body().starts_with("Пользователи ("))
        .await;
    t.press_starting(admin, name).await;
    t.bot_message(admin, |m| m.body().starts_with(&format!("👤 {name}")))
        .await;
}

#[tokio::test]
async fn choosing_an_order_after_rename_sends_the_next_text_to_the_client() {
    // An admin who pressed "Переименовать" and then went to an order writes to the client:
    // the text reaches the client and renames nobody.
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    let admin = t.admin("Мария");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    open_card(&t, &admin, "Анна").await;
    t.press(&admin, "✏️ Переименовать").await;
    t.bot_message(&admin, |m| m.body().contains("новое отображаемое имя"))
        .await;
    t.enter_order(&admin, "зн-1", "ЗН-1", "Прочее").await;
    t.fake.send_text(&admin, "Машина готова");
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(client.id)
                .iter()
                .any(|m| m.body().ends_with("Машина готова")))
            .await,
        "the client gets the text"
    );
    let name = t
        .env
        .store()
        .users()
        .get(client.id)
        .expect("get")
        .expect("client")
        .display_name;
    assert_eq!(name, None, "the text was not taken as a new name");
    running.stop().await;
}

#[tokio::test]
async fn a_promoted_users_menu_changes_without_a_restart() {
    let t = TelegramEnv::start().await;
    let admin = t.admin("Мария");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    open_card(&t, &admin, "Анна").await;
    t.press(&admin, "Уровень 2").await;
    let scope = format!("chat:{}", client.id);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .commands(&scope)
                .iter()
                .any(|(command, _)| command == "order"))
            .await,
        "the new staff member's menu has /order: {:?}",
        t.fake.commands(&scope)
    );
    running.stop().await;
}

#[tokio::test]
async fn a_level_changed_on_the_command_line_reaches_the_users_menu_while_the_bot_runs() {
    let t = TelegramEnv::start().await;
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    let scope = format!("chat:{}", client.id);
    let has_order = |f: &servicebot_fake_telegram::FakeTelegram| {
        f.commands(&scope)
            .iter()
            .any(|(command, _)| command == "order")
    };
    assert!(!has_order(&t.fake), "a client has no /order");
    let promoted = t
        .env
        .cli(&["users", "set-level", &client.id.to_string(), "2"]);
    assert_eq!(promoted.code, 0, "{}", promoted.stderr);
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, has_order).await,
        "the menu follows the new level: {:?}",
        t.fake.commands(&scope)
    );
    running.stop().await;
}
