//! Command menus per role (`setMyCommands` with scopes): clients see /start and /help; staff
//! also /order and /type; admins also /admin.

use servicebot_core::store::{Level, User};
use servicebot_core::store::{Store, StoreError};
use servicebot_core::texts::TextKey;

use crate::context::BotDeps;
use crate::cx::Cx;
use crate::payload::OutboxPayload;
use crate::queue::enqueue;

fn commands(deps: &BotDeps, level: Level) -> Vec<(String, String)> {
    let mut list = vec![
        ("start", deps.text(TextKey::CommandStart, &[])),
        ("help", deps.text(TextKey::CommandHelp, &[])),
    ];
    if level.is_staff() {
        list.push(("order", deps.text(TextKey::CommandOrder, &[])));
        list.push(("type", deps.text(TextKey::CommandType, &[])));
    }
    if level == Level::Admin {
        list.push(("admin", deps.text(TextKey::CommandAdmin, &[])));
    }
    list.into_iter().map(|(c, d)| (c.to_owned(), d)).collect()
}

/// The menu of one user's chat, matching their level and activity (queued: a level change
/// takes effect in the user's menu at once).
pub fn install_for(cx: &Cx<'_>, user: &User) -> Result<(), StoreError> {
    queue_for(cx.store(), cx.deps, user, cx.now())
}

fn queue_for(
    store: &Store,
    deps: &BotDeps,
    user: &User,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let level = if user.active {
        user.level
    } else {
        Level::Client
    };
    let Some(chat_id) = user.chat_id else {
        return Ok(());
    };
    let payload = OutboxPayload::Commands {
        scope_chat: Some(chat_id),
        commands: commands(deps, level),
    };
    enqueue(store, chat_id, &payload, None, None, now)?;
    store.users().set_menu_level(user.telegram_id, level)?;
    Ok(())
}

/// Gives every user whose level or activity changed since their menu was set (by the command
/// line or the desktop app, in another process) the menu that matches now. Returns how many.
pub fn sync_changed(deps: &BotDeps) -> Result<usize, StoreError> {
    let now = chrono::Utc::now();
    let store = deps.store();
    let changed = store.transaction(|store| {
        let stale = store.users().menus_out_of_date()?;
        for user in &stale {
            queue_for(store, deps, user, now)?;
        }
        Ok::<_, StoreError>(stale.len())
    })?;
    drop(store);
    if changed > 0 {
        deps.outbox_ready.notify_one();
    }
    Ok(changed)
}

/// The default menu for everyone, and their own menu for every active staff member.
pub fn install_all(deps: &BotDeps) -> Result<(), StoreError> {
    let now = chrono::Utc::now();
    let store = deps.store();
    store.transaction(|store| {
        let payload = OutboxPayload::Commands {
            scope_chat: None,
            commands: commands(deps, Level::Client),
        };
        enqueue(store, 0, &payload, None, None, now)?;
        for user in store.users().active_staff()? {
            queue_for(store, deps, &user, now)?;
        }
        Ok::<_, StoreError>(())
    })?;
    drop(store);
    // Users demoted or blocked while the bot was not running get the client menu back.
    sync_changed(deps).map(drop)
}
