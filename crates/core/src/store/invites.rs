//! `invites`: opaque per-order tokens for `https://t.me/<bot>?start=<token>` links. The token
//! only tells the bot which order to greet about; the phone match still decides access.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, from_ms, to_ms};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub token: String,
    pub order_no: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

#[derive(Debug)]
pub struct Invites<'a> {
    conn: &'a Connection,
}

impl<'a> Invites<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Stores a token made by the caller (randomness is passed in, core has none).
    pub fn create(&self, token: &str, order_no: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO invites (token, order_no, created_at) VALUES (?1, ?2, ?3)",
            params![token, order_no, to_ms(now)],
        )?;
        Ok(())
    }

    pub fn resolve(&self, token: &str) -> Result<Option<Invite>> {
        self.query(
            "SELECT token, order_no, created_at, revoked FROM invites WHERE token = ?1",
            token,
        )
    }

    /// The newest valid token of an order, to show the same link again.
    pub fn active_for_order(&self, order_no: &str) -> Result<Option<Invite>> {
        self.query(
            "SELECT token, order_no, created_at, revoked FROM invites
             WHERE order_no = ?1 AND revoked = 0 ORDER BY created_at DESC, rowid DESC LIMIT 1",
            order_no,
        )
    }

    pub fn revoke(&self, token: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("UPDATE invites SET revoked = 1 WHERE token = ?1", [token])?
            == 1)
    }

    fn query(&self, sql: &str, key: &str) -> Result<Option<Invite>> {
        Ok(self
            .conn
            .query_row(sql, [key], |row| {
                Ok(Invite {
                    token: row.get(0)?,
                    order_no: row.get(1)?,
                    created_at: from_ms(row.get(2)?),
                    revoked: row.get(3)?,
                })
            })
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};

    #[test]
    fn create_resolve_revoke() {
        let store = store();
        let invites = store.invites();
        invites.create("tok1", "ЗН-1", t(0)).expect("create");
        invites.create("tok2", "ЗН-1", t(5)).expect("create");
        assert!(
            invites.create("tok1", "ЗН-2", t(6)).is_err(),
            "tokens are unique"
        );
        assert_eq!(
            invites
                .resolve("tok1")
                .expect("resolve")
                .expect("invite")
                .order_no,
            "ЗН-1"
        );
        assert_eq!(invites.resolve("nope").expect("resolve"), None);
        assert_eq!(
            invites
                .active_for_order("ЗН-1")
                .expect("active")
                .expect("invite")
                .token,
            "tok2"
        );
        assert!(invites.revoke("tok2").expect("revoke"));
        assert!(
            invites
                .resolve("tok2")
                .expect("resolve")
                .expect("invite")
                .revoked
        );
        assert_eq!(
            invites
                .active_for_order("ЗН-1")
                .expect("active")
                .expect("invite")
                .token,
            "tok1"
        );
    }
}
