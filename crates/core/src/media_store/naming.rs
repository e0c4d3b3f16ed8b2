//! File names under the orders root (SPEC §2): `YYYY-MM-DD_HH-MM-SS_<author>_<n>.<ext>`, with a
//! document's original name kept after the number, everything sanitised for Windows.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::store::MediaKind;
use crate::{win_names, win_paths};

/// Longest author part, in bytes.
const MAX_AUTHOR_BYTES: usize = 40;
/// Longest kept original name (without extension), in bytes: the whole path must stay well
/// under Windows' 260-character limit on deep shares.
const MAX_ORIGINAL_BYTES: usize = 80;
const MAX_EXTENSION_CHARS: usize = 10;

/// What a stored file is named after.
#[derive(Debug, Clone)]
pub struct NameParts<'a> {
    /// Local time the file was sent.
    pub taken_at: NaiveDateTime,
    /// Who sent it (display name).
    pub author: &'a str,
    /// Position in its message or album, from 1.
    pub index: u32,
    pub kind: MediaKind,
    /// The file name Telegram reported (documents, audio, some videos).
    pub original_name: Option<&'a str>,
    pub mime_type: Option<&'a str>,
}

/// The file name for `parts`: safe on Windows, never a path, never empty.
pub fn file_name(parts: &NameParts<'_>) -> String {
    let stamp = parts.taken_at.format("%Y-%m-%d_%H-%M-%S");
    let author = sanitize(parts.author, MAX_AUTHOR_BYTES).replace(' ', "_");
    let author = if author.is_empty() {
        "unknown".to_owned()
    } else {
        author
    };
    let ext = extension(parts.kind, parts.original_name, parts.mime_type);
    let original = match parts.kind {
        MediaKind::Document | MediaKind::Audio => parts
            .original_name
            .map(|name| sanitize(stem(name), MAX_ORIGINAL_BYTES))
            .filter(|stem| !stem.is_empty()),
        _ => None,
    };
    match original {
        Some(original) => format!("{stamp}_{author}_{}_{original}.{ext}", parts.index),
        None => format!("{stamp}_{author}_{}.{ext}", parts.index),
    }
}

/// The real extension: photos are JPEG (Telegram re-encodes them); otherwise the original
/// name's extension, else the MIME type's, else the kind's usual one.
pub fn extension(kind: MediaKind, original_name: Option<&str>, mime_type: Option<&str>) -> String {
    if kind == MediaKind::Photo {
        return "jpg".to_owned();
    }
    let from_name = original_name
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext);
    let from_mime = mime_type.and_then(extension_of_mime);
    let fallback = match kind {
        MediaKind::Photo => "jpg",
        MediaKind::Video | MediaKind::VideoNote => "mp4",
        MediaKind::Voice => "ogg",
        MediaKind::Audio => "mp3",
        MediaKind::Document => "bin",
    };
    [from_name, from_mime]
        .into_iter()
        .flatten()
        .map(clean_extension)
        .find(|ext| !ext.is_empty())
        .unwrap_or_else(|| fallback.to_owned())
}

fn extension_of_mime(mime: &str) -> Option<&'static str> {
    Some(match mime.trim().to_ascii_lowercase().as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/heic" => "heic",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/x-msvideo" => "avi",
        "video/webm" => "webm",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        "audio/mp4" | "audio/x-m4a" => "m4a",
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        "text/plain" => "txt",
        "application/msword" => "doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        _ => return None,
    })
}

fn clean_extension(ext: &str) -> String {
    ext.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(MAX_EXTENSION_CHARS)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn stem(name: &str) -> &str {
    // Only the last path component counts: `../../x.pdf` and `C:\a\b.pdf` keep `x` and `b`.
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    }
}

/// Makes `text` safe as part of a Windows file name: forbidden and control characters become
/// `_`, `..` disappears, leading and trailing dots and spaces go, a reserved device name gets a
/// `_` prefix, and the result is cut to `max_bytes` on a character boundary.
pub fn sanitize(text: &str, max_bytes: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if win_names::FORBIDDEN_CHARS.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    while out.contains("..") {
        out = out.replace("..", ".");
    }
    let mut out = out
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_owned();
    if win_names::is_reserved(&out) {
        out.insert(0, '_');
    }
    if out.len() > max_bytes {
        let mut cut = max_bytes;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out = out
            .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
            .to_owned();
    }
    out
}

/// Room kept for a clash suffix (` (12)`) when a name is shortened to fit.
const SUFFIX_UNITS: usize = 8;

/// `name`, shortened at the end of its stem (the original document name goes first, the date,
/// author and number stay) when `folder\name` would pass Windows' `MAX_PATH`: Explorer and
/// Office cannot open a longer path on many PCs, even though ServiceBot could write it. A
/// folder so deep that no sensible name fits gets the name whole.
pub fn fit_to_folder(folder: &Path, name: &str) -> String {
    let Some(budget) = win_paths::name_budget(&folder.to_string_lossy()) else {
        return name.to_owned();
    };
    let budget = budget.saturating_sub(SUFFIX_UNITS);
    if win_paths::units(name) <= budget {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let room = budget.saturating_sub(win_paths::units(&ext));
    let mut used = 0;
    let cut: String = stem
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    let cut = cut.trim_end_matches(|c: char| c == '.' || c == '_' || c.is_whitespace());
    format!("{cut}{ext}")
}

/// `name` with ` (n)` before the extension, for a name that is taken.
pub(super) fn with_suffix(name: &str, n: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem} ({n}).{ext}"),
        None => format!("{name} ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn parts<'a>(
        kind: MediaKind,
        original: Option<&'a str>,
        mime: Option<&'a str>,
    ) -> NameParts<'a> {
        NameParts {
            taken_at: NaiveDate::from_ymd_opt(2026, 11, 23)
                .and_then(|d| d.and_hms_opt(9, 5, 7))
                .expect("valid time"),
            author: "Иван Петров",
            index: 2,
            kind,
            original_name: original,
            mime_type: mime,
        }
    }

    #[test]
    fn names_follow_the_pattern() {
        assert_eq!(
            file_name(&parts(MediaKind::Photo, None, None)),
            "2026-11-23_09-05-07_Иван_Петров_2.jpg"
        );
        assert_eq!(
            file_name(&parts(MediaKind::Video, None, Some("video/quicktime"))),
            "2026-11-23_09-05-07_Иван_Петров_2.mov"
        );
        assert_eq!(
            file_name(&parts(MediaKind::Voice, None, Some("audio/ogg"))),
            "2026-11-23_09-05-07_Иван_Петров_2.ogg"
        );
        assert_eq!(
            file_name(&parts(
                MediaKind::Document,
                Some("Смета №5.PDF"),
                Some("application/pdf")
            )),
            "2026-11-23_09-05-07_Иван_Петров_2_Смета №5.pdf"
        );
        assert_eq!(
            file_name(&parts(MediaKind::Document, None, None)),
            "2026-11-23_09-05-07_Иван_Петров_2.bin"
        );
    }

    #[test]
    fn hostile_original_names_are_tamed() {
        let cases = [
            ("../x.pdf", "2026-11-23_09-05-07_Иван_Петров_2_x.pdf"),
            (
                "..\\..\\evil.exe",
                "2026-11-23_09-05-07_Иван_Петров_2_evil.exe",
            ),
            ("a/b.txt", "2026-11-23_09-05-07_Иван_Петров_2_b.txt"),
            ("CON.txt", "2026-11-23_09-05-07_Иван_Петров_2__CON.txt"),
            (
                "bad\u{7}name\n.doc",
                "2026-11-23_09-05-07_Иван_Петров_2_bad_name_.doc",
            ),
            (
                "what?*:<>|\".docx",
                "2026-11-23_09-05-07_Иван_Петров_2_what_______.docx",
            ),
            ("....", "2026-11-23_09-05-07_Иван_Петров_2.bin"),
        ];
        for (original, expected) in cases {
            assert_eq!(
                file_name(&parts(MediaKind::Document, Some(original), None)),
                expected,
                "original {original:?}"
            );
        }
    }

    #[test]
    fn long_names_are_cut_on_character_boundaries() {
        let long = format!("{}.pdf", "Ж".repeat(300));
        let name = file_name(&parts(MediaKind::Document, Some(&long), None));
        assert!(name.len() < 200, "name is {} bytes", name.len());
        assert!(name.ends_with(".pdf"));
        assert_eq!(sanitize(&"я".repeat(10), 5), "яя");
    }

    #[test]
    fn names_are_cut_to_keep_the_path_within_max_path() {
        let name = file_name(&parts(
            MediaKind::Document,
            Some(&format!("Акт {}.pdf", "осмотра ".repeat(20))),
            None,
        ));
        // A usual share: the name fits whole.
        let usual = Path::new(r"\\nas\service\Photo\ЗН-004512 А123ВС77\Inspection");
        assert_eq!(fit_to_folder(usual, &name), name);
        // A deep share: the original name is cut, the date, author, number and extension stay.
        let deep = format!(
            r"\\nas\service\{}\ЗН-004512 А123ВС77\Inspection",
            "Папка".repeat(30)
        );
        let fitted = fit_to_folder(Path::new(&deep), &name);
        assert_ne!(fitted, name, "a name that would pass MAX_PATH is shortened");
        assert!(
            fitted.starts_with("2026-11-23_09-05-07_Иван_Петров_2_Акт"),
            "{fitted}"
        );
        assert!(
            fitted.ends_with(".pdf") && !fitted.ends_with(" .pdf"),
            "{fitted}"
        );
        let total = win_paths::units(&deep) + 1 + win_paths::units(&fitted);
        assert!(
            total + SUFFIX_UNITS <= win_paths::MAX_PATH_UNITS,
            "{total} units"
        );
        // Too deep for any sensible name: the name is kept whole (std writes long paths).
        let abyss = format!(r"D:\{}", "я".repeat(240));
        assert_eq!(fit_to_folder(Path::new(&abyss), &name), name);
    }

    #[test]
    fn extensions_are_clean() {
        assert_eq!(extension(MediaKind::Document, Some("a.tar.GZ"), None), "gz");
        assert_eq!(
            extension(MediaKind::Document, Some("a.p/d\\f"), None),
            "pdf"
        );
        assert_eq!(
            extension(MediaKind::Video, Some("clip"), Some("video/webm")),
            "webm"
        );
        assert_eq!(
            extension(MediaKind::Audio, None, Some("unknown/type")),
            "mp3"
        );
        assert_eq!(with_suffix("a.jpg", 2), "a (2).jpg");
        assert_eq!(with_suffix("noext", 1), "noext (1)");
    }
}
