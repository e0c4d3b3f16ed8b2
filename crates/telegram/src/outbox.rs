//! The durable outbox (SPEC §6): handlers record what to send in SQLite; this worker sends it,
//! retrying with backoff on network and server errors, waiting `retry_after` on 429, giving up
//! on permanent refusals, and marking clients who blocked the bot. A restart loses nothing: the
//! queue is in the database.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use servicebot_core::store::{
    Delivery, Direction, EntryKind, NewEntry, OutboxItem, OutboxState, Store, StoreError,
};
use servicebot_core::texts::TextKey;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    FileId, InputFile, InputMedia, InputMediaAudio, InputMediaDocument, InputMediaPhoto,
    InputMediaVideo, MessageId, ParseMode,
};
use tokio::sync::watch;

use crate::TgBot;
use crate::context::BotDeps;
use crate::errors::{Failure, classify};

/// What to send; stored as JSON in the outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxPayload {
    /// An HTML text (already escaped), with an optional inline keyboard.
    Text {
        html: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keyboard: Option<teloxide::types::InlineKeyboardMarkup>,
    },
    /// A copy of an existing message (relay by file id), with an HTML caption.
    Copy {
        from_chat_id: i64,
        message_id: i32,
        caption_html: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keyboard: Option<teloxide::types::InlineKeyboardMarkup>,
    },
    /// An album of existing files (by file id).
    MediaGroup { items: Vec<GroupItem> },
}

/// One file of an album to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupItem {
    /// `photo`, `video`, `document` or `audio`.
    pub kind: String,
    pub file_id: String,
    pub caption_html: Option<String>,
}

fn input_media(item: &GroupItem) -> InputMedia {
    let file = InputFile::file_id(FileId(item.file_id.clone()));
    let caption = item.caption_html.clone();
    match item.kind.as_str() {
        "video" => {
            let mut media = InputMediaVideo::new(file).parse_mode(ParseMode::Html);
            if let Some(caption) = caption {
                media = media.caption(caption);
            }
            InputMedia::Video(media)
        }
        "document" => {
            let mut media = InputMediaDocument::new(file).parse_mode(ParseMode::Html);
            if let Some(caption) = caption {
                media = media.caption(caption);
            }
            InputMedia::Document(media)
        }
        "audio" => {
            let mut media = InputMediaAudio::new(file).parse_mode(ParseMode::Html);
            if let Some(caption) = caption {
                media = media.caption(caption);
            }
            InputMedia::Audio(media)
        }
        _ => {
            let mut media = InputMediaPhoto::new(file).parse_mode(ParseMode::Html);
            if let Some(caption) = caption {
                media = media.caption(caption);
            }
            InputMedia::Photo(media)
        }
    }
}

/// Queues `payload` for `chat_id`.
pub fn enqueue(
    store: &Store,
    chat_id: i64,
    payload: &OutboxPayload,
    transcript_id: Option<i64>,
    now: chrono::DateTime<Utc>,
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(payload).map_err(|e| StoreError::BadValue {
        column: "outbox.payload",
        value: e.to_string(),
    })?;
    store.outbox().enqueue(chat_id, &json, transcript_id, now)
}

/// How many items one pass sends at most; the rest wait for the next pass.
const BATCH: usize = 20;
/// The longest sleep between passes when nothing is due (new items wake the worker at once).
const IDLE_WAKE: Duration = Duration::from_secs(30);

/// Runs until `stop` turns true.
pub async fn run_worker(bot: TgBot, deps: Arc<BotDeps>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let due = deps.store().outbox().due(Utc::now(), BATCH);
        let due = match due {
            Ok(due) => due,
            Err(error) => {
                tracing::error!(%error, "cannot read the outbox");
                Vec::new()
            }
        };
        for item in &due {
            send_one(&bot, &deps, item).await;
        }
        if due.len() == BATCH {
            continue;
        }
        let wait = match deps.store().outbox().next_due_at() {
            Ok(Some(at)) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_WAKE),
            _ => IDLE_WAKE,
        };
        tokio::select! {
            () = deps.outbox_ready.notified() => {}
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn send_one(bot: &TgBot, deps: &BotDeps, item: &OutboxItem) {
    let payload: OutboxPayload = match serde_json::from_str(&item.payload) {
        Ok(payload) => payload,
        Err(error) => {
            tracing::error!(%error, id = item.id, "unreadable outbox item");
            let _ = deps.store().outbox().give_up(
                item.id,
                OutboxState::Failed,
                "unreadable payload",
                Utc::now(),
            );
            return;
        }
    };
    let chat = ChatId(item.chat_id);
    let result = match &payload {
        OutboxPayload::Text { html, keyboard } => {
            let mut request = bot
                .send_message(chat, html.clone())
                .parse_mode(ParseMode::Html);
            if let Some(keyboard) = keyboard {
                request = request.reply_markup(keyboard.clone());
            }
            request.await.map(|m| m.id)
        }
        OutboxPayload::Copy {
            from_chat_id,
            message_id,
            caption_html,
            keyboard,
        } => {
            let mut request = bot.copy_message(chat, ChatId(*from_chat_id), MessageId(*message_id));
            if let Some(caption) = caption_html {
                request = request.caption(caption.clone()).parse_mode(ParseMode::Html);
            }
            if let Some(keyboard) = keyboard {
                request = request.reply_markup(keyboard.clone());
            }
            request.await
        }
        OutboxPayload::MediaGroup { items } => {
            let media: Vec<InputMedia> = items.iter().map(input_media).collect();
            bot.send_media_group(chat, media).await.and_then(|sent| {
                sent.first()
                    .map(|m| m.id)
                    .ok_or_else(|| RequestError::Io(Arc::new(std::io::Error::other("empty album"))))
            })
        }
    };
    let now = Utc::now();
    let store = deps.store();
    let outcome = match result {
        Ok(message_id) => store
            .outbox()
            .mark_sent(item.id, Some(message_id.0), now)
            .and_then(|()| {
                item.transcript_id
                    .map_or(Ok(false), |id| {
                        store.transcript().set_delivery(id, Delivery::Delivered)
                    })
                    .map(|_| ())
            }),
        Err(error) => match classify(&error, item.attempts + 1) {
            Failure::Retry(after) => {
                tracing::warn!(%error, id = item.id, ?after, "send failed; will retry");
                let next = now
                    + chrono::Duration::from_std(after).unwrap_or(chrono::Duration::seconds(60));
                store
                    .outbox()
                    .retry_later(item.id, next, &error.to_string())
            }
            Failure::Blocked => {
                tracing::info!(chat = item.chat_id, "the recipient blocked the bot");
                store
                    .outbox()
                    .give_up(item.id, OutboxState::Blocked, &error.to_string(), now)
                    .and_then(|()| {
                        store
                            .users()
                            .set_blocked_bot(item.chat_id, true)
                            .map(|_| ())
                    })
                    .and_then(|()| {
                        report_failure(
                            &store,
                            deps,
                            item,
                            &deps.text(TextKey::ReasonBlockedBot, &[]),
                        )
                    })
            }
            Failure::Permanent(reason) => {
                tracing::error!(%reason, id = item.id, "Telegram refused an outgoing message");
                store
                    .outbox()
                    .give_up(item.id, OutboxState::Failed, &reason, now)
                    .and_then(|()| report_failure(&store, deps, item, &reason))
            }
        },
    };
    if let Err(error) = outcome {
        tracing::error!(%error, id = item.id, "cannot record the outbox result");
    }
}

/// A message to a client that will never arrive: marked in the transcript, recorded there as
/// an event, and told to the staff member who wrote it (SPEC §4.7, §6).
fn report_failure(
    store: &Store,
    deps: &BotDeps,
    item: &OutboxItem,
    reason: &str,
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
    let now = Utc::now();
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
    let Some(author) = original
        .author_id
        .map(|a| store.users().get(a))
        .transpose()?
    else {
        return Ok(());
    };
    if let Some(author) = author {
        let notice = deps.text(
            TextKey::DeliveryFailedStaff,
            &[
                ("order", original.order_no.as_str().into()),
                ("name", name.as_str().into()),
                ("reason", reason.into()),
            ],
        );
        let payload = OutboxPayload::Text {
            html: teloxide::utils::html::escape(&notice),
            keyboard: None,
        };
        enqueue(
            store,
            author.chat_id.unwrap_or(author.telegram_id),
            &payload,
            None,
            now,
        )?;
        deps.outbox_ready.notify_one();
    }
    Ok(())
}
