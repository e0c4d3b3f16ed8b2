//! Phone numbers: one normalisation everywhere (contacts, phone files, admin input, GUI), and
//! parsing of the phone files the dealer puts into order folders (SPEC §2, §4.1).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A normalised phone number: digits only, with the country code (`79123456789`).
///
/// `Debug` and `Display` mask the middle digits so full numbers never reach the logs;
/// [`Phone::digits`] gives the whole number to code that needs it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Normalises `raw`: keeps the digits; an 11-digit number starting with 8 becomes 7…; a
    /// 10-digit number gets `default_country_code`. Returns `None` for anything that is not then
    /// a plausible international number (11 to 15 digits).
    pub fn normalize(raw: &str, default_country_code: &str) -> Option<Self> {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let digits = match digits.len() {
            10 => format!("{default_country_code}{digits}"),
            11 if digits.starts_with('8') => format!("7{}", &digits[1..]),
            _ => digits,
        };
        (11..=15).contains(&digits.len()).then_some(Self(digits))
    }

    /// Like [`Phone::normalize`], but only for text that is a phone number and nothing else:
    /// digits with the usual punctuation (`+`, spaces, dashes, brackets, dots).
    pub fn parse_strict(raw: &str, default_country_code: &str) -> Option<Self> {
        let is_phone_char = |c: char| {
            c.is_ascii_digit()
                || matches!(c, '+' | '-' | '(' | ')' | '.' | ' ')
                || c.is_whitespace()
        };
        if raw.trim().is_empty() || !raw.chars().all(is_phone_char) {
            return None;
        }
        Self::normalize(raw, default_country_code)
    }

    /// A number read back from the database, where only normalised numbers are written.
    pub(crate) fn from_stored(digits: String) -> Self {
        Self(digits)
    }

    /// The full number, digits only.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// A form safe for logs: `7912***6789`.
    pub fn masked(&self) -> String {
        let d = &self.0;
        format!(
            "{}***{}",
            &d[..4.min(d.len())],
            &d[d.len().saturating_sub(4)..]
        )
    }

    /// A form for people: `+7 912 345-67-89` for Russian numbers, `+<digits>` otherwise.
    pub fn display_full(&self) -> String {
        let d = &self.0;
        if d.len() == 11 && d.starts_with('7') {
            format!("+7 {} {}-{}-{}", &d[1..4], &d[4..7], &d[7..9], &d[9..11])
        } else {
            format!("+{d}")
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Parses the content of a phone file: a BOM, CRLF, several numbers separated by newlines,
/// commas or semicolons; an optional label before a colon (`Иван: 8 912 …`). Pieces that are not
/// phone numbers are ignored; duplicates are listed once, in file order.
pub fn parse_phone_file(content: &str, default_country_code: &str) -> Vec<Phone> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut phones: Vec<Phone> = Vec::new();
    for piece in content.split(['\n', '\r', ',', ';']) {
        let number = piece.rsplit_once(':').map_or(piece, |(_, after)| after);
        if let Some(phone) = Phone::parse_strict(number, default_country_code)
            && !phones.contains(&phone)
        {
            phones.push(phone);
        }
    }
    phones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_table() {
        // (input, expected digits or None): each row is a form clients, staff or phone files use.
        let cases: &[(&str, Option<&str>)] = &[
            ("+7 (912) 345-67-89", Some("79123456789")),
            ("8 912 345 67 89", Some("79123456789")),
            ("89123456789", Some("79123456789")),
            ("79123456789", Some("79123456789")),
            ("+79123456789", Some("79123456789")),
            ("9123456789", Some("79123456789")),
            ("912-345-67-89", Some("79123456789")),
            ("(912) 345 67 89", Some("79123456789")),
            ("+375 29 123-45-67", Some("375291234567")),
            ("+44 20 7946 0958", Some("442079460958")),
            ("+1 (212) 555-0100", Some("12125550100")),
            ("8-800-555-35-35", Some("78005553535")),
            ("7 912 345 67 89", Some("79123456789")),
            ("12345", None),
            ("", None),
            ("+7", None),
            ("1234567890123456", None),
            ("912345678", None),
        ];
        for (raw, expected) in cases {
            let got = Phone::normalize(raw, "7");
            assert_eq!(
                got.as_ref().map(Phone::digits),
                *expected,
                "normalising {raw:?}"
            );
        }
    }

    #[test]
    fn default_country_code_applies_to_ten_digits_only() {
        assert_eq!(
            Phone::normalize("2912345678", "375").map(|p| p.0),
            Some("3752912345678".into())
        );
        assert_eq!(
            Phone::normalize("89123456789", "375").map(|p| p.0),
            Some("79123456789".into())
        );
    }

    #[test]
    fn strict_parsing_rejects_text_with_letters() {
        assert!(Phone::parse_strict("ЗН-0045122024", "7").is_none());
        assert!(Phone::parse_strict("tel 89123456789", "7").is_none());
        assert!(Phone::parse_strict(" +7 912 345-67-89\t", "7").is_some());
    }

    #[test]
    fn phone_file_table() {
        let p = |s: &str| s.to_owned();
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("79123456789", vec![p("79123456789")]),
            ("\u{feff}+7 (912) 345-67-89\r\n", vec![p("79123456789")]),
            (
                "89123456789\r\n89997776655\r\n",
                vec![p("79123456789"), p("79997776655")],
            ),
            (
                "8 912 345 67 89, 8 999 777 66 55",
                vec![p("79123456789"), p("79997776655")],
            ),
            (
                "9123456789;9997776655;",
                vec![p("79123456789"), p("79997776655")],
            ),
            (
                "Иван: 8 912 345 67 89\nМария: +7 999 777-66-55",
                vec![p("79123456789"), p("79997776655")],
            ),
            (
                "клиент\n\n  \n89123456789\nзвонить после 18:00",
                vec![p("79123456789")],
            ),
            ("89123456789\n+79123456789", vec![p("79123456789")]),
            ("", vec![]),
            ("\u{feff}", vec![]),
            ("нет телефона", vec![]),
            ("123", vec![]),
        ];
        for (content, expected) in cases {
            let got: Vec<String> = parse_phone_file(content, "7")
                .into_iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(got, expected, "parsing phone file {content:?}");
        }
    }

    #[test]
    fn phones_never_print_in_full() {
        let phone = Phone::normalize("+7 912 345 67 89", "7").expect("valid");
        assert_eq!(phone.to_string(), "7912***6789");
        assert_eq!(format!("{phone:?}"), "Phone(7912***6789)");
        assert_eq!(phone.display_full(), "+7 912 345-67-89");
    }
}
