//! `pending_inputs`: the one place that says what a person's next text message means — an order
//! search (staff), a user search, a new display name for a user, or an order search for a
//! transcript (admins); nothing, when there is no row. One at a time per person; a new prompt
//! replaces the old one, and any command, button or /cancel clears it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError, to_ms};

/// The text a person was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingInput {
    /// An order number or plate to search (staff, after "🔎 Поиск").
    OrderSearch,
    /// A part of a name, phone or id to list users by.
    UserSearch,
    /// The new display name of user `target`.
    Rename { target: i64 },
    /// An order number or plate whose transcript to send.
    TranscriptSearch,
}

impl PendingInput {
    fn columns(self) -> (&'static str, Option<i64>) {
        match self {
            Self::OrderSearch => ("order_search", None),
            Self::UserSearch => ("user_search", None),
            Self::Rename { target } => ("rename", Some(target)),
            Self::TranscriptSearch => ("transcript_search", None),
        }
    }

    fn from_columns(kind: &str, target: Option<i64>) -> Result<Self> {
        match (kind, target) {
            ("order_search", _) => Ok(Self::OrderSearch),
            ("user_search", _) => Ok(Self::UserSearch),
            ("rename", Some(target)) => Ok(Self::Rename { target }),
            ("transcript_search", _) => Ok(Self::TranscriptSearch),
            _ => Err(StoreError::BadValue {
                column: "pending_inputs.kind",
                value: kind.to_owned(),
            }),
        }
    }
}

#[derive(Debug)]
pub struct PendingInputs<'a> {
    conn: &'a Connection,
}

impl<'a> PendingInputs<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Waits for `input` from `telegram_id`, replacing whatever was awaited before.
    pub fn set(&self, telegram_id: i64, input: PendingInput, now: DateTime<Utc>) -> Result<()> {
        let (kind, target) = input.columns();
        self.conn.execute(
            "INSERT INTO pending_inputs (telegram_id, kind, target_id, created_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (telegram_id) DO UPDATE SET
                 kind = excluded.kind, target_id = excluded.target_id,
                 created_at = excluded.created_at",
            params![telegram_id, kind, target, to_ms(now)],
        )?;
        Ok(())
    }

    pub fn get(&self, telegram_id: i64) -> Result<Option<PendingInput>> {
        let row = self
            .conn
            .query_row(
                "SELECT kind, target_id FROM pending_inputs WHERE telegram_id = ?1",
                [telegram_id],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<i64>>(1)?)),
            )
            .optional()?;
        row.map(|(kind, target)| PendingInput::from_columns(&kind, target))
            .transpose()
    }

    /// Takes what was awaited (it is answered now). Returns false when nothing was.
    pub fn clear(&self, telegram_id: i64) -> Result<bool> {
        Ok(self.conn.execute(
            "DELETE FROM pending_inputs WHERE telegram_id = ?1",
            [telegram_id],
        )? == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::PendingInput;

    #[test]
    fn a_new_prompt_replaces_the_old_and_clear_takes_it() {
        let store = store_with_users();
        let pending = store.pending_inputs();
        assert_eq!(pending.get(1).expect("get"), None);
        pending
            .set(1, PendingInput::UserSearch, t(0))
            .expect("set search");
        pending
            .set(1, PendingInput::OrderSearch, t(1))
            .expect("set order search");
        assert_eq!(
            pending.get(1).expect("get"),
            Some(PendingInput::OrderSearch)
        );
        pending
            .set(1, PendingInput::Rename { target: 3 }, t(1))
            .expect("set rename");
        assert_eq!(
            pending.get(1).expect("get"),
            Some(PendingInput::Rename { target: 3 })
        );
        assert_eq!(pending.get(2).expect("other user"), None);
        assert!(pending.clear(1).expect("clear"));
        assert!(!pending.clear(1).expect("clear twice"));
        assert_eq!(pending.get(1).expect("get"), None);
    }
}
