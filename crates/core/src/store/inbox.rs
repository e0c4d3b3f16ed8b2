//! `inbox`: every Telegram update, written before the `getUpdates` offset that confirms it is
//! sent to Telegram, then processed in order, exactly once (SPEC §6). The processor marks an
//! entry done in the same transaction that commits its effects, so after a crash whatever was
//! not done is processed again and whatever was done is not.
//!
//! Besides updates the inbox holds the bot's own events, such as "this album is complete":
//! they take their place in the same order, after the updates they follow.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, from_ms, text_enum, to_ms};

text_enum!(
    /// What an inbox entry holds.
    InboxKind, "inbox.kind" {
        /// A raw Telegram update (JSON as Telegram sent it).
        Update = "update",
        /// No further item of the album `media_group_id` arrived within the grace period.
        AlbumClosed = "album_closed",
    }
);

text_enum!(InboxState, "inbox.state" {
    Pending = "pending",
    Done = "done",
    /// Processing failed; the user was told to try again.
    Failed = "failed",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxEntry {
    pub seq: i64,
    pub update_id: Option<i64>,
    pub kind: InboxKind,
    pub media_group_id: Option<String>,
    pub payload: String,
    pub state: InboxState,
    pub received_at: DateTime<Utc>,
}

/// An update as received, to be written to the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedUpdate {
    pub update_id: i64,
    pub media_group_id: Option<String>,
    pub payload: String,
}

/// An album that may still be receiving items: its newest item's arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAlbum {
    pub media_group_id: String,
    pub last_received_at: DateTime<Utc>,
}

const COLUMNS: &str = "seq, update_id, kind, media_group_id, payload, state, received_at";

/// The `bot_state` key of the next `getUpdates` offset.
const NEXT_OFFSET: &str = "next_update_offset";
/// How long finished entries are kept (for diagnosis), counted from when they were received.
const KEEP_DONE_FOR: chrono::Duration = chrono::Duration::days(7);

#[derive(Debug)]
pub struct Inbox<'a> {
    conn: &'a Connection,
}

impl<'a> Inbox<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Writes one `getUpdates` answer: each update once (a redelivered update is already here)
    /// and the offset that will confirm them. Returns how many were new.
    pub fn receive(&self, updates: &[ReceivedUpdate], now: DateTime<Utc>) -> Result<usize> {
        let mut statement = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO inbox (update_id, kind, media_group_id, payload, received_at)
             VALUES (?1, 'update', ?2, ?3, ?4)",
        )?;
        let mut new = 0;
        for update in updates {
            new += statement.execute(params![
                update.update_id,
                update.media_group_id,
                update.payload,
                to_ms(now)
            ])?;
        }
        if let Some(last) = updates.iter().map(|u| u.update_id).max()
            && self.next_offset()?.is_none_or(|offset| last >= offset)
        {
            super::BotState::new(self.conn).set(NEXT_OFFSET, &(last + 1).to_string())?;
        }
        Ok(new)
    }

    /// The offset of the next `getUpdates`: one past the newest update written here.
    pub fn next_offset(&self) -> Result<Option<i64>> {
        Ok(super::BotState::new(self.conn)
            .get(NEXT_OFFSET)?
            .and_then(|v| v.parse().ok()))
    }

    /// Albums with an item newer than their last "closed" event.
    pub fn open_albums(&self) -> Result<Vec<OpenAlbum>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT media_group_id, MAX(received_at) FROM inbox
             WHERE media_group_id IS NOT NULL
             GROUP BY media_group_id
             HAVING MAX(CASE kind WHEN 'update' THEN seq END)
                  > COALESCE(MAX(CASE kind WHEN 'album_closed' THEN seq END), 0)",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(OpenAlbum {
                media_group_id: row.get(0)?,
                last_received_at: from_ms(row.get(1)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Queues "album complete" after everything received so far.
    pub fn close_album(&self, media_group_id: &str, now: DateTime<Utc>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO inbox (kind, media_group_id, payload, received_at)
             VALUES ('album_closed', ?1, '{}', ?2)",
            params![media_group_id, to_ms(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The oldest entry not yet processed.
    pub fn next_pending(&self) -> Result<Option<InboxEntry>> {
        let sql =
            format!("SELECT {COLUMNS} FROM inbox WHERE state = 'pending' ORDER BY seq LIMIT 1");
        self.conn
            .query_row(&sql, [], read_row)
            .optional()?
            .transpose()
    }

    pub fn get(&self, seq: i64) -> Result<Option<InboxEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM inbox WHERE seq = ?1");
        self.conn
            .query_row(&sql, [seq], read_row)
            .optional()?
            .transpose()
    }

    pub fn pending_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM inbox WHERE state = 'pending'",
            [],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Marks an entry processed; meant for the transaction that commits its effects.
    pub fn mark_done(&self, seq: i64, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE inbox SET state = 'done', done_at = ?2 WHERE seq = ?1",
            params![seq, to_ms(now)],
        )?;
        Ok(())
    }

    /// Marks an entry whose processing failed (the error is for the log, never for users).
    pub fn mark_failed(&self, seq: i64, error: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE inbox SET state = 'failed', done_at = ?2, error = ?3 WHERE seq = ?1",
            params![seq, to_ms(now), error],
        )?;
        Ok(())
    }

    /// Deletes finished entries older than a week, keeping the newest one (it holds the offset's
    /// history) and every album item whose album may still be open.
    pub fn prune(&self, now: DateTime<Utc>) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM inbox WHERE state != 'pending' AND received_at < ?1
                 AND seq < (SELECT MAX(seq) FROM inbox)",
            [to_ms(now - KEEP_DONE_FOR)],
        )?)
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<InboxEntry>> {
    let kind: String = row.get(2)?;
    let state: String = row.get(5)?;
    let (kind, state) = match (InboxKind::parse(&kind), InboxState::parse(&state)) {
        (Ok(kind), Ok(state)) => (kind, state),
        (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
    };
    Ok(Ok(InboxEntry {
        seq: row.get(0)?,
        update_id: row.get(1)?,
        kind,
        media_group_id: row.get(3)?,
        payload: row.get(4)?,
        state,
        received_at: from_ms(row.get(6)?),
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};
    use super::*;

    fn update(id: i64, group: Option<&str>) -> ReceivedUpdate {
        ReceivedUpdate {
            update_id: id,
            media_group_id: group.map(str::to_owned),
            payload: format!("{{\"update_id\":{id}}}"),
        }
    }

    #[test]
    fn updates_are_written_once_in_order_and_move_the_offset() {
        let store = store();
        let inbox = store.inbox();
        assert_eq!(inbox.next_offset().expect("offset"), None);
        assert_eq!(
            inbox
                .receive(&[update(10, None), update(11, None)], t(0))
                .expect("receive"),
            2
        );
        assert_eq!(inbox.next_offset().expect("offset"), Some(12));
        // Telegram redelivers what was not confirmed: nothing is written twice.
        assert_eq!(
            inbox
                .receive(&[update(11, None), update(12, None)], t(1))
                .expect("again"),
            1
        );
        assert_eq!(inbox.next_offset().expect("offset"), Some(13));
        // An older batch never moves the offset back.
        inbox.receive(&[update(5, None)], t(2)).expect("old");
        assert_eq!(inbox.next_offset().expect("offset"), Some(13));

        let first = inbox.next_pending().expect("next").expect("entry");
        assert_eq!(first.update_id, Some(10));
        inbox.mark_done(first.seq, t(3)).expect("done");
        let second = inbox.next_pending().expect("next").expect("entry");
        assert_eq!(second.update_id, Some(11));
        inbox.mark_failed(second.seq, "boom", t(3)).expect("failed");
        assert_eq!(inbox.pending_count().expect("count"), 2);
        assert_eq!(
            inbox.get(second.seq).expect("get").expect("entry").state,
            InboxState::Failed
        );
    }

    #[test]
    fn an_album_is_open_until_closed_and_opens_again_for_a_straggler() {
        let store = store();
        let inbox = store.inbox();
        inbox
            .receive(&[update(1, Some("g")), update(2, Some("g"))], t(0))
            .expect("receive");
        inbox.receive(&[update(3, Some("h"))], t(5)).expect("h");
        let mut open = inbox.open_albums().expect("open");
        open.sort_by(|a, b| a.media_group_id.cmp(&b.media_group_id));
        assert_eq!(
            open,
            [
                OpenAlbum {
                    media_group_id: "g".into(),
                    last_received_at: t(0)
                },
                OpenAlbum {
                    media_group_id: "h".into(),
                    last_received_at: t(5)
                }
            ]
        );
        inbox.close_album("g", t(6)).expect("close");
        let open = inbox.open_albums().expect("open");
        assert_eq!(open.len(), 1, "only h is still open: {open:?}");
        let closed = inbox
            .get(3 + 1)
            .expect("get")
            .expect("the close event follows the album's items");
        assert_eq!(closed.kind, InboxKind::AlbumClosed);

        inbox.receive(&[update(4, Some("g"))], t(7)).expect("late");
        assert_eq!(inbox.open_albums().expect("open").len(), 2);
    }

    #[test]
    fn pruning_keeps_pending_entries_and_the_newest_one() {
        let store = store();
        let inbox = store.inbox();
        inbox
            .receive(&[update(1, None), update(2, None), update(3, None)], t(0))
            .expect("receive");
        for seq in 1..=3 {
            inbox.mark_done(seq, t(1)).expect("done");
        }
        inbox.receive(&[update(4, None)], t(0)).expect("pending");
        let later = t(0) + chrono::Duration::days(8);
        assert_eq!(inbox.prune(later).expect("prune"), 3);
        assert_eq!(inbox.pending_count().expect("count"), 1);
        assert_eq!(inbox.next_offset().expect("offset"), Some(5));
    }
}
