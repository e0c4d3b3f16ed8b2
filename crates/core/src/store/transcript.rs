//! `transcript`: the record of everything said and sent in an order, both ways, with system
//! events. Edits are new rows pointing at the original (`edit_of`), never overwrites.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, from_ms, text_enum, to_ms};

text_enum!(Direction, "transcript.direction" {
    StaffToClient = "staff_to_client",
    ClientToStaff = "client_to_staff",
    System = "system",
});

text_enum!(EntryKind, "transcript.kind" {
    Text = "text",
    Media = "media",
    Approval = "approval",
    Event = "event",
});

text_enum!(Delivery, "transcript.delivery" {
    Pending = "pending",
    Delivered = "delivered",
    Failed = "failed",
    /// Nobody to deliver to (no connected client), or nothing to deliver (an event).
    NotApplicable = "not_applicable",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub order_no: String,
    pub order_folder: String,
    pub at: DateTime<Utc>,
    pub direction: Direction,
    pub author_id: Option<i64>,
    pub kind: EntryKind,
    pub text: Option<String>,
    pub media_id: Option<i64>,
    pub delivery: Delivery,
    pub edit_of: Option<i64>,
    pub tg_chat_id: Option<i64>,
    pub tg_message_id: Option<i32>,
    /// A unique key for entries imported from elsewhere, so a second import adds nothing.
    pub source_key: Option<String>,
}

impl NewEntry {
    /// A minimal entry; set the optional fields as needed.
    pub fn new(
        order_no: &str,
        order_folder: &str,
        at: DateTime<Utc>,
        direction: Direction,
        kind: EntryKind,
    ) -> Self {
        Self {
            order_no: order_no.to_owned(),
            order_folder: order_folder.to_owned(),
            at,
            direction,
            author_id: None,
            kind,
            text: None,
            media_id: None,
            delivery: Delivery::NotApplicable,
            edit_of: None,
            tg_chat_id: None,
            tg_message_id: None,
            source_key: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEntry {
    pub id: i64,
    pub entry: NewEntry,
}

const COLUMNS: &str = "id, order_no, order_folder, at, direction, author_id, kind, text, media_id, \
     delivery, edit_of, tg_chat_id, tg_message_id, source_key";

#[derive(Debug)]
pub struct Transcript<'a> {
    conn: &'a Connection,
}

impl<'a> Transcript<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Appends an entry. Returns `None` when an entry with the same `source_key` exists.
    pub fn append(&self, e: &NewEntry) -> Result<Option<i64>> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO transcript (order_no, order_folder, at, direction, author_id, kind,
                 text, media_id, delivery, edit_of, tg_chat_id, tg_message_id, source_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                e.order_no,
                e.order_folder,
                to_ms(e.at),
                e.direction.as_str(),
                e.author_id,
                e.kind.as_str(),
                e.text,
                e.media_id,
                e.delivery.as_str(),
                e.edit_of,
                e.tg_chat_id,
                e.tg_message_id,
                e.source_key
            ],
        )?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    /// The whole conversation of an order, in time order.
    pub fn by_order(&self, order_no: &str) -> Result<Vec<TranscriptEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM transcript WHERE order_no = ?1 ORDER BY at, id");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([order_no], read_row)?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row??);
        }
        Ok(entries)
    }

    /// How many text messages (both ways, edits included) were recorded since `since`.
    pub fn count_texts_since(&self, since: DateTime<Utc>) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM transcript WHERE at >= ?1 AND kind = 'text'",
            [to_ms(since)],
            |row| row.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    pub fn get(&self, id: i64) -> Result<Option<TranscriptEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM transcript WHERE id = ?1");
        self.conn
            .query_row(&sql, [id], read_row)
            .optional()?
            .transpose()
    }

    /// Texts and files both ways (no events, approvals or edits) since `since`, in time order:
    /// what decides which clients wait for an answer.
    pub fn conversation_since(&self, since: DateTime<Utc>) -> Result<Vec<TranscriptEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM transcript WHERE at >= ?1 AND kind IN ('text', 'media')
             AND direction != 'system' AND edit_of IS NULL ORDER BY at, id"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([to_ms(since)], read_row)?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row??);
        }
        Ok(entries)
    }

    /// Every order with a transcript, as (order number, order folder), most recent first.
    pub fn orders(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT order_no, order_folder FROM transcript
             GROUP BY order_no, order_folder ORDER BY MAX(at) DESC",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        let mut orders = Vec::new();
        for row in rows {
            orders.push(row?);
        }
        Ok(orders)
    }

    /// The first entry recorded for a Telegram message (the original, not an edit).
    pub fn original_of_message(
        &self,
        chat_id: i64,
        message_id: i32,
    ) -> Result<Option<TranscriptEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM transcript WHERE tg_chat_id = ?1 AND tg_message_id = ?2
             AND edit_of IS NULL ORDER BY id LIMIT 1"
        );
        self.conn
            .query_row(&sql, params![chat_id, message_id], read_row)
            .optional()?
            .transpose()
    }

    /// Marks a failed delivery, unless the entry already reached someone.
    pub fn mark_failed_unless_delivered(&self, id: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE transcript SET delivery = 'failed' WHERE id = ?1 AND delivery <> 'delivered'",
            [id],
        )? == 1)
    }

    pub fn set_delivery(&self, id: i64, delivery: Delivery) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE transcript SET delivery = ?2 WHERE id = ?1",
            params![id, delivery.as_str()],
        )? == 1)
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<TranscriptEntry>> {
    let direction: String = row.get(4)?;
    let kind: String = row.get(6)?;
    let delivery: String = row.get(9)?;
    let (direction, kind, delivery) = match (
        Direction::parse(&direction),
        EntryKind::parse(&kind),
        Delivery::parse(&delivery),
    ) {
        (Ok(d), Ok(k), Ok(v)) => (d, k, v),
        (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => return Ok(Err(e)),
    };
    Ok(Ok(TranscriptEntry {
        id: row.get(0)?,
        entry: NewEntry {
            order_no: row.get(1)?,
            order_folder: row.get(2)?,
            at: from_ms(row.get(3)?),
            direction,
            author_id: row.get(5)?,
            kind,
            text: row.get(7)?,
            media_id: row.get(8)?,
            delivery,
            edit_of: row.get(10)?,
            tg_chat_id: row.get(11)?,
            tg_message_id: row.get(12)?,
            source_key: row.get(13)?,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::*;

    fn text(order: &str, at: i64, body: &str) -> NewEntry {
        let mut e = NewEntry::new(
            order,
            order,
            t(at),
            Direction::ClientToStaff,
            EntryKind::Text,
        );
        e.author_id = Some(3);
        e.text = Some(body.into());
        e.tg_chat_id = Some(3);
        e.tg_message_id = Some(100);
        e
    }

    #[test]
    fn append_and_read_in_time_order() {
        let store = store_with_users();
        store
            .transcript()
            .append(&text("ЗН-1", 5, "второе"))
            .expect("append");
        store
            .transcript()
            .append(&text("ЗН-1", 1, "первое"))
            .expect("append");
        store
            .transcript()
            .append(&text("ЗН-2", 0, "другой"))
            .expect("append");
        let texts: Vec<_> = store
            .transcript()
            .by_order("ЗН-1")
            .expect("read")
            .into_iter()
            .filter_map(|e| e.entry.text)
            .collect();
        assert_eq!(texts, ["первое", "второе"]);
    }

    #[test]
    fn texts_are_counted_from_a_moment_on() {
        let store = store_with_users();
        for at in [0, 10, 20] {
            store
                .transcript()
                .append(&text("ЗН-1", at, "текст"))
                .expect("append");
        }
        let mut event = NewEntry::new("ЗН-1", "ЗН-1", t(30), Direction::System, EntryKind::Event);
        event.text = Some("клиент подключён".into());
        store.transcript().append(&event).expect("append");
        assert_eq!(
            store.transcript().count_texts_since(t(10)).expect("count"),
            2,
            "events are not messages"
        );
    }

    #[test]
    fn the_conversation_since_a_moment_leaves_out_events_and_edits() {
        let store = store_with_users();
        let transcript = store.transcript();
        transcript.append(&text("ЗН-1", 5, "old")).expect("append");
        let kept = transcript
            .append(&text("ЗН-1", 10, "asked"))
            .expect("append");
        let mut edit = text("ЗН-1", 11, "asked again");
        edit.edit_of = kept;
        edit.tg_message_id = Some(101);
        transcript.append(&edit).expect("append");
        let mut event = text("ЗН-1", 12, "linked");
        event.tg_message_id = None;
        event.direction = Direction::System;
        event.kind = EntryKind::Event;
        transcript.append(&event).expect("append");
        let found = transcript.conversation_since(t(10)).expect("since");
        let texts: Vec<_> = found.iter().map(|e| e.entry.text.as_deref()).collect();
        assert_eq!(texts, vec![Some("asked")]);
    }

    #[test]
    fn edits_are_new_versions() {
        let store = store_with_users();
        let original = store
            .transcript()
            .append(&text("ЗН-1", 1, "Согласен"))
            .expect("append")
            .expect("id");
        let mut edit = text("ЗН-1", 2, "Не согласен");
        edit.edit_of = Some(original);
        store.transcript().append(&edit).expect("append edit");
        let found = store
            .transcript()
            .original_of_message(3, 100)
            .expect("find")
            .expect("entry");
        assert_eq!(found.id, original);
        assert_eq!(
            found.entry.text.as_deref(),
            Some("Согласен"),
            "the original is never overwritten"
        );
        assert_eq!(store.transcript().by_order("ЗН-1").expect("read").len(), 2);
    }

    #[test]
    fn source_key_makes_imports_idempotent_and_delivery_updates() {
        let store = store_with_users();
        let mut entry = text("ЗН-1", 1, "из старого бота");
        entry.source_key = Some("legacy:ЗН-1:0".into());
        let id = store
            .transcript()
            .append(&entry)
            .expect("append")
            .expect("inserted");
        assert_eq!(store.transcript().append(&entry).expect("append"), None);
        assert!(
            store
                .transcript()
                .set_delivery(id, Delivery::Delivered)
                .expect("delivery")
        );
        assert_eq!(
            store.transcript().by_order("ЗН-1").expect("read")[0]
                .entry
                .delivery,
            Delivery::Delivered
        );
    }
}
