//! The phone numbers listed in an order folder's phone file (SPEC §2), and a directory of all
//! open orders' phone files that re-reads only the files that changed.

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
///
/// Held for the app's lifetime, so laid out for memory: only orders that have a phone file are
/// kept, their names in one block and their phones packed into numbers in another — about 60
/// bytes an order.
#[derive(Debug, Default)]
pub struct PhoneDirectory {
    /// Sorted by folder name.
    listed: Vec<Listed>,
    /// The listed folder names, back to back.
    names: String,
    /// The listed phones, back to back.
    phones: Vec<PackedPhone>,
    /// Whether [`PhoneDirectory::refresh`] ran at least once.
    read: bool,
}

#[derive(Debug, Clone, Copy)]
struct Listed {
    name_start: u32,
    name_len: u32,
    phones_start: u32,
    phones_len: u32,
    stamp: Stamp,
}

/// What says a phone file changed: its modification time and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified_nanos: u64,
    len: u64,
}

impl Stamp {
    fn of(metadata: &std::fs::Metadata) -> Self {
        let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        Self {
            modified_nanos: modified
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
            len: metadata.len(),
        }
    }
}

/// A normalised phone as one number: its digits after a leading 1, so that leading zeros
/// survive (at most 15 digits, so it fits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedPhone(u64);

impl PackedPhone {
    fn of(phone: &Phone) -> Option<Self> {
        format!("1{}", phone.digits()).parse().ok().map(Self)
    }

    fn unpack(self) -> Phone {
        Phone::from_stored(self.0.to_string().split_off(1))
    }
}

/// A position or length in the directory's blocks, which hold a few bytes per order.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
        let mut next = PhoneDirectory {
            listed: Vec::with_capacity(self.listed.len()),
            names: String::with_capacity(self.names.len()),
            phones: Vec::with_capacity(self.phones.len()),
            read: true,
        };
        for folder in folders {
            let path = root.join(folder).join(phone_file);
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            let stamp = Stamp::of(&metadata);
            let previous = self.find(folder);
            match previous {
                Some(listed) if listed.stamp == stamp => {
                    next.push(folder, stamp, self.phones_in(listed));
                }
                previous => {
                    let before = previous.map_or(&[][..], |listed| self.phones_in(listed));
                    let read = order_phones(root, folder, phone_file, default_country_code);
                    let mut packed = Vec::with_capacity(read.len());
                    for phone in read {
                        let Some(number) = PackedPhone::of(&phone) else {
                            continue;
                        };
                        if !before.contains(&number) {
                            added.push((folder.to_owned(), phone));
                        }
                        packed.push(number);
                    }
                    next.push(folder, stamp, &packed);
                }
            }
        }
        // The first refresh grew the blocks by doubling; later ones start at the right size.
        next.listed.shrink_to_fit();
        next.names.shrink_to_fit();
        next.phones.shrink_to_fit();
        let names = &next.names;
        next.listed
            .sort_unstable_by(|a, b| Self::name_in(names, a).cmp(Self::name_in(names, b)));
        *self = next;
        added
    }

    /// The folders whose phone file lists `phone`.
    pub fn folders_of(&self, phone: &Phone) -> Vec<String> {
        let Some(number) = PackedPhone::of(phone) else {
            return Vec::new();
        };
        self.listed
            .iter()
            .filter(|listed| self.phones_in(listed).contains(&number))
            .map(|listed| Self::name_in(&self.names, listed).to_owned())
            .collect()
    }

    /// Whether no refresh has looked at the orders yet.
    pub fn is_unread(&self) -> bool {
        !self.read
    }

    /// The phones listed for `folder` (none when unknown).
    pub fn phones_of(&self, folder: &str) -> Vec<Phone> {
        self.find(folder).map_or_else(Vec::new, |listed| {
            self.phones_in(listed).iter().map(|p| p.unpack()).collect()
        })
    }

    fn push(&mut self, folder: &str, stamp: Stamp, phones: &[PackedPhone]) {
        self.listed.push(Listed {
            name_start: offset(self.names.len()),
            name_len: offset(folder.len()),
            phones_start: offset(self.phones.len()),
            phones_len: offset(phones.len()),
            stamp,
        });
        self.names.push_str(folder);
        self.phones.extend_from_slice(phones);
    }

    fn find(&self, folder: &str) -> Option<&Listed> {
        let at = self
            .listed
            .binary_search_by(|listed| Self::name_in(&self.names, listed).cmp(folder))
            .ok()?;
        self.listed.get(at)
    }

    fn name_in<'n>(names: &'n str, listed: &Listed) -> &'n str {
        let start = listed.name_start as usize;
        names
            .get(start..start + listed.name_len as usize)
            .unwrap_or_default()
    }

    fn phones_in(&self, listed: &Listed) -> &[PackedPhone] {
        let start = listed.phones_start as usize;
        self.phones
            .get(start..start + listed.phones_len as usize)
            .unwrap_or_default()
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
