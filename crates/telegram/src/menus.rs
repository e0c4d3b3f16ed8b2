//! Command menus per role (`setMyCommands` with scopes): clients see /start and /help; staff
//! also /order and /type; admins also /admin.

use servicebot_core::store::{Level, User};
use servicebot_core::texts::TextKey;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use crate::context::BotDeps;
use crate::{HandlerResult, TgBot};

fn commands(deps: &BotDeps, level: Level) -> Vec<BotCommand> {
    let mut list = vec![
        BotCommand::new("start", deps.text(TextKey::CommandStart, &[])),
        BotCommand::new("help", deps.text(TextKey::CommandHelp, &[])),
    ];
    if level.is_staff() {
        list.push(BotCommand::new(
            "order",
            deps.text(TextKey::CommandOrder, &[]),
        ));
        list.push(BotCommand::new(
            "type",
            deps.text(TextKey::CommandType, &[]),
        ));
    }
    if level == Level::Admin {
        list.push(BotCommand::new(
            "admin",
            deps.text(TextKey::CommandAdmin, &[]),
        ));
    }
    list
}

/// The menu of one user's chat, matching their level and activity.
pub async fn install_for(bot: &TgBot, deps: &BotDeps, user: &User) -> HandlerResult {
    let level = if user.active {
        user.level
    } else {
        Level::Client
    };
    let Some(chat_id) = user.chat_id else {
        return Ok(());
    };
    bot.set_my_commands(commands(deps, level))
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(chat_id)),
        })
        .await?;
    Ok(())
}

/// The default menu for everyone, and the staff menus for every active staff member.
pub async fn install_all(bot: &TgBot, deps: &BotDeps) -> HandlerResult {
    bot.set_my_commands(commands(deps, Level::Client))
        .scope(BotCommandScope::AllPrivateChats)
        .await?;
    let staff = deps.store().users().active_staff()?;
    for user in staff {
        install_for(bot, deps, &user).await?;
    }
    Ok(())
}
