//! `bot_state`: small named values the bot keeps across restarts, such as the last processed
//! Telegram update id (each update is processed once, SPEC §6).

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;

const LAST_UPDATE_ID: &str = "last_update_id";

#[derive(Debug)]
pub struct BotState<'a> {
    conn: &'a Connection,
}

impl<'a> BotState<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM bot_state WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn set(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO bot_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn last_update_id(&self) -> Result<Option<i64>> {
        Ok(self.get(LAST_UPDATE_ID)?.and_then(|v| v.parse().ok()))
    }

    /// Records `update_id` as processed; never moves backwards.
    pub fn set_last_update_id(&self, update_id: i64) -> Result<()> {
        if self.last_update_id()?.is_none_or(|last| update_id > last) {
            self.set(LAST_UPDATE_ID, &update_id.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::store;

    #[test]
    fn values_and_update_id() {
        let store = store();
        let state = store.bot_state();
        assert_eq!(state.get("x").expect("get"), None);
        state.set("x", "1").expect("set");
        state.set("x", "2").expect("overwrite");
        assert_eq!(state.get("x").expect("get").as_deref(), Some("2"));
        assert_eq!(state.last_update_id().expect("get"), None);
        state.set_last_update_id(10).expect("set");
        state.set_last_update_id(9).expect("older is ignored");
        assert_eq!(state.last_update_id().expect("get"), Some(10));
    }
}
