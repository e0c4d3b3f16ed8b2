//! The live check of an orders folder the manager picks or types: can it be read, how many open
//! orders it holds, how many have a phone file, and the three newest by creation date. It reads
//! the folder only (first-seen dates go to a ledger in memory, not the database).

use std::path::Path;

use chrono::Utc;
use servicebot_core::orders::scan::{MemoryLedger, ScanError, scan_root};
use servicebot_core::orders::{Order, RootState};
use servicebot_core::texts::{TextKey, Texts};

use crate::App;
use crate::dto::{OrderBrief, OrdersRootCheck};

/// How many of the newest orders are shown.
const NEWEST: usize = 3;

/// Checks `path` as an orders root with `closed_keyword` and `phone_file` from the settings.
pub(crate) fn check(
    path: &str,
    closed_keyword: &str,
    phone_file: &str,
    texts: &Texts,
) -> OrdersRootCheck {
    let trimmed = path.trim();
    let refuse = |code: &str, key: TextKey, details: Option<String>| OrdersRootCheck {
        path: trimmed.to_owned(),
        readable: false,
        code: code.to_owned(),
        message: texts.get(key, &[]),
        details,
        open_orders: 0,
        with_phone_file: 0,
        newest: Vec::new(),
    };
    if trimmed.is_empty() {
        return refuse("not_set", TextKey::GuiRootNotSet, None);
    }
    let root = Path::new(trimmed);
    if !root.is_absolute() {
        return refuse("not_absolute", TextKey::GuiRootNotAbsolute, None);
    }
    let mut ledger = MemoryLedger::default();
    let mut orders = match scan_root(root, closed_keyword, &mut ledger, Utc::now()) {
        Ok(orders) => orders,
        Err(ScanError::NotConfigured) => return refuse("not_set", TextKey::GuiRootNotSet, None),
        Err(error @ ScanError::NotAFolder { .. }) => {
            return refuse(
                "not_folder",
                TextKey::GuiRootNotFolder,
                Some(error.to_string()),
            );
        }
        Err(ScanError::Unreadable { path, source }) => {
            let details = Some(format!("{}: {source}", path.display()));
            return match source.kind() {
                std::io::ErrorKind::PermissionDenied => {
                    refuse("denied", TextKey::GuiRootDenied, details)
                }
                _ => refuse("not_found", TextKey::GuiRootNotFound, details),
            };
        }
    };
    let with_phone_file = orders
        .iter()
        .filter(|order| root.join(&order.folder).join(phone_file).is_file())
        .count();
    orders.sort_by(|a, b| {
        b.created
            .cmp(&a.created)
            .then_with(|| a.folder.cmp(&b.folder))
    });
    let newest = orders.iter().take(NEWEST).map(brief).collect();
    found(trimmed, orders.len(), with_phone_file, newest, texts)
}

fn brief(order: &Order) -> OrderBrief {
    OrderBrief {
        folder: order.folder.clone(),
        created: order.date.format("%Y-%m-%d").to_string(),
    }
}

/// A readable folder with `open_orders`, of which `with_phone_file` have a phone file.
fn found(
    path: &str,
    open_orders: usize,
    with_phone_file: usize,
    newest: Vec<OrderBrief>,
    texts: &Texts,
) -> OrdersRootCheck {
    OrdersRootCheck {
        path: path.to_owned(),
        readable: true,
        code: "ok".to_owned(),
        message: texts.get(
            TextKey::GuiRootOk,
            &[
                ("orders", open_orders.into()),
                ("phones", with_phone_file.into()),
            ],
        ),
        details: None,
        open_orders: u32::try_from(open_orders).unwrap_or(u32::MAX),
        with_phone_file: u32::try_from(with_phone_file).unwrap_or(u32::MAX),
        newest,
    }
}

impl App {
    /// The check of the folder the bot uses (`path` is its root, with its closed keyword),
    /// answered from the order index the watcher keeps current: the folder is not listed
    /// again — on a network share that takes seconds — and none of the memory a listing of
    /// 100 000 folders takes is left behind. `None` until the folder has been scanned once.
    pub(crate) fn indexed_root_check(&self, path: &str, texts: &Texts) -> Option<OrdersRootCheck> {
        let (names, newest) = {
            let index = self.index_read().ok()?;
            if !matches!(index.state(), RootState::Ready { .. }) {
                return None;
            }
            let newest: Vec<OrderBrief> = index.recent(NEWEST).iter().map(brief).collect();
            (index.folder_names(), newest)
        };
        let root = &self.config().orders.root;
        let phone_file = &self.config().orders.phone_file;
        let with_phone_file = names
            .iter()
            .filter(|folder| root.join(folder).join(phone_file).is_file())
            .count();
        Some(found(
            path.trim(),
            names.len(),
            with_phone_file,
            newest,
            texts,
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use servicebot_core::texts::Language;

    use super::*;

    fn texts() -> Texts {
        Texts::new(Language::Russian).expect("ru")
    }

    #[test]
    fn a_folder_of_orders_is_counted_with_its_phone_files_and_newest() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, phone) in [
            ("ЗН-000101 А123ВС77", true),
            ("ЗН-000102 В456ОР77", false),
            ("ЗН-000103 closed", true),
            ("ЗН-000105_closed", false),
        ] {
            let folder = dir.path().join(name);
            fs::create_dir(&folder).expect("order folder");
            if phone {
                fs::write(folder.join("phone.txt"), "+79990000000").expect("phone file");
            }
        }
        fs::write(dir.path().join("ЗН-000104.txt"), "a file, not an order").expect("file");
        let root = dir.path().display().to_string();
        let found = check(&format!(" {root} "), "closed", "phone.txt", &texts());
        assert!(found.readable, "{found:?}");
        assert_eq!(found.code, "ok");
        assert_eq!((found.open_orders, found.with_phone_file), (2, 1));
        assert_eq!(found.path, root, "trimmed");
        assert_eq!(found.newest.len(), 2);
        assert!(
            found.message.contains("Найдено 2 открытых заказ-наряда"),
            "{}",
            found.message
        );
        assert!(found.message.contains("телефонов — 1"), "{}", found.message);
    }

    #[test]
    fn the_folder_in_use_is_answered_from_the_order_index_without_listing_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("Photo");
        for (name, phone) in [
            ("ЗН-000101 А123ВС77", true),
            ("ЗН-000102 В456ОР77", false),
            ("ЗН-000103 closed", true),
        ] {
            let folder = root.join(name);
            fs::create_dir_all(&folder).expect("order folder");
            if phone {
                fs::write(folder.join("phone.txt"), "+79990000000").expect("phone file");
            }
        }
        let mut config = servicebot_core::Config::default();
        config.orders.root = root.clone();
        config.storage.data_dir = dir.path().join("data");
        let app = App::with_config(dir.path().join("config.toml"), config, &|_| None).expect("app");
        let path = root.display().to_string();
        let texts = texts();
        // Found as a listing finds it.
        let indexed = app
            .indexed_root_check(&format!("{path} "), &texts)
            .expect("scanned");
        let listed = check(&path, "closed", "phone.txt", &texts);
        assert_eq!(indexed, listed);
        assert_eq!((indexed.open_orders, indexed.with_phone_file), (2, 1));
        // An order the index has not seen yet (no watcher runs here) is not there: the answer
        // came from the index, not from listing the folder again.
        fs::create_dir(root.join("ЗН-000104")).expect("a new order");
        let indexed = app.indexed_root_check(&path, &texts).expect("scanned");
        assert_eq!(indexed.open_orders, 2);
        assert_eq!(check(&path, "closed", "phone.txt", &texts).open_orders, 3);
    }

    #[test]
    fn unusable_folders_say_why() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("file.txt");
        fs::write(&file, "x").expect("file");
        let missing = dir.path().join("нет такой");
        let cases = [
            ("", "not_set"),
            ("   ", "not_set"),
            ("Photo", "not_absolute"),
            (missing.to_str().expect("utf-8"), "not_found"),
            (file.to_str().expect("utf-8"), "not_folder"),
        ];
        let texts = texts();
        for (path, code) in cases {
            let found = check(path, "closed", "phone.txt", &texts);
            assert_eq!(found.code, code, "{path:?}");
            assert!(!found.readable);
            assert!(!found.message.is_empty() && !found.message.contains("os error"));
        }
    }
}
