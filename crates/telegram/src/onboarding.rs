//! `/start` and sharing a phone number. A contact is accepted only when it is the sender's own
//! (the previous bot's worst hole was accepting anyone's); the phone is normalised and matched
//! against the open orders' phone files. An invite link (`/start <token>`) only says which order
//! to greet the client about — the phone match still decides access.

use servicebot_core::Phone;
use servicebot_core::orders::Order;
use servicebot_core::texts::TextKey;
use teloxide::types::{Contact, KeyboardButton, KeyboardMarkup, KeyboardRemove};

use crate::auth::Actor;
use crate::cx::Cx;
use crate::directory::{orders_of, refresh_directory};
use crate::links::record_link;
use crate::{HandlerResult, materials};

/// `/start`, with the token of an invite link if the client came through one.
pub fn start(cx: &Cx<'_>, actor: &Actor, token: Option<&str>) -> HandlerResult {
    let organization = cx.config.organization.name.as_str();
    let mut invalid_invite = false;
    let invited = match token {
        Some(token) => {
            let order = invited_order(cx, token)?;
            invalid_invite = order.is_none();
            order
        }
        None => None,
    };
    let greeting = match &invited {
        Some(order) => cx.text(
            TextKey::InviteGreeting,
            &[
                ("organization", organization.into()),
                ("order", order.number.as_str().into()),
            ],
        ),
        None => cx.text(
            TextKey::StartGreeting,
            &[("organization", organization.into())],
        ),
    };
    // A wrong invite link is said in the greeting itself: one message, not two.
    let greeting = if invalid_invite {
        format!("{}\n\n{greeting}", cx.text(TextKey::InviteInvalid, &[]))
    } else {
        greeting
    };
    if actor.is_staff() {
        let help = cx.text(TextKey::HelpStaff, &[]);
        cx.say(actor.chat_id, format!("{greeting}\n\n{help}"))?;
        return Ok(());
    }
    let Some(phone) = actor.user.phone.clone() else {
        return ask_phone(cx, actor, Some(greeting));
    };
    let orders = connect(cx, actor, &phone)?;
    let status = match &invited {
        Some(order) if !orders.iter().any(|o| o.folder == order.folder) => cx.text(
            TextKey::InviteNotListed,
            &[("order", order.number.as_str().into())],
        ),
        _ => cx.text(TextKey::HelpClient, &[]),
    };
    cx.say(actor.chat_id, format!("{greeting}\n\n{status}"))?;
    offer_materials(cx, actor, &orders)
}

/// The open order an invite token names; `None` for an unknown or revoked token, or an order
/// that is closed now.
fn invited_order(cx: &Cx<'_>, token: &str) -> Result<Option<Order>, crate::HandlerError> {
    let Some(invite) = cx.store().invites().resolve(token)? else {
        return Ok(None);
    };
    if invite.revoked {
        return Ok(None);
    }
    let index = match cx.index.read() {
        Ok(index) => index,
        Err(poisoned) => poisoned.into_inner(),
    };
    Ok(index
        .recent(index.len())
        .into_iter()
        .find(|o| o.number == invite.order_no || o.folder == invite.order_no))
}

/// Matches `phone` against the phone files (re-read now, so a file written a moment ago counts)
/// and records the client's links. Returns the orders, newest first.
fn connect(cx: &Cx<'_>, actor: &Actor, phone: &Phone) -> Result<Vec<Order>, crate::HandlerError> {
    refresh_directory(cx);
    let orders = orders_of(cx, phone);
    if actor.user.level.is_staff() {
        return Ok(orders);
    }
    let mut user = actor.user.clone();
    user.phone = Some(phone.clone());
    cx.store().transaction(|store| {
        for order in &orders {
            record_link(store, cx, order, &user)?;
        }
        Ok::<_, servicebot_core::store::StoreError>(())
    })?;
    Ok(orders)
}

/// Offers "Показать материалы" for each order that already has client-visible files.
fn offer_materials(cx: &Cx<'_>, actor: &Actor, orders: &[Order]) -> HandlerResult {
    for order in orders {
        if let Some(keyboard) = materials::materials_keyboard(cx, &actor.user, order)? {
            let text = cx.text(
                TextKey::ButtonMaterials,
                &[("order", order.number.as_str().into())],
            );
            cx.say_with_markup(actor.chat_id, &text, Some(serde_json::to_value(keyboard)?))?;
        }
    }
    Ok(())
}

/// A shared contact.
pub fn contact(cx: &Cx<'_>, actor: &Actor, contact: &Contact) -> HandlerResult {
    let own = contact
        .user_id
        .is_some_and(|id| i64::try_from(id.0).ok() == Some(actor.user.telegram_id));
    if !own {
        cx.say(actor.chat_id, cx.text(TextKey::ContactNotOwn, &[]))?;
        return Ok(());
    }
    let Some(phone) =
        Phone::normalize(&contact.phone_number, &cx.config.phone.default_country_code)
    else {
        cx.say(actor.chat_id, cx.text(TextKey::ContactInvalid, &[]))?;
        return Ok(());
    };
    cx.store()
        .users()
        .set_phone(actor.user.telegram_id, &phone)?;
    tracing::info!(user = actor.user.telegram_id, %phone, "phone verified");
    let orders = connect(cx, actor, &phone)?;
    let reply = if orders.is_empty() {
        cx.text(TextKey::ContactUnlinked, &[])
    } else {
        let numbers: Vec<&str> = orders.iter().map(|o| o.number.as_str()).collect();
        cx.text(
            TextKey::ContactLinked,
            &[
                ("count", orders.len().into()),
                ("orders", numbers.join(", ").into()),
            ],
        )
    };
    let remove = serde_json::to_value(KeyboardRemove::new())?;
    cx.say_with_markup(actor.chat_id, &reply, Some(remove))?;
    offer_materials(cx, actor, &orders)
}

/// Asks for the user's own phone with a `request_contact` button, after `lead` if given.
pub fn ask_phone(cx: &Cx<'_>, actor: &Actor, lead: Option<String>) -> HandlerResult {
    let share = KeyboardButton::new(cx.text(TextKey::ButtonSharePhone, &[]))
        .request(teloxide::types::ButtonRequest::Contact);
    let keyboard = KeyboardMarkup::new([[share]])
        .resize_keyboard()
        .one_time_keyboard();
    let ask = cx.text(TextKey::StartAskPhone, &[]);
    let text = match lead {
        Some(lead) => format!("{lead}\n\n{ask}"),
        None => ask,
    };
    cx.say_with_markup(actor.chat_id, &text, Some(serde_json::to_value(keyboard)?))?;
    Ok(())
}
