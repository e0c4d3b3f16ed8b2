//! The manager's pages against a real temporary installation: users, orders, the timeline,
//! thumbnails through the guard, the evidence pack and the clients waiting for an answer.
#![allow(clippy::expect_used, clippy::unwrap_used, reason = "tests")]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Local, Utc};
use servicebot_core::Phone;
use servicebot_core::store::{
    Direction, EntryKind, Level, MediaKind, NewEntry, NewMedia, RelayStatus, StorageStatus,
    TelegramProfile,
};

use crate::dto::UserEdit;
use crate::{App, ErrorCode, sha256_of};

struct Install {
    _dir: tempfile::TempDir,
    root: PathBuf,
    data: PathBuf,
    app: App,
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn install(extra: &str) -> Install {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("Photo");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&root).expect("root");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[orders]\nroot = {:?}\n[storage]\ndata_dir = {:?}\n[organization]\nname = \"Автоцентр\"\n{extra}",
            root.to_string_lossy(),
            data.to_string_lossy()
        ),
    )
    .expect("config");
    let app = App::open(Some(&config), &no_env).expect("app opens");
    Install {
        _dir: dir,
        root,
        data,
        app,
    }
}

fn t(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).expect("time") + Duration::minutes(minutes)
}

impl Install {
    fn user(&self, id: i64, name: &str, level: Level, phone: Option<&str>) {
        let store = self.app.store();
        let profile = TelegramProfile {
            telegram_id: id,
            chat_id: id,
            first_name: name.to_owned(),
            last_name: None,
            username: Some(format!("user{id}")),
        };
        store.users().upsert_seen(&profile, t(0)).expect("user");
        store.users().set_level(id, level).expect("level");
        if let Some(phone) = phone {
            let phone = Phone::normalize(phone, "7").expect("phone");
            store.users().set_phone(id, &phone).expect("phone");
        }
    }

    /// Иван (2) on the staff and Анна (3), a client with a verified phone: the people of
    /// most orders here.
    fn staff_and_client(&self) {
        self.user(2, "Иван", Level::Staff, None);
        self.user(3, "Анна", Level::Client, Some("89123456789"));
    }

    fn order(&self, folder: &str) -> PathBuf {
        let path = self.root.join(folder);
        std::fs::create_dir_all(&path).expect("order");
        path
    }

    /// A real JPEG saved in the order's stage folder and recorded as the bot records it.
    fn photo(&self, folder: &str, name: &str, shade: u8, at: DateTime<Utc>) -> (i64, PathBuf) {
        let dir = self.root.join(folder).join("Inspection");
        std::fs::create_dir_all(&dir).expect("stage");
        let path = dir.join(name);
        image::RgbImage::from_pixel(640, 480, image::Rgb([shade, 40, 200]))
            .save(&path)
            .expect("jpeg");
        let id = self.record(folder, &path, at);
        (id, path)
    }

    fn record(&self, folder: &str, path: &Path, at: DateTime<Utc>) -> i64 {
        self.record_as(folder, path, at, MediaKind::Photo, None)
    }

    /// A file of any kind saved in the order's stage folder, recorded as the bot records it.
    fn file(
        &self,
        folder: &str,
        name: &str,
        kind: MediaKind,
        duration_secs: Option<u32>,
        at: DateTime<Utc>,
    ) -> PathBuf {
        let dir = self.root.join(folder).join("Inspection");
        std::fs::create_dir_all(&dir).expect("stage");
        let path = dir.join(name);
        std::fs::write(&path, name.as_bytes()).expect("file");
        self.record_as(folder, &path, at, kind, duration_secs);
        path
    }

    fn record_as(
        &self,
        folder: &str,
        path: &Path,
        at: DateTime<Utc>,
        kind: MediaKind,
        duration_secs: Option<u32>,
    ) -> i64 {
        let number = folder.split(' ').next().unwrap_or(folder);
        let store = self.app.store();
        let media = NewMedia {
            order_no: number.to_owned(),
            order_folder: folder.to_owned(),
            stage_folder: "Inspection".into(),
            kind,
            storage: StorageStatus::Stored,
            path: Some(path.display().to_string()),
            spool_id: None,
            size: std::fs::metadata(path).ok().map(|m| m.len()),
            sha256: sha256_of(path).ok(),
            file_id: format!("file-{}", path.display()),
            file_unique_id: format!("uniq-{}", path.display()),
            author_id: 2,
            media_group_id: None,
            caption: Some("Царапина на двери".into()),
            relay: RelayStatus::Sent,
            created_at: at,
            duration_secs,
        };
        let id = store.media().insert(&media).expect("media");
        let mut entry = NewEntry::new(
            number,
            folder,
            at,
            Direction::StaffToClient,
            EntryKind::Media,
        );
        entry.author_id = Some(2);
        entry.media_id = Some(id);
        entry.text = media.caption.clone();
        store.transcript().append(&entry).expect("entry");
        id
    }

    fn said(
        &self,
        folder: &str,
        at: DateTime<Utc>,
        direction: Direction,
        author: i64,
        text: &str,
    ) -> i64 {
        let number = folder.split(' ').next().unwrap_or(folder);
        let mut entry = NewEntry::new(number, folder, at, direction, EntryKind::Text);
        entry.author_id = Some(author);
        entry.text = Some(text.to_owned());
        self.app
            .store()
            .transcript()
            .append(&entry)
            .expect("entry")
            .expect("new")
    }
}

#[test]
fn user_edits_go_through_the_rules_and_the_last_admin_stays() {
    let i = install("");
    i.user(1, "Пётр", Level::Client, Some("89120000001"));
    i.user(2, "Иван", Level::Client, None);
    let page = i.app.users_page("", 0, 50).expect("page");
    assert!(page.needs_first_admin, "a fresh install has no admin");
    assert_eq!(page.total, 2);

    let admin = i
        .app
        .appoint_admin("+7 912 000-00-01")
        .expect("the first admin by phone");
    assert_eq!((admin.telegram_id, admin.level), (1, 1));
    assert!(!i.app.users_page("", 0, 50).expect("page").needs_first_admin);

    for refused in [
        UserEdit {
            display_name: None,
            level: Some(3),
            active: None,
        },
        UserEdit {
            display_name: None,
            level: None,
            active: Some(false),
        },
    ] {
        let error = i
            .app
            .edit_user(1, &refused)
            .expect_err("the last active admin stays");
        assert_eq!(error.code, ErrorCode::LastAdmin, "{refused:?}");
    }
    let staff = i
        .app
        .edit_user(
            2,
            &UserEdit {
                display_name: Some("  Иван Мастер ".into()),
                level: Some(2),
                active: None,
            },
        )
        .expect("promote and rename");
    assert_eq!(staff.level, 2);
    assert_eq!(staff.display_name.as_deref(), Some("Иван Мастер"));
    let blocked = i
        .app
        .edit_user(
            2,
            &UserEdit {
                display_name: None,
                level: None,
                active: Some(false),
            },
        )
        .expect("block");
    assert!(!blocked.active);
    let bad = i
        .app
        .edit_user(
            2,
            &UserEdit {
                display_name: Some(" ".into()),
                level: None,
                active: None,
            },
        )
        .expect_err("an empty name");
    assert_eq!(bad.code, ErrorCode::InvalidInput);
    let audit = i.app.store().audit().recent(10).expect("audit");
    assert!(audit.iter().all(|e| e.channel == "gui"), "{audit:?}");
    assert_eq!(audit.len(), 4, "promote, rename, level, block");

    let found = i.app.users_page("мастер", 0, 50).expect("search");
    assert_eq!(
        found
            .users
            .iter()
            .map(|u| u.telegram_id)
            .collect::<Vec<_>>(),
        vec![2]
    );
    let second = i.app.users_page("", 1, 1).expect("page 2");
    assert_eq!((second.total, second.users.len()), (2, 1));
}

#[test]
fn search_folds_plates_and_the_calendar_counts_by_creation_day() {
    let i = install("");
    i.order("ЗН-000101 А123ВС77");
    i.order("ЗН-000102 В777ОР99");
    i.order("ЗН-000103 А555АА77 closed");
    let found = i.app.orders_page("a 123 bc", 0, 20).expect("search");
    assert_eq!(
        found
            .orders
            .iter()
            .map(|o| o.folder.as_str())
            .collect::<Vec<_>>(),
        vec!["ЗН-000101 А123ВС77"],
        "Latin letters and spaces find the Cyrillic plate"
    );
    assert_eq!(
        i.app.orders_page("зн-0001", 0, 20).expect("search").total,
        2,
        "closed ones hidden"
    );
    assert_eq!(i.app.orders_page("", 0, 20).expect("newest").total, 2);

    let today = Local::now().date_naive();
    let month = i
        .app
        .calendar_month(&today.format("%Y-%m").to_string(), today)
        .expect("month");
    let day = chrono::Datelike::day(&today);
    assert_eq!(
        month
            .days
            .iter()
            .map(|d| (d.day, d.orders))
            .collect::<Vec<_>>(),
        vec![(day, 2)]
    );
    let listed = i
        .app
        .orders_of_day(&today.format("%Y-%m-%d").to_string(), 0, 20)
        .expect("day");
    assert_eq!(listed.total, 2);
    assert!(i.app.orders_of_day("2026-13-01", 0, 20).is_err());
}

#[test]
fn the_order_page_lists_phones_clients_and_stage_files() {
    let i = install("");
    let folder = "ЗН-000101 А123ВС77";
    let path = i.order(folder);
    std::fs::write(path.join("phone.txt"), "8 (912) 345-67-89; 89120000009\n").expect("phones");
    i.staff_and_client();
    i.photo(folder, "a.jpg", 10, t(0));
    i.photo(folder, "b.jpg", 20, t(1));
    let detail = i.app.order_detail(folder).expect("detail");
    assert_eq!(detail.number, "ЗН-000101");
    assert_eq!(detail.phones.len(), 2);
    assert_eq!(
        detail.phones[0]
            .clients
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Анна"]
    );
    assert!(
        detail.phones[1].clients.is_empty(),
        "nobody uses the second number"
    );
    let inspection = detail
        .stages
        .iter()
        .find(|s| s.folder == "Inspection")
        .expect("stage");
    assert_eq!(inspection.files, 2);
    assert_eq!(
        detail.stages.last().map(|s| s.folder.as_str()),
        Some("FromClient")
    );
    assert_eq!(
        i.app
            .order_invite(folder)
            .expect_err("no bot name yet")
            .code,
        ErrorCode::BotNameUnknown
    );
    i.app
        .store()
        .bot_state()
        .set(servicebot_telegram::BOT_USERNAME_KEY, "service_bot")
        .expect("bot name");
    let invite = i.app.order_invite(folder).expect("invite");
    assert!(
        invite.url.starts_with("https://t.me/service_bot?start="),
        "{}",
        invite.url
    );
    assert!(!invite.url.contains("000101"), "never the order number");
    assert!(invite.sms_text.contains(&invite.url) && invite.sms_text.contains("ЗН-000101"));
    assert!(
        invite
            .sms_text
            .contains(&format!("«{}»", invite.organization)),
        "the SMS names the organisation: {}",
        invite.sms_text
    );
    assert_eq!(
        i.app.order_invite(folder).expect("again").url,
        invite.url,
        "the same link"
    );
}

#[test]
fn the_timeline_shows_texts_edits_photos_and_changes_to_people() {
    let i = install("");
    let folder = "ЗН-7 А123ВС77";
    i.order(folder);
    i.user(1, "Пётр", Level::Admin, None);
    i.staff_and_client();
    let question = i.said(folder, t(0), Direction::ClientToStaff, 3, "Когда готово?");
    let number = "ЗН-7";
    let mut edit = NewEntry::new(
        number,
        folder,
        t(1),
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    edit.author_id = Some(3);
    edit.text = Some("Когда будет готово?".into());
    edit.edit_of = Some(question);
    i.app.store().transcript().append(&edit).expect("edit");
    i.photo(folder, "a.jpg", 30, t(2));
    i.app
        .edit_user(
            3,
            &UserEdit {
                display_name: Some("Анна Петрова".into()),
                level: None,
                active: None,
            },
        )
        .expect("rename");
    let timeline = i.app.order_timeline(folder).expect("timeline");
    let kinds: Vec<&str> = timeline.items.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, vec!["text", "media", "user_change"]);
    let first = &timeline.items[0];
    assert_eq!(first.side, "client");
    assert_eq!(first.who, "Анна Петрова");
    assert_eq!(first.versions.len(), 2, "the edit is a version");
    let media = timeline.items[1].media.as_ref().expect("a file");
    assert_eq!(
        media.thumbnail_path.as_deref(),
        Some("ЗН-7 А123ВС77/Inspection/a.jpg")
    );
    assert_eq!(media.stage, "Приёмка автомобиля");
    let change = timeline.items[2].event.as_deref().expect("words");
    assert!(
        change.contains("Анна Петрова") && change.contains("программа"),
        "{change}"
    );
}

#[test]
fn the_timeline_and_the_pack_say_how_long_videos_and_voice_messages_play() {
    let i = install("");
    let folder = "ЗН-8 А123ВС77";
    i.order(folder);
    i.user(2, "Иван", Level::Staff, None);
    i.photo(folder, "a.jpg", 30, t(0));
    i.file(folder, "clip.mp4", MediaKind::Video, Some(65), t(1));
    i.file(folder, "voice.oga", MediaKind::Voice, Some(3723), t(2));
    i.file(folder, "round.mp4", MediaKind::VideoNote, Some(7), t(3));
    i.file(folder, "song.mp3", MediaKind::Audio, Some(600), t(4));

    let timeline = i.app.order_timeline(folder).expect("timeline");
    let lengths: Vec<(&str, Option<&str>)> = timeline
        .items
        .iter()
        .filter_map(|item| item.media.as_ref())
        .map(|m| (m.kind.as_str(), m.duration.as_deref()))
        .collect();
    assert_eq!(
        lengths,
        vec![
            ("photo", None),
            ("video", Some("1:05")),
            ("voice", Some("1:02:03")),
            ("video_note", Some("0:07")),
            ("audio", Some("10:00")),
        ],
        "each recorded length in the timeline, none for a photo"
    );

    let (html, _) = i.app.evidence_pack(folder, Utc::now()).expect("pack");
    for shown in [
        "видео · 1:05",
        "голосовое · 1:02:03",
        "видеосообщение · 0:07",
        "аудио · 10:00",
    ] {
        assert!(html.contains(shown), "the pack says {shown}");
    }
    assert!(!html.contains("фото ·"), "a photo has no length");
}

#[test]
fn thumbnails_come_only_through_the_guard_and_are_cached() {
    let i = install("");
    let folder = "ЗН-9";
    i.order(folder);
    i.user(2, "Иван", Level::Staff, None);
    i.photo(folder, "a.jpg", 50, t(0));
    // A file in the folder the bot never recorded.
    image::RgbImage::from_pixel(8, 8, image::Rgb([0, 0, 0]))
        .save(i.root.join(folder).join("Inspection").join("stray.jpg"))
        .expect("stray");
    let outside = i.data.join("secret.jpg");
    std::fs::create_dir_all(&i.data).expect("data");
    image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]))
        .save(&outside)
        .expect("outside");

    let jpeg = i
        .app
        .thumbnail_jpeg("ЗН-9/Inspection/a.jpg")
        .expect("a recorded photo");
    let small = image::load_from_memory(&jpeg).expect("a picture");
    assert_eq!(
        (small.width(), small.height()),
        (240, 180),
        "fits 240 px, keeps the shape"
    );
    let cached: Vec<_> = std::fs::read_dir(i.data.join("thumbnails"))
        .expect("cache")
        .collect();
    assert_eq!(cached.len(), 1, "made once, kept in the data folder");

    let refusals = [
        ("ЗН-9/../../data/secret.jpg", ErrorCode::InvalidInput),
        (outside.to_str().expect("utf-8"), ErrorCode::InvalidInput),
        ("C:\\Windows\\win.ini", ErrorCode::InvalidInput),
        ("ЗН-9/Inspection/stray.jpg", ErrorCode::NotFound),
        ("ЗН-404/Inspection/a.jpg", ErrorCode::NotFound),
    ];
    for (path, code) in refusals {
        let error = i.app.thumbnail(path).expect_err(path);
        assert_eq!(error.code, code, "{path}: {}", error.message);
    }

    #[cfg(unix)]
    {
        // A link inside the order folder, recorded, that leads out of the root.
        let link = i.root.join(folder).join("Inspection").join("link.jpg");
        std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        i.record(folder, &link, t(5));
        let error = i
            .app
            .thumbnail("ЗН-9/Inspection/link.jpg")
            .expect_err("out of the root");
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert!(error.message.contains("outside"), "{}", error.message);
    }
}

/// Every `data-sha256="…"` of the pack with the file it names.
fn pack_hashes(html: &str) -> Vec<String> {
    html.split("data-sha256=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_evidence_pack_holds_every_file_with_its_true_hash_and_flags_a_changed_one() {
    let i = install("");
    let folder = "ЗН-000512 А123ВС77";
    i.order(folder);
    i.staff_and_client();
    let (_, first) = i.photo(folder, "2026-03-09_10-00-00_Иван_1.jpg", 10, t(0));
    let (_, second) = i.photo(folder, "2026-03-09_10-00-01_Иван_2.jpg", 90, t(1));
    i.said(
        folder,
        t(2),
        Direction::ClientToStaff,
        3,
        "Откуда царапина?",
    );

    let written = i
        .app
        .export_order(folder, None, Utc::now())
        .expect("export");
    let name = format!(
        "ServiceBot-ЗН-000512-{}.html",
        Local::now().format("%Y-%m-%d")
    );
    assert_eq!(
        Path::new(&written.path),
        i.root.join(folder).join(&name),
        "into the order folder"
    );
    assert_eq!((written.files, written.flagged), (2, 0));
    let html = std::fs::read_to_string(&written.path).expect("pack");
    let on_disk = vec![
        sha256_of(&first).expect("hash"),
        sha256_of(&second).expect("hash"),
    ];
    assert_eq!(
        pack_hashes(&html),
        on_disk,
        "every file's hash equals the file on disk"
    );
    assert_eq!(
        html.matches("data:image/jpeg;base64,").count(),
        2,
        "thumbnails embedded"
    );
    assert!(
        html.contains("href=\"Inspection/2026-03-09_10-00-00_"),
        "links relative to the order folder"
    );
    assert!(html.contains("certutil -hashfile"));
    assert!(html.contains("Откуда царапина?"), "the messages");

    // Someone edits a photo after it was saved.
    image::RgbImage::from_pixel(640, 480, image::Rgb([255, 255, 255]))
        .save(&second)
        .expect("overwrite");
    let out = i.data.join("pack.html");
    let again = i
        .app
        .export_order(folder, Some(&out), Utc::now())
        .expect("export");
    assert_eq!((again.files, again.flagged), (2, 1));
    let html = std::fs::read_to_string(&out).expect("pack");
    assert_eq!(
        html.matches("data-check=\"changed\"").count(),
        1,
        "the changed file flagged"
    );
    assert!(
        html.contains(&sha256_of(&second).expect("hash")),
        "with the hash it has now"
    );
    let checks = i.app.check_order_files(folder).expect("checks");
    assert_eq!(checks.checked, 2);
    assert_eq!(checks.flagged.len(), 1);
    assert_eq!(checks.flagged[0].check, "changed");
    std::fs::remove_file(&first).expect("remove");
    let checks = i.app.check_order_files(folder).expect("checks");
    assert_eq!(
        checks
            .flagged
            .iter()
            .map(|f| f.check.as_str())
            .collect::<Vec<_>>(),
        vec!["missing", "changed"]
    );
}

#[test]
fn unanswered_clients_are_found_with_an_injected_clock() {
    let i = install("[notify]\nunanswered_minutes = 15\n");
    let folder = "ЗН-5";
    i.order(folder);
    i.order("ЗН-6");
    i.staff_and_client();
    let now = Utc::now();
    i.said(folder, now, Direction::ClientToStaff, 3, "Когда готово?");
    i.said(
        folder,
        now + Duration::minutes(5),
        Direction::ClientToStaff,
        3,
        "Алло?",
    );

    let waiting = i
        .app
        .unanswered(now + Duration::minutes(10))
        .expect("waiting");
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].client.as_str(), waiting[0].order_folder.as_str()),
        ("Анна", folder)
    );
    assert!(!waiting[0].overdue, "10 minutes is not yet 15");
    assert!(
        i.app
            .unanswered_alerts(now + Duration::minutes(10))
            .expect("alerts")
            .is_empty()
    );
    let alerts = i
        .app
        .unanswered_alerts(now + Duration::minutes(16))
        .expect("alerts");
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].order_folder, folder);
    assert!(
        alerts[0].body.contains("Анна") && alerts[0].body.contains("16"),
        "{}",
        alerts[0].body
    );

    i.said(
        "ЗН-6",
        now + Duration::minutes(17),
        Direction::StaffToClient,
        2,
        "Другой заказ",
    );
    assert_eq!(
        i.app
            .unanswered(now + Duration::minutes(18))
            .expect("waiting")
            .len(),
        1
    );
    i.said(
        folder,
        now + Duration::minutes(18),
        Direction::StaffToClient,
        2,
        "Завтра",
    );
    assert!(
        i.app
            .unanswered(now + Duration::minutes(19))
            .expect("waiting")
            .is_empty(),
        "answered"
    );

    let off = install("[notify]\nunanswered_minutes = 0\n");
    off.order(folder);
    off.user(3, "Анна", Level::Client, Some("89123456789"));
    off.said(folder, now, Direction::ClientToStaff, 3, "Когда готово?");
    assert_eq!(
        off.app
            .unanswered(now + Duration::hours(2))
            .expect("listed")
            .len(),
        1
    );
    assert!(
        off.app
            .unanswered_alerts(now + Duration::hours(2))
            .expect("alerts")
            .is_empty(),
        "0 turns them off"
    );
}
