//! The handler tree, in one place: every update passes the authorisation gate, then goes to the
//! handler for its kind and the sender's role.

use servicebot_core::dialogue::staff::StaffInput;
use servicebot_core::texts::TextKey;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{KeyboardButton, KeyboardMarkup};

use crate::auth::{Actor, Gate, gate};
use crate::context::Deps;
use crate::keyboards::{KeyProblem, resolve};
use crate::media::{self, MediaBot};
use crate::staff::{self, Pressed};
use crate::{HandlerError, HandlerResult, TgBot};
use crate::{clients, onboarding};

/// The production handler tree. A test builds the real dispatcher from it, so a missing
/// dependency fails a test instead of the start-up.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .map(|deps: Deps, update: Update| gate(&deps, &update))
        .branch(dptree::case![Gate::LeaveChat(chat)].endpoint(leave_chat))
        .branch(dptree::case![Gate::Blocked(actor)].endpoint(blocked))
        .branch(
            dptree::case![Gate::Pass(actor)]
                .branch(Update::filter_message().endpoint(message))
                .branch(Update::filter_callback_query().endpoint(callback)),
        )
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
            bot.answer_callback_query(query.id).text(notice).await?;
        }
        teloxide::types::UpdateKind::Message(_) => {
            bot.send_message(actor.chat_id, notice).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A command's name (without `/` and `@botname`) and the rest of the line.
fn command(text: &str) -> Option<(String, Option<String>)> {
    let text = text.trim();
    let rest = text.strip_prefix('/')?;
    let (name, args) = match rest.split_once(char::is_whitespace) {
        Some((name, args)) => (name, Some(args.trim().to_owned()).filter(|a| !a.is_empty())),
        None => (rest, None),
    };
    let name = name.split('@').next().unwrap_or(name).to_lowercase();
    Some((name, args))
}

async fn message(
    bot: TgBot,
    deps: Deps,
    media_bot: MediaBot,
    actor: Actor,
    msg: Message,
) -> HandlerResult {
    if let Some(item) = media::incoming(&msg) {
        if actor.is_staff() {
            return media::staff_media(bot, deps, media_bot, actor, item).await;
        }
        return clients::media(&bot, &deps, &media_bot, &actor, item).await;
    }
    if let Some(shared) = msg.contact() {
        return onboarding::contact(&bot, &deps, &actor, shared).await;
    }
    let text = msg.text().map(str::to_owned);
    let parsed = text.as_deref().and_then(command);
    match (parsed, actor.is_staff()) {
        (Some((name, _)), _) if name == "start" => start(&bot, &deps, &actor).await,
        (Some((name, _)), staff) if name == "help" => {
            let key = if staff {
                TextKey::HelpStaff
            } else {
                TextKey::HelpClient
            };
            bot.send_message(actor.chat_id, deps.text(key, &[])).await?;
            Ok(())
        }
        (Some((name, query)), true) if name == "order" => {
            staff::handle(
                &bot,
                &deps,
                &actor,
                StaffInput::OrderCommand { query },
                None,
            )
            .await
        }
        (Some((name, _)), true) if name == "type" => {
            staff::handle(&bot, &deps, &actor, StaffInput::TypeCommand, None).await
        }
        (_, true) => match text {
            Some(text) => staff::handle(&bot, &deps, &actor, StaffInput::Text(text), None).await,
            None => Ok(()),
        },
        (Some(_), false) => {
            bot.send_message(actor.chat_id, deps.text(TextKey::HelpClient, &[]))
                .await?;
            Ok(())
        }
        (None, false) => match text {
            Some(text) => clients::text(&bot, &deps, &actor, &text).await,
            None => Ok(()),
        },
    }
}

/// `/start`: the greeting on behalf of the organization; clients without a phone are asked to
/// share theirs.
async fn start(bot: &TgBot, deps: &Deps, actor: &Actor) -> HandlerResult {
    let greeting = deps.text(
        TextKey::StartGreeting,
        &[(
            "organization",
            deps.config.organization.name.as_str().into(),
        )],
    );
    if actor.is_staff() {
        bot.send_message(
            actor.chat_id,
            format!("{greeting}\n\n{}", deps.text(TextKey::HelpStaff, &[])),
        )
        .await?;
        return Ok(());
    }
    if actor.user.phone.is_some() {
        bot.send_message(
            actor.chat_id,
            format!("{greeting}\n\n{}", deps.text(TextKey::HelpClient, &[])),
        )
        .await?;
        return Ok(());
    }
    let share = KeyboardButton::new(deps.text(TextKey::ButtonSharePhone, &[]))
        .request(teloxide::types::ButtonRequest::Contact);
    let keyboard = KeyboardMarkup::new([[share]])
        .resize_keyboard()
        .one_time_keyboard();
    bot.send_message(
        actor.chat_id,
        format!("{greeting}\n\n{}", deps.text(TextKey::StartAskPhone, &[])),
    )
    .reply_markup(keyboard)
    .await?;
    Ok(())
}

async fn callback(bot: TgBot, deps: Deps, actor: Actor, query: CallbackQuery) -> HandlerResult {
    let stale = deps.text(TextKey::ButtonStale, &[]);
    let key = query.data.clone().unwrap_or_default();
    let resolved = resolve(&deps, actor.chat_id.0, &key)?;
    match resolved {
        Ok(action) if actor.is_staff() => {
            let pressed = Pressed {
                query_id: query.id.clone(),
                message_id: query.regular_message().map(|m| m.id),
            };
            staff::pressed(&bot, &deps, &actor, action, pressed).await
        }
        Ok(_) | Err(KeyProblem::Stale) => {
            bot.answer_callback_query(query.id)
                .text(stale)
                .show_alert(true)
                .await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::command;

    #[test]
    fn commands_parse() {
        assert_eq!(command("/order"), Some(("order".into(), None)));
        assert_eq!(
            command("/order  А123 ВС "),
            Some(("order".into(), Some("А123 ВС".into())))
        );
        assert_eq!(
            command("/Order@servicebot_test_bot x"),
            Some(("order".into(), Some("x".into())))
        );
        assert_eq!(command("привет /order"), None);
    }
}
