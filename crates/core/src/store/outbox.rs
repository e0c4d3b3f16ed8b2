//! `outbox`: the durable send queue (SPEC §6). A handler records what to send; a worker sends
//! it, retrying with backoff, so a crash or restart loses nothing. The payload is opaque JSON
//! owned by the Telegram adapter.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, from_ms, text_enum, to_ms};

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
}

const COLUMNS: &str = "id, chat_id, payload, state, attempts, next_attempt_at, last_error, \
     transcript_id, sent_message_id, created_at";

#[derive(Debug)]
pub struct Outbox<'a> {
    conn: &'a Connection,
}

impl<'a> Outbox<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Queues a message for `chat_id`, due at once.
    pub fn enqueue(
        &self,
        chat_id: i64,
        payload: &str,
        transcript_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO outbox (chat_id, payload, transcript_id, next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![chat_id, payload, transcript_id, to_ms(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn get(&self, id: i64) -> Result<Option<OutboxItem>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1");
        self.conn
            .query_row(&sql, [id], read_row)
            .optional()?
            .transpose()
    }

    /// Pending items due by `now`, oldest first (so each chat gets its messages in order).
    pub fn due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1
             ORDER BY id LIMIT ?2"
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
}
