//! The pinned card in each staff chat: one message, pinned once and edited in place, showing the
//! order, plate, stage and how many clients are connected.

use servicebot_core::orders::phones::order_phones;
use servicebot_core::store::StaffSession;
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::errors::is_not_modified;
use crate::{HandlerResult, TgBot};

/// The connected clients of an order folder.
pub fn connected_clients(deps: &BotDeps, folder: &str) -> Vec<servicebot_core::store::User> {
    let orders = &deps.config.orders;
    let phones = order_phones(
        &orders.root,
        folder,
        &orders.phone_file,
        &deps.config.phone.default_country_code,
    );
    if phones.is_empty() {
        return Vec::new();
    }
    deps.store()
        .users()
        .connected_clients(&phones)
        .unwrap_or_else(|error| {
            tracing::error!(%error, "cannot look up the order's clients");
            Vec::new()
        })
}

fn card_text(deps: &BotDeps, session: Option<&StaffSession>) -> String {
    let Some(folder) = session.and_then(|s| s.order_folder.as_deref()) else {
        return deps.text(TextKey::CardNone, &[]);
    };
    let order = deps
        .index
        .read()
        .ok()
        .and_then(|index| index.get(folder).cloned());
    let plate = order
        .as_ref()
        .and_then(|o| o.plate.clone())
        .unwrap_or_else(|| deps.text(TextKey::NoPlate, &[]));
    let number = order
        .as_ref()
        .map_or(folder.to_owned(), |o| o.number.clone());
    let stage = session
        .and_then(|s| s.stage_folder.as_deref())
        .and_then(|stage| deps.config.stage(stage))
        .map_or_else(
            || deps.text(TextKey::NoStage, &[]),
            |stage| stage.title.clone(),
        );
    let clients = connected_clients(deps, folder).len();
    let key = if clients == 0 {
        TextKey::CardNoClient
    } else {
        TextKey::Card
    };
    deps.text(
        key,
        &[
            ("order", number.into()),
            ("plate", plate.into()),
            ("stage", stage.into()),
            ("clients", clients.into()),
        ],
    )
}

/// Shows the staff member's current position on their card: edits the card, or sends and pins
/// a new one when there is none (or it was deleted).
pub async fn refresh(bot: &TgBot, deps: &BotDeps, actor: &Actor) -> HandlerResult {
    let id = actor.user.telegram_id;
    let session = deps.store().staff_sessions().get(id)?;
    let text = card_text(deps, session.as_ref());
    if let Some(message_id) = session.as_ref().and_then(|s| s.card_message_id) {
        match bot
            .edit_message_text(actor.chat_id, MessageId(message_id), text.clone())
            .await
        {
            Ok(_) => return Ok(()),
            Err(error) if is_not_modified(&error) => return Ok(()),
            Err(RequestError::Api(
                ApiError::MessageToEditNotFound | ApiError::MessageIdInvalid,
            )) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let card = bot
        .send_message(actor.chat_id, text)
        .disable_notification(true)
        .await?;
    deps.store()
        .staff_sessions()
        .set_card_message(id, Some(card.id.0), deps.now())?;
    bot.pin_chat_message(actor.chat_id, card.id)
        .disable_notification(true)
        .await?;
    Ok(())
}
