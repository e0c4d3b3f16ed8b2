//! Staff media: every photo, video, document, voice message, round video and audio sent in an
//! order is saved through the core media store into the stage folder, recorded, and relayed to
//! the order's connected clients by `file_id` (never downloaded and uploaded again). Albums are
//! collected by `media_group_id` and handled as one batch with one receipt.

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use servicebot_core::dialogue::receipts::BatchRelay;
use servicebot_core::dialogue::relay::{Planned, RelayItem, plan, staff_header};
use servicebot_core::media_store::naming::{NameParts, file_name};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    AlbumItem, Delivery, Direction, EntryKind, JobSpec, MediaKind, NewEntry, NewMedia, ReceiptKind,
    RelayStatus, StorageStatus, Store, StoreError, User,
};
use servicebot_core::texts::TextKey;
use teloxide::types::{ChatId, Message};

use crate::auth::Actor;
use crate::cx::Cx;
use crate::payload::{GroupItem, OutboxPayload};
use crate::{HandlerResult, approvals, card, receipts};

/// One file of a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IncomingMedia {
    pub message_id: i32,
    pub kind: MediaKind,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub caption: Option<String>,
    pub date: DateTime<Utc>,
    pub media_group_id: Option<String>,
    /// The size Telegram reported (file jobs budget by it).
    #[serde(default)]
    pub file_size: Option<u64>,
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
        message_id: msg.id.0,
        file_size: Some(u64::from(file.size)),
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

/// A staff member's media message: an album item is collected in the database (filed where
/// its sender was when it came) until the inbox says the album is complete; a single file is
/// handled at once.
pub fn staff_media(cx: &Cx<'_>, actor: &Actor, item: IncomingMedia) -> HandlerResult {
    let session = cx.store().staff_sessions().get(actor.user.telegram_id)?;
    let position = session
        .as_ref()
        .and_then(|s| Some(Position(s.order_folder.clone()?, s.stage_folder.clone()?)));
    if collect(cx, actor, &item, position.as_ref())? {
        return Ok(());
    }
    staff_batch(cx, actor, position, &[item])
}

/// Where a staff member was: order folder and stage folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position(pub String, pub String);

/// Keeps an album item for later; false for a file that is not part of an album.
pub(crate) fn collect(
    cx: &Cx<'_>,
    actor: &Actor,
    item: &IncomingMedia,
    position: Option<&Position>,
) -> Result<bool, crate::HandlerError> {
    let Some(group) = &item.media_group_id else {
        return Ok(false);
    };
    let album_item = AlbumItem {
        message_id: item.message_id,
        chat_id: actor.chat_id.0,
        author_id: actor.user.telegram_id,
        item: serde_json::to_string(item)?,
        position: position.map(serde_json::to_string).transpose()?,
    };
    cx.store().album_items().add(group, &album_item, cx.now())?;
    Ok(true)
}

/// The inbox says album `group` is complete: its items are handled as one batch, by whoever
/// sent them (staff to their order's clients, a client to the staff).
pub fn album_closed(cx: &Cx<'_>, group: &str) -> HandlerResult {
    let collected = cx.store().album_items().take(group)?;
    let Some(first) = collected.first() else {
        return Ok(());
    };
    let Some(user) = cx.store().users().get(first.author_id)? else {
        return Ok(());
    };
    let actor = Actor {
        chat_id: ChatId(first.chat_id),
        user,
    };
    let position: Option<Position> = first
        .position
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?;
    let mut items = Vec::new();
    for collected in &collected {
        items.push(serde_json::from_str::<IncomingMedia>(&collected.item)?);
    }
    if actor.is_staff() {
        staff_batch(cx, &actor, position, &items)
    } else {
        crate::clients::media_batch(cx, &actor, &items)
    }
}

/// A staff batch: recorded, relayed to the order's connected clients by file id, saved by
/// file jobs, and reported in one receipt that is edited when all of that has ended.
fn staff_batch(
    cx: &Cx<'_>,
    actor: &Actor,
    position: Option<Position>,
    items: &[IncomingMedia],
) -> HandlerResult {
    let order = position
        .as_ref()
        .and_then(|Position(folder, _)| cx.index.read().ok()?.get(folder).cloned());
    let stage = position
        .as_ref()
        .and_then(|Position(_, stage)| cx.config.stage(stage).cloned());
    let (Some(order), Some(stage)) = (order, stage) else {
        // Nothing is lost: the messages stay in the chat and can be sent again after choosing.
        cx.say(actor.chat_id, cx.text(TextKey::MediaNoOrder, &[]))?;
        return Ok(());
    };
    let clients = if stage.client_visible {
        card::connected_clients(cx, &order.folder)
    } else {
        Vec::new()
    };
    let (relay, relay_status) = if !stage.client_visible {
        (BatchRelay::Internal, RelayStatus::Internal)
    } else if clients.is_empty() {
        (BatchRelay::NoClient, RelayStatus::NoClient)
    } else {
        (BatchRelay::Clients, RelayStatus::Sent)
    };
    let named = named_chats(&clients);
    let receipt = receipts::open(
        cx,
        actor.chat_id.0,
        ReceiptKind::Media,
        Some(relay),
        &named,
        items.len(),
    )?;
    let place = Placement {
        order: &order,
        stage_folder: &stage.folder,
        direction: Direction::StaffToClient,
        relay: relay_status,
        delivery: if clients.is_empty() {
            Delivery::NotApplicable
        } else {
            Delivery::Pending
        },
    };
    let first_entry = record_batch(cx, actor, items, &place, Some(receipt))?;
    if clients.is_empty() {
        return Ok(());
    }
    let asked = if stage.approval {
        Some(approvals::ask(cx, actor, &order, items, &clients)?)
    } else {
        None
    };
    let header = staff_header(&stage.title, &order.number);
    let relay_items = relay_items(items);
    for (chat, _) in &named {
        let keyboard = asked.as_ref().and_then(|a| a.keyboards.get(chat));
        let question = asked.as_ref().map(|a| a.question_html.as_str());
        let planned = plan(&relay_items, &header, keyboard.and(question));
        let markup = keyboard.map(serde_json::to_value).transpose()?;
        let out = Outgoing {
            from_chat: actor.chat_id.0,
            to_chat: *chat,
            transcript_id: first_entry,
            receipt_id: Some(receipt),
        };
        send_planned(cx, &out, items, &planned, markup.as_ref())?;
    }
    Ok(())
}

/// The chats and names of `users`.
pub(crate) fn named_chats(users: &[User]) -> Vec<(i64, String)> {
    users
        .iter()
        .map(|u| (u.chat_id.unwrap_or(u.telegram_id), u.name()))
        .collect()
}

pub(crate) fn relay_items(items: &[IncomingMedia]) -> Vec<RelayItem> {
    items
        .iter()
        .map(|i| RelayItem {
            kind: i.kind,
            caption: i.caption.clone(),
        })
        .collect()
}

/// Where a planned relay goes and what it is recorded against.
pub(crate) struct Outgoing {
    pub from_chat: i64,
    pub to_chat: i64,
    pub transcript_id: Option<i64>,
    pub receipt_id: Option<i64>,
}

/// Queues a relay plan's messages (copies and albums by file id, texts, buttons).
pub(crate) fn send_planned(
    cx: &Cx<'_>,
    out: &Outgoing,
    items: &[IncomingMedia],
    planned: &[Planned],
    markup: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    for message in planned {
        let payload = match message {
            Planned::Single {
                item,
                caption_html,
                buttons,
            } => OutboxPayload::Copy {
                from_chat_id: out.from_chat,
                message_id: items[*item].message_id,
                caption_html: caption_html.clone(),
                markup: markup.filter(|_| *buttons).cloned(),
            },
            Planned::Album { items: album } => OutboxPayload::MediaGroup {
                items: album
                    .iter()
                    .map(|(i, caption)| GroupItem {
                        kind: items[*i].kind.as_str().to_owned(),
                        file_id: items[*i].file_id.clone(),
                        caption_html: caption.clone(),
                    })
                    .collect(),
            },
            Planned::Text { html, buttons } => OutboxPayload::Text {
                html: html.clone(),
                markup: markup.filter(|_| *buttons).cloned(),
                silent: false,
            },
        };
        cx.send_with(out.to_chat, &payload, out.transcript_id, out.receipt_id)?;
    }
    Ok(())
}

/// Where a recorded file belongs and how it travels.
pub(crate) struct Placement<'a> {
    pub order: &'a Order,
    pub stage_folder: &'a str,
    pub direction: Direction,
    pub relay: RelayStatus,
    pub delivery: Delivery,
}

/// Records a batch's files (storage pending), their transcript entries and their file jobs
/// (named now, so a job run again writes the same name). Returns the first transcript entry.
pub(crate) fn record_batch(
    cx: &Cx<'_>,
    actor: &Actor,
    items: &[IncomingMedia],
    place: &Placement<'_>,
    receipt_id: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    let author = actor.user.name();
    let mut first_entry = None;
    for (i, item) in items.iter().enumerate() {
        let (media_id, entry) = record_item(cx.store(), actor, item, place, cx.now())?;
        first_entry = first_entry.or(entry);
        let name = file_name(&NameParts {
            taken_at: item.date.with_timezone(&Local).naive_local(),
            author: &author,
            index: u32::try_from(i + 1).unwrap_or(u32::MAX),
            kind: item.kind,
            original_name: item.file_name.as_deref(),
            mime_type: item.mime_type.as_deref(),
        });
        let spec = JobSpec {
            file_name: name,
            file_size: item.file_size,
            receipt_id,
            tg_chat_id: actor.chat_id.0,
            tg_message_id: item.message_id,
        };
        cx.store().file_jobs().schedule(media_id, &spec, cx.now())?;
    }
    Ok(first_entry)
}

/// Records one incoming file (storage pending until it is saved) and its transcript entry.
/// Returns the media record id and the transcript entry id.
pub(crate) fn record_item(
    store: &Store,
    actor: &Actor,
    item: &IncomingMedia,
    place: &Placement<'_>,
    now: DateTime<Utc>,
) -> Result<(i64, Option<i64>), StoreError> {
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
    entry.tg_message_id = Some(item.message_id);
    entry.delivery = place.delivery;
    Ok((media_id, store.transcript().append(&entry)?))
}
