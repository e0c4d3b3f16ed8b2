//! The durable pipeline under stress, end to end: a real `servicebot run` process killed with
//! SIGKILL in the middle of a burst, a fifth of all Bot API calls failing, Telegram gone for a
//! while, texts and captions over Telegram's limits, and a large video that must not hold up the
//! next photo. Each time: nothing lost, nothing duplicated, nothing out of order.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use servicebot_app::BotStatus;
use servicebot_fake_telegram::{AlbumItem, FakeTelegram, Fault, MediaKind, SentMessage, TgUser};
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, wait_for_status};
use sha2::{Digest, Sha256};

const ORDER: &str = "ЗН-004512 А123ВС77";
const ORDER_NO: &str = "ЗН-004512";
/// `[organization] name` in every test config: the second half of a staff message's header.
const ORGANIZATION: &str = "Автоцентр";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every entry of `dir` (temporary `.part` files included: a leftover is a stray file too).
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

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The SHA-256 of every file in `dir`, sorted (duplicates kept: two copies are two entries).
fn hashes_in(dir: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = files_in(dir)
        .iter()
        .map(|name| sha256(&std::fs::read(dir.join(name)).expect("read a stored file")))
        .collect();
    hashes.sort();
    hashes
}

/// Telegram's HTML entities back to text (the bot escapes `& < > "`).
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What Telegram shows of `html`: tags removed, entities decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// Telegram's length: UTF-16 code units of the visible text.
fn visible_len(html: &str) -> usize {
    visible(html).encode_utf16().count()
}

/// The header the client sees above a staff member's text.
fn staff_header(name: &str) -> String {
    format!("<b>{name}, {ORGANIZATION}</b>\n")
}

/// The text of a relayed staff message from `name`, if `message` is one.
fn text_from(message: &SentMessage, name: &str) -> Option<String> {
    message
        .text
        .as_deref()?
        .strip_prefix(&staff_header(name))
        .map(unescape)
}

/// What the bot sent to `chat_id`, deleted messages included (they were delivered).
fn bot_messages(fake: &FakeTelegram, chat_id: i64) -> Vec<SentMessage> {
    fake.chat_history(chat_id)
        .into_iter()
        .filter(|m| m.from_bot)
        .collect()
}

/// How many sends `messages` took: a text or a copy is one, an album (one media group) one.
fn sends(messages: &[SentMessage]) -> usize {
    let groups: HashSet<&str> = messages
        .iter()
        .filter_map(|m| m.media_group_id.as_deref())
        .collect();
    messages
        .iter()
        .filter(|m| m.media_group_id.is_none())
        .count()
        + groups.len()
}

fn is_photo(m: &SentMessage) -> bool {
    m.media.as_ref().is_some_and(|x| x.kind == MediaKind::Photo)
}

fn is_document(m: &SentMessage) -> bool {
    m.media
        .as_ref()
        .is_some_and(|x| x.kind == MediaKind::Document)
}

fn file_id(m: &SentMessage) -> String {
    m.media.as_ref().expect("a media message").file_id.clone()
}

/// Staff receipts: texts ("sending…" → "delivered") and files ("received…" → "saved").
fn receipts(fake: &FakeTelegram, staff: &TgUser) -> Vec<String> {
    fake.sent_to(staff.id)
        .into_iter()
        .map(|m| m.body().to_owned())
        .filter(|b| {
            [
                "⏳ Отправляется",
                "✉️",
                "⚠️ Не доставлено",
                "✅",
                "🔒",
                "⏳ Принято",
                "⏳ Папка",
                "❌",
                "⚠️ Файл",
            ]
            .iter()
            .any(|mark| b.starts_with(mark))
        })
        .collect()
}

/// A receipt that has not said yet how its items ended.
fn in_progress(receipt: &str) -> bool {
    receipt.starts_with("⏳ Отправляется") || receipt.starts_with("⏳ Принято")
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; whether it held.
async fn poll_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Read access to the installation's database while the bot runs (or after it was killed).
struct Db {
    conn: rusqlite::Connection,
}

impl Db {
    fn open(t: &TelegramEnv) -> Self {
        let path = t.env.data_dir.join(servicebot_core::store::DATABASE_FILE);
        let conn = rusqlite::Connection::open(path).expect("open the database");
        conn.busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        Self { conn }
    }

    fn count(&self, sql: &str, params: impl rusqlite::Params) -> i64 {
        self.conn
            .query_row(sql, params, |row| row.get(0))
            .expect("count query")
    }

    /// Outbox items to `chat_id` recorded as sent.
    fn sent_to(&self, chat_id: i64) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = ?1 AND state = 'sent'",
            [chat_id],
        )
    }

    /// Updates, album-closed entries, pending inbox entries, pending outbox items, pending files.
    fn inbox_updates(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM inbox WHERE kind = 'update'", [])
    }

    fn albums_closed(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM inbox WHERE kind = 'album_closed'", [])
    }

    fn backlog(&self) -> (i64, i64, i64) {
        (
            self.count("SELECT COUNT(*) FROM inbox WHERE state = 'pending'", []),
            self.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'", []),
            self.count("SELECT COUNT(*) FROM media WHERE storage = 'pending'", []),
        )
    }

    fn failed(&self) -> (i64, i64) {
        (
            self.count("SELECT COUNT(*) FROM inbox WHERE state = 'failed'", []),
            self.count(
                "SELECT COUNT(*) FROM outbox WHERE state IN ('failed', 'blocked')",
                [],
            ),
        )
    }
}

/// An order whose phone file lists Анна, a connected client, with Иван, a staff member, in it
/// at `stage` through the real buttons, and the app running in this process.
struct Scene {
    t: TelegramEnv,
    staff: TgUser,
    client: TgUser,
    running: servicebot_app::RunningApp,
    _app: servicebot_app::App,
}

async fn scene(stage: &str) -> Scene {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(ORDER, "89123456789");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", ORDER, stage).await;
    Scene {
        t,
        staff,
        client,
        running,
        _app: app,
    }
}

/// The file ids of a staff member's own media messages, oldest first, with their album.
fn staff_files(fake: &FakeTelegram, staff: &TgUser) -> Vec<(Option<String>, String)> {
    fake.chat_history(staff.id)
        .iter()
        .filter(|m| !m.from_bot && m.media.is_some())
        .map(|m| (m.media_group_id.clone(), file_id(m)))
        .collect()
}

/// Staff albums as sets of file ids.
fn albums_of(files: &[(Option<String>, String)]) -> BTreeSet<BTreeSet<String>> {
    let mut albums: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (group, id) in files {
        if let Some(group) = group {
            albums.entry(group).or_default().insert(id.clone());
        }
    }
    albums.into_values().collect()
}

/// Asserts that the client got each album whole, as one album, once: the photos of `sent`
/// form exactly `expected` (sets of file ids), one media group each, its items adjacent.
fn assert_albums(sent: &[SentMessage], expected: &BTreeSet<BTreeSet<String>>) {
    let photos: Vec<(usize, &SentMessage)> = sent
        .iter()
        .enumerate()
        .filter(|(_, m)| is_photo(m))
        .collect();
    let ids: Vec<String> = photos.iter().map(|(_, m)| file_id(m)).collect();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        distinct.len(),
        ids.len(),
        "a photo was delivered twice: {ids:?}"
    );
    let mut groups: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    for (i, message) in &photos {
        let group = message.media_group_id.clone().unwrap_or_else(|| {
            panic!(
                "photo {} reached the client outside an album (method {})",
                file_id(message),
                message.method
            )
        });
        groups
            .entry(group)
            .or_default()
            .push((*i, file_id(message)));
    }
    let got: BTreeSet<BTreeSet<String>> = groups
        .values()
        .map(|items| items.iter().map(|(_, id)| id.clone()).collect())
        .collect();
    assert_eq!(
        groups.len(),
        expected.len(),
        "{} media groups for {} albums: {groups:?}",
        groups.len(),
        expected.len()
    );
    assert_eq!(&got, expected, "albums arrived split, merged or incomplete");
    for (group, items) in &groups {
        let first = items[0].0;
        assert!(
            items.iter().enumerate().all(|(n, (i, _))| *i == first + n),
            "the photos of media group {group} are not adjacent: {items:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 1. SIGKILL at several points of a burst
// ---------------------------------------------------------------------------------------------

/// Real processes and signals: Unix only.
#[cfg(unix)]
mod sigkill {
    use super::*;

    /// The stage both staff members are in (`Приёмка автомобиля`, client-visible).
    const STAGE_FOLDER: &str = "Inspection";
    /// Download speed in the kill test: a 3 KB photo takes ~0.3 s, so saving 14 files spans about
    /// a second and a kill can land in the middle of it.
    const SAVING_BANDWIDTH: u64 = 10_000;
    /// How long the kill test waits for the last process to finish the burst.
    const BURST_TIMEOUT: Duration = Duration::from_secs(45);

    /// A `servicebot run` process with its stderr in a log file.
    struct BotProcess {
        child: std::process::Child,
        log: PathBuf,
        /// Sends requested but never created when this run started: calls a kill cut off.
        cut_off_before: i64,
    }

    impl BotProcess {
        /// Starts `servicebot run` and waits until it polls the fake.
        async fn start(t: &TelegramEnv, n: usize, chats: &[i64]) -> Self {
            let cut_off_before = sends_in_flight(&t.fake, chats);
            let log = t.env.base().join(format!("servicebot-run-{n}.log"));
            let stderr = std::fs::File::create(&log).expect("log file");
            let polls = t.fake.requests("getUpdates");
            let child = std::process::Command::new(servicebot_tests::servicebot_binary())
                .args([
                    "--config".as_ref(),
                    t.env.config_path.as_os_str(),
                    "run".as_ref(),
                ])
                .env_clear()
                .env("NO_COLOR", "1")
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(stderr)
                .spawn()
                .expect("spawn servicebot");
            let process = Self {
                child,
                log,
                cut_off_before,
            };
            let polling = t
                .fake
                .wait_until(BOT_TIMEOUT, |f| f.requests("getUpdates") > polls)
                .await;
            assert!(polling, "run {n} never polled:\n{}", process.stderr());
            process
        }

        fn stderr(&self) -> String {
            std::fs::read_to_string(&self.log).unwrap_or_default()
        }

        /// SIGKILL: no shutdown code runs.
        fn kill(mut self) -> String {
            let status = std::process::Command::new("kill")
                .args(["-KILL", &self.child.id().to_string()])
                .status()
                .expect("kill -KILL");
            assert!(status.success(), "kill -KILL failed");
            let exit = self.child.wait().expect("wait for the killed process");
            assert!(!exit.success(), "the process was not killed: {exit:?}");
            self.stderr()
        }

        /// SIGTERM, and the exit within 10 s, successful.
        async fn terminate(mut self) {
            let status = std::process::Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status()
                .expect("kill -TERM");
            assert!(status.success());
            let deadline = Instant::now() + Duration::from_secs(10);
            let exit = loop {
                if let Some(exit) = self.child.try_wait().expect("wait") {
                    break exit;
                }
                assert!(
                    Instant::now() < deadline,
                    "servicebot did not stop within 10 s of SIGTERM"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            assert!(exit.success(), "exit status {exit:?}:\n{}", self.stderr());
        }
    }

    /// What the burst sent, to compare with what arrived.
    struct Burst {
        /// Each staff member's texts, in the order they wrote them.
        texts: Vec<(TgUser, Vec<String>)>,
        albums: BTreeSet<BTreeSet<String>>,
        documents: BTreeSet<String>,
        /// SHA-256 of every file's bytes, sorted.
        hashes: Vec<String>,
        updates: usize,
    }

    /// Two staff members interleave 10 numbered texts, 3 albums of 4 photos and 2 documents.
    fn push_burst(fake: &FakeTelegram, ivan: &TgUser, oleg: &TgUser) -> Burst {
        let first_update = fake.next_update_id();
        let mut texts: Vec<(TgUser, Vec<String>)> =
            vec![(ivan.clone(), vec![]), (oleg.clone(), vec![])];
        let mut hashes = Vec::new();
        let mut next_text = 1;
        let mut next_photo = 1u8;
        let mut text = |who: usize, texts: &mut Vec<(TgUser, Vec<String>)>| {
            let body = format!("Сообщение {next_text}");
            next_text += 1;
            fake.send_text(&texts[who].0.clone(), &body);
            texts[who].1.push(body);
        };
        let mut album = |staff: &TgUser, hashes: &mut Vec<String>| {
            let items: Vec<AlbumItem> = (0..4)
                .map(|_| {
                    let n = next_photo;
                    next_photo += 1;
                    let bytes = vec![n; 3000 + usize::from(n)];
                    hashes.push(sha256(&bytes));
                    AlbumItem::photo(bytes)
                })
                .collect();
            fake.send_album(staff, items, None);
        };
        let document = |staff: &TgUser, n: u8, hashes: &mut Vec<String>| {
            let bytes = vec![100 + n; 5000 + usize::from(n)];
            hashes.push(sha256(&bytes));
            fake.send_document(
                staff,
                &format!("Акт {n}.pdf"),
                "application/pdf",
                bytes,
                None,
            );
        };
        text(0, &mut texts); // 1
        text(1, &mut texts); // 2
        album(ivan, &mut hashes);
        text(1, &mut texts); // 3
        text(0, &mut texts); // 4
        album(oleg, &mut hashes);
        document(ivan, 1, &mut hashes);
        text(1, &mut texts); // 5
        text(0, &mut texts); // 6
        text(1, &mut texts); // 7
        album(ivan, &mut hashes);
        document(oleg, 2, &mut hashes);
        text(0, &mut texts); // 8
        text(1, &mut texts); // 9
        text(0, &mut texts); // 10
        hashes.sort();
        let mut files = staff_files(fake, ivan);
        files.extend(staff_files(fake, oleg));
        let documents = files
            .iter()
            .filter(|(group, _)| group.is_none())
            .map(|(_, id)| id.clone())
            .collect();
        Burst {
            texts,
            albums: albums_of(&files),
            documents,
            hashes,
            updates: usize::try_from(fake.next_update_id() - first_update).expect("count"),
        }
    }

    /// Sends (text, copy, album) the fake has been asked for but has not created yet: calls in
    /// flight. A kill during one of them is the one duplicate window the outbox admits (Telegram
    /// has no idempotency key), so the kills below wait for a moment without one.
    fn sends_in_flight(fake: &FakeTelegram, chats: &[i64]) -> i64 {
        let requested = fake.requests("sendMessage")
            + fake.requests("copyMessage")
            + fake.requests("sendMediaGroup");
        let created: usize = chats
            .iter()
            .map(|chat| {
                let sent: Vec<SentMessage> = bot_messages(fake, *chat)
                    .into_iter()
                    .filter(|m| {
                        ["sendMessage", "copyMessage", "sendMediaGroup"]
                            .contains(&m.method.as_str())
                    })
                    .collect();
                sends(&sent)
            })
            .sum();
        i64::try_from(requested).expect("count") - i64::try_from(created).expect("count")
    }

    /// Kills `bot` at the next moment no send is in flight and every message the client has is
    /// recorded as sent (at most a second later); returns a note on what the kill interrupted.
    async fn kill_between_sends(
        label: &str,
        bot: BotProcess,
        t: &TelegramEnv,
        db: &Db,
        chats: &[i64],
        client: i64,
        stage: &Path,
    ) -> String {
        let quiet = poll_until(Duration::from_secs(1), || {
            sends_in_flight(&t.fake, chats) == bot.cut_off_before
                && db.sent_to(client)
                    >= i64::try_from(sends(&bot_messages(&t.fake, client))).expect("n")
        })
        .await;
        let log = bot.kill();
        let client_sends = sends(&bot_messages(&t.fake, client));
        let note = format!(
            "{label}: killed {}; client had {client_sends} sends, {} recorded; \
             inbox {} updates, {} albums closed; {} files in the stage folder; backlog (inbox, \
             outbox, files) {:?}",
            if quiet {
                "between sends"
            } else {
                "(no quiet moment within 1 s)"
            },
            db.sent_to(client),
            db.inbox_updates(),
            db.albums_closed(),
            files_in(stage).len(),
            db.backlog(),
        );
        eprintln!("{note}");
        if log.contains("panicked") {
            eprintln!("{label} log:\n{log}");
        }
        note
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_survives_sigkill_at_several_points() {
        let started = Instant::now();
        let t = TelegramEnv::start().await;
        t.env.order_with_phones(ORDER, "89123456789");
        let ivan = t.staff("Иван");
        let oleg = t.staff("Олег");
        let client = t.client("Анна", "+79123456789");
        {
            let store = t.env.store();
            for staff in [&ivan, &oleg] {
                store
                    .staff_sessions()
                    .save_position(staff.id, Some(ORDER), Some(STAGE_FOLDER), false, Utc::now())
                    .expect("staff position");
            }
        }
        let db = Db::open(&t);
        let stage = t.env.root.join(ORDER).join(STAGE_FOLDER);
        let chats = [ivan.id, oleg.id, client.id];
        t.fake.set_latency(Duration::from_millis(30));
        t.fake.set_bandwidth(SAVING_BANDWIDTH);
        let mut notes = Vec::new();

        // Kill 1: the burst has reached the inbox; its albums are being collected.
        let bot = BotProcess::start(&t, 1, &chats).await;
        let burst = push_burst(&t.fake, &ivan, &oleg);
        assert_eq!(burst.updates, 24, "10 texts, 12 photos, 2 documents");
        let received = poll_until(BOT_TIMEOUT, || db.inbox_updates() > 0).await;
        assert!(
            received,
            "the burst never reached the inbox:\n{}",
            bot.stderr()
        );
        notes.push(
            kill_between_sends(
                "kill 1 (collecting)",
                bot,
                &t,
                &db,
                &chats,
                client.id,
                &stage,
            )
            .await,
        );

        // Kill 2: the client has received at least 3 messages (relaying).
        let bot = BotProcess::start(&t, 2, &chats).await;
        let at_restart = sends(&bot_messages(&t.fake, client.id));
        let relaying = t
            .fake
            .wait_until(BOT_TIMEOUT, |f| {
                sends(&bot_messages(f, client.id)) > at_restart.max(2)
            })
            .await;
        assert!(relaying, "run 2 relayed nothing:\n{}", bot.stderr());
        notes.push(
            kill_between_sends("kill 2 (relaying)", bot, &t, &db, &chats, client.id, &stage).await,
        );

        // Kill 3: files are appearing in the stage folder (saving).
        let bot = BotProcess::start(&t, 3, &chats).await;
        let at_restart = files_in(&stage).len();
        let saving = poll_until(BOT_TIMEOUT, || files_in(&stage).len() > at_restart.max(2)).await;
        assert!(saving, "run 3 saved nothing:\n{}", bot.stderr());
        notes.push(
            kill_between_sends("kill 3 (saving)", bot, &t, &db, &chats, client.id, &stage).await,
        );

        // The last run finishes the burst.
        let bot = BotProcess::start(&t, 4, &chats).await;
        let finished = poll_until(BURST_TIMEOUT, || {
            sends(&bot_messages(&t.fake, client.id)) >= 15
                && files_in(&stage).len() >= 14
                && db.backlog() == (0, 0, 0)
        })
        .await;
        let sent = bot_messages(&t.fake, client.id);
        let context = format!(
            "finished: {finished}; backlog (inbox, outbox, files) {:?}; failed (inbox, outbox) \
             {:?}; kills:\n  {}\nclient got {} messages: {:#?}\nlast run's log:\n{}",
            db.backlog(),
            db.failed(),
            notes.join("\n  "),
            sent.len(),
            sent.iter()
                .map(|m| (
                    m.method.as_str(),
                    m.media_group_id.clone(),
                    m.body().to_owned()
                ))
                .collect::<Vec<_>>(),
            bot.stderr(),
        );

        // Every text exactly once, in order, per staff member; no other text.
        for (staff, texts) in &burst.texts {
            let got: Vec<String> = sent
                .iter()
                .filter_map(|m| text_from(m, &staff.first_name))
                .collect();
            assert_eq!(&got, texts, "texts of {}; {context}", staff.first_name);
        }
        let text_count = sent.iter().filter(|m| m.text.is_some()).count();
        assert_eq!(text_count, 10, "text messages; {context}");
        // Every album as one album, whole, once.
        assert_albums(&sent, &burst.albums);
        // Both documents once.
        let documents: Vec<String> = sent
            .iter()
            .filter(|m| is_document(m))
            .map(file_id)
            .collect();
        assert_eq!(documents.len(), 2, "documents; {context}");
        assert_eq!(
            documents.into_iter().collect::<BTreeSet<_>>(),
            burst.documents,
            "{context}"
        );
        assert_eq!(sent.len(), 10 + 12 + 2, "{context}");
        // Exactly the 14 files, one copy each.
        assert_eq!(
            files_in(&stage).len(),
            14,
            "stage folder {:?}; {context}",
            files_in(&stage)
        );
        assert_eq!(hashes_in(&stage), burst.hashes, "file contents; {context}");
        assert!(finished, "{context}");
        assert_eq!(db.failed(), (0, 0), "nothing given up; {context}");

        bot.terminate().await;
        eprintln!(
            "a_burst_survives_sigkill_at_several_points: {:?}",
            started.elapsed()
        );
    }
}

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

/// How long Telegram is unreachable (short, to keep CI fast; the bot's backoff is capped at
/// 30 s either way).
const OUTAGE: Duration = Duration::from_secs(5);

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

// ---------------------------------------------------------------------------------------------
// 4. Over Telegram's limits
// ---------------------------------------------------------------------------------------------

const PROSE: &[&str] = &[
    "Автомобиль принят на осмотр в девять утра, владелец оставил ключи и документы у мастера.",
    "При внешнем осмотре обнаружены сколы лакокрасочного покрытия на капоте и переднем бампере.",
    "Левая передняя фара запотевает изнутри, уплотнитель корпуса пересох и потрескался.",
    "Шины летние, остаток протектора около четырёх миллиметров, износ равномерный.",
    "Тормозные колодки передней оси изношены почти до сигнального индикатора, диски с бороздами.",
    "Уровень масла в двигателе в норме, но масло тёмное и по пробегу его пора менять.",
    "Охлаждающая жидкость чуть ниже отметки минимума, следов течи под автомобилем не видно.",
    "Рулевые тяги и наконечники без люфта, пыльники целые, шаровые опоры в порядке.",
    "Аккумулятор держит заряд хуже, чем положено, пусковой ток заметно ниже номинала.",
    "Рекомендуем заменить колодки вместе с дисками, масло с фильтром и проверить систему охлаждения.",
];

/// Russian prose of exactly `chars` characters in paragraphs of three sentences.
fn prose(chars: usize, paragraphs: bool) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.chars().count() < chars {
        if !text.is_empty() {
            text.push_str(if paragraphs && n % 3 == 0 {
                "\n\n"
            } else {
                " "
            });
        }
        text.push_str(PROSE[n % PROSE.len()]);
        n += 1;
    }
    let mut cut: String = text.chars().take(chars - 1).collect();
    if cut.ends_with(char::is_whitespace) {
        cut.pop();
        cut.push('о');
    }
    cut.push('.');
    assert_eq!(cut.chars().count(), chars);
    cut
}

#[tokio::test]
async fn a_5000_character_text_and_a_1020_character_caption_arrive_whole() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Приёмка автомобиля").await;
    let long_text = prose(5000, true);
    let caption = prose(1020, false);
    t.fake.send_text(&staff, &long_text);
    t.fake.send_photo(&staff, vec![9; 5000], Some(&caption));

    let complete = |f: &FakeTelegram| {
        let sent = bot_messages(f, client.id);
        let photo = sent.iter().position(is_photo);
        photo.is_some_and(|p| sent.len() > p + 1)
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, complete).await,
        "the client got {:#?}",
        bot_messages(&t.fake, client.id)
            .iter()
            .map(|m| (m.method.clone(), m.body().to_owned()))
            .collect::<Vec<_>>()
    );
    let sent = bot_messages(&t.fake, client.id);
    let photo_at = sent.iter().position(is_photo).expect("the photo");

    // The text: at least two messages, each within 4096, together the original.
    let parts = &sent[..photo_at];
    assert!(parts.len() >= 2, "{} part(s)", parts.len());
    for part in parts {
        let html = part.text.as_deref().expect("a text part");
        assert!(visible_len(html) <= 4096, "{} units", visible_len(html));
    }
    let first = parts[0].text.as_deref().expect("text");
    let first = first
        .strip_prefix(&staff_header("Иван"))
        .unwrap_or_else(|| panic!("the first part starts with the header: {first:.80}"));
    let mut bodies = vec![unescape(first)];
    bodies.extend(
        parts[1..]
            .iter()
            .map(|p| unescape(p.text.as_deref().expect("text"))),
    );
    let mut rest = long_text.as_str();
    for (n, body) in bodies.iter().enumerate() {
        rest = rest.trim_start();
        let body_start = body.trim_start();
        assert!(
            rest.starts_with(body_start),
            "part {n} does not continue the text: {:.60}… where the text goes on {:.60}…",
            body_start,
            rest
        );
        rest = &rest[body_start.len()..];
    }
    assert!(rest.trim().is_empty(), "the text ends unsent: {rest:.80}");

    // The photo: a caption within 1024 with the header, then the full caption as text.
    let header = format!("<b>Приёмка автомобиля</b> · {ORDER_NO}\n");
    let photo_caption = sent[photo_at].caption.as_deref().expect("a caption");
    assert!(
        visible_len(photo_caption) <= 1024,
        "{} units",
        visible_len(photo_caption)
    );
    let teaser = unescape(photo_caption.strip_prefix(&header).expect("header"));
    let teaser = teaser
        .strip_suffix('…')
        .expect("a shortened caption ends with …");
    assert!(
        caption.starts_with(teaser) && teaser.chars().count() > 900,
        "the shortened caption is the caption's beginning: {teaser:.60}…"
    );
    let follow_up = &sent[photo_at + 1..];
    assert_eq!(
        follow_up.len(),
        1,
        "the full caption follows in one message"
    );
    let full = follow_up[0].text.as_deref().expect("a text");
    assert_eq!(
        full.strip_prefix(&header).map(unescape),
        Some(caption.clone()),
        "the full caption"
    );
    running.stop().await;
    eprintln!(
        "a_5000_character_text_and_a_1020_character_caption_arrive_whole: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// 5. A large video does not hold up the next photo
// ---------------------------------------------------------------------------------------------

/// A video just under the cloud Bot API's 20 MB download limit.
const VIDEO_BYTES: usize = 20_000_000;
/// Download speed: the video takes 5 s.
const SLOW_LINE: u64 = 4_000_000;

#[tokio::test]
async fn a_photo_right_after_a_large_video_reaches_the_client_before_the_video_is_saved() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    t.fake.set_bandwidth(SLOW_LINE);
    let video = vec![0x5A; VIDEO_BYTES];
    let photo = vec![0x07; 2000];
    t.fake
        .send_video(&staff, video.clone(), Some("Видео ходовой"));
    t.fake.send_photo(&staff, photo.clone(), None);
    let photo_id = staff_files(&t.fake, &staff)
        .last()
        .map(|(_, id)| id.clone())
        .expect("the photo's file id");
    let dir = t.env.root.join(ORDER).join("Other");

    let photo_arrived = |f: &FakeTelegram| {
        bot_messages(f, client.id)
            .iter()
            .any(|m| is_photo(m) && file_id(m) == photo_id)
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, photo_arrived).await,
        "the photo did not reach the client"
    );
    let videos_saved: Vec<String> = files_in(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".mp4"))
        .collect();
    assert!(
        videos_saved.is_empty(),
        "the video was saved before the photo reached the client: {videos_saved:?}"
    );
    let arrived_after = started.elapsed();
    // The photo's file job does not wait behind the video's either.
    let photo_saved = poll_until(BOT_TIMEOUT, || {
        files_in(&dir).iter().any(|n| n.ends_with(".jpg"))
    })
    .await;
    assert!(photo_saved, "the photo was not saved: {:?}", files_in(&dir));
    let videos_saved: Vec<String> = files_in(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".mp4"))
        .collect();
    assert!(
        videos_saved.is_empty(),
        "the photo was saved only after the video: {videos_saved:?}"
    );

    // Both end up stored, each once.
    let stored = poll_until(Duration::from_secs(30), || files_in(&dir).len() >= 2).await;
    assert!(stored, "{:?}", files_in(&dir));
    let mut expected = vec![sha256(&video), sha256(&photo)];
    expected.sort();
    assert_eq!(hashes_in(&dir), expected);
    running.stop().await;
    eprintln!(
        "a_photo_right_after_a_large_video_reaches_the_client_before_the_video_is_saved: \
         photo at {arrived_after:?}, total {:?}",
        started.elapsed()
    );
}
