//! `outbox`: the durable send queue (SPEC §6). A handler records what to send; a worker sends
//! it, retrying with backoff, so a crash or restart loses nothing. The payload is opaque JSON
//! owned by the Telegram adapter.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, from_ms, text_enum, to_ms};
use crate::pacing::priority::{SendClass, send_class};

text_enum!(OutboxState, "outbox.state" {
    Pending = "pending",
    Sent = "sent",
    /// Gave up: a permanent error.
    Failed = "failed",
    /// The recipient blocked the bot.
    Blocked = "blocked",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub chat_id: i64,
    pub payload: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub transcript_id: Option<i64>,
    pub sent_message_id: Option<i32>,
    pub created_at: DateTime<Utc>,
    /// Items of one lane are sent one at a time, in order; `None` is a lane of its own (a
    /// button's answer never waits behind that chat's messages).
    pub lane: Option<i64>,
    /// The staff receipt this item is reported in.
    pub receipt_id: Option<i64>,
    /// Whether this item is a staff receipt's own message.
    pub is_receipt: bool,
}

impl OutboxItem {
    /// How urgently the item wants the overall sending allowance.
    pub fn send_class(&self) -> SendClass {
        send_class(self.receipt_id.is_some(), self.is_receipt)
    }
}

/// Read from `outbox o` (the alias is needed by the receipt check).
const COLUMNS: &str = "o.id, o.chat_id, o.payload, o.state, o.attempts, o.next_attempt_at, \
     o.last_error, o.transcript_id, o.sent_message_id, o.created_at, o.lane, o.receipt_id, \
     EXISTS (SELECT 1 FROM receipts r WHERE r.outbox_id = o.id)";

#[derive(Debug)]
pub struct Outbox<'a> {
    conn: &'a Connection,
}

impl<'a> Outbox<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Queues a message for `chat_id` in that chat's lane, due at once.
    pub fn enqueue(
        &self,
        chat_id: i64,
        payload: &str,
        transcript_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.enqueue_in_lane(chat_id, Some(chat_id), payload, transcript_id, None, now)
    }

    /// Queues an item in `lane` (`None`: a lane of its own), reported in `receipt_id`.
    pub fn enqueue_in_lane(
        &self,
        chat_id: i64,
        lane: Option<i64>,
        payload: &str,
        transcript_id: Option<i64>,
        receipt_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO outbox (chat_id, lane, payload, transcript_id, receipt_id,
                 next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                chat_id,
                lane,
                payload,
                transcript_id,
                receipt_id,
                to_ms(now)
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The first pending item of every lane (due or not: a lane waits for its head), oldest
    /// first.
    pub fn heads(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox o WHERE o.state = 'pending' AND (o.lane IS NULL OR o.id =
                 (SELECT MIN(id) FROM outbox p WHERE p.state = 'pending' AND p.lane = o.lane))
             ORDER BY o.id LIMIT ?1"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], read_row)?;
        let mut items = Vec::new();
        for row in rows {
            items.push(row??);
        }
        Ok(items)
    }

    /// The message id Telegram gave a sent item.
    pub fn sent_message_id(&self, id: i64) -> Result<Option<i32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT sent_message_id FROM outbox WHERE id = ?1 AND state = 'sent'",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Telegram asked to wait (429): try again at `at`, without counting a failed attempt.
    pub fn postpone(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1",
            params![id, to_ms(at)],
        )?;
        Ok(())
    }

    /// A permanent end without delivery, with its typed reason (a code the adapter names).
    pub fn give_up_with_reason(
        &self,
        id: i64,
        state: OutboxState,
        reason: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.give_up(id, state, error, now)?;
        self.conn.execute(
            "UPDATE outbox SET reason = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        Ok(())
    }

    pub fn get(&self, id: i64) -> Result<Option<OutboxItem>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox o WHERE o.id = ?1");
        self.conn
            .query_row(&sql, [id], read_row)
            .optional()?
            .transpose()
    }

    /// Pending items due by `now`, oldest first (so each chat gets its messages in order).
    pub fn due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ?1
             ORDER BY o.id LIMIT ?2"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(params![to_ms(now), limit as i64], read_row)?;
        let mut items = Vec::new();
        for row in rows {
            items.push(row??);
        }
        Ok(items)
    }

    /// When the next pending item falls due, if any.
    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<i64> = self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'",
            [],
            |row| row.get(0),
        )?;
        Ok(at.map(from_ms))
    }

    pub fn pending_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending'",
            [],
            |row| row.get(0),
        )?;
        Ok(n as usize)
    }

    pub fn mark_sent(&self, id: i64, message_id: Option<i32>, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_message_id = ?2,
                 finished_at = ?3, last_error = NULL WHERE id = ?1",
            params![id, message_id, to_ms(now)],
        )?;
        Ok(())
    }

    /// A transient failure: try again at `next_attempt_at`.
    pub fn retry_later(&self, id: i64, next_attempt_at: DateTime<Utc>, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
            params![id, to_ms(next_attempt_at), error],
        )?;
        Ok(())
    }

    /// A permanent end without delivery: `Failed` or `Blocked`.
    pub fn give_up(
        &self,
        id: i64,
        state: OutboxState,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = ?2, attempts = attempts + 1, last_error = ?3, finished_at = ?4
             WHERE id = ?1",
            params![id, state.as_str(), error, to_ms(now)],
        )?;
        Ok(())
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<OutboxItem>> {
    let state: String = row.get(3)?;
    let state = match OutboxState::parse(&state) {
        Ok(state) => state,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(OutboxItem {
        id: row.get(0)?,
        chat_id: row.get(1)?,
        payload: row.get(2)?,
        state,
        attempts: row.get(4)?,
        next_attempt_at: from_ms(row.get(5)?),
        last_error: row.get(6)?,
        transcript_id: row.get(7)?,
        sent_message_id: row.get(8)?,
        created_at: from_ms(row.get(9)?),
        lane: row.get(10)?,
        receipt_id: row.get(11)?,
        is_receipt: row.get(12)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};
    use super::*;

    #[test]
    fn queue_lifecycle() {
        let store = store();
        let outbox = store.outbox();
        let a = outbox
            .enqueue(10, "{\"a\":1}", None, t(0))
            .expect("enqueue");
        let b = outbox
            .enqueue(10, "{\"b\":2}", None, t(1))
            .expect("enqueue");
        assert_eq!(outbox.pending_count().expect("count"), 2);
        assert_eq!(
            outbox
                .due(t(0), 10)
                .expect("due")
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
            [a]
        );
        assert_eq!(
            outbox
                .due(t(5), 10)
                .expect("due")
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
            [a, b]
        );

        outbox.retry_later(a, t(30), "timeout").expect("retry");
        assert_eq!(
            outbox
                .due(t(5), 10)
                .expect("due")
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
            [b]
        );
        assert_eq!(outbox.next_due_at().expect("next"), Some(t(1)));
        let item = outbox.get(a).expect("get").expect("item");
        assert_eq!(
            (item.attempts, item.last_error.as_deref()),
            (1, Some("timeout"))
        );

        outbox.mark_sent(b, Some(555), t(6)).expect("sent");
        outbox
            .give_up(
                a,
                OutboxState::Blocked,
                "Forbidden: bot was blocked by the user",
                t(31),
            )
            .expect("blocked");
        assert_eq!(outbox.pending_count().expect("count"), 0);
        assert_eq!(outbox.next_due_at().expect("next"), None);
        assert_eq!(
            outbox.get(b).expect("get").expect("item").sent_message_id,
            Some(555)
        );
        assert_eq!(
            outbox.get(a).expect("get").expect("item").state,
            OutboxState::Blocked
        );
    }

    #[test]
    fn each_lane_sends_its_items_one_at_a_time_in_order() {
        let store = store();
        let outbox = store.outbox();
        let a1 = outbox.enqueue(10, "a1", None, t(0)).expect("a1");
        let a2 = outbox.enqueue(10, "a2", None, t(0)).expect("a2");
        let answer = outbox
            .enqueue_in_lane(10, None, "answer", None, None, t(0))
            .expect("answer");
        let b1 = outbox.enqueue(20, "b1", None, t(0)).expect("b1");
        let heads = |outbox: &Outbox<'_>| -> Vec<i64> {
            outbox
                .heads(10)
                .expect("heads")
                .iter()
                .map(|i| i.id)
                .collect()
        };
        assert_eq!(heads(&outbox), [a1, answer, b1]);
        outbox.postpone(a1, t(30)).expect("postpone");
        assert_eq!(
            heads(&outbox),
            [a1, answer, b1],
            "a waiting head still holds its lane"
        );
        assert_eq!(outbox.get(a1).expect("get").expect("a1").attempts, 0);
        outbox.mark_sent(a1, Some(7), t(31)).expect("sent");
        outbox.mark_sent(answer, None, t(31)).expect("sent");
        assert_eq!(heads(&outbox), [a2, b1]);
        assert_eq!(outbox.sent_message_id(a1).expect("id"), Some(7));
        outbox
            .give_up_with_reason(b1, OutboxState::Failed, "too_long", "Bad Request", t(32))
            .expect("give up");
        assert_eq!(heads(&outbox), [a2]);
    }
}
