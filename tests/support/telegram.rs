//! Helpers to run teloxide bots against the fake Bot API server.

use std::time::Duration;

use servicebot_fake_telegram::FakeTelegram;
use teloxide::RequestError;
use teloxide::dispatching::{DefaultKey, ShutdownToken, UpdateHandler};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;

/// A `Bot` talking to `fake` (never to the real Telegram).
pub fn bot_for(fake: &FakeTelegram) -> Bot {
    let url = reqwest::Url::parse(&fake.api_url()).expect("fake API URL");
    Bot::new(fake.token()).set_api_url(url)
}

/// A dispatcher running on a task, stopped through its shutdown token.
#[allow(
    missing_debug_implementations,
    reason = "teloxide's ShutdownToken has no Debug"
)]
pub struct RunningDispatcher {
    token: ShutdownToken,
    task: tokio::task::JoinHandle<()>,
}

/// Starts `handler` with long polling (`poll_timeout` per request) the way production does:
/// `try_dispatch_with_listener`, no Ctrl-C handler.
pub async fn start_dispatcher(
    bot: Bot,
    handler: UpdateHandler<RequestError>,
    poll_timeout: Duration,
    dependencies: DependencyMap,
) -> RunningDispatcher {
    let mut dispatcher: Dispatcher<Bot, RequestError, DefaultKey> =
        Dispatcher::builder(bot.clone(), handler)
            .dependencies(dependencies)
            .build();
    let token = dispatcher.shutdown_token();
    let listener = Polling::builder(bot).timeout(poll_timeout).build();
    let task = tokio::spawn(async move {
        let result = dispatcher
            .try_dispatch_with_listener(
                listener,
                LoggingErrorHandler::with_custom_text("update listener"),
            )
            .await;
        assert!(result.is_ok(), "dispatcher failed to start: {result:?}");
    });
    RunningDispatcher { token, task }
}

impl RunningDispatcher {
    /// Stops the dispatcher (retrying while it is still starting) within 20 s.
    pub async fn stop(self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match self.token.shutdown() {
                Ok(done) => {
                    tokio::time::timeout_at(deadline, done)
                        .await
                        .expect("dispatcher stops in time");
                    break;
                }
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(error) => panic!("dispatcher never became stoppable: {error:?}"),
            }
        }
        tokio::time::timeout_at(deadline, self.task)
            .await
            .expect("task ends")
            .expect("task ok");
    }
}

/// A [`crate::TestEnv`] whose config points at a fake Bot API server, with helpers to create
/// Telegram users who are already registered at a level, as staff, clients and admins.
#[derive(Debug)]
pub struct TelegramEnv {
    pub env: crate::TestEnv,
    pub fake: FakeTelegram,
    /// The local Bot API server's file folder, when the fake runs in local mode.
    _local_files: Option<tempfile::TempDir>,
}

impl TelegramEnv {
    /// A fresh installation configured for a fresh fake server (cloud API mode).
    pub async fn start() -> Self {
        Self::configured_for(FakeTelegram::start().await, None)
    }

    /// Like [`TelegramEnv::start`], with the fake acting as a local Bot API server (absolute
    /// `getFile` paths, no 20 MB limit).
    pub async fn start_local() -> Self {
        let files = tempfile::tempdir().expect("tempdir");
        let fake = FakeTelegram::start_local(files.path().to_owned()).await;
        Self::configured_for(fake, Some(files))
    }

    fn configured_for(fake: FakeTelegram, local_files: Option<tempfile::TempDir>) -> Self {
        let env = crate::TestEnv::with_config(&format!(
            "[telegram]\ntoken = \"{}\"\napi_url = \"{}\"\n",
            fake.token(),
            fake.api_url()
        ));
        Self {
            env,
            fake,
            _local_files: local_files,
        }
    }

    /// A Telegram user registered as staff (level 2) under `name`.
    pub fn staff(&self, name: &str) -> servicebot_fake_telegram::TgUser {
        self.registered(name, crate::Level::Staff, None)
    }

    /// A Telegram user registered as an admin (level 1) under `name`.
    pub fn admin(&self, name: &str) -> servicebot_fake_telegram::TgUser {
        self.registered(name, crate::Level::Admin, None)
    }

    /// A Telegram user registered as a client (level 3) with a verified phone.
    pub fn client(&self, name: &str, phone: &str) -> servicebot_fake_telegram::TgUser {
        self.registered(name, crate::Level::Client, Some(phone))
    }

    fn registered(
        &self,
        name: &str,
        level: crate::Level,
        phone: Option<&str>,
    ) -> servicebot_fake_telegram::TgUser {
        let user = self.fake.user(name);
        self.env.add_user(user.id, name, level, phone);
        user
    }
}

/// How long scenarios wait for the bot.
pub const BOT_TIMEOUT: Duration = Duration::from_secs(20);

impl TelegramEnv {
    /// A fresh installation whose token Telegram (the fake) does not accept.
    pub async fn start_with_config(extra: &str) -> Self {
        let fake = FakeTelegram::start().await;
        let env = crate::TestEnv::with_config(extra);
        Self {
            env,
            fake,
            _local_files: None,
        }
    }

    /// Opens the app on this installation and starts it (watcher and bot) the way `servicebot
    /// run` does; waits until the bot runs.
    pub async fn start_app(&self) -> (servicebot_app::App, servicebot_app::RunningApp) {
        self.start_app_tuned(fast_tuning()).await
    }

    /// [`TelegramEnv::start_app`] with the bot's intervals and limits given (the real ones:
    /// `BotTuning::default()`).
    pub async fn start_app_tuned(
        &self,
        tuning: servicebot_app::BotTuning,
    ) -> (servicebot_app::App, servicebot_app::RunningApp) {
        let app = servicebot_app::App::open(Some(&self.env.config_path), &|_| None)
            .expect("app opens")
            .with_bot_tuning(tuning);
        let running = app.start().await.expect("app starts");
        let started = wait_for_status(&running, |s| {
            matches!(s, servicebot_app::BotStatus::Running { .. })
        })
        .await;
        assert!(started, "bot did not start: {:?}", running.bot_status());
        (app, running)
    }

    /// Sends `/order <query>` as `staff`, presses the order button labelled `order_label`, then
    /// the stage button labelled `stage_label`; waits for the card to show the stage.
    pub async fn enter_order(
        &self,
        staff: &servicebot_fake_telegram::TgUser,
        query: &str,
        order_label: &str,
        stage_label: &str,
    ) {
        let before = self.fake.chat_history(staff.id).len();
        self.fake.send_command(staff, &format!("/order {query}"));
        // Wait for the answer to this command: a newer message offering the order.
        let offered = |f: &FakeTelegram| {
            f.chat_history(staff.id)
                .iter()
                .skip(before)
                .any(|m| m.from_bot && m.button_texts().iter().any(|b| b == order_label))
        };
        assert!(
            self.fake.wait_until(BOT_TIMEOUT, offered).await,
            "/order {query} did not offer {order_label}"
        );
        self.fake.press_button(staff, order_label);
        let has_stage_button = |f: &FakeTelegram| {
            f.sent_to(staff.id)
                .iter()
                .any(|m| m.button_texts().iter().any(|b| b == stage_label))
        };
        assert!(
            self.fake.wait_until(BOT_TIMEOUT, has_stage_button).await,
            "no stage buttons after choosing {order_label}"
        );
        let query_id = self.fake.press_button(staff, stage_label);
        assert!(
            self.fake
                .wait_until(BOT_TIMEOUT, |f| f.callback_answer(&query_id).is_some())
                .await,
            "stage press not answered"
        );
        let card_shows = |f: &FakeTelegram| {
            f.sent_to(staff.id)
                .iter()
                .any(|m| m.pinned && m.body().contains(stage_label))
        };
        assert!(
            self.fake.wait_until(BOT_TIMEOUT, card_shows).await,
            "the card does not show {stage_label}"
        );
    }
}

impl TelegramEnv {
    /// Presses the newest button labelled `label` in `user`'s chat and waits for the bot to
    /// answer the press; returns the answer.
    pub async fn press(
        &self,
        user: &servicebot_fake_telegram::TgUser,
        label: &str,
    ) -> servicebot_fake_telegram::CallbackAnswer {
        let query_id = self.fake.press_button(user, label);
        self.answer_of(&query_id).await
    }

    /// Presses the newest button whose label starts with `prefix`.
    pub async fn press_starting(
        &self,
        user: &servicebot_fake_telegram::TgUser,
        prefix: &str,
    ) -> servicebot_fake_telegram::CallbackAnswer {
        let label = self
            .fake
            .chat_history(user.id)
            .iter()
            .rev()
            .flat_map(|m| m.button_texts())
            .find(|b| b.starts_with(prefix))
            .unwrap_or_else(|| panic!("no button starting with {prefix:?}"));
        self.press(user, &label).await
    }

    /// Whether no bot message to `user` so far contains `needle`.
    pub fn never_told(&self, user: &servicebot_fake_telegram::TgUser, needle: &str) -> bool {
        self.fake
            .sent_to(user.id)
            .iter()
            .all(|m| !m.body().contains(needle))
    }

    /// Waits until `user`'s chat holds at least `n` bot messages satisfying `matches` (a new
    /// prompt identical to an old one is told apart by the count); returns the `n`-th.
    pub async fn nth_bot_message(
        &self,
        user: &servicebot_fake_telegram::TgUser,
        n: usize,
        matches: impl Fn(&servicebot_fake_telegram::SentMessage) -> bool,
    ) -> servicebot_fake_telegram::SentMessage {
        let found = |f: &FakeTelegram| {
            f.chat_history(user.id)
                .into_iter()
                .filter(|m| m.from_bot && !m.deleted && matches(m))
                .nth(n - 1)
        };
        assert!(
            self.fake
                .wait_until(BOT_TIMEOUT, |f| found(f).is_some())
                .await,
            "fewer than {n} such messages for user {}",
            user.id
        );
        found(&self.fake).expect("found")
    }

    /// Waits for the answer to a callback query.
    pub async fn answer_of(&self, query_id: &str) -> servicebot_fake_telegram::CallbackAnswer {
        assert!(
            self.fake
                .wait_until(BOT_TIMEOUT, |f| f.callback_answer(query_id).is_some())
                .await,
            "the press was not answered"
        );
        self.fake.callback_answer(query_id).expect("answered")
    }

    /// Waits for a bot message in `user`'s chat, newer than the first `after` messages of its
    /// history, that satisfies `matches` (edits of older messages count too).
    pub async fn bot_message(
        &self,
        user: &servicebot_fake_telegram::TgUser,
        matches: impl Fn(&servicebot_fake_telegram::SentMessage) -> bool,
    ) -> servicebot_fake_telegram::SentMessage {
        let find = |f: &FakeTelegram| {
            f.chat_history(user.id)
                .into_iter()
                .rev()
                .find(|m| m.from_bot && !m.deleted && matches(m))
        };
        assert!(
            self.fake
                .wait_until(BOT_TIMEOUT, |f| find(f).is_some())
                .await,
            "no such message for user {}: {:#?}",
            user.id,
            self.fake
                .chat_history(user.id)
                .iter()
                .map(|m| m.body().to_owned())
                .collect::<Vec<_>>()
        );
        find(&self.fake).expect("found")
    }
}

/// Waits until the bot's status satisfies `predicate`; false after [`BOT_TIMEOUT`].
pub async fn wait_for_status(
    running: &servicebot_app::RunningApp,
    predicate: impl FnMut(&servicebot_app::BotStatus) -> bool,
) -> bool {
    let mut status = running.bot().subscribe();
    // `wait_for` returns a `Ref` that holds the status lock: it must not outlive this call.
    let seen = tokio::time::timeout(BOT_TIMEOUT, status.wait_for(predicate)).await;
    matches!(seen, Ok(Ok(_)))
}

/// Polls `condition` (for state outside the fake, such as the database or the orders folder)
/// until it holds or [`BOT_TIMEOUT`] passes; returns whether it held.
pub async fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + BOT_TIMEOUT;
    while !condition() {
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

/// The bot's intervals shortened and pacing lifted so scenarios are fast; the album grace stays
/// Telegram's (it is what keeps an album whole). The real limits are exercised by the
/// `pipeline::sigkill` scenario (a real `servicebot run`) and the benchmarks.
pub fn fast_tuning() -> servicebot_app::BotTuning {
    servicebot_app::BotTuning {
        outbox: servicebot_app::OutboxTuning {
            limits: servicebot_core::pacing::Limits::unlimited(),
            ..servicebot_app::OutboxTuning::default()
        },
        spool_every: Some(Duration::from_millis(300)),
        phone_check: Some(Duration::from_millis(300)),
        ..servicebot_app::BotTuning::default()
    }
}

/// The order of [`scene`]: its phone file lists Анна's number.
pub const SCENE_ORDER: &str = "ЗН-004512 А123ВС77";

/// An order whose phone file lists Анна, a connected client, and Иван, a staff member, in it
/// at `stage` through the real buttons, with the app running in this process.
#[derive(Debug)]
pub struct Scene {
    pub t: TelegramEnv,
    pub staff: servicebot_fake_telegram::TgUser,
    pub client: servicebot_fake_telegram::TgUser,
    pub running: servicebot_app::RunningApp,
    pub _app: servicebot_app::App,
}

pub async fn scene(stage: &str) -> Scene {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones(SCENE_ORDER, "89123456789");
    let staff = t.staff("Иван");
    let client = t.client("Анна", "+79123456789");
    let (app, running) = t.start_app().await;
    t.enter_order(&staff, "a123", SCENE_ORDER, stage).await;
    Scene {
        t,
        staff,
        client,
        running,
        _app: app,
    }
}
