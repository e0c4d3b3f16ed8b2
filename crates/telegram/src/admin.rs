//! The admin menu in Telegram (`/admin`, SPEC §4.5): users with paging and search, a card per
//! user (level, rename, block), and an order's transcript. Who may open it is decided by the one
//! authorisation step; the rules for changing users (the last admin stays, names are valid, every
//! change audited) are core's, shared with the command line and the GUI.

use std::collections::HashMap;

use servicebot_core::dialogue::admin::{self as screens, USERS_PAGE};
use servicebot_core::dialogue::transcript::{
    Lookup, MAX_MESSAGES, MESSAGE_LIMIT, chunks, html_document, lines,
};
use servicebot_core::dialogue::{AdminAction, Screen};
use servicebot_core::orders::search_key::fold;
use servicebot_core::store::{AuditEvent, Level, PendingInput, StoreError};
use servicebot_core::texts::TextKey;
use servicebot_core::user_changes::{
    ChangedBy, MAX_NAME_CHARS, UserChange, UserChangeError, change_user,
};
use teloxide::prelude::*;
use teloxide::types::InputFile;

use crate::auth::Actor;
use crate::context::BotDeps;
use crate::staff::{Pressed, edit_screen, send_screen};
use crate::{HandlerResult, TgBot};

/// Most orders listed for a transcript search.
const TRANSCRIPT_RESULTS: usize = 10;

/// Whether the admin's next text answers a prompt of the admin menu. A prompt left over from
/// before a demotion is dropped.
pub fn awaits_text(deps: &BotDeps, actor: &Actor) -> Result<bool, StoreError> {
    let store = deps.store();
    let pending = store.pending_inputs().get(actor.user.telegram_id)?;
    if pending.is_some() && actor.user.level != Level::Admin {
        store.pending_inputs().clear(actor.user.telegram_id)?;
        return Ok(false);
    }
    Ok(pending.is_some())
}

fn offset() -> chrono::FixedOffset {
    *chrono::Local::now().offset()
}

/// `/admin`.
pub async fn open(bot: &TgBot, deps: &BotDeps, actor: &Actor) -> HandlerResult {
    deps.store()
        .pending_inputs()
        .clear(actor.user.telegram_id)?;
    send_screen(bot, deps, actor, &screens::menu(&deps.texts)).await
}

/// `/cancel` or the cancel button: forgets whatever text was awaited (admin prompts and the staff
/// search prompt alike).
pub async fn cancel(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    pressed: Option<Pressed>,
) -> HandlerResult {
    let id = actor.user.telegram_id;
    {
        let store = deps.store();
        store.pending_inputs().clear(id)?;
        stop_order_search(&store, id, deps.now())?;
    }
    let cancelled = deps.text(TextKey::AdminCancelled, &[]);
    match pressed {
        Some(pressed) => {
            bot.answer_callback_query(pressed.query_id)
                .text(cancelled)
                .await?;
        }
        None => {
            bot.send_message(actor.chat_id, cancelled).await?;
        }
    }
    Ok(())
}

/// Forgets that the staff member's next text is an order search.
fn stop_order_search(
    store: &servicebot_core::store::Store,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    if let Some(session) = store
        .staff_sessions()
        .get(id)?
        .filter(|s| s.awaiting_search)
    {
        store.staff_sessions().save_position(
            id,
            session.order_folder.as_deref(),
            session.stage_folder.as_deref(),
            false,
            now,
        )?;
    }
    Ok(())
}

/// Shows `screen` in place of the pressed message (or as a new one).
async fn show(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    pressed: &Pressed,
    screen: &Screen,
) -> HandlerResult {
    match pressed.message_id {
        Some(message_id) => edit_screen(bot, deps, actor, message_id, screen).await,
        None => send_screen(bot, deps, actor, screen).await,
    }
}

/// Asks for a text, with a cancel button.
async fn prompt(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    input: PendingInput,
    text: String,
) -> HandlerResult {
    let id = actor.user.telegram_id;
    {
        let store = deps.store();
        store.pending_inputs().set(id, input, deps.now())?;
        // One prompt at a time: this one replaces a pending order search.
        stop_order_search(&store, id, deps.now())?;
    }
    let screen = Screen {
        text,
        rows: vec![screens::cancel_row(&deps.texts)],
    };
    send_screen(bot, deps, actor, &screen).await
}

fn users_screen(deps: &BotDeps, query: &str, page: usize) -> Result<Screen, StoreError> {
    let found = deps
        .store()
        .users()
        .list(query, page * USERS_PAGE, USERS_PAGE)?;
    Ok(screens::users(&deps.texts, query, page, &found))
}

fn card_screen(deps: &BotDeps, id: i64) -> Result<Option<Screen>, StoreError> {
    let user = deps.store().users().get(id)?;
    Ok(user.map(|user| screens::user_card(&deps.texts, &user, offset())))
}

/// A button of the admin menu.
pub async fn pressed(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    action: AdminAction,
    pressed: Pressed,
) -> HandlerResult {
    let answer = |text: Option<String>| {
        let mut request = bot.answer_callback_query(pressed.query_id.clone());
        if let Some(text) = text {
            request = request.text(text).show_alert(true);
        }
        request
    };
    match action {
        AdminAction::Menu => {
            answer(None).await?;
            show(bot, deps, actor, &pressed, &screens::menu(&deps.texts)).await
        }
        AdminAction::Users { query, page } => {
            answer(None).await?;
            let screen = users_screen(deps, &query, page)?;
            show(bot, deps, actor, &pressed, &screen).await
        }
        AdminAction::User { id } => match card_screen(deps, id)? {
            Some(screen) => {
                answer(None).await?;
                show(bot, deps, actor, &pressed, &screen).await
            }
            None => {
                answer(Some(deps.text(TextKey::AdminUserUnknown, &[]))).await?;
                Ok(())
            }
        },
        AdminAction::SetLevel { id, level } => {
            let Some(level) = Level::from_number(i64::from(level)) else {
                answer(Some(deps.text(TextKey::ButtonStale, &[]))).await?;
                return Ok(());
            };
            apply(bot, deps, actor, &pressed, id, UserChange::Level(level)).await
        }
        AdminAction::SetActive { id, active } => {
            apply(bot, deps, actor, &pressed, id, UserChange::Active(active)).await
        }
        AdminAction::Rename { id } => {
            let Some(user) = deps.store().users().get(id)? else {
                answer(Some(deps.text(TextKey::AdminUserUnknown, &[]))).await?;
                return Ok(());
            };
            answer(None).await?;
            let text = deps.text(TextKey::AdminRenamePrompt, &[("name", user.name().into())]);
            prompt(bot, deps, actor, PendingInput::Rename { target: id }, text).await
        }
        AdminAction::UserSearch => {
            answer(None).await?;
            let text = deps.text(TextKey::AdminUserSearchPrompt, &[]);
            prompt(bot, deps, actor, PendingInput::UserSearch, text).await
        }
        AdminAction::TranscriptSearch => {
            answer(None).await?;
            let text = deps.text(TextKey::AdminTranscriptPrompt, &[]);
            prompt(bot, deps, actor, PendingInput::TranscriptSearch, text).await
        }
        AdminAction::Transcript { order_no } => {
            answer(None).await?;
            // Reading a client's conversation is an admin action too: recorded who and when.
            deps.store().audit().record(&AuditEvent {
                at: deps.now(),
                actor_id: Some(actor.user.telegram_id),
                channel: "telegram".to_owned(),
                action: "read_transcript".to_owned(),
                target_id: None,
                details: order_no.clone(),
            })?;
            send_transcript(bot, deps, actor, &order_no).await
        }
        AdminAction::Cancel => cancel(bot, deps, actor, Some(pressed)).await,
    }
}

/// Applies a change to a user and shows their card again; the last-admin rule answers with an
/// alert and changes nothing.
async fn apply(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    pressed: &Pressed,
    target: i64,
    change: UserChange,
) -> HandlerResult {
    let by = ChangedBy {
        actor_id: Some(actor.user.telegram_id),
        channel: "telegram",
    };
    let result = change_user(&mut deps.store(), target, &change, &by, deps.now());
    let notice = match result {
        Ok(_) => {
            tracing::info!(
                admin = actor.user.telegram_id,
                target,
                ?change,
                "user changed"
            );
            deps.text(TextKey::AdminDone, &[])
        }
        Err(UserChangeError::LastAdmin(_)) => deps.text(TextKey::AdminLastAdmin, &[]),
        Err(UserChangeError::NotFound(_)) => deps.text(TextKey::AdminUserUnknown, &[]),
        Err(UserChangeError::InvalidName) => {
            deps.text(TextKey::AdminNameInvalid, &[("max", MAX_NAME_CHARS.into())])
        }
        Err(UserChangeError::Store(error)) => return Err(error.into()),
    };
    bot.answer_callback_query(pressed.query_id.clone())
        .text(notice)
        .show_alert(true)
        .await?;
    if let Some(screen) = card_screen(deps, target)? {
        show(bot, deps, actor, pressed, &screen).await?;
    }
    Ok(())
}

/// The admin's answer to a prompt.
pub async fn text(bot: &TgBot, deps: &BotDeps, actor: &Actor, text: &str) -> HandlerResult {
    let id = actor.user.telegram_id;
    let pending = deps.store().pending_inputs().get(id)?;
    deps.store().pending_inputs().clear(id)?;
    match pending {
        None => Ok(()),
        Some(PendingInput::UserSearch) => {
            let screen = users_screen(deps, text.trim(), 0)?;
            send_screen(bot, deps, actor, &screen).await
        }
        Some(PendingInput::Rename { target }) => {
            let by = ChangedBy {
                actor_id: Some(id),
                channel: "telegram",
            };
            let change = UserChange::Rename(text.to_owned());
            let result = change_user(&mut deps.store(), target, &change, &by, deps.now());
            match result {
                Ok(user) => {
                    let done = deps.text(TextKey::AdminRenamed, &[("name", user.name().into())]);
                    bot.send_message(actor.chat_id, done).await?;
                    let card = screens::user_card(&deps.texts, &user, offset());
                    send_screen(bot, deps, actor, &card).await
                }
                Err(UserChangeError::InvalidName) => {
                    let again =
                        deps.text(TextKey::AdminNameInvalid, &[("max", MAX_NAME_CHARS.into())]);
                    prompt(bot, deps, actor, PendingInput::Rename { target }, again).await
                }
                Err(UserChangeError::NotFound(_) | UserChangeError::LastAdmin(_)) => {
                    bot.send_message(actor.chat_id, deps.text(TextKey::AdminUserUnknown, &[]))
                        .await?;
                    Ok(())
                }
                Err(UserChangeError::Store(error)) => Err(error.into()),
            }
        }
        Some(PendingInput::TranscriptSearch) => {
            let query = text.trim();
            let found = transcript_orders(deps, query)?;
            let screen = screens::transcript_results(&deps.texts, query, &found);
            send_screen(bot, deps, actor, &screen).await
        }
    }
}

/// Orders matching `query` whose transcript can be read: open ones from the index, then closed
/// ones that have transcript entries. Returns (order number, label).
fn transcript_orders(deps: &BotDeps, query: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut found: Vec<(String, String)> = Vec::new();
    if let Ok(index) = deps.index.read() {
        for order in index.search(query, 0, TRANSCRIPT_RESULTS).orders {
            found.push((order.number.clone(), order.folder.clone()));
        }
    }
    let needle = fold(query);
    for (order_no, folder) in deps.store().transcript().orders()? {
        if found.len() >= TRANSCRIPT_RESULTS {
            break;
        }
        if fold(&folder).contains(&needle) && !found.iter().any(|(n, _)| *n == order_no) {
            found.push((order_no, folder));
        }
    }
    Ok(found)
}

/// The transcript of `order_no`: in messages under Telegram's limit, or as an HTML file when
/// long.
async fn send_transcript(
    bot: &TgBot,
    deps: &BotDeps,
    actor: &Actor,
    order_no: &str,
) -> HandlerResult {
    let (entries, lookup) = {
        let store = deps.store();
        let entries = store.transcript().by_order(order_no)?;
        let mut lookup = Lookup::default();
        for author in entries.iter().filter_map(|e| e.entry.author_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = lookup.names.entry(author)
                && let Some(user) = store.users().get(author)?
            {
                slot.insert(user.name());
            }
        }
        let media: HashMap<i64, (String, Option<String>)> = store
            .media()
            .by_order(order_no)?
            .into_iter()
            .map(|r| {
                let kind = deps.text(
                    TextKey::MediaKind,
                    &[("kind", r.media.kind.as_str().into())],
                );
                (r.id, (kind, r.media.path))
            })
            .collect();
        lookup.media = media;
        (entries, lookup)
    };
    if entries.is_empty() {
        let empty = deps.text(TextKey::AdminTranscriptEmpty, &[("order", order_no.into())]);
        bot.send_message(actor.chat_id, empty).await?;
        return Ok(());
    }
    let lines = lines(&deps.texts, &entries, &lookup, offset());
    let title = deps.text(TextKey::AdminTranscriptTitle, &[("order", order_no.into())]);
    let mut all = vec![title.clone()];
    all.extend(lines.iter().cloned());
    let messages = chunks(&all, MESSAGE_LIMIT);
    if messages.len() <= MAX_MESSAGES {
        for message in messages {
            bot.send_message(actor.chat_id, message).await?;
        }
        return Ok(());
    }
    let html = html_document(&title, &lines);
    let name = format!("transcript-{}.html", safe_file_stem(order_no));
    let caption = deps.text(
        TextKey::AdminTranscriptFile,
        &[("order", order_no.into()), ("count", lines.len().into())],
    );
    bot.send_document(
        actor.chat_id,
        InputFile::memory(html.into_bytes()).file_name(name),
    )
    .caption(caption)
    .await?;
    Ok(())
}

/// An order number made safe for a file name.
fn safe_file_stem(order_no: &str) -> String {
    order_no
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
