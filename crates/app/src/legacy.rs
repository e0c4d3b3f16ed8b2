//! `servicebot import-legacy`: users and transcripts of the previous Python bot.

use std::path::Path;

use chrono::{Local, NaiveDateTime, TimeZone, Utc};
use servicebot_core::legacy::{ImportError, ImportReport, import};

use crate::{App, AppError, ErrorCode, Result};

impl App {
    /// Imports the previous bot's users from `database` and its transcripts from the order
    /// folders under `orders_root`. Running it again imports nothing new.
    pub fn import_legacy(&self, database: &Path, orders_root: &Path) -> Result<ImportReport> {
        if !database.is_file() {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("{} is not a file", database.display()),
            ));
        }
        // The old bot wrote local times (Python's ctime()).
        let to_utc = |at: NaiveDateTime| {
            Local.from_local_datetime(&at).earliest().map_or_else(
                || Utc.from_utc_datetime(&at),
                |local| local.with_timezone(&Utc),
            )
        };
        let mut store = self.store();
        let report = import(
            &mut store,
            database,
            orders_root,
            &self.config().phone.default_country_code,
            &to_utc,
            Utc::now(),
        )
        .map_err(|error| match error {
            ImportError::Legacy { .. } => AppError::new(ErrorCode::InvalidInput, error.to_string()),
            ImportError::Store(error) => error.into(),
        })?;
        tracing::info!(
            users = report.users_imported,
            entries = report.entries_imported,
            problems = report.problems.len(),
            "legacy import finished"
        );
        Ok(report)
    }
}
