//! What the desktop status page shows: the bot's state and last error, since when it has been
//! offline, the outbox queue, today's files and messages, and the orders folder.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Local, NaiveTime, TimeZone, Utc};
use serde::Serialize;
use servicebot_core::orders::RootState;
use servicebot_core::store::Store;
use servicebot_telegram::BotStatus;
use tokio::sync::watch;

use crate::{App, Result, RunningApp};

/// The `bot_state` key holding when the bot was last seen running (RFC 3339, UTC).
pub const LAST_ONLINE_KEY: &str = "last_online_at";

/// How often a running bot refreshes [`LAST_ONLINE_KEY`].
const ONLINE_MARK_EVERY: Duration = Duration::from_secs(30);

/// The status page, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    pub bot: BotStatus,
    /// The most recent error the bot reported in this run of the app, even if it recovered.
    pub last_error: Option<LastError>,
    /// When the bot was last running, if it is not running now (Telegram keeps undelivered
    /// updates for 24 hours only). `None` while running, or if it has never run.
    pub offline_since: Option<DateTime<Utc>>,
    /// Messages waiting in the outbox.
    pub outbox_queue: usize,
    /// Files received today (local time), from staff and clients.
    pub files_today: u64,
    /// Text messages recorded today (local time), both ways.
    pub messages_today: u64,
    pub orders_root: String,
    pub orders_found: usize,
    pub orders_state: RootState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastError {
    pub problem: servicebot_telegram::BotProblem,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// What the status tracker learnt from the bot's state changes.
#[derive(Debug, Default)]
pub(crate) struct BotActivity {
    last_error: Option<LastError>,
}

pub(crate) type SharedActivity = Arc<Mutex<BotActivity>>;

fn lock(activity: &SharedActivity) -> std::sync::MutexGuard<'_, BotActivity> {
    match activity.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Follows the bot's state: logs each change, remembers the last error, and keeps
/// [`LAST_ONLINE_KEY`] current while the bot runs. Ends when `stop` fires, after recording a last online mark if the bot was running.
pub(crate) async fn track(
    mut status: watch::Receiver<BotStatus>,
    activity: SharedActivity,
    store: Store,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let mut mark = tokio::time::interval(ONLINE_MARK_EVERY);
    let mut running = false;
    loop {
        tokio::select! {
            changed = status.changed() => {
                if changed.is_err() {
                    break;
                }
                let now = status.borrow_and_update().clone();
                let was_running = running;
                running = matches!(now, BotStatus::Running { .. });
                if running || was_running {
                    mark_online(&store);
                }
                log_change(&now);
                if let BotStatus::Error { problem, reason } = now {
                    lock(&activity).last_error = Some(LastError { problem, reason, at: Utc::now() });
                }
            }
            _ = mark.tick() => {
                if running {
                    mark_online(&store);
                }
            }
            _ = &mut stop => break,
        }
    }
    if running {
        mark_online(&store);
    }
}

fn mark_online(store: &Store) {
    let now = Utc::now().to_rfc3339();
    if let Err(error) = store.bot_state().set(LAST_ONLINE_KEY, &now) {
        tracing::warn!(%error, "cannot record when the bot was online");
    }
}

fn log_change(status: &BotStatus) {
    match status {
        BotStatus::Running { username } => tracing::info!(%username, "bot running"),
        BotStatus::Error { problem, reason } => tracing::warn!(?problem, %reason, "bot error"),
        BotStatus::Starting => tracing::info!("bot starting"),
        BotStatus::Stopped => tracing::info!("bot stopped"),
    }
}

/// The start of the local day containing `now`, in UTC.
fn start_of_day(now: DateTime<Local>) -> DateTime<Utc> {
    let midnight = now.date_naive().and_time(NaiveTime::MIN);
    Local.from_local_datetime(&midnight).earliest().map_or_else(
        || now.with_timezone(&Utc),
        |start| start.with_timezone(&Utc),
    )
}

impl App {
    /// The status page. `running` is `None` before the app was started.
    pub fn status(&self, running: Option<&RunningApp>, now: DateTime<Local>) -> Result<StatusView> {
        let bot = running.map_or(BotStatus::Stopped, RunningApp::bot_status);
        let last_error = running.and_then(|r| lock(&r.activity).last_error.clone());
        let since = start_of_day(now);
        let store = self.store();
        let offline_since = if matches!(bot, BotStatus::Running { .. }) {
            None
        } else {
            store
                .bot_state()
                .get(LAST_ONLINE_KEY)?
                .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
                .map(|at| at.with_timezone(&Utc))
        };
        let view = StatusView {
            bot,
            last_error,
            offline_since,
            outbox_queue: store.outbox().pending_count()?,
            files_today: store.media().count_since(since)?,
            messages_today: store.transcript().count_texts_since(since)?,
            orders_root: self.config.orders.root.display().to_string(),
            orders_found: self.order_count(),
            orders_state: self.orders_state(),
        };
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_starts_at_local_midnight() {
        let now = Local
            .with_ymd_and_hms(2026, 12, 1, 15, 30, 0)
            .single()
            .unwrap_or_else(Local::now);
        let start = start_of_day(now).with_timezone(&Local);
        assert_eq!(start.date_naive(), now.date_naive());
        assert_eq!(start.time(), NaiveTime::MIN);
    }
}
