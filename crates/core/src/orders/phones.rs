//! The phone numbers listed in an order folder's phone file (SPEC §2), and a directory of all
//! open orders' phone files that re-reads only the files that changed.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

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

/// Every open order's phones, kept current by [`PhoneDirectory::refresh`]: a file is read again
/// only when its modification time or size changed, so a refresh of 100 000 orders is 100 000
/// `stat` calls, not 100 000 reads.
#[derive(Debug, Default)]
pub struct PhoneDirectory {
    by_folder: HashMap<String, Listed>,
}

#[derive(Debug)]
struct Listed {
    stamp: Option<(SystemTime, u64)>,
    phones: Vec<Phone>,
}

impl PhoneDirectory {
    /// Brings the directory up to date with `folders` (the open orders). Returns the
    /// (folder, phone) pairs listed now that were not listed before.
    pub fn refresh<'a>(
        &mut self,
        root: &Path,
        folders: impl IntoIterator<Item = &'a str>,
        phone_file: &str,
        default_country_code: &str,
    ) -> Vec<(String, Phone)> {
        let mut added = Vec::new();
        let mut current = HashMap::with_capacity(self.by_folder.len());
        for folder in folders {
            let path = root.join(folder).join(phone_file);
            let stamp = std::fs::metadata(&path)
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            let previous = self.by_folder.remove(folder);
            let listed = match previous {
                Some(listed) if listed.stamp == stamp => listed,
                previous => {
                    let phones = match stamp {
                        Some(_) => order_phones(root, folder, phone_file, default_country_code),
                        None => Vec::new(),
                    };
                    let before = previous.map(|p| p.phones).unwrap_or_default();
                    added.extend(
                        phones
                            .iter()
                            .filter(|p| !before.contains(p))
                            .map(|p| (folder.to_owned(), p.clone())),
                    );
                    Listed { stamp, phones }
                }
            };
            current.insert(folder.to_owned(), listed);
        }
        self.by_folder = current;
        added
    }

    /// The folders whose phone file lists `phone`.
    pub fn folders_of(&self, phone: &Phone) -> Vec<String> {
        self.by_folder
            .iter()
            .filter(|(_, listed)| listed.phones.contains(phone))
            .map(|(folder, _)| folder.clone())
            .collect()
    }

    /// Whether no order has been looked at yet.
    pub fn is_empty(&self) -> bool {
        self.by_folder.is_empty()
    }

    /// The phones listed for `folder` (none when unknown).
    pub fn phones_of(&self, folder: &str) -> &[Phone] {
        self.by_folder
            .get(folder)
            .map_or(&[], |listed| listed.phones.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_reports_newly_listed_phones_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        for folder in ["A1", "A2"] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("order");
        }
        std::fs::write(dir.path().join("A1/phone.txt"), "89161234567").expect("write");
        let mut directory = PhoneDirectory::default();
        let added = directory.refresh(dir.path(), ["A1", "A2"], "phone.txt", "7");
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].0, "A1");
        assert!(
            directory
                .refresh(dir.path(), ["A1", "A2"], "phone.txt", "7")
                .is_empty()
        );
        std::fs::write(
            dir.path().join("A2/phone.txt"),
            "+7 916 123-45-67, 8 999 000 00 00",
        )
        .expect("write");
        let added = directory.refresh(dir.path(), ["A1", "A2"], "phone.txt", "7");
        assert_eq!(added.len(), 2, "{added:?}");
        let phone = Phone::normalize("9161234567", "7").expect("phone");
        let mut folders = directory.folders_of(&phone);
        folders.sort();
        assert_eq!(folders, ["A1", "A2"]);
        // A closed order (gone from the index) lists nobody any more.
        directory.refresh(dir.path(), ["A2"], "phone.txt", "7");
        assert_eq!(directory.folders_of(&phone), ["A2"]);
        assert!(directory.phones_of("A1").is_empty());
    }

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
