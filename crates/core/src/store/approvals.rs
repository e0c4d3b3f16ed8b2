//! `approval_requests` and `approval_decisions`: the client's consent record for recommended
//! work (SPEC §4.6). Every decision is a new row, so changes of mind stay on record; the latest
//! decision counts until staff close the request.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, from_ms, text_enum, to_ms};
use crate::phone::Phone;

text_enum!(Decision, "approval_decisions.decision" {
    Approve = "approve",
    Decline = "decline",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub id: i64,
    pub order_no: String,
    pub order_folder: String,
    pub staff_id: i64,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalDecision {
    pub id: i64,
    pub request_id: i64,
    pub client_id: i64,
    /// The client's verified phone at the time of the decision.
    pub phone: Phone,
    pub decision: Decision,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Approvals<'a> {
    conn: &'a Connection,
}

impl<'a> Approvals<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn create_request(
        &self,
        order_no: &str,
        order_folder: &str,
        staff_id: i64,
        description: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO approval_requests (order_no, order_folder, staff_id, description, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![order_no, order_folder, staff_id, description, to_ms(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn request(&self, id: i64) -> Result<Option<ApprovalRequest>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, order_no, order_folder, staff_id, description, created_at, closed_at
                 FROM approval_requests WHERE id = ?1",
                [id],
                |row| {
                    Ok(ApprovalRequest {
                        id: row.get(0)?,
                        order_no: row.get(1)?,
                        order_folder: row.get(2)?,
                        staff_id: row.get(3)?,
                        description: row.get(4)?,
                        created_at: from_ms(row.get(5)?),
                        closed_at: row.get::<_, Option<i64>>(6)?.map(from_ms),
                    })
                },
            )
            .optional()?)
    }

    /// Records a decision and returns its id; `None` (and nothing recorded) when the request is
    /// closed or unknown.
    pub fn decide(
        &self,
        request_id: i64,
        client_id: i64,
        phone: &Phone,
        decision: Decision,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let inserted = self.conn.execute(
            "INSERT INTO approval_decisions (request_id, client_id, phone, decision, decided_at)
             SELECT id, ?2, ?3, ?4, ?5 FROM approval_requests WHERE id = ?1 AND closed_at IS NULL",
            params![
                request_id,
                client_id,
                phone.digits(),
                decision.as_str(),
                to_ms(now)
            ],
        )?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    /// Staff close the request: decisions are final from now on.
    pub fn close(&self, request_id: i64, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE approval_requests SET closed_at = ?2 WHERE id = ?1 AND closed_at IS NULL",
            params![request_id, to_ms(now)],
        )? == 1)
    }

    /// Every request of an order with its decisions, oldest first.
    pub fn by_order(
        &self,
        order_no: &str,
    ) -> Result<Vec<(ApprovalRequest, Vec<ApprovalDecision>)>> {
        let ids: Vec<i64> = {
            let mut statement = self.conn.prepare_cached(
                "SELECT id FROM approval_requests WHERE order_no = ?1 ORDER BY created_at, id",
            )?;
            let rows = statement.query_map([order_no], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(request) = self.request(id)? {
                found.push((request, self.decisions(id)?));
            }
        }
        Ok(found)
    }

    /// Every decision on a request, oldest first; the last one counts.
    pub fn decisions(&self, request_id: i64) -> Result<Vec<ApprovalDecision>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT request_id, client_id, phone, decision, decided_at, id FROM approval_decisions
             WHERE request_id = ?1 ORDER BY decided_at, id",
        )?;
        let rows = statement.query_map([request_id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get(4)?,
                row.get(5)?,
            ))
        })?;
        let mut decisions = Vec::new();
        for row in rows {
            let (request_id, client_id, phone, decision, at, id) = row?;
            decisions.push(ApprovalDecision {
                id,
                request_id,
                client_id,
                phone: Phone::from_stored(phone),
                decision: Decision::parse(&decision)?,
                decided_at: from_ms(at),
            });
        }
        Ok(decisions)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{store_with_users, t};
    use super::*;

    #[test]
    fn decisions_can_change_until_closed() {
        let store = store_with_users();
        let approvals = store.approvals();
        let phone = Phone::normalize("89123456789", "7").expect("phone");
        let id = approvals
            .create_request("ЗН-1", "ЗН-1", 2, "Замена колодок — 4 500 ₽", t(0))
            .expect("create");
        let first = approvals
            .decide(id, 3, &phone, Decision::Approve, t(1))
            .expect("approve")
            .expect("recorded");
        let second = approvals
            .decide(id, 3, &phone, Decision::Decline, t(2))
            .expect("change of mind")
            .expect("recorded");
        assert!(approvals.close(id, t(3)).expect("close"));
        assert!(!approvals.close(id, t(4)).expect("already closed"));
        assert_eq!(
            approvals
                .decide(id, 3, &phone, Decision::Approve, t(5))
                .expect("closed"),
            None
        );
        assert_eq!(
            approvals
                .decide(999, 3, &phone, Decision::Approve, t(5))
                .expect("unknown"),
            None
        );
        let decisions = approvals.decisions(id).expect("decisions");
        assert_eq!(
            decisions.iter().map(|d| d.decision).collect::<Vec<_>>(),
            [Decision::Approve, Decision::Decline]
        );
        assert_eq!(decisions[1].phone, phone);
        assert_eq!(
            decisions.iter().map(|d| d.id).collect::<Vec<_>>(),
            [first, second]
        );
        let request = approvals.request(id).expect("request").expect("exists");
        assert_eq!(request.closed_at, Some(t(3)));
        let of_order = approvals.by_order("ЗН-1").expect("by order");
        assert_eq!(of_order.len(), 1);
        assert_eq!(of_order[0].1.len(), 2, "both decisions, with the request");
        assert!(approvals.by_order("ЗН-2").expect("by order").is_empty());
        assert_eq!(request.description, "Замена колодок — 4 500 ₽");
    }
}
