//! Faults: a fifth of all Bot API calls failing, and Telegram unreachable for a while. Each
//! time every text arrives once and in order, every file is stored once.

use std::time::{Duration, Instant};

use servicebot_app::BotStatus;
use servicebot_fake_telegram::{AlbumItem, FakeTelegram, Fault, SentMessage};
use servicebot_tests::telegram::{BOT_TIMEOUT, wait_for_status};

use super::*;

// ---------------------------------------------------------------------------------------------
// 2. A fifth of all calls failing
// ---------------------------------------------------------------------------------------------

/// How long the fault test waits for everything to end (faults add retries with backoff, and
/// the staff chat's 24 receipt messages and edits are paced at Telegram's one a second).
const FAULTY_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn twenty_percent_of_calls_failing_loses_and_duplicates_nothing() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    // Four rules for every call, Bot API methods and downloads alike. A later rule counts only
    // the calls the earlier ones let through: 5% + 95%·5% + 90%·6% + 85%·6% ≈ 20% of all calls.
    for (fault, percent) in [
        (Fault::TooManyRequests { retry_after: 1 }, 5),
        (Fault::ServerError { status: 500 }, 5),
        (Fault::ErrorPage { status: 502 }, 6),
        (Fault::DropConnection, 6),
    ] {
        t.fake.inject_percent("*", fault, percent);
    }
    let calls_before = total_calls(&t.fake);
    let (asked_before, effective_before) = sends_and_edits(&t.fake, &[staff.id, client.id]);

    let mut texts = Vec::new();
    let mut hashes = Vec::new();
    let album = |n: u8, hashes: &mut Vec<String>| {
        let items: Vec<AlbumItem> = (0..3u8)
            .map(|i| {
                let bytes = vec![n * 10 + i; 2500 + usize::from(n * 10 + i)];
                hashes.push(sha256(&bytes));
                AlbumItem::photo(bytes)
            })
            .collect();
        t.fake.send_album(&staff, items, None);
    };
    for n in 1..=10 {
        let body = format!("Сообщение {n}");
        t.fake.send_text(&staff, &body);
        texts.push(body);
        match n {
            3 => album(1, &mut hashes),
            7 => album(2, &mut hashes),
            _ => {}
        }
    }
    hashes.sort();
    let albums = albums_of(&staff_files(&t.fake, &staff));
    let dir = t.env.root.join(ORDER).join("Other");

    let done = t
        .fake
        .wait_until(FAULTY_TIMEOUT, |f| {
            let receipts = receipts(f, &staff);
            receipts.len() >= 12
                && !receipts.iter().any(|r| in_progress(r))
                && bot_messages(f, client.id).len() >= 16
        })
        .await;
    let drained = servicebot_tests::telegram::eventually(|| {
        let store = t.env.store();
        store.outbox().pending_count().expect("outbox") == 0
            && store.file_jobs().pending_count().expect("jobs") == 0
    })
    .await;
    let sent = bot_messages(&t.fake, client.id);
    let context = format!(
        "done: {done}, drained: {drained}; receipts {:#?}; client got {:#?}",
        receipts(&t.fake, &staff),
        sent.iter()
            .map(|m| (
                m.method.as_str(),
                m.media_group_id.clone(),
                m.body().to_owned()
            ))
            .collect::<Vec<_>>()
    );
    let got: Vec<String> = sent.iter().filter_map(|m| text_from(m, "Иван")).collect();
    assert_eq!(got, texts, "every text once, in order; {context}");
    assert_albums(&sent, &albums);
    assert_eq!(sent.len(), 10 + 6, "{context}");
    assert_eq!(files_in(&dir).len(), 6, "{:?}; {context}", files_in(&dir));
    assert_eq!(hashes_in(&dir), hashes, "each file stored once");
    let receipts = receipts(&t.fake, &staff);
    let delivered = receipts
        .iter()
        .filter(|r| *r == "✉️ Доставлено: Анна.")
        .count();
    let saved = receipts
        .iter()
        .filter(|r| *r == "✅ Сохранено 3 файла и отправлено: Анна.")
        .count();
    assert_eq!(
        (receipts.len(), delivered, saved),
        (12, 10, 2),
        "one receipt per text and album, each ended well: {receipts:#?}"
    );
    assert!(done && drained, "{context}");
    let calls = total_calls(&t.fake) - calls_before;
    let (asked, effective) = sends_and_edits(&t.fake, &[staff.id, client.id]);
    let refused = (asked - asked_before) - (effective - effective_before);
    assert!(
        refused >= 3,
        "the faults hardly fired: {refused} of {} sends and edits failed",
        asked - asked_before
    );
    t.fake.clear_faults();
    running.stop().await;
    eprintln!(
        "twenty_percent_of_calls_failing_loses_and_duplicates_nothing: {:?}, {calls} Bot API \
         calls, {refused} of {} sends and edits failed and were retried",
        started.elapsed(),
        asked - asked_before
    );
}

/// Send and edit calls the bot made to these chats' methods, and how many took effect (a
/// message created, an album counting once, or an edit made).
fn sends_and_edits(fake: &FakeTelegram, chats: &[i64]) -> (u64, u64) {
    let methods = ["sendMessage", "copyMessage", "sendMediaGroup"];
    let asked: u64 = methods
        .iter()
        .chain(&["editMessageText"])
        .map(|m| fake.requests(m))
        .sum();
    let effective: usize = chats
        .iter()
        .map(|chat| {
            let sent: Vec<SentMessage> = bot_messages(fake, *chat)
                .into_iter()
                .filter(|m| methods.contains(&m.method.as_str()))
                .collect();
            let edits: u32 = sent.iter().map(|m| m.edits).sum();
            sends(&sent) + usize::try_from(edits).expect("edits")
        })
        .sum();
    (asked, u64::try_from(effective).expect("count"))
}

/// Bot API calls so far (downloads are not counted by the fake).
fn total_calls(fake: &FakeTelegram) -> u64 {
    [
        "getUpdates",
        "sendMessage",
        "copyMessage",
        "sendMediaGroup",
        "editMessageText",
        "getFile",
        "pinChatMessage",
        "answerCallbackQuery",
        "setMyCommands",
    ]
    .iter()
    .map(|m| fake.requests(m))
    .sum()
}

// ---------------------------------------------------------------------------------------------
// 3. Telegram unreachable for a while
// ---------------------------------------------------------------------------------------------

/// How long Telegram is unreachable: half a minute, as a short outage of the real one is (the
/// bot's backoff is capped at 30 s, so it is back within a poll of the outage ending).
const OUTAGE: Duration = Duration::from_secs(30);

#[tokio::test]
async fn telegram_down_for_a_while_then_back_delivers_everything() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    t.fake.send_text(&staff, "До обрыва");
    t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;

    t.fake.set_offline(true);
    let outage_started = Instant::now();
    let reported = wait_for_status(&running, |s| matches!(s, BotStatus::Error { .. })).await;
    assert!(
        reported,
        "the outage is not reported: {:?}",
        running.bot_status()
    );
    let texts = [
        "Во время обрыва 1",
        "Во время обрыва 2",
        "Во время обрыва 3",
    ];
    t.fake.send_text(&staff, texts[0]);
    t.fake
        .send_photo(&staff, vec![42; 4000], Some("Фото без связи"));
    t.fake.send_text(&staff, texts[1]);
    t.fake.send_text(&staff, texts[2]);
    // The outage itself: the network is simply gone for this long.
    tokio::time::sleep(OUTAGE.saturating_sub(outage_started.elapsed())).await;
    t.fake.set_offline(false);

    let back = wait_for_status(&running, |s| matches!(s, BotStatus::Running { .. })).await;
    assert!(
        back,
        "the bot did not return to running: {:?}",
        running.bot_status()
    );
    let done = t
        .fake
        .wait_until(Duration::from_secs(40), |f| {
            let receipts = receipts(f, &staff);
            receipts.len() >= 5
                && !receipts.iter().any(|r| in_progress(r))
                && bot_messages(f, client.id).len() >= 5
        })
        .await;
    let dir = t.env.root.join(ORDER).join("Other");
    let sent = bot_messages(&t.fake, client.id);
    let context = format!(
        "done: {done}; receipts {:#?}; client got {:#?}",
        receipts(&t.fake, &staff),
        sent.iter()
            .map(|m| (m.method.as_str(), m.body().to_owned()))
            .collect::<Vec<_>>()
    );
    let got: Vec<String> = sent.iter().filter_map(|m| text_from(m, "Иван")).collect();
    let mut expected = vec!["До обрыва".to_owned()];
    expected.extend(texts.iter().map(|s| (*s).to_owned()));
    assert_eq!(got, expected, "every text once, in order; {context}");
    let photos: Vec<&SentMessage> = sent.iter().filter(|m| is_photo(m)).collect();
    assert_eq!(photos.len(), 1, "the photo once; {context}");
    assert_eq!(
        photos[0].caption.as_deref(),
        Some(format!("<b>Прочее</b> · {ORDER_NO}\nФото без связи").as_str())
    );
    assert_eq!(sent.len(), 5, "{context}");
    assert_eq!(hashes_in(&dir), vec![sha256(&[42; 4000])], "saved once");
    assert!(done, "{context}");
    assert_eq!(
        running.bot_status(),
        BotStatus::Running {
            username: servicebot_fake_telegram::BOT_USERNAME.into()
        }
    );
    running.stop().await;
    eprintln!(
        "telegram_down_for_a_while_then_back_delivers_everything: {:?}",
        started.elapsed()
    );
}
