//! A client's text: it goes to their order (the most recently active of their open orders)
//! and to the staff who last wrote to them there, else the staff working in that order, else
//! every admin — headed "Ответ клиента по ЗН <order>" with a button that switches the staff
//! member into that order in one tap.

use servicebot_core::dialogue::{Button, NavAction, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{Delivery, Direction, EntryKind, NewEntry, Store, StoreError, User};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::keyboards::inline_keyboard;
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

pub async fn text(bot: &TgBot, deps: &BotDeps, actor: &Actor, text: &str) -> HandlerResult {
    let Some(phone) = actor.user.phone.clone() else {
        bot.send_message(actor.chat_id, deps.text(TextKey::StartAskPhone, &[]))
            .await?;
        return Ok(());
    };
    let orders = orders_of(deps, &phone);
    let chosen = current_order(&deps.store(), orders)?;
    let Some(order) = chosen else {
        bot.send_message(actor.chat_id, deps.text(TextKey::ClientNoOrder, &[]))
            .await?;
        return Ok(());
    };
    let staff = recipients(&deps.store(), &order)?;
    let header = deps.text(
        TextKey::ClientReplyHeader,
        &[("order", order.number.as_str().into())],
    );
    let body = deps.text(
        TextKey::ClientMessage,
        &[("name", actor.user.name().into()), ("text", text.into())],
    );
    let html = format!("<b>{}</b>\n{}", html::escape(&header), html::escape(&body));
    let switch = Screen {
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
    };
    let mut keyboards = Vec::new();
    for member in &staff {
        let chat = member.chat_id.unwrap_or(member.telegram_id);
        keyboards.push((chat, inline_keyboard(deps, chat, &switch)?));
    }
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
