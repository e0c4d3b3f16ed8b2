//! Order index benchmark: initial scan, search, month calendar, day listing, the refresh after
//! one new folder, and the phone directory (orders of a client's phone; the periodic check), on generated roots of 10 000 and 100 000 folders (Cyrillic plates, 5%
//! closed), against the previous bot's naive approach (list the folder on every query).
//!
//! Run with `cargo bench -p servicebot-core --bench order_index`. Prints medians and ratios,
//! and the memory the index and the phone directory hold per order (counted by the allocator).
//! Targets (2-core machine): search and calendar under 5 ms at 100 000 orders, initial scan of
//! 100 000 local folders under 3 s.
#![allow(
    clippy::expect_used,
    reason = "benchmark set-up: a failure must stop the run"
)]

use std::alloc::System;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Span, Local, NaiveDate, TimeZone, Utc};
use servicebot_core::Phone;
use servicebot_core::orders::phones::{PhoneDirectory, order_phones};
use servicebot_core::orders::scan::{self, MemoryLedger};
use servicebot_core::orders::{OrderIndex, OrderName, search_key};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PLATE_LETTERS: [char; 12] = ['А', 'В', 'Е', 'К', 'М', 'Н', 'О', 'Р', 'С', 'Т', 'У', 'Х'];
const CLOSED: &str = "closed";

fn main() {
    let sizes: Vec<usize> = match std::env::var("ORDER_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => vec![10_000, 100_000],
    };
    println!("| folders | operation | index | naive | naive / index |");
    println!("|---:|---|---:|---:|---:|");
    for size in sizes {
        bench_size(size);
    }
}

fn plate(n: usize) -> String {
    let l = |k: usize| PLATE_LETTERS[(n / k) % PLATE_LETTERS.len()];
    format!("{}{:03}{}{}{}", l(1), n % 1000, l(7), l(13), 77 + n % 100)
}

fn folder_name(n: usize) -> String {
    let name = format!("ЗН-{n:06} {}", plate(n));
    if n.is_multiple_of(20) {
        format!("{name} {CLOSED}")
    } else {
        name
    }
}

fn bench_size(size: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for n in 0..size {
        std::fs::create_dir(root.join(folder_name(n))).expect("mkdir");
    }
    let now = Utc::now();

    let (scan_time, orders) = median_of(3, || {
        scan::scan_root(root, CLOSED, &mut MemoryLedger::default(), now).expect("scan")
    });
    // Every folder here was born today; spread them over three years so the calendar queries
    // see a realistic month (about 1/36 of all orders).
    let step = Span::seconds(3 * 365 * 24 * 3600 / size as i64);
    let mut orders = orders;
    orders.sort_by(|a, b| a.folder.cmp(&b.folder));
    for (i, order) in orders.iter_mut().enumerate() {
        order.created = now - step * i as i32;
        order.date = order.created.with_timezone(&Local).date_naive();
    }
    let middle = orders[orders.len() / 2].date;
    let mut index = OrderIndex::new();
    // The scan's own list is not part of what the index keeps: copy it inside the region.
    let held = Region::new(ALLOCATOR);
    index.replace_all(orders.clone(), now);
    memory(size, "index", live_bytes(&held), index.len());
    drop(orders);

    // The naive approach has no scan of its own: it pays a listing on every query instead.
    let naive_scan = time_once(|| naive_list(root).len());
    report(size, "initial scan", scan_time, None);

    let queries = [
        "а123",
        "A123BC",
        "ЗН-0045",
        "777",
        "х9",
        "012345",
        "ТУ",
        "ВС99",
    ];
    let search = median_per_call(&queries, |q| index.search(q, 0, 10).total);
    let naive_search = median_per_call(&queries[..2], |q| naive_search(root, q));
    report(size, "search", search, Some(naive_search));

    let (year, month) = (middle.year(), middle.month());
    let calendar = median_of(50, || index.month_counts(year, month).len()).0;
    let naive_calendar = median_of(2, || naive_month_counts(root, year, month).len()).0;
    report(size, "month calendar", calendar, Some(naive_calendar));

    let day = median_of(50, || index.on_day(middle, 0, 10).total).0;
    let naive_day = median_of(2, || naive_day(root, middle)).0;
    report(size, "day listing", day, Some(naive_day));

    let mut n = size;
    let refresh = median_of(20, || {
        n += 1;
        let name = folder_name(n + usize::from(n.is_multiple_of(20)));
        std::fs::create_dir(root.join(&name)).expect("mkdir");
        let order = scan::scan_folder(root, &name, CLOSED, &mut MemoryLedger::default(), now);
        index.upsert(order.expect("new order"));
    })
    .0;
    report(
        size,
        "refresh after one new folder",
        refresh,
        Some(naive_scan),
    );
    bench_phones(root, &index);
}

/// The phone directory: which orders list a client's phone (every client message asks), and
/// the periodic check of the phone files for numbers added later.
fn bench_phones(root: &Path, index: &OrderIndex) {
    let size = index.len();
    let folders: Vec<String> = index.recent(size).into_iter().map(|o| o.folder).collect();
    for (i, folder) in folders.iter().enumerate() {
        let phone = format!(
            "+7 (9{:02}) {:03}-{:02}-{:02}",
            i % 100,
            i % 1000,
            i % 97,
            i % 89
        );
        std::fs::write(root.join(folder).join("phone.txt"), phone).expect("phone file");
    }
    let mut directory = PhoneDirectory::default();
    let held = Region::new(ALLOCATOR);
    let first = time_once(|| {
        directory
            .refresh(root, folders.iter().map(String::as_str), "phone.txt", "7")
            .len()
    });
    memory(size, "phone directory", live_bytes(&held), size);
    report(size, "phone files: first read", first, None);
    let unchanged = median_of(3, || {
        directory
            .refresh(root, folders.iter().map(String::as_str), "phone.txt", "7")
            .len()
    })
    .0;
    report(size, "phone files: check, nothing changed", unchanged, None);
    let wanted = Phone::normalize("+7 (912) 012-12-12", "7").expect("phone");
    let lookup = median_of(20, || directory.folders_of(&wanted).len()).0;
    let naive_lookup = time_once(|| {
        folders
            .iter()
            .filter(|f| order_phones(root, f, "phone.txt", "7").contains(&wanted))
            .count()
    });
    report(
        size,
        "orders of a client's phone",
        lookup,
        Some(naive_lookup),
    );
}

/// Bytes allocated and not freed since `region` began.
fn live_bytes(region: &Region<'_, System>) -> isize {
    let change = region.change();
    // Growing or shrinking reallocations are already in the two totals.
    change.bytes_allocated as isize - change.bytes_deallocated as isize
}

fn memory(size: usize, what: &str, bytes: isize, orders: usize) {
    println!(
        "| {size} | memory held by the {what} | {:.1} MB ({} bytes an order) | – | – |",
        bytes as f64 / 1e6,
        bytes / orders.max(1) as isize
    );
}

fn report(size: usize, operation: &str, index: Duration, naive: Option<Duration>) {
    let (naive_text, ratio) = match naive {
        Some(naive) => (
            format_duration(naive),
            format!(
                "{:.0}×",
                naive.as_secs_f64() / index.as_secs_f64().max(1e-9)
            ),
        ),
        None => ("–".to_owned(), "–".to_owned()),
    };
    println!(
        "| {size} | {operation} | {} | {naive_text} | {ratio} |",
        format_duration(index)
    );
}

fn format_duration(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else if micros < 1e6 {
        format!("{:.2} ms", micros / 1e3)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

fn median_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = black_box(f());
        times.push(start.elapsed());
        last = Some(value);
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn median_per_call(queries: &[&str], mut f: impl FnMut(&str) -> usize) -> Duration {
    let mut times = Vec::new();
    for _ in 0..5 {
        for query in queries {
            let start = Instant::now();
            black_box(f(query));
            times.push(start.elapsed());
        }
    }
    times.sort();
    times[times.len() / 2]
}

fn time_once<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

/// The previous bot: list the root on every query.
fn naive_list(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| OrderName::parse(name, CLOSED).is_some_and(|o| !o.closed))
        .collect()
}

fn naive_search(root: &Path, query: &str) -> usize {
    let needle = search_key::fold(query);
    naive_list(root)
        .iter()
        .filter(|name| search_key::fold(name).contains(&needle))
        .count()
}

fn naive_dates(root: &Path) -> Vec<NaiveDate> {
    naive_list(root)
        .iter()
        .filter_map(|name| std::fs::metadata(root.join(name)).ok()?.created().ok())
        .map(|created| {
            Local
                .from_utc_datetime(&chrono::DateTime::<Utc>::from(created).naive_utc())
                .date_naive()
        })
        .collect()
}

fn naive_month_counts(root: &Path, year: i32, month: u32) -> BTreeMap<u32, usize> {
    let mut counts = BTreeMap::new();
    for date in naive_dates(root)
        .into_iter()
        .filter(|d| d.year() == year && d.month() == month)
    {
        *counts.entry(date.day()).or_insert(0) += 1;
    }
    counts
}

fn naive_day(root: &Path, day: NaiveDate) -> usize {
    naive_dates(root).into_iter().filter(|d| *d == day).count()
}
