//! The local spool: files waiting for the orders root. Each entry is `<id>.data` plus
//! `<id>.json` (its target, size and hash); the JSON is written last, so an entry without one is
//! an interrupted write and is cleaned up.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{MediaStoreError, Target};
use crate::atomic_file;

/// What the spool knows about a held file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpoolMeta {
    pub target: Target,
    pub size: u64,
    pub sha256: String,
    /// Why it could not be placed the last time it was tried.
    #[serde(default)]
    pub last_error: Option<String>,
}

/// A held file.
#[derive(Debug, Clone)]
pub struct SpoolEntry {
    pub id: String,
    pub meta: SpoolMeta,
    pub(super) data_path: PathBuf,
    meta_path: PathBuf,
}

impl SpoolEntry {
    /// Deletes the entry once its file is in place.
    pub(super) fn remove(&self) {
        // Meta first: a leftover data file without meta is cleaned up on the next listing.
        if let Err(error) = fs::remove_file(&self.meta_path) {
            tracing::warn!(%error, id = %self.id, "cannot remove a placed spool entry");
        }
        let _ = fs::remove_file(&self.data_path);
    }

    pub(super) fn record_failure(&self, reason: &str) {
        let mut meta = self.meta.clone();
        meta.last_error = Some(reason.to_owned());
        if let Ok(json) = serde_json::to_vec_pretty(&meta) {
            let _ = atomic_file::write(&self.meta_path, &json);
        }
    }
}

/// Streams `source` into a new spool entry, hashing as it writes.
pub(super) fn write(
    spool_dir: &Path,
    target: &Target,
    source: &mut dyn Read,
) -> Result<SpoolEntry, MediaStoreError> {
    let spool_error = |source| MediaStoreError::Spool {
        path: spool_dir.to_owned(),
        source,
    };
    fs::create_dir_all(spool_dir).map_err(spool_error)?;
    let id = new_id();
    let data_path = spool_dir.join(format!("{id}.data"));
    let meta_path = spool_dir.join(format!("{id}.json"));
    let result = copy_hashing(source, &data_path);
    let (size, sha256) = match result {
        Ok(done) => done,
        Err(error) => {
            let _ = fs::remove_file(&data_path);
            return Err(error);
        }
    };
    let meta = SpoolMeta {
        target: target.clone(),
        size,
        sha256,
        last_error: None,
    };
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| spool_error(io::Error::other(e)))?;
    atomic_file::write(&meta_path, &json).map_err(spool_error)?;
    Ok(SpoolEntry {
        id,
        meta,
        data_path,
        meta_path,
    })
}

/// Every complete entry, oldest first. Interrupted writes are removed.
pub(super) fn list(spool_dir: &Path) -> Result<Vec<SpoolEntry>, MediaStoreError> {
    let spool_error = |source| MediaStoreError::Spool {
        path: spool_dir.to_owned(),
        source,
    };
    let listing = match fs::read_dir(spool_dir) {
        Ok(listing) => listing,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(spool_error(error)),
    };
    let mut entries = Vec::new();
    for item in listing {
        let path = item.map_err(spool_error)?.path();
        let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let meta = fs::read(&path)
                    .ok()
                    .and_then(|bytes| serde_json::from_slice::<SpoolMeta>(&bytes).ok());
                let data_path = spool_dir.join(format!("{id}.data"));
                match meta {
                    Some(meta) if data_path.is_file() => entries.push(SpoolEntry {
                        id,
                        meta,
                        data_path,
                        meta_path: path,
                    }),
                    _ => {
                        tracing::error!(spool_entry = %id, "unreadable spool entry left in place for inspection")
                    }
                }
            }
            Some("data") if !spool_dir.join(format!("{id}.json")).exists() && is_stale(&path) => {
                let _ = fs::remove_file(&path);
            }
            _ => {}
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(entries)
}

/// A data file without meta is being written right now, or was interrupted long ago.
fn is_stale(path: &Path) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(3600))
}

fn copy_hashing(source: &mut dyn Read, path: &Path) -> Result<(u64, String), MediaStoreError> {
    let spool_error = |source| MediaStoreError::Spool {
        path: path.to_owned(),
        source,
    };
    let mut file = File::create(path).map_err(spool_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(MediaStoreError::Read(error)),
        };
        hasher.update(&buffer[..n]);
        file.write_all(&buffer[..n]).map_err(spool_error)?;
        size += n as u64;
    }
    file.sync_all().map_err(spool_error)?;
    Ok((size, hex::encode(hasher.finalize())))
}

/// Sortable by creation, unique across threads and processes.
fn new_id() -> String {
    format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
        atomic_file::unique_suffix()
    )
}
