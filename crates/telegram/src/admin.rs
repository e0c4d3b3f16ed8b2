//! The admin menu in Telegram (`/admin`, SPEC §4.5): users with paging and search, a card per
//! user (level, rename, block), and an order's transcript. Who may open it is decided by the one
//! authorisation step; the rules for changing users (the last admin stays, names are valid, every
//! change audited) are core's, shared with the command line and the GUI.

use std::collections::HashMap;

use servicebot_core::dialogue::admin::{self as screens, USERS_PAGE};
use servicebot_core::dialogue::admin_step::{AdminEffect, AdminInput, step};
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
use teloxide::utils::html;

use crate::HandlerResult;
use crate::auth::Actor;
use crate::cx::{Cx, Pressed};
use crate::payload::OutboxPayload;

/// Most orders listed for a transcript search.
const TRANSCRIPT_RESULTS: usize = 10;

/// Whether the admin's next text answers a prompt of the admin menu. A prompt left over from
/// before a demotion is dropped.
pub fn awaits_text(cx: &Cx<'_>, actor: &Actor) -> Result<bool, StoreError> {
    let store = cx.store();
    match store.pending_inputs().get(actor.user.telegram_id)? {
        None | Some(PendingInput::OrderSearch) => Ok(false),
        Some(_) if actor.user.level != Level::Admin => {
            store.pending_inputs().clear(actor.user.telegram_id)?;
            Ok(false)
        }
        Some(_) => Ok(true),
    }
}

/// The local time zone's offset at this update's time.
fn offset(cx: &Cx<'_>) -> chrono::FixedOffset {
    *cx.now().with_timezone(&chrono::Local).offset()
}

/// `/admin`.
pub fn open(cx: &Cx<'_>, actor: &Actor) -> HandlerResult {
    cx.store().pending_inputs().clear(actor.user.telegram_id)?;
    cx.screen(actor.chat_id, &screens::menu(&cx.texts))?;
    Ok(())
}

/// `/cancel` or the cancel button: forgets whatever text was awaited (admin prompts and the staff
/// search prompt alike).
pub fn cancel(cx: &Cx<'_>, actor: &Actor, pressed: Option<Pressed>) -> HandlerResult {
    let id = actor.user.telegram_id;
    let store = cx.store();
    store.pending_inputs().clear(id)?;
    let cancelled = cx.text(TextKey::AdminCancelled, &[]);
    match pressed {
        Some(pressed) => cx.answer(&pressed.query_id, Some(cancelled), false)?,
        None => cx.say(actor.chat_id, cancelled)?,
    };
    Ok(())
}

/// Shows `screen` in place of the pressed message (or as a new one).
fn show(cx: &Cx<'_>, actor: &Actor, pressed: &Pressed, screen: &Screen) -> HandlerResult {
    match pressed.message_id {
        Some(message_id) => cx.edit_screen(actor.chat_id, message_id, screen)?,
        None => cx.screen(actor.chat_id, screen)?,
    };
    Ok(())
}

/// Asks for a text, with a cancel button.
fn prompt(cx: &Cx<'_>, actor: &Actor, input: PendingInput, text: String) -> HandlerResult {
    let id = actor.user.telegram_id;
    let store = cx.store();
    // One prompt at a time: this one replaces whatever was awaited (an order search too).
    store.pending_inputs().set(id, input, cx.now())?;
    let screen = Screen {
        text,
        rows: vec![screens::cancel_row(&cx.texts)],
    };
    cx.screen(actor.chat_id, &screen)?;
    Ok(())
}

fn users_screen(cx: &Cx<'_>, query: &str, page: usize) -> Result<Screen, StoreError> {
    let found = cx
        .store()
        .users()
        .list(query, page * USERS_PAGE, USERS_PAGE)?;
    Ok(screens::users(&cx.texts, query, page, &found))
}

fn card_screen(cx: &Cx<'_>, id: i64) -> Result<Option<Screen>, StoreError> {
    let user = cx.store().users().get(id)?;
    Ok(user.map(|user| screens::user_card(&cx.texts, &user, offset(cx))))
}

/// A button of the admin menu: core's `admin_step` decides, this executes.
pub fn pressed(cx: &Cx<'_>, actor: &Actor, action: AdminAction, pressed: Pressed) -> HandlerResult {
    execute(cx, actor, Some(&pressed), step(AdminInput::Pressed(action)))
}

/// The admin's answer to a prompt.
pub fn text(cx: &Cx<'_>, actor: &Actor, text: &str) -> HandlerResult {
    let id = actor.user.telegram_id;
    let Some(pending) = cx.store().pending_inputs().get(id)? else {
        return Ok(());
    };
    cx.store().pending_inputs().clear(id)?;
    let input = AdminInput::Text {
        pending,
        text: text.to_owned(),
    };
    execute(cx, actor, None, step(input))
}

/// Carries out one admin effect. A button is answered exactly once: with an alert when there
/// is something to say, else silently.
fn execute(
    cx: &Cx<'_>,
    actor: &Actor,
    pressed: Option<&Pressed>,
    effect: AdminEffect,
) -> HandlerResult {
    let answer = |text: Option<String>| -> HandlerResult {
        if let Some(pressed) = pressed {
            let alert = text.is_some();
            cx.answer(&pressed.query_id, text, alert)?;
        } else if let Some(text) = text {
            cx.say(actor.chat_id, text)?;
        }
        Ok(())
    };
    let show_or_send = |screen: &Screen| -> HandlerResult {
        match pressed {
            Some(pressed) => show(cx, actor, pressed, screen),
            None => {
                cx.screen(actor.chat_id, screen)?;
                Ok(())
            }
        }
    };
    match effect {
        AdminEffect::Menu => {
            answer(None)?;
            show_or_send(&screens::menu(&cx.texts))
        }
        AdminEffect::Users { query, page } => {
            answer(None)?;
            show_or_send(&users_screen(cx, &query, page)?)
        }
        AdminEffect::Card { id } => match card_screen(cx, id)? {
            Some(screen) => {
                answer(None)?;
                show_or_send(&screen)
            }
            None => answer(Some(cx.text(TextKey::AdminUserUnknown, &[]))),
        },
        AdminEffect::Change { id, change } => apply(cx, actor, pressed, id, change),
        AdminEffect::Prompt { input, text } => {
            let prompt_text = match input {
                PendingInput::Rename { target } => {
                    let Some(user) = cx.store().users().get(target)? else {
                        return answer(Some(cx.text(TextKey::AdminUserUnknown, &[])));
                    };
                    cx.text(text, &[("name", user.name().into())])
                }
                _ => cx.text(text, &[]),
            };
            answer(None)?;
            prompt(cx, actor, input, prompt_text)
        }
        AdminEffect::TranscriptSearch { query } => {
            let found = transcript_orders(cx, &query)?;
            let screen = screens::transcript_results(&cx.texts, &query, &found);
            cx.screen(actor.chat_id, &screen)?;
            Ok(())
        }
        AdminEffect::Transcript { order_no } => {
            answer(None)?;
            // Reading a client's conversation is an admin action too: recorded who and when.
            cx.store().audit().record(&AuditEvent {
                at: cx.now(),
                actor_id: Some(actor.user.telegram_id),
                channel: "telegram".to_owned(),
                action: "read_transcript".to_owned(),
                target_id: None,
                details: order_no.clone(),
            })?;
            send_transcript(cx, actor, &order_no)
        }
        AdminEffect::Cancel => cancel(cx, actor, pressed.cloned()),
        AdminEffect::Stale => answer(Some(cx.text(TextKey::ButtonStale, &[]))),
        AdminEffect::Nothing => answer(None),
    }
}

/// Applies a change to a user under core's rules and updates their command menu. From a
/// button: the answer says what happened and the card is shown again. From a rename prompt:
/// the new name is confirmed (or asked for again) with the card.
fn apply(
    cx: &Cx<'_>,
    actor: &Actor,
    pressed: Option<&Pressed>,
    target: i64,
    change: UserChange,
) -> HandlerResult {
    let by = ChangedBy {
        actor_id: Some(actor.user.telegram_id),
        channel: "telegram",
    };
    let renaming = matches!(change, UserChange::Rename(_));
    let result = change_user(cx.store(), target, &change, &by, cx.now());
    let notice = match result {
        Ok(user) => {
            tracing::info!(
                admin = actor.user.telegram_id,
                target,
                ?change,
                "user changed"
            );
            // The changed user's commands follow their new level or activity at once.
            crate::menus::install_for(cx, &user)?;
            if renaming {
                cx.text(TextKey::AdminRenamed, &[("name", user.name().into())])
            } else {
                cx.text(TextKey::AdminDone, &[])
            }
        }
        Err(UserChangeError::InvalidName) => {
            let again = cx.text(TextKey::AdminNameInvalid, &[("max", MAX_NAME_CHARS.into())]);
            if renaming && pressed.is_none() {
                return prompt(cx, actor, PendingInput::Rename { target }, again);
            }
            again
        }
        Err(UserChangeError::LastAdmin(_)) => cx.text(TextKey::AdminLastAdmin, &[]),
        Err(UserChangeError::NotFound(_)) => cx.text(TextKey::AdminUserUnknown, &[]),
        Err(UserChangeError::Store(error)) => return Err(error.into()),
    };
    match pressed {
        Some(pressed) => {
            cx.answer(&pressed.query_id, Some(notice), true)?;
            if let Some(screen) = card_screen(cx, target)? {
                show(cx, actor, pressed, &screen)?;
            }
        }
        None => {
            cx.say(actor.chat_id, notice)?;
            if let Some(screen) = card_screen(cx, target)? {
                cx.screen(actor.chat_id, &screen)?;
            }
        }
    }
    Ok(())
}

/// Orders matching `query` whose transcript can be read: open ones from the index, then closed
/// ones that have transcript entries. Returns (order number, label).
fn transcript_orders(cx: &Cx<'_>, query: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut found: Vec<(String, String)> = Vec::new();
    if let Ok(index) = cx.index.read() {
        for order in index.search(query, 0, TRANSCRIPT_RESULTS).orders {
            found.push((order.number.clone(), order.folder.clone()));
        }
    }
    let needle = fold(query);
    for (order_no, folder) in cx.store().transcript().orders()? {
        if found.len() >= TRANSCRIPT_RESULTS {
            break;
        }
        if fold(&folder).contains(&needle) && !found.iter().any(|(n, _)| *n == order_no) {
            found.push((order_no, folder));
        }
    }
    Ok(found)
}

/// Queues the transcript of `order_no`: in messages under Telegram's limit, or as an HTML file
/// when long.
fn send_transcript(cx: &Cx<'_>, actor: &Actor, order_no: &str) -> HandlerResult {
    let (entries, lookup) = {
        let store = cx.store();
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
                let kind = cx.text(
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
        let empty = cx.text(TextKey::AdminTranscriptEmpty, &[("order", order_no.into())]);
        cx.say(actor.chat_id, empty)?;
        return Ok(());
    }
    let lines = lines(&cx.texts, &entries, &lookup, offset(cx));
    let title = cx.text(TextKey::AdminTranscriptTitle, &[("order", order_no.into())]);
    let mut all = vec![title.clone()];
    all.extend(lines.iter().cloned());
    let messages = chunks(&all, MESSAGE_LIMIT);
    if messages.len() <= MAX_MESSAGES {
        for message in messages {
            cx.say(actor.chat_id, message)?;
        }
        return Ok(());
    }
    let html = html_document(&title, &lines);
    let name = format!("transcript-{}.html", safe_file_stem(order_no));
    let caption = cx.text(
        TextKey::AdminTranscriptFile,
        &[("order", order_no.into()), ("count", lines.len().into())],
    );
    let document = OutboxPayload::Document {
        file_name: name,
        content: html,
        caption_html: Some(html::escape(&caption)),
    };
    cx.send(actor.chat_id.0, &document)?;
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
