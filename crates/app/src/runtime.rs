//! Hosting the long-running parts: the order index watcher and the Telegram bot.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use servicebot_core::orders::IndexWatcher;
use servicebot_core::orders::watch::WatchSettings;
use servicebot_core::store::Store;
use servicebot_telegram::{BotDeps, BotStatus, BotSupervisor, Tuning};

use crate::status::{self, SharedActivity};
use crate::{App, AppError, ErrorCode, Result};

/// How long the bot gets to stop before it is aborted.
const BOT_STOP_DEADLINE: Duration = Duration::from_secs(15);

/// The running parts of the app; stop them with [`RunningApp::stop`].
#[derive(Debug)]
pub struct RunningApp {
    watcher: Option<IndexWatcher>,
    bot: Arc<BotSupervisor>,
    /// What the bot needs to run; `None` when no token is configured.
    bot_deps: Option<Arc<BotDeps>>,
    /// The bot's intervals and limits (Telegram's real ones unless a test shortened them).
    bot_tuning: Tuning,
    pub(crate) activity: SharedActivity,
    status_tracker: tokio::task::JoinHandle<()>,
    stop_tracker: tokio::sync::oneshot::Sender<()>,
}

impl RunningApp {
    /// The bot's state (stopped, starting, running as @username, error with the reason).
    pub fn bot_status(&self) -> BotStatus {
        self.bot.status()
    }

    pub fn bot(&self) -> &Arc<BotSupervisor> {
        &self.bot
    }

    /// Starts the bot again after [`RunningApp::stop_bot`] (restarts it if it runs).
    pub async fn start_bot(&self) -> Result<()> {
        let Some(deps) = &self.bot_deps else {
            return Err(AppError::new(
                ErrorCode::BotNotConfigured,
                "telegram.token is not set: the bot cannot connect until it is",
            ));
        };
        self.bot
            .start_tuned(Arc::clone(deps), self.bot_tuning.clone())
            .await;
        Ok(())
    }

    /// Stops the bot (within a deadline); the order watcher keeps running.
    pub async fn stop_bot(&self) {
        self.bot.stop(BOT_STOP_DEADLINE).await;
    }

    /// Stops the bot (within a deadline) and the watcher.
    pub async fn stop(mut self) {
        self.bot.stop(BOT_STOP_DEADLINE).await;
        // The tracker records when the bot was last online before it ends.
        let _ = self.stop_tracker.send(());
        if tokio::time::timeout(Duration::from_secs(5), &mut self.status_tracker)
            .await
            .is_err()
        {
            self.status_tracker.abort();
        }
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
    }
}

impl App {
    /// Starts watching the orders root and, when a token is set, the bot. Must be called
    /// inside the tokio runtime that will run the bot.
    pub async fn start(&self) -> Result<RunningApp> {
        if self.config.orders.root.as_os_str().is_empty() {
            tracing::warn!("orders.root is not set: no orders can be chosen until it is");
        }
        // The watcher thread records first-seen dates through a connection of its own.
        let ledger = Store::open(&self.database_path())?;
        let settings = WatchSettings {
            root: self.config.orders.root.clone(),
            closed_keyword: self.config.orders.closed_keyword.clone(),
            rescan_every: Duration::from_secs(self.config.orders.rescan_seconds),
        };
        let watcher = IndexWatcher::start(Arc::clone(&self.index), settings, Box::new(ledger))
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Internal,
                    format!("cannot start the order watcher: {e}"),
                )
            })?;
        let bot = Arc::new(BotSupervisor::new());
        let activity = SharedActivity::default();
        let (stop_tracker, tracker_stopped) = tokio::sync::oneshot::channel();
        let status_tracker = tokio::spawn(status::track(
            bot.subscribe(),
            Arc::clone(&activity),
            Store::open(&self.database_path())?,
            tracker_stopped,
        ));
        let bot_deps = if self.config.telegram.token.is_empty() {
            tracing::warn!("telegram.token is not set: the bot cannot connect until it is");
            None
        } else {
            let deps = BotDeps::new(
                self.config.clone(),
                Store::open(&self.database_path())?,
                Arc::clone(&self.index),
                self.data_dir.clone(),
            )
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
            Some(Arc::new(deps))
        };
        let running = RunningApp {
            watcher: Some(watcher),
            bot,
            bot_deps,
            bot_tuning: self.bot_tuning.clone(),
            activity,
            status_tracker,
            stop_tracker,
        };
        if running.bot_deps.is_some() {
            running.start_bot().await?;
        }
        Ok(running)
    }

    /// Runs until `shutdown` completes, then stops everything. The order watcher logs every
    /// change of the orders folder's state, and the status tracker logs the bot's.
    pub async fn run_until(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        let running = self.start().await?;
        tracing::info!(
            config = %self.config_path.display(),
            data = %self.data_dir.display(),
            "ServiceBot started"
        );
        shutdown.await;
        tracing::info!("stopping");
        running.stop().await;
        tracing::info!("ServiceBot stopped");
        Ok(())
    }
}
