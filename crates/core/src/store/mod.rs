//! The SQLite store: one database file in the data directory, shared safely between the bot,
//! the GUI and `servicebot users …` (WAL, busy timeout). One module per table, each with its SQL
//! next to typed accessors.

mod album_items;
mod approvals;
mod audit;
mod bot_state;
mod callback_keys;
mod client_links;
mod file_jobs;
mod inbox;
mod invites;
mod media;
mod migrations;
mod orders_seen;
mod outbox;
mod pending_inputs;
mod receipts;
mod staff_sessions;
mod transcript;
mod users;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;

pub use album_items::{AlbumItem, AlbumItems};
pub use approvals::{ApprovalDecision, ApprovalRequest, Approvals, Decision};
pub use audit::{Audit, AuditEvent};
pub use bot_state::BotState;
pub use callback_keys::{CallbackKeys, IssuedKey};
pub use client_links::ClientLinks;
pub use file_jobs::{FileJob, FileJobs, JobSpec};
pub use inbox::{Inbox, InboxEntry, InboxKind, InboxState, OpenAlbum, ReceivedUpdate};
pub use invites::{Invite, Invites};
pub use media::{FileRelay, Media, MediaKind, MediaRecord, NewMedia, RelayStatus, StorageStatus};
pub use orders_seen::OrdersSeen;
pub use outbox::{Outbox, OutboxItem, OutboxState};
pub use pending_inputs::{PendingInput, PendingInputs};
pub use receipts::{Receipt, ReceiptDelivery, ReceiptKind, Receipts};
pub use staff_sessions::{StaffSession, StaffSessions};
pub use transcript::{Delivery, Direction, EntryKind, NewEntry, Transcript, TranscriptEntry};
pub use users::{Level, TelegramProfile, User, UserPage, Users};

/// The database file name inside the data directory.
pub const DATABASE_FILE: &str = "servicebot.sqlite3";

/// How long a writer waits for another process's write to finish before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("database holds an unexpected value in {column}: {value}")]
    BadValue { column: &'static str, value: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open database connection with the schema migrated to the latest version.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database file and migrates it.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::prepare(&mut conn)?;
        Ok(Self { conn })
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        Self::prepare(&mut conn)?;
        Ok(Self { conn })
    }

    fn prepare(conn: &mut Connection) -> Result<()> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrations().to_latest(conn)?;
        Ok(())
    }

    /// Runs `f` in one transaction: all of its writes land, or none. `f` may fail with its
    /// caller's own error type. Inside another transaction it is a savepoint of that one, so a
    /// step that needs its writes together can be called on its own or within a larger unit
    /// (the bot processes each update in one transaction).
    pub fn transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let nested = !self.conn.is_autocommit();
        let (begin, commit, rollback) = if nested {
            (
                "SAVEPOINT nested",
                "RELEASE nested",
                "ROLLBACK TO nested; RELEASE nested",
            )
        } else {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        };
        self.conn.execute_batch(begin).map_err(StoreError::from)?;
        match f(self) {
            Ok(value) => {
                self.conn.execute_batch(commit).map_err(StoreError::from)?;
                Ok(value)
            }
            Err(error) => {
                let _ = self.conn.execute_batch(rollback);
                Err(error)
            }
        }
    }

    pub fn users(&self) -> Users<'_> {
        Users::new(&self.conn)
    }
    pub fn staff_sessions(&self) -> StaffSessions<'_> {
        StaffSessions::new(&self.conn)
    }
    pub fn orders_seen(&self) -> OrdersSeen<'_> {
        OrdersSeen::new(&self.conn)
    }
    pub fn media(&self) -> Media<'_> {
        Media::new(&self.conn)
    }
    pub fn transcript(&self) -> Transcript<'_> {
        Transcript::new(&self.conn)
    }
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox::new(&self.conn)
    }
    pub fn bot_state(&self) -> BotState<'_> {
        BotState::new(&self.conn)
    }
    pub fn callback_keys(&self) -> CallbackKeys<'_> {
        CallbackKeys::new(&self.conn)
    }
    pub fn invites(&self) -> Invites<'_> {
        Invites::new(&self.conn)
    }
    pub fn pending_inputs(&self) -> PendingInputs<'_> {
        PendingInputs::new(&self.conn)
    }
    pub fn client_links(&self) -> ClientLinks<'_> {
        ClientLinks::new(&self.conn)
    }
    pub fn approvals(&self) -> Approvals<'_> {
        Approvals::new(&self.conn)
    }
    pub fn audit(&self) -> Audit<'_> {
        Audit::new(&self.conn)
    }
    pub fn inbox(&self) -> Inbox<'_> {
        Inbox::new(&self.conn)
    }
    pub fn album_items(&self) -> AlbumItems<'_> {
        AlbumItems::new(&self.conn)
    }
    pub fn file_jobs(&self) -> FileJobs<'_> {
        FileJobs::new(&self.conn)
    }
    pub fn receipts(&self) -> Receipts<'_> {
        Receipts::new(&self.conn)
    }
}

/// Times are stored as Unix milliseconds: compact, sortable and unambiguous.
pub(crate) fn to_ms(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Declares a text-backed enum with `as_str` / `parse` used for a column.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $column:literal {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub(crate) fn parse(text: &str) -> $crate::store::Result<Self> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::store::StoreError::BadValue {
                        column: $column,
                        value: other.to_owned(),
                    }),
                }
            }
        }
    };
}
pub(crate) use text_enum;

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::{DateTime, TimeZone, Utc};

    use super::{Store, TelegramProfile};

    pub fn store() -> Store {
        Store::open_in_memory().expect("in-memory store")
    }

    pub fn t(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + seconds, 0)
            .single()
            .expect("valid time")
    }

    pub fn profile(id: i64) -> TelegramProfile {
        TelegramProfile {
            telegram_id: id,
            chat_id: id,
            first_name: format!("User{id}"),
            last_name: None,
            username: None,
        }
    }

    /// A store with users 1 (admin), 2 (staff) and 3 (client).
    pub fn store_with_users() -> Store {
        let store = store();
        for id in 1..=3 {
            store
                .users()
                .upsert_seen(&profile(id), t(0))
                .expect("insert user");
        }
        store
            .users()
            .set_level(1, super::Level::Admin)
            .expect("level");
        store
            .users()
            .set_level(2, super::Level::Staff)
            .expect("level");
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        // Protects invariant 7 and catches SQL errors in any migration.
        migrations::migrations()
            .validate()
            .expect("migrations validate");
    }

    #[test]
    fn file_database_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join(DATABASE_FILE)).expect("opens");
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(fk, 1);
        drop(store);
        Store::open(&dir.path().join(DATABASE_FILE)).expect("reopening a migrated file works");
    }

    #[test]
    fn a_nested_transaction_is_a_savepoint_of_the_outer_one() {
        let store = test_support::store();
        let result: Result<()> = store.transaction(|s| {
            s.bot_state().set("outer", "1")?;
            let inner: Result<()> = s.transaction(|s| {
                s.bot_state().set("inner", "1")?;
                Err(StoreError::BadValue {
                    column: "test",
                    value: "inner fails".into(),
                })
            });
            assert!(inner.is_err());
            s.transaction(|s| s.bot_state().set("kept", "1"))
        });
        assert!(result.is_ok());
        assert_eq!(
            store.bot_state().get("outer").expect("get").as_deref(),
            Some("1")
        );
        assert_eq!(store.bot_state().get("inner").expect("get"), None);
        assert_eq!(
            store.bot_state().get("kept").expect("get").as_deref(),
            Some("1")
        );

        let failed: Result<()> = store.transaction(|s| {
            s.transaction(|s| s.bot_state().set("gone", "1"))?;
            Err(StoreError::BadValue {
                column: "test",
                value: "outer fails".into(),
            })
        });
        assert!(failed.is_err());
        assert_eq!(
            store.bot_state().get("gone").expect("get"),
            None,
            "an inner step's writes go with the outer transaction"
        );
    }

    #[test]
    fn transaction_rolls_back_on_error() {
        let store = test_support::store();
        let result: Result<()> = store.transaction(|s| {
            s.bot_state().set("k", "v")?;
            Err(StoreError::BadValue {
                column: "test",
                value: "boom".into(),
            })
        });
        assert!(result.is_err());
        assert_eq!(store.bot_state().get("k").expect("get"), None);
    }
}
