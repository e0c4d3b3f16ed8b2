//! Long polling of our own (SPEC §6): every `getUpdates` answer is written to the inbox in one
//! transaction before the next `getUpdates`, whose offset is what confirms the updates to
//! Telegram. A crash before the write loses nothing (Telegram sends them again); after it,
//! nothing is handled twice (the inbox holds each update id once).
//!
//! Albums: Telegram creates an album's messages together, so its items come in one or two
//! consecutive answers. While an album is open the poller asks again without waiting; an album
//! is complete when an answer to a `getUpdates` sent at least the grace period after its newest
//! item holds no further item of it. Then an "album closed" entry is written after its items,
//! and the processor handles the album as one batch. A straggler later than that opens a new
//! batch of the same album (saved and relayed too, in a second message): nothing is lost.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use servicebot_core::store::{ReceivedUpdate, StoreError};
use tokio::sync::watch;

use crate::api::{Api, CallError, update_id_of};
use crate::context::BotDeps;

/// The update kinds the bot handles.
pub const ALLOWED_UPDATES: &[&str] = &["message", "edited_message", "callback_query"];

/// The poller's timing.
#[derive(Debug, Clone)]
pub struct PollTuning {
    /// Long-poll duration when nothing is open.
    pub long_poll: Duration,
    /// How long after an album's newest item the poller asks whether more came.
    pub album_grace: Duration,
}

impl Default for PollTuning {
    fn default() -> Self {
        Self {
            long_poll: Duration::from_secs(10),
            album_grace: Duration::from_millis(150),
        }
    }
}

/// Why polling stopped for good (the supervisor reports it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PollStop {
    #[error("Telegram rejected the bot token")]
    InvalidToken,
    #[error("another copy of the bot is polling with this token")]
    Conflict,
}

/// What the poller reports while it runs: `Ok` after each answer, the error while Telegram
/// cannot be reached.
pub type PollHealth = watch::Sender<Result<(), CallError>>;

/// Polls until `stop` turns true (returns `Ok`) or Telegram refuses the bot for good.
pub async fn run(
    api: Api,
    deps: Arc<BotDeps>,
    tuning: PollTuning,
    health: PollHealth,
    mut stop: watch::Receiver<bool>,
) -> Result<(), PollStop> {
    let mut failures = 0u32;
    loop {
        if *stop.borrow() {
            return Ok(());
        }
        let offset = deps
            .store()
            .inbox()
            .next_offset()
            .ok()
            .flatten()
            .unwrap_or(0);
        let open = deps.store().inbox().open_albums().unwrap_or_default();
        let timeout = if open.is_empty() {
            u32::try_from(tuning.long_poll.as_secs()).unwrap_or(10)
        } else {
            // Ask again once the newest item of the oldest open album is a grace period old.
            let newest = open
                .iter()
                .map(|a| a.last_received_at)
                .min()
                .unwrap_or_default();
            let grace = chrono::Duration::from_std(tuning.album_grace).unwrap_or_default();
            if let Ok(wait) = (newest + grace - Utc::now()).to_std() {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return Ok(()),
                }
            }
            0
        };
        let asked_at = Utc::now();
        let answer = tokio::select! {
            answer = api.get_updates(offset, timeout, 100, ALLOWED_UPDATES) => answer,
            _ = stop.changed() => return Ok(()),
        };
        let updates = match answer {
            Ok(updates) => {
                failures = 0;
                let _ = health.send_replace(Ok(()));
                updates
            }
            Err(CallError::InvalidToken) => return Err(PollStop::InvalidToken),
            Err(CallError::Refused {
                reason: crate::api::Refusal::Conflict,
                ..
            }) => {
                return Err(PollStop::Conflict);
            }
            Err(error) => {
                failures += 1;
                let wait = error
                    .retry_after()
                    .unwrap_or_else(|| crate::delivery::backoff(failures, 0.5))
                    .min(Duration::from_secs(30));
                tracing::warn!(%error, ?wait, "getUpdates failed; retrying");
                let _ = health.send_replace(Err(error));
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.changed() => return Ok(()),
                }
                continue;
            }
        };
        let grace = chrono::Duration::from_std(tuning.album_grace).unwrap_or_default();
        if let Err(error) = write(&deps, &updates, asked_at, grace) {
            // Nothing was confirmed: the same updates come again with the same offset.
            tracing::error!(%error, "cannot write updates to the inbox; asking again");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        deps.inbox_ready.notify_one();
    }
}

/// Writes one answer and closes the albums it proves complete, in one transaction.
fn write(
    deps: &BotDeps,
    updates: &[Value],
    asked_at: chrono::DateTime<Utc>,
    grace: chrono::Duration,
) -> Result<(), StoreError> {
    let received: Vec<ReceivedUpdate> = updates
        .iter()
        .filter_map(|update| {
            Some(ReceivedUpdate {
                update_id: update_id_of(update)?,
                media_group_id: media_group_of(update),
                payload: update.to_string(),
            })
        })
        .collect();
    let now = Utc::now();
    let store = deps.store();
    store.transaction(|store| {
        store.inbox().receive(&received, now)?;
        for album in store.inbox().open_albums()? {
            let in_this_answer = received
                .iter()
                .any(|u| u.media_group_id.as_deref() == Some(album.media_group_id.as_str()));
            if !in_this_answer && album.last_received_at + grace <= asked_at {
                store.inbox().close_album(&album.media_group_id, now)?;
            }
        }
        Ok(())
    })
}

fn media_group_of(update: &Value) -> Option<String> {
    update
        .get("message")?
        .get("media_group_id")?
        .as_str()
        .map(str::to_owned)
}
