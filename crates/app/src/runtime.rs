//! Hosting the long-running parts: the order index watcher and the Telegram bot.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use servicebot_core::orders::IndexWatcher;
use servicebot_core::orders::watch::WatchSettings;
use servicebot_core::store::Store;
use servicebot_telegram::{BotDeps, BotStatus, BotSupervisor};

use crate::{App, AppError, ErrorCode, Result};

/// How long the bot gets to stop before it is aborted.
const BOT_STOP_DEADLINE: Duration = Duration::from_secs(15);

/// The running parts of the app; stop them with [`RunningApp::stop`].
#[derive(Debug)]
pub struct RunningApp {
    watcher: Option<IndexWatcher>,
    bot: Arc<BotSupervisor>,
    status_log: tokio::task::JoinHandle<()>,
}

impl RunningApp {
    /// The bot's state (stopped, starting, running as @username, error with the reason).
    pub fn bot_status(&self) -> BotStatus {
        self.bot.status()
    }

    pub fn bot(&self) -> &Arc<BotSupervisor> {
        &self.bot
    }

    /// Stops the bot (within a deadline) and the watcher.
    pub async fn stop(mut self) {
        self.bot.stop(BOT_STOP_DEADLINE).await;
        self.status_log.abort();
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
        let status_log = tokio::spawn(log_status(bot.subscribe()));
        if self.config.telegram.token.is_empty() {
            tracing::warn!("telegram.token is not set: the bot cannot connect until it is");
        } else {
            let deps = BotDeps::new(
                self.config.clone(),
                Store::open(&self.database_path())?,
                Arc::clone(&self.index),
                self.data_dir.clone(),
            )
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
            bot.start(Arc::new(deps)).await;
        }
        Ok(RunningApp {
            watcher: Some(watcher),
            bot,
            status_log,
        })
    }

    /// Runs until `shutdown` completes, then stops everything. The order watcher logs every
    /// change of the orders folder's state, and the bot's state changes are logged too.
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

async fn log_status(mut status: tokio::sync::watch::Receiver<BotStatus>) {
    while status.changed().await.is_ok() {
        match status.borrow_and_update().clone() {
            BotStatus::Running { username } => tracing::info!(%username, "bot running"),
            BotStatus::Error { reason } => tracing::warn!(%reason, "bot error"),
            BotStatus::Starting => tracing::info!("bot starting"),
            BotStatus::Stopped => tracing::info!("bot stopped"),
        }
    }
}
