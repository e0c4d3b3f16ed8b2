//! One outbox item: the Bot API call it becomes, and what its result changes — the item's
//! state, the transcript's delivery mark, a blocked client, the staff member's notice, the
//! card's message id, the receipt it is reported in. The result is recorded in one transaction
//! right after the call.

use chrono::{DateTime, Utc};
use serde_json::Value;
use servicebot_core::store::{
    Delivery, Direction, EntryKind, NewEntry, OutboxItem, OutboxState, Store, StoreError,
};
use servicebot_core::texts::TextKey;

use crate::api::{Api, CallError, Refusal, message_id_of};
use crate::context::BotDeps;
use crate::payload::{EditTarget, OutboxPayload, edit_message, send_message, simple_call};
use crate::queue::enqueue;

/// What a successful item did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// The message Telegram created or changed, if the call returns one.
    Message(Option<i32>),
    /// A new card was sent (the old one was gone): it is to be recorded and pinned.
    NewCard { staff_id: i64, message_id: i32 },
    /// Nothing to do any more (the message to edit was never sent).
    Skipped,
}

/// Makes the item's call.
pub async fn execute(
    api: &Api,
    deps: &BotDeps,
    item: &OutboxItem,
    payload: &OutboxPayload,
) -> Result<Sent, CallError> {
    let chat = item.chat_id;
    match payload {
        OutboxPayload::Edit {
            target: EditTarget::Item(id),
            html,
            markup,
        } => {
            let target = deps.store().outbox().sent_message_id(*id);
            let Ok(Some(message_id)) = target else {
                return Ok(Sent::Skipped);
            };
            let call = edit_message(chat, message_id, html, markup.as_ref());
            edit(api, call.method, &call.params).await
        }
        OutboxPayload::Card { staff_id, html } => {
            let card = deps
                .store()
                .staff_sessions()
                .get(*staff_id)
                .ok()
                .flatten()
                .and_then(|s| s.card_message_id);
            if let Some(message_id) = card {
                let call = edit_message(chat, message_id, html, None);
                match edit(api, call.method, &call.params).await {
                    Ok(Sent::Skipped) => {} // deleted by the user: send a new one
                    other => return other,
                }
            }
            let call = send_message(chat, html, None, true);
            let message: Value = api.call(call.method, &call.params).await?;
            Ok(match message_id_of(&message) {
                Some(message_id) => Sent::NewCard {
                    staff_id: *staff_id,
                    message_id,
                },
                None => Sent::Message(None),
            })
        }
        OutboxPayload::Document {
            file_name,
            content,
            caption_html,
        } => {
            let message = api
                .send_document(
                    chat,
                    file_name,
                    content.as_bytes().to_vec(),
                    caption_html.as_deref(),
                )
                .await?;
            Ok(Sent::Message(message_id_of(&message)))
        }
        OutboxPayload::Edit { .. } | OutboxPayload::EditMarkup { .. } => {
            let Some(call) = simple_call(chat, payload) else {
                return Ok(Sent::Skipped);
            };
            edit(api, call.method, &call.params).await
        }
        other => {
            let Some(call) = simple_call(chat, other) else {
                return Ok(Sent::Skipped);
            };
            let result: Value = api.call(call.method, &call.params).await?;
            Ok(Sent::Message(message_id_of(&result)))
        }
    }
}

/// An edit: "not modified" is success, "not found" means there is nothing to edit.
async fn edit(api: &Api, method: &str, params: &Value) -> Result<Sent, CallError> {
    match api.call::<Value>(method, params).await {
        Ok(result) => Ok(Sent::Message(message_id_of(&result))),
        Err(CallError::Refused {
            reason: Refusal::MessageNotModified,
            ..
        }) => Ok(Sent::Message(None)),
        Err(CallError::Refused {
            reason: Refusal::MessageToEditNotFound,
            ..
        }) => Ok(Sent::Skipped),
        Err(error) => Err(error),
    }
}

/// Items that could not be sent for this long are given up (Telegram keeps nothing longer).
const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::hours(24);

/// Records the result of one call.
pub fn record(
    deps: &BotDeps,
    item: &OutboxItem,
    payload: &OutboxPayload,
    result: Result<Sent, CallError>,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let store = deps.store();
    store.transaction(|store| {
        match result {
            Ok(sent) => sent_ok(store, item, sent, now)?,
            Err(error) => failed(store, deps, item, payload, &error, now)?,
        }
        if let Some(receipt) = item.receipt_id {
            crate::receipts::refresh(store, deps, receipt, now)?;
        }
        Ok::<_, StoreError>(())
    })?;
    drop(store);
    deps.outbox_ready.notify_one();
    Ok(())
}

fn sent_ok(
    store: &Store,
    item: &OutboxItem,
    sent: Sent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let message_id = match sent {
        Sent::Message(id) => id,
        Sent::Skipped => None,
        Sent::NewCard {
            staff_id,
            message_id,
        } => {
            store
                .staff_sessions()
                .set_card_message(staff_id, Some(message_id), now)?;
            let pin = OutboxPayload::Pin { message_id };
            enqueue(store, item.chat_id, &pin, None, None, now)?;
            Some(message_id)
        }
    };
    store.outbox().mark_sent(item.id, message_id, now)?;
    if let Some(id) = item.transcript_id {
        store.transcript().set_delivery(id, Delivery::Delivered)?;
    }
    Ok(())
}

fn failed(
    store: &Store,
    deps: &BotDeps,
    item: &OutboxItem,
    payload: &OutboxPayload,
    error: &CallError,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let detail = error.to_string();
    let outbox = store.outbox();
    match error {
        CallError::RateLimited { retry_after } => {
            tracing::info!(id = item.id, ?retry_after, "Telegram asked to wait");
            let wait = chrono::Duration::from_std(*retry_after).unwrap_or(chrono::Duration::MAX);
            outbox.postpone(item.id, now + wait)
        }
        _ if error.is_transient() || matches!(error, CallError::InvalidToken) => {
            if now - item.created_at > GIVE_UP_AFTER {
                tracing::error!(%detail, id = item.id, "giving up an item after a day");
                outbox.give_up_with_reason(
                    item.id,
                    OutboxState::Failed,
                    "undeliverable",
                    &detail,
                    now,
                )?;
                let reason = deps.text(TextKey::ReasonUndeliverable, &[]);
                return report_failure(store, deps, item, &reason, now);
            }
            let wait = backoff(item.attempts + 1, jitter(item.id, item.attempts));
            tracing::warn!(%detail, id = item.id, ?wait, "send failed; will retry");
            let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            outbox.retry_later(item.id, now + wait, &detail)
        }
        CallError::Blocked { .. } => {
            tracing::info!(chat = item.chat_id, "the recipient blocked the bot");
            outbox.give_up_with_reason(item.id, OutboxState::Blocked, "blocked", &detail, now)?;
            store.users().set_blocked_bot(item.chat_id, true)?;
            let reason = deps.text(TextKey::ReasonBlockedBot, &[]);
            report_failure(store, deps, item, &reason, now)
        }
        CallError::Refused { reason, .. } => {
            let quiet = matches!(payload, OutboxPayload::Answer { .. })
                || matches!(reason, Refusal::QueryTooOld);
            if quiet {
                // A button answered too late: the spinner has stopped by itself.
                tracing::info!(%detail, id = item.id, "a button answer came too late");
            } else {
                tracing::error!(%detail, id = item.id, "Telegram refused an outgoing item");
            }
            outbox.give_up_with_reason(
                item.id,
                OutboxState::Failed,
                reason.code(),
                &detail,
                now,
            )?;
            if quiet {
                return Ok(());
            }
            let reason = deps.text(TextKey::ReasonRefused, &[]);
            report_failure(store, deps, item, &reason, now)
        }
        _ => {
            // The call succeeded but its answer could not be read: it was sent.
            tracing::error!(%detail, id = item.id, "unreadable answer to a sent item");
            outbox.mark_sent(item.id, None, now)
        }
    }
}

/// Backoff before the `attempt`-th retry (1-based): 1 s doubling to a minute, spread by
/// `jitter` in [0, 1) over ±25% so retries of many items do not arrive together.
pub fn backoff(attempt: u32, jitter: f64) -> std::time::Duration {
    let base = 2f64.powi(i32::try_from(attempt.saturating_sub(1).min(6)).unwrap_or(6));
    let seconds = base.min(60.0) * (0.75 + 0.5 * jitter.clamp(0.0, 1.0));
    std::time::Duration::from_secs_f64(seconds)
}

/// A jitter in [0, 1) derived from the item and attempt: spread, yet reproducible in tests.
fn jitter(id: i64, attempt: u32) -> f64 {
    let mut x = (id as u64) ^ (u64::from(attempt) << 32) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x % 1000) as f64 / 1000.0
}

/// A message to a client that will never arrive: marked in the transcript, recorded there as
/// an event, and told to the staff member who wrote it (SPEC §4.7, §6).
fn report_failure(
    store: &Store,
    deps: &BotDeps,
    item: &OutboxItem,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(id) = item.transcript_id else {
        return Ok(());
    };
    store.transcript().mark_failed_unless_delivered(id)?;
    let Some(original) = store.transcript().get(id)? else {
        return Ok(());
    };
    let original = original.entry;
    if original.direction != Direction::StaffToClient {
        return Ok(());
    }
    let name = store
        .users()
        .get(item.chat_id)?
        .map_or_else(|| item.chat_id.to_string(), |client| client.name());
    let mut event = NewEntry::new(
        &original.order_no,
        &original.order_folder,
        now,
        Direction::System,
        EntryKind::Event,
    );
    event.author_id = Some(item.chat_id);
    event.text = Some(deps.text(
        TextKey::EventDeliveryFailed,
        &[("name", name.as_str().into()), ("reason", reason.into())],
    ));
    store.transcript().append(&event)?;
    if item.receipt_id.is_some() {
        // The receipt the staff member already has is edited to say it.
        return Ok(());
    }
    let Some(author) = original
        .author_id
        .map(|a| store.users().get(a))
        .transpose()?
        .flatten()
    else {
        return Ok(());
    };
    let notice = deps.text(
        TextKey::DeliveryFailedStaff,
        &[
            ("order", original.order_no.as_str().into()),
            ("name", name.as_str().into()),
            ("reason", reason.into()),
        ],
    );
    let payload = OutboxPayload::text(teloxide::utils::html::escape(&notice));
    enqueue(
        store,
        author.chat_id.unwrap_or(author.telegram_id),
        &payload,
        None,
        None,
        now,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_minute_within_a_quarter_either_way() {
        let cases = [
            (1, 0.5, 1.0),
            (2, 0.5, 2.0),
            (3, 0.5, 4.0),
            (7, 0.5, 60.0),
            (50, 0.5, 60.0),
            (1, 0.0, 0.75),
            (1, 1.0, 1.25),
        ];
        for (attempt, jitter, seconds) in cases {
            let got = backoff(attempt, jitter).as_secs_f64();
            assert!(
                (got - seconds).abs() < 1e-9,
                "attempt {attempt}, jitter {jitter}: {got} s, expected {seconds} s"
            );
        }
    }

    #[test]
    fn jitter_spreads_items_over_the_whole_range() {
        let values: Vec<f64> = (0..1000).map(|id| jitter(id, 1)).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let low = values.iter().filter(|v| **v < 0.5).count();
        assert!((400..600).contains(&low), "{low} of 1000 below one half");
    }
}
