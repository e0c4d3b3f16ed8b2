//! Rules for names that must be legal on Windows (NTFS and SMB shares), shared by the config
//! validation and the media store's file naming.

/// Characters Windows refuses in a file or folder name.
pub(crate) const FORBIDDEN_CHARS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Device names Windows reserves whatever the extension (`CON.txt` is still `CON`), including
/// the superscript-digit ports (`COM¹`) and the console's own `CONIN$` / `CONOUT$`.
const RESERVED_STEMS: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
    "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³", "CONIN$", "CONOUT$",
];

/// Whether `name` is a reserved device name, with or without an extension.
pub(crate) fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    RESERVED_STEMS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(stem))
}

/// Why a name cannot be a Windows file or folder name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    ForbiddenCharacter,
    RelativePath,
    EdgeSpaceOrDot,
    Reserved,
    TooLong,
}

impl NameProblem {
    /// The reason in English, for the command line and logs.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::ForbiddenCharacter => {
                "contains a character Windows forbids (<>:\"/\\|?* or a control character)"
            }
            Self::RelativePath => "is a relative path",
            Self::EdgeSpaceOrDot => "starts or ends with a space or ends with a dot",
            Self::Reserved => "is a name Windows reserves (CON, PRN, AUX, NUL, COM1…, LPT1…)",
            Self::TooLong => "is longer than 100 bytes",
        }
    }
}

/// Why `name` cannot be a Windows file or folder name, or `None` when it can.
pub(crate) fn problem(name: &str) -> Option<NameProblem> {
    if name.trim().is_empty() {
        return Some(NameProblem::Empty);
    }
    if name
        .chars()
        .any(|c| FORBIDDEN_CHARS.contains(&c) || c.is_control())
    {
        return Some(NameProblem::ForbiddenCharacter);
    }
    if name == "." || name == ".." {
        return Some(NameProblem::RelativePath);
    }
    if name.ends_with('.') || name.ends_with(' ') || name.starts_with(' ') {
        return Some(NameProblem::EdgeSpaceOrDot);
    }
    if is_reserved(name) {
        return Some(NameProblem::Reserved);
    }
    if name.len() > 100 {
        return Some(NameProblem::TooLong);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_caught_with_any_extension_or_case() {
        for name in [
            "CON",
            "con.txt",
            "Lpt1.jpg",
            "nul",
            "COM9.tar.gz",
            "com¹.log",
            "LPT³",
            "CONOUT$",
            "conin$.txt",
            "NUL .txt",
            "aux ",
        ] {
            assert!(is_reserved(name), "{name} must be reserved");
        }
        for name in [
            "CONSOLE",
            "icon.png",
            "LPT",
            "Inspection",
            "COM10",
            "COM¹0",
            "NULL",
        ] {
            assert!(!is_reserved(name), "{name} must be allowed");
        }
    }

    #[test]
    fn problems_are_named() {
        let cases = [
            ("Inspection", None),
            ("", Some(NameProblem::Empty)),
            ("a/b", Some(NameProblem::ForbiddenCharacter)),
            ("a:b", Some(NameProblem::ForbiddenCharacter)),
            ("tab\there", Some(NameProblem::ForbiddenCharacter)),
            ("..", Some(NameProblem::RelativePath)),
            ("trailing.", Some(NameProblem::EdgeSpaceOrDot)),
            (" leading", Some(NameProblem::EdgeSpaceOrDot)),
            ("AUX", Some(NameProblem::Reserved)),
            ("Com².txt", Some(NameProblem::Reserved)),
            ("trailing ", Some(NameProblem::EdgeSpaceOrDot)),
            ("dots...", Some(NameProblem::EdgeSpaceOrDot)),
        ];
        for (name, expected) in cases {
            assert_eq!(problem(name), expected, "{name:?}");
        }
        assert_eq!(problem(&"x".repeat(101)), Some(NameProblem::TooLong));
    }
}
