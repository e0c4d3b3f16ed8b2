//! Approval of recommended work, materials on request after onboarding, and client albums.

use servicebot_core::store::{Decision, EntryKind};
use servicebot_fake_telegram::AlbumItem;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, eventually};

const ORDER: &str = "ЗН-004512 А123ВС77";
const RECOMMENDATIONS: &str = "Текущие рекомендации";

#[tokio::test]
async fn a_recommendation_is_approved_changed_and_fixed_with_a_consent_record() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, RECOMMENDATIONS).await;

    t.fake
        .send_photo(&staff, vec![7; 1500], Some("Замена колодок — 4 500 ₽"));
    let item = t
        .bot_message(&client, |m| m.body().contains("Замена колодок"))
        .await;
    assert_eq!(
        item.button_texts(),
        ["✅ Согласовать", "❌ Отказаться"],
        "the item itself carries the buttons"
    );

    let declined = t.press(&client, "❌ Отказаться").await;
    assert!(
        declined
            .text
            .as_deref()
            .is_some_and(|a| a.contains("отказались"))
    );
    t.bot_message(&staff, |m| {
        m.body().contains("отказался от «Замена колодок — 4 500 ₽»")
    })
    .await;
    // The client changes their mind.
    t.press(&client, "✅ Согласовать").await;
    let notice = t
        .bot_message(&staff, |m| m.body().contains("согласовал «Замена колодок"))
        .await;
    assert!(
        notice.body().contains("Анна (+7 912 345-67-89)") && notice.body().contains("ЗН-004512"),
        "{}",
        notice.body()
    );

    // Staff fix it: no more changes.
    let fixed = t.press(&staff, "🔒 Зафиксировать решение").await;
    assert_eq!(fixed.text.as_deref(), Some("Решение зафиксировано."));
    let late = t.press(&client, "❌ Отказаться").await;
    assert!(
        late.text
            .as_deref()
            .is_some_and(|a| a.contains("уже зафиксировано"))
    );

    let store = t.env.store();
    let request = store
        .approvals()
        .request(1)
        .expect("request")
        .expect("recorded");
    assert_eq!(request.description, "Замена колодок — 4 500 ₽");
    assert!(request.closed_at.is_some());
    let decisions = store.approvals().decisions(1).expect("decisions");
    let made: Vec<Decision> = decisions.iter().map(|d| d.decision).collect();
    assert_eq!(
        made,
        [Decision::Decline, Decision::Approve],
        "every change on record"
    );
    assert!(
        decisions
            .iter()
            .all(|d| d.client_id == client.id && d.phone.digits() == "79123456789")
    );
    let transcript = store
        .transcript()
        .by_order("ЗН-004512")
        .expect("transcript");
    let approvals: Vec<&str> = transcript
        .iter()
        .filter(|e| e.entry.kind == EntryKind::Approval)
        .filter_map(|e| e.entry.text.as_deref())
        .collect();
    assert_eq!(
        approvals,
        [
            "Отказ: «Замена колодок — 4 500 ₽» (тел. +7 912 345-67-89)",
            "Согласовано: «Замена колодок — 4 500 ₽» (тел. +7 912 345-67-89)"
        ]
    );
    drop(store);
    running.stop().await;
}

#[tokio::test]
async fn after_an_album_the_question_follows_as_its_own_message() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, RECOMMENDATIONS).await;
    let photos = (0..3u8).map(|i| AlbumItem::photo(vec![i; 900])).collect();
    t.fake
        .send_album(&staff, photos, Some("Амортизаторы — 12 000 ₽"));
    let question = t
        .bot_message(&client, |m| m.body().starts_with("Согласуете работы"))
        .await;
    assert!(question.body().contains("Амортизаторы — 12 000 ₽"));
    assert_eq!(question.button_texts(), ["✅ Согласовать", "❌ Отказаться"]);
    let album: Vec<_> = t
        .fake
        .sent_to(client.id)
        .into_iter()
        .filter(|m| m.method == "sendMediaGroup")
        .collect();
    assert_eq!(album.len(), 3);
    assert!(
        album[0].message_id < question.message_id,
        "the question follows the album"
    );
    t.press(&client, "✅ Согласовать").await;
    assert!(
        eventually(|| t
            .env
            .store()
            .approvals()
            .decisions(1)
            .expect("decisions")
            .len()
            == 1)
        .await
    );
    running.stop().await;
}

#[tokio::test]
async fn materials_sent_before_onboarding_are_offered_and_sent_as_albums() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Приёмка автомобиля")
        .await;
    let photos = (0..3u8).map(|i| AlbumItem::photo(vec![i; 900])).collect();
    t.fake.send_album(&staff, photos, Some("Приёмка"));
    t.bot_message(&staff, |m| m.body().contains("Клиент не подключён"))
        .await;
    t.enter_order(&staff, "a123", ORDER, "Для сервисных нужд")
        .await;
    t.fake.send_photo(&staff, vec![9; 900], Some("внутреннее"));
    t.bot_message(&staff, |m| m.body().contains("для сервисных нужд"))
        .await;

    let client = t.fake.user("Анна");
    t.fake
        .send_contact(&client, "+79123456789", Some(client.id));
    t.bot_message(&client, |m| m.body().contains("Вы подключены"))
        .await;
    let offer = t
        .bot_message(&client, |m| !m.inline_buttons().is_empty())
        .await;
    assert_eq!(
        offer.button_texts(),
        ["📂 Показать материалы по заказ-наряду ЗН-004512"]
    );
    t.press(&client, "📂 Показать материалы по заказ-наряду ЗН-004512")
        .await;
    let sent = t.fake.wait_for_sent(client.id, 2 + 3, BOT_TIMEOUT).await;
    let album: Vec<_> = sent
        .iter()
        .filter(|m| m.method == "sendMediaGroup")
        .collect();
    assert_eq!(album.len(), 3, "the three photos as one album: {sent:#?}");
    assert_eq!(
        album[0].caption.as_deref(),
        Some("<b>Приёмка автомобиля</b> · ЗН-004512\nПриёмка"),
        "headed like a relay: the stage and the order"
    );
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert!(
        t.never_told(&client, "внутреннее"),
        "internal files are never shown"
    );
    running.stop().await;
}

#[tokio::test]
async fn a_clients_album_reaches_the_staff_as_one_album() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Прочее").await;
    t.fake.send_text(&staff, "Пришлите фото, пожалуйста");
    t.bot_message(&client, |m| m.body().contains("Пришлите фото"))
        .await;

    let photos = (0..2u8).map(|i| AlbumItem::photo(vec![i; 700])).collect();
    t.fake.send_album(&client, photos, Some("Вот тут стучит"));
    let switch = t
        .bot_message(&staff, |m| {
            m.button_texts()
                .iter()
                .any(|b| b.starts_with("Перейти в заказ-наряд"))
        })
        .await;
    assert!(
        switch
            .body()
            .contains("Ответ клиента по заказ-наряду ЗН-004512")
    );
    let album: Vec<_> = t
        .fake
        .sent_to(staff.id)
        .into_iter()
        .filter(|m| m.method == "sendMediaGroup")
        .collect();
    assert_eq!(album.len(), 2, "one album of two");
    assert_eq!(t.fake.requests("sendMediaGroup"), 1);
    assert!(album[0].body().contains("Вот тут стучит"));
    let from_client = t.env.root.join(ORDER).join("FromClient");
    assert!(
        eventually(|| std::fs::read_dir(&from_client)
            .map(|d| d.count())
            .unwrap_or(0)
            == 2)
        .await,
        "both saved under FromClient"
    );
    running.stop().await;
}

#[tokio::test]
async fn the_item_shows_the_decision_and_an_older_notice_fixes_nothing_newer() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, RECOMMENDATIONS).await;
    t.fake
        .send_photo(&staff, vec![7; 1500], Some("Замена колодок — 4 500 ₽"));
    t.bot_message(&client, |m| m.body().contains("Замена колодок"))
        .await;

    t.press(&client, "❌ Отказаться").await;
    let declined = t
        .bot_message(&staff, |m| {
            m.body().contains("отказался от «Замена колодок")
        })
        .await;
    // The item's own buttons say what was chosen, and still let the client change it.
    let item = t
        .bot_message(&client, |m| {
            m.button_texts().contains(&"✔ ❌ Отказаться".to_owned())
        })
        .await;
    assert_eq!(item.button_texts(), ["✅ Согласовать", "✔ ❌ Отказаться"]);

    t.press(&client, "✅ Согласовать").await;
    t.bot_message(&staff, |m| m.body().contains("согласовал «Замена колодок"))
        .await;
    // The older notice (the decline) fixes nothing: the client has changed their mind since.
    let query = t
        .fake
        .press_button_on(&staff, declined.message_id, "🔒 Зафиксировать решение");
    let answer = t.answer_of(&query).await;
    assert!(
        answer
            .text
            .as_deref()
            .is_some_and(|a| a.contains("изменил решение")),
        "{answer:?}"
    );
    let request = t
        .env
        .store()
        .approvals()
        .request(1)
        .expect("request")
        .expect("recorded");
    assert_eq!(request.closed_at, None, "nothing was fixed");

    // The newest notice fixes the decision it reports.
    let fixed = t.press(&staff, "🔒 Зафиксировать решение").await;
    assert_eq!(fixed.text.as_deref(), Some("Решение зафиксировано."));
    assert!(
        eventually(|| t
            .env
            .store()
            .approvals()
            .request(1)
            .expect("request")
            .is_some_and(|r| r.closed_at.is_some()))
        .await
    );
    running.stop().await;
}
