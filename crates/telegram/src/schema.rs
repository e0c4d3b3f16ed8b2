//! The handler tree, in one place: every update passes the one authorisation step
//! ([`crate::auth::gate`]), then goes to the handler for what it asks.

use servicebot_core::access::{Command, Need};
use servicebot_core::dialogue::Action;
use servicebot_core::dialogue::staff::StaffInput;
use servicebot_core::texts::TextKey;
use teloxide::types::{ChatId, Update};

use crate::HandlerResult;
use crate::auth::{Actor, Authorized, Gate, Refused, Request, gate};
use crate::cx::{Cx, Pressed};
use crate::incoming::IncomingMedia;
use crate::onboarding::ask_phone;
use crate::payload::OutboxPayload;
use crate::relaying::Position;
use crate::{admin, approvals, clients, materials, media, onboarding, staff};

/// Handles one update: the one authorisation step, then the handler for what it asks.
pub fn dispatch(cx: &Cx<'_>, update: &Update) -> HandlerResult {
    match gate(cx, update)? {
        Gate::LeaveChat(chat) => {
            cx.send(chat.0, &OutboxPayload::LeaveChat)?;
            Ok(())
        }
        Gate::Blocked(actor) => blocked(cx, &actor, update),
        Gate::Refused(refused) => refuse(cx, refused),
        Gate::Pass(authorized) => serve(cx, authorized),
        Gate::Ignore => Ok(()),
    }
}

/// A blocked user gets the notice, and nothing else.
fn blocked(cx: &Cx<'_>, actor: &Actor, update: &Update) -> HandlerResult {
    let notice = cx.text(TextKey::AccessBlocked, &[]);
    match &update.kind {
        teloxide::types::UpdateKind::CallbackQuery(query) => {
            cx.answer(&query.id.0, Some(notice), true)?;
        }
        teloxide::types::UpdateKind::Message(_) => {
            cx.say(actor.chat_id, notice)?;
        }
        _ => {}
    }
    Ok(())
}

/// A request its sender may not make: someone without a verified phone is asked for it; anyone
/// else is told the command or button is not theirs.
fn refuse(cx: &Cx<'_>, refused: Refused) -> HandlerResult {
    let Refused {
        actor,
        request,
        need,
    } = refused;
    tracing::info!(user = actor.user.telegram_id, ?need, "request refused");
    let unregistered =
        matches!(need, Need::Client | Need::Registered) && actor.user.phone.is_none();
    match request {
        Request::Button { pressed, .. } => {
            let key = if unregistered {
                TextKey::StartAskPhone
            } else {
                TextKey::NotAllowed
            };
            cx.answer(&pressed.query_id, Some(cx.text(key, &[])), true)?;
        }
        _ if unregistered => ask_phone(cx, &actor, None)?,
        Request::Edited { .. } | Request::Other => {}
        _ => {
            cx.say(actor.chat_id, cx.text(TextKey::NotAllowed, &[]))?;
        }
    }
    Ok(())
}

fn serve(cx: &Cx<'_>, authorized: Authorized) -> HandlerResult {
    let Authorized { actor, request } = authorized;
    let staff = actor.is_staff();
    if matches!(request, Request::Command(_) | Request::Button { .. }) {
        // Any command or button resets what the next text means (a search, a new name); the
        // handler may ask for a new one.
        cx.store().pending_inputs().clear(actor.user.telegram_id)?;
    }
    match request {
        Request::Command(command) => run_command(cx, &actor, command),
        Request::Text { text, .. } if staff => {
            if admin::awaits_text(cx, &actor)? {
                return admin::text(cx, &actor, &text);
            }
            staff::handle(cx, &actor, StaffInput::Text(text), None)
        }
        Request::Text { message_id, text } => clients::text(cx, &actor, message_id, &text),
        Request::Media(item) if staff => media::staff_media(cx, &actor, item),
        Request::Media(item) => clients::media(cx, &actor, item),
        Request::Contact(contact) => onboarding::contact(cx, &actor, &contact),
        // Staff edits stay in their chat; a client's edit is a new version of their message.
        Request::Edited { .. } if staff => Ok(()),
        Request::Edited { message_id, text } => clients::edited(cx, &actor, message_id, &text),
        Request::Button { pressed, action } => press(cx, &actor, pressed, action),
        Request::StaleButton(pressed) => {
            // A stale button's owner is told where to start again: staff in /order, clients
            // with /start (they have no /order).
            let key = if staff {
                TextKey::ButtonStale
            } else {
                TextKey::ButtonStaleClient
            };
            cx.answer(&pressed.query_id, Some(cx.text(key, &[])), true)?;
            Ok(())
        }
        Request::Other => Ok(()),
    }
}

fn run_command(cx: &Cx<'_>, actor: &Actor, command: Command) -> HandlerResult {
    match command {
        Command::Start { token } => onboarding::start(cx, actor, token.as_deref()),
        Command::Help => {
            let key = if actor.is_staff() {
                TextKey::HelpStaff
            } else {
                TextKey::HelpClient
            };
            cx.say(actor.chat_id, cx.text(key, &[]))?;
            Ok(())
        }
        Command::Order { query } => {
            let input = StaffInput::OrderCommand { query };
            staff::handle(cx, actor, input, None)
        }
        Command::Type => staff::handle(cx, actor, StaffInput::TypeCommand, None),
        Command::Admin => admin::open(cx, actor),
        Command::Cancel => admin::cancel(cx, actor, None),
        Command::Unknown(_) => {
            let key = if actor.is_staff() {
                TextKey::UnknownCommand
            } else {
                TextKey::HelpClient
            };
            cx.say(actor.chat_id, cx.text(key, &[]))?;
            Ok(())
        }
    }
}

fn press(cx: &Cx<'_>, actor: &Actor, pressed: Pressed, action: Action) -> HandlerResult {
    match action {
        Action::Nav(action) => staff::pressed(cx, actor, action, pressed),
        Action::Admin(action) => admin::pressed(cx, actor, action, pressed),
        Action::Materials { folder } => materials::materials(cx, actor, &folder, pressed),
        Action::Decide { request, approve } => {
            approvals::decide(cx, actor, request, approve, pressed)
        }
        Action::CloseApproval { request, decision } => {
            approvals::close(cx, actor, request, decision, pressed)
        }
    }
}

/// The inbox says album `group` is complete: its items are handled as one batch, by whoever
/// sent them (staff to their order's clients, a client to the staff).
pub fn album_closed(cx: &Cx<'_>, group: &str) -> HandlerResult {
    let collected = cx.store().album_items().take(group)?;
    let Some(first) = collected.first() else {
        return Ok(());
    };
    let Some(user) = cx.store().users().get(first.author_id)? else {
        return Ok(());
    };
    let actor = Actor {
        chat_id: ChatId(first.chat_id),
        user,
    };
    let position: Option<Position> = first
        .position
        .as_deref()
        .map(serde_json::from_str)
        .transpose()?;
    let mut items = Vec::new();
    for collected in &collected {
        items.push(serde_json::from_str::<IncomingMedia>(&collected.item)?);
    }
    if actor.is_staff() {
        media::staff_batch(cx, &actor, position, &items)
    } else {
        clients::media_batch(cx, &actor, &items)
    }
}
