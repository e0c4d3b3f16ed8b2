//! `orders_seen`: when ServiceBot first saw each order folder, the calendar date for file
//! systems that keep no birth time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, from_ms, to_ms};
use crate::orders::FirstSeenLedger;

#[derive(Debug)]
pub struct OrdersSeen<'a> {
    conn: &'a Connection,
}

impl<'a> OrdersSeen<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Records `now` for folders never seen before and returns every folder's first-seen time.
    pub fn first_seen_many(
        &self,
        folders: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, DateTime<Utc>>> {
        let mut insert = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO orders_seen (folder, first_seen_at) VALUES (?1, ?2)",
        )?;
        let mut select = self
            .conn
            .prepare_cached("SELECT first_seen_at FROM orders_seen WHERE folder = ?1")?;
        let mut seen = HashMap::with_capacity(folders.len());
        for folder in folders {
            insert.execute(params![folder, to_ms(now)])?;
            let at: i64 = select.query_row([folder], |row| row.get(0))?;
            seen.insert(folder.clone(), from_ms(at));
        }
        Ok(seen)
    }

    pub fn get(&self, folder: &str) -> Result<Option<DateTime<Utc>>> {
        let at: Option<i64> = self
            .conn
            .query_row(
                "SELECT first_seen_at FROM orders_seen WHERE folder = ?1",
                [folder],
                |row| row.get(0),
            )
            .optional()?;
        Ok(at.map(from_ms))
    }
}

/// The store is the production ledger: the watcher thread owns a connection of its own.
impl FirstSeenLedger for Store {
    fn first_seen(
        &mut self,
        folders: &[String],
        now: DateTime<Utc>,
    ) -> HashMap<String, DateTime<Utc>> {
        match self.transaction(|store| store.orders_seen().first_seen_many(folders, now)) {
            Ok(seen) => seen,
            Err(error) => {
                // Dating by `now` only misplaces these orders in the calendar; it loses nothing.
                tracing::warn!(%error, "cannot record when order folders were first seen");
                folders.iter().map(|f| (f.clone(), now)).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};
    use super::*;

    #[test]
    fn first_seen_is_recorded_once() {
        let mut store = store();
        let first = store.first_seen(&["A".into()], t(0));
        assert_eq!(first["A"], t(0));
        let again = store.first_seen(&["A".into(), "B".into()], t(100));
        assert_eq!(again["A"], t(0), "the first sighting never moves");
        assert_eq!(again["B"], t(100));
        assert_eq!(store.orders_seen().get("B").expect("get"), Some(t(100)));
        assert_eq!(store.orders_seen().get("C").expect("get"), None);
    }
}
