//! The processor: takes inbox entries in order and handles each in one transaction with its
//! effects (outbox rows, file jobs, state) and the mark that it is done — exactly once, even
//! across crashes. Handling is synchronous and quick (no Telegram calls, no downloads: those
//! are outbox items and file jobs), so one entry at a time keeps every chat in order.
//!
//! A handler that fails rolls back everything it did; the entry is then marked failed and the
//! user is told to try again (a pressed button is answered, so it never keeps spinning).

use std::sync::Arc;

use chrono::Utc;
use servicebot_core::store::{InboxEntry, InboxKind, StoreError};
use servicebot_core::texts::TextKey;
use teloxide::types::{Update, UpdateKind};
use tokio::sync::watch;

use crate::context::BotDeps;
use crate::cx::Cx;
use crate::{HandlerError, schema};

/// Processes the inbox until `stop` turns true.
pub async fn run(deps: Arc<BotDeps>, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let worker = Arc::clone(&deps);
        let processed = tokio::task::spawn_blocking(move || process_next(&worker)).await;
        match processed {
            Ok(Ok(true)) => continue,
            Ok(Ok(false)) => {}
            Ok(Err(error)) => {
                tracing::error!(%error, "cannot read the inbox");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            Err(error) => tracing::error!(%error, "the processor panicked"),
        }
        tokio::select! {
            () = deps.inbox_ready.notified() => {}
            () = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Processes the oldest pending entry; false when there is none.
pub fn process_next(deps: &BotDeps) -> Result<bool, StoreError> {
    let store = deps.store();
    let Some(entry) = store.inbox().next_pending()? else {
        return Ok(false);
    };
    let now = Utc::now();
    let today = chrono::Local::now().date_naive();
    let handled = store.transaction(|store| {
        let cx = Cx::new(deps, store, now, today);
        handle(&cx, &entry)?;
        store.inbox().mark_done(entry.seq, now)?;
        Ok::<_, HandlerError>(())
    });
    if let Err(error) = handled {
        tracing::error!(%error, seq = entry.seq, "handling an update failed");
        store.transaction(|store| {
            store
                .inbox()
                .mark_failed(entry.seq, &error.to_string(), now)?;
            let cx = Cx::new(deps, store, now, today);
            tell_to_try_again(&cx, &entry)
        })?;
    }
    drop(store);
    deps.outbox_ready.notify_one();
    deps.files_ready.notify_one();
    Ok(true)
}

fn handle(cx: &Cx<'_>, entry: &InboxEntry) -> Result<(), HandlerError> {
    match entry.kind {
        InboxKind::Update => match serde_json::from_str::<Update>(&entry.payload) {
            Ok(update) => schema::dispatch(cx, &update),
            Err(error) => {
                // An update kind teloxide does not know: nothing to do with it.
                tracing::info!(%error, seq = entry.seq, "an update that cannot be read; skipped");
                Ok(())
            }
        },
        InboxKind::AlbumClosed => match &entry.media_group_id {
            Some(group) => schema::album_closed(cx, group),
            None => Ok(()),
        },
    }
}

/// After a failed handler: the pressed button is answered, a message gets a reply.
fn tell_to_try_again(cx: &Cx<'_>, entry: &InboxEntry) -> Result<(), StoreError> {
    let Ok(update) = serde_json::from_str::<Update>(&entry.payload) else {
        return Ok(());
    };
    let sorry = cx.text(TextKey::ErrorInternal, &[]);
    match update.kind {
        UpdateKind::CallbackQuery(query) => {
            cx.answer(&query.id.0, Some(sorry), true)?;
        }
        UpdateKind::Message(message) if message.chat.is_private() => {
            cx.say(message.chat.id, sorry)?;
        }
        _ => {}
    }
    Ok(())
}
