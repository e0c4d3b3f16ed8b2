//! The durable pipeline under stress, end to end: a real `servicebot run` process killed with
//! SIGKILL in the middle of a burst, a fifth of all Bot API calls failing, Telegram gone for a
//! while, texts and captions over Telegram's limits, and a large video that must not hold up the
//! next photo. Each time: nothing lost, nothing duplicated, nothing out of order.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use servicebot_fake_telegram::{FakeTelegram, MediaKind, SentMessage, TgUser};
use servicebot_tests::telegram::{Scene, TelegramEnv, scene};
use sha2::{Digest, Sha256};

/// SIGKILL at several points of a burst. Real processes and signals: Unix only.
#[cfg(unix)]
mod sigkill;
/// A fifth of all calls failing; Telegram unreachable for a while.
mod faults;
/// Texts and captions over Telegram's limits; a large video that must not hold up a photo.
mod whole;
/// Telegram's real sending limits, enforced by the fake: the bot paces itself within them.
mod pacing;

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
