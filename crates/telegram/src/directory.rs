//! Reading the phone directory: which open orders list a phone, with the phone files re-read
//! when they changed (`servicebot_core::orders::phones`).

use servicebot_core::Phone;
use servicebot_core::orders::Order;

use crate::context::BotDeps;

/// Re-reads changed phone files; returns the (folder, phone) pairs listed since the last time.
pub fn refresh_directory(deps: &BotDeps) -> Vec<(String, Phone)> {
    let folders = match deps.index.read() {
        Ok(index) => index.folder_names(),
        Err(_) => return Vec::new(),
    };
    let orders = &deps.config.orders;
    let mut directory = match deps.phones.write() {
        Ok(directory) => directory,
        Err(poisoned) => poisoned.into_inner(),
    };
    directory.refresh(
        &orders.root,
        folders.iter(),
        &orders.phone_file,
        &deps.config.phone.default_country_code,
    )
}

/// The open orders whose phone file lists `phone`, newest first.
pub fn orders_of(deps: &BotDeps, phone: &Phone) -> Vec<Order> {
    let never_read = match deps.phones.read() {
        Ok(directory) => directory.is_unread(),
        Err(poisoned) => poisoned.into_inner().is_unread(),
    };
    if never_read {
        // Just started, before the first periodic refresh saw the orders.
        refresh_directory(deps);
    }
    let folders = match deps.phones.read() {
        Ok(directory) => directory.folders_of(phone),
        Err(poisoned) => poisoned.into_inner().folders_of(phone),
    };
    let Ok(index) = deps.index.read() else {
        return Vec::new();
    };
    let mut orders: Vec<Order> = folders
        .iter()
        .filter_map(|folder| index.get(folder))
        .collect();
    orders.sort_by(|a, b| b.created.cmp(&a.created).then(a.folder.cmp(&b.folder)));
    orders
}
