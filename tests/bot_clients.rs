//! Clients sharing their phone: only their own contact is accepted, in any format, and it
//! connects them to the orders whose phone file lists it.

use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, eventually};

#[tokio::test]
async fn start_asks_for_the_phone_with_a_contact_button() {
    let t = TelegramEnv::start().await;
    let (_app, running) = t.start_app().await;
    let newcomer = t.fake.user("Анна");
    t.fake.send_command(&newcomer, "/start");
    let sent = t.fake.wait_for_sent(newcomer.id, 1, BOT_TIMEOUT).await;
    assert!(
        sent[0].body().contains("«Автоцентр»"),
        "greets on behalf of the organization: {}",
        sent[0].body()
    );
    assert_eq!(
        sent[0].reply_keyboard(),
        [("📱 Поделиться номером".to_owned(), true)]
    );
    let user = t
        .env
        .store()
        .users()
        .get(newcomer.id)
        .expect("get")
        .expect("recorded as a client");
    assert_eq!(
        (user.level, user.active),
        (servicebot_core::store::Level::Client, true)
    );
    running.stop().await;
}

#[tokio::test]
async fn own_contacts_in_every_format_connect_to_the_order() {
    let t = TelegramEnv::start().await;
    t.env
        .order_with_phones("ЗН-1 А123ВС77", "+7 (912) 345-67-89");
    t.env
        .order_with_phones("ЗН-2", "8 912 345 67 89; 8 900 000 00 00");
    t.env.order("ЗН-3");
    let (_app, running) = t.start_app().await;
    for (i, format) in ["+79123456789", "89123456789", "9123456789"]
        .into_iter()
        .enumerate()
    {
        let client = t.fake.user(&format!("Клиент {i}"));
        t.fake.send_contact(&client, format, Some(client.id));
        let sent = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
        assert!(
            sent[0].body().contains("ЗН-1") && sent[0].body().contains("ЗН-2"),
            "{format}: {}",
            sent[0].body()
        );
        assert!(!sent[0].body().contains("ЗН-3"));
        assert_eq!(
            t.env.stored_phone(client.id).as_deref(),
            Some("79123456789")
        );
    }
    let stranger = t.fake.user("Вера");
    t.fake
        .send_contact(&stranger, "+7 999 888 77 66", Some(stranger.id));
    let sent = t.fake.wait_for_sent(stranger.id, 1, BOT_TIMEOUT).await;
    assert!(
        sent[0]
            .body()
            .contains("Как только сервисный центр добавит"),
        "{}",
        sent[0].body()
    );
    running.stop().await;
}

#[tokio::test]
async fn someone_elses_contact_is_refused_and_nothing_is_stored() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 (912) 345-67-89");
    let (_app, running) = t.start_app().await;
    let intruder = t.fake.user("Чужой");
    let victim = t.fake.user("Владелец");
    t.fake
        .send_contact(&intruder, "+79123456789", Some(victim.id));
    t.fake.send_contact(&intruder, "+79123456789", None);
    let sent = t.fake.wait_for_sent(intruder.id, 2, BOT_TIMEOUT).await;
    assert!(
        sent.iter().all(|m| m.body().contains("только свой")),
        "{sent:?}"
    );
    let user = t
        .env
        .store()
        .users()
        .get(intruder.id)
        .expect("get")
        .expect("user");
    assert_eq!(user.phone, None, "nothing is stored");
    running.stop().await;
}

#[tokio::test]
async fn a_client_reply_reaches_the_staff_who_wrote_with_a_working_switch_button() {
    let t = TelegramEnv::start().await;
    t.env
        .order_with_phones("ЗН-1 А123ВС77", "+7 (912) 345-67-89");
    t.env.order("ЗН-2");
    let staff = t.staff("Иван");
    let bystander = t.staff("Олег");
    let client = t.client("Анна", "89123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", "ЗН-1 А123ВС77", "Прочее")
        .await;
    t.fake.send_text(&staff, "Добрый день, машина готова");
    t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    // The staff member moves on to another order; the client's reply still finds them.
    t.enter_order(&staff, "зн-2", "ЗН-2", "Прочее").await;

    t.fake
        .send_text(&client, "Спасибо! <заберу> вечером & оплачу");
    let reply = |f: &servicebot_fake_telegram::FakeTelegram| {
        f.sent_to(staff.id).into_iter().find(|m| {
            m.body()
                .starts_with("<b>Ответ клиента по заказ-наряду ЗН-1</b>")
        })
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, |f| reply(f).is_some()).await,
        "the staff member gets the reply"
    );
    let message = reply(&t.fake).expect("reply");
    assert_eq!(
        message.body(),
        "<b>Ответ клиента по заказ-наряду ЗН-1</b>\nАнна: Спасибо! &lt;заберу&gt; вечером &amp; оплачу"
    );
    assert!(
        t.never_told(&bystander, "Ответ клиента"),
        "only the one who wrote"
    );

    t.fake
        .press_button_on(&staff, message.message_id, "Перейти в заказ-наряд ЗН-1");
    let switched = |_: &servicebot_fake_telegram::FakeTelegram| {
        t.env
            .store()
            .staff_sessions()
            .get(staff.id)
            .ok()
            .flatten()
            .and_then(|s| s.order_folder)
            .as_deref()
            == Some("ЗН-1 А123ВС77")
    };
    assert!(
        eventually(|| switched(&t.fake)).await,
        "one tap puts the staff member into the client's order"
    );
    let transcript = t
        .env
        .store()
        .transcript()
        .by_order("ЗН-1")
        .expect("transcript");
    assert!(
        transcript
            .iter()
            .any(|e| e.entry.text.as_deref() == Some("Спасибо! <заберу> вечером & оплачу"))
    );
    running.stop().await;
}

#[tokio::test]
async fn a_client_without_an_order_is_told_politely() {
    let t = TelegramEnv::start().await;
    let client = t.client("Анна", "89123456789");
    let (_app, running) = t.start_app().await;
    t.fake.send_text(&client, "Когда будет готово?");
    let sent = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    assert!(
        sent[0].body().contains("нет открытых заказ-нарядов"),
        "{}",
        sent[0].body()
    );
    running.stop().await;
}

#[tokio::test]
async fn a_clients_photo_is_filed_under_from_client_and_reaches_the_staff() {
    let t = TelegramEnv::start().await;
    t.env
        .order_with_phones("ЗН-1 А123ВС77", "+7 (912) 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "89123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", "ЗН-1 А123ВС77", "Прочее")
        .await;
    t.fake.send_text(&staff, "Пришлите фото документов");
    t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;

    t.fake.send_photo(&client, vec![8; 1500], Some("СТС"));
    let copy = |f: &servicebot_fake_telegram::FakeTelegram| {
        f.sent_to(staff.id)
            .into_iter()
            .find(|m| m.method == "copyMessage")
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, |f| copy(f).is_some()).await,
        "the staff member gets the photo"
    );
    let message = copy(&t.fake).expect("copy");
    assert_eq!(
        message.caption.as_deref(),
        Some("<b>Ответ клиента по заказ-наряду ЗН-1</b>\nАнна\nСТС")
    );
    assert_eq!(message.button_texts(), ["Перейти в заказ-наряд ЗН-1"]);
    let dir = t.env.root.join("ЗН-1 А123ВС77").join("FromClient");
    let stored = |_: &servicebot_fake_telegram::FakeTelegram| {
        std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) == 1
    };
    assert!(
        eventually(|| stored(&t.fake)).await,
        "filed under FromClient"
    );
    running.stop().await;
}

#[tokio::test]
async fn a_client_is_connected_when_a_phone_file_lists_them_later() {
    let t = TelegramEnv::start().await;
    let folder = t.env.order("ЗН-5 В777ОР77");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.fake.send_text(&client, "Здравствуйте, машина у вас?");
    let first = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    assert!(first[0].body().contains("нет открытых заказ-нарядов"));

    // The service advisor types the client's number into the order's phone file.
    std::fs::write(folder.join("phone.txt"), "8 (912) 345-67-89\n").expect("phone file");
    let told = t
        .bot_message(&client, |m| {
            m.body().contains("подключены к заказ-наряду ЗН-5")
        })
        .await;
    assert!(told.body().contains("отвечать здесь"), "{}", told.body());
    let transcript = t
        .env
        .store()
        .transcript()
        .by_order("ЗН-5")
        .expect("transcript");
    assert!(
        transcript
            .iter()
            .any(|e| e.entry.text.as_deref() == Some("Клиент Анна подключён")),
        "{transcript:?}"
    );
    // Told once, however often the files are checked.
    tokio::time::sleep(PHONE_CHECK * 2).await;
    let times = t
        .fake
        .sent_to(client.id)
        .iter()
        .filter(|m| m.body().contains("подключены к заказ-наряду"))
        .count();
    assert_eq!(times, 1);
    // And now the conversation flows both ways.
    t.enter_order(&staff, "зн-5", "ЗН-5 В777ОР77", "Прочее")
        .await;
    t.fake.send_text(&staff, "Да, уже на подъёмнике");
    t.bot_message(&client, |m| m.body().contains("Да, уже на подъёмнике"))
        .await;
    running.stop().await;
}

/// How often the bot checks the phone files (`links::REFRESH_EVERY`).
const PHONE_CHECK: std::time::Duration = std::time::Duration::from_secs(3);

#[tokio::test]
async fn an_invite_link_greets_about_its_order_and_a_wrong_token_is_refused() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-7", "+7 912 345-67-89");
    t.env.order("ЗН-8");
    let (_app, running) = t.start_app().await;
    let out = t.env.cli(&["orders", "invite", "ЗН-7"]);
    assert_eq!(out.code, 0, "{out:?}");
    let url = out.stdout.trim().to_owned();
    let prefix = format!(
        "https://t.me/{}?start=",
        servicebot_fake_telegram::BOT_USERNAME
    );
    let token = url.strip_prefix(&prefix).expect("a t.me link").to_owned();
    assert!(
        token.len() == 16
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "an opaque token, not the order number: {token}"
    );
    assert_eq!(
        t.env.cli(&["orders", "invite", "ЗН-7"]).stdout.trim(),
        url,
        "a printed link stays valid"
    );

    let client = t.fake.user("Анна");
    t.fake.send_command(&client, &format!("/start {token}"));
    let greeting = t.bot_message(&client, |m| m.body().contains("ЗН-7")).await;
    assert!(greeting.body().contains("«Автоцентр»"));
    assert_eq!(
        greeting.reply_keyboard(),
        [("📱 Поделиться номером".to_owned(), true)],
        "the phone still decides"
    );
    t.fake
        .send_contact(&client, "+79123456789", Some(client.id));
    t.bot_message(&client, |m| {
        m.body().contains("Вы подключены к заказ-наряду ЗН-7")
    })
    .await;

    // The link of another order does not give access to it.
    let other = t.env.cli(&["orders", "invite", "ЗН-8"]).stdout;
    let other_token = other.trim().strip_prefix(&prefix).expect("link").to_owned();
    t.fake
        .send_command(&client, &format!("/start {other_token}"));
    t.bot_message(&client, |m| m.body().contains("нет в заказ-наряде ЗН-8"))
        .await;

    let stranger = t.fake.user("Вера");
    t.fake.send_command(&stranger, "/start NoSuchToken_123");
    let answer = t
        .bot_message(&stranger, |m| m.body().contains("недействительна"))
        .await;
    assert!(
        answer.body().contains("Поделитесь номером"),
        "one message says both: the link is wrong, share the phone: {}",
        answer.body()
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        t.fake.sent_to(stranger.id).len(),
        1,
        "a wrong token gets one message, not two"
    );
    assert!(
        t.never_told(&stranger, "ЗН-"),
        "a wrong token reveals no order"
    );
    running.stop().await;
}

#[tokio::test]
async fn an_edited_client_message_is_kept_as_a_new_version() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    let admin = t.admin("Мария");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    let message_id = t.fake.send_text(&client, "Заберу в 18:00");
    t.bot_message(&admin, |m| m.body().contains("Заберу в 18:00"))
        .await;
    t.fake.edit_text(&client, message_id, "Заберу в 19:00");
    let edited = t
        .bot_message(&admin, |m| m.body().contains("Заберу в 19:00"))
        .await;
    assert!(
        edited
            .body()
            .contains("Клиент изменил сообщение по заказ-наряду ЗН-1")
    );
    assert!(
        !edited.inline_buttons().is_empty(),
        "with the switch button"
    );
    let entries = t
        .env
        .store()
        .transcript()
        .by_order("ЗН-1")
        .expect("transcript");
    let original = entries
        .iter()
        .find(|e| e.entry.text.as_deref() == Some("Заберу в 18:00"))
        .expect("the original is kept");
    let version = entries
        .iter()
        .find(|e| e.entry.text.as_deref() == Some("Заберу в 19:00"))
        .expect("the new version");
    assert_eq!(version.entry.edit_of, Some(original.id));
    assert_eq!(original.entry.edit_of, None);
    running.stop().await;
}

#[tokio::test]
async fn a_client_with_two_orders_writes_to_the_most_recently_active_one() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    t.env.order_with_phones("ЗН-2", "+7 912 345-67-89");
    let first = t.staff("Иван");
    let second = t.staff("Олег");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&first, "зн-1", "ЗН-1", "Прочее").await;
    t.fake.send_text(&first, "По первому заказу всё готово");
    t.bot_message(&client, |m| m.body().contains("По первому"))
        .await;
    t.enter_order(&second, "зн-2", "ЗН-2", "Прочее").await;
    t.fake.send_text(&second, "По второму нужна запчасть");
    t.bot_message(&client, |m| m.body().contains("По второму"))
        .await;

    t.fake.send_text(&client, "Хорошо, заказывайте");
    let reply = t
        .bot_message(&second, |m| m.body().contains("Хорошо, заказывайте"))
        .await;
    assert!(
        reply
            .body()
            .starts_with("<b>Ответ клиента по заказ-наряду ЗН-2</b>")
    );
    assert!(
        t.never_told(&first, "заказывайте"),
        "not to the other order's staff"
    );
    running.stop().await;
}

#[tokio::test]
async fn sharing_a_new_number_updates_the_phone_and_the_orders() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    t.env.order_with_phones("ЗН-2", "+7 999 111-22-33");
    let (_app, running) = t.start_app().await;
    let client = t.fake.user("Анна");
    t.fake
        .send_contact(&client, "+79123456789", Some(client.id));
    t.bot_message(&client, |m| m.body().contains("заказ-наряду ЗН-1"))
        .await;
    t.fake
        .send_contact(&client, "8 999 111 22 33", Some(client.id));
    t.bot_message(&client, |m| m.body().contains("заказ-наряду ЗН-2"))
        .await;
    assert_eq!(
        t.env.stored_phone(client.id).as_deref(),
        Some("79991112233")
    );
    t.fake.send_text(&client, "Вопрос по второй машине");
    let admin_entries = || {
        t.env
            .store()
            .transcript()
            .by_order("ЗН-2")
            .expect("transcript")
    };
    assert!(
        eventually(|| admin_entries()
            .iter()
            .any(|e| e.entry.text.as_deref() == Some("Вопрос по второй машине")))
        .await,
        "messages now go to the new number's order"
    );
    running.stop().await;
}
