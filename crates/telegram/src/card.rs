//! The pinned card in each staff chat: one message, pinned once and edited in place, showing the
//! order, plate, stage and how many clients are connected.

use servicebot_core::orders::phones::order_phones;
use servicebot_core::store::StaffSession;
use servicebot_core::store::StoreError;
use servicebot_core::texts::TextKey;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::cx::Cx;
use crate::payload::OutboxPayload;

/// The connected clients of an order folder.
pub fn connected_clients(cx: &Cx<'_>, folder: &str) -> Vec<servicebot_core::store::User> {
    let orders = &cx.config.orders;
    let phones = order_phones(
        &orders.root,
        folder,
        &orders.phone_file,
        &cx.config.phone.default_country_code,
    );
    if phones.is_empty() {
        return Vec::new();
    }
    cx.store()
        .users()
        .connected_clients(&phones)
        .unwrap_or_else(|error| {
            tracing::error!(%error, "cannot look up the order's clients");
            Vec::new()
        })
}

fn card_text(cx: &Cx<'_>, session: Option<&StaffSession>) -> String {
    let Some(folder) = session.and_then(|s| s.order_folder.as_deref()) else {
        return cx.text(TextKey::CardNone, &[]);
    };
    let order = cx.index.read().ok().and_then(|index| index.get(folder));
    let plate = order
        .as_ref()
        .and_then(|o| o.plate.clone())
        .unwrap_or_else(|| cx.text(TextKey::NoPlate, &[]));
    let number = order
        .as_ref()
        .map_or(folder.to_owned(), |o| o.number.clone());
    let stage = session
        .and_then(|s| s.stage_folder.as_deref())
        .and_then(|stage| cx.config.stage(stage))
        .map_or_else(
            || cx.text(TextKey::NoStage, &[]),
            |stage| stage.title.clone(),
        );
    let clients = connected_clients(cx, folder).len();
    let key = if clients == 0 {
        TextKey::CardNoClient
    } else {
        TextKey::Card
    };
    cx.text(
        key,
        &[
            ("order", number.into()),
            ("plate", plate.into()),
            ("stage", stage.into()),
            ("clients", clients.into()),
        ],
    )
}

/// Shows the staff member's current position on their card: the card is edited in place, or
/// sent and pinned when there is none (or it was deleted) — decided when the item is sent.
pub fn refresh(cx: &Cx<'_>, actor: &Actor) -> Result<(), StoreError> {
    let id = actor.user.telegram_id;
    let session = cx.store().staff_sessions().get(id)?;
    let text = card_text(cx, session.as_ref());
    let payload = OutboxPayload::Card {
        staff_id: id,
        html: html::escape(&text),
    };
    cx.send(actor.chat_id.0, &payload)?;
    Ok(())
}
