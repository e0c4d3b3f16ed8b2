//! Staff receipts: sent as "sending…" in the transaction that queues what they report, and
//! edited in place (once) when every relayed message and file job of theirs has ended. What
//! they say is decided in `servicebot_core::dialogue::receipts`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use servicebot_core::dialogue::receipts::{
    BatchRelay, ClientDelivery, DeliveryState, FileCounts, fold_client, media_receipt, text_receipt,
};
use servicebot_core::store::{OutboxState, ReceiptKind, StorageStatus, Store, StoreError};
use servicebot_core::texts::{TextKey, Texts};
use teloxide::utils::html;

use crate::context::BotDeps;
use crate::cx::Cx;
use crate::payload::{EditTarget, OutboxPayload};
use crate::queue::{bad_payload, enqueue};

/// Telegram's cloud Bot API download limit, named in the "too big" line.
pub const CLOUD_LIMIT_MB: u64 = 20;

/// What a receipt needs to be written again later: who the items go to.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Context {
    /// Client chats and their names, in the order they are shown.
    clients: Vec<(i64, String)>,
    /// For a media receipt: where the batch was going.
    #[serde(default)]
    relay: Option<String>,
}

fn relay_code(relay: BatchRelay) -> &'static str {
    match relay {
        BatchRelay::Internal => "internal",
        BatchRelay::NoClient => "no_client",
        BatchRelay::Clients => "clients",
    }
}

fn relay_of(code: Option<&str>) -> BatchRelay {
    match code {
        Some("internal") => BatchRelay::Internal,
        Some("no_client") => BatchRelay::NoClient,
        _ => BatchRelay::Clients,
    }
}

/// Opens a receipt in `chat` for messages about to be queued to `clients`: creates it and
/// queues its "sending…" message. Items queued with the returned id are reported in it.
pub fn open(
    cx: &Cx<'_>,
    chat: i64,
    kind: ReceiptKind,
    relay: Option<BatchRelay>,
    clients: &[(i64, String)],
    files: usize,
) -> Result<i64, StoreError> {
    let context = Context {
        clients: clients.to_vec(),
        relay: relay.map(|r| relay_code(r).to_owned()),
    };
    let json = serde_json::to_string(&context).map_err(|e| bad_payload(&e))?;
    let store = cx.store();
    let id = store.receipts().create(chat, kind, &json, cx.now())?;
    let pending: Vec<ClientDelivery> = clients
        .iter()
        .map(|(_, name)| ClientDelivery {
            name: name.clone(),
            state: DeliveryState::Pending,
        })
        .collect();
    let text = match kind {
        ReceiptKind::Text => text_receipt(&cx.texts, &pending),
        ReceiptKind::Media => {
            let files = FileCounts {
                pending: files.max(1),
                ..FileCounts::default()
            };
            media_receipt(
                &cx.texts,
                &files,
                relay.unwrap_or(BatchRelay::Clients),
                &pending,
                CLOUD_LIMIT_MB,
            )
        }
    };
    let item = cx.send(chat, &OutboxPayload::text(html::escape(&text)))?;
    store.receipts().set_message_item(id, item)?;
    Ok(id)
}

/// Edits the receipt once everything it reports has ended (called whenever one of its items or
/// file jobs ends).
pub fn refresh(
    store: &Store,
    deps: &BotDeps,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(receipt) = store.receipts().get(id)? else {
        return Ok(());
    };
    if receipt.finished {
        return Ok(());
    }
    let context: Context = serde_json::from_str(&receipt.context).map_err(|e| bad_payload(&e))?;
    let deliveries = deliveries(store, &deps.texts, id, &context)?;
    let files = file_counts(store, &deps.texts, id)?;
    if deliveries.iter().any(|d| d.state == DeliveryState::Pending) || files.pending > 0 {
        return Ok(());
    }
    if !store.receipts().finish(id)? {
        return Ok(());
    }
    let text = match receipt.kind {
        ReceiptKind::Text => text_receipt(&deps.texts, &deliveries),
        ReceiptKind::Media => media_receipt(
            &deps.texts,
            &files,
            relay_of(context.relay.as_deref()),
            &deliveries,
            CLOUD_LIMIT_MB,
        ),
    };
    let Some(item) = receipt.outbox_id else {
        return Ok(());
    };
    let edit = OutboxPayload::Edit {
        target: EditTarget::Item(item),
        html: html::escape(&text),
        markup: None,
    };
    enqueue(store, receipt.chat_id, &edit, None, None, now)?;
    Ok(())
}

fn deliveries(
    store: &Store,
    texts: &Texts,
    id: i64,
    context: &Context,
) -> Result<Vec<ClientDelivery>, StoreError> {
    let items = store.receipts().deliveries(id)?;
    Ok(context
        .clients
        .iter()
        .map(|(chat, name)| {
            let states: Vec<DeliveryState> = items
                .iter()
                .filter(|d| d.chat_id == *chat)
                .map(|d| match d.state {
                    OutboxState::Pending => DeliveryState::Pending,
                    OutboxState::Sent => DeliveryState::Delivered,
                    OutboxState::Blocked => {
                        DeliveryState::Failed(texts.get(TextKey::ReasonBlockedBot, &[]))
                    }
                    OutboxState::Failed => DeliveryState::Failed(texts.get(
                        match d.reason.as_deref() {
                            Some("undeliverable") => TextKey::ReasonUndeliverable,
                            _ => TextKey::ReasonRefused,
                        },
                        &[],
                    )),
                })
                .collect();
            ClientDelivery {
                name: name.clone(),
                state: fold_client(&states),
            }
        })
        .collect())
}

fn file_counts(store: &Store, texts: &Texts, id: i64) -> Result<FileCounts, StoreError> {
    let mut counts = FileCounts::default();
    for (storage, error) in store.receipts().files(id)? {
        match storage {
            StorageStatus::Stored => counts.stored += 1,
            StorageStatus::Spooled => counts.held += 1,
            StorageStatus::TooBig => counts.too_big += 1,
            StorageStatus::Pending => counts.pending += 1,
            StorageStatus::Failed => {
                let key = if error.as_deref().is_some_and(|e| e.starts_with("write")) {
                    TextKey::ReasonFileWrite
                } else {
                    TextKey::ReasonFileDownload
                };
                counts.failed.push(texts.get(key, &[]));
            }
        }
    }
    Ok(counts)
}
