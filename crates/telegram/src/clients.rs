//! A client's text: it goes to their order (the most recently active of their open orders)
//! and to the staff who last wrote to them there, else the staff working in that order, else
//! every admin — headed "Ответ клиента по ЗН <order>" with a button that switches the staff
//! member into that order in one tap.

use servicebot_core::config::FROM_CLIENT_FOLDER;
use servicebot_core::dialogue::{Button, NavAction, Screen};
use servicebot_core::media_store::Target;
use servicebot_core::media_store::naming::{NameParts, file_name};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    Delivery, Direction, EntryKind, NewEntry, RelayStatus, Store, StoreError, User,
};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::keyboards::inline_keyboard;
use crate::media::{IncomingMedia, MediaBot, Placement, download_and_save, record_item};
use crate::onboarding::orders_of;
use crate::outbox::{self, OutboxPayload};
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

/// Who gets a client's message in `order`.
fn recipients(store: &Store, order: &Order) -> Result<Vec<User>, StoreError> {
    let entries = store.transcript().by_order(&order.number)?;
    let last_author = entries
        .iter()
        .rev()
        .filter(|e| e.entry.direction == Direction::StaffToClient)
        .find_map(|e| e.entry.author_id);
    let active = |user: &User| user.active && user.level.is_staff();
    if let Some(user) = last_author
        .map(|id| store.users().get(id))
        .transpose()?
        .flatten()
        .filter(active)
    {
        return Ok(vec![user]);
    }
    let mut in_order = Vec::new();
    for id in store.staff_sessions().in_order(&order.folder)? {
        if let Some(user) = store.users().get(id)?.filter(active) {
            in_order.push(user);
        }
    }
    if !in_order.is_empty() {
        return Ok(in_order);
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
    let staff = recipients(&deps.store(), &order)?;
    let switch = switch_screen(deps, &order);
    let mut chats = Vec::new();
    for member in &staff {
        let chat = member.chat_id.unwrap_or(member.telegram_id);
        chats.push((chat, inline_keyboard(deps, chat, &switch)?));
    }
    Ok(Some((order, chats)))
}

pub async fn text(bot: &TgBot, deps: &BotDeps, actor: &Actor, text: &str) -> HandlerResult {
    let Some((order, keyboards)) = route(bot, deps, actor).await? else {
        return Ok(());
    };
    let header = deps.text(
        TextKey::ClientReplyHeader,
        &[("order", order.number.as_str().into())],
    );
    let body = deps.text(
        TextKey::ClientMessage,
        &[("name", actor.user.name().into()), ("text", text.into())],
    );
    let html = format!("<b>{}</b>\n{}", html::escape(&header), html::escape(&body));
    let now = deps.now();
    {
        let mut store = deps.store();
        store.transaction(|store| {
            let mut entry = NewEntry::new(
                &order.number,
                &order.folder,
                now,
                Direction::ClientToStaff,
                EntryKind::Text,
            );
            entry.author_id = Some(actor.user.telegram_id);
            entry.text = Some(text.to_owned());
            entry.tg_chat_id = Some(actor.chat_id.0);
            entry.delivery = if keyboards.is_empty() {
                Delivery::NotApplicable
            } else {
                Delivery::Pending
            };
            let transcript_id = store.transcript().append(&entry)?;
            for (chat, keyboard) in &keyboards {
                let payload = OutboxPayload::Text {
                    html: html.clone(),
                    keyboard: keyboard.clone(),
                };
                outbox::enqueue(store, *chat, &payload, transcript_id, now)?;
            }
            Ok::<_, StoreError>(())
        })?;
    }
    deps.outbox_ready.notify_one();
    Ok(())
}

/// A client's photo, video, document or voice message: filed under the order's `FromClient`
/// folder, recorded, and relayed by file id to the same staff a text would reach.
pub async fn media(
    bot: &TgBot,
    deps: &BotDeps,
    media_bot: &MediaBot,
    actor: &Actor,
    item: IncomingMedia,
) -> HandlerResult {
    let Some((order, keyboards)) = route(bot, deps, actor).await? else {
        return Ok(());
    };
    let header = deps.text(
        TextKey::ClientReplyHeader,
        &[("order", order.number.as_str().into())],
    );
    let mut caption = format!(
        "<b>{}</b>\n{}",
        html::escape(&header),
        html::escape(&actor.user.name())
    );
    if let Some(text) = &item.caption {
        caption.push_str(": ");
        caption.push_str(&html::escape(&text.chars().take(900).collect::<String>()));
    }
    let now = deps.now();
    let media_id = {
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
            let (media_id, transcript_id) = record_item(store, actor, &item, &place, now)?;
            for (chat, keyboard) in &keyboards {
                let payload = OutboxPayload::Copy {
                    from_chat_id: actor.chat_id.0,
                    message_id: item.message_id.0,
                    caption_html: Some(caption.clone()),
                    keyboard: keyboard.clone(),
                };
                outbox::enqueue(store, *chat, &payload, transcript_id, now)?;
            }
            Ok::<_, StoreError>(media_id)
        })?
    };
    deps.outbox_ready.notify_one();
    let name = file_name(&NameParts {
        taken_at: item.date.with_timezone(&chrono::Local).naive_local(),
        author: &actor.user.name(),
        index: 1,
        kind: item.kind,
        original_name: item.file_name.as_deref(),
        mime_type: item.mime_type.as_deref(),
    });
    let target = Target {
        order_folder: order.folder.clone(),
        stage_folder: FROM_CLIENT_FOLDER.to_owned(),
        file_name: name,
    };
    let outcome = download_and_save(media_bot, deps, &item, target).await;
    outcome.record(deps, media_id)?;
    Ok(())
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
