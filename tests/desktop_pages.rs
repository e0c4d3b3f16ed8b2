//! The manager's pages end to end: the real desktop app under Xvfb driven over WebDriver, a
//! fake Telegram, temporary folders. A user promoted in Пользователи can use /order in the
//! fake, a blocked one is refused; a Cyrillic plate is found with Latin letters; the calendar
//! counts; an order's timeline shows the thumbnail of a photo sent through the fake and the
//! client's reply; the invite's QR code, read back from a screenshot, is the order's t.me link;
//! the evidence pack's hashes equal the files on disk. Screenshots of every page.

use std::time::Duration;

use servicebot_fake_telegram::{BOT_USERNAME, FakeTelegram, TgUser};
use servicebot_tests::desktop::{Desktop, screenshot_path};
use servicebot_tests::webdriver::Session;

const BOT: Duration = Duration::from_secs(20);
const ORDER: &str = "ЗН-000101 А123ВС77";
const STAGE: &str = "Приёмка автомобиля";

/// Waits until a bot message to `user`, after the first `after`, contains `needle`.
async fn told(fake: &FakeTelegram, user: &TgUser, after: usize, needle: &str) {
    let found = fake
        .wait_until(BOT, |f| {
            f.chat_history(user.id)
                .iter()
                .skip(after)
                .any(|m| m.from_bot && m.body().contains(needle))
        })
        .await;
    let history: Vec<String> = fake
        .chat_history(user.id)
        .iter()
        .map(|m| m.body().to_owned())
        .collect();
    assert!(
        found,
        "{} was not told {needle:?}: {history:?}",
        user.first_name
    );
}

async fn nav(session: &Session, page: &str) {
    let button = session
        .wait_for(&format!("[data-testid='nav-{page}']"))
        .await;
    session.click(&button).await;
    session.wait_for(&format!("[data-page='{page}']")).await;
}

/// Chooses `value` in the `<select>` of `field` as a user does (the change event fires).
async fn choose(session: &Session, field: &str, value: &str) {
    let select = session.wait_for(&format!("[data-field='{field}']")).await;
    session.click(&select).await;
    let option = session
        .wait_for(&format!("[data-field='{field}'] option[value='{value}']"))
        .await;
    session.click(&option).await;
}

fn jpeg(shade: u8) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(800, 600, |x, y| {
        image::Rgb([shade, (x % 255) as u8, (y % 255) as u8])
    })
    .write_to(&mut bytes, image::ImageFormat::Jpeg)
    .expect("jpeg");
    bytes.into_inner()
}

/// The text of the QR code in the PNG at `path`.
fn read_qr(path: &std::path::Path) -> String {
    let picture = image::open(path).expect("the screenshot").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    assert!(!grids.is_empty(), "no QR code in {}", path.display());
    grids[0].decode().expect("the QR code decodes").1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_runs_users_orders_invites_timelines_and_evidence_from_the_window() {
    let desktop = Desktop::configured("").await;
    desktop.write_ready_config();
    let order_dir = desktop.root.join(ORDER);
    std::fs::create_dir_all(&order_dir).expect("order");
    std::fs::write(order_dir.join("phone.txt"), "+7 912 345-67-89\n").expect("phones");
    std::fs::create_dir_all(desktop.root.join("ЗН-000102 В777ОР99")).expect("order");
    let fake = &desktop.fake;
    let session = desktop.open().await;
    session
        .wait_for_text("[data-testid='bot-headline']", |t| t.contains("Работает"))
        .await;

    // Two people press Start: a client with the order's phone, and a future technician.
    let anna = fake.user("Анна");
    fake.send_command(&anna, "/start");
    told(fake, &anna, 0, "").await;
    fake.send_contact(&anna, "+7 912 345-67-89", Some(anna.id));
    told(fake, &anna, 1, "Номер подтверждён").await;
    let ivan = fake.user("Иван");
    fake.send_command(&ivan, "/start");
    told(fake, &ivan, 0, "").await;

    // Пользователи: no admin yet, so the first-admin flow shows; Иван becomes staff.
    nav(&session, "users").await;
    session.wait_for("[data-testid='first-admin']").await;
    session
        .wait_for(&format!("[data-testid='user-name-{}']", ivan.id))
        .await;
    session
        .screenshot(&screenshot_path("users-first-admin"))
        .await;
    choose(&session, &format!("user-level-{}", ivan.id), "2").await;
    session
        .wait_for_text("[data-testid='users-saved']", |t| t.contains("Иван"))
        .await;
    let before = fake.chat_history(ivan.id).len();
    fake.send_command(&ivan, "/order");
    told(fake, &ivan, before, "Выберите день или найдите заказ-наряд").await;

    // Иван sends a photo in the order; Анна gets it and replies.
    let before = fake.chat_history(ivan.id).len();
    fake.send_command(&ivan, "/order 000101");
    assert!(
        fake.wait_until(BOT, |f| f
            .chat_history(ivan.id)
            .iter()
            .skip(before)
            .any(|m| m.button_texts().iter().any(|b| b == ORDER)))
            .await,
        "the order is offered"
    );
    fake.press_button(&ivan, ORDER);
    assert!(
        fake.wait_until(BOT, |f| f
            .sent_to(ivan.id)
            .iter()
            .any(|m| m.button_texts().iter().any(|b| b == STAGE)))
            .await,
        "the stages are offered"
    );
    fake.press_button(&ivan, STAGE);
    assert!(
        fake.wait_until(BOT, |f| f
            .sent_to(ivan.id)
            .iter()
            .any(|m| m.pinned && m.body().contains(STAGE)))
            .await,
        "the card shows the stage"
    );
    let anna_had = fake.chat_history(anna.id).len();
    fake.send_photo(&ivan, jpeg(120), Some("Царапина на двери"));
    assert!(
        fake.wait_until(BOT, |f| f
            .chat_history(anna.id)
            .iter()
            .skip(anna_had)
            .any(|m| m.from_bot && m.media.is_some()))
            .await,
        "Анна receives the photo"
    );
    fake.send_text(&anna, "Откуда царапина?");
    told(fake, &ivan, before, "Откуда царапина?").await;
    let inspection = order_dir.join("Inspection");
    assert!(
        servicebot_tests::wait_for(BOT, || std::fs::read_dir(&inspection)
            .map(|d| d.count() == 1)
            .unwrap_or(false)),
        "the photo is stored"
    );

    // Заказ-наряды: the Cyrillic plate found with Latin letters; the calendar's count.
    nav(&session, "orders").await;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let day = session
        .wait_for(&format!("[data-day='{today}'][data-count='2']"))
        .await;
    let search = session.wait_for("[data-field='orders-search']").await;
    session.type_into(&search, "a123bc").await;
    session
        .wait_for_text("[data-testid='orders-heading']", |t| {
            t.contains("Найдено: 1")
        })
        .await;
    let found = session
        .wait_for_text("[data-testid='orders-list']", |t| t.contains("ЗН-000101"))
        .await;
    assert!(!found.contains("ЗН-000102"), "{found}");
    session.screenshot(&screenshot_path("orders")).await;
    session.click(&day).await;
    session
        .wait_for_text("[data-testid='orders-heading']", |t| t.contains(": 2"))
        .await;

    // The order's page: the client, the stage's file, the timeline with the thumbnail and the
    // reply, the invite's QR code.
    let open = session.wait_for(&format!("[data-order='{ORDER}']")).await;
    session.click(&open).await;
    session
        .wait_for_text("[data-testid='order-phones']", |t| t.contains("Анна"))
        .await;
    session
        .wait_for("[data-stage='Inspection'][data-files='1']")
        .await;
    // Thumbnails load as they come into view, as the manager scrolls to them.
    let thumb = session.wait_for("[data-thumb]").await;
    session.click(&thumb).await;
    session
        .wait_for("[data-thumb][data-loaded='true'] img")
        .await;
    let timeline = session
        .wait_for_text("[data-testid='timeline']", |t| {
            t.contains("Откуда царапина?")
        })
        .await;
    assert!(timeline.contains("Царапина на двери"), "{timeline}");
    session.wait_for("[data-field='invite-url']").await;
    let url = session
        .execute(
            "return document.querySelector(\"[data-field='invite-url']\").value;",
            serde_json::json!([]),
        )
        .await;
    let url = url.as_str().expect("the link").to_owned();
    assert!(
        url.starts_with(&format!("https://t.me/{BOT_USERNAME}?start=")),
        "{url}"
    );
    // The QR code in view for the screenshot.
    session
        .execute(
            "document.querySelector(\"[data-testid='invite-qr']\").scrollIntoView({block: 'center'});",
            serde_json::json!([]),
        )
        .await;
    let shot = screenshot_path("order");
    session.screenshot(&shot).await;
    assert_eq!(
        read_qr(&shot),
        url,
        "the QR code is the order's invite link"
    );

    // Экспорт: the pack lands in the order folder with the files' true hashes.
    let export = session.wait_for("[data-testid='order-export']").await;
    session.click(&export).await;
    let said = session
        .wait_for_text("[data-testid='order-exported']", |t| t.contains(".html"))
        .await;
    let path = said
        .split_once(": ")
        .map(|(_, p)| p.trim().to_owned())
        .expect("the path");
    let html = std::fs::read_to_string(&path).expect("the pack");
    assert!(
        std::path::Path::new(&path).starts_with(&order_dir),
        "{path}"
    );
    let hashes: Vec<&str> = html
        .split("data-sha256=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut on_disk = Vec::new();
    for file in std::fs::read_dir(&inspection).expect("stage").flatten() {
        on_disk.push(servicebot_app::sha256_of(&file.path()).expect("hash"));
    }
    assert_eq!(hashes, on_disk, "every file's hash equals the file on disk");

    // Состояние lists Анна as waiting for an answer.
    nav(&session, "status").await;
    session
        .wait_for_text("[data-testid='unanswered']", |t| t.contains("Анна"))
        .await;
    session.screenshot(&screenshot_path("status-waiting")).await;

    // Blocking Анна: the bot refuses her.
    nav(&session, "users").await;
    let toggle = session
        .wait_for(&format!("[data-testid='user-toggle-{}']", anna.id))
        .await;
    session.click(&toggle).await;
    session
        .wait_for_text(&format!("[data-testid='user-active-{}']", anna.id), |t| {
            t.contains("заблокирован")
        })
        .await;
    session.screenshot(&screenshot_path("users")).await;
    let before = fake.chat_history(anna.id).len();
    fake.send_text(&anna, "Алло?");
    told(fake, &anna, before, "Доступ к боту закрыт").await;
    session.quit().await;
}
