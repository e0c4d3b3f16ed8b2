//! Staff media end to end: saved into the stage folder with the right names and hashes,
//! relayed to connected clients by file id (albums as albums), one honest receipt each.

use std::path::Path;
use std::time::Duration;

use servicebot_core::store::{MediaKind, RelayStatus, StorageStatus};
use servicebot_fake_telegram::{AlbumItem, FakeTelegram, SentMessage, TgUser};
use servicebot_tests::telegram::{BOT_TIMEOUT, Scene, TelegramEnv, eventually, scene};
use sha2::{Digest, Sha256};

const ORDER: &str = "ЗН-004512 А123ВС77";

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|l| {
            l.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The receipts (bot messages starting with a receipt mark) in the staff chat.
fn receipts(fake: &FakeTelegram, staff: &TgUser) -> Vec<String> {
    fake.sent_to(staff.id)
        .into_iter()
        .map(|m| m.body().to_owned())
        .filter(|b| {
            ["✅", "🔒", "⏳", "❌", "⚠️ Файл"]
                .iter()
                .any(|mark| b.starts_with(mark))
        })
        .collect()
}

/// A receipt still saying "received, saving…": it is edited once its files and relays end.
const IN_PROGRESS: &str = "⏳ Принято";

/// Waits for `count` receipts that say how their batch ended.
async fn wait_receipts(t: &TelegramEnv, staff: &TgUser, count: usize) -> Vec<String> {
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| {
                let receipts = receipts(f, staff);
                receipts.len() >= count && !receipts.iter().any(|r| r.starts_with(IN_PROGRESS))
            })
            .await,
        "expected {count} receipts, got {:?}",
        receipts(&t.fake, staff)
    );
    receipts(&t.fake, staff)
}

fn media_of(message: &SentMessage) -> (MediaKind, String) {
    let media = message.media.as_ref().expect("a media message");
    let kind = match media.kind {
        servicebot_fake_telegram::MediaKind::Photo => MediaKind::Photo,
        servicebot_fake_telegram::MediaKind::Video => MediaKind::Video,
        servicebot_fake_telegram::MediaKind::Document => MediaKind::Document,
        servicebot_fake_telegram::MediaKind::Voice => MediaKind::Voice,
        servicebot_fake_telegram::MediaKind::VideoNote => MediaKind::VideoNote,
        servicebot_fake_telegram::MediaKind::Audio => MediaKind::Audio,
    };
    (kind, media.file_id.clone())
}

#[tokio::test]
async fn photo_video_document_and_voice_are_saved_named_hashed_and_relayed_by_file_id() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 (912) 345-67-89");
    let staff = t.staff("Иван Мастер");
    let client = t.client("Анна", "89123456789");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Приёмка автомобиля")
        .await;

    let photo = vec![0xFF; 100 * 1024];
    let video = vec![0x11; 50_000];
    let pdf = b"%PDF-1.4 smeta".to_vec();
    let voice = vec![0x22; 3000];
    t.fake
        .send_photo(&staff, photo.clone(), Some("Царапина на двери"));
    wait_receipts(&t, &staff, 1).await;
    t.fake.send_video(&staff, video.clone(), None);
    wait_receipts(&t, &staff, 2).await;
    t.fake
        .send_document(&staff, "Смета №5.pdf", "application/pdf", pdf.clone(), None);
    wait_receipts(&t, &staff, 3).await;
    t.fake.send_voice(&staff, voice.clone());
    let all = wait_receipts(&t, &staff, 4).await;
    assert!(
        all.iter()
            .all(|r| r == "✅ Сохранено 1 файл и отправлено: Анна."),
        "{all:?}"
    );

    let dir = t.env.root.join(ORDER).join("Inspection");
    let names = files_in(&dir);
    assert_eq!(names.len(), 4, "{names:?}");
    let pattern = |suffix: &str| {
        names
            .iter()
            .find(|n| n.ends_with(suffix))
            .cloned()
            .unwrap_or_else(|| panic!("no *{suffix} in {names:?}"))
    };
    for (suffix, bytes) in [
        ("_Иван_Мастер_1.jpg", &photo),
        ("_Иван_Мастер_1.mp4", &video),
        ("_Иван_Мастер_1_Смета №5.pdf", &pdf),
        ("_Иван_Мастер_1.ogg", &voice),
    ] {
        let name = pattern(suffix);
        assert_eq!(
            name.len() - suffix.len(),
            "2026-11-23_21-22-23".len(),
            "timestamp prefix in {name}"
        );
        assert_eq!(
            &std::fs::read(dir.join(&name)).expect("read"),
            bytes,
            "content of {name}"
        );
    }
    let records = t.env.store().media().by_order("ЗН-004512").expect("media");
    assert_eq!(records.len(), 4);
    for record in &records {
        let path = record.media.path.as_deref().expect("stored path");
        let bytes = std::fs::read(path).expect("read");
        assert_eq!(
            record.media.sha256.as_deref(),
            Some(hex::encode(Sha256::digest(&bytes)).as_str())
        );
        assert_eq!(
            (record.media.storage, record.media.relay),
            (StorageStatus::Stored, RelayStatus::Sent)
        );
    }

    let sent = t.fake.wait_for_sent(client.id, 4, BOT_TIMEOUT).await;
    let staff_files: Vec<(MediaKind, String)> = t
        .fake
        .chat_history(staff.id)
        .iter()
        .filter(|m| !m.from_bot && m.media.is_some())
        .map(media_of)
        .collect();
    let client_files: Vec<(MediaKind, String)> = sent.iter().map(media_of).collect();
    assert_eq!(
        client_files, staff_files,
        "relayed by the same file ids, in order"
    );
    assert!(
        sent.iter().all(|m| m.method == "copyMessage"),
        "copies, never re-uploads"
    );
    assert_eq!(
        t.fake.requests("sendPhoto")
            + t.fake.requests("sendVideo")
            + t.fake.requests("sendDocument"),
        0
    );
    assert_eq!(
        sent[0].caption.as_deref(),
        Some("<b>Приёмка автомобиля</b> · ЗН-004512\nЦарапина на двери")
    );
    running.stop().await;
}

#[tokio::test]
async fn how_long_staff_videos_and_voice_messages_play_reaches_the_database_and_the_timeline() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "+7 (912) 345-67-89");
    let staff = t.staff("Иван Мастер");
    t.client("Анна", "89123456789");
    let (app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Приёмка автомобиля")
        .await;

    t.fake.send_file(
        &staff,
        AlbumItem::video(vec![0x11; 5000]).lasting(65),
        Some("Стук в подвеске"),
    );
    wait_receipts(&t, &staff, 1).await;
    t.fake.send_file(
        &staff,
        AlbumItem::voice(vec![0x22; 300]).lasting(3723),
        None,
    );
    wait_receipts(&t, &staff, 2).await;
    // An album's items wait in the database until it closes: the length survives that too.
    t.fake.send_album(
        &staff,
        vec![
            AlbumItem::photo(vec![0xFF; 2000]),
            AlbumItem::video(vec![0x33; 4000]).lasting(42),
        ],
        None,
    );
    wait_receipts(&t, &staff, 3).await;

    let recorded: Vec<(MediaKind, Option<u32>)> = t
        .env
        .store()
        .media()
        .by_order("ЗН-004512")
        .expect("media")
        .iter()
        .map(|r| (r.media.kind, r.media.duration_secs))
        .collect();
    assert_eq!(
        recorded,
        [
            (MediaKind::Video, Some(65)),
            (MediaKind::Voice, Some(3723)),
            (MediaKind::Photo, None),
            (MediaKind::Video, Some(42)),
        ],
        "Telegram's duration recorded with each file"
    );
    let shown: Vec<(String, Option<String>)> = app
        .order_timeline(ORDER)
        .expect("timeline")
        .items
        .into_iter()
        .filter_map(|item| item.media)
        .map(|m| (m.kind, m.duration))
        .collect();
    let expected = [
        ("video", Some("1:05")),
        ("voice", Some("1:02:03")),
        ("photo", None),
        ("video", Some("0:42")),
    ]
    .map(|(kind, shown)| (kind.to_owned(), shown.map(str::to_owned)));
    assert_eq!(
        shown, expected,
        "the order's timeline says how long each plays"
    );
    running.stop().await;
}

#[tokio::test]
async fn an_album_of_ten_photos_is_one_album_and_one_receipt() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Кузовные повреждения").await;
    let photos: Vec<AlbumItem> = (0..10u8).map(|i| AlbumItem::photo(vec![i; 2000])).collect();
    t.fake.send_album(&staff, photos, Some("Бампер"));
    let sent = t.fake.wait_for_sent(client.id, 10, BOT_TIMEOUT).await;
    assert_eq!(t.fake.requests("sendMediaGroup"), 1, "one album");
    assert!(
        sent.iter()
            .all(|m| m.media_group_id.is_some() && m.media_group_id == sent[0].media_group_id)
    );
    assert_eq!(
        sent[0].caption.as_deref(),
        Some("<b>Кузовные повреждения</b> · ЗН-004512\nБампер")
    );
    let all = wait_receipts(&t, &staff, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        receipts(&t.fake, &staff),
        ["✅ Сохранено 10 файлов и отправлено: Анна."],
        "one receipt: {all:?}"
    );
    assert_eq!(
        files_in(&t.env.root.join(ORDER).join("BodyDamage")).len(),
        10
    );
    running.stop().await;
}

#[tokio::test]
async fn an_album_mixing_photos_and_a_document_is_split_by_telegram_rules() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    let items = vec![
        AlbumItem::photo(vec![1; 500]),
        AlbumItem::document("act.pdf", "application/pdf", vec![2; 500]),
        AlbumItem::photo(vec![3; 500]),
    ];
    t.fake.send_album(&staff, items, None);
    let sent = t.fake.wait_for_sent(client.id, 3, BOT_TIMEOUT).await;
    let albums: Vec<_> = sent
        .iter()
        .filter(|m| m.method == "sendMediaGroup")
        .collect();
    assert_eq!(albums.len(), 2, "the two photos as an album");
    assert!(sent.iter().any(|m| {
        m.method == "copyMessage"
            && m.media
                .as_ref()
                .is_some_and(|x| x.kind == servicebot_fake_telegram::MediaKind::Document)
    }));
    assert_eq!(
        wait_receipts(&t, &staff, 1).await,
        ["✅ Сохранено 3 файла и отправлено: Анна."]
    );
    running.stop().await;
}

#[tokio::test]
async fn the_service_stage_never_reaches_the_client() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Для сервисных нужд").await;
    t.fake.send_photo(&staff, vec![9; 1000], Some("внутреннее"));
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert!(
        receipt[0].starts_with("🔒 Сохранено 1 файл для сервисных нужд"),
        "{receipt:?}"
    );
    assert_eq!(files_in(&t.env.root.join(ORDER).join("Service")).len(), 1);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        t.fake.sent_to(client.id).is_empty(),
        "nothing from the service stage reaches the client"
    );
    let record = &t.env.store().media().by_order("ЗН-004512").expect("media")[0];
    assert_eq!(record.media.relay, RelayStatus::Internal);
    running.stop().await;
}

#[tokio::test]
async fn no_client_no_order_and_too_big_files_get_honest_receipts() {
    let t = TelegramEnv::start().await;
    t.env.order(ORDER);
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.fake.send_photo(&staff, vec![1; 100], None);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f
                .sent_to(staff.id)
                .iter()
                .any(|m| m.body().contains("Сначала выберите заказ-наряд")))
            .await
    );
    t.enter_order(&staff, "a123", ORDER, "Прочее").await;
    t.fake.send_photo(&staff, vec![1; 100], None);
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert!(receipt[0].contains("Клиент не подключён"), "{receipt:?}");
    t.fake.send_video(&staff, vec![0; 21 * 1024 * 1024], None);
    let receipt = wait_receipts(&t, &staff, 2).await;
    assert!(receipt[1].contains("больше 20 МБ"), "{receipt:?}");
    assert!(
        !receipt[1].contains("Сохранено"),
        "never 'saved' when it was not"
    );
    assert_eq!(
        files_in(&t.env.root.join(ORDER).join("Other")).len(),
        1,
        "only the photo is stored"
    );
    let records = t.env.store().media().by_order("ЗН-004512").expect("media");
    assert_eq!(
        records
            .iter()
            .filter(|r| r.media.storage == StorageStatus::TooBig)
            .count(),
        1
    );
    running.stop().await;
}

#[tokio::test]
async fn a_file_over_20_mb_still_reaches_the_client() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    t.fake
        .send_video(&staff, vec![0; 21 * 1024 * 1024], Some("Видео ходовой"));
    let sent = t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    assert_eq!(
        sent[0].media.as_ref().map(|m| m.size),
        Some(21 * 1024 * 1024)
    );
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert!(
        receipt[0].contains("больше 20 МБ") && receipt[0].contains("клиенту отправлен"),
        "{receipt:?}"
    );
    running.stop().await;
}

#[tokio::test]
async fn a_local_bot_api_server_lets_large_files_be_stored() {
    let t = TelegramEnv::start_local().await;
    t.env.order(ORDER);
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Прочее").await;
    let big = vec![7u8; 25 * 1024 * 1024];
    t.fake.send_video(&staff, big.clone(), None);
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert!(receipt[0].starts_with("✅ Сохранено 1 файл"), "{receipt:?}");
    let names = files_in(&t.env.root.join(ORDER).join("Other"));
    assert_eq!(
        std::fs::metadata(t.env.root.join(ORDER).join("Other").join(&names[0]))
            .expect("file")
            .len(),
        big.len() as u64
    );
    running.stop().await;
}

#[tokio::test]
async fn an_unreachable_orders_folder_holds_files_and_places_them_when_back() {
    let t = TelegramEnv::start().await;
    t.env.order(ORDER);
    let staff = t.staff("Иван");
    let (_app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, "Прочее").await;
    let away = t.env.base().join("Photo-unplugged");
    std::fs::rename(&t.env.root, &away).expect("unplug");
    t.fake.send_photo(&staff, vec![5; 4000], None);
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert!(
        receipt[0].starts_with("⏳ Папка заказов недоступна: 1 файл ожидает"),
        "{receipt:?}"
    );
    std::fs::rename(&away, &t.env.root).expect("plug back");
    let dir = t.env.root.join(ORDER).join("Other");
    assert!(
        t.fake
            .wait_until(Duration::from_secs(30), |_| files_in(&dir).len() == 1)
            .await,
        "the held file is placed"
    );
    assert_eq!(
        std::fs::read(dir.join(&files_in(&dir)[0])).expect("read"),
        vec![5; 4000]
    );
    let stored = || {
        t.env
            .store()
            .media()
            .by_order("ЗН-004512")
            .expect("media")
            .iter()
            .all(|r| r.media.storage == StorageStatus::Stored)
    };
    assert!(eventually(stored).await, "the record follows the file");
    running.stop().await;
}

#[tokio::test]
async fn two_staff_in_two_orders_of_one_client_never_cross_and_two_clients_both_get_files() {
    let t = TelegramEnv::start().await;
    t.env
        .order_with_phones("ЗН-1 А111АА77", "89123456789\n89990001122");
    t.env.order_with_phones("ЗН-2 В222ВВ77", "89123456789");
    let first = t.staff("Иван");
    let second = t.staff("Олег");
    let shared_client = t.client("Анна", "+79123456789");
    let other_client = t.client("Борис", "+79990001122");
    let (_app, running) = t.start_app().await;
    t.enter_order(&first, "a111", "ЗН-1 А111АА77", "Прочее")
        .await;
    t.enter_order(&second, "b222", "ЗН-2 В222ВВ77", "Прочее")
        .await;
    t.fake.send_photo(&first, vec![1; 500], Some("из первого"));
    t.fake.send_photo(&second, vec![2; 500], Some("из второго"));
    let sent = t.fake.wait_for_sent(shared_client.id, 2, BOT_TIMEOUT).await;
    for message in &sent {
        let caption = message.caption.as_deref().unwrap_or_default();
        let from_first = caption.contains("из первого");
        assert_eq!(
            caption.contains("ЗН-1"),
            from_first,
            "the caption names the order the file belongs to: {caption}"
        );
        assert_eq!(caption.contains("ЗН-2"), !from_first, "{caption}");
    }
    let other = t.fake.wait_for_sent(other_client.id, 1, BOT_TIMEOUT).await;
    assert!(
        other[0]
            .caption
            .as_deref()
            .is_some_and(|c| c.contains("ЗН-1"))
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        t.fake.sent_to(other_client.id).len(),
        1,
        "Борис is not a client of ЗН-2"
    );
    running.stop().await;
}

#[tokio::test]
async fn the_outbox_survives_a_rate_limit_and_a_restart() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;

    // 429: the request waits `retry_after` and goes through.
    t.fake.inject(
        "copyMessage",
        servicebot_fake_telegram::Fault::TooManyRequests { retry_after: 1 },
        1,
    );
    t.fake.send_photo(&staff, vec![3; 700], None);
    t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    assert_eq!(t.fake.requests("copyMessage"), 2, "refused once, sent once");

    // A dropped connection: the item stays queued in SQLite; the bot stops before the retry.
    t.fake.inject(
        "copyMessage",
        servicebot_fake_telegram::Fault::DropConnection,
        1,
    );
    t.fake.send_photo(&staff, vec![4; 700], None);
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f.requests("copyMessage") == 3)
            .await,
        "the attempt failed"
    );
    running.stop().await;
    assert_eq!(
        t.fake.sent_to(client.id).len(),
        1,
        "the second photo was not delivered before the restart"
    );
    let waiting = t
        .env
        .store()
        .outbox()
        .heads(100)
        .expect("heads")
        .into_iter()
        .filter(|item| item.chat_id == client.id)
        .count();
    assert_eq!(waiting, 1, "the client's photo waits in the outbox");

    let (_app, running) = t.start_app().await;
    let sent = t.fake.wait_for_sent(client.id, 2, BOT_TIMEOUT).await;
    assert_eq!(sent.len(), 2, "delivered once, after the restart");
    let files: Vec<String> = t
        .env
        .store()
        .media()
        .by_order("ЗН-004512")
        .expect("media")
        .into_iter()
        .map(|r| r.media.file_id)
        .collect();
    assert_eq!(sent[1].media.as_ref().map(|m| &m.file_id), files.get(1));
    let drained = || t.env.store().outbox().pending_count().expect("count") == 0;
    assert!(eventually(drained).await, "the outbox records the delivery");
    running.stop().await;
}

#[tokio::test]
async fn a_redelivered_update_is_not_handled_twice() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    let photo_update = t.fake.next_update_id();
    t.fake.send_photo(&staff, vec![6; 800], None);
    t.fake.wait_for_sent(client.id, 1, BOT_TIMEOUT).await;
    wait_receipts(&t, &staff, 1).await;
    running.stop().await;

    // Telegram sends it again after the restart, as if the confirmation had been lost.
    t.fake.redeliver_from(photo_update);
    let (_app2, running) = t.start_app().await;
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| f.pending_updates() == 0)
            .await,
        "the redelivered update was fetched"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        files_in(&t.env.root.join(ORDER).join("Other")).len(),
        1,
        "saved once"
    );
    assert_eq!(t.fake.sent_to(client.id).len(), 1, "relayed once");
    assert_eq!(receipts(&t.fake, &staff).len(), 1, "one receipt");
    running.stop().await;
}

#[tokio::test]
async fn an_album_is_filed_where_it_was_sent_even_if_the_stage_changes_at_once() {
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    let photos: Vec<AlbumItem> = (0..3u8).map(|i| AlbumItem::photo(vec![i; 800])).collect();
    t.fake.send_album(&staff, photos, Some("Шины"));
    // Straight on to the service stage, while the album is still being collected.
    t.fake.send_command(&staff, "/type");
    t.fake
        .wait_until(BOT_TIMEOUT, |f| {
            f.sent_to(staff.id)
                .iter()
                .any(|m| m.button_texts().iter().any(|b| b == "Для сервисных нужд"))
        })
        .await;
    t.fake.press_button(&staff, "Для сервисных нужд");
    let receipt = wait_receipts(&t, &staff, 1).await;
    assert_eq!(receipt, ["✅ Сохранено 3 файла и отправлено: Анна."]);
    assert_eq!(files_in(&t.env.root.join(ORDER).join("Other")).len(), 3);
    assert!(files_in(&t.env.root.join(ORDER).join("Service")).is_empty());
    t.fake.wait_for_sent(client.id, 3, BOT_TIMEOUT).await;
    running.stop().await;
}
