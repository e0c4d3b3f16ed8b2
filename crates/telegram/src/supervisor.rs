//! Starts, stops and restarts the bot on the application's tokio runtime and reports its state.
//! A bad token or an unreachable Telegram is a reported state, never a panic: the first `getMe`
//! is made here, and the dispatcher starts with `try_dispatch_with_listener`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

use crate::api::{Api, CallError};
use crate::context::Deps;
use crate::delivery::backoff;
use crate::files::{self, FileTuning};
use crate::outbox::{self, OutboxTuning};
use crate::poller::{self, PollStop, PollTuning};
use crate::{menus, process};

/// Timeout of one API request (a long poll adds its own duration to it).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the bot is doing, for the CLI's log and the GUI's status page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum BotStatus {
    Stopped,
    Starting,
    Running {
        username: String,
    },
    /// Not working: `problem` is what the GUI says (in the user's language); `reason` is the
    /// technical detail for the log and the "подробности" line.
    Error {
        problem: BotProblem,
        reason: String,
    },
}

/// Why the bot is not working, as a code the GUI branches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BotProblem {
    /// `telegram.token` is empty.
    TokenMissing,
    /// Telegram does not know the token.
    TokenRejected,
    /// `telegram.api_url` is not a usable URL.
    BadApiUrl,
    /// Telegram cannot be reached (network, Telegram down): retried by itself.
    Unreachable,
    /// Another copy of the bot polls with the same token.
    Conflict,
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
        self.start_tuned(deps, Tuning::default()).await;
    }

    /// Starts the bot with these intervals and limits (tests make them short).
    pub async fn start_tuned(&self, deps: Deps, tuning: Tuning) {
        self.stop(Duration::from_secs(15)).await;
        let mut running = self.running.lock().await;
        let token = deps.config.telegram.token.clone();
        if token.is_empty() {
            self.status.send_replace(BotStatus::Error {
                problem: BotProblem::TokenMissing,
                reason: "telegram.token is not set".into(),
            });
            return;
        }
        let (stop, stopped) = watch::channel(false);
        let status = self.status.clone();
        status.send_replace(BotStatus::Starting);
        let task = tokio::spawn(run(deps, tuning, status, stopped));
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

/// The intervals and limits the bot runs with; tests shorten them, production uses the
/// defaults (Telegram's real limits).
#[derive(Debug, Clone, Default)]
pub struct Tuning {
    pub poll: PollTuning,
    pub outbox: OutboxTuning,
    pub files: FileTuning,
    /// How often held files are tried again (default 10 s).
    pub spool_every: Option<Duration>,
    /// How often the phone files are checked for new numbers (default 3 s).
    pub phone_check: Option<Duration>,
}

async fn run(
    deps: Deps,
    tuning: Tuning,
    status: watch::Sender<BotStatus>,
    mut stop: watch::Receiver<bool>,
) {
    let token = deps.config.telegram.token.expose().to_owned();
    let url = deps.config.telegram.api_url.trim().to_owned();
    let apis = Api::new(&url, &token, REQUEST_TIMEOUT)
        .and_then(|api| Ok((api, Api::new(&url, &token, tuning.files.download_timeout)?)));
    let (api, file_api) = match apis {
        Ok(apis) => apis,
        Err(error) => {
            status.send_replace(BotStatus::Error {
                problem: BotProblem::BadApiUrl,
                reason: format!("telegram.api_url: {error}"),
            });
            return;
        }
    };
    let mut attempt = 0;
    let no_params = serde_json::json!({});
    let me: serde_json::Value = loop {
        let result = tokio::select! {
            result = api.call("getMe", &no_params) => result,
            _ = stop.changed() => return,
        };
        match result {
            Ok(me) => break me,
            Err(CallError::InvalidToken) => {
                tracing::error!("Telegram rejected the bot token");
                status.send_replace(BotStatus::Error {
                    problem: BotProblem::TokenRejected,
                    reason: "Telegram rejected the bot token".into(),
                });
                return;
            }
            Err(error) => {
                attempt += 1;
                let wait = backoff(attempt, 0.5).min(Duration::from_secs(60));
                tracing::warn!(%error, ?wait, "cannot reach Telegram; retrying");
                status.send_replace(BotStatus::Error {
                    problem: BotProblem::Unreachable,
                    reason: format!("cannot reach Telegram: {error}"),
                });
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    };
    let username = me["username"].as_str().unwrap_or_default().to_owned();
    tracing::info!(%username, "bot connected");
    // The app builds invite links (`https://t.me/<username>?start=<token>`) from this.
    if let Err(error) = deps.store().bot_state().set(BOT_USERNAME_KEY, &username) {
        tracing::warn!(%error, "cannot record the bot's username");
    }
    if let Err(error) = menus::install_all(&deps) {
        tracing::warn!(%error, "cannot queue the command menus");
    }
    let tasks = [
        tokio::spawn(outbox::run_worker(
            api.clone(),
            Arc::clone(&deps),
            tuning.outbox.clone(),
            stop.clone(),
        )),
        tokio::spawn(files::run(
            file_api,
            Arc::clone(&deps),
            tuning.files.clone(),
            stop.clone(),
        )),
        tokio::spawn(crate::storage::drain_spool_loop(
            Arc::clone(&deps),
            tuning.spool_every.unwrap_or(Duration::from_secs(10)),
            stop.clone(),
        )),
        tokio::spawn(crate::links::run(
            Arc::clone(&deps),
            tuning.phone_check.unwrap_or(crate::links::REFRESH_EVERY),
            stop.clone(),
        )),
        tokio::spawn(process::run(Arc::clone(&deps), stop.clone())),
    ];
    status.send_replace(BotStatus::Running {
        username: username.clone(),
    });
    let (health, mut health_rx) = watch::channel(Ok(()));
    let reporter = {
        let status = status.clone();
        let username = username.clone();
        tokio::spawn(async move {
            while health_rx.changed().await.is_ok() {
                let now = match &*health_rx.borrow() {
                    Ok(()) => BotStatus::Running {
                        username: username.clone(),
                    },
                    Err(error) => BotStatus::Error {
                        problem: BotProblem::Unreachable,
                        reason: format!("cannot reach Telegram: {error}"),
                    },
                };
                status.send_if_modified(|current| {
                    let changed = *current != now;
                    *current = now.clone();
                    changed
                });
            }
        })
    };
    let polled = poller::run(
        api,
        Arc::clone(&deps),
        tuning.poll.clone(),
        health,
        stop.clone(),
    )
    .await;
    reporter.abort();
    if let Err(reason) = polled {
        tracing::error!(%reason, "polling stopped");
        let problem = match reason {
            PollStop::InvalidToken => BotProblem::TokenRejected,
            PollStop::Conflict => BotProblem::Conflict,
        };
        status.send_replace(BotStatus::Error {
            problem,
            reason: reason.to_string(),
        });
    }
    let _ = stop.wait_for(|stopped| *stopped).await;
    for task in tasks {
        let _ = task.await;
    }
    tracing::info!(%username, "bot stopped");
}
