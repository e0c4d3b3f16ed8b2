//! Recording and relaying a batch of files, shared by staff media, client media and albums:
//! the media rows with their file jobs and transcript entries, and the relay plan (core's
//! `dialogue::relay`) turned into outbox rows.

use chrono::{DateTime, Local, Utc};
use serde::{Deserialize, Serialize};
use servicebot_core::dialogue::relay::{Planned, RelayItem};
use servicebot_core::media_store::naming::{NameParts, file_name};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    AlbumItem, Delivery, Direction, EntryKind, JobSpec, NewEntry, NewMedia, RelayStatus,
    StorageStatus, Store, StoreError, User,
};

use crate::auth::Actor;
use crate::cx::Cx;
use crate::incoming::IncomingMedia;
use crate::payload::{GroupItem, OutboxPayload};

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
        duration_secs: item.duration_secs,
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
