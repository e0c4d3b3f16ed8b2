//! `staff_sessions`: each staff member's current order and stage, and their pinned card message.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, from_ms, to_ms};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub telegram_id: i64,
    pub order_folder: Option<String>,
    pub stage_folder: Option<String>,
    /// The pinned card in the staff chat, edited in place.
    pub card_message_id: Option<i32>,
    /// The next text is a search query.
    pub awaiting_search: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct StaffSessions<'a> {
    conn: &'a Connection,
}

impl<'a> StaffSessions<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn get(&self, telegram_id: i64) -> Result<Option<StaffSession>> {
        let row = self
            .conn
            .query_row(
                "SELECT telegram_id, order_folder, stage_folder, card_message_id, updated_at,
                     awaiting_search
                 FROM staff_sessions WHERE telegram_id = ?1",
                [telegram_id],
                |row| {
                    Ok(StaffSession {
                        telegram_id: row.get(0)?,
                        order_folder: row.get(1)?,
                        stage_folder: row.get(2)?,
                        card_message_id: row.get(3)?,
                        updated_at: from_ms(row.get(4)?),
                        awaiting_search: row.get(5)?,
                    })
                },
            )
            .optional()?;
        Ok(row)
    }

    /// Switches to `order_folder`; the stage must be chosen again.
    pub fn set_order(
        &self,
        telegram_id: i64,
        order_folder: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO staff_sessions (telegram_id, order_folder, stage_folder, updated_at)
             VALUES (?1, ?2, NULL, ?3)
             ON CONFLICT (telegram_id) DO UPDATE SET order_folder = excluded.order_folder,
                 stage_folder = NULL, updated_at = excluded.updated_at",
            params![telegram_id, order_folder, to_ms(now)],
        )?;
        Ok(())
    }

    /// Sets the stage within the current order. Returns false when no order is chosen.
    pub fn set_stage(
        &self,
        telegram_id: i64,
        stage_folder: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE staff_sessions SET stage_folder = ?2, updated_at = ?3
             WHERE telegram_id = ?1 AND order_folder IS NOT NULL",
            params![telegram_id, stage_folder, to_ms(now)],
        )?;
        Ok(changed == 1)
    }

    /// Leaves the current order (closed, or the staff member was demoted).
    pub fn clear_order(&self, telegram_id: i64, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE staff_sessions SET order_folder = NULL, stage_folder = NULL, updated_at = ?2
             WHERE telegram_id = ?1",
            params![telegram_id, to_ms(now)],
        )?;
        Ok(())
    }

    pub fn set_card_message(
        &self,
        telegram_id: i64,
        message_id: Option<i32>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO staff_sessions (telegram_id, card_message_id, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (telegram_id) DO UPDATE SET card_message_id = excluded.card_message_id,
                 updated_at = excluded.updated_at",
            params![telegram_id, message_id, to_ms(now)],
        )?;
        Ok(())
    }

    /// Stores the whole dialogue position at once: order, stage and the search flag.
    pub fn save_position(
        &self,
        telegram_id: i64,
        order_folder: Option<&str>,
        stage_folder: Option<&str>,
        awaiting_search: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO staff_sessions (telegram_id, order_folder, stage_folder, awaiting_search, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (telegram_id) DO UPDATE SET order_folder = excluded.order_folder,
                 stage_folder = excluded.stage_folder, awaiting_search = excluded.awaiting_search,
                 updated_at = excluded.updated_at",
            params![telegram_id, order_folder, stage_folder, awaiting_search, to_ms(now)],
        )?;
        Ok(())
    }

    /// Staff currently working in `order_folder`.
    pub fn in_order(&self, order_folder: &str) -> Result<Vec<i64>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT telegram_id FROM staff_sessions WHERE order_folder = ?1 ORDER BY telegram_id",
        )?;
        let ids = statement.query_map([order_folder], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};

    #[test]
    fn order_then_stage_then_clear() {
        let store = store_with_users();
        let sessions = store.staff_sessions();
        assert_eq!(sessions.get(2).expect("get"), None);
        assert!(
            !sessions
                .set_stage(2, "Inspection", t(0))
                .expect("no order yet")
        );
        sessions.set_order(2, "ЗН-1 А123ВС77", t(1)).expect("order");
        assert!(sessions.set_stage(2, "Inspection", t(2)).expect("stage"));
        let session = sessions.get(2).expect("get").expect("session");
        assert_eq!(session.order_folder.as_deref(), Some("ЗН-1 А123ВС77"));
        assert_eq!(session.stage_folder.as_deref(), Some("Inspection"));
        assert_eq!(sessions.in_order("ЗН-1 А123ВС77").expect("in order"), [2]);
        sessions.set_order(2, "ЗН-2", t(3)).expect("switch");
        assert_eq!(
            sessions.get(2).expect("get").expect("session").stage_folder,
            None,
            "switching order resets the stage"
        );
        sessions.clear_order(2, t(4)).expect("clear");
        assert_eq!(
            sessions.get(2).expect("get").expect("session").order_folder,
            None
        );
    }

    #[test]
    fn save_position_writes_everything_at_once() {
        let store = store_with_users();
        let sessions = store.staff_sessions();
        sessions.set_card_message(2, Some(5), t(0)).expect("card");
        sessions
            .save_position(2, Some("ЗН-1"), Some("Other"), true, t(1))
            .expect("save");
        let session = sessions.get(2).expect("get").expect("session");
        assert_eq!(
            (
                session.order_folder.as_deref(),
                session.stage_folder.as_deref(),
                session.awaiting_search
            ),
            (Some("ЗН-1"), Some("Other"), true)
        );
        assert_eq!(session.card_message_id, Some(5), "the card is kept");
        sessions
            .save_position(2, None, None, false, t(2))
            .expect("clear");
        assert_eq!(
            sessions.get(2).expect("get").expect("session").order_folder,
            None
        );
    }

    #[test]
    fn card_message_survives_order_changes() {
        let store = store_with_users();
        let sessions = store.staff_sessions();
        sessions.set_card_message(2, Some(77), t(0)).expect("card");
        sessions.set_order(2, "ЗН-1", t(1)).expect("order");
        assert_eq!(
            sessions
                .get(2)
                .expect("get")
                .expect("session")
                .card_message_id,
            Some(77)
        );
    }
}
