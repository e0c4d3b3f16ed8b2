//! `processed_updates`: each Telegram update is handled once (SPEC §6). Updates of different
//! chats are handled concurrently and can finish out of order, so a "last id" would skip
//! updates; the set of handled ids is kept instead, pruned to the recent ones.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{Result, to_ms};

/// How many handled ids are kept (Telegram redelivers only unconfirmed, recent updates).
const KEEP: i64 = 100_000;

#[derive(Debug)]
pub struct ProcessedUpdates<'a> {
    conn: &'a Connection,
}

impl<'a> ProcessedUpdates<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Records `update_id`; false when it was handled before.
    pub fn first_time(&self, update_id: i64, now: DateTime<Utc>) -> Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?1, ?2)",
            params![update_id, to_ms(now)],
        )?;
        if inserted == 1 && update_id % 1000 == 0 {
            self.conn.execute(
                "DELETE FROM processed_updates WHERE update_id < ?1",
                [update_id - KEEP],
            )?;
        }
        Ok(inserted == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};

    #[test]
    fn each_update_is_first_only_once_in_any_order() {
        let store = store();
        let updates = store.processed_updates();
        assert!(updates.first_time(11, t(0)).expect("11"));
        assert!(
            updates
                .first_time(10, t(0))
                .expect("10 after 11 still counts")
        );
        assert!(!updates.first_time(11, t(1)).expect("again"));
        assert!(!updates.first_time(10, t(1)).expect("again"));
    }
}
