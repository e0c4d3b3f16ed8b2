//! `receipts`: what staff are told about a message or a batch of files they sent. A receipt
//! starts as "sending" and is edited in place once every outbox item and file job it reports
//! has ended; this table ties the receipt's own message to those items.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{OutboxState, Result, StorageStatus, text_enum, to_ms};

text_enum!(ReceiptKind, "receipts.kind" {
    /// A staff text relayed to clients.
    Text = "text",
    /// A staff file or album: stored and relayed.
    Media = "media",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub id: i64,
    pub chat_id: i64,
    /// The outbox item that sends the receipt itself (its message is what gets edited).
    pub outbox_id: Option<i64>,
    pub kind: ReceiptKind,
    /// The adapter's JSON: who the items go to, the order, the stage.
    pub context: String,
    pub finished: bool,
}

/// One relayed message of a receipt: to whom, and how it ended (if it did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDelivery {
    pub chat_id: i64,
    pub state: OutboxState,
    /// The typed reason of a failure, as the adapter recorded it.
    pub reason: Option<String>,
}

#[derive(Debug)]
pub struct Receipts<'a> {
    conn: &'a Connection,
}

impl<'a> Receipts<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn create(
        &self,
        chat_id: i64,
        kind: ReceiptKind,
        context: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO receipts (chat_id, kind, context, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![chat_id, kind.as_str(), context, to_ms(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Names the outbox item that sends the receipt's own message.
    pub fn set_message_item(&self, id: i64, outbox_id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE receipts SET outbox_id = ?2 WHERE id = ?1",
            params![id, outbox_id],
        )?;
        Ok(())
    }

    pub fn get(&self, id: i64) -> Result<Option<Receipt>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, chat_id, outbox_id, kind, context, finished FROM receipts WHERE id = ?1",
                [id],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, bool>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, chat_id, outbox_id, kind, context, finished)) = row else {
            return Ok(None);
        };
        Ok(Some(Receipt {
            id,
            chat_id,
            outbox_id,
            kind: ReceiptKind::parse(&kind)?,
            context,
            finished,
        }))
    }

    /// Marks the receipt finished; false when it already was (so it is edited once).
    pub fn finish(&self, id: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE receipts SET finished = 1 WHERE id = ?1 AND finished = 0",
            [id],
        )? == 1)
    }

    /// The relayed messages of a receipt (its own message excluded), in queue order.
    pub fn deliveries(&self, id: i64) -> Result<Vec<ReceiptDelivery>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT chat_id, state, reason FROM outbox WHERE receipt_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut deliveries = Vec::new();
        for row in rows {
            let (chat_id, state, reason) = row?;
            deliveries.push(ReceiptDelivery {
                chat_id,
                state: OutboxState::parse(&state)?,
                reason,
            });
        }
        Ok(deliveries)
    }

    /// The storage outcomes (and last errors) of the receipt's files, in record order.
    pub fn files(&self, id: i64) -> Result<Vec<(StorageStatus, Option<String>)>> {
        super::FileJobs::new(self.conn).of_receipt(id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::*;
    use crate::pacing::priority::SendClass;

    #[test]
    fn a_receipt_follows_its_deliveries_and_finishes_once() {
        let store = store_with_users();
        let receipts = store.receipts();
        let id = receipts
            .create(2, ReceiptKind::Text, "{}", t(0))
            .expect("create");
        let own = store.outbox().enqueue(2, "{}", None, t(0)).expect("own");
        receipts.set_message_item(id, own).expect("item");
        let a = store
            .outbox()
            .enqueue_in_lane(3, Some(3), "{}", None, Some(id), t(0))
            .expect("a");
        store
            .outbox()
            .enqueue_in_lane(1, Some(1), "{}", None, Some(id), t(0))
            .expect("b");
        let classes: Vec<(i64, SendClass)> = store
            .outbox()
            .heads(10)
            .expect("heads")
            .iter()
            .map(|item| (item.chat_id, item.send_class()))
            .collect();
        assert_eq!(
            classes,
            [
                (2, SendClass::Receipt),
                (3, SendClass::Relay),
                (1, SendClass::Relay)
            ],
            "the receipt's own message and the items it reports are told apart"
        );
        store.outbox().mark_sent(a, Some(5), t(1)).expect("sent");
        let deliveries = receipts.deliveries(id).expect("deliveries");
        assert_eq!(
            deliveries
                .iter()
                .map(|d| (d.chat_id, d.state))
                .collect::<Vec<_>>(),
            [(3, OutboxState::Sent), (1, OutboxState::Pending)]
        );
        let receipt = receipts.get(id).expect("get").expect("receipt");
        assert_eq!(receipt.outbox_id, Some(own));
        assert!(receipts.finish(id).expect("finish"));
        assert!(!receipts.finish(id).expect("only once"));
        assert!(receipts.files(id).expect("files").is_empty());
    }
}
