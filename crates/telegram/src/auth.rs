//! The one authorisation step every update passes: who is writing, at what level, and whether
//! they may be served at all. Private chats only; users are recorded (as active clients the first
//! time) and refreshed with every update; blocked users get a notice and nothing else.

use servicebot_core::store::{TelegramProfile, User};
use teloxide::types::{ChatId, Update, UpdateKind};

use crate::context::BotDeps;

/// The person behind an update, as the database knows them now.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub chat_id: ChatId,
}

impl Actor {
    pub fn is_staff(&self) -> bool {
        self.user.active && self.user.level.is_staff()
    }
}

/// What to do with an update before any handler sees it.
#[derive(Debug, Clone)]
pub enum Gate {
    /// Serve it.
    Pass(Actor),
    /// A group or channel: leave it.
    LeaveChat(ChatId),
    /// A blocked user: answer with the notice only.
    Blocked(Actor),
    /// Nothing to act on (updates without a user, our own messages).
    Ignore,
}

pub fn gate(deps: &BotDeps, update: &Update) -> Gate {
    // A redelivered update (the bot restarted before Telegram saw it confirmed) is dropped.
    match deps
        .store()
        .processed_updates()
        .first_time(i64::from(update.id.0), deps.now())
    {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(update = update.id.0, "update already handled; skipping it");
            return Gate::Ignore;
        }
        Err(error) => tracing::error!(%error, "cannot record the update id; handling it anyway"),
    }
    let (from, chat) = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => (m.from.as_ref(), Some(&m.chat)),
        UpdateKind::CallbackQuery(q) => (Some(&q.from), q.regular_message().map(|m| &m.chat)),
        _ => (None, None),
    };
    if let Some(chat) = chat
        && !chat.is_private()
    {
        return Gate::LeaveChat(chat.id);
    }
    let Some(from) = from.filter(|u| !u.is_bot) else {
        return Gate::Ignore;
    };
    let Ok(telegram_id) = i64::try_from(from.id.0) else {
        return Gate::Ignore;
    };
    let profile = TelegramProfile {
        telegram_id,
        chat_id: chat.map_or(telegram_id, |c| c.id.0),
        first_name: from.first_name.clone(),
        last_name: from.last_name.clone(),
        username: from.username.clone(),
    };
    let user = match deps.store().users().upsert_seen(&profile, deps.now()) {
        Ok(user) => user,
        Err(error) => {
            tracing::error!(%error, "cannot record the user; ignoring the update");
            return Gate::Ignore;
        }
    };
    let actor = Actor {
        chat_id: ChatId(profile.chat_id),
        user,
    };
    if actor.user.active {
        Gate::Pass(actor)
    } else {
        Gate::Blocked(actor)
    }
}
