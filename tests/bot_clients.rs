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
        let phone = t
            .env
            .store()
            .users()
            .get(client.id)
            .expect("get")
            .and_then(|u| u.phone)
            .expect("phone stored");
        assert_eq!(phone.digits(), "79123456789");
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
        f.sent_to(staff.id)
            .into_iter()
            .find(|m| m.body().starts_with("<b>Ответ клиента по ЗН ЗН-1</b>"))
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, |f| reply(f).is_some()).await,
        "the staff member gets the reply"
    );
    let message = reply(&t.fake).expect("reply");
    assert_eq!(
        message.body(),
        "<b>Ответ клиента по ЗН ЗН-1</b>\nАнна: Спасибо! &lt;заберу&gt; вечером &amp; оплачу"
    );
    assert!(
        t.fake
            .sent_to(bystander.id)
            .iter()
            .all(|m| !m.body().contains("Ответ клиента")),
        "only the one who wrote"
    );

    t.fake
        .press_button_on(&staff, message.message_id, "Перейти в ЗН ЗН-1");
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
        Some("<b>Ответ клиента по ЗН ЗН-1</b>\nАнна: СТС")
    );
    assert_eq!(message.button_texts(), ["Перейти в ЗН ЗН-1"]);
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
