//! `audit_events`: who changed what and when (levels, names, blocks), from Telegram, the GUI or
//! the command line.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};
use serde::Serialize;

use super::{Result, from_ms, to_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    /// The Telegram id of the admin who acted; `None` for the command line and the GUI.
    pub actor_id: Option<i64>,
    /// `telegram`, `gui` or `cli`.
    pub channel: String,
    /// What was done, e.g. `set_level`.
    pub action: String,
    pub target_id: Option<i64>,
    pub details: String,
}

const COLUMNS: &str = "at, actor_id, channel, action, target_id, details";

#[derive(Debug)]
pub struct Audit<'a> {
    conn: &'a Connection,
}

impl<'a> Audit<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn record(&self, event: &AuditEvent) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit_events (at, actor_id, channel, action, target_id, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                to_ms(event.at),
                event.actor_id,
                event.channel,
                event.action,
                event.target_id,
                event.details
            ],
        )?;
        Ok(())
    }

    /// The events about any of `targets`, oldest first.
    pub fn for_targets(&self, targets: &[i64]) -> Result<Vec<AuditEvent>> {
        let sql =
            format!("SELECT {COLUMNS} FROM audit_events WHERE target_id = ?1 ORDER BY at, id");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut events = Vec::new();
        for target in targets {
            let rows = statement.query_map([target], read_row)?;
            for row in rows {
                events.push(row?);
            }
        }
        events.sort_by_key(|e| e.at);
        Ok(events)
    }

    /// The newest `limit` events, newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<AuditEvent>> {
        let sql = format!("SELECT {COLUMNS} FROM audit_events ORDER BY at DESC, id DESC LIMIT ?1");
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map([limit as i64], read_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// An event from a row of [`COLUMNS`].
fn read_row(row: &Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        at: from_ms(row.get(0)?),
        actor_id: row.get(1)?,
        channel: row.get(2)?,
        action: row.get(3)?,
        target_id: row.get(4)?,
        details: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store, t};
    use super::*;

    #[test]
    fn events_come_back_newest_first() {
        let store = store();
        for (i, action) in ["set_level", "rename"].iter().enumerate() {
            store
                .audit()
                .record(&AuditEvent {
                    at: t(i as i64),
                    actor_id: Some(1),
                    channel: "telegram".into(),
                    action: (*action).into(),
                    target_id: Some(3),
                    details: "level 2".into(),
                })
                .expect("record");
        }
        let events = store.audit().recent(10).expect("recent");
        assert_eq!(
            events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["rename", "set_level"]
        );
        assert_eq!(store.audit().recent(1).expect("recent").len(), 1);
        let about = |ids: &[i64]| store.audit().for_targets(ids).expect("for targets").len();
        assert_eq!(about(&[3]), 2, "both events are about user 3");
        assert_eq!(about(&[4, 5]), 0, "none about others");
    }
}
