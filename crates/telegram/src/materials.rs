//! "Показать материалы": a client connected to an order after files were sent there can ask for
//! them; the order's client-visible files are queued stage by stage, planned like any relay
//! (core's `dialogue::relay`: albums, a header, captions kept whole), by file id.

use std::collections::HashMap;

use servicebot_core::dialogue::relay::{Planned, RelayItem, plan, staff_header};
use servicebot_core::dialogue::{Action, Button, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{MediaRecord, RelayStatus, Store, StoreError, User};
use servicebot_core::texts::TextKey;
use teloxide::types::InlineKeyboardMarkup;

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
        let chat = actor.chat_id.0;
        // Stage by stage, in the order they were sent, each headed like a relay.
        let mut stages: Vec<&str> = Vec::new();
        for record in &records {
            if !stages.contains(&record.media.stage_folder.as_str()) {
                stages.push(&record.media.stage_folder);
            }
        }
        for stage in stages {
            let group: Vec<&MediaRecord> = records
                .iter()
                .filter(|r| r.media.stage_folder == stage)
                .collect();
            let title = cx.config.stage(stage).map_or(stage, |s| s.title.as_str());
            let header = staff_header(title, &order.number);
            let items: Vec<RelayItem> = group
                .iter()
                .map(|r| RelayItem {
                    kind: r.media.kind,
                    caption: r.media.caption.clone(),
                })
                .collect();
            for message in plan(&items, &header, None) {
                let payload = match message {
                    Planned::Single {
                        item, caption_html, ..
                    } => {
                        let Some(&(from_chat_id, message_id)) = sources.get(&group[item].id) else {
                            tracing::warn!(
                                media = group[item].id,
                                "a file with no message to copy"
                            );
                            continue;
                        };
                        OutboxPayload::Copy {
                            from_chat_id,
                            message_id,
                            caption_html,
                            markup: None,
                        }
                    }
                    Planned::Album { items } => OutboxPayload::MediaGroup {
                        items: items
                            .into_iter()
                            .map(|(i, caption_html)| GroupItem {
                                kind: group[i].media.kind.as_str().to_owned(),
                                file_id: group[i].media.file_id.clone(),
                                caption_html,
                            })
                            .collect(),
                    },
                    Planned::Text { html, .. } => OutboxPayload::text(html),
                };
                queue::enqueue(store, chat, &payload, None, None, now)?;
            }
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
