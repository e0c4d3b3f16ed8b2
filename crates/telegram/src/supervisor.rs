//! Starts, stops and restarts the bot on the application's tokio runtime and reports its state.
//! A bad token or an unreachable Telegram is a reported state, never a panic: the first `getMe`
//! is made here, and the dispatcher starts with `try_dispatch_with_listener`.

use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;
use teloxide::{ApiError, RequestError};
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

use crate::context::Deps;
use crate::errors::backoff;
use crate::media::MediaBot;
use crate::{TgBot, menus, outbox, schema};

/// Long-poll duration of each `getUpdates`.
const POLL_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout of one API request; longer than a long poll.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Timeout of one file download: a 2 GB video from a local Bot API server, or 20 MB on a slow
/// line, must not be cut off.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What the bot is doing, for the CLI's log and the GUI's status page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BotStatus {
    Stopped,
    Starting,
    Running { username: String },
    Error { reason: String },
}

struct Running {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Owns the running bot, if any.
pub struct BotSupervisor {
    status: watch::Sender<BotStatus>,
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for BotSupervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotSupervisor")
            .field("status", &*self.status.borrow())
            .finish()
    }
}

impl Default for BotSupervisor {
    fn default() -> Self {
        Self::new()
    }
}

impl BotSupervisor {
    pub fn new() -> Self {
        Self {
            status: watch::Sender::new(BotStatus::Stopped),
            running: Mutex::new(None),
        }
    }

    pub fn status(&self) -> BotStatus {
        self.status.borrow().clone()
    }

    /// Follow status changes.
    pub fn subscribe(&self) -> watch::Receiver<BotStatus> {
        self.status.subscribe()
    }

    /// Starts the bot (stopping a running one first). Returns at once; watch the status.
    pub async fn start(&self, deps: Deps) {
        self.stop(Duration::from_secs(15)).await;
        let mut running = self.running.lock().await;
        let token = deps.config.telegram.token.clone();
        if token.is_empty() {
            self.status.send_replace(BotStatus::Error {
                reason: "telegram.token is not set".into(),
            });
            return;
        }
        let (stop, stopped) = watch::channel(false);
        let status = self.status.clone();
        status.send_replace(BotStatus::Starting);
        let task = tokio::spawn(run(deps, status, stopped));
        *running = Some(Running { stop, task });
    }

    /// Stops the bot within `deadline`; after it the task is aborted.
    pub async fn stop(&self, deadline: Duration) {
        let Some(running) = self.running.lock().await.take() else {
            return;
        };
        let _ = running.stop.send(true);
        let mut task = running.task;
        if tokio::time::timeout(deadline, &mut task).await.is_err() {
            tracing::warn!("the bot did not stop in time; aborting it");
            task.abort();
        }
        self.status.send_replace(BotStatus::Stopped);
    }
}

/// The `bot_state` key holding the bot's @username, as Telegram last reported it.
pub const BOT_USERNAME_KEY: &str = "bot_username";

fn plain_bot(deps: &Deps, timeout: Duration) -> Result<Bot, String> {
    let url = reqwest::Url::parse(deps.config.telegram.api_url.trim())
        .map_err(|e| format!("telegram.api_url is not a URL: {e}"))?;
    let client = teloxide::net::default_reqwest_settings()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("cannot create the HTTP client: {e}"))?;
    Ok(Bot::with_client(deps.config.telegram.token.expose(), client).set_api_url(url))
}

/// The paced bot for messages, and a plain one with long timeouts for downloads.
fn make_bots(deps: &Deps) -> Result<(TgBot, MediaBot), String> {
    let bot = plain_bot(deps, REQUEST_TIMEOUT)?.throttle(Limits::default());
    Ok((bot, MediaBot(plain_bot(deps, DOWNLOAD_TIMEOUT)?)))
}

async fn run(deps: Deps, status: watch::Sender<BotStatus>, mut stop: watch::Receiver<bool>) {
    let (bot, media_bot) = match make_bots(&deps) {
        Ok(bots) => bots,
        Err(reason) => {
            status.send_replace(BotStatus::Error { reason });
            return;
        }
    };
    let mut attempt = 0;
    let me = loop {
        let result = tokio::select! {
            result = bot.get_me() => result,
            _ = stop.changed() => return,
        };
        match result {
            Ok(me) => break me,
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                tracing::error!("Telegram rejected the bot token");
                status.send_replace(BotStatus::Error {
                    reason: "Telegram rejected the bot token".into(),
                });
                return;
            }
            Err(error) => {
                attempt += 1;
                let wait = backoff(attempt).min(Duration::from_secs(60));
                tracing::warn!(%error, ?wait, "cannot reach Telegram; retrying");
                status.send_replace(BotStatus::Error {
                    reason: format!("cannot reach Telegram: {error}"),
                });
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    };
    let username = me.username().to_owned();
    tracing::info!(%username, "bot connected");
    // The app builds invite links (`https://t.me/<username>?start=<token>`) from this.
    if let Err(error) = deps.store().bot_state().set(BOT_USERNAME_KEY, &username) {
        tracing::warn!(%error, "cannot record the bot's username");
    }
    if let Err(error) = menus::install_all(&bot, &deps).await {
        tracing::warn!(%error, "cannot set the command menus");
    }
    let worker = tokio::spawn(outbox::run_worker(
        bot.clone(),
        Arc::clone(&deps),
        stop.clone(),
    ));
    let drainer = tokio::spawn(crate::storage::drain_spool_loop(
        Arc::clone(&deps),
        stop.clone(),
    ));
    let linker = tokio::spawn(crate::links::run(Arc::clone(&deps), stop.clone()));
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![Arc::clone(&deps), media_bot])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "update handler failed",
        ))
        .build();
    let shutdown = dispatcher.shutdown_token();
    let mut stop_watch = stop.clone();
    let stopper = tokio::spawn(async move {
        let _ = stop_watch.wait_for(|stopped| *stopped).await;
        // The dispatcher may still be starting: retry until it accepts the shutdown.
        loop {
            match shutdown.shutdown() {
                Ok(done) => {
                    done.await;
                    return;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    });
    status.send_replace(BotStatus::Running {
        username: username.clone(),
    });
    let listener = Polling::builder(bot).timeout(POLL_TIMEOUT).build();
    let result = dispatcher
        .try_dispatch_with_listener(
            listener,
            LoggingErrorHandler::with_custom_text("getUpdates failed"),
        )
        .await;
    if let Err(error) = result {
        status.send_replace(BotStatus::Error {
            reason: format!("the bot stopped: {error}"),
        });
    }
    stopper.abort();
    let _ = worker.await;
    let _ = drainer.await;
    let _ = linker.await;
    tracing::info!(%username, "bot stopped");
}
