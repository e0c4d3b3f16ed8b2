//! "Показать материалы": a client connected to an order after files were sent there can ask for
//! them; the order's client-visible files are queued as albums, by file id.

use std::collections::HashMap;

use servicebot_core::dialogue::media::album_chunks;
use servicebot_core::dialogue::{Action, Button, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{MediaRecord, RelayStatus, Store, StoreError, User};
use servicebot_core::texts::TextKey;
use teloxide::types::InlineKeyboardMarkup;
use teloxide::utils::html;

use crate::HandlerResult;
use crate::auth::Actor;
use crate::cx::{Cx, Pressed};
use crate::directory::orders_of;
use crate::payload::{GroupItem, OutboxPayload};
use crate::queue;

/// The client-visible files of an order: everything staff sent in stages clients see.
fn visible_media(store: &Store, order: &Order) -> Result<Vec<MediaRecord>, StoreError> {
    let mut records = store.media().by_order(&order.number)?;
    records.retain(|r| {
        r.media.order_folder == order.folder
            && matches!(
                r.media.relay,
                RelayStatus::Sent
                    | RelayStatus::NoClient
                    | RelayStatus::Pending
                    | RelayStatus::Failed
            )
    });
    Ok(records)
}

/// The "Показать материалы" button for `client` and `order`, when the order has files to show.
pub fn materials_keyboard(
    cx: &Cx<'_>,
    client: &User,
    order: &Order,
) -> Result<Option<InlineKeyboardMarkup>, StoreError> {
    if visible_media(cx.store(), order)?.is_empty() {
        return Ok(None);
    }
    let screen = Screen {
        text: String::new(),
        rows: vec![vec![Button::new(
            cx.text(
                TextKey::ButtonMaterials,
                &[("order", order.number.as_str().into())],
            ),
            Action::Materials {
                folder: order.folder.clone(),
            },
        )]],
    };
    cx.keyboard(client.chat_id.unwrap_or(client.telegram_id), &screen)
}

/// "Показать материалы": the order's client-visible files, as albums, if the client is still
/// connected to the order (its phone file lists them and it is open).
pub fn materials(cx: &Cx<'_>, actor: &Actor, folder: &str, pressed: Pressed) -> HandlerResult {
    let order = actor
        .user
        .phone
        .as_ref()
        .map(|phone| orders_of(cx, phone))
        .and_then(|orders| orders.into_iter().find(|o| o.folder == folder));
    let Some(order) = order else {
        let unavailable = cx.text(TextKey::MaterialsUnavailable, &[]);
        cx.answer(&pressed.query_id, Some(unavailable), true)?;
        return Ok(());
    };
    cx.answer(&pressed.query_id, None, false)?;
    let now = cx.now();
    let queued = cx.store().transaction(|store| {
        let records = visible_media(store, &order)?;
        let sources: HashMap<i64, (i64, i32)> = store
            .transcript()
            .by_order(&order.number)?
            .into_iter()
            .filter_map(|e| {
                let e = e.entry;
                Some((e.media_id?, (e.tg_chat_id?, e.tg_message_id?)))
            })
            .collect();
        let kinds: Vec<_> = records.iter().map(|r| r.media.kind).collect();
        let chat = actor.chat_id.0;
        let caption = |r: &MediaRecord| r.media.caption.as_deref().map(html::escape);
        for chunk in album_chunks(&kinds) {
            let payload = if let [single] = chunk[..] {
                let record = &records[single];
                let Some(&(from_chat_id, message_id)) = sources.get(&record.id) else {
                    continue;
                };
                OutboxPayload::Copy {
                    from_chat_id,
                    message_id,
                    caption_html: caption(record),
                    markup: None,
                }
            } else {
                OutboxPayload::MediaGroup {
                    items: chunk
                        .iter()
                        .map(|&i| GroupItem {
                            kind: records[i].media.kind.as_str().to_owned(),
                            file_id: records[i].media.file_id.clone(),
                            caption_html: caption(&records[i]),
                        })
                        .collect(),
                }
            };
            queue::enqueue(store, chat, &payload, None, None, now)?;
        }
        Ok::<_, StoreError>(records.len())
    })?;
    if queued == 0 {
        let none = cx.text(
            TextKey::MaterialsNone,
            &[("order", order.number.as_str().into())],
        );
        cx.say(actor.chat_id, none)?;
    }
    Ok(())
}
