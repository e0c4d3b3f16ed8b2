//! The bot's pipeline measured end to end: the real app against the fake Bot API server with
//! 20 ms added to every call, file transfers at 5 MB/s and Telegram's sending limits enforced
//! (a 429 with `retry_after` beyond them), side by side with a bot that downloads each file
//! and uploads it again (what the previous bot did) where the comparison means something.
//! Run with `cargo bench -p servicebot-tests --bench pipeline`; it prints one Markdown table.
//!
//! - burst: 100 clients, each connected to an order of their own, get 10 photos each from the
//!   order's staff member, all sent at once: messages a second against Telegram's 30 a second,
//!   update → client latency, and every client's photos checked (none lost, none twice);
//! - a staff member's button press → its answer and the edited screen;
//! - 25 answers typed quickly by one staff member → the client has them, the receipts are final;
//! - one photo (100 KB, 15 MB), a 10-photo album, and that album right after a 15 MB video.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "benchmark: a failure must stop the run, and the table is its output"
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use servicebot_fake_telegram::{AlbumItem, FakeTelegram, SentMessage, TgUser};
use servicebot_tests::telegram::{
    BOT_TIMEOUT, RunningDispatcher, TelegramEnv, bot_for, start_dispatcher,
};
use teloxide::RequestError;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{FileId, InputFile, InputMedia, InputMediaPhoto};

const LATENCY: Duration = Duration::from_millis(20);
/// 5 MB/s (40 Mbit/s) for every file transfer.
const BANDWIDTH: u64 = 5_000_000;
/// Runs per fast operation, and per operation that takes seconds.
const RUNS: usize = 5;
const SLOW_RUNS: usize = 3;
/// The burst: clients (one order and one staff member each) × photos per client.
const BURST_CLIENTS: usize = 100;
const BURST_PHOTOS: usize = 10;
const BURST_PHOTO_BYTES: usize = 50 * 1024;
/// Telegram's overall limit, and the share of it the burst should reach.
const CEILING: f64 = 30.0;
const CEILING_TARGET: f64 = 0.9;
/// Texts in the busy chat, and how many busy chats run at once (their median is reported).
const BUSY_TEXTS: usize = 25;
const BUSY_CHATS: usize = 3;
const BIG: usize = 15 * 1024 * 1024;
/// How long the burst and the busy chat may take before the run is declared stuck.
const LONG_TIMEOUT: Duration = Duration::from_secs(600);
/// The naive bot's album debounce: it waits this long after an album's newest item.
const NAIVE_ALBUM_WAIT: Duration = Duration::from_secs(1);
/// An album must reach the client within this of its last item.
const ALBUM_TARGET: Duration = Duration::from_millis(500);

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

fn ratio(ours: Duration, naive: Duration) -> String {
    format!("{:.1}×", naive.as_secs_f64() / ours.as_secs_f64())
}

fn yes(met: bool) -> &'static str {
    if met { "yes" } else { "**no**" }
}

/// The network as the benchmark models it (`true`), or a quiet one for setting up.
fn network(fake: &FakeTelegram, real: bool) {
    fake.set_latency(if real { LATENCY } else { Duration::ZERO });
    fake.set_bandwidth(if real { BANDWIDTH } else { 0 });
    fake.enforce_limits(real);
}

/// Photo bytes tagged with `tag` in their first eight bytes (which every size the fake makes
/// keeps), so a photo is recognised after any relay, by file id or re-uploaded.
fn tagged(tag: u64, size: usize) -> Vec<u8> {
    let mut bytes = vec![0xAB; size.max(8)];
    bytes[..8].copy_from_slice(&tag.to_le_bytes());
    bytes
}

fn tag_of(fake: &FakeTelegram, message: &SentMessage) -> Option<u64> {
    let bytes = fake.file_bytes(&message.media.as_ref()?.file_id)?;
    Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?))
}

/// When the fake created `message_id` in `chat_id`, from its send log.
fn created_at(
    log: &[servicebot_fake_telegram::SendRecord],
    chat_id: i64,
    message_id: i32,
) -> Option<Instant> {
    log.iter()
        .find(|r| r.chat_id == chat_id && r.message_ids.contains(&message_id))
        .map(|r| r.at)
}

/// The bot's media messages to `chat_id` created after `since`, with when.
fn media_since(fake: &FakeTelegram, chat_id: i64, since: Instant) -> Vec<(SentMessage, Instant)> {
    let log = fake.send_log();
    fake.sent_to(chat_id)
        .into_iter()
        .filter(|m| m.media.is_some())
        .filter_map(|m| {
            let at = created_at(&log, chat_id, m.message_id)?;
            (at >= since).then_some((m, at))
        })
        .collect()
}

/// One row of the printed table.
struct Row {
    operation: String,
    ours: String,
    naive: String,
    ratio: String,
    target: String,
    met: String,
}

impl Row {
    fn new(operation: impl Into<String>, ours: impl Into<String>) -> Self {
        Self {
            operation: operation.into(),
            ours: ours.into(),
            naive: "–".into(),
            ratio: "–".into(),
            target: "–".into(),
            met: "–".into(),
        }
    }

    fn naive(mut self, naive: impl Into<String>, ratio: impl Into<String>) -> Self {
        self.naive = naive.into();
        self.ratio = ratio.into();
        self
    }

    fn target(mut self, target: impl Into<String>, met: bool) -> Self {
        self.target = target.into();
        self.met = yes(met).into();
        self
    }

    fn print(&self) {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            self.operation, self.ours, self.naive, self.ratio, self.target, self.met
        );
    }
}

// ---------------------------------------------------------------------------------------------
// ServiceBot

/// The orders made before the app starts (so the index has them), handed out one per use.
struct Orders {
    next: Mutex<usize>,
    total: usize,
}

impl Orders {
    fn of(n: usize) -> (String, String) {
        (format!("ЗН-{n:04}"), format!("8912000{n:04}"))
    }

    fn create(t: &TelegramEnv, total: usize) -> Self {
        for n in 1..=total {
            let (folder, phone) = Self::of(n);
            t.env.order_with_phones(&folder, &phone);
        }
        Self {
            next: Mutex::new(0),
            total,
        }
    }

    fn take(&self) -> usize {
        let mut next = self.next.lock().unwrap();
        *next += 1;
        assert!(*next <= self.total, "more orders used than made");
        *next
    }
}

/// A staff member in an order (stage "Прочее", visible to clients) and the order's client.
struct Pair {
    staff: TgUser,
    client: TgUser,
}

/// Registers order `n`'s client and a staff member of its own, who enters the order; on a
/// quiet network (the caller switches it).
async fn pair(t: &TelegramEnv, n: usize) -> Pair {
    let (folder, phone) = Orders::of(n);
    let client = t.client(&format!("Клиент {n}"), &phone);
    let staff = t.staff(&format!("Мастер {n}"));
    t.enter_order(&staff, &folder.to_lowercase(), &folder, "Прочее")
        .await;
    Pair { staff, client }
}

/// Pairs for `count` orders, entered `at_once` at a time (the bot paces its own answers, so
/// a hundred at once would outlast the helpers' timeouts).
async fn pairs(t: &Arc<TelegramEnv>, orders: &Orders, count: usize, at_once: usize) -> Vec<Pair> {
    let mut all = Vec::new();
    let numbers: Vec<usize> = (0..count).map(|_| orders.take()).collect();
    for chunk in numbers.chunks(at_once) {
        let mut set = tokio::task::JoinSet::new();
        for &n in chunk {
            let t = Arc::clone(t);
            set.spawn(async move { (n, pair(&t, n).await) });
        }
        let mut done = set.join_all().await;
        done.sort_by_key(|(n, _)| *n);
        all.extend(done.into_iter().map(|(_, p)| p));
    }
    all
}

/// Waits until the bot's own sends of the set-up are over and its buckets are full again.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(3)).await;
}

/// One relay: `send` as `p`'s staff member; returns the instant `send` returned (the
/// measurement starts there) and the client's first `expect` media messages with when they
/// were created.
async fn relay_once(
    fake: &FakeTelegram,
    p: &Pair,
    send: impl FnOnce(&FakeTelegram, &TgUser) -> Instant,
    expect: usize,
) -> (Instant, Vec<(SentMessage, Instant)>) {
    network(fake, true);
    let started = Instant::now();
    let from = send(fake, &p.staff);
    let arrived = fake
        .wait_until(BOT_TIMEOUT, |f| {
            f.sent_to(p.client.id)
                .iter()
                .filter(|m| m.media.is_some())
                .count()
                >= expect
        })
        .await;
    assert!(arrived, "the client did not get {expect} media messages");
    let got = media_since(fake, p.client.id, started);
    network(fake, false);
    (from, got)
}

/// The time from `from` to the last of `got` (only album items, if `album`).
fn time_to_last(from: Instant, got: &[(SentMessage, Instant)], album: bool) -> Duration {
    got.iter()
        .filter(|(m, _)| !album || m.media_group_id.is_some())
        .map(|(_, at)| at.saturating_duration_since(from))
        .max()
        .expect("messages")
}

// ---------------------------------------------------------------------------------------------
// The naive bot: download each file through the Bot API and upload it to the client again.

/// Which client each staff member's files go to.
type Routes = Arc<Mutex<HashMap<i64, i64>>>;

/// Albums being collected: items so far, and a counter bumped by each new item.
#[derive(Default)]
struct Album {
    items: Vec<(i32, FileId)>,
    generation: u64,
}
type Albums = Arc<Mutex<HashMap<String, Album>>>;

/// Retries a call after Telegram's `retry_after` until it is accepted (the naive bot has no
/// pacing of its own, but must not lose what Telegram refused).
async fn retrying<T, F, Fut>(mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    loop {
        match call().await {
            Err(RequestError::RetryAfter(after)) => tokio::time::sleep(after.duration()).await,
            other => return other,
        }
    }
}

async fn download(bot: &Bot, id: FileId) -> Result<Vec<u8>, RequestError> {
    let file = bot.get_file(id).await?;
    let mut bytes = Vec::new();
    bot.download_file(&file.path, &mut bytes)
        .await
        .map_err(|e| RequestError::Io(std::io::Error::other(e.to_string()).into()))?;
    Ok(bytes)
}

/// An album is sent once no item came for [`NAIVE_ALBUM_WAIT`]: every item downloaded, then
/// uploaded again as one album.
async fn flush_album(bot: Bot, albums: Albums, group: String, generation: u64, target: ChatId) {
    tokio::time::sleep(NAIVE_ALBUM_WAIT).await;
    let items = {
        let mut albums = albums.lock().unwrap();
        if albums
            .get(&group)
            .is_none_or(|a| a.generation != generation)
        {
            return;
        }
        albums.remove(&group).map(|a| a.items).unwrap_or_default()
    };
    let mut items = items;
    items.sort_by_key(|(id, _)| *id);
    let mut files = Vec::new();
    for (_, id) in items {
        match download(&bot, id).await {
            Ok(bytes) => files.push(bytes),
            Err(error) => eprintln!("naive bot: download failed: {error}"),
        }
    }
    let sent = retrying(|| {
        let media: Vec<InputMedia> = files
            .iter()
            .map(|b| InputMedia::Photo(InputMediaPhoto::new(InputFile::memory(b.clone()))))
            .collect();
        bot.send_media_group(target, media).into_future()
    })
    .await;
    if let Err(error) = sent {
        eprintln!("naive bot: album not sent: {error}");
    }
}

struct Naive {
    fake: FakeTelegram,
    routes: Routes,
    /// Runs until the process ends.
    _dispatcher: RunningDispatcher,
}

impl Naive {
    async fn start() -> Self {
        let fake = FakeTelegram::start().await;
        let routes: Routes = Arc::default();
        let albums: Albums = Arc::default();
        let handler = Update::filter_message().endpoint(
            |bot: Bot, msg: Message, routes: Routes, albums: Albums| async move {
                let Some(target) = routes.lock().unwrap().get(&msg.chat.id.0).copied() else {
                    return respond(());
                };
                let target = ChatId(target);
                let photo = msg
                    .photo()
                    .and_then(|s| s.last())
                    .map(|p| p.file.id.clone());
                if let (Some(group), Some(id)) = (msg.media_group_id(), photo.clone()) {
                    let generation = {
                        let mut albums = albums.lock().unwrap();
                        let album = albums.entry(group.0.clone()).or_default();
                        album.items.push((msg.id.0, id));
                        album.generation += 1;
                        album.generation
                    };
                    let group = group.0.clone();
                    tokio::spawn(flush_album(bot, albums, group, generation, target));
                    return respond(());
                }
                if let Some(id) = photo {
                    let bytes = download(&bot, id).await?;
                    retrying(|| {
                        bot.send_photo(target, InputFile::memory(bytes.clone()))
                            .into_future()
                    })
                    .await?;
                } else if let Some(video) = msg.video() {
                    let bytes = download(&bot, video.file.id.clone()).await?;
                    retrying(|| {
                        bot.send_video(target, InputFile::memory(bytes.clone()))
                            .into_future()
                    })
                    .await?;
                }
                respond(())
            },
        );
        let dispatcher = start_dispatcher(
            bot_for(&fake),
            handler,
            Duration::from_secs(10),
            dptree::deps![Arc::clone(&routes), albums],
        )
        .await;
        Self {
            fake,
            routes,
            _dispatcher: dispatcher,
        }
    }

    fn pair(&self, n: usize) -> Pair {
        let staff = self.fake.user(&format!("Мастер {n}"));
        let client = self.fake.user(&format!("Клиент {n}"));
        self.routes.lock().unwrap().insert(staff.id, client.id);
        Pair { staff, client }
    }

    /// Like [`relay_once`], for a new pair.
    async fn relay(
        &self,
        n: usize,
        send: impl FnOnce(&FakeTelegram, &TgUser) -> Instant,
        expect: usize,
    ) -> (Instant, Vec<(SentMessage, Instant)>) {
        let p = self.pair(n);
        relay_once(&self.fake, &p, send, expect).await
    }
}

// ---------------------------------------------------------------------------------------------
// The burst

/// What a burst measured, for either bot.
struct Burst {
    delivered: usize,
    lost: usize,
    duplicated: usize,
    out_of_order: usize,
    /// From the first update to the last client photo.
    span: Duration,
    /// Messages Telegram counts (every chat), created within the span.
    messages: usize,
    /// Calls that create no message but that the bot paces (edits, pins) within the span.
    other_paced: u64,
    p50: Duration,
    p99: Duration,
    refusals: Refusals,
}

/// The burst's 429 answers: by the limit that refused, and how many in its first second.
struct Refusals {
    global: usize,
    chat: usize,
    first_second: usize,
}

impl std::fmt::Display for Refusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} overall limit, {} chat limit; {} in the first second)",
            self.global + self.chat,
            self.global,
            self.chat,
            self.first_second
        )
    }
}

impl Burst {
    fn rate(&self) -> f64 {
        self.messages as f64 / self.span.as_secs_f64()
    }
}

/// Pushes `BURST_PHOTOS` photos from each pair's staff member, round by round; then waits for
/// every client to have them all and reports.
async fn burst(fake: &FakeTelegram, pairs: &[Pair]) -> Burst {
    let edits_before = fake.requests("editMessageText") + fake.requests("pinChatMessage");
    let refusals_before = fake.limit_refusals_total();
    network(fake, true);
    let mut sent_at: HashMap<u64, Instant> = HashMap::new();
    let first = Instant::now();
    for k in 0..BURST_PHOTOS {
        for (i, p) in pairs.iter().enumerate() {
            let tag = (i * BURST_PHOTOS + k) as u64;
            sent_at.insert(tag, Instant::now());
            fake.send_photo(&p.staff, tagged(tag, BURST_PHOTO_BYTES), None);
        }
    }
    let all_there = || {
        pairs.iter().all(|p| {
            fake.sent_to(p.client.id)
                .iter()
                .filter(|m| m.media.is_some())
                .count()
                >= BURST_PHOTOS
        })
    };
    assert!(
        poll(all_there).await,
        "the burst did not reach every client"
    );
    let other_paced =
        fake.requests("editMessageText") + fake.requests("pinChatMessage") - edits_before;
    // A duplicate would come after the last expected photo: give it a moment.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut latencies = Vec::new();
    let (mut delivered, mut lost, mut duplicated, mut out_of_order) = (0, 0, 0, 0);
    let mut last = first;
    for (i, p) in pairs.iter().enumerate() {
        let got = media_since(fake, p.client.id, first);
        let tags: Vec<u64> = got.iter().filter_map(|(m, _)| tag_of(fake, m)).collect();
        let expected: Vec<u64> = (0..BURST_PHOTOS)
            .map(|k| (i * BURST_PHOTOS + k) as u64)
            .collect();
        let mut seen: HashMap<u64, usize> = HashMap::new();
        for tag in &tags {
            *seen.entry(*tag).or_default() += 1;
        }
        lost += expected.iter().filter(|t| !seen.contains_key(t)).count();
        duplicated += seen.values().map(|n| n - 1).sum::<usize>();
        delivered += seen.keys().filter(|t| expected.contains(t)).count();
        if tags != expected {
            out_of_order += 1;
        }
        for (m, at) in &got {
            if let Some(sent) = tag_of(fake, m).and_then(|t| sent_at.get(&t)) {
                latencies.push(at.saturating_duration_since(*sent));
            }
            last = last.max(*at);
        }
    }
    latencies.sort();
    let messages = fake
        .send_log()
        .iter()
        .filter(|r| r.at >= first && r.at <= last)
        .map(|r| r.message_ids.len())
        .sum();
    let refused: Vec<servicebot_fake_telegram::LimitRefusal> = fake
        .limit_refusal_log()
        .into_iter()
        .skip(usize::try_from(refusals_before).unwrap_or(usize::MAX))
        .collect();
    let refusals = Refusals {
        global: refused
            .iter()
            .filter(|r| r.limit == servicebot_fake_telegram::Limit::Global)
            .count(),
        chat: refused
            .iter()
            .filter(|r| r.limit != servicebot_fake_telegram::Limit::Global)
            .count(),
        first_second: refused
            .iter()
            .filter(|r| r.at.saturating_duration_since(first) < Duration::from_secs(1))
            .count(),
    };
    network(fake, false);
    Burst {
        delivered,
        lost,
        duplicated,
        out_of_order,
        span: last.saturating_duration_since(first),
        messages,
        other_paced,
        p50: latencies[latencies.len() / 2],
        p99: latencies[latencies.len() * 99 / 100],
        refusals,
    }
}

/// Waits until every staff member of `pairs` has `count` media receipts that are final.
async fn receipts_final(fake: &FakeTelegram, pairs: &[Pair], count: usize, prefix: &str) -> bool {
    poll(|| {
        pairs.iter().all(|p| {
            fake.sent_to(p.staff.id)
                .iter()
                .filter(|m| m.body().starts_with(prefix))
                .count()
                >= count
        })
    })
    .await
}

/// Checks `condition` every 20 ms (for conditions too costly to check on every change of the
/// fake) until it holds or [`LONG_TIMEOUT`] passes.
async fn poll(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + LONG_TIMEOUT;
    while !condition() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// A staff member's button press

/// Presses today's day on a fresh calendar (`/order`); the times to the press's answer and to
/// the edited screen, and the bot's calls in between.
async fn tap(t: &TelegramEnv, staff: &TgUser) -> (Duration, Duration) {
    network(&t.fake, false);
    let before = t.fake.chat_history(staff.id).len();
    t.fake.send_command(staff, "/order");
    let today = chrono::Datelike::day(&chrono::Local::now().date_naive());
    let label_prefix = format!("[{today}(");
    let calendar = |f: &FakeTelegram| {
        f.chat_history(staff.id).into_iter().skip(before).find(|m| {
            m.from_bot
                && m.button_texts()
                    .iter()
                    .any(|b| b.starts_with(&label_prefix))
        })
    };
    assert!(
        t.fake
            .wait_until(BOT_TIMEOUT, |f| calendar(f).is_some())
            .await
    );
    let screen = calendar(&t.fake).expect("calendar");
    let label = screen
        .button_texts()
        .into_iter()
        .find(|b| b.starts_with(&label_prefix))
        .expect("today");
    settle().await;
    network(&t.fake, true);
    let started = Instant::now();
    let query = t.fake.press_button_on(staff, screen.message_id, &label);
    let (mut answered, mut edited) = (None, None);
    let done = t
        .fake
        .wait_until(BOT_TIMEOUT, |f| {
            if answered.is_none() && f.callback_answer(&query).is_some() {
                answered = Some(started.elapsed());
            }
            let edits = f
                .chat_history(staff.id)
                .iter()
                .find(|m| m.message_id == screen.message_id)
                .map_or(0, |m| m.edits);
            if edited.is_none() && edits > screen.edits {
                edited = Some(started.elapsed());
            }
            answered.is_some() && edited.is_some()
        })
        .await;
    assert!(done, "the press was not answered and the screen not edited");
    network(&t.fake, false);
    (answered.expect("answered"), edited.expect("edited"))
}

// ---------------------------------------------------------------------------------------------
// A busy chat

/// One staff member types `BUSY_TEXTS` answers at once: the times until the client has them
/// all and until every receipt is final; panics if one is lost or doubled.
async fn busy_chat(fake: &FakeTelegram, p: &Pair) -> (Duration, Duration) {
    let client_before = fake.sent_to(p.client.id).len();
    let started = Instant::now();
    for k in 0..BUSY_TEXTS {
        fake.send_text(&p.staff, &format!("Ответ номер {k}."));
    }
    let mut client_done = None;
    let mut receipts_done = None;
    let finished = fake
        .wait_until(LONG_TIMEOUT, |f| {
            if client_done.is_none() && f.sent_to(p.client.id).len() >= client_before + BUSY_TEXTS {
                client_done = Some(started.elapsed());
            }
            let delivered = f
                .sent_to(p.staff.id)
                .iter()
                .filter(|m| m.body().starts_with("✉️ Доставлено"))
                .count();
            if receipts_done.is_none() && delivered >= BUSY_TEXTS {
                receipts_done = Some(started.elapsed());
            }
            client_done.is_some() && receipts_done.is_some()
        })
        .await;
    assert!(finished, "the busy chat did not finish");
    let texts: Vec<String> = fake
        .sent_to(p.client.id)
        .iter()
        .skip(client_before)
        .map(|m| m.body().to_owned())
        .collect();
    for k in 0..BUSY_TEXTS {
        let needle = format!("Ответ номер {k}.");
        let n = texts.iter().filter(|t| t.contains(&needle)).count();
        assert_eq!(n, 1, "answer {k} reached the client {n} times");
    }
    (
        client_done.expect("client"),
        receipts_done.expect("receipts"),
    )
}

// ---------------------------------------------------------------------------------------------

fn photo_sender(tag: u64, size: usize) -> impl FnOnce(&FakeTelegram, &TgUser) -> Instant {
    move |fake, staff| {
        fake.send_photo(staff, tagged(tag, size), None);
        Instant::now()
    }
}

fn album_items(tag: u64) -> Vec<AlbumItem> {
    (0..10)
        .map(|i| AlbumItem::photo(tagged(tag * 100 + i, 100 * 1024)))
        .collect()
}

/// Sends an album; the measurement starts when its last item is in.
fn album_sender(tag: u64, video_first: bool) -> impl FnOnce(&FakeTelegram, &TgUser) -> Instant {
    move |fake, staff| {
        if video_first {
            fake.send_video(staff, tagged(tag, BIG), None);
        }
        fake.send_album(staff, album_items(tag), None);
        Instant::now()
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let t = Arc::new(TelegramEnv::start().await);
    let orders = Orders::create(&t, BURST_CLIENTS + BUSY_CHATS + 2 * RUNS + 2 * SLOW_RUNS);
    let (_app, running) = t
        .start_app_tuned(servicebot_app::BotTuning::default())
        .await;
    let naive = Naive::start().await;
    let mut rows = Vec::new();

    // The burst.
    eprintln!("burst: setting up {BURST_CLIENTS} orders");
    network(&t.fake, false);
    let burst_pairs = pairs(&t, &orders, BURST_CLIENTS, 25).await;
    settle().await;
    eprintln!("burst: ServiceBot");
    let started = Instant::now();
    let ours = burst(&t.fake, &burst_pairs).await;
    let final_ok = receipts_final(&t.fake, &burst_pairs, BURST_PHOTOS, "✅").await;
    let receipts_time = started.elapsed();
    eprintln!("burst: download + re-upload");
    let naive_pairs: Vec<Pair> = (1..=BURST_CLIENTS).map(|n| naive.pair(n)).collect();
    let theirs = burst(&naive.fake, &naive_pairs).await;
    let shape = format!("{BURST_CLIENTS} clients × {BURST_PHOTOS} photos");
    let total = BURST_CLIENTS * BURST_PHOTOS;
    let account = |b: &Burst| {
        format!(
            "{}/{total}, {} lost, {} twice, {} clients out of order",
            b.delivered, b.lost, b.duplicated, b.out_of_order
        )
    };
    rows.push(
        Row::new(format!("burst {shape}: photos delivered"), account(&ours))
            .naive(account(&theirs), "–")
            .target("none lost or twice", ours.lost == 0 && ours.duplicated == 0),
    );
    rows.push(
        Row::new(
            format!("burst {shape}: last photo delivered"),
            ms(ours.span),
        )
        .naive(ms(theirs.span), ratio(ours.span, theirs.span)),
    );
    let rate = |b: &Burst| {
        format!(
            "{:.1}/s ({:.0}% of 30/s; {} messages)",
            b.rate(),
            100.0 * b.rate() / CEILING,
            b.messages
        )
    };
    rows.push(
        Row::new(
            format!("burst {shape}: messages a second, as Telegram counts them"),
            rate(&ours),
        )
        .naive(rate(&theirs), "–")
        .target(
            format!("≥ {:.0}/s", CEILING * CEILING_TARGET),
            ours.rate() >= CEILING * CEILING_TARGET,
        ),
    );
    rows.push(Row::new(
        format!("burst {shape}: paced calls a second (messages + edits and pins)"),
        format!(
            "{:.1}/s ({} edits and pins)",
            (ours.messages as f64 + ours.other_paced as f64) / ours.span.as_secs_f64(),
            ours.other_paced
        ),
    ));
    rows.push(
        Row::new(format!("burst {shape}: update → client, p50"), ms(ours.p50))
            .naive(ms(theirs.p50), ratio(ours.p50, theirs.p50)),
    );
    rows.push(
        Row::new(format!("burst {shape}: update → client, p99"), ms(ours.p99))
            .naive(ms(theirs.p99), ratio(ours.p99, theirs.p99)),
    );
    rows.push(
        Row::new(
            format!("burst {shape}: 429 answers"),
            ours.refusals.to_string(),
        )
        .naive(theirs.refusals.to_string(), "–"),
    );
    rows.push(Row::new(
        format!("burst {shape}: every staff receipt final"),
        if final_ok {
            ms(receipts_time)
        } else {
            format!("not within {}", ms(LONG_TIMEOUT))
        },
    ));

    // A staff member's press.
    eprintln!("staff taps");
    let tapper = t.staff("Мастер календаря");
    let mut answers = Vec::new();
    let mut screens = Vec::new();
    for _ in 0..RUNS {
        let (answer, screen) = tap(&t, &tapper).await;
        answers.push(answer);
        screens.push(screen);
    }
    let trips = |d: Duration| d.as_secs_f64() / LATENCY.as_secs_f64();
    let (answer, screen) = (median(answers), median(screens));
    rows.push(
        Row::new(
            "staff tap (calendar day) → button answered",
            format!("{} ({:.1} round trips)", ms(answer), trips(answer)),
        )
        .target(
            "≤ 2 round trips + processing (≤ 50 ms)",
            answer <= Duration::from_millis(50),
        ),
    );
    rows.push(
        Row::new(
            "staff tap (calendar day) → screen edited",
            format!("{} ({:.1} round trips)", ms(screen), trips(screen)),
        )
        .target(
            "≤ 2 round trips + processing (≤ 50 ms)",
            screen <= Duration::from_millis(50),
        ),
    );

    // A busy chat.
    eprintln!("busy chats");
    network(&t.fake, false);
    let busy_pairs = pairs(&t, &orders, BUSY_CHATS, BUSY_CHATS).await;
    settle().await;
    network(&t.fake, true);
    // Concurrently, each in chats of its own: Telegram's limits that matter here are per chat.
    let results = join_all(busy_pairs.iter().map(|p| busy_chat(&t.fake, p)).collect()).await;
    network(&t.fake, false);
    let client_time = median(results.iter().map(|r| r.0).collect());
    let receipts_time = median(results.iter().map(|r| r.1).collect());
    rows.push(Row::new(
        format!("{BUSY_TEXTS} answers typed at once: the client has all"),
        ms(client_time),
    ));
    rows.push(Row::new(
        format!("{BUSY_TEXTS} answers typed at once: every receipt final"),
        ms(receipts_time),
    ));

    // Single relays, each by a pair of its own: Telegram's per-chat pacing stays out of them.
    eprintln!("single relays and albums");
    network(&t.fake, false);
    let relay_pairs = pairs(&t, &orders, 2 * RUNS + 2 * SLOW_RUNS, 8).await;
    let mut relay_pairs = relay_pairs.iter();
    settle().await;
    let mut tag = 1_000_000;
    for (label, size, runs) in [
        ("one 100 KB photo", 100 * 1024, RUNS),
        ("one 15 MB photo", BIG, SLOW_RUNS),
    ] {
        let (mut ours_times, mut naive_times) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            tag += 1;
            let p = relay_pairs.next().expect("a pair");
            let (from, got) = relay_once(&t.fake, p, photo_sender(tag, size), 1).await;
            ours_times.push(time_to_last(from, &got, false));
            let (from, got) = naive.relay(tag as usize, photo_sender(tag, size), 1).await;
            naive_times.push(time_to_last(from, &got, false));
        }
        let (a, b) = (median(ours_times), median(naive_times));
        rows.push(Row::new(label, ms(a)).naive(ms(b), ratio(a, b)));
    }
    for (label, video_first, runs) in [
        ("10-photo album (from its last item)", false, RUNS),
        (
            "10-photo album right after a 15 MB video (from its last item)",
            true,
            SLOW_RUNS,
        ),
    ] {
        let (mut ours_times, mut naive_times) = (Vec::new(), Vec::new());
        let expect = 10 + usize::from(video_first);
        for _ in 0..runs {
            tag += 1;
            let p = relay_pairs.next().expect("a pair");
            let (from, got) = relay_once(&t.fake, p, album_sender(tag, video_first), expect).await;
            ours_times.push(time_to_last(from, &got, true));
            let (from, got) = naive
                .relay(tag as usize, album_sender(tag, video_first), expect)
                .await;
            naive_times.push(time_to_last(from, &got, true));
        }
        let (a, b) = (median(ours_times), median(naive_times));
        rows.push(
            Row::new(label, ms(a))
                .naive(ms(b), ratio(a, b))
                .target(format!("≤ {}", ms(ALBUM_TARGET)), a <= ALBUM_TARGET),
        );
    }

    println!(
        "| {} ms per call, {} MB/s, Telegram's limits enforced | ServiceBot | download + re-upload | ratio | target | met? |",
        LATENCY.as_millis(),
        BANDWIDTH / 1_000_000
    );
    println!("|---|---:|---:|---:|---|---|");
    for row in &rows {
        row.print();
    }
    running.stop().await;
}

/// Runs futures concurrently on this task and collects their outputs in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("ready")).collect()
}
