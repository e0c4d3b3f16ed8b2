//! Listing the orders root: each direct subfolder that parses as an open order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Local, Utc};

use super::folder_name::OrderName;
use super::index::{DateSource, Order};

/// Remembers when ServiceBot first saw a folder, for file systems without a birth time.
pub trait FirstSeenLedger: Send {
    /// For each folder, the time it was first seen; folders seen for the first time are recorded
    /// with `now`.
    fn first_seen(
        &mut self,
        folders: &[String],
        now: DateTime<Utc>,
    ) -> HashMap<String, DateTime<Utc>>;
}

/// A ledger kept in memory only (tests, benchmarks, tools that must not write a database).
#[derive(Debug, Default)]
pub struct MemoryLedger(HashMap<String, DateTime<Utc>>);

impl FirstSeenLedger for MemoryLedger {
    fn first_seen(
        &mut self,
        folders: &[String],
        now: DateTime<Utc>,
    ) -> HashMap<String, DateTime<Utc>> {
        folders
            .iter()
            .map(|f| (f.clone(), *self.0.entry(f.clone()).or_insert(now)))
            .collect()
    }
}

/// Why the root could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("orders folder is not set in the configuration")]
    NotConfigured,
    #[error("orders folder {path} cannot be read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("orders folder {path} is not a folder")]
    NotAFolder { path: PathBuf },
}

/// Birth times before this are file systems reporting "unknown" as zero, not real dates.
const EARLIEST_PLAUSIBLE_BIRTH: i64 = 315_532_800; // 1980-01-01

/// Lists the open orders under `root`. Entries that are not folders, closed orders and names
/// that hold no order number are left out.
pub fn scan_root(
    root: &Path,
    closed_keyword: &str,
    ledger: &mut dyn FirstSeenLedger,
    now: DateTime<Utc>,
) -> Result<Vec<Order>, ScanError> {
    if root.as_os_str().is_empty() {
        return Err(ScanError::NotConfigured);
    }
    let unreadable = |source| ScanError::Unreadable {
        path: root.to_owned(),
        source,
    };
    let meta = std::fs::metadata(root).map_err(unreadable)?;
    if !meta.is_dir() {
        return Err(ScanError::NotAFolder {
            path: root.to_owned(),
        });
    }
    let mut born = Vec::new();
    let mut unborn = Vec::new();
    for entry in std::fs::read_dir(root).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            tracing::warn!(name = ?entry.file_name(), "skipping an order folder whose name is not valid Unicode");
            continue;
        };
        let Some(parsed) = OrderName::parse(&name, closed_keyword).filter(|p| !p.closed) else {
            continue;
        };
        // `DirEntry::metadata` does not follow links; a linked order folder is still an order.
        let Ok(meta) = std::fs::metadata(entry.path()) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        match birth_time(&meta) {
            Some(created) => born.push(make_order(name, parsed, created, DateSource::Birth)),
            None => unborn.push((name, parsed)),
        }
    }
    born.extend(date_by_ledger(unborn, ledger, now));
    Ok(born)
}

/// Looks at one folder under `root`: `Ok(None)` when it is gone, not a folder, closed or not an
/// order name.
pub fn scan_folder(
    root: &Path,
    name: &str,
    closed_keyword: &str,
    ledger: &mut dyn FirstSeenLedger,
    now: DateTime<Utc>,
) -> Option<Order> {
    let parsed = OrderName::parse(name, closed_keyword).filter(|p| !p.closed)?;
    let meta = std::fs::metadata(root.join(name))
        .ok()
        .filter(|m| m.is_dir())?;
    match birth_time(&meta) {
        Some(created) => Some(make_order(
            name.to_owned(),
            parsed,
            created,
            DateSource::Birth,
        )),
        None => date_by_ledger(vec![(name.to_owned(), parsed)], ledger, now).pop(),
    }
}

fn date_by_ledger(
    unborn: Vec<(String, OrderName)>,
    ledger: &mut dyn FirstSeenLedger,
    now: DateTime<Utc>,
) -> Vec<Order> {
    if unborn.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = unborn.iter().map(|(name, _)| name.clone()).collect();
    let seen = ledger.first_seen(&names, now);
    unborn
        .into_iter()
        .map(|(name, parsed)| {
            let created = seen.get(&name).copied().unwrap_or(now);
            make_order(name, parsed, created, DateSource::FirstSeen)
        })
        .collect()
}

/// The folder's creation time: Windows `CreationTime`, Linux `statx` birth time. Never the
/// modification or change time, which move whenever a file is added.
fn birth_time(meta: &std::fs::Metadata) -> Option<DateTime<Utc>> {
    let created: SystemTime = meta.created().ok()?;
    let created = DateTime::<Utc>::from(created);
    (created.timestamp() >= EARLIEST_PLAUSIBLE_BIRTH).then_some(created)
}

fn make_order(
    folder: String,
    parsed: OrderName,
    created: DateTime<Utc>,
    source: DateSource,
) -> Order {
    Order {
        folder,
        number: parsed.number,
        plate: parsed.plate,
        date: created.with_timezone(&Local).date_naive(),
        created,
        date_source: source,
    }
}
