//! The in-memory index of open orders, with the queries staff and the GUI need.
//!
//! Orders are kept newest first. Since an order's calendar date follows its creation time, the
//! orders of one day (and of one month) are a contiguous run found by binary search; search is
//! one pass over pre-folded keys. Nothing here touches the disk: see [`super::scan`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

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

#[derive(Debug)]
struct Entry {
    order: Order,
    key: String,
}

/// The index of open orders. Share it as [`super::SharedIndex`].
#[derive(Debug)]
pub struct OrderIndex {
    state: RootState,
    /// Newest first; ties broken by folder name so the order is total.
    entries: Vec<Arc<Entry>>,
    by_folder: HashMap<String, Arc<Entry>>,
    /// Every entry's folded key, newest first, each followed by a newline (folded keys hold no
    /// whitespace). One contiguous block searches several times faster than 100 000 scattered
    /// strings; it is rebuilt on every change, which is rare next to searches.
    haystack: String,
    /// Where each entry's key starts in `haystack`.
    key_starts: Vec<usize>,
}

impl Default for OrderIndex {
    fn default() -> Self {
        Self {
            state: RootState::Pending,
            entries: Vec::new(),
            by_folder: HashMap::new(),
            haystack: String::new(),
            key_starts: Vec::new(),
        }
    }
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
    pub fn replace_all(&mut self, orders: Vec<Order>, now: DateTime<Utc>) {
        let mut entries: Vec<Arc<Entry>> = orders.into_iter().map(Self::entry).collect();
        entries.sort_by(|a, b| Self::cmp(&a.order, &b.order));
        entries.dedup_by(|a, b| a.order.folder == b.order.folder);
        self.by_folder = entries
            .iter()
            .map(|e| (e.order.folder.clone(), Arc::clone(e)))
            .collect();
        self.entries = entries;
        self.rebuild_haystack();
        self.state = RootState::Ready { scanned_at: now };
    }

    /// Adds an order or replaces the one with the same folder name.
    pub fn upsert(&mut self, order: Order) {
        self.forget(&order.folder);
        let entry = Self::entry(order);
        let at = self
            .entries
            .binary_search_by(|probe| Self::cmp(&probe.order, &entry.order))
            .unwrap_or_else(|at| at);
        self.by_folder
            .insert(entry.order.folder.clone(), Arc::clone(&entry));
        self.entries.insert(at, entry);
        self.rebuild_haystack();
    }

    /// Forgets the order in `folder` (moved away, renamed or closed). Returns whether it was known.
    pub fn remove(&mut self, folder: &str) -> bool {
        let known = self.forget(folder);
        if known {
            self.rebuild_haystack();
        }
        known
    }

    /// Drops the entry from the sorted list and the lookup, leaving the haystack to the caller.
    fn forget(&mut self, folder: &str) -> bool {
        let Some(entry) = self.by_folder.remove(folder) else {
            return false;
        };
        if let Ok(at) = self
            .entries
            .binary_search_by(|probe| Self::cmp(&probe.order, &entry.order))
        {
            self.entries.remove(at);
        }
        true
    }

    pub fn set_not_configured(&mut self) {
        self.entries.clear();
        self.by_folder.clear();
        self.rebuild_haystack();
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
    pub fn get(&self, folder: &str) -> Option<&Order> {
        self.by_folder.get(folder).map(|e| &e.order)
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
                .partition_point(|&start| start <= from + found)
                - 1;
            if total >= offset && orders.len() < limit {
                orders.push(self.entries[i].order.clone());
            }
            total += 1;
            from = self
                .key_starts
                .get(i + 1)
                .copied()
                .unwrap_or(haystack.len());
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
            .map(|e| e.order.clone());
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
            *counts.entry(entry.order.date.day()).or_insert(0) += 1;
        }
        counts
    }

    /// The `n` newest orders.
    pub fn recent(&self, n: usize) -> Vec<Order> {
        self.entries
            .iter()
            .take(n)
            .map(|e| e.order.clone())
            .collect()
    }

    /// Index range of the orders dated from `first` to `last` inclusive (entries are sorted by
    /// date descending).
    fn date_range(&self, first: NaiveDate, last: NaiveDate) -> std::ops::Range<usize> {
        let start = self.entries.partition_point(|e| e.order.date > last);
        let end = self.entries.partition_point(|e| e.order.date >= first);
        start..end.max(start)
    }

    fn rebuild_haystack(&mut self) {
        self.haystack.clear();
        self.key_starts.clear();
        for entry in &self.entries {
            self.key_starts.push(self.haystack.len());
            self.haystack.push_str(&entry.key);
            self.haystack.push('\n');
        }
    }

    fn entry(order: Order) -> Arc<Entry> {
        let mut key = search_key::fold(&order.number);
        if let Some(plate) = &order.plate {
            // A separator no folded query can contain keeps a match from spanning number and plate.
            key.push('\u{1}');
            key.push_str(&search_key::fold(plate));
        }
        Arc::new(Entry { order, key })
    }

    fn cmp(a: &Order, b: &Order) -> std::cmp::Ordering {
        b.created
            .cmp(&a.created)
            .then_with(|| a.folder.cmp(&b.folder))
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
