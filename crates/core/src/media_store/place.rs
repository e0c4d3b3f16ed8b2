//! Placing a spooled file into its order folder: temp file in the destination folder, flushed,
//! then linked (or renamed) to a name nobody else holds.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::naming::{fit_to_folder, with_suffix};
use super::spool::SpoolEntry;
use crate::atomic_file;

/// How many ` (n)` suffixes are tried before giving up on a name.
const MAX_SUFFIX: u32 = 10_000;

/// Why a file could not be placed; it stays in the spool.
#[derive(Debug, thiserror::Error)]
pub(super) enum PlaceError {
    #[error("orders folder {0} is unreachable: {1}")]
    RootUnreachable(PathBuf, io::Error),
    #[error("order folder {0} no longer exists (moved or closed)")]
    OrderMissing(PathBuf),
    #[error("cannot write into {0}: {1}")]
    Write(PathBuf, io::Error),
}

pub(super) fn place(root: &Path, entry: &SpoolEntry) -> Result<PathBuf, PlaceError> {
    let target = &entry.meta.target;
    match fs::metadata(root) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            let error = io::Error::new(io::ErrorKind::NotADirectory, "not a folder");
            return Err(PlaceError::RootUnreachable(root.to_owned(), error));
        }
        Err(error) => return Err(PlaceError::RootUnreachable(root.to_owned(), error)),
    }
    let order_dir = root.join(&target.order_folder);
    if !order_dir.is_dir() {
        // Never re-create an order folder: a missing one was moved away or closed.
        return Err(PlaceError::OrderMissing(order_dir));
    }
    let stage_dir = order_dir.join(&target.stage_folder);
    let write_error = |error| PlaceError::Write(stage_dir.clone(), error);
    match fs::create_dir(&stage_dir) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && stage_dir.is_dir() => {}
        Err(error) => return Err(write_error(error)),
    }
    let removed = atomic_file::remove_leftover_temps(&stage_dir);
    if removed > 0 {
        tracing::info!(removed, folder = %stage_dir.display(), "removed leftovers of an interrupted save");
    }
    let temp = atomic_file::temp_path(&stage_dir);
    let wanted = fit_to_folder(&stage_dir, &target.file_name);
    let result = copy_then_claim_name(entry, &temp, &stage_dir, &wanted);
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(write_error)
}

fn copy_then_claim_name(
    entry: &SpoolEntry,
    temp: &Path,
    dir: &Path,
    wanted: &str,
) -> io::Result<PathBuf> {
    {
        let mut from = File::open(&entry.data_path)?;
        let mut to = OpenOptions::new().write(true).create_new(true).open(temp)?;
        let copied = io::copy(&mut from, &mut to)?;
        if copied != entry.meta.size {
            return Err(io::Error::other(format!(
                "copied {copied} bytes of {}",
                entry.meta.size
            )));
        }
        to.sync_all()?;
    }
    for n in 0..MAX_SUFFIX {
        let name = if n == 0 {
            wanted.to_owned()
        } else {
            with_suffix(wanted, n)
        };
        let path = dir.join(&name);
        if claim(temp, &path)? {
            atomic_file::sync_dir(dir)?;
            return Ok(path);
        }
        if holds(&path, entry.meta.size, &entry.meta.sha256)? {
            // This very file was placed before (a save resumed after a crash, between the
            // rename and its record): the same message never becomes a second copy.
            fs::remove_file(temp)?;
            return Ok(path);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "every variant of the file name is taken",
    ))
}

/// Whether the file at `path` has exactly this size and SHA-256.
fn holds(path: &Path, size: u64, sha256: &str) -> io::Result<bool> {
    use sha2::{Digest, Sha256};
    if fs::metadata(path)?.len() != size {
        return Ok(false);
    }
    let mut hasher = Sha256::new();
    io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()) == sha256)
}

/// Moves `temp` to `path` unless `path` exists. A hard link is atomic and never replaces;
/// where links are not supported (some network shares) the name is reserved by an exclusive
/// create and then replaced by the rename.
fn claim(temp: &Path, path: &Path) -> io::Result<bool> {
    match fs::hard_link(temp, path) {
        Ok(()) => {
            fs::remove_file(temp)?;
            return Ok(true);
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(_) => {}
    }
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(error) => return Err(error),
    }
    fs::rename(temp, path)?;
    Ok(true)
}
