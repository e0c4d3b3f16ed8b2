//! Staff-to-client relay through the fake Telegram server with 20 ms latency on every call:
//! the time from the staff member's update to the client's message, for a 100 KB photo, a 15 MB
//! photo and a 10-photo album, against download-and-reupload (what the previous bot did) in the
//! same run. Run with `cargo bench -p servicebot-tests --bench relay`.
#![allow(
    clippy::expect_used,
    reason = "benchmark set-up: a failure must stop the run"
)]

use std::time::{Duration, Instant};

use servicebot_fake_telegram::{AlbumItem, FakeTelegram};
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv, bot_for, start_dispatcher};
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::InputFile;

const LATENCY: Duration = Duration::from_millis(20);
/// A 50 Mbit/s line for file transfers.
const BANDWIDTH: u64 = 50_000_000 / 8;
const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Times our relay: each run uses a fresh order and client, so Telegram's one-message-a-second
/// pacing per chat never enters the figure.
async fn ours(
    t: &TelegramEnv,
    run: usize,
    send: impl Fn(&FakeTelegram, &servicebot_fake_telegram::TgUser),
    expect: usize,
) -> Duration {
    let (folder, phone) = order_of(run);
    let client = t.client(&format!("Клиент {run}"), &phone);
    t.fake.set_latency(Duration::ZERO);
    t.fake.set_bandwidth(0);
    // A staff member per run: Telegram allows 20 messages a minute per chat, and receipts and
    // menus of earlier runs would otherwise pace this one.
    let staff = &t.staff(&format!("Мастер {run}"));
    t.enter_order(staff, &folder.to_lowercase(), &folder, "Прочее")
        .await;
    t.fake.set_latency(LATENCY);
    t.fake.set_bandwidth(BANDWIDTH);
    let started = Instant::now();
    send(&t.fake, staff);
    t.fake.wait_for_sent(client.id, expect, BOT_TIMEOUT).await;
    started.elapsed()
}

/// The order and phone of a run (all made before the app starts, so the index has them).
fn order_of(run: usize) -> (String, String) {
    (format!("ЗН-{run:04}"), format!("8912000{run:04}"))
}

/// The previous bot's way, measured the same way (staff update in, client message out): a bot
/// whose handler downloads each photo through the Bot API and uploads it to the client again.
struct Naive {
    fake: FakeTelegram,
    staff: servicebot_fake_telegram::TgUser,
    client: servicebot_fake_telegram::TgUser,
    dispatcher: servicebot_tests::telegram::RunningDispatcher,
}

impl Naive {
    async fn start() -> Self {
        let fake = FakeTelegram::start().await;
        let staff = fake.user("Мастер");
        let client = fake.user("Клиент");
        let target = ChatId(client.id);
        let handler = Update::filter_message().endpoint(move |bot: Bot, msg: Message| async move {
            if let Some(largest) = msg.photo().and_then(|sizes| sizes.last()) {
                let file = bot.get_file(largest.file.id.clone()).await?;
                let mut bytes = Vec::new();
                bot.download_file(&file.path, &mut bytes).await?;
                bot.send_photo(target, InputFile::memory(bytes)).await?;
            }
            respond(())
        });
        let dispatcher = start_dispatcher(
            bot_for(&fake),
            handler,
            Duration::from_secs(10),
            dptree::deps![],
        )
        .await;
        Self {
            fake,
            staff,
            client,
            dispatcher,
        }
    }

    async fn relay(
        &self,
        send: impl Fn(&FakeTelegram, &servicebot_fake_telegram::TgUser),
        expect: usize,
    ) -> Duration {
        let before = self.fake.sent_to(self.client.id).len();
        self.fake.set_latency(LATENCY);
        self.fake.set_bandwidth(BANDWIDTH);
        let started = Instant::now();
        send(&self.fake, &self.staff);
        self.fake
            .wait_for_sent(self.client.id, before + expect, BOT_TIMEOUT)
            .await;
        let elapsed = started.elapsed();
        self.fake.set_latency(Duration::ZERO);
        self.fake.set_bandwidth(0);
        elapsed
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let t = TelegramEnv::start().await;
        for run in 1..=3 * RUNS {
            let (folder, phone) = order_of(run);
            t.env.order_with_phones(&folder, &phone);
        }
        let (_app, running) = t.start_app().await;
        let mut run = 0;
        println!(
            "| relay ({} ms per call, {} Mbit/s) | ServiceBot (file id) | download + re-upload | ratio |",
            LATENCY.as_millis(),
            BANDWIDTH * 8 / 1_000_000
        );
        println!("|---|---:|---:|---:|");
        for (label, size) in [("100 KB photo", 100 * 1024), ("15 MB photo", 15 * 1024 * 1024)] {
            let bytes = vec![0xAB; size];
            let mut ours_times = Vec::new();
            let mut naive_times = Vec::new();
            let naive = Naive::start().await;
            for _ in 0..RUNS {
                run += 1;
                let payload = bytes.clone();
                let send = move |fake: &FakeTelegram, staff: &servicebot_fake_telegram::TgUser| {
                    fake.send_photo(staff, payload.clone(), None);
                };
                ours_times.push(ours(&t, run, send.clone(), 1).await);
                naive_times.push(naive.relay(send, 1).await);
            }
            naive.dispatcher.stop().await;
            let (a, b) = (median(ours_times), median(naive_times));
            println!("| {label} | {} | {} | {:.1}× |", ms(a), ms(b), b.as_secs_f64() / a.as_secs_f64());
        }
        let mut album_times = Vec::new();
        let mut naive_album = Vec::new();
        let naive = Naive::start().await;
        for _ in 0..RUNS {
            run += 1;
            let photos: Vec<AlbumItem> = (0..10u8).map(|i| AlbumItem::photo(vec![i; 100 * 1024])).collect();
            let send = move |fake: &FakeTelegram, staff: &servicebot_fake_telegram::TgUser| {
                fake.send_album(staff, photos.clone(), None);
            };
            album_times.push(ours(&t, run, send.clone(), 10).await);
            naive_album.push(naive.relay(send, 10).await);
        }
        naive.dispatcher.stop().await;
        let (a, b) = (median(album_times), median(naive_album));
        println!(
            "| 10-photo album (ServiceBot waits 1.2 s for the album to complete) | {} | {} | {:.1}× |",
            ms(a),
            ms(b),
            b.as_secs_f64() / a.as_secs_f64()
        );
        running.stop().await;
    });
}
