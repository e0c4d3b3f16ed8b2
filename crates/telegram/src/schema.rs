//! The handler tree, in one place: every update passes the one authorisation step
//! ([`crate::auth::gate`]), then goes to the handler for what it asks.

use servicebot_core::access::{Command, Need};
use servicebot_core::dialogue::Action;
use servicebot_core::dialogue::staff::StaffInput;
use servicebot_core::texts::TextKey;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{KeyboardButton, KeyboardMarkup};

use crate::auth::{Actor, Authorized, Gate, Refused, Request, gate};
use crate::context::Deps;
use crate::media::{self, MediaBot};
use crate::staff::{self, Pressed};
use crate::{HandlerError, HandlerResult, TgBot};
use crate::{admin, approvals, clients, materials, onboarding};

/// The production handler tree. A test builds the real dispatcher from it, so a missing
/// dependency fails a test instead of the start-up.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .map(|deps: Deps, update: Update| gate(&deps, &update))
        .branch(dptree::case![Gate::LeaveChat(chat)].endpoint(leave_chat))
        .branch(dptree::case![Gate::Blocked(actor)].endpoint(blocked))
        .branch(dptree::case![Gate::Refused(refused)].endpoint(refuse))
        .branch(dptree::case![Gate::Pass(authorized)].endpoint(serve))
}

async fn leave_chat(bot: TgBot, chat: ChatId) -> HandlerResult {
    bot.leave_chat(chat).await?;
    Ok(())
}

/// A blocked user gets the notice, and nothing else.
async fn blocked(bot: TgBot, deps: Deps, actor: Actor, update: Update) -> HandlerResult {
    let notice = deps.text(TextKey::AccessBlocked, &[]);
    match update.kind {
        teloxide::types::UpdateKind::CallbackQuery(query) => {
            bot.answer_callback_query(query.id)
                .text(notice)
                .show_alert(true)
                .await?;
        }
        teloxide::types::UpdateKind::Message(_) => {
            bot.send_message(actor.chat_id, notice).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A request its sender may not make: someone without a verified phone is asked for it; anyone
/// else is told the command or button is not theirs.
async fn refuse(bot: TgBot, deps: Deps, refused: Refused) -> HandlerResult {
    let Refused {
        actor,
        request,
        need,
    } = refused;
    tracing::info!(user = actor.user.telegram_id, ?need, "request refused");
    let unregistered =
        matches!(need, Need::Client | Need::Registered) && actor.user.phone.is_none();
    match request {
        Request::Button { query, .. } => {
            let key = if unregistered {
                TextKey::StartAskPhone
            } else {
                TextKey::NotAllowed
            };
            bot.answer_callback_query(query.id)
                .text(deps.text(key, &[]))
                .show_alert(true)
                .await?;
        }
        _ if unregistered => ask_phone(&bot, &deps, &actor, None).await?,
        Request::Edited { .. } | Request::Other => {}
        _ => {
            bot.send_message(actor.chat_id, deps.text(TextKey::NotAllowed, &[]))
                .await?;
        }
    }
    Ok(())
}

async fn serve(
    bot: TgBot,
    deps: Deps,
    media_bot: MediaBot,
    authorized: Authorized,
) -> HandlerResult {
    let Authorized { actor, request } = authorized;
    let staff = actor.is_staff();
    match request {
        Request::Command(command) => run_command(&bot, &deps, &actor, command).await,
        Request::Text { text, .. } if staff => {
            if admin::awaits_text(&deps, &actor)? {
                return admin::text(&bot, &deps, &actor, &text).await;
            }
            staff::handle(&bot, &deps, &actor, StaffInput::Text(text), None).await
        }
        Request::Text { message_id, text } => {
            clients::text(&bot, &deps, &actor, message_id, &text).await
        }
        Request::Media(item) if staff => {
            media::staff_media(bot, deps, media_bot, actor, item).await
        }
        Request::Media(item) => clients::media(bot, deps, media_bot, actor, item).await,
        Request::Contact(contact) => onboarding::contact(&bot, &deps, &actor, &contact).await,
        // Staff edits stay in their chat; a client's edit is a new version of their message.
        Request::Edited { .. } if staff => Ok(()),
        Request::Edited { message_id, text } => {
            clients::edited(&deps, &actor, message_id, &text).await
        }
        Request::Button { query, action } => press(&bot, &deps, &actor, query, action).await,
        Request::StaleButton(query) => {
            bot.answer_callback_query(query.id)
                .text(deps.text(TextKey::ButtonStale, &[]))
                .show_alert(true)
                .await?;
            Ok(())
        }
        Request::Other => Ok(()),
    }
}

async fn run_command(bot: &TgBot, deps: &Deps, actor: &Actor, command: Command) -> HandlerResult {
    match command {
        Command::Start { token } => onboarding::start(bot, deps, actor, token.as_deref()).await,
        Command::Help => {
            let key = if actor.is_staff() {
                TextKey::HelpStaff
            } else {
                TextKey::HelpClient
            };
            bot.send_message(actor.chat_id, deps.text(key, &[])).await?;
            Ok(())
        }
        Command::Order { query } => {
            let input = StaffInput::OrderCommand { query };
            staff::handle(bot, deps, actor, input, None).await
        }
        Command::Type => staff::handle(bot, deps, actor, StaffInput::TypeCommand, None).await,
        Command::Admin => admin::open(bot, deps, actor).await,
        Command::Cancel => admin::cancel(bot, deps, actor, None).await,
        Command::Unknown(_) => {
            let key = if actor.is_staff() {
                TextKey::UnknownCommand
            } else {
                TextKey::HelpClient
            };
            bot.send_message(actor.chat_id, deps.text(key, &[])).await?;
            Ok(())
        }
    }
}

async fn press(
    bot: &TgBot,
    deps: &Deps,
    actor: &Actor,
    query: CallbackQuery,
    action: Action,
) -> HandlerResult {
    let pressed = Pressed {
        query_id: query.id.clone(),
        message_id: query.regular_message().map(|m| m.id),
    };
    match action {
        Action::Nav(action) => staff::pressed(bot, deps, actor, action, pressed).await,
        Action::Admin(action) => admin::pressed(bot, deps, actor, action, pressed).await,
        Action::Materials { folder } => {
            materials::materials(bot, deps, actor, &folder, pressed).await
        }
        Action::Decide { request, approve } => {
            approvals::decide(bot, deps, actor, request, approve, pressed).await
        }
        Action::CloseApproval { request } => {
            approvals::close(bot, deps, actor, request, pressed).await
        }
    }
}

/// Asks for the user's own phone with a `request_contact` button, after `lead` if given.
pub async fn ask_phone(
    bot: &TgBot,
    deps: &Deps,
    actor: &Actor,
    lead: Option<String>,
) -> HandlerResult {
    let share = KeyboardButton::new(deps.text(TextKey::ButtonSharePhone, &[]))
        .request(teloxide::types::ButtonRequest::Contact);
    let keyboard = KeyboardMarkup::new([[share]])
        .resize_keyboard()
        .one_time_keyboard();
    let ask = deps.text(TextKey::StartAskPhone, &[]);
    let text = match lead {
        Some(lead) => format!("{lead}\n\n{ask}"),
        None => ask,
    };
    bot.send_message(actor.chat_id, text)
        .reply_markup(keyboard)
        .await?;
    Ok(())
}
