//! `/start` and sharing a phone number. A contact is accepted only when it is the sender's own
//! (the previous bot's worst hole was accepting anyone's); the phone is normalised and matched
//! against the open orders' phone files. An invite link (`/start <token>`) only says which order
//! to greet the client about — the phone match still decides access.

use std::sync::Arc;

use servicebot_core::Phone;
use servicebot_core::orders::Order;
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::{Contact, KeyboardRemove};

use crate::auth::Actor;
use crate::context::Deps;
use crate::links::{orders_of, record_link, refresh_directory};
use crate::schema::ask_phone;
use crate::{HandlerResult, TgBot, materials};

/// `/start`, with the token of an invite link if the client came through one.
pub async fn start(bot: &TgBot, deps: &Deps, actor: &Actor, token: Option<&str>) -> HandlerResult {
    let organization = deps.config.organization.name.as_str();
    let invited = match token {
        Some(token) => match invited_order(deps, token)? {
            Some(order) => Some(order),
            None => {
                bot.send_message(actor.chat_id, deps.text(TextKey::InviteInvalid, &[]))
                    .await?;
                None
            }
        },
        None => None,
    };
    let greeting = match &invited {
        Some(order) => deps.text(
            TextKey::InviteGreeting,
            &[
                ("organization", organization.into()),
                ("order", order.number.as_str().into()),
            ],
        ),
        None => deps.text(
            TextKey::StartGreeting,
            &[("organization", organization.into())],
        ),
    };
    if actor.is_staff() {
        let help = deps.text(TextKey::HelpStaff, &[]);
        bot.send_message(actor.chat_id, format!("{greeting}\n\n{help}"))
            .await?;
        return Ok(());
    }
    let Some(phone) = actor.user.phone.clone() else {
        return ask_phone(bot, deps, actor, Some(greeting)).await;
    };
    let orders = connect(deps, actor, &phone).await?;
    let status = match &invited {
        Some(order) if !orders.iter().any(|o| o.folder == order.folder) => deps.text(
            TextKey::InviteNotListed,
            &[("order", order.number.as_str().into())],
        ),
        _ => deps.text(TextKey::HelpClient, &[]),
    };
    bot.send_message(actor.chat_id, format!("{greeting}\n\n{status}"))
        .await?;
    offer_materials(bot, deps, actor, &orders).await
}

/// The open order an invite token names; `None` for an unknown or revoked token, or an order
/// that is closed now.
fn invited_order(deps: &Deps, token: &str) -> Result<Option<Order>, crate::HandlerError> {
    let Some(invite) = deps.store().invites().resolve(token)? else {
        return Ok(None);
    };
    if invite.revoked {
        return Ok(None);
    }
    let index = match deps.index.read() {
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
async fn connect(
    deps: &Deps,
    actor: &Actor,
    phone: &Phone,
) -> Result<Vec<Order>, crate::HandlerError> {
    let pass = Arc::clone(deps);
    tokio::task::spawn_blocking(move || refresh_directory(&pass)).await?;
    let orders = orders_of(deps, phone);
    if actor.user.level.is_staff() {
        return Ok(orders);
    }
    let mut user = actor.user.clone();
    user.phone = Some(phone.clone());
    let mut store = deps.store();
    store.transaction(|store| {
        for order in &orders {
            record_link(store, deps, order, &user)?;
        }
        Ok::<_, servicebot_core::store::StoreError>(())
    })?;
    Ok(orders)
}

/// Offers "Показать материалы" for each order that already has client-visible files.
async fn offer_materials(
    bot: &TgBot,
    deps: &Deps,
    actor: &Actor,
    orders: &[Order],
) -> HandlerResult {
    for order in orders {
        if let Some(keyboard) = materials::materials_keyboard(deps, &actor.user, order)? {
            bot.send_message(
                actor.chat_id,
                deps.text(
                    TextKey::ButtonMaterials,
                    &[("order", order.number.as_str().into())],
                ),
            )
            .reply_markup(keyboard)
            .await?;
        }
    }
    Ok(())
}

/// A shared contact.
pub async fn contact(bot: &TgBot, deps: &Deps, actor: &Actor, contact: &Contact) -> HandlerResult {
    let own = contact
        .user_id
        .is_some_and(|id| i64::try_from(id.0).ok() == Some(actor.user.telegram_id));
    if !own {
        bot.send_message(actor.chat_id, deps.text(TextKey::ContactNotOwn, &[]))
            .await?;
        return Ok(());
    }
    let Some(phone) = Phone::normalize(
        &contact.phone_number,
        &deps.config.phone.default_country_code,
    ) else {
        bot.send_message(actor.chat_id, deps.text(TextKey::ContactInvalid, &[]))
            .await?;
        return Ok(());
    };
    deps.store()
        .users()
        .set_phone(actor.user.telegram_id, &phone)?;
    tracing::info!(user = actor.user.telegram_id, %phone, "phone verified");
    let orders = connect(deps, actor, &phone).await?;
    let reply = if orders.is_empty() {
        deps.text(TextKey::ContactUnlinked, &[])
    } else {
        let numbers: Vec<&str> = orders.iter().map(|o| o.number.as_str()).collect();
        deps.text(
            TextKey::ContactLinked,
            &[
                ("count", orders.len().into()),
                ("orders", numbers.join(", ").into()),
            ],
        )
    };
    bot.send_message(actor.chat_id, reply)
        .reply_markup(KeyboardRemove::new())
        .await?;
    offer_materials(bot, deps, actor, &orders).await
}
