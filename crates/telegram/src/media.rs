//! Staff media: every photo, video, document, voice message, round video and audio sent in an
//! order is saved through the core media store into the stage folder, recorded, and relayed to
//! the order's connected clients by `file_id` (never downloaded and uploaded again). Albums are
//! collected by `media_group_id` and handled as one batch with one receipt.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use servicebot_core::dialogue::media::{BatchOutcome, Relay, album_chunks, receipt};
use servicebot_core::store::{
    Delivery, Direction, EntryKind, MediaKind, NewEntry, NewMedia, RelayStatus, StorageStatus,
};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::context::{BotDeps, Deps};
use crate::outbox::{self, GroupItem, OutboxPayload};
use crate::storage::{FileOutcome, save_batch};
use crate::{HandlerResult, TgBot, card};

/// Album items arriving within this quiet period belong to one batch.
const ALBUM_DEBOUNCE: Duration = Duration::from_millis(1200);
/// Telegram's cloud Bot API download limit.
const CLOUD_LIMIT_MB: u64 = 20;

/// The bot used for downloads: a client with timeouts long enough for large files.
#[derive(Debug, Clone)]
pub struct MediaBot(pub Bot);

/// One file of a staff message.
#[derive(Debug, Clone)]
pub struct IncomingMedia {
    pub message_id: MessageId,
    pub kind: MediaKind,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub caption: Option<String>,
    pub date: DateTime<Utc>,
    pub media_group_id: Option<String>,
}

/// The media of a message, if it has any (photos: the largest size).
pub fn incoming(msg: &Message) -> Option<IncomingMedia> {
    let (kind, file, file_name, mime) = if let Some(sizes) = msg.photo() {
        let largest = sizes
            .iter()
            .max_by_key(|p| (u64::from(p.width) * u64::from(p.height), p.file.size))?;
        (MediaKind::Photo, &largest.file, None, None)
    } else if let Some(video) = msg.video() {
        (
            MediaKind::Video,
            &video.file,
            video.file_name.clone(),
            video.mime_type.as_ref().map(ToString::to_string),
        )
    } else if let Some(document) = msg.document() {
        (
            MediaKind::Document,
            &document.file,
            document.file_name.clone(),
            document.mime_type.as_ref().map(ToString::to_string),
        )
    } else if let Some(voice) = msg.voice() {
        (
            MediaKind::Voice,
            &voice.file,
            None,
            voice.mime_type.as_ref().map(ToString::to_string),
        )
    } else if let Some(note) = msg.video_note() {
        (MediaKind::VideoNote, &note.file, None, None)
    } else if let Some(audio) = msg.audio() {
        (
            MediaKind::Audio,
            &audio.file,
            audio.file_name.clone(),
            audio.mime_type.as_ref().map(ToString::to_string),
        )
    } else {
        return None;
    };
    Some(IncomingMedia {
        message_id: msg.id,
        kind,
        file_id: file.id.0.clone(),
        file_unique_id: file.unique_id.0.clone(),
        file_name,
        mime_type: mime,
        caption: msg.caption().map(str::to_owned),
        date: msg.date,
        media_group_id: msg.media_group_id().map(|g| g.0.clone()),
    })
}

/// Albums being collected, by media group id.
#[derive(Debug, Default)]
pub struct AlbumCollector {
    pending: std::sync::Mutex<HashMap<String, (Vec<IncomingMedia>, Instant)>>,
}

impl AlbumCollector {
    /// Adds an item; returns true for the first item of its album.
    fn add(&self, group: &str, item: IncomingMedia) -> bool {
        let mut pending = crate::context::lock(&self.pending);
        let entry = pending
            .entry(group.to_owned())
            .or_insert_with(|| (Vec::new(), Instant::now()));
        entry.0.push(item);
        entry.1 = Instant::now();
        entry.0.len() == 1
    }

    /// The album, once no item arrived for the debounce period.
    fn take_if_quiet(&self, group: &str) -> Option<Vec<IncomingMedia>> {
        let mut pending = crate::context::lock(&self.pending);
        let quiet = pending
            .get(group)
            .is_some_and(|(_, last)| last.elapsed() >= ALBUM_DEBOUNCE);
        if quiet {
            pending.remove(group).map(|(items, _)| items)
        } else {
            None
        }
    }
}

/// A staff member's media message.
pub async fn staff_media(
    bot: TgBot,
    deps: Deps,
    media_bot: MediaBot,
    actor: Actor,
    item: IncomingMedia,
) -> HandlerResult {
    // Where the staff member is now, when the (first) item arrives: an album is filed where it
    // was sent, even if the stage is changed while its other items are still arriving.
    let session = deps.store().staff_sessions().get(actor.user.telegram_id)?;
    let position = session
        .as_ref()
        .and_then(|s| Some((s.order_folder.clone()?, s.stage_folder.clone()?)));
    in_batches(deps.clone(), item, move |items| async move {
        process_batch(&bot, &deps, &media_bot, &actor, position, items).await
    })
    .await
}

/// Runs `process` once per message, or once per album with all its items in order. Album items
/// arrive as separate updates; they are collected until none arrived for the debounce period.
pub(crate) async fn in_batches<F, Fut>(deps: Deps, item: IncomingMedia, process: F) -> HandlerResult
where
    F: FnOnce(Vec<IncomingMedia>) -> Fut + Send + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    let Some(group) = item.media_group_id.clone() else {
        return process(vec![item]).await;
    };
    if deps.albums.add(&group, item) {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(ALBUM_DEBOUNCE / 4).await;
                if let Some(mut items) = deps.albums.take_if_quiet(&group) {
                    items.sort_by_key(|i| i.message_id.0);
                    if let Err(error) = process(items).await {
                        tracing::error!(%error, "album handling failed");
                    }
                    return;
                }
            }
        });
    }
    Ok(())
}

async fn process_batch(
    bot: &TgBot,
    deps: &Deps,
    media_bot: &MediaBot,
    actor: &Actor,
    position: Option<(String, String)>,
    items: Vec<IncomingMedia>,
) -> HandlerResult {
    let order = position
        .as_ref()
        .and_then(|(folder, _)| deps.index.read().ok()?.get(folder).cloned());
    let stage = position
        .as_ref()
        .and_then(|(_, stage)| deps.config.stage(stage).cloned());
    let (Some(order), Some(stage)) = (order, stage) else {
        // Nothing is lost: the messages stay in the chat and can be sent again after choosing.
        bot.send_message(actor.chat_id, deps.text(TextKey::MediaNoOrder, &[]))
            .await?;
        return Ok(());
    };
    let author = actor.user.name();
    let clients = if stage.client_visible {
        card::connected_clients(deps, &order.folder)
    } else {
        Vec::new()
    };
    let relay = if !stage.client_visible {
        Relay::Internal
    } else if clients.is_empty() {
        Relay::NoClient
    } else {
        Relay::Sent(clients.iter().map(|c| c.name()).collect())
    };
    // Record and relay first, by file id: the client gets the files at once, whatever their size,
    // and the downloads below cannot delay or lose the relay.
    let asked = if stage.approval && !clients.is_empty() {
        Some(crate::approvals::ask(
            deps, actor, &order, &items, &clients,
        )?)
    } else {
        None
    };
    let batch = Batch {
        order: &order,
        stage: &stage,
        items: &items,
        clients: &clients,
        relay: &relay,
        asked: asked.as_ref(),
    };
    let media_ids = record_and_relay(deps, actor, &batch)?;
    deps.outbox_ready.notify_one();
    let outcomes = save_batch(
        media_bot,
        deps,
        &author,
        (&order.folder, &stage.folder),
        &items,
        &media_ids,
    )
    .await?;
    let summary = BatchOutcome {
        stored: outcomes
            .iter()
            .filter(|o| matches!(o, FileOutcome::Stored { .. }))
            .count(),
        held: outcomes
            .iter()
            .filter(|o| matches!(o, FileOutcome::Held { .. }))
            .count(),
        too_big: outcomes
            .iter()
            .filter(|o| matches!(o, FileOutcome::TooBig))
            .count(),
        failed: outcomes
            .iter()
            .filter_map(|o| {
                if let FileOutcome::Failed(reason) = o {
                    Some(reason.clone())
                } else {
                    None
                }
            })
            .collect(),
        relay,
        limit_mb: CLOUD_LIMIT_MB,
    };
    bot.send_message(actor.chat_id, receipt(&deps.texts, &summary))
        .await?;
    Ok(())
}

/// Where a recorded file belongs and how it travels.
pub(crate) struct Placement<'a> {
    pub order: &'a servicebot_core::orders::Order,
    pub stage_folder: &'a str,
    pub direction: Direction,
    pub relay: RelayStatus,
    pub delivery: Delivery,
}

/// Records one incoming file (storage pending until it is saved) and its transcript entry.
/// Returns the media record id and the transcript entry id.
pub(crate) fn record_item(
    store: &servicebot_core::store::Store,
    actor: &Actor,
    item: &IncomingMedia,
    place: &Placement<'_>,
    now: DateTime<Utc>,
) -> Result<(i64, Option<i64>), servicebot_core::store::StoreError> {
    let order = place.order;
    let media_id = store.media().insert(&NewMedia {
        order_no: order.number.clone(),
        order_folder: order.folder.clone(),
        stage_folder: place.stage_folder.to_owned(),
        kind: item.kind,
        storage: StorageStatus::Pending,
        path: None,
        spool_id: None,
        size: None,
        sha256: None,
        file_id: item.file_id.clone(),
        file_unique_id: item.file_unique_id.clone(),
        author_id: actor.user.telegram_id,
        media_group_id: item.media_group_id.clone(),
        caption: item.caption.clone(),
        relay: place.relay,
        created_at: now,
    })?;
    let mut entry = NewEntry::new(
        &order.number,
        &order.folder,
        now,
        place.direction,
        EntryKind::Media,
    );
    entry.author_id = Some(actor.user.telegram_id);
    entry.text = item.caption.clone();
    entry.media_id = Some(media_id);
    entry.tg_chat_id = Some(actor.chat_id.0);
    entry.tg_message_id = Some(item.message_id.0);
    entry.delivery = place.delivery;
    Ok((media_id, store.transcript().append(&entry)?))
}

/// A staff batch on its way to the clients.
struct Batch<'a> {
    order: &'a servicebot_core::orders::Order,
    stage: &'a servicebot_core::config::Stage,
    items: &'a [IncomingMedia],
    clients: &'a [servicebot_core::store::User],
    relay: &'a Relay,
    /// The approval buttons, in a stage that asks for approval.
    asked: Option<&'a crate::approvals::Asked>,
}

/// Records the files (storage pending) and their transcript entries, and queues the relay to
/// every connected client, in one transaction. Returns the media record ids.
fn record_and_relay(
    deps: &BotDeps,
    actor: &Actor,
    batch: &Batch<'_>,
) -> Result<Vec<i64>, servicebot_core::store::StoreError> {
    let Batch {
        order,
        stage,
        items,
        clients,
        relay,
        asked,
    } = *batch;
    let relay_status = match relay {
        Relay::Internal => RelayStatus::Internal,
        Relay::NoClient => RelayStatus::NoClient,
        Relay::Sent(_) => RelayStatus::Sent,
    };
    let now = deps.now();
    let header = format!(
        "<b>{}</b> · {}",
        html::escape(&stage.title),
        html::escape(&order.number)
    );
    let caption_of = |i: usize| -> Option<String> {
        // Telegram's caption limit is 1024 characters; the header takes the rest.
        let staff_caption = items[i]
            .caption
            .as_deref()
            .map(|c| c.chars().take(900).collect::<String>());
        match (i, staff_caption) {
            (_, Some(caption)) => Some(format!("{header}\n{}", html::escape(&caption))),
            (0, None) => Some(header.clone()),
            (_, None) => None,
        }
    };
    let mut store = deps.store();
    store.transaction(|store| {
        let mut media_ids = Vec::new();
        let mut first_entry = None;
        for item in items {
            let delivery = if clients.is_empty() {
                Delivery::NotApplicable
            } else {
                Delivery::Pending
            };
            let place = Placement {
                order,
                stage_folder: &stage.folder,
                direction: Direction::StaffToClient,
                relay: relay_status,
                delivery,
            };
            let (media_id, id) = record_item(store, actor, item, &place, now)?;
            media_ids.push(media_id);
            first_entry = first_entry.or(id);
        }
        let kinds: Vec<MediaKind> = items.iter().map(|i| i.kind).collect();
        for client in clients {
            let chat = client.chat_id.unwrap_or(client.telegram_id);
            let approval = asked.and_then(|a| a.keyboards.get(&chat));
            for chunk in album_chunks(&kinds) {
                let payload = if let [single] = chunk[..] {
                    OutboxPayload::Copy {
                        from_chat_id: actor.chat_id.0,
                        message_id: items[single].message_id.0,
                        caption_html: caption_of(single),
                        // A single item carries the approval buttons itself.
                        keyboard: approval.filter(|_| items.len() == 1).cloned(),
                    }
                } else {
                    OutboxPayload::MediaGroup {
                        items: chunk
                            .iter()
                            .map(|&i| GroupItem {
                                kind: items[i].kind.as_str().to_owned(),
                                file_id: items[i].file_id.clone(),
                                caption_html: caption_of(i),
                            })
                            .collect(),
                    }
                };
                outbox::enqueue(store, chat, &payload, first_entry, now)?;
            }
            if let (Some(asked), Some(keyboard)) = (asked, approval)
                && items.len() > 1
            {
                // An album cannot carry buttons: the question follows it.
                let payload = OutboxPayload::Text {
                    html: asked.question_html.clone(),
                    keyboard: Some(keyboard.clone()),
                };
                outbox::enqueue(store, chat, &payload, None, now)?;
            }
        }
        Ok(media_ids)
    })
}
