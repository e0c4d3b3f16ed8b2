//! `media`: every file staff or clients sent in an order: where it was stored, its hash, its
//! Telegram ids (for relaying by `file_id`) and whether it reached the client.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, from_ms, text_enum, to_ms};

text_enum!(
    /// What Telegram calls the file.
    MediaKind, "media.kind" {
        Photo = "photo",
        Video = "video",
        Document = "document",
        Voice = "voice",
        VideoNote = "video_note",
        Audio = "audio",
    }
);

text_enum!(
    /// Where the file's bytes are.
    StorageStatus, "media.storage" {
        /// In the order folder at `path`.
        Stored = "stored",
        /// Held in the local spool until the orders folder is reachable.
        Spooled = "spooled",
        /// Over the Bot API download limit: relayed but not stored.
        TooBig = "too_big",
        /// Could not be downloaded or written.
        Failed = "failed",
        /// Recorded and relayed; the download and save are still under way.
        Pending = "pending",
    }
);

text_enum!(
    /// Whether the file reached the order's clients.
    RelayStatus, "media.relay" {
        Pending = "pending",
        Sent = "sent",
        /// A stage clients never see.
        Internal = "internal",
        NoClient = "no_client",
        Failed = "failed",
        /// Sent by the client: nothing to relay to clients.
        FromClient = "from_client",
    }
);

/// A file to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    pub order_no: String,
    pub order_folder: String,
    pub stage_folder: String,
    pub kind: MediaKind,
    pub storage: StorageStatus,
    pub path: Option<String>,
    pub spool_id: Option<String>,
    pub size: Option<u64>,
    pub sha256: Option<String>,
    pub file_id: String,
    pub file_unique_id: String,
    pub author_id: i64,
    pub media_group_id: Option<String>,
    pub caption: Option<String>,
    pub relay: RelayStatus,
    pub created_at: DateTime<Utc>,
    /// How long a video, voice message, round video or audio plays, in seconds, as Telegram
    /// reported it; `None` for photos and documents (and files recorded before it was kept).
    pub duration_secs: Option<u32>,
}

/// One relay of a file to one chat, found through the file's receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRelay {
    pub media_id: i64,
    pub chat_id: i64,
    pub state: super::OutboxState,
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it was not delivered (`blocked`, `undeliverable`, a refusal's code).
    pub reason: Option<String>,
}

/// A recorded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRecord {
    pub id: i64,
    pub media: NewMedia,
}

const COLUMNS: &str = "id, order_no, order_folder, stage_folder, kind, storage, path, spool_id, \
     size, sha256, file_id, file_unique_id, author_id, media_group_id, caption, relay, created_at, \
     duration_secs";

#[derive(Debug)]
pub struct Media<'a> {
    conn: &'a Connection,
}

impl<'a> Media<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn insert(&self, m: &NewMedia) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO media (order_no, order_folder, stage_folder, kind, storage, path, spool_id,
                 size, sha256, file_id, file_unique_id, author_id, media_group_id, caption, relay,
                 created_at, duration_secs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                m.order_no,
                m.order_folder,
                m.stage_folder,
                m.kind.as_str(),
                m.storage.as_str(),
                m.path,
                m.spool_id,
                m.size.map(|s| s as i64),
                m.sha256,
                m.file_id,
                m.file_unique_id,
                m.author_id,
                m.media_group_id,
                m.caption,
                m.relay.as_str(),
                to_ms(m.created_at),
                m.duration_secs
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Where each of an order's files was relayed (a file of an album shares its album's
    /// messages), by file then queue order.
    pub fn relays_of_order(&self, order_no: &str) -> Result<Vec<FileRelay>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT m.id, o.chat_id, o.state, o.finished_at, o.reason FROM media m
             JOIN outbox o ON o.receipt_id = m.receipt_id
             WHERE m.order_no = ?1 AND m.receipt_id IS NOT NULL ORDER BY m.id, o.id",
        )?;
        let rows = statement.query_map([order_no], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<i64>>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut relays = Vec::new();
        for row in rows {
            let (media_id, chat_id, state, finished_at, reason) = row?;
            relays.push(FileRelay {
                media_id,
                chat_id,
                state: super::OutboxState::parse(&state)?,
                finished_at: finished_at.map(from_ms),
                reason,
            });
        }
        Ok(relays)
    }

    pub fn get(&self, id: i64) -> Result<Option<MediaRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE id = ?1");
        self.conn
            .query_row(&sql, [id], read_row)
            .optional()?
            .transpose()
    }

    /// Files of an order, oldest first.
    pub fn by_order(&self, order_no: &str) -> Result<Vec<MediaRecord>> {
        let sql =
            format!("SELECT {COLUMNS} FROM media WHERE order_no = ?1 ORDER BY created_at, id");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([order_no], read_row)?;
        let mut records = Vec::new();
        for row in rows {
            records.push(row??);
        }
        Ok(records)
    }

    pub fn by_spool_id(&self, spool_id: &str) -> Result<Option<MediaRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE spool_id = ?1");
        self.conn
            .query_row(&sql, [spool_id], read_row)
            .optional()?
            .transpose()
    }

    pub fn set_relay(&self, id: i64, relay: RelayStatus) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE media SET relay = ?2 WHERE id = ?1",
            params![id, relay.as_str()],
        )? == 1)
    }

    /// The outcome of saving a file recorded as `Pending`.
    pub fn set_storage(
        &self,
        id: i64,
        storage: StorageStatus,
        path: Option<&str>,
        spool_id: Option<&str>,
        size: Option<u64>,
        sha256: Option<&str>,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE media SET storage = ?2, path = ?3, spool_id = ?4, size = ?5, sha256 = ?6 WHERE id = ?1",
            params![id, storage.as_str(), path, spool_id, size.map(|s| s as i64), sha256],
        )? == 1)
    }

    /// A spooled file reached the order folder.
    /// How many files were received (from staff and clients) since `since`.
    pub fn count_since(&self, since: DateTime<Utc>) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM media WHERE created_at >= ?1",
            [to_ms(since)],
            |row| row.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    pub fn mark_stored(&self, id: i64, path: &str) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE media SET storage = 'stored', path = ?2, spool_id = NULL WHERE id = ?1",
            params![id, path],
        )? == 1)
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<MediaRecord>> {
    let kind: String = row.get(4)?;
    let storage: String = row.get(5)?;
    let relay: String = row.get(15)?;
    let (kind, storage, relay) = match (
        MediaKind::parse(&kind),
        StorageStatus::parse(&storage),
        RelayStatus::parse(&relay),
    ) {
        (Ok(k), Ok(s), Ok(r)) => (k, s, r),
        (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => return Ok(Err(e)),
    };
    Ok(Ok(MediaRecord {
        id: row.get(0)?,
        media: NewMedia {
            order_no: row.get(1)?,
            order_folder: row.get(2)?,
            stage_folder: row.get(3)?,
            kind,
            storage,
            path: row.get(6)?,
            spool_id: row.get(7)?,
            size: row.get::<_, Option<i64>>(8)?.map(|s| s.max(0) as u64),
            sha256: row.get(9)?,
            file_id: row.get(10)?,
            file_unique_id: row.get(11)?,
            author_id: row.get(12)?,
            media_group_id: row.get(13)?,
            caption: row.get(14)?,
            relay,
            created_at: from_ms(row.get(16)?),
            duration_secs: row
                .get::<_, Option<i64>>(17)?
                .map(|s| u32::try_from(s.max(0)).unwrap_or(u32::MAX)),
        },
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::*;

    pub fn photo(order_no: &str, seconds: i64) -> NewMedia {
        NewMedia {
            order_no: order_no.into(),
            order_folder: format!("{order_no} А123ВС77"),
            stage_folder: "Inspection".into(),
            kind: MediaKind::Photo,
            storage: StorageStatus::Spooled,
            path: None,
            spool_id: Some(format!("spool-{seconds}")),
            size: Some(1234),
            sha256: Some("ab".repeat(32)),
            file_id: format!("file-{seconds}"),
            file_unique_id: format!("uniq-{seconds}"),
            author_id: 2,
            media_group_id: Some("album".into()),
            caption: Some("Колодки".into()),
            relay: RelayStatus::Pending,
            created_at: t(seconds),
            duration_secs: None,
        }
    }

    /// A staff member's video of `duration_secs` seconds.
    pub fn video(order_no: &str, seconds: i64, duration_secs: u32) -> NewMedia {
        NewMedia {
            kind: MediaKind::Video,
            media_group_id: None,
            duration_secs: Some(duration_secs),
            ..photo(order_no, seconds)
        }
    }

    #[test]
    fn insert_get_and_list_by_order() {
        let store = store_with_users();
        let id = store.media().insert(&photo("ЗН-1", 1)).expect("insert");
        store.media().insert(&photo("ЗН-1", 0)).expect("insert");
        store.media().insert(&photo("ЗН-2", 0)).expect("insert");
        assert_eq!(
            store.media().get(id).expect("get").expect("record").media,
            photo("ЗН-1", 1)
        );
        let files: Vec<_> = store
            .media()
            .by_order("ЗН-1")
            .expect("list")
            .into_iter()
            .map(|r| r.media.file_id)
            .collect();
        assert_eq!(files, ["file-0", "file-1"], "oldest first");
    }

    #[test]
    fn a_duration_is_kept_and_absent_for_photos() {
        let store = store_with_users();
        let clip = store
            .media()
            .insert(&video("ЗН-1", 1, 3723))
            .expect("insert");
        let picture = store.media().insert(&photo("ЗН-1", 2)).expect("insert");
        let duration = |id| {
            store
                .media()
                .get(id)
                .expect("get")
                .expect("record")
                .media
                .duration_secs
        };
        assert_eq!(duration(clip), Some(3723), "the video's seconds come back");
        assert_eq!(duration(picture), None, "a photo has no duration");
    }

    #[test]
    fn files_recorded_before_durations_were_kept_read_without_one() {
        // A database left at the schema before the duration column (migration 9), with a
        // video recorded then, is upgraded in place: the old row keeps everything and has no
        // duration; a new one has its own.
        let mut conn = Connection::open_in_memory().expect("db");
        conn.pragma_update(None, "foreign_keys", "ON")
            .expect("pragma");
        let migrations = super::super::migrations::migrations();
        migrations.to_version(&mut conn, 9).expect("schema 9");
        conn.execute(
            "INSERT INTO users (telegram_id, created_at) VALUES (2, 0)",
            [],
        )
        .expect("author");
        conn.execute(
            "INSERT INTO media (order_no, order_folder, stage_folder, kind, storage, file_id,
                 file_unique_id, author_id, relay, created_at)
             VALUES ('ЗН-1', 'ЗН-1', 'Inspection', 'video', 'stored', 'old', 'old-u', 2, 'sent', 0)",
            [],
        )
        .expect("a video recorded at schema 9");
        migrations.to_latest(&mut conn).expect("upgraded");
        let media = Media::new(&conn);
        let new = media.insert(&video("ЗН-1", 5, 65)).expect("insert");
        let files: Vec<(String, Option<u32>)> = media
            .by_order("ЗН-1")
            .expect("list")
            .into_iter()
            .map(|r| (r.media.file_id, r.media.duration_secs))
            .collect();
        assert_eq!(
            files,
            [("old".to_owned(), None), ("file-5".to_owned(), Some(65))]
        );
        assert!(media.get(new).expect("get").is_some());
    }

    #[test]
    fn files_are_counted_from_a_moment_on() {
        let store = store_with_users();
        for seconds in [0, 10, 20] {
            store
                .media()
                .insert(&photo("ЗН-1", seconds))
                .expect("insert");
        }
        assert_eq!(store.media().count_since(t(10)).expect("count"), 2);
        assert_eq!(store.media().count_since(t(21)).expect("count"), 0);
    }

    #[test]
    fn relay_and_spool_updates() {
        let store = store_with_users();
        let id = store.media().insert(&photo("ЗН-1", 1)).expect("insert");
        assert!(
            store
                .media()
                .set_relay(id, RelayStatus::Sent)
                .expect("relay")
        );
        assert_eq!(
            store
                .media()
                .by_spool_id("spool-1")
                .expect("by spool")
                .expect("record")
                .id,
            id
        );
        assert!(
            store
                .media()
                .mark_stored(id, "/orders/ЗН-1/Inspection/a.jpg")
                .expect("stored")
        );
        let record = store.media().get(id).expect("get").expect("record");
        assert_eq!(record.media.storage, StorageStatus::Stored);
        assert_eq!(record.media.relay, RelayStatus::Sent);
        assert_eq!(record.media.spool_id, None);
        assert_eq!(
            store.media().by_spool_id("spool-1").expect("by spool"),
            None
        );
    }

    #[test]
    fn storage_outcome_is_recorded_after_the_relay() {
        let store = store_with_users();
        let mut pending = photo("ЗН-1", 1);
        pending.storage = StorageStatus::Pending;
        pending.path = None;
        pending.spool_id = None;
        let id = store.media().insert(&pending).expect("insert");
        assert!(
            store
                .media()
                .set_storage(
                    id,
                    StorageStatus::Stored,
                    Some("/o/a.jpg"),
                    None,
                    Some(9),
                    Some("ab")
                )
                .expect("set")
        );
        let record = store.media().get(id).expect("get").expect("record");
        assert_eq!(
            (
                record.media.storage,
                record.media.path.as_deref(),
                record.media.size
            ),
            (StorageStatus::Stored, Some("/o/a.jpg"), Some(9))
        );
    }

    #[test]
    fn author_must_be_a_known_user() {
        let store = store_with_users();
        let mut media = photo("ЗН-1", 1);
        media.author_id = 999;
        assert!(
            store.media().insert(&media).is_err(),
            "foreign keys are enforced"
        );
    }

    #[test]
    fn enums_round_trip_through_text() {
        for kind in MediaKind::ALL {
            assert_eq!(MediaKind::parse(kind.as_str()).expect("parse"), *kind);
        }
        for relay in RelayStatus::ALL {
            assert_eq!(RelayStatus::parse(relay.as_str()).expect("parse"), *relay);
        }
        assert!(StorageStatus::parse("bogus").is_err());
    }
}
