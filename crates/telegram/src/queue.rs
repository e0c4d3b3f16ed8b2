//! Writing outbox rows: what every step that decides to send something calls, inside its own
//! transaction. The worker that sends them is `outbox.rs`.

use chrono::Utc;
use servicebot_core::store::{Store, StoreError};

use crate::payload::OutboxPayload;

/// Queues `payload` for `chat_id`: in the chat's lane unless it must not wait for it.
pub fn enqueue(
    store: &Store,
    chat_id: i64,
    payload: &OutboxPayload,
    transcript_id: Option<i64>,
    receipt_id: Option<i64>,
    now: chrono::DateTime<Utc>,
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(payload).map_err(|e| bad_payload(&e))?;
    let lane = payload.in_chat_lane().then_some(chat_id);
    store
        .outbox()
        .enqueue_in_lane(chat_id, lane, &json, transcript_id, receipt_id, now)
}

pub(crate) fn bad_payload(error: &serde_json::Error) -> StoreError {
    StoreError::BadValue {
        column: "outbox.payload",
        value: error.to_string(),
    }
}
