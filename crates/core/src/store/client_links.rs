//! `client_links`: which clients were told they are connected to which order. Access itself is
//! decided by the phone file at the moment of each message; this table only makes sure a client
//! is told once, whether they were matched at onboarding or when a phone file listed them later.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{Result, to_ms};

#[derive(Debug)]
pub struct ClientLinks<'a> {
    conn: &'a Connection,
}

impl<'a> ClientLinks<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Records the link; false when it was recorded before (the client was already told).
    pub fn link(
        &self,
        order_folder: &str,
        order_no: &str,
        telegram_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO client_links (order_folder, telegram_id, order_no, linked_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![order_folder, telegram_id, order_no, to_ms(now)],
        )? == 1)
    }

    pub fn is_linked(&self, order_folder: &str, telegram_id: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM client_links WHERE order_folder = ?1 AND telegram_id = ?2)",
            params![order_folder, telegram_id],
            |row| row.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};

    #[test]
    fn a_link_is_recorded_once() {
        let store = store_with_users();
        let links = store.client_links();
        assert!(!links.is_linked("A1", 3).expect("query"));
        assert!(links.link("A1", "A1", 3, t(0)).expect("first"));
        assert!(!links.link("A1", "A1", 3, t(5)).expect("second"));
        assert!(links.is_linked("A1", 3).expect("query"));
        assert!(!links.is_linked("A2", 3).expect("other order"));
    }
}
