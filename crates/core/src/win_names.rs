//! Rules for names that must be legal on Windows (NTFS and SMB shares), shared by the config
//! validation and the media store's file naming.

/// Characters Windows refuses in a file or folder name.
pub(crate) const FORBIDDEN_CHARS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Device names Windows reserves whatever the extension (`CON.txt` is still `CON`).
const RESERVED_STEMS: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Whether `name` is a reserved device name, with or without an extension.
pub(crate) fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    RESERVED_STEMS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(stem))
}

/// Why `name` cannot be a Windows file or folder name, or `None` when it can.
pub(crate) fn problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("is empty");
    }
    if name
        .chars()
        .any(|c| FORBIDDEN_CHARS.contains(&c) || c.is_control())
    {
        return Some("contains a character Windows forbids (<>:\"/\\|?* or a control character)");
    }
    if name == "." || name == ".." {
        return Some("is a relative path");
    }
    if name.ends_with('.') || name.ends_with(' ') || name.starts_with(' ') {
        return Some("starts or ends with a space or ends with a dot");
    }
    if is_reserved(name) {
        return Some("is a name Windows reserves (CON, PRN, AUX, NUL, COM1…, LPT1…)");
    }
    if name.len() > 100 {
        return Some("is longer than 100 bytes");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_caught_with_any_extension_or_case() {
        for name in ["CON", "con.txt", "Lpt1.jpg", "nul", "COM9.tar.gz"] {
            assert!(is_reserved(name), "{name} must be reserved");
        }
        for name in ["CONSOLE", "icon.png", "LPT", "Inspection"] {
            assert!(!is_reserved(name), "{name} must be allowed");
        }
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(problem("Inspection"), None);
        assert!(problem("").is_some());
        assert!(problem("a/b").is_some());
        assert!(problem("a:b").is_some());
        assert!(problem("trailing.").is_some());
        assert!(problem("AUX").is_some());
        assert!(problem("tab\there").is_some());
    }
}
