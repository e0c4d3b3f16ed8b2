//! Windows path rules, written as functions of the text so that they are tested on every
//! platform: which roots are absolute (`D:\Photo`, `\\nas\service\Photo`, `\\?\…`), how a
//! verbatim path is shown to a person, and the classic 260-character limit (`MAX_PATH`).
//!
//! Rust's `std::fs` reaches paths longer than `MAX_PATH` by itself (it adds the `\\?\`
//! prefix), but Explorer, Office and many viewers on the dealer's PC still cannot open such a
//! file, so the media store keeps every path it writes within the limit where it can.

/// The longest path, in UTF-16 units, that every Windows program opens: `MAX_PATH` (260)
/// less the terminating NUL.
pub const MAX_PATH_UNITS: usize = 259;

/// What kind of path a text is, by Windows' rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WinPathKind {
    /// `D:\Photo` or `D:/Photo`.
    Drive,
    /// `\\server\share\…` (an SMB share).
    Unc,
    /// `\\?\D:\…` or `\\?\UNC\server\share\…`: no parsing, no length limit.
    Verbatim,
    /// `\\.\…`: a device.
    Device,
    /// `D:Photo`: relative to drive D's current folder.
    DriveRelative,
    /// `\Photo`: relative to the current drive's root.
    RootRelative,
    /// `Photo`, `..\Photo`.
    Relative,
}

impl WinPathKind {
    /// Whether the path names the same place whatever the current folder and drive are.
    pub fn is_absolute(self) -> bool {
        matches!(
            self,
            Self::Drive | Self::Unc | Self::Verbatim | Self::Device
        )
    }
}

fn is_separator(c: char) -> bool {
    c == '\\' || c == '/'
}

/// The kind of `path` by Windows' rules (both `\` and `/` separate, as Windows allows).
pub fn classify(path: &str) -> WinPathKind {
    let mut chars = path.chars();
    let first = chars.next();
    let second = chars.next();
    let third = chars.next();
    match (first, second, third) {
        (Some(a), Some(b), Some('?' | '.'))
            if is_separator(a) && is_separator(b) && path[3..].starts_with(is_separator) =>
        {
            if third == Some('?') {
                WinPathKind::Verbatim
            } else {
                WinPathKind::Device
            }
        }
        (Some(a), Some(b), _) if is_separator(a) && is_separator(b) => {
            // `\\server\share`: both parts must be there.
            let mut parts = path[2..].split(is_separator);
            match (parts.next(), parts.next()) {
                (Some(server), Some(share)) if !server.is_empty() && !share.is_empty() => {
                    WinPathKind::Unc
                }
                _ => WinPathKind::Relative,
            }
        }
        (Some(a), _, _) if is_separator(a) => WinPathKind::RootRelative,
        (Some(letter), Some(':'), Some(c)) if letter.is_ascii_alphabetic() && is_separator(c) => {
            WinPathKind::Drive
        }
        (Some(letter), Some(':'), _) if letter.is_ascii_alphabetic() => WinPathKind::DriveRelative,
        _ => WinPathKind::Relative,
    }
}

/// `path` as a person writes it: `\\?\D:\Photo` is `D:\Photo`, `\\?\UNC\nas\x` is `\\nas\x`.
pub fn display(path: &str) -> String {
    if let Some(rest) = path
        .strip_prefix(r"\\?\UNC\")
        .or_else(|| path.strip_prefix(r"\\?\unc\"))
    {
        return format!(r"\\{rest}");
    }
    match path.strip_prefix(r"\\?\") {
        Some(rest) if classify(rest) == WinPathKind::Drive => rest.to_owned(),
        _ => path.to_owned(),
    }
}

/// The length Windows counts: UTF-16 units (a Cyrillic letter is one, an emoji two).
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// How many UTF-16 units a file name in `folder` may have for the whole path to stay within
/// [`MAX_PATH_UNITS`] (the separator between them counted); `None` when the folder alone
/// already leaves no room for a sensible name.
pub fn name_budget(folder: &str) -> Option<usize> {
    let folder = display(folder);
    let used = units(folder.trim_end_matches(is_separator)) + 1;
    MAX_PATH_UNITS
        .checked_sub(used)
        .filter(|budget| *budget >= MIN_NAME_UNITS)
}

/// Below this a shortened name loses its date and author, so a longer path is written instead.
pub(crate) const MIN_NAME_UNITS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_the_dealer_uses_are_absolute_on_windows() {
        let cases = [
            (r"D:\Photo", WinPathKind::Drive),
            ("d:/Photo/", WinPathKind::Drive),
            (r"C:\", WinPathKind::Drive),
            (r"\\nas\service\Photo", WinPathKind::Unc),
            (r"\\192.168.1.10\фото", WinPathKind::Unc),
            ("//nas/service", WinPathKind::Unc),
            (r"\\?\D:\Photo", WinPathKind::Verbatim),
            (r"\\?\UNC\nas\service\Photo", WinPathKind::Verbatim),
            (r"\\.\pipe\x", WinPathKind::Device),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
            assert!(kind.is_absolute(), "{path} must count as absolute");
        }
    }

    #[test]
    fn roots_that_depend_on_the_current_folder_are_not_absolute() {
        let cases = [
            ("D:Photo", WinPathKind::DriveRelative),
            ("D:", WinPathKind::DriveRelative),
            (r"\Photo", WinPathKind::RootRelative),
            ("/srv/photo", WinPathKind::RootRelative),
            ("Photo", WinPathKind::Relative),
            (r"..\Photo", WinPathKind::Relative),
            (r"\\nas", WinPathKind::Relative),
            (r"\\", WinPathKind::Relative),
            ("", WinPathKind::Relative),
            ("ЗН-1:2", WinPathKind::Relative),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
            assert!(!kind.is_absolute(), "{path} must not count as absolute");
        }
    }

    #[test]
    fn verbatim_paths_are_shown_as_people_write_them() {
        assert_eq!(display(r"\\?\D:\Photo\ЗН-1"), r"D:\Photo\ЗН-1");
        assert_eq!(
            display(r"\\?\UNC\nas\service\Photo"),
            r"\\nas\service\Photo"
        );
        assert_eq!(display(r"\\nas\service"), r"\\nas\service");
        assert_eq!(display(r"D:\Photo"), r"D:\Photo");
        // A verbatim device path is left as it is: there is no shorter form.
        assert_eq!(display(r"\\?\Volume{1}\x"), r"\\?\Volume{1}\x");
    }

    #[test]
    fn the_name_budget_keeps_the_whole_path_within_max_path() {
        let folder = r"\\nas\service\Photo\ЗН-004512 А123ВС77\Inspection";
        let budget = name_budget(folder).expect("a usual folder leaves room");
        assert_eq!(units(folder) + 1 + budget, MAX_PATH_UNITS);
        // A trailing separator and a verbatim prefix change nothing.
        assert_eq!(name_budget(&format!("{folder}\\")), Some(budget));
        assert_eq!(
            name_budget(r"\\?\UNC\nas\service\Photo\ЗН-004512 А123ВС77\Inspection"),
            Some(budget)
        );
        // UTF-16 units, not bytes: Cyrillic counts once, an emoji twice.
        assert_eq!(units("Ж"), 1);
        assert_eq!(units("📷"), 2);
        assert_eq!(name_budget(&format!(r"D:\{}", "я".repeat(250))), None);
    }

    /// The rules above agree with the real Windows: `Path::is_absolute` there.
    #[cfg(windows)]
    #[test]
    fn the_rules_agree_with_windows_itself() {
        for path in [
            r"D:\Photo",
            r"\\nas\service\Photo",
            r"\\?\D:\Photo",
            "D:Photo",
            r"\Photo",
            "Photo",
        ] {
            assert_eq!(
                classify(path).is_absolute(),
                std::path::Path::new(path).is_absolute(),
                "{path}"
            );
        }
    }

    /// SPEC §2: an order's date is its folder's `CreationTime`, which adding files does not
    /// move; a creation time set by a copy (robocopy, Explorer) is the one used.
    #[cfg(windows)]
    #[test]
    fn order_dates_come_from_the_folders_creation_time() {
        use std::fs::{self, File, FileTimes, OpenOptions};
        use std::os::windows::fs::{FileTimesExt, OpenOptionsExt};
        use std::time::{Duration, SystemTime};

        use chrono::{DateTime, Utc};

        use crate::orders::DateSource;
        use crate::orders::scan::{MemoryLedger, scan_root};

        /// Lets a folder be opened as a file handle (to set its times).
        const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;
        let scan = |root: &std::path::Path| {
            let mut ledger = MemoryLedger::default();
            let orders = scan_root(root, "closed", &mut ledger, Utc::now()).expect("scan");
            assert_eq!(orders.len(), 1, "{orders:?}");
            orders[0].clone()
        };
        let root = tempfile::tempdir().expect("temp root");
        let order = root.path().join("ЗН-004512 А123ВС77");
        fs::create_dir(&order).expect("order folder");
        let created = fs::metadata(&order)
            .and_then(|m| m.created())
            .expect("CreationTime");

        // Files added later move the folder's modification time, never its creation time.
        std::thread::sleep(Duration::from_millis(50));
        File::create(order.join("phone.txt")).expect("phone file");
        fs::create_dir(order.join("Inspection")).expect("stage folder");
        let modified = fs::metadata(&order)
            .and_then(|m| m.modified())
            .expect("LastWriteTime");
        assert!(modified > created, "the folder's modification time moved");
        let found = scan(root.path());
        assert_eq!(found.date_source, DateSource::Birth);
        let reported = fs::metadata(&order)
            .and_then(|m| m.created())
            .expect("CreationTime");
        assert_eq!(
            found.created,
            DateTime::<Utc>::from(reported),
            "the date is the CreationTime"
        );

        // Wine keeps files on a Linux file system: it reports the change time as the creation
        // time and cannot set one, so the rest holds on Windows only (installer/README.md).
        if std::path::Path::new(r"C:\windows\system32\wineboot.exe").exists() {
            eprintln!("note: under wine CreationTime is the Linux change time; rest skipped");
            return;
        }
        assert_eq!(
            reported, created,
            "adding files does not move the CreationTime"
        );

        // A folder copied with its times keeps its creation day: 2024-01-15 12:00 UTC.
        let copied = SystemTime::UNIX_EPOCH + Duration::from_secs(1_705_320_000);
        OpenOptions::new()
            .write(true)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(&order)
            .and_then(|folder| folder.set_times(FileTimes::new().set_created(copied)))
            .expect("set the folder's creation time");
        let found = scan(root.path());
        assert_eq!(
            found.created.timestamp(),
            1_705_320_000,
            "the CreationTime as set"
        );
        let day = DateTime::<chrono::Local>::from(copied).date_naive();
        assert_eq!(found.date, day, "the calendar day is the creation day");
    }
}
