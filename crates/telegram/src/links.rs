//! Which clients belong to which open orders: the orders' phone files decide, read through the
//! phone directory. A client whose phone a phone file lists later (the service centre added it
//! after the client shared their number) is connected then, told once, and the link is recorded
//! in the order's transcript. The same periodic check gives users whose level changed in
//! another process (the command line, the desktop app) their new command menu.

use std::sync::Arc;
use std::time::Duration;

use servicebot_core::orders::Order;
use servicebot_core::store::{Direction, EntryKind, Level, NewEntry, Store, StoreError, User};
use servicebot_core::texts::TextKey;

use crate::context::BotDeps;
use crate::cx::Cx;
use crate::directory::refresh_directory;

/// How often the phone files are checked for new numbers.
pub const REFRESH_EVERY: Duration = Duration::from_secs(3);

/// Records that `client` is connected to `order` and puts it in the transcript. Returns false
/// when it was recorded before.
pub fn record_link(
    store: &Store,
    deps: &BotDeps,
    order: &Order,
    client: &User,
) -> Result<bool, StoreError> {
    let now = deps.now();
    if !store
        .client_links()
        .link(&order.folder, &order.number, client.telegram_id, now)?
    {
        return Ok(false);
    }
    let mut entry = NewEntry::new(
        &order.number,
        &order.folder,
        now,
        Direction::System,
        EntryKind::Event,
    );
    entry.author_id = Some(client.telegram_id);
    entry.text = Some(deps.text(
        TextKey::EventClientLinked,
        &[("name", client.name().into())],
    ));
    store.transcript().append(&entry)?;
    Ok(true)
}

/// Connects the clients of phone numbers newly listed in phone files, telling each once.
pub fn connect_newly_listed(deps: &BotDeps) -> Result<usize, crate::HandlerError> {
    let added = refresh_directory(deps);
    let mut told = 0;
    for (folder, phone) in added {
        let Some(order) = deps.index.read().ok().and_then(|i| i.get(&folder)) else {
            continue;
        };
        let clients = deps.store().users().find_by_phone(&phone)?;
        for client in clients
            .into_iter()
            .filter(|c| c.active && c.level == Level::Client)
        {
            let now = chrono::Utc::now();
            let today = chrono::Local::now().date_naive();
            let store = deps.store();
            let linked = store.transaction(|store| {
                let cx = Cx::new(deps, store, now, today);
                if !record_link(store, deps, &order, &client)? {
                    return Ok::<_, crate::HandlerError>(false);
                }
                let text = deps.text(
                    TextKey::ClientLinkedLater,
                    &[("order", order.number.as_str().into())],
                );
                let keyboard = crate::materials::materials_keyboard(&cx, &client, &order)?
                    .map(serde_json::to_value)
                    .transpose()?;
                let chat = teloxide::types::ChatId(client.chat_id.unwrap_or(client.telegram_id));
                cx.say_with_markup(chat, &text, keyboard)?;
                Ok(true)
            })?;
            if linked {
                tracing::info!(client = client.telegram_id, order = %order.number, "client connected");
                told += 1;
            }
        }
    }
    if told > 0 {
        deps.outbox_ready.notify_one();
    }
    Ok(told)
}

/// Checks the phone files every `every` ([`REFRESH_EVERY`] in production) until `stop` turns true — less often when a
/// check is slow (a large orders folder on a network share), so it never takes more than a
/// tenth of the time.
pub async fn run(
    deps: Arc<BotDeps>,
    every: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let pass = Arc::clone(&deps);
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            // Levels changed by the command line or the desktop app reach the users' menus.
            if let Err(error) = crate::menus::sync_changed(&pass) {
                tracing::error!(%error, "cannot update changed command menus");
            }
            connect_newly_listed(&pass)
        })
        .await;
        let pause = every.max(started.elapsed() * 10);
        match result {
            Ok(Err(error)) => tracing::error!(%error, "cannot connect newly listed clients"),
            Err(error) => tracing::error!(%error, "the phone file check panicked"),
            Ok(Ok(_)) => {}
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stop.changed() => return,
        }
    }
}
