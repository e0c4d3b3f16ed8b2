//! Sharing a phone number: accepted only for the sender's own contact (the previous bot's worst
//! hole was accepting anyone's), normalised, and matched against the open orders' phone files.

use servicebot_core::Phone;
use servicebot_core::orders::phones::order_phones;
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::{Contact, KeyboardRemove};

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::{HandlerResult, TgBot};

/// The open orders whose phone file lists `phone`, newest first.
pub fn orders_of(deps: &BotDeps, phone: &Phone) -> Vec<servicebot_core::orders::Order> {
    let orders = {
        let Ok(index) = deps.index.read() else {
            return Vec::new();
        };
        index.recent(index.len())
    };
    let config = &deps.config;
    orders
        .into_iter()
        .filter(|order| {
            order_phones(
                &config.orders.root,
                &order.folder,
                &config.orders.phone_file,
                &config.phone.default_country_code,
            )
            .contains(phone)
        })
        .collect()
}

/// A shared contact.
pub async fn contact(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    contact: &Contact,
) -> HandlerResult {
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
    let orders = orders_of(deps, &phone);
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
    Ok(())
}
