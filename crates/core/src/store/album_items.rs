//! `album_items`: the items of albums still being collected. Telegram sends each item of an
//! album as its own update; they are kept here (not in memory) until the inbox says the album is
//! complete, so a crash while an album is collected loses none of it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::{Result, to_ms};

/// One collected item: the adapter's JSON of the file, and where its sender was when it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumItem {
    pub message_id: i32,
    pub chat_id: i64,
    pub author_id: i64,
    pub item: String,
    pub position: Option<String>,
}

#[derive(Debug)]
pub struct AlbumItems<'a> {
    conn: &'a Connection,
}

impl<'a> AlbumItems<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Adds an item once (a message processed again adds nothing).
    pub fn add(&self, media_group_id: &str, item: &AlbumItem, now: DateTime<Utc>) -> Result<bool> {
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO album_items
                 (media_group_id, message_id, chat_id, author_id, item, position, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                media_group_id,
                item.message_id,
                item.chat_id,
                item.author_id,
                item.item,
                item.position,
                to_ms(now)
            ],
        )?;
        Ok(added == 1)
    }

    /// Takes the album's items in message order, removing them.
    pub fn take(&self, media_group_id: &str) -> Result<Vec<AlbumItem>> {
        let items = {
            let mut statement = self.conn.prepare_cached(
                "SELECT message_id, chat_id, author_id, item, position FROM album_items
                 WHERE media_group_id = ?1 ORDER BY message_id",
            )?;
            let rows = statement.query_map([media_group_id], |row| {
                Ok(AlbumItem {
                    message_id: row.get(0)?,
                    chat_id: row.get(1)?,
                    author_id: row.get(2)?,
                    item: row.get(3)?,
                    position: row.get(4)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        self.conn.execute(
            "DELETE FROM album_items WHERE media_group_id = ?1",
            [media_group_id],
        )?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::*;

    fn item(message_id: i32) -> AlbumItem {
        AlbumItem {
            message_id,
            chat_id: 2,
            author_id: 2,
            item: format!("{{\"m\":{message_id}}}"),
            position: Some("ЗН-1|Inspection".into()),
        }
    }

    #[test]
    fn items_are_collected_once_and_taken_in_message_order() {
        let store = store_with_users();
        let albums = store.album_items();
        assert!(albums.add("g", &item(12), t(0)).expect("add"));
        assert!(albums.add("g", &item(11), t(0)).expect("add"));
        assert!(!albums.add("g", &item(11), t(1)).expect("again"));
        assert!(albums.add("other", &item(13), t(0)).expect("add"));
        let taken = albums.take("g").expect("take");
        assert_eq!(
            taken.iter().map(|i| i.message_id).collect::<Vec<_>>(),
            [11, 12]
        );
        assert!(albums.take("g").expect("again").is_empty());
        assert_eq!(albums.take("other").expect("other").len(), 1);
    }
}
