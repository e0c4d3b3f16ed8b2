//! The manager's pages at size: the users page with 10 000 users, order search at 100 000
//! orders, an order with 2 000 transcript entries and 500 photos, and thumbnails made per
//! second. Each page is timed as the host's command runs it (the call into `App`) plus its
//! JSON encoding, which is what crosses Tauri's IPC. `cargo bench -p servicebot-app --bench pages`.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark's set-up"
)]

use std::time::{Duration, Instant};

use chrono::{DateTime, Local, Utc};
use servicebot_app::App;
use servicebot_core::Phone;
use servicebot_core::store::{
    Direction, EntryKind, Level, MediaKind, NewEntry, NewMedia, RelayStatus, StorageStatus,
    TelegramProfile,
};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T: serde::Serialize>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let answer = f();
        bytes = serde_json::to_vec(&answer).expect("json").len();
        times.push(start.elapsed());
    }
    (median(times), bytes)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("Photo");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&root).expect("root");
    println!("making 100 000 order folders…");
    for n in 0..100_000 {
        let letters = ["А", "В", "Е", "К", "М", "Н", "О", "Р", "С", "Т"];
        let plate = format!(
            "{}{:03}{}{}77",
            letters[n % 10],
            n % 1000,
            letters[(n / 10) % 10],
            letters[(n / 100) % 10]
        );
        std::fs::create_dir(root.join(format!("ЗН-{n:06} {plate}"))).expect("order");
    }
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[orders]\nroot = {:?}\n[storage]\ndata_dir = {:?}\n",
            root.to_string_lossy(),
            data.to_string_lossy()
        ),
    )
    .expect("config");
    let env = |_: &str| None;
    let app = App::open(Some(&config), &env).expect("app");
    let store =
        servicebot_core::store::Store::open(&data.join(servicebot_core::store::DATABASE_FILE))
            .expect("store");
    let now: DateTime<Utc> = Utc::now();
    store
        .transaction(|s| -> Result<(), servicebot_core::store::StoreError> {
            for id in 1..=10_000_i64 {
                let profile = TelegramProfile {
                    telegram_id: id,
                    chat_id: id,
                    first_name: format!("Клиент {id}"),
                    last_name: Some("Иванов".into()),
                    username: Some(format!("user{id}")),
                };
                s.users().upsert_seen(&profile, now)?;
                let phone = Phone::normalize(&format!("79{id:09}"), "7").expect("phone");
                s.users().set_phone(id, &phone)?;
            }
            s.users().set_level(2, Level::Staff)?;
            Ok(())
        })
        .expect("users");
    app.orders_page("", 0, 1).expect("scan");

    let (users, users_bytes) = time(21, || app.users_page("", 0, 25).expect("page"));
    let (users_search, _) = time(21, || app.users_page("иванов 12", 0, 25).expect("page"));
    let (users_last, _) = time(21, || app.users_page("", 9_975, 25).expect("page"));
    let (search, search_bytes) = time(21, || app.orders_page("a12", 0, 50).expect("search"));
    let (calendar, _) = time(21, || {
        app.calendar_month(
            &Local::now().format("%Y-%m").to_string(),
            Local::now().date_naive(),
        )
        .expect("calendar")
    });

    // One order with 2 000 entries and 500 photos.
    let folder = "ЗН-000042 Е042МА77";
    let stage = root.join(folder).join("Inspection");
    std::fs::create_dir_all(&stage).expect("stage");
    let picture = image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut photos = Vec::new();
    store
        .transaction(|s| -> Result<(), servicebot_core::store::StoreError> {
            for n in 0..2_000_i64 {
                let at = now - chrono::Duration::minutes(2_000 - n);
                if n % 4 == 0 {
                    let path = stage.join(format!("photo_{n}.jpg"));
                    photos.push(path.clone());
                    let media = s.media().insert(&NewMedia {
                        order_no: "ЗН-000042".into(),
                        order_folder: folder.into(),
                        stage_folder: "Inspection".into(),
                        kind: MediaKind::Photo,
                        storage: StorageStatus::Stored,
                        path: Some(path.display().to_string()),
                        spool_id: None,
                        size: Some(300_000),
                        sha256: Some(format!("{n:064}")),
                        file_id: format!("f{n}"),
                        file_unique_id: format!("u{n}"),
                        author_id: 2,
                        media_group_id: None,
                        caption: Some("Царапина".into()),
                        relay: RelayStatus::Sent,
                        created_at: at,
                        duration_secs: None,
                    })?;
                    let mut e = NewEntry::new(
                        "ЗН-000042",
                        folder,
                        at,
                        Direction::StaffToClient,
                        EntryKind::Media,
                    );
                    e.author_id = Some(2);
                    e.media_id = Some(media);
                    s.transcript().append(&e)?;
                } else {
                    let direction = if n % 2 == 0 {
                        Direction::StaffToClient
                    } else {
                        Direction::ClientToStaff
                    };
                    let mut e = NewEntry::new("ЗН-000042", folder, at, direction, EntryKind::Text);
                    e.author_id = Some(if n % 2 == 0 { 2 } else { 3 });
                    e.text = Some(format!("Сообщение {n}: когда будет готово?"));
                    s.transcript().append(&e)?;
                }
            }
            Ok(())
        })
        .expect("transcript");
    for path in &photos {
        picture.save(path).expect("photo");
    }
    let (detail, _) = time(11, || app.order_detail(folder).expect("detail"));
    let (timeline, timeline_bytes) = time(11, || app.order_timeline(folder).expect("timeline"));
    let relative: Vec<String> = photos
        .iter()
        .map(|p| {
            format!(
                "{folder}/Inspection/{}",
                p.file_name().unwrap().to_string_lossy()
            )
        })
        .collect();
    let start = Instant::now();
    for path in relative.iter().take(50) {
        app.thumbnail(path).expect("thumbnail");
    }
    let made = start.elapsed();
    let start = Instant::now();
    for path in relative.iter().take(50) {
        app.thumbnail(path).expect("thumbnail");
    }
    let cached = start.elapsed();

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("| page (bench build, median) | the call and its JSON | JSON size |");
    println!("|---|---:|---:|");
    println!(
        "| users page, 10 000 users, first 25 | {} | {} B |",
        ms(users),
        users_bytes
    );
    println!(
        "| users page, search \"иванов 12\" | {} | |",
        ms(users_search)
    );
    println!("| users page, the last 25 | {} | |", ms(users_last));
    println!(
        "| order search \"a12\" at 100 000 orders, first 50 | {} | {} B |",
        ms(search),
        search_bytes
    );
    println!("| calendar month | {} | |", ms(calendar));
    println!(
        "| order page header (phones, stage folders) | {} | |",
        ms(detail)
    );
    println!(
        "| timeline, 2 000 entries with 500 photos | {} | {} B |",
        ms(timeline),
        timeline_bytes
    );
    println!(
        "| thumbnails of 1600×1200 JPEGs: made | {:.0} a second | |",
        50.0 / made.as_secs_f64()
    );
    println!(
        "| thumbnails: from the cache | {:.0} a second | |",
        50.0 / cached.as_secs_f64()
    );
}
