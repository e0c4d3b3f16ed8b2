//! The staff side of the adapter: runs the sans-IO staff dialogue and executes its effects.

use servicebot_core::dialogue::screens::NavContext;
use servicebot_core::dialogue::staff::{StaffEffect, StaffInput, StaffState, step};
use servicebot_core::dialogue::{NavAction, Screen};
use servicebot_core::store::{Delivery, Direction, EntryKind, NewEntry};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::{CallbackQueryId, MessageId};
use teloxide::utils::html;

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::errors::is_not_modified;
use crate::keyboards::inline_keyboard;
use crate::outbox::{self, OutboxPayload};
use crate::{HandlerResult, TgBot, card};

/// The button press an input came from, if any.
#[derive(Debug, Clone)]
pub struct Pressed {
    pub query_id: CallbackQueryId,
    pub message_id: Option<MessageId>,
}

/// Runs one staff input through the dialogue and executes what it decides.
pub async fn handle(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    input: StaffInput,
    pressed: Option<Pressed>,
) -> HandlerResult {
    let id = actor.user.telegram_id;
    let session = deps.store().staff_sessions().get(id)?;
    let state = StaffState {
        order: session.as_ref().and_then(|s| s.order_folder.clone()),
        stage: session.as_ref().and_then(|s| s.stage_folder.clone()),
        awaiting_search: session.as_ref().is_some_and(|s| s.awaiting_search),
    };
    let (next, effects) = {
        let index = match deps.index.read() {
            Ok(index) => index,
            Err(poisoned) => poisoned.into_inner(),
        };
        let ctx = NavContext {
            orders: &index,
            stages: &deps.config.stages,
            texts: &deps.texts,
            today: deps.today(),
        };
        step(&state, input, ctx)
    };
    if next != state {
        let store = deps.store();
        store.staff_sessions().save_position(
            id,
            next.order.as_deref(),
            next.stage.as_deref(),
            next.awaiting_search,
            deps.now(),
        )?;
        if next.awaiting_search {
            // One prompt at a time: the order search replaces an admin-menu prompt.
            store.pending_inputs().clear(id)?;
        }
    }
    let mut answered = false;
    for effect in effects {
        match effect {
            StaffEffect::Send(screen) => send_screen(bot, deps, actor, &screen).await?,
            StaffEffect::Edit(screen) => match pressed.as_ref().and_then(|p| p.message_id) {
                Some(message_id) => edit_screen(bot, deps, actor, message_id, &screen).await?,
                None => send_screen(bot, deps, actor, &screen).await?,
            },
            StaffEffect::Say(text) => {
                bot.send_message(actor.chat_id, text).await?;
            }
            StaffEffect::Answer(text) => {
                if let Some(pressed) = &pressed {
                    let mut answer = bot.answer_callback_query(pressed.query_id.clone());
                    if let Some(text) = text {
                        answer = answer.text(text);
                    }
                    answer.await?;
                    answered = true;
                }
            }
            StaffEffect::RefreshCard => card::refresh(bot, deps, actor).await?,
            StaffEffect::RelayText { folder, text } => {
                relay_text(bot, deps, actor, &folder, &text).await?
            }
        }
    }
    if let (Some(pressed), false) = (&pressed, answered) {
        bot.answer_callback_query(pressed.query_id.clone()).await?;
    }
    Ok(())
}

/// A button press by staff: its key was resolved to `action` for this chat.
pub async fn pressed(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    action: NavAction,
    pressed: Pressed,
) -> HandlerResult {
    handle(bot, deps, actor, StaffInput::Pressed(action), Some(pressed)).await
}

pub(crate) async fn send_screen(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    screen: &Screen,
) -> HandlerResult {
    let mut request = bot.send_message(actor.chat_id, screen.text.clone());
    if let Some(keyboard) = inline_keyboard(deps, actor.chat_id.0, screen)? {
        request = request.reply_markup(keyboard);
    }
    request.await?;
    Ok(())
}

pub(crate) async fn edit_screen(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    message_id: MessageId,
    screen: &Screen,
) -> HandlerResult {
    let mut request = bot.edit_message_text(actor.chat_id, message_id, screen.text.clone());
    if let Some(keyboard) = inline_keyboard(deps, actor.chat_id.0, screen)? {
        request = request.reply_markup(keyboard);
    }
    match request.await {
        Ok(_) => Ok(()),
        Err(error) if is_not_modified(&error) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Staff text in an order: to every connected client as "<b>name, organization</b>" + text,
/// through the outbox, recorded in the transcript; staff are told who gets it, or that nobody
/// does.
async fn relay_text(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    folder: &str,
    text: &str,
) -> HandlerResult {
    let clients = card::connected_clients(deps, folder);
    let number = deps
        .index
        .read()
        .ok()
        .and_then(|i| i.get(folder).map(|o| o.number.clone()))
        .unwrap_or_else(|| folder.to_owned());
    let header = deps.text(
        TextKey::StaffMessageHeader,
        &[
            ("name", actor.user.name().into()),
            (
                "organization",
                deps.config.organization.name.as_str().into(),
            ),
        ],
    );
    let body = format!("<b>{}</b>\n{}", html::escape(&header), html::escape(text));
    let now = deps.now();
    {
        let mut store = deps.store();
        store.transaction(|store| {
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
            for client in &clients {
                let chat = client.chat_id.unwrap_or(client.telegram_id);
                outbox::enqueue(
                    store,
                    chat,
                    &OutboxPayload::Text {
                        html: body.clone(),
                        keyboard: None,
                    },
                    transcript_id,
                    now,
                )?;
            }
            Ok::<_, servicebot_core::store::StoreError>(())
        })?;
    }
    deps.outbox_ready.notify_one();
    let reply = if clients.is_empty() {
        deps.text(TextKey::TextNoClient, &[])
    } else {
        let names = clients
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(", ");
        deps.text(TextKey::TextSent, &[("names", names.into())])
    };
    bot.send_message(actor.chat_id, reply).await?;
    Ok(())
}
