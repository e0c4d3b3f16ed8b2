//! The media store: the only code that writes under the orders root (invariant 3).
//!
//! Every file is first streamed into the local spool (SHA-256 computed while writing), then
//! copied into `<root>/<order>/<stage>/` through a temporary file in that folder and a
//! no-clobber link or rename. A file that cannot be placed (root unreachable, order folder gone,
//! write refused) stays in the spool with the reason and is placed by [`MediaStore::drain_spool`]
//! when the root is back. So success is reported only after the file is in place, and nothing is
//! lost either way.

pub mod naming;
mod place;
mod spool;

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use spool::SpoolEntry;

/// Where a file goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The order folder's name under the root.
    pub order_folder: String,
    /// The stage folder (or `FromClient`) inside the order folder.
    pub stage_folder: String,
    /// The wanted file name (see [`naming::file_name`]); a suffix is added if it is taken.
    pub file_name: String,
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// The file is in the order folder.
    Stored {
        path: PathBuf,
        size: u64,
        sha256: String,
    },
    /// The file is held in the spool and will be placed when possible.
    Spooled {
        spool_id: String,
        size: u64,
        sha256: String,
        reason: String,
    },
}

impl Saved {
    pub fn sha256(&self) -> &str {
        match self {
            Saved::Stored { sha256, .. } | Saved::Spooled { sha256, .. } => sha256,
        }
    }

    pub fn size(&self) -> u64 {
        match self {
            Saved::Stored { size, .. } | Saved::Spooled { size, .. } => *size,
        }
    }
}

/// Why nothing was saved at all.
#[derive(Debug, thiserror::Error)]
pub enum MediaStoreError {
    #[error("invalid {what} name {name:?}: must be one folder name, not a path")]
    InvalidTarget { what: &'static str, name: String },
    #[error("reading the file failed: {0}")]
    Read(std::io::Error),
    #[error("the local spool folder {path} cannot be written: {source}")]
    Spool {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("order folder {0} no longer exists (moved or closed)")]
    OrderMissing(PathBuf),
}

/// Writes a document the manager asked for (the evidence pack) into an existing order folder:
/// a temporary file in that folder, flushed, then renamed over any earlier one of that name.
/// The order folder is never created: a missing one was moved away or closed.
pub fn write_into_order(
    root: &Path,
    order_folder: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<PathBuf, MediaStoreError> {
    check_component("order folder", order_folder)?;
    check_component("file", file_name)?;
    let dir = root.join(order_folder);
    if !dir.is_dir() {
        return Err(MediaStoreError::OrderMissing(dir));
    }
    let path = dir.join(file_name);
    crate::atomic_file::write(&path, bytes).map_err(|source| MediaStoreError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Writes `bytes` to `path` (a place the user chose, or the app's own cache) atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), MediaStoreError> {
    crate::atomic_file::write(path, bytes).map_err(|source| MediaStoreError::Write {
        path: path.to_owned(),
        source,
    })
}

/// A spooled file that reached its order folder, or still cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drained {
    Placed { spool_id: String, path: PathBuf },
    StillHeld { spool_id: String, reason: String },
}

/// Writes media files under the orders root, through the spool.
#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
    spool_dir: PathBuf,
}

impl MediaStore {
    pub fn new(root: impl Into<PathBuf>, spool_dir: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            spool_dir: spool_dir.into(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Saves everything `source` yields to `target`.
    pub fn save(&self, target: &Target, source: &mut dyn Read) -> Result<Saved, MediaStoreError> {
        check_component("order folder", &target.order_folder)?;
        check_component("stage folder", &target.stage_folder)?;
        check_component("file", &target.file_name)?;
        let entry = spool::write(&self.spool_dir, target, source)?;
        Ok(self.place_or_hold(entry))
    }

    /// Saves a file that is already on this machine (a local Bot API server's `getFile` path).
    pub fn save_from_path(&self, target: &Target, path: &Path) -> Result<Saved, MediaStoreError> {
        let mut file = std::fs::File::open(path).map_err(MediaStoreError::Read)?;
        self.save(target, &mut file)
    }

    /// Files waiting in the spool.
    pub fn spooled(&self) -> Result<Vec<SpoolEntry>, MediaStoreError> {
        spool::list(&self.spool_dir)
    }

    /// Tries to place every spooled file.
    pub fn drain_spool(&self) -> Result<Vec<Drained>, MediaStoreError> {
        Ok(spool::list(&self.spool_dir)?
            .into_iter()
            .map(|entry| {
                let spool_id = entry.id.clone();
                match self.place_or_hold(entry) {
                    Saved::Stored { path, .. } => Drained::Placed { spool_id, path },
                    Saved::Spooled { reason, .. } => Drained::StillHeld { spool_id, reason },
                }
            })
            .collect())
    }

    fn place_or_hold(&self, entry: SpoolEntry) -> Saved {
        match place::place(&self.root, &entry) {
            Ok(path) => {
                entry.remove();
                Saved::Stored {
                    path,
                    size: entry.meta.size,
                    sha256: entry.meta.sha256,
                }
            }
            Err(reason) => {
                let reason = reason.to_string();
                entry.record_failure(&reason);
                Saved::Spooled {
                    spool_id: entry.id,
                    size: entry.meta.size,
                    sha256: entry.meta.sha256,
                    reason,
                }
            }
        }
    }
}

fn check_component(what: &'static str, name: &str) -> Result<(), MediaStoreError> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || Path::new(name).is_absolute();
    if bad {
        return Err(MediaStoreError::InvalidTarget {
            what,
            name: name.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
