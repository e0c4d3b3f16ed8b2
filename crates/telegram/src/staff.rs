//! The staff side of the adapter: runs the sans-IO staff dialogue and executes its effects.

use servicebot_core::dialogue::NavAction;
use servicebot_core::dialogue::screens::NavContext;
use servicebot_core::dialogue::staff::{StaffEffect, StaffInput, StaffState, step};
use servicebot_core::store::{Delivery, Direction, EntryKind, NewEntry, PendingInput, ReceiptKind};
use servicebot_core::texts::TextKey;
use teloxide::utils::html;

use crate::auth::Actor;
use crate::cx::{Cx, Pressed};
use crate::payload::OutboxPayload;
use crate::{HandlerResult, card, receipts};

/// Runs one staff input through the dialogue and executes what it decides.
pub fn handle(
    cx: &Cx<'_>,
    actor: &Actor,
    input: StaffInput,
    pressed: Option<Pressed>,
) -> HandlerResult {
    let id = actor.user.telegram_id;
    let store = cx.store();
    let session = store.staff_sessions().get(id)?;
    let pending = store.pending_inputs().get(id)?;
    let state = StaffState {
        order: session.as_ref().and_then(|s| s.order_folder.clone()),
        stage: session.as_ref().and_then(|s| s.stage_folder.clone()),
        awaiting_search: pending == Some(PendingInput::OrderSearch),
    };
    let (next, effects) = {
        let index = match cx.index.read() {
            Ok(index) => index,
            Err(poisoned) => poisoned.into_inner(),
        };
        let ctx = NavContext {
            orders: &index,
            stages: &cx.config.stages,
            texts: &cx.texts,
            today: cx.today(),
        };
        step(&state, input, ctx)
    };
    if next != state {
        // What the next text means lives in `pending_inputs` alone; the session's old flag
        // stays false.
        store.staff_sessions().save_position(
            id,
            next.order.as_deref(),
            next.stage.as_deref(),
            false,
            cx.now(),
        )?;
        if next.awaiting_search {
            // One prompt at a time: the order search replaces an admin-menu prompt.
            store
                .pending_inputs()
                .set(id, PendingInput::OrderSearch, cx.now())?;
        } else if state.awaiting_search {
            store.pending_inputs().clear(id)?;
        }
    }
    let mut answered = false;
    for effect in effects {
        match effect {
            StaffEffect::Send(screen) => {
                cx.screen(actor.chat_id, &screen)?;
            }
            StaffEffect::Edit(screen) => match pressed.as_ref().and_then(|p| p.message_id) {
                Some(message_id) => {
                    cx.edit_screen(actor.chat_id, message_id, &screen)?;
                }
                None => {
                    cx.screen(actor.chat_id, &screen)?;
                }
            },
            StaffEffect::Say(text) => {
                cx.say(actor.chat_id, text)?;
            }
            StaffEffect::Answer(text) => {
                if let Some(pressed) = &pressed {
                    cx.answer(&pressed.query_id, text, false)?;
                    answered = true;
                }
            }
            StaffEffect::RefreshCard => card::refresh(cx, actor)?,
            StaffEffect::RelayText { folder, text } => relay_text(cx, actor, &folder, &text)?,
        }
    }
    if let (Some(pressed), false) = (&pressed, answered) {
        cx.answer(&pressed.query_id, None, false)?;
    }
    Ok(())
}

/// A button press by staff: its key was resolved to `action` for this chat.
pub fn pressed(cx: &Cx<'_>, actor: &Actor, action: NavAction, pressed: Pressed) -> HandlerResult {
    handle(cx, actor, StaffInput::Pressed(action), Some(pressed))
}

/// Staff text in an order: to every connected client as "<b>name, organization</b>" + text
/// (in as many whole parts as it takes), through the outbox, recorded in the transcript; the
/// staff member gets a receipt that says "sending…" and is edited to who received it.
fn relay_text(cx: &Cx<'_>, actor: &Actor, folder: &str, text: &str) -> HandlerResult {
    let clients = card::connected_clients(cx, folder);
    let number = cx
        .index
        .read()
        .ok()
        .and_then(|i| i.get(folder).map(|o| o.number.clone()))
        .unwrap_or_else(|| folder.to_owned());
    let header = cx.text(
        TextKey::StaffMessageHeader,
        &[
            ("name", actor.user.name().into()),
            ("organization", cx.config.organization.name.as_str().into()),
        ],
    );
    let header_html = format!("<b>{}</b>", html::escape(&header));
    let parts = servicebot_core::dialogue::split::split_text(
        &header_html,
        text,
        servicebot_core::dialogue::split::TEXT_LIMIT,
    );
    let now = cx.now();
    let store = cx.store();
    let mut entry = NewEntry::new(
        &number,
        folder,
        now,
        Direction::StaffToClient,
        EntryKind::Text,
    );
    entry.author_id = Some(actor.user.telegram_id);
    entry.text = Some(text.to_owned());
    entry.tg_chat_id = Some(actor.chat_id.0);
    entry.delivery = if clients.is_empty() {
        Delivery::NotApplicable
    } else {
        Delivery::Pending
    };
    let transcript_id = store.transcript().append(&entry)?;
    if clients.is_empty() {
        cx.say(actor.chat_id, cx.text(TextKey::TextNoClient, &[]))?;
        return Ok(());
    }
    let named: Vec<(i64, String)> = clients
        .iter()
        .map(|c| (c.chat_id.unwrap_or(c.telegram_id), c.name()))
        .collect();
    let receipt = receipts::open(cx, actor.chat_id.0, ReceiptKind::Text, None, &named, 0)?;
    for (chat, _) in &named {
        for html in &parts {
            cx.send_with(
                *chat,
                &OutboxPayload::text(html.clone()),
                transcript_id,
                Some(receipt),
            )?;
        }
    }
    Ok(())
}
