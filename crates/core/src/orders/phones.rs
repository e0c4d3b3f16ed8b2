//! The phone numbers listed in an order folder's phone file (SPEC §2).

use std::path::Path;

use crate::phone::{Phone, parse_phone_file};

/// The numbers in `<root>/<folder>/<phone_file>`; none when the file is missing or unreadable
/// (the order then simply has no connected client).
pub fn order_phones(
    root: &Path,
    folder: &str,
    phone_file: &str,
    default_country_code: &str,
) -> Vec<Phone> {
    let path = root.join(folder).join(phone_file);
    match std::fs::read(&path) {
        Ok(bytes) => parse_phone_file(&String::from_utf8_lossy(&bytes), default_country_code),
        Err(error) => {
            if error.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(%error, folder, "cannot read the order's phone file");
            }
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_phone_file_or_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("ЗН-1")).expect("order");
        std::fs::write(
            dir.path().join("ЗН-1").join("phone.txt"),
            "\u{feff}+7 (912) 345-67-89\r\n8 999 000 00 00",
        )
        .expect("write");
        let phones = order_phones(dir.path(), "ЗН-1", "phone.txt", "7");
        assert_eq!(
            phones.iter().map(Phone::digits).collect::<Vec<_>>(),
            ["79123456789", "79990000000"]
        );
        assert!(order_phones(dir.path(), "ЗН-2", "phone.txt", "7").is_empty());
    }
}
