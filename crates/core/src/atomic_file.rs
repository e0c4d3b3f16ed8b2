//! Atomic file writes: a temporary file in the destination folder, flushed to disk, then renamed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A string no other call of this process or another one returns: process id, a counter and
/// the clock's nanoseconds.
pub(crate) fn unique_suffix() -> String {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}-{n}-{nanos}", std::process::id())
}

/// A temporary name in `dir` that no other writer will pick.
pub(crate) fn temp_path(dir: &Path) -> PathBuf {
    dir.join(format!(".servicebot-{}.part", unique_suffix()))
}

/// Removes temporary files a previous ServiceBot process left in `dir` when it died mid-write
/// (a power cut between creating the temporary file and renaming it). Only one ServiceBot runs
/// against an orders folder (single instance; a second bot with the same token is refused by
/// Telegram), so a temporary file of another process id is a leftover. Returns how many went.
pub(crate) fn remove_leftover_temps(dir: &Path) -> usize {
    let ours = format!(".servicebot-{}-", std::process::id());
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".servicebot-")
            && name.ends_with(".part")
            && !name.starts_with(&ours)
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Replaces `path` with `bytes` atomically.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let temp = temp_path(dir);
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Flushes a folder's entries so a rename survives a power cut. Windows has no such call for
/// folders (NTFS journals the rename), so it is a no-op there.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, reason = "test code")]
    use super::*;

    #[test]
    fn leftovers_of_other_processes_go_and_our_own_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let leftover = dir.path().join(".servicebot-1-0-5.part");
        let ours = temp_path(dir.path());
        let file = dir.path().join("photo.jpg");
        for path in [&leftover, &ours, &file] {
            fs::write(path, b"x").expect("write");
        }
        assert_eq!(remove_leftover_temps(dir.path()), 1);
        assert!(
            !leftover.exists(),
            "a dead process's temporary file is removed"
        );
        assert!(ours.exists(), "a write in progress here is kept");
        assert!(file.exists(), "real files are never touched");
    }
}
