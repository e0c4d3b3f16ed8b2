//! The one authorisation step every update passes: who is writing, at what level, what they ask
//! for, and whether they may. Private chats only; users are recorded (as active clients the
//! first time) and refreshed with every update; blocked users get a notice and nothing else;
//! every command and every button names the role it needs (`servicebot_core::access`) and is
//! checked here, against the database as it is at this moment — so a demoted admin's old buttons
//! stop working at once, and a button issued to another chat is never resolved.

use servicebot_core::access::{Command, MessageKind, Need, message_need, permits};
use servicebot_core::dialogue::Action;
use servicebot_core::store::{TelegramProfile, User};
use teloxide::types::{ChatId, Contact, Message, MessageId, Update, UpdateKind};

use crate::cx::{Cx, Pressed};
use crate::incoming::{IncomingMedia, incoming};
use crate::keyboards::resolve;

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

/// What an update asks for.
#[derive(Debug, Clone)]
pub enum Request {
    Command(Command),
    /// Text that is not a command.
    Text {
        message_id: MessageId,
        text: String,
    },
    Media(IncomingMedia),
    Contact(Contact),
    /// A message edited after it was sent (its new text or caption).
    Edited {
        message_id: MessageId,
        text: String,
    },
    /// A button whose key resolved, for this chat, to `action`.
    Button {
        pressed: Pressed,
        action: Action,
    },
    /// A button with an unknown, expired or another chat's key.
    StaleButton(Pressed),
    /// Anything else (stickers, locations, service messages): nothing to do.
    Other,
}

impl Request {
    /// The role this request needs from `user` (core's rules).
    pub fn need(&self, user: &User) -> Need {
        let kind = match self {
            Request::Command(command) => return command.need(),
            Request::Button { action, .. } => return action.need(),
            Request::Text { .. } => MessageKind::Text,
            Request::Media(_) => MessageKind::Media,
            Request::Edited { .. } => MessageKind::Edit,
            Request::Contact(_) => MessageKind::Contact,
            Request::StaleButton(_) | Request::Other => MessageKind::Other,
        };
        message_need(user.level, kind)
    }
}

/// An actor and the request they may make.
#[derive(Debug, Clone)]
pub struct Authorized {
    pub actor: Actor,
    pub request: Request,
}

/// A request its sender may not make (yet): what it needed.
#[derive(Debug, Clone)]
pub struct Refused {
    pub actor: Actor,
    pub request: Request,
    pub need: Need,
}

/// What to do with an update before any handler sees it.
#[derive(Debug, Clone)]
pub enum Gate {
    /// Serve it.
    Pass(Authorized),
    /// Answer that it is not allowed.
    Refused(Refused),
    /// A group or channel: leave it.
    LeaveChat(ChatId),
    /// A blocked user: answer with the notice only.
    Blocked(Actor),
    /// Nothing to act on (updates without a user, our own messages).
    Ignore,
}

/// The one authorisation step. The inbox hands over each update exactly once, so there is no
/// "already handled" check here.
pub fn gate(cx: &Cx<'_>, update: &Update) -> Result<Gate, servicebot_core::store::StoreError> {
    let (from, chat) = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => (m.from.as_ref(), Some(&m.chat)),
        UpdateKind::CallbackQuery(q) => (Some(&q.from), q.regular_message().map(|m| &m.chat)),
        _ => (None, None),
    };
    if let Some(chat) = chat
        && !chat.is_private()
    {
        return Ok(Gate::LeaveChat(chat.id));
    }
    let Some(from) = from.filter(|u| !u.is_bot) else {
        return Ok(Gate::Ignore);
    };
    let Ok(telegram_id) = i64::try_from(from.id.0) else {
        return Ok(Gate::Ignore);
    };
    let profile = TelegramProfile {
        telegram_id,
        chat_id: chat.map_or(telegram_id, |c| c.id.0),
        first_name: from.first_name.clone(),
        last_name: from.last_name.clone(),
        username: from.username.clone(),
    };
    let user = cx.store().users().upsert_seen(&profile, cx.now())?;
    let actor = Actor {
        chat_id: ChatId(profile.chat_id),
        user,
    };
    if !actor.user.active {
        return Ok(Gate::Blocked(actor));
    }
    let request = request_of(cx, actor.chat_id, &update.kind)?;
    let need = request.need(&actor.user);
    Ok(if permits(&actor.user, need) {
        Gate::Pass(Authorized { actor, request })
    } else {
        Gate::Refused(Refused {
            actor,
            request,
            need,
        })
    })
}

/// What an update asks for; buttons are resolved through their server-side keys, bound to the
/// chat they were sent to.
fn request_of(
    cx: &Cx<'_>,
    chat_id: ChatId,
    kind: &UpdateKind,
) -> Result<Request, servicebot_core::store::StoreError> {
    Ok(match kind {
        UpdateKind::Message(msg) => message_request(msg),
        UpdateKind::EditedMessage(msg) => match msg.text().or(msg.caption()) {
            Some(text) => Request::Edited {
                message_id: msg.id,
                text: text.to_owned(),
            },
            None => Request::Other,
        },
        UpdateKind::CallbackQuery(query) => {
            let key = query.data.as_deref().unwrap_or_default();
            let pressed = Pressed {
                query_id: query.id.0.clone(),
                message_id: query.regular_message().map(|m| m.id.0),
            };
            match resolve(cx.store(), cx.now(), chat_id.0, key)? {
                Ok(action) => Request::Button { pressed, action },
                Err(_) => Request::StaleButton(pressed),
            }
        }
        _ => Request::Other,
    })
}

fn message_request(msg: &Message) -> Request {
    if let Some(item) = incoming(msg) {
        return Request::Media(item);
    }
    if let Some(contact) = msg.contact() {
        return Request::Contact(contact.clone());
    }
    match msg.text() {
        Some(text) => match Command::parse(text) {
            Some(command) => Request::Command(command),
            None => Request::Text {
                message_id: msg.id,
                text: text.to_owned(),
            },
        },
        None => Request::Other,
    }
}
