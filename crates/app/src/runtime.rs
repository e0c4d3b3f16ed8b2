//! Hosting the long-running parts: the order index watcher now; the Telegram bot joins here.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use servicebot_core::orders::IndexWatcher;
use servicebot_core::orders::watch::WatchSettings;
use servicebot_core::store::Store;

use crate::{App, AppError, ErrorCode, Result};

/// The running parts of the app; stopping it (or dropping it) stops them.
#[derive(Debug)]
pub struct RunningApp {
    watcher: Option<IndexWatcher>,
}

impl RunningApp {
    pub fn stop(mut self) {
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
    }
}

impl App {
    /// Starts watching the orders root (kept current until [`RunningApp::stop`]).
    pub fn start(&self) -> Result<RunningApp> {
        if self.config.orders.root.as_os_str().is_empty() {
            tracing::warn!("orders.root is not set: no orders can be chosen until it is");
        }
        if self.config.telegram.token.is_empty() {
            tracing::warn!("telegram.token is not set: the bot cannot connect until it is");
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
        Ok(RunningApp {
            watcher: Some(watcher),
        })
    }

    /// Runs until `shutdown` completes, then stops everything. The order watcher logs every
    /// change of the orders folder's state itself.
    pub async fn run_until(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        let running = self.start()?;
        tracing::info!(
            config = %self.config_path.display(),
            data = %self.data_dir.display(),
            "ServiceBot started"
        );
        shutdown.await;
        tracing::info!("stopping");
        running.stop();
        tracing::info!("ServiceBot stopped");
        Ok(())
    }
}
