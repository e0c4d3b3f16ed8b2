//! Which files the window may read: only a file recorded in the media table, named by its
//! path relative to the orders root. This module checks the name itself (no `..`, no absolute
//! or drive paths, no empty parts); the app then resolves links and checks that the real file
//! is still inside the root ([`inside`]).

use std::path::{Component, Path};

/// Why a requested path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the path is empty")]
    Empty,
    #[error("the path is absolute; only paths inside the orders folder are served")]
    Absolute,
    #[error("the path climbs out with `..`")]
    ParentDirectory,
    #[error("the path has an empty, `.` or drive part")]
    BadPart,
    #[error("the file is not one the bot recorded")]
    NotRecorded,
    #[error("the file lies outside the orders folder")]
    OutsideRoot,
}

/// The parts of a path relative to the orders root (`/` or `\` between them), or why it is
/// refused.
pub fn relative_parts(text: &str) -> Result<Vec<&str>, Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::Empty);
    }
    let bytes = text.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if text.starts_with(['/', '\\']) || drive || Path::new(text).is_absolute() {
        return Err(Refusal::Absolute);
    }
    let parts: Vec<&str> = text.split(['/', '\\']).collect();
    if parts.contains(&"..") {
        return Err(Refusal::ParentDirectory);
    }
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || p.contains(':') || p.contains('\0'))
    {
        return Err(Refusal::BadPart);
    }
    Ok(parts)
}

/// `path` (absolute, as the media table records it) relative to `root` with `/` between the
/// parts, or `None` when it is not under `root` or climbs with `..`.
pub fn relative_to_root(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rest.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether `real` (links resolved) is inside `real_root` (links resolved).
pub fn inside(real_root: &Path, real: &Path) -> bool {
    real != real_root && real.starts_with(real_root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_refused_for_what_they_are() {
        let cases: &[(&str, Result<Vec<&str>, Refusal>)] = &[
            (
                "ЗН-1/Inspection/a.jpg",
                Ok(vec!["ЗН-1", "Inspection", "a.jpg"]),
            ),
            (
                "ЗН-1\\Inspection\\a.jpg",
                Ok(vec!["ЗН-1", "Inspection", "a.jpg"]),
            ),
            ("", Err(Refusal::Empty)),
            ("/etc/passwd", Err(Refusal::Absolute)),
            ("\\\\nas\\share\\a.jpg", Err(Refusal::Absolute)),
            ("C:\\Windows\\win.ini", Err(Refusal::Absolute)),
            ("c:a.jpg", Err(Refusal::Absolute)),
            ("ЗН-1/../../etc/passwd", Err(Refusal::ParentDirectory)),
            ("..", Err(Refusal::ParentDirectory)),
            ("ЗН-1//a.jpg", Err(Refusal::BadPart)),
            ("ЗН-1/./a.jpg", Err(Refusal::BadPart)),
            ("ЗН-1/a.jpg:stream", Err(Refusal::BadPart)),
        ];
        for (text, expected) in cases {
            assert_eq!(&relative_parts(text), expected, "{text:?}");
        }
    }

    #[test]
    fn recorded_paths_become_root_relative() {
        let root = Path::new("/srv/photo");
        assert_eq!(
            relative_to_root(root, Path::new("/srv/photo/ЗН-1/Inspection/a.jpg")).as_deref(),
            Some("ЗН-1/Inspection/a.jpg")
        );
        assert_eq!(relative_to_root(root, Path::new("/srv/other/a.jpg")), None);
        assert_eq!(relative_to_root(root, Path::new("/srv/photo/../x")), None);
        assert_eq!(relative_to_root(root, root), None);
        assert!(inside(root, Path::new("/srv/photo/a/b.jpg")));
        assert!(!inside(root, Path::new("/srv/photography/b.jpg")));
        assert!(!inside(root, root));
    }
}
