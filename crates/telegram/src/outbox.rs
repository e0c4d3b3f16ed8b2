//! The one outbox (SPEC §6): everything the bot sends is a row written by the transaction that
//! decided it; this worker sends the rows. Each lane (a chat) is sent in order, one item at a
//! time; lanes run concurrently, paced by token buckets per chat and overall
//! (`servicebot_core::pacing`), so a reply to a user's own action goes out at once while a long
//! series is spread over Telegram's limits. Failures are classified by the API client: a 429
//! pauses only that chat for `retry_after`; 5xx, error pages and network errors are retried
//! with backoff and jitter (never a sleep on the worker); a blocked bot marks the user and
//! tells the sender; other refusals end the item with a typed reason.
//!
//! The one window for a duplicate: an item sent by Telegram whose result was not yet recorded
//! when the process died is sent again after the restart. Telegram has no idempotency key;
//! the window is one HTTP call, since the result is recorded right after it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use servicebot_core::pacing::Pacer;
use servicebot_core::store::OutboxState;
use tokio::sync::{mpsc, watch};

use crate::api::{Api, CallError};
use crate::context::BotDeps;
use crate::delivery::{execute, record};
use crate::payload::OutboxPayload;

/// How many lanes are looked at per pass.
const HEADS: usize = 500;
/// The longest sleep when nothing is due (new items wake the worker at once).
const IDLE_WAKE: Duration = Duration::from_secs(30);

/// The worker's tuning: pacing limits and how many calls may be in flight at once.
#[derive(Debug, Clone)]
pub struct OutboxTuning {
    pub limits: servicebot_core::pacing::Limits,
    pub max_in_flight: usize,
}

impl Default for OutboxTuning {
    fn default() -> Self {
        Self {
            limits: servicebot_core::pacing::Limits::default(),
            max_in_flight: 32,
        }
    }
}

/// What a finished call tells the worker.
struct Finished {
    id: i64,
    lane: Option<i64>,
    chat_id: i64,
    retry_after: Option<Duration>,
}

/// Runs until `stop` turns true; calls in flight then finish (they are short) before it returns.
pub async fn run_worker(
    api: Api,
    deps: Arc<BotDeps>,
    tuning: OutboxTuning,
    mut stop: watch::Receiver<bool>,
) {
    let mut pacer = Pacer::new(tuning.limits.clone(), Instant::now());
    let (finished_tx, mut finished_rx) = mpsc::unbounded_channel::<Finished>();
    let mut busy_items: HashSet<i64> = HashSet::new();
    let mut busy_lanes: HashSet<i64> = HashSet::new();
    loop {
        if *stop.borrow() {
            break;
        }
        let heads = deps.store().outbox().heads(HEADS);
        let mut heads = match heads {
            Ok(heads) => heads,
            Err(error) => {
                tracing::error!(%error, "cannot read the outbox");
                Vec::new()
            }
        };
        // Replies, then relays to clients, then receipts (`pacing::priority`); oldest first
        // within each, and a lane's own order is untouched since only heads are ranked.
        heads.sort_by_key(|item| (item.send_class(), item.id));
        let mut wake = IDLE_WAKE;
        let wall = Utc::now();
        let now = Instant::now();
        for item in heads {
            if busy_items.len() >= tuning.max_in_flight {
                break;
            }
            if busy_items.contains(&item.id) || item.lane.is_some_and(|l| busy_lanes.contains(&l)) {
                continue;
            }
            if item.next_attempt_at > wall {
                let until = (item.next_attempt_at - wall).to_std().unwrap_or_default();
                wake = wake.min(until);
                continue;
            }
            let payload: OutboxPayload = match serde_json::from_str(&item.payload) {
                Ok(payload) => payload,
                Err(error) => {
                    tracing::error!(%error, id = item.id, "unreadable outbox item");
                    let _ = deps.store().outbox().give_up(
                        item.id,
                        OutboxState::Failed,
                        "unreadable payload",
                        wall,
                    );
                    continue;
                }
            };
            if payload.is_paced()
                && let Err(wait) = pacer.reserve(item.chat_id, now)
            {
                wake = wake.min(wait);
                continue;
            }
            busy_items.insert(item.id);
            if let Some(lane) = item.lane {
                busy_lanes.insert(lane);
            }
            let api = api.clone();
            let deps = Arc::clone(&deps);
            let finished = finished_tx.clone();
            tokio::spawn(async move {
                let result = execute(&api, &deps, &item, &payload).await;
                let retry_after = match &result {
                    Err(CallError::RateLimited { retry_after }) => Some(*retry_after),
                    _ => None,
                };
                let deps_for_record = Arc::clone(&deps);
                let record_item = item.clone();
                let recorded = tokio::task::spawn_blocking(move || {
                    record(&deps_for_record, &record_item, &payload, result)
                })
                .await;
                match recorded {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        tracing::error!(%error, id = item.id, "cannot record an outbox result");
                    }
                    Err(error) => {
                        tracing::error!(%error, id = item.id, "recording an outbox result failed");
                    }
                }
                let _ = finished.send(Finished {
                    id: item.id,
                    lane: item.lane,
                    chat_id: item.chat_id,
                    retry_after,
                });
            });
        }
        tokio::select! {
            () = deps.outbox_ready.notified() => {}
            () = tokio::time::sleep(wake) => {}
            Some(done) = finished_rx.recv() => {
                finish(&mut pacer, &mut busy_items, &mut busy_lanes, done);
                while let Ok(done) = finished_rx.try_recv() {
                    finish(&mut pacer, &mut busy_items, &mut busy_lanes, done);
                }
            }
            _ = stop.changed() => {}
        }
    }
    // Let calls in flight record their results, so nothing sent is sent again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !busy_items.is_empty() {
        match tokio::time::timeout_at(deadline, finished_rx.recv()).await {
            Ok(Some(done)) => {
                busy_items.remove(&done.id);
            }
            _ => break,
        }
    }
}

fn finish(
    pacer: &mut Pacer,
    busy_items: &mut HashSet<i64>,
    busy_lanes: &mut HashSet<i64>,
    done: Finished,
) {
    busy_items.remove(&done.id);
    if let Some(lane) = done.lane {
        busy_lanes.remove(&lane);
    }
    if let Some(after) = done.retry_after {
        pacer.pause_chat(done.chat_id, Instant::now() + after);
    }
}
