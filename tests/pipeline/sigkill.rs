//! SIGKILL at several points of a burst: a real `servicebot run` process killed while it
//! collects albums, relays and saves files, then restarted; nothing lost, nothing duplicated.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::Utc;
use servicebot_fake_telegram::{AlbumItem, FakeTelegram, SentMessage, TgUser};
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv};

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
                    ["sendMessage", "copyMessage", "sendMediaGroup"].contains(&m.method.as_str())
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
    notes
        .push(kill_between_sends("kill 3 (saving)", bot, &t, &db, &chats, client.id, &stage).await);

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
