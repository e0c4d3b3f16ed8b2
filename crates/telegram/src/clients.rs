//! A client's text: it goes to their order (the most recently active of their open orders)
//! and to the staff who last wrote to them there, else the staff working in that order, else
//! every admin — headed "Ответ клиента по заказ-наряду <order>" with a button that switches the staff
//! member into that order in one tap.

use chrono::{DateTime, Utc};
use servicebot_core::config::FROM_CLIENT_FOLDER;
use servicebot_core::dialogue::relay::plan;
use servicebot_core::dialogue::routing::{
    self, Candidate, OrderActivity, OrderStaff, StaffActivity,
};
use servicebot_core::dialogue::{Button, NavAction, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{
    Delivery, Direction, EntryKind, NewEntry, RelayStatus, Store, StoreError, User,
};
use servicebot_core::texts::TextKey;
use teloxide::types::MessageId;
use teloxide::utils::html;

use crate::HandlerResult;
use crate::auth::Actor;
use crate::cx::Cx;
use crate::directory::orders_of;
use crate::incoming::IncomingMedia;
use crate::payload::OutboxPayload;
use crate::relaying::{Outgoing, Placement, collect, record_batch, relay_items, send_planned};

/// The order a client's message belongs to (core decides: the latest transcript activity).
fn current_order(store: &Store, orders: Vec<Order>) -> Result<Option<Order>, StoreError> {
    let mut last = Vec::with_capacity(orders.len());
    for order in &orders {
        let at = store
            .transcript()
            .by_order(&order.number)?
            .last()
            .map(|e| e.entry.at);
        last.push(at);
    }
    let activity: Vec<OrderActivity<'_>> = orders
        .iter()
        .zip(last)
        .map(|(order, last_activity)| OrderActivity {
            order,
            last_activity,
        })
        .collect();
    Ok(routing::current_order(&activity).cloned())
}

/// Who gets a client's message in `order` (core decides: the staff member who last wrote to
/// the client there, else the staff active on the order lately, else every admin), read from
/// the transcript, the staff positions and the users.
fn recipients(store: &Store, order: &Order, now: DateTime<Utc>) -> Result<Vec<User>, StoreError> {
    let entries = store.transcript().by_order(&order.number)?;
    let transcript: Vec<StaffActivity> = entries
        .iter()
        .map(|e| StaffActivity::from(&e.entry))
        .collect();
    let in_order = store.staff_sessions().in_order(&order.folder)?;
    let staff = OrderStaff {
        transcript: &transcript,
        in_order: &in_order,
    };
    let mut users: Vec<User> = Vec::new();
    for id in staff.users_needed(now) {
        if let Some(user) = store.users().get(id)? {
            users.push(user);
        }
    }
    for admin in store.users().active_admins()? {
        if !users.iter().any(|u| u.telegram_id == admin.telegram_id) {
            users.push(admin);
        }
    }
    let candidates: Vec<Candidate> = users.iter().map(Candidate::from).collect();
    let chosen = routing::recipients(&staff, &candidates, now);
    Ok(chosen
        .ids()
        .iter()
        .filter_map(|id| users.iter().find(|u| u.telegram_id == *id).cloned())
        .collect())
}

/// A staff chat and the switch button issued for it.
type Recipient = (i64, Option<serde_json::Value>);

/// The client's current order and the staff chats to tell, each with its switch button; `None`
/// after telling the client why there is nowhere to send (no phone yet, no open order).
fn route(
    cx: &Cx<'_>,
    actor: &Actor,
) -> Result<Option<(Order, Vec<Recipient>)>, crate::HandlerError> {
    let Some(phone) = actor.user.phone.clone() else {
        cx.say(actor.chat_id, cx.text(TextKey::StartAskPhone, &[]))?;
        return Ok(None);
    };
    let orders = orders_of(cx, &phone);
    let chosen = current_order(cx.store(), orders)?;
    let Some(order) = chosen else {
        cx.say(actor.chat_id, cx.text(TextKey::ClientNoOrder, &[]))?;
        return Ok(None);
    };
    let chats = staff_chats(cx, &order)?;
    Ok(Some((order, chats)))
}

/// The staff chats a client's message in `order` goes to, each with its switch button.
fn staff_chats(cx: &Cx<'_>, order: &Order) -> Result<Vec<Recipient>, crate::HandlerError> {
    let staff = recipients(cx.store(), order, cx.now())?;
    let switch = switch_screen(cx, order);
    let mut chats = Vec::new();
    for member in &staff {
        let chat = member.chat_id.unwrap_or(member.telegram_id);
        let keyboard = cx.keyboard(chat, &switch)?;
        chats.push((chat, keyboard.map(serde_json::to_value).transpose()?));
    }
    Ok(chats)
}

/// A client's text as staff see it: the bold header naming the order, then name and text.
fn client_text_html(
    cx: &Cx<'_>,
    header: TextKey,
    order: &Order,
    actor: &Actor,
    text: &str,
) -> String {
    let header = cx.text(header, &[("order", order.number.as_str().into())]);
    let body = cx.text(
        TextKey::ClientMessage,
        &[("name", actor.user.name().into()), ("text", text.into())],
    );
    format!("<b>{}</b>\n{}", html::escape(&header), html::escape(&body))
}

/// Records a client's text `entry` and queues it to `chats`, in one transaction.
fn record_and_queue(
    cx: &Cx<'_>,
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
    cx.store().transaction(|store| {
        let transcript_id = store.transcript().append(&entry)?;
        for (chat, keyboard) in chats {
            let payload = OutboxPayload::Text {
                html: html.to_owned(),
                markup: keyboard.clone(),
                silent: false,
            };
            crate::queue::enqueue(store, *chat, &payload, transcript_id, None, now)?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(())
}

pub fn text(cx: &Cx<'_>, actor: &Actor, message_id: MessageId, text: &str) -> HandlerResult {
    let Some((order, chats)) = route(cx, actor)? else {
        return Ok(());
    };
    let html = client_text_html(cx, TextKey::ClientReplyHeader, &order, actor, text);
    let mut entry = NewEntry::new(
        &order.number,
        &order.folder,
        cx.now(),
        Direction::ClientToStaff,
        EntryKind::Text,
    );
    entry.author_id = Some(actor.user.telegram_id);
    entry.text = Some(text.to_owned());
    entry.tg_chat_id = Some(actor.chat_id.0);
    entry.tg_message_id = Some(message_id.0);
    record_and_queue(cx, entry, &html, &chats)?;
    Ok(())
}

/// A client's photos, videos, documents or voice messages (an album as one batch, collected
/// until it is complete): filed under the order's `FromClient` folder, recorded, and relayed by
/// file id to the same staff a text would reach, the header and the switch button with them.
pub fn media(cx: &Cx<'_>, actor: &Actor, item: IncomingMedia) -> HandlerResult {
    if collect(cx, actor, &item, None)? {
        return Ok(());
    }
    media_batch(cx, actor, &[item])
}

pub(crate) fn media_batch(cx: &Cx<'_>, actor: &Actor, items: &[IncomingMedia]) -> HandlerResult {
    let Some((order, chats)) = route(cx, actor)? else {
        return Ok(());
    };
    let header = cx.text(
        TextKey::ClientReplyHeader,
        &[("order", order.number.as_str().into())],
    );
    let signed = format!(
        "<b>{}</b>\n{}",
        html::escape(&header),
        html::escape(&actor.user.name())
    );
    let place = Placement {
        order: &order,
        stage_folder: FROM_CLIENT_FOLDER,
        direction: Direction::ClientToStaff,
        relay: RelayStatus::FromClient,
        delivery: if chats.is_empty() {
            Delivery::NotApplicable
        } else {
            Delivery::Pending
        },
    };
    let first_entry = record_batch(cx, actor, items, &place, None)?;
    let relay_items = relay_items(items);
    for (chat, keyboard) in &chats {
        let planned = plan(
            &relay_items,
            &signed,
            keyboard.as_ref().map(|_| signed.as_str()),
        );
        let out = Outgoing {
            from_chat: actor.chat_id.0,
            to_chat: *chat,
            transcript_id: first_entry,
            receipt_id: None,
        };
        send_planned(cx, &out, items, &planned, keyboard.as_ref())?;
    }
    Ok(())
}

/// An edited client message: recorded as a new version pointing at the original (never an
/// overwrite) and passed to the same staff as a new message would be.
pub fn edited(cx: &Cx<'_>, actor: &Actor, message_id: MessageId, text: &str) -> HandlerResult {
    let original = cx
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
    let mut order = order_stub(cx, &original.entry.order_folder);
    order.number.clone_from(&original.entry.order_no);
    let chats = staff_chats(cx, &order)?;
    let html = client_text_html(cx, TextKey::ClientEditedHeader, &order, actor, text);
    let mut entry = original.entry.clone();
    entry.at = cx.now();
    entry.text = Some(text.to_owned());
    entry.edit_of = Some(original.id);
    entry.media_id = None;
    entry.source_key = None;
    record_and_queue(cx, entry, &html, &chats)?;
    Ok(())
}

/// The order of `folder` as the index knows it, or a stand-in for a closed one.
fn order_stub(cx: &Cx<'_>, folder: &str) -> Order {
    if let Some(order) = cx.index.read().ok().and_then(|i| i.get(folder)) {
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
fn switch_screen(cx: &Cx<'_>, order: &Order) -> Screen {
    Screen {
        text: String::new(),
        rows: vec![vec![Button::new(
            cx.text(
                TextKey::ButtonSwitchOrder,
                &[("order", order.number.as_str().into())],
            ),
            NavAction::Order {
                folder: order.folder.clone(),
            },
        )]],
    }
}
