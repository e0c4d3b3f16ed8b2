//! Staff media: every photo, video, document, voice message, round video and audio sent in an
//! order is saved through the core media store into the stage folder, recorded, and relayed to
//! the order's connected clients by `file_id` (never downloaded and uploaded again). Albums are
//! collected in the database by `media_group_id` and handled as one batch with one receipt.

use servicebot_core::dialogue::receipts::BatchRelay;
use servicebot_core::dialogue::relay::{plan, staff_header};
use servicebot_core::store::{Delivery, Direction, ReceiptKind, RelayStatus};
use servicebot_core::texts::TextKey;

use crate::auth::Actor;
use crate::cx::Cx;
use crate::incoming::IncomingMedia;
use crate::relaying::{
    Outgoing, Placement, Position, collect, named_chats, record_batch, relay_items, send_planned,
};
use crate::{HandlerResult, approvals, card, receipts};

/// A staff member's media message: an album item is collected in the database (filed where
/// its sender was when it came) until the inbox says the album is complete; a single file is
/// handled at once.
pub fn staff_media(cx: &Cx<'_>, actor: &Actor, item: IncomingMedia) -> HandlerResult {
    let session = cx.store().staff_sessions().get(actor.user.telegram_id)?;
    let position = session
        .as_ref()
        .and_then(|s| Some(Position(s.order_folder.clone()?, s.stage_folder.clone()?)));
    if collect(cx, actor, &item, position.as_ref())? {
        return Ok(());
    }
    staff_batch(cx, actor, position, &[item])
}

/// A staff batch: recorded, relayed to the order's connected clients by file id, saved by
/// file jobs, and reported in one receipt that is edited when all of that has ended.
pub(crate) fn staff_batch(
    cx: &Cx<'_>,
    actor: &Actor,
    position: Option<Position>,
    items: &[IncomingMedia],
) -> HandlerResult {
    let order = position
        .as_ref()
        .and_then(|Position(folder, _)| cx.index.read().ok()?.get(folder));
    let stage = position
        .as_ref()
        .and_then(|Position(_, stage)| cx.config.stage(stage).cloned());
    let (Some(order), Some(stage)) = (order, stage) else {
        // Nothing is lost: the messages stay in the chat and can be sent again after choosing.
        cx.say(actor.chat_id, cx.text(TextKey::MediaNoOrder, &[]))?;
        return Ok(());
    };
    let clients = if stage.client_visible {
        card::connected_clients(cx, &order.folder)
    } else {
        Vec::new()
    };
    let (relay, relay_status) = if !stage.client_visible {
        (BatchRelay::Internal, RelayStatus::Internal)
    } else if clients.is_empty() {
        (BatchRelay::NoClient, RelayStatus::NoClient)
    } else {
        (BatchRelay::Clients, RelayStatus::Sent)
    };
    let named = named_chats(&clients);
    let receipt = receipts::open(
        cx,
        actor.chat_id.0,
        ReceiptKind::Media,
        Some(relay),
        &named,
        items.len(),
    )?;
    let place = Placement {
        order: &order,
        stage_folder: &stage.folder,
        direction: Direction::StaffToClient,
        relay: relay_status,
        delivery: if clients.is_empty() {
            Delivery::NotApplicable
        } else {
            Delivery::Pending
        },
    };
    let first_entry = record_batch(cx, actor, items, &place, Some(receipt))?;
    if clients.is_empty() {
        return Ok(());
    }
    let asked = if stage.approval {
        Some(approvals::ask(cx, actor, &order, items, &clients)?)
    } else {
        None
    };
    let header = staff_header(&stage.title, &order.number);
    let relay_items = relay_items(items);
    for (chat, _) in &named {
        let keyboard = asked.as_ref().and_then(|a| a.keyboards.get(chat));
        let question = asked.as_ref().map(|a| a.question_html.as_str());
        let planned = plan(&relay_items, &header, keyboard.and(question));
        let markup = keyboard.map(serde_json::to_value).transpose()?;
        let out = Outgoing {
            from_chat: actor.chat_id.0,
            to_chat: *chat,
            transcript_id: first_entry,
            receipt_id: Some(receipt),
        };
        send_planned(cx, &out, items, &planned, markup.as_ref())?;
    }
    Ok(())
}
