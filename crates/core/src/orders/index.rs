//! The in-memory index of open orders, with the queries staff and the GUI need.
//!
//! Orders are kept newest first. Since an order's calendar date follows its creation time, the
//! orders of one day (and of one month) are a contiguous run found by binary search; search is
//! one pass over pre-folded keys. Nothing here touches the disk: see [`super::scan`].
//!
//! The index is held for the app's lifetime, so it is laid out for memory: the texts of all
//! orders share one block (`names`) and each order is a small fixed-size entry pointing into it
//! — about 100 bytes an order instead of four heap strings, an `Arc` and a hash map entry. The
//! queries hand out ordinary [`Order`] values.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::search_key;

/// Where an order's calendar date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The folder's creation (birth) time reported by the file system.
    Birth,
    /// The file system has no birth time: the moment ServiceBot first saw the folder.
    FirstSeen,
}

/// One open work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The folder name, exactly as on disk: the order's identity.
    pub folder: String,
    pub number: String,
    pub plate: Option<String>,
    pub created: DateTime<Utc>,
    /// The calendar date of `created` in the local time zone.
    pub date: NaiveDate,
    pub date_source: DateSource,
}

/// Whether the orders root could be read, and since when it could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RootState {
    /// `orders.root` is empty in the config.
    NotConfigured,
    /// Not scanned yet.
    Pending,
    /// The last scan succeeded.
    Ready { scanned_at: DateTime<Utc> },
    /// The last scan failed; the orders from the last good scan are kept so staff can work on
    /// (their files go to the spool).
    Unreachable {
        reason: String,
        since: DateTime<Utc>,
    },
}

/// One page of a query's results, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub orders: Vec<Order>,
}

/// A stretch of [`OrderIndex::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    const EMPTY: Span = Span { start: 0, len: 0 };

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }
}

/// One order, its texts in [`OrderIndex::names`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    folder: Span,
    number: Span,
    /// Empty when the order has no plate (a plate is never an empty text).
    plate: Span,
    created: DateTime<Utc>,
    date: NaiveDate,
    date_source: DateSource,
}

/// The index of open orders. Share it as [`super::SharedIndex`].
#[derive(Debug)]
pub struct OrderIndex {
    state: RootState,
    /// Newest first; ties broken by folder name so the order is total.
    entries: Vec<Entry>,
    /// The folder names, numbers and plates of the entries, back to back. A number or plate
    /// that is part of its folder name (as parsed ones always are) points into the name.
    names: String,
    /// Bytes of `names` no entry points to any more (left by removals); the block is rebuilt
    /// when they are the larger part.
    unused: usize,
    /// Positions in `entries`, sorted by folder name: the lookup by folder.
    by_folder: Vec<u32>,
    /// Every entry's folded key, newest first, each followed by a newline (folded keys hold no
    /// whitespace). One contiguous block searches several times faster than 100 000 scattered
    /// strings; it is rebuilt on every change, which is rare next to searches.
    haystack: String,
    /// Where each entry's key starts in `haystack`.
    key_starts: Vec<u32>,
}

/// The folder names of every open order, newest first, in two allocations (see
/// [`OrderIndex::folder_names`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderNames {
    text: String,
    ends: Vec<u32>,
}

impl FolderNames {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.text[start as usize..end as usize])
    }
}

impl Default for OrderIndex {
    fn default() -> Self {
        Self {
            state: RootState::Pending,
            entries: Vec::new(),
            names: String::new(),
            unused: 0,
            by_folder: Vec::new(),
            haystack: String::new(),
            key_starts: Vec::new(),
        }
    }
}

/// A position or length in the index's text blocks. They hold a few bytes per order, so
/// `u32` would only overflow past 4 GiB of folder names.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl OrderIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn state(&self) -> &RootState {
        &self.state
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Replaces every order with the result of a full scan.
    pub fn replace_all(&mut self, mut orders: Vec<Order>, now: DateTime<Utc>) {
        orders.sort_by(Self::cmp);
        orders.dedup_by(|a, b| a.folder == b.folder);
        self.names = String::with_capacity(orders.iter().map(|o| o.folder.len()).sum());
        self.unused = 0;
        self.entries = Vec::with_capacity(orders.len());
        for order in &orders {
            let entry = self.store(order);
            self.entries.push(entry);
        }
        drop(orders);
        self.rebuild_lookups();
        self.state = RootState::Ready { scanned_at: now };
    }

    /// Adds an order or replaces the one with the same folder name.
    pub fn upsert(&mut self, order: Order) {
        self.forget(&order.folder);
        let entry = self.store(&order);
        let at = self
            .entries
            .binary_search_by(|probe| self.cmp_entry(probe, &order))
            .unwrap_or_else(|at| at);
        self.entries.insert(at, entry);
        let at = offset(at);
        for position in &mut self.by_folder {
            if *position >= at {
                *position += 1;
            }
        }
        let slot = self
            .by_folder
            .partition_point(|&p| self.folder_at(p) < order.folder.as_str());
        self.by_folder.insert(slot, at);
        let plate = order.plate.as_deref().unwrap_or_default();
        self.insert_key(at as usize, &Self::key(&order.number, plate));
    }

    /// Forgets the order in `folder` (moved away, renamed or closed). Returns whether it was known.
    pub fn remove(&mut self, folder: &str) -> bool {
        self.forget(folder)
    }

    /// Drops the entry from the sorted list, the lookup and the haystack.
    fn forget(&mut self, folder: &str) -> bool {
        let Ok(slot) = self.folder_slot(folder) else {
            return false;
        };
        let at = self.by_folder.remove(slot);
        let entry = self.entries.remove(at as usize);
        self.remove_key(at as usize);
        for position in &mut self.by_folder {
            if *position > at {
                *position -= 1;
            }
        }
        self.unused += Self::own_bytes(&entry);
        if self.unused > self.names.len() / 2 {
            self.compact_names();
        }
        true
    }

    pub fn set_not_configured(&mut self) {
        self.entries.clear();
        self.names.clear();
        self.unused = 0;
        self.rebuild_lookups();
        self.state = RootState::NotConfigured;
    }

    /// Records a failed scan, keeping the time the root was first found unreachable.
    pub fn set_unreachable(&mut self, reason: String, now: DateTime<Utc>) {
        let since = match &self.state {
            RootState::Unreachable { since, .. } => *since,
            _ => now,
        };
        self.state = RootState::Unreachable { reason, since };
    }

    /// The open order in `folder`, if any.
    pub fn get(&self, folder: &str) -> Option<Order> {
        let slot = self.folder_slot(folder).ok()?;
        Some(self.order(&self.entries[self.by_folder[slot] as usize]))
    }

    /// Every open order's folder name, newest first.
    pub fn folder_names(&self) -> FolderNames {
        let mut names = FolderNames {
            text: String::with_capacity(self.entries.iter().map(|e| e.folder.len as usize).sum()),
            ends: Vec::with_capacity(self.entries.len()),
        };
        for entry in &self.entries {
            names.text.push_str(self.text(entry.folder));
            names.ends.push(offset(names.text.len()));
        }
        names
    }

    /// Orders whose number or plate contains `query` (case, spaces and look-alike letters
    /// folded), newest first; `offset`/`limit` select a page.
    pub fn search(&self, query: &str, offset: usize, limit: usize) -> SearchPage {
        let needle = search_key::fold(query);
        if needle.is_empty() {
            return SearchPage {
                total: 0,
                orders: Vec::new(),
            };
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let haystack = self.haystack.as_bytes();
        let mut total = 0;
        let mut orders = Vec::new();
        let mut from = 0;
        while let Some(found) = finder.find(&haystack[from..]) {
            // The entry whose key holds the match; then go on after that key.
            let i = self
                .key_starts
                .partition_point(|&start| start as usize <= from + found)
                - 1;
            if total >= offset && orders.len() < limit {
                orders.push(self.order(&self.entries[i]));
            }
            total += 1;
            from = self
                .key_starts
                .get(i + 1)
                .map_or(haystack.len(), |&start| start as usize);
        }
        SearchPage { total, orders }
    }

    /// The orders created on `date`, newest first.
    pub fn on_day(&self, date: NaiveDate, offset: usize, limit: usize) -> SearchPage {
        let range = self.date_range(date, date);
        let total = range.len();
        let orders = self.entries[range]
            .iter()
            .skip(offset)
            .take(limit)
            .map(|e| self.order(e));
        SearchPage {
            total,
            orders: orders.collect(),
        }
    }

    /// Number of orders per day of a month (days without orders are absent). An invalid month
    /// yields an empty map.
    pub fn month_counts(&self, year: i32, month: u32) -> BTreeMap<u32, usize> {
        let mut counts = BTreeMap::new();
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return counts;
        };
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let Some(last) = next.and_then(|n| n.pred_opt()) else {
            return counts;
        };
        for entry in &self.entries[self.date_range(first, last)] {
            *counts.entry(entry.date.day()).or_insert(0) += 1;
        }
        counts
    }

    /// The `n` newest orders.
    pub fn recent(&self, n: usize) -> Vec<Order> {
        self.entries.iter().take(n).map(|e| self.order(e)).collect()
    }

    /// Index range of the orders dated from `first` to `last` inclusive (entries are sorted by
    /// date descending).
    fn date_range(&self, first: NaiveDate, last: NaiveDate) -> std::ops::Range<usize> {
        let start = self.entries.partition_point(|e| e.date > last);
        let end = self.entries.partition_point(|e| e.date >= first);
        start..end.max(start)
    }

    fn text(&self, span: Span) -> &str {
        self.names.get(span.range()).unwrap_or_default()
    }

    fn folder_at(&self, position: u32) -> &str {
        self.text(self.entries[position as usize].folder)
    }

    /// Where `folder` is (`Ok`) or would be (`Err`) in `by_folder`.
    fn folder_slot(&self, folder: &str) -> Result<usize, usize> {
        self.by_folder
            .binary_search_by(|&p| self.folder_at(p).cmp(folder))
    }

    fn order(&self, entry: &Entry) -> Order {
        Order {
            folder: self.text(entry.folder).to_owned(),
            number: self.text(entry.number).to_owned(),
            plate: (entry.plate.len > 0).then(|| self.text(entry.plate).to_owned()),
            created: entry.created,
            date: entry.date,
            date_source: entry.date_source,
        }
    }

    /// Appends `order`'s texts to `names` (a number or plate inside the folder name is not
    /// stored twice) and returns its entry.
    fn store(&mut self, order: &Order) -> Entry {
        let folder = self.append(&order.folder);
        let within = |part: &str, names: &mut String| match order.folder.find(part) {
            Some(at) => Span {
                start: folder.start + offset(at),
                len: offset(part.len()),
            },
            None => {
                let start = offset(names.len());
                names.push_str(part);
                Span {
                    start,
                    len: offset(part.len()),
                }
            }
        };
        let number = within(&order.number, &mut self.names);
        let plate = match order.plate.as_deref() {
            Some(plate) if !plate.is_empty() => within(plate, &mut self.names),
            _ => Span::EMPTY,
        };
        Entry {
            folder,
            number,
            plate,
            created: order.created,
            date: order.date,
            date_source: order.date_source,
        }
    }

    fn append(&mut self, text: &str) -> Span {
        let start = offset(self.names.len());
        self.names.push_str(text);
        Span {
            start,
            len: offset(text.len()),
        }
    }

    /// The bytes of `names` only this entry points to.
    fn own_bytes(entry: &Entry) -> usize {
        let inside = |span: Span| {
            span.start >= entry.folder.start
                && span.start + span.len <= entry.folder.start + entry.folder.len
        };
        let mut bytes = entry.folder.len as usize;
        for part in [entry.number, entry.plate] {
            if !inside(part) {
                bytes += part.len as usize;
            }
        }
        bytes
    }

    /// Rewrites `names` without the bytes removed entries left behind.
    fn compact_names(&mut self) {
        let orders: Vec<Order> = self.entries.iter().map(|e| self.order(e)).collect();
        self.names = String::with_capacity(self.names.len() - self.unused);
        self.unused = 0;
        for (at, order) in orders.iter().enumerate() {
            self.entries[at] = self.store(order);
        }
    }

    fn rebuild_lookups(&mut self) {
        let mut by_folder: Vec<u32> = (0..offset(self.entries.len())).collect();
        by_folder.sort_by(|&a, &b| self.folder_at(a).cmp(self.folder_at(b)));
        self.by_folder = by_folder;
        self.haystack = String::new();
        self.key_starts = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            self.key_starts.push(offset(self.haystack.len()));
            self.haystack
                .push_str(&Self::key(self.text(entry.number), self.text(entry.plate)));
        }
    }

    /// An order's line in `haystack`: folded number and plate, and the newline.
    fn key(number: &str, plate: &str) -> String {
        let mut key = search_key::fold(number);
        if !plate.is_empty() {
            // A separator no folded query can contain keeps a match from spanning number and
            // plate.
            key.push('\u{1}');
            key.push_str(&search_key::fold(plate));
        }
        key.push('\n');
        key
    }

    /// Puts the key of the entry now at `at` into `haystack`.
    fn insert_key(&mut self, at: usize, key: &str) {
        let start = self
            .key_starts
            .get(at)
            .map_or(self.haystack.len(), |&s| s as usize);
        self.haystack.insert_str(start, key);
        self.key_starts.insert(at, offset(start));
        for later in &mut self.key_starts[at + 1..] {
            *later += offset(key.len());
        }
    }

    /// Takes the key of the entry that was at `at` out of `haystack`.
    fn remove_key(&mut self, at: usize) {
        let start = self.key_starts.remove(at);
        let end = self
            .key_starts
            .get(at)
            .map_or(offset(self.haystack.len()), |&s| s);
        self.haystack
            .replace_range(start as usize..end as usize, "");
        for later in &mut self.key_starts[at..] {
            *later -= end - start;
        }
    }

    fn cmp(a: &Order, b: &Order) -> std::cmp::Ordering {
        b.created
            .cmp(&a.created)
            .then_with(|| a.folder.cmp(&b.folder))
    }

    fn cmp_entry(&self, entry: &Entry, order: &Order) -> std::cmp::Ordering {
        order
            .created
            .cmp(&entry.created)
            .then_with(|| self.text(entry.folder).cmp(order.folder.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn order(folder: &str, created: DateTime<Utc>) -> Order {
        let name = super::super::OrderName::parse(folder, "closed").expect("valid name");
        Order {
            folder: folder.to_owned(),
            number: name.number,
            plate: name.plate,
            created,
            date: created.date_naive(),
            date_source: DateSource::Birth,
        }
    }

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
            .single()
            .expect("valid time")
    }

    fn sample() -> OrderIndex {
        let mut index = OrderIndex::new();
        index.replace_all(
            vec![
                order("ЗН-001 А123ВС77", at(1, 9)),
                order("ЗН-002 В456ОР99", at(1, 12)),
                order("ЗН-003", at(2, 10)),
                order("a000172185 X777XX", at(31, 23)),
            ],
            at(31, 23),
        );
        index
    }

    fn folders(page: &SearchPage) -> Vec<&str> {
        page.orders.iter().map(|o| o.folder.as_str()).collect()
    }

    #[test]
    fn search_matches_number_and_plate_across_layouts() {
        let index = sample();
        assert_eq!(folders(&index.search("a123", 0, 10)), ["ЗН-001 А123ВС77"]);
        assert_eq!(folders(&index.search("х777", 0, 10)), ["a000172185 X777XX"]);
        assert_eq!(
            folders(&index.search("зн-00", 0, 10)),
            ["ЗН-003", "ЗН-002 В456ОР99", "ЗН-001 А123ВС77"]
        );
        assert_eq!(index.search("В 456", 0, 10).total, 1);
        assert_eq!(
            index.search("", 0, 10).total,
            0,
            "an empty query matches nothing"
        );
        assert_eq!(
            index.search("1А1", 0, 10).total,
            0,
            "no match across number and plate"
        );
    }

    #[test]
    fn search_pages() {
        let index = sample();
        let page = index.search("зн", 1, 1);
        assert_eq!(page.total, 3);
        assert_eq!(folders(&page), ["ЗН-002 В456ОР99"]);
    }

    #[test]
    fn calendar_counts_and_day_listing() {
        let index = sample();
        assert_eq!(
            index.month_counts(2026, 3),
            BTreeMap::from([(1, 2), (2, 1), (31, 1)])
        );
        assert!(index.month_counts(2026, 4).is_empty());
        assert!(index.month_counts(2026, 13).is_empty());
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(
            folders(&index.on_day(date, 0, 10)),
            ["ЗН-002 В456ОР99", "ЗН-001 А123ВС77"]
        );
        assert_eq!(index.on_day(date, 1, 10).orders.len(), 1);
    }

    #[test]
    fn upsert_and_remove_keep_order_and_lookups() {
        let mut index = sample();
        index.upsert(order("ЗН-010", at(31, 23) + Duration::minutes(1)));
        assert_eq!(index.recent(2)[0].folder, "ЗН-010");
        index.upsert(order("ЗН-010", at(1, 0)));
        assert_eq!(index.len(), 5, "upsert replaces, never duplicates");
        assert_eq!(index.month_counts(2026, 3)[&1], 3);
        assert_eq!(
            folders(&index.search("зн-010", 0, 10)),
            ["ЗН-010"],
            "search sees upserts"
        );
        assert!(index.remove("ЗН-010"));
        assert_eq!(
            index.search("зн-010", 0, 10).total,
            0,
            "search sees removals"
        );
        assert!(!index.remove("ЗН-010"));
        assert!(index.get("ЗН-010").is_none());
        assert!(index.get("ЗН-003").is_some());
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn many_removals_compact_the_names_and_keep_every_lookup() {
        let mut index = OrderIndex::new();
        let orders: Vec<Order> = (0..200)
            .map(|n| {
                order(
                    &format!("ЗН-{n:03} А{n:03}ВС77"),
                    at(1, 0) + Duration::minutes(n),
                )
            })
            .collect();
        index.replace_all(orders, at(2, 0));
        for n in (0..200).filter(|n| n % 4 != 0) {
            assert!(index.remove(&format!("ЗН-{n:03} А{n:03}ВС77")));
        }
        let live: usize = index.recent(50).iter().map(|o| o.folder.len()).sum();
        assert!(
            index.names.len() <= 2 * live,
            "{} bytes of names kept for {live} bytes of live names",
            index.names.len()
        );
        assert_eq!(index.len(), 50);
        let found = index.get("ЗН-196 А196ВС77").expect("kept");
        assert_eq!(
            (found.number.as_str(), found.plate.as_deref()),
            ("ЗН-196", Some("А196ВС77"))
        );
        assert!(index.get("ЗН-197 А197ВС77").is_none());
        assert_eq!(folders(&index.search("а196", 0, 10)), ["ЗН-196 А196ВС77"]);
        assert_eq!(index.search("зн", 0, 0).total, 50);
        assert_eq!(index.recent(1)[0].folder, "ЗН-196 А196ВС77");
    }

    #[test]
    fn a_number_outside_the_folder_name_is_kept_too() {
        let mut index = OrderIndex::new();
        let created = at(5, 10);
        index.upsert(Order {
            folder: "папка".into(),
            number: "ЗН-77".into(),
            plate: Some("Х001ХХ".into()),
            created,
            date: created.date_naive(),
            date_source: DateSource::FirstSeen,
        });
        let order = index.get("папка").expect("known");
        assert_eq!(order.number, "ЗН-77");
        assert_eq!(order.plate.as_deref(), Some("Х001ХХ"));
        assert_eq!(order.date_source, DateSource::FirstSeen);
        assert_eq!(index.search("x001", 0, 10).total, 1);
        assert!(index.remove("папка"));
        assert!(index.is_empty());
        assert_eq!(index.search("зн", 0, 10).total, 0);
    }

    #[test]
    fn folder_names_list_every_order_newest_first() {
        let index = sample();
        let names = index.folder_names();
        assert_eq!(names.len(), 4);
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            [
                "a000172185 X777XX",
                "ЗН-003",
                "ЗН-002 В456ОР99",
                "ЗН-001 А123ВС77"
            ]
        );
        assert!(OrderIndex::new().folder_names().is_empty());
    }

    #[test]
    fn unreachable_keeps_orders_and_first_failure_time() {
        let mut index = sample();
        index.set_unreachable("gone".into(), at(2, 0));
        index.set_unreachable("still gone".into(), at(3, 0));
        assert_eq!(
            index.state(),
            &RootState::Unreachable {
                reason: "still gone".into(),
                since: at(2, 0)
            }
        );
        assert_eq!(index.len(), 4);
    }
}
