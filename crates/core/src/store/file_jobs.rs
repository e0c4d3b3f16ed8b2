//! File jobs: downloading and saving a recorded file is a durable job (SPEC §6). A job is a
//! `media` row whose storage is still `pending` and which names the file it becomes; it is
//! retried with backoff and resumed after a restart, and it ends with the row's storage outcome.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{MediaKind, Result, from_ms, to_ms};

/// What a job needs to know, fixed when the file is recorded so that a job run again after a
/// crash writes the same file name (and so never a second copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    pub file_name: String,
    /// The size Telegram reported, if it did (the worker pool budgets by it).
    pub file_size: Option<u64>,
    pub receipt_id: Option<i64>,
    pub tg_chat_id: i64,
    pub tg_message_id: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileJob {
    pub media_id: i64,
    pub kind: MediaKind,
    pub file_id: String,
    pub order_folder: String,
    pub stage_folder: String,
    pub file_name: String,
    pub file_size: Option<u64>,
    pub attempts: u32,
    pub receipt_id: Option<i64>,
}

const COLUMNS: &str = "id, kind, file_id, order_folder, stage_folder, file_name, file_size, \
     attempts, receipt_id";

#[derive(Debug)]
pub struct FileJobs<'a> {
    conn: &'a Connection,
}

impl<'a> FileJobs<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    /// Makes the pending media row `media_id` a job, due at once.
    pub fn schedule(&self, media_id: i64, spec: &JobSpec, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE media SET file_name = ?2, file_size = ?3, receipt_id = ?4, tg_chat_id = ?5,
                 tg_message_id = ?6, next_attempt_at = ?7
             WHERE id = ?1",
            params![
                media_id,
                spec.file_name,
                spec.file_size.map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
                spec.receipt_id,
                spec.tg_chat_id,
                spec.tg_message_id,
                to_ms(now)
            ],
        )?;
        Ok(())
    }

    /// Jobs due by `now`, oldest first, skipping `busy` ones (already running).
    pub fn due(&self, now: DateTime<Utc>, busy: &[i64], limit: usize) -> Result<Vec<FileJob>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM media
             WHERE storage = 'pending' AND file_name IS NOT NULL AND next_attempt_at <= ?1
             ORDER BY next_attempt_at, id LIMIT ?2"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let wanted = i64::try_from(limit + busy.len()).unwrap_or(i64::MAX);
        let rows = statement.query_map(params![to_ms(now), wanted], read_row)?;
        let mut jobs = Vec::new();
        for row in rows {
            let job = row??;
            if !busy.contains(&job.media_id) && jobs.len() < limit {
                jobs.push(job);
            }
        }
        Ok(jobs)
    }

    pub fn get(&self, media_id: i64) -> Result<Option<FileJob>> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE id = ?1 AND file_name IS NOT NULL");
        self.conn
            .query_row(&sql, [media_id], read_row)
            .optional()?
            .transpose()
    }

    /// When the next job falls due, if any is waiting.
    pub fn next_due_at(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<i64> = self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM media
             WHERE storage = 'pending' AND file_name IS NOT NULL",
            [],
            |row| row.get(0),
        )?;
        Ok(at.map(from_ms))
    }

    /// A transient failure (network, Telegram unavailable): try again at `at`.
    pub fn retry_later(&self, media_id: i64, at: DateTime<Utc>, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE media SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
             WHERE id = ?1",
            params![media_id, to_ms(at), error],
        )?;
        Ok(())
    }

    /// How many jobs are waiting or running.
    pub fn pending_count(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM media WHERE storage = 'pending' AND file_name IS NOT NULL",
            [],
            |row| row.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Storage outcomes (and last errors) of the files a receipt reports, in record order.
    pub fn of_receipt(
        &self,
        receipt_id: i64,
    ) -> Result<Vec<(super::StorageStatus, Option<String>)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT storage, last_error FROM media WHERE receipt_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([receipt_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
        })?;
        let mut outcomes = Vec::new();
        for row in rows {
            let (storage, error) = row?;
            outcomes.push((super::StorageStatus::parse(&storage)?, error));
        }
        Ok(outcomes)
    }

    /// The last error of a job's file (the technical detail, for the log and the GUI).
    pub fn last_error(&self, media_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_error FROM media WHERE id = ?1",
                [media_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Records why a job ended without storing its file.
    pub fn set_error(&self, media_id: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE media SET last_error = ?2 WHERE id = ?1",
            params![media_id, error],
        )?;
        Ok(())
    }
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<FileJob>> {
    let kind: String = row.get(1)?;
    let kind = match MediaKind::parse(&kind) {
        Ok(kind) => kind,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(FileJob {
        media_id: row.get(0)?,
        kind,
        file_id: row.get(2)?,
        order_folder: row.get(3)?,
        stage_folder: row.get(4)?,
        file_name: row.get(5)?,
        file_size: row
            .get::<_, Option<i64>>(6)?
            .map(|s| u64::try_from(s).unwrap_or(0)),
        attempts: row.get(7)?,
        receipt_id: row.get(8)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::StorageStatus;
    use super::super::media::tests::photo;
    use super::super::test_support::{store_with_users, t};
    use super::*;

    fn pending(order_no: &str, seconds: i64) -> crate::store::NewMedia {
        crate::store::NewMedia {
            storage: StorageStatus::Pending,
            spool_id: None,
            ..photo(order_no, seconds)
        }
    }

    fn spec(message_id: i32) -> JobSpec {
        JobSpec {
            file_name: format!("2026-01-01_10-00-00_Иван_{message_id}.jpg"),
            file_size: Some(1000),
            receipt_id: None,
            tg_chat_id: 2,
            tg_message_id: message_id,
        }
    }

    #[test]
    fn a_recorded_file_is_a_job_until_its_outcome_is_recorded() {
        let store = store_with_users();
        let a = store.media().insert(&pending("ЗН-1", 0)).expect("insert");
        let b = store.media().insert(&pending("ЗН-1", 1)).expect("insert");
        // A row without a job spec (recorded before this version) is not a job.
        let _old = store.media().insert(&pending("ЗН-1", 2)).expect("insert");
        store.file_jobs().schedule(a, &spec(1), t(0)).expect("a");
        store.file_jobs().schedule(b, &spec(2), t(1)).expect("b");
        let jobs = store.file_jobs();
        let due: Vec<i64> = jobs
            .due(t(1), &[], 10)
            .expect("due")
            .iter()
            .map(|j| j.media_id)
            .collect();
        assert_eq!(due, [a, b]);
        assert_eq!(
            jobs.due(t(1), &[a], 10).expect("busy skipped")[0].media_id,
            b
        );
        jobs.retry_later(a, t(60), "timeout").expect("retry");
        let job = jobs.due(t(1), &[], 10).expect("due");
        assert_eq!(job.len(), 1, "a waits for its next attempt");
        assert_eq!(jobs.next_due_at().expect("next"), Some(t(1)));
        assert_eq!(jobs.get(a).expect("get").expect("job").attempts, 1);
        assert_eq!(jobs.pending_count().expect("count"), 2);

        store
            .media()
            .set_storage(
                b,
                StorageStatus::Stored,
                Some("/x.jpg"),
                None,
                Some(3),
                None,
            )
            .expect("stored");
        assert_eq!(jobs.pending_count().expect("count"), 1);
        assert_eq!(jobs.next_due_at().expect("next"), Some(t(60)));
    }
}
