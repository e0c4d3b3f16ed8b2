//! A client's text: it goes to their order (the most recently active of their open orders)
//! and to the staff who last wrote to them there, else the staff working in that order, else
//! every admin — headed "Ответ клиента по ЗН <order>" with a button that switches the staff
//! member into that order in one tap.

use chrono::{DateTime, Utc};
use servicebot_core::config::FROM_CLIENT_FOLDER;
use servicebot_core::dialogue::media::album_chunks;
use servicebot_core::dialogue::{Button, NavAction, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    Delivery, Direction, EntryKind, NewEntry, RelayStatus, Store, StoreError, User,
};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::context::{BotDeps, Deps};
use crate::keyboards::inline_keyboard;
use crate::links::orders_of;
use crate::media::{IncomingMedia, MediaBot, Placement, in_batches, record_item};
use crate::outbox::{self, GroupItem, OutboxPayload};
use crate::storage::save_batch;
use crate::{HandlerResult, TgBot};

/// The order a client's message belongs to: the one with the latest transcript activity.
fn current_order(store: &Store, orders: Vec<Order>) -> Result<Option<Order>, StoreError> {
    let mut best: Option<(Option<chrono::DateTime<chrono::Utc>>, Order)> = None;
    for order in orders {
        let last = store
            .transcript()
            .by_order(&order.number)?
            .last()
            .map(|e| e.entry.at);
        if best.as_ref().is_none_or(|(at, _)| last > *at) {
            best = Some((last, order));
        }
    }
    Ok(best.map(|(_, order)| order))
}

/// How far back "staff active on the order" looks.
const RECENT_STAFF_DAYS: i64 = 7;

/// Who gets a client's message in `order`: the staff member who last wrote or sent media to
/// the client there; else every active staff member who worked on the order in the last days
/// (wrote there, or has it as their current order); else every admin.
fn recipients(store: &Store, order: &Order, now: DateTime<Utc>) -> Result<Vec<User>, StoreError> {
    let entries = store.transcript().by_order(&order.number)?;
    let active = |user: &User| user.active && user.level.is_staff();
    let staff_entries = entries
        .iter()
        .rev()
        .filter(|e| e.entry.direction == Direction::StaffToClient);
    if let Some(user) = staff_entries
        .clone()
        .find_map(|e| e.entry.author_id)
        .map(|id| store.users().get(id))
        .transpose()?
        .flatten()
        .filter(active)
    {
        return Ok(vec![user]);
    }
    let since = now - chrono::Duration::days(RECENT_STAFF_DAYS);
    let mut ids: Vec<i64> = staff_entries
        .filter(|e| e.entry.at >= since)
        .filter_map(|e| e.entry.author_id)
        .collect();
    ids.extend(store.staff_sessions().in_order(&order.folder)?);
    let mut recent = Vec::new();
    for id in ids {
        if recent.iter().any(|u: &User| u.telegram_id == id) {
            continue;
        }
        if let Some(user) = store.users().get(id)?.filter(active) {
            recent.push(user);
        }
    }
    if !recent.is_empty() {
        return Ok(recent);
    }
    store.users().active_admins()
}

/// A staff chat and the switch button issued for it.
type Recipient = (i64, Option<teloxide::types::InlineKeyboardMarkup>);

/// The client's current order and the staff chats to tell, each with its switch button; `None`
/// after telling the client why there is nowhere to send (no phone yet, no open order).
async fn route(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
) -> Result<Option<(Order, Vec<Recipient>)>, crate::HandlerError> {
    let Some(phone) = actor.user.phone.clone() else {
        bot.send_message(actor.chat_id, deps.text(TextKey::StartAskPhone, &[]))
            .await?;
        return Ok(None);
    };
    let orders = orders_of(deps, &phone);
    let chosen = current_order(&deps.store(), orders)?;
    let Some(order) = chosen else {
        bot.send_message(actor.chat_id, deps.text(TextKey::ClientNoOrder, &[]))
            .await?;
        return Ok(None);
    };
    let chats = staff_chats(deps, &order)?;
    Ok(Some((order, chats)))
}

/// The staff chats a client's message in `order` goes to, each with its switch button.
fn staff_chats(deps: &BotDeps, order: &Order) -> Result<Vec<Recipient>, StoreError> {
    let staff = recipients(&deps.store(), order, deps.now())?;
    let switch = switch_screen(deps, order);
    let mut chats = Vec::new();
    for member in &staff {
        let chat = member.chat_id.unwrap_or(member.telegram_id);
        chats.push((chat, inline_keyboard(deps, chat, &switch)?));
    }
    Ok(chats)
}

/// A client's text as staff see it: the bold header naming the order, then name and text.
fn client_text_html(
    deps: &BotDeps,
    header: TextKey,
    order: &Order,
    actor: &Actor,
    text: &str,
) -> String {
    let header = deps.text(header, &[("order", order.number.as_str().into())]);
    let body = deps.text(
        TextKey::ClientMessage,
        &[("name", actor.user.name().into()), ("text", text.into())],
    );
    format!("<b>{}</b>\n{}", html::escape(&header), html::escape(&body))
}

/// Records a client's text `entry` and queues it to `chats`, in one transaction.
fn record_and_queue(
    deps: &BotDeps,
    mut entry: NewEntry,
    html: &str,
    chats: &[Recipient],
) -> Result<(), StoreError> {
    let now = entry.at;
    entry.delivery = if chats.is_empty() {
        Delivery::NotApplicable
    } else {
        Delivery::Pending
    };
    deps.store().transaction(|store| {
        let transcript_id = store.transcript().append(&entry)?;
        for (chat, keyboard) in chats {
            let payload = OutboxPayload::Text {
                html: html.to_owned(),
                keyboard: keyboard.clone(),
            };
            outbox::enqueue(store, *chat, &payload, transcript_id, now)?;
        }
        Ok::<_, StoreError>(())
    })?;
    deps.outbox_ready.notify_one();
    Ok(())
}

pub async fn text(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    message_id: MessageId,
    text: &str,
) -> HandlerResult {
    let Some((order, chats)) = route(bot, deps, actor).await? else {
        return Ok(());
    };
    let html = client_text_html(deps, TextKey::ClientReplyHeader, &order, actor, text);
    let mut entry = NewEntry::new(
        &order.number,
        &order.folder,
        deps.now(),
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    entry.author_id = Some(actor.user.telegram_id);
    entry.text = Some(text.to_owned());
    entry.tg_chat_id = Some(actor.chat_id.0);
    entry.tg_message_id = Some(message_id.0);
    record_and_queue(deps, entry, &html, &chats)?;
    Ok(())
}

/// A client's photos, videos, documents or voice messages (an album as one batch): filed under
/// the order's `FromClient` folder, recorded, and relayed by file id to the same staff a text
/// would reach, the header and the switch button with them.
pub async fn media(
    bot: TgBot,
    deps: Deps,
    media_bot: MediaBot,
    actor: Actor,
    item: IncomingMedia,
) -> HandlerResult {
    in_batches(deps.clone(), item, move |items| async move {
        media_batch(&bot, &deps, &media_bot, &actor, items).await
    })
    .await
}

async fn media_batch(
    bot: &TgBot,
    deps: &Deps,
    media_bot: &MediaBot,
    actor: &Actor,
    items: Vec<IncomingMedia>,
) -> HandlerResult {
    let Some((order, keyboards)) = route(bot, deps, actor).await? else {
        return Ok(());
    };
    let header = deps.text(
        TextKey::ClientReplyHeader,
        &[("order", order.number.as_str().into())],
    );
    let signed = format!(
        "<b>{}</b>\n{}",
        html::escape(&header),
        html::escape(&actor.user.name())
    );
    let caption_of = |item: &IncomingMedia| match &item.caption {
        Some(text) => format!(
            "{signed}: {}",
            html::escape(&text.chars().take(900).collect::<String>())
        ),
        None => signed.clone(),
    };
    let kinds: Vec<_> = items.iter().map(|i| i.kind).collect();
    let chunks = album_chunks(&kinds);
    let now = deps.now();
    let media_ids = {
        let mut store = deps.store();
        store.transaction(|store| {
            let delivery = if keyboards.is_empty() {
                Delivery::NotApplicable
            } else {
                Delivery::Pending
            };
            let place = Placement {
                order: &order,
                stage_folder: FROM_CLIENT_FOLDER,
                direction: Direction::ClientToStaff,
                relay: RelayStatus::FromClient,
                delivery,
            };
            let mut media_ids = Vec::new();
            let mut first_entry = None;
            for item in &items {
                let (media_id, entry) = record_item(store, actor, item, &place, now)?;
                media_ids.push(media_id);
                first_entry = first_entry.or(entry);
            }
            for (chat, keyboard) in &keyboards {
                for chunk in &chunks {
                    let payload = if let [single] = chunk[..] {
                        OutboxPayload::Copy {
                            from_chat_id: actor.chat_id.0,
                            message_id: items[single].message_id.0,
                            caption_html: Some(caption_of(&items[single])),
                            keyboard: keyboard.clone(),
                        }
                    } else {
                        OutboxPayload::MediaGroup {
                            items: chunk
                                .iter()
                                .enumerate()
                                .map(|(n, &i)| GroupItem {
                                    kind: items[i].kind.as_str().to_owned(),
                                    file_id: items[i].file_id.clone(),
                                    // The header once, on the album's first item.
                                    caption_html: if n == 0 {
                                        Some(caption_of(&items[i]))
                                    } else {
                                        items[i].caption.as_deref().map(html::escape)
                                    },
                                })
                                .collect(),
                        }
                    };
                    outbox::enqueue(store, *chat, &payload, first_entry, now)?;
                }
                if chunks.iter().all(|c| c.len() > 1) {
                    // An album cannot carry buttons: the switch button follows it.
                    let payload = OutboxPayload::Text {
                        html: signed.clone(),
                        keyboard: keyboard.clone(),
                    };
                    outbox::enqueue(store, *chat, &payload, None, now)?;
                }
            }
            Ok::<_, StoreError>(media_ids)
        })?
    };
    deps.outbox_ready.notify_one();
    save_batch(
        media_bot,
        deps,
        &actor.user.name(),
        (&order.folder, FROM_CLIENT_FOLDER),
        &items,
        &media_ids,
    )
    .await?;
    Ok(())
}

/// An edited client message: recorded as a new version pointing at the original (never an
/// overwrite) and passed to the same staff as a new message would be.
pub async fn edited(
    deps: &Deps,
    actor: &Actor,
    message_id: MessageId,
    text: &str,
) -> HandlerResult {
    let original = deps
        .store()
        .transcript()
        .original_of_message(actor.chat_id.0, message_id.0)?;
    let Some(original) = original else {
        tracing::info!(
            user = actor.user.telegram_id,
            "an edit of an unrecorded message; ignored"
        );
        return Ok(());
    };
    let mut order = order_stub(deps, &original.entry.order_folder);
    order.number.clone_from(&original.entry.order_no);
    let chats = staff_chats(deps, &order)?;
    let html = client_text_html(deps, TextKey::ClientEditedHeader, &order, actor, text);
    let mut entry = original.entry.clone();
    entry.at = deps.now();
    entry.text = Some(text.to_owned());
    entry.edit_of = Some(original.id);
    entry.media_id = None;
    entry.source_key = None;
    record_and_queue(deps, entry, &html, &chats)?;
    Ok(())
}

/// The order of `folder` as the index knows it, or a stand-in for a closed one.
fn order_stub(deps: &BotDeps, folder: &str) -> Order {
    if let Some(order) = deps.index.read().ok().and_then(|i| i.get(folder).cloned()) {
        return order;
    }
    Order {
        folder: folder.to_owned(),
        number: folder.to_owned(),
        plate: None,
        created: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        date: chrono::NaiveDate::default(),
        date_source: servicebot_core::orders::DateSource::FirstSeen,
    }
}

/// The one-button keyboard that switches a staff member into `order`.
fn switch_screen(deps: &BotDeps, order: &Order) -> Screen {
    Screen {
        text: String::new(),
        rows: vec![vec![Button::new(
            deps.text(
                TextKey::ButtonSwitchOrder,
                &[("order", order.number.as_str().into())],
            ),
            NavAction::Order {
                folder: order.folder.clone(),
            },
        )]],
    }
}
