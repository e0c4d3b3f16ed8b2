//! `callback_keys`: what each inline button does. Telegram carries at most 64 bytes of callback
//! data and order folder names can be longer and contain anything, so a button carries a short
//! opaque key and its action (JSON) stays here, bound to the chat it was sent to. A key pressed
//! in another chat resolves to nothing: a forged or forwarded button does nothing.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, from_ms, to_ms};

/// A key's prefix, so keys are recognisable in logs and never look like numbers.
const PREFIX: char = 'k';

/// What a key stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedKey {
    pub payload: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct CallbackKeys<'a> {
    conn: &'a Connection,
}

impl<'a> CallbackKeys<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// The key for `payload` in `chat_id`: an existing one issued since `reuse_after`, else a
    /// new one. Keys are `k` + base 36 of a row id: at most 14 bytes.
    pub fn issue(
        &self,
        chat_id: i64,
        payload: &str,
        reuse_after: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM callback_keys WHERE chat_id = ?1 AND payload = ?2 AND created_at >= ?3
                 ORDER BY id DESC LIMIT 1",
                params![chat_id, payload, to_ms(reuse_after)],
                |row| row.get(0),
            )
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                self.conn.execute(
                    "INSERT INTO callback_keys (chat_id, payload, created_at) VALUES (?1, ?2, ?3)",
                    params![chat_id, payload, to_ms(now)],
                )?;
                self.conn.last_insert_rowid()
            }
        };
        Ok(encode(id))
    }

    /// What `key` does, if it was issued to `chat_id`.
    pub fn resolve(&self, key: &str, chat_id: i64) -> Result<Option<IssuedKey>> {
        let Some(id) = decode(key) else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "SELECT payload, created_at FROM callback_keys WHERE id = ?1 AND chat_id = ?2",
                params![id, chat_id],
                |row| {
                    Ok(IssuedKey {
                        payload: row.get(0)?,
                        created_at: from_ms(row.get(1)?),
                    })
                },
            )
            .optional()?)
    }

    /// Forgets keys issued before `before` (their buttons then answer "expired").
    pub fn prune(&self, before: DateTime<Utc>) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM callback_keys WHERE created_at < ?1",
            [to_ms(before)],
        )?)
    }
}

fn encode(mut id: i64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(id % 36) as usize]);
        id /= 36;
        if id == 0 {
            break;
        }
    }
    out.push(PREFIX as u8);
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

fn decode(key: &str) -> Option<i64> {
    let digits = key.strip_prefix(PREFIX)?;
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    i64::from_str_radix(digits, 36).ok()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};
    use super::*;

    #[test]
    fn keys_are_short_reused_and_bound_to_their_chat() {
        let store = store();
        let keys = store.callback_keys();
        let long_payload = format!("{{\"a\":\"order\",\"folder\":\"{}\"}}", "Ж".repeat(200));
        let key = keys.issue(10, &long_payload, t(0), t(0)).expect("issue");
        assert!(key.len() <= 14 && key.starts_with('k'), "{key}");
        assert_eq!(
            keys.issue(10, &long_payload, t(0), t(5)).expect("again"),
            key,
            "same chat and payload reuse the key"
        );
        assert_ne!(
            keys.issue(11, &long_payload, t(0), t(5))
                .expect("other chat"),
            key
        );
        assert_ne!(
            keys.issue(10, &long_payload, t(10), t(20))
                .expect("too old to reuse"),
            key
        );
        assert_eq!(
            keys.resolve(&key, 10)
                .expect("resolve")
                .expect("issued")
                .payload,
            long_payload
        );
        assert_eq!(
            keys.resolve(&key, 11).expect("resolve"),
            None,
            "another chat's key does nothing"
        );
        assert_eq!(keys.resolve("k", 10).expect("resolve"), None);
        assert_eq!(keys.resolve("garbage!", 10).expect("resolve"), None);
        assert_eq!(keys.prune(t(15)).expect("prune"), 2);
        assert_eq!(keys.resolve(&key, 10).expect("resolve"), None);
    }

    #[test]
    fn base36_round_trips() {
        for id in [0, 1, 35, 36, 1_000_000, i64::from(u32::MAX)] {
            assert_eq!(decode(&encode(id)), Some(id));
        }
    }
}
