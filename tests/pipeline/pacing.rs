//! The bot on Telegram's real limits: the fake refuses with 429 whatever exceeds them, and the
//! bot's own pacing keeps it from ever being refused, while every message arrives in order.

use servicebot_app::BotTuning;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv};

use super::ORDER;

#[tokio::test]
async fn a_series_to_one_client_stays_within_telegrams_limits_and_in_order() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 912 345-67-89");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    t.fake.enforce_limits(true);
    let (_app, running) = t.start_app_tuned(BotTuning::default()).await;
    t.enter_order(&staff, "a123", ORDER, "Прочее").await;

    const TEXTS: usize = 6;
    for n in 1..=TEXTS {
        t.fake.send_text(&staff, &format!("Сообщение {n}"));
    }
    let sent = t.fake.wait_for_sent(client.id, TEXTS, BOT_TIMEOUT).await;
    let bodies: Vec<String> = sent
        .iter()
        .filter_map(|m| m.text.as_deref())
        .filter_map(|text| text.rsplit('\n').next())
        .filter(|line| line.starts_with("Сообщение"))
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> = (1..=TEXTS).map(|n| format!("Сообщение {n}")).collect();
    assert_eq!(bodies, expected, "every text once, in order");
    // The staff member's receipts are edited to "delivered" within the same limits.
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(staff.id)
                .iter()
                .filter(|m| m.body().starts_with("✉️ Доставлено"))
                .count()
                == TEXTS)
            .await,
        "every receipt says delivered"
    );
    assert_eq!(
        t.fake.limit_refusals_total(),
        0,
        "the bot paced itself: Telegram never had to refuse"
    );
    running.stop().await;
}
