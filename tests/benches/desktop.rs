//! The desktop app measured as a user meets it: the release `servicebot-desktop` binary (built
//! as production builds it, with the UI embedded) on an Xvfb display with a system tray
//! (`trayer`), a fake Bot API server, and an orders folder of 100 000 order folders (a quarter
//! with a phone file), made once and shared by every run. Run with
//! `cargo bench -p servicebot-tests --bench desktop` after
//! `cargo build --release --locked -p servicebot-desktop --features tauri/custom-protocol`
//! (and `npm run build` in `ui/`); it prints one Markdown table, medians of 5 runs.
//!
//! - cold start: the app started as at login (`--hidden`) → its icon docked in the tray
//!   (`xwininfo`), and → the bot's first `getUpdates` at the fake (polled every 10 ms). Each run
//!   is a new process quit with SIGTERM (a graceful exit); the files are in the page cache;
//! - window open: a second launch (a double click: the single-instance plugin wakes the first
//!   one, which starts its window's process, and the second ends) → a window named ServiceBot
//!   on the display;
//! - page ready: a WebDriver session (the driver starts the app with its window) → the page's
//!   `body[data-ready='true']`, polled every 10 ms;
//! - status change → window: Telegram going away (the fake drops the bot's long poll) → the
//!   status page's headline in the error state, and the Stop button pressed → "Остановлен".
//!   A `MutationObserver` in the page notes the change and the next animation frame with
//!   `Date.now()`, compared with the wall clock when the bench acted (one machine, one clock);
//!   the round trip seen by the bench is given too;
//! - memory: PSS (`/proc/<pid>/smaps_rollup`) and RSS summed over the app and all its
//!   descendants (the webview's WebKitWebProcess, WebKitNetworkProcess…), started hidden, with
//!   the window open, and after the window is closed (its process and the webview's gone).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "benchmark: a failure must stop the run, and the table is its output"
)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use servicebot_tests::desktop::Desktop;
use servicebot_tests::webdriver::Session;

const ORDERS: usize = 100_000;
const RUNS: usize = 5;
/// Runs with an empty orders folder, for the memory comparison.
const EMPTY_RUNS: usize = 3;
/// The tray icon's X window class (the tray-icon crate's, with the app's id).
const TRAY_CLASS: &str = "tray-icon tray app";
const WINDOW: &str = "ServiceBot";
const POLL: Duration = Duration::from_millis(10);
const TIMEOUT: Duration = Duration::from_secs(60);
/// How long the app is left to settle before its memory is read.
const SETTLE: Duration = Duration::from_secs(3);

const TRAY_TARGET: Duration = Duration::from_millis(1500);
const POLL_TARGET: Duration = Duration::from_secs(2);
const WINDOW_TARGET: Duration = Duration::from_millis(500);
const STATUS_TARGET: Duration = Duration::from_millis(200);
const MEMORY_CLOSED_TARGET_MB: f64 = 80.0;

fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("comparable"));
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn yes(met: bool) -> &'static str {
    if met { "yes" } else { "**no**" }
}

/// Milliseconds since the Unix epoch, as the page's `Date.now()` counts them.
fn wall_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs_f64()
        * 1000.0
}

fn from_ms(ms: f64) -> Duration {
    Duration::from_secs_f64(ms.max(0.0) / 1000.0)
}

/// Polls `condition` every 10 ms; returns how long it took to hold (panics after a minute).
fn time_until(started: Instant, what: &str, mut condition: impl FnMut() -> bool) -> Duration {
    loop {
        if condition() {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "{what}: not within {TIMEOUT:?}"
        );
        std::thread::sleep(POLL);
    }
}

// ---------------------------------------------------------------------------------------------
// The orders folder

const PLATE_LETTERS: [char; 12] = ['А', 'В', 'Е', 'К', 'М', 'Н', 'О', 'Р', 'С', 'Т', 'У', 'Х'];

fn folder_name(n: usize) -> String {
    let l = |k: usize| PLATE_LETTERS[(n / k) % PLATE_LETTERS.len()];
    format!(
        "ЗН-{n:07} {}{:03}{}{}{}",
        l(1),
        n % 1000,
        l(7),
        l(13),
        77 + n % 100
    )
}

fn create_orders(root: &Path) {
    for n in 0..ORDERS {
        let folder = root.join(folder_name(n));
        std::fs::create_dir(&folder).expect("order folder");
        if n % 4 == 0 {
            let phone = format!(
                "+7 (9{:02}) {:03}-{:02}-{:02}\n",
                n % 100,
                n % 1000,
                n % 97,
                n % 89
            );
            std::fs::write(folder.join("phone.txt"), phone).expect("phone file");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Processes and memory

/// Every process's parent, from `/proc/<pid>/stat`.
fn parents() -> HashMap<u32, u32> {
    let mut parents = HashMap::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
            parents.insert(pid, ppid);
        }
    }
    parents
}

/// `pid` and all its descendants.
fn tree(pid: u32) -> Vec<u32> {
    let parents = parents();
    let mut all = vec![pid];
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        all.extend(
            parents
                .iter()
                .filter(|&(_, &p)| p == parent)
                .map(|(&child, _)| child),
        );
        i += 1;
    }
    all
}

/// A `kB` field of a `/proc` file.
fn kb_field(path: &str, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Memory of a process tree, in MB: PSS (anonymous part apart) and RSS, per process.
#[derive(Debug, Clone)]
struct Memory {
    pss: f64,
    rss: f64,
    /// `(name, PSS, anonymous PSS)` of each process.
    processes: Vec<(String, f64, f64)>,
}

fn memory(pid: u32) -> Memory {
    let mut memory = Memory {
        pss: 0.0,
        rss: 0.0,
        processes: Vec::new(),
    };
    let mb = |kb: u64| kb as f64 / 1024.0;
    for pid in tree(pid) {
        let rollup = format!("/proc/{pid}/smaps_rollup");
        let pss = kb_field(&rollup, "Pss:");
        let anon = kb_field(&rollup, "Pss_Anon:").unwrap_or(0);
        let rss = kb_field(&format!("/proc/{pid}/status"), "VmRSS:");
        if let (Some(pss), Some(rss)) = (pss, rss) {
            memory.pss += mb(pss);
            memory.rss += mb(rss);
            let name = std::fs::read_link(format!("/proc/{pid}/exe"))
                .ok()
                .and_then(|exe| Some(exe.file_name()?.to_string_lossy().into_owned()))
                .unwrap_or_else(|| format!("pid {pid}"));
            memory.processes.push((name, mb(pss), mb(anon)));
        }
    }
    memory
}

fn median_memory(samples: &[Memory]) -> Memory {
    let pick = median(samples.iter().map(|m| m.pss).collect());
    samples
        .iter()
        .find(|m| m.pss == pick)
        .cloned()
        .expect("a sample")
}

fn describe(memory: &Memory) -> String {
    let mut processes = memory.processes.clone();
    processes.sort_by(|a, b| b.1.partial_cmp(&a.1).expect("comparable"));
    let each: Vec<String> = processes
        .iter()
        .map(|(name, pss, anon)| format!("{name} {pss:.0} (heap {anon:.0})"))
        .collect();
    format!(
        "{:.0} MB PSS ({:.0} MB RSS): {}",
        memory.pss,
        memory.rss,
        each.join(", ")
    )
}

/// Quits the app as a logout does (SIGTERM: the bot stopped gracefully, exit 0), and
/// waits until it is gone (process, tray icon, D-Bus name).
fn quit(desktop: &Desktop, mut app: Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &app.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "SIGTERM sent");
    let started = Instant::now();
    time_until(started, "the app exits", || {
        app.try_wait().expect("wait").is_some()
    });
    let exit = app.wait().expect("exit status");
    assert!(
        exit.success(),
        "a graceful exit: {exit:?}\n{}",
        desktop.app_log()
    );
    wait_gone(desktop);
}

/// Whether an instance still holds its single-instance name on the display's D-Bus session
/// (a new launch would hand over to it).
fn instance_on_bus(desktop: &Desktop) -> bool {
    let output = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &desktop.gui.dbus)
        .output()
        .expect("dbus-send");
    String::from_utf8_lossy(&output.stdout)
        .to_lowercase()
        .contains("servicebot")
}

/// Waits until the app is gone: no process, no tray icon, no name on the bus.
fn wait_gone(desktop: &Desktop) {
    let started = Instant::now();
    time_until(started, "the app ends", || {
        driven_app(desktop).is_none()
            && desktop.gui.docked_geometry(TRAY_CLASS).is_none()
            && !instance_on_bus(desktop)
    });
}

/// The app's process, if one runs (the one whose command line has this installation's config).
fn driven_app(desktop: &Desktop) -> Option<u32> {
    let config = desktop.config_path.display().to_string();
    let binary = servicebot_tests::desktop::desktop_binary();
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            exe.as_deref() == Some(binary.as_path())
                && String::from_utf8_lossy(&cmdline).contains(&config)
        })
}

// ---------------------------------------------------------------------------------------------
// One hidden start: cold start, window, memory

struct HiddenRun {
    tray: Duration,
    first_poll: Duration,
    window: Duration,
    hidden: Memory,
    open: Memory,
    closed: Memory,
    /// How long after the close request the webview's processes were gone, if they went.
    closed_after: Option<Duration>,
}

fn hidden_run(desktop: &Desktop) -> HiddenRun {
    let polls = desktop.fake.requests("getUpdates");
    let started = Instant::now();
    let mut app = desktop.launch_hidden();
    let (mut tray, mut first_poll) = (None, None);
    while tray.is_none() || first_poll.is_none() {
        if tray.is_none()
            && desktop
                .gui
                .docked_geometry(TRAY_CLASS)
                .is_some_and(|(_, _, w, _)| w > 1)
        {
            tray = Some(started.elapsed());
        }
        if first_poll.is_none() && desktop.fake.requests("getUpdates") > polls {
            first_poll = Some(started.elapsed());
        }
        assert!(
            app.try_wait().expect("wait").is_none(),
            "the app ended:\n{}",
            desktop.app_log()
        );
        assert!(
            started.elapsed() < TIMEOUT,
            "no tray icon ({tray:?}) or no poll ({first_poll:?}):\n{}",
            desktop.app_log()
        );
        std::thread::sleep(POLL);
    }
    assert_eq!(desktop.gui.windows_named(WINDOW), 0, "started hidden");
    std::thread::sleep(SETTLE);
    let pid = app.id();
    let hidden = memory(pid);

    // A second launch wakes this one's window.
    let window = std::thread::scope(|scope| {
        let started = Instant::now();
        let second = scope.spawn(|| desktop.launch_again());
        let window = time_until(started, "the window opens", || {
            desktop.gui.windows_named(WINDOW) == 1
        });
        let second = second.join().expect("second launch");
        assert!(
            second.success(),
            "the second launch ends cleanly: {second:?}"
        );
        window
    });
    std::thread::sleep(SETTLE);
    let open = memory(pid);

    desktop.gui.close_window(WINDOW);
    let asked = Instant::now();
    time_until(asked, "the window closes", || {
        desktop.gui.windows_named(WINDOW) == 0
    });
    let mut closed_after = None;
    while asked.elapsed() < Duration::from_secs(10) {
        if tree(pid).len() == 1 {
            closed_after = Some(asked.elapsed());
            break;
        }
        std::thread::sleep(POLL);
    }
    std::thread::sleep(SETTLE);
    let closed = memory(pid);
    quit(desktop, app);
    eprintln!(
        "  tray {tray:?}, first poll {first_poll:?}, window {window:?}, PSS hidden {:.0} / open \
         {:.0} / closed {:.0} MB, webview gone {closed_after:?}",
        hidden.pss, open.pss, closed.pss
    );
    HiddenRun {
        tray: tray.expect("tray"),
        first_poll: first_poll.expect("poll"),
        window,
        hidden,
        open,
        closed,
        closed_after,
    }
}

// ---------------------------------------------------------------------------------------------
// The window under WebDriver: page ready, status changes

/// Starts the app through the driver; returns the session and how long until the page was
/// ready.
async fn driven_start(desktop: &Desktop) -> (Session, Duration) {
    let started = Instant::now();
    let args = vec![
        "--config".to_owned(),
        desktop.config_path.display().to_string(),
    ];
    let session = desktop
        .gui
        .launch(
            &desktop.app_env(),
            &servicebot_tests::desktop::desktop_binary(),
            &args,
        )
        .await;
    loop {
        if session.find("body[data-ready='true']").await.is_some() {
            break;
        }
        assert!(started.elapsed() < TIMEOUT, "the page never got ready");
        tokio::time::sleep(POLL).await;
    }
    (session, started.elapsed())
}

/// Installs an observer that resolves `window.__benchChange` once the headline's state is
/// `want`, with `Date.now()` then and at the next animation frame.
const WATCH: &str = "
const [want] = arguments;
window.__benchChange = new Promise((resolve) => {
  const check = () => {
    const el = document.querySelector(\"[data-testid='bot-headline']\");
    if (!el || el.dataset.state !== want) return;
    observer.disconnect();
    const changed = Date.now();
    requestAnimationFrame(() => resolve({ changed, painted: Date.now(), text: el.textContent }));
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
return document.querySelector(\"[data-testid='bot-headline']\")?.dataset.state ?? null;";

const AWAIT_CHANGE: &str =
    "const done = arguments[arguments.length - 1]; window.__benchChange.then(done);";

/// A change seen by the page: until its DOM changed, until the next frame, and the round trip
/// to the bench.
struct Change {
    changed: Duration,
    painted: Duration,
    round_trip: Duration,
}

/// Watches for the headline reaching `want`, runs `act`, and times the change.
async fn time_change(session: &Session, want: &str, act: impl AsyncFnOnce()) -> Change {
    let before = session.execute(WATCH, json!([want])).await;
    assert_ne!(before, Value::from(want), "already {want}");
    let wall = wall_ms();
    let started = Instant::now();
    act().await;
    let seen = session.execute_async(AWAIT_CHANGE, json!([])).await;
    let round_trip = started.elapsed();
    let at = |key: &str| {
        seen[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} in {seen}"))
    };
    eprintln!("  {want}: {seen}, round trip {round_trip:?}");
    Change {
        changed: from_ms(at("changed") - wall),
        painted: from_ms(at("painted") - wall),
        round_trip,
    }
}

async fn wait_running(session: &Session) {
    session
        .wait_for("[data-testid='bot-headline'][data-state='running']")
        .await;
}

fn change_row(label: &str, changes: &[Change], rows: &mut Vec<Row>) {
    let changed = median(changes.iter().map(|c| c.changed).collect());
    let painted = median(changes.iter().map(|c| c.painted).collect());
    let round_trip = median(changes.iter().map(|c| c.round_trip).collect());
    rows.push(Row::new(
        label,
        format!(
            "{} (DOM changed {}; seen by the bench {})",
            ms(painted),
            ms(changed),
            ms(round_trip)
        ),
        format!("≤ {}", ms(STATUS_TARGET)),
        Some(painted <= STATUS_TARGET),
    ));
}

// ---------------------------------------------------------------------------------------------

struct Row {
    measurement: String,
    ours: String,
    target: String,
    met: String,
}

impl Row {
    fn new(
        measurement: impl Into<String>,
        ours: impl Into<String>,
        target: impl Into<String>,
        met: Option<bool>,
    ) -> Self {
        Self {
            measurement: measurement.into(),
            ours: ours.into(),
            target: target.into(),
            met: met.map_or("–", yes).into(),
        }
    }
}

fn main() {
    let binary = servicebot_tests::profile_dir().join(format!(
        "servicebot-desktop{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        binary.exists(),
        "{} is missing: build the release app as production does first:\n  (cd ui && npm run build)\n  \
         cargo build --release --locked -p servicebot-desktop --features tauri/custom-protocol",
        binary.display()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // The fake Telegram server runs on the runtime's workers; the measuring loops below block
    // only this thread.
    let desktop = runtime.block_on(Desktop::configured(""));
    desktop.write_ready_config();
    eprintln!("creating {ORDERS} order folders");
    let started = Instant::now();
    create_orders(&desktop.root);
    eprintln!("created in {:.1} s", started.elapsed().as_secs_f64());
    // The tray must be there before the app starts, or its icon never docks.
    let mapped = desktop.gui.mapped_windows();
    desktop.gui.start_tray_host();
    time_until(Instant::now(), "the tray host's panel", || {
        desktop.gui.mapped_windows() > mapped
    });
    std::thread::sleep(Duration::from_millis(500));
    let mut rows = Vec::new();

    let mut runs = Vec::new();
    for run in 1..=RUNS {
        eprintln!("hidden start {run}/{RUNS}");
        runs.push(hidden_run(&desktop));
    }
    let tray = median(runs.iter().map(|r| r.tray).collect());
    let first_poll = median(runs.iter().map(|r| r.first_poll).collect());
    let window = median(runs.iter().map(|r| r.window).collect());
    rows.push(Row::new(
        "cold start (`--hidden`) → icon in the tray",
        ms(tray),
        format!("≤ {}", ms(TRAY_TARGET)),
        Some(tray <= TRAY_TARGET),
    ));
    rows.push(Row::new(
        "cold start (`--hidden`) → the bot's first `getUpdates`",
        ms(first_poll),
        format!("≤ {}", ms(POLL_TARGET)),
        Some(first_poll <= POLL_TARGET),
    ));
    rows.push(Row::new(
        "window open: second launch → window on screen",
        ms(window),
        format!("≤ {}", ms(WINDOW_TARGET)),
        Some(window <= WINDOW_TARGET),
    ));

    eprintln!("WebDriver sessions");
    let mut ready = Vec::new();
    let mut session = None;
    for run in 1..=RUNS {
        eprintln!("session {run}/{RUNS}");
        let (started, took) = runtime.block_on(driven_start(&desktop));
        ready.push(took);
        if run < RUNS {
            runtime.block_on(started.quit());
            wait_gone(&desktop);
        } else {
            session = Some(started);
        }
    }
    let ready = median(ready);
    rows.push(Row::new(
        "WebDriver session start (app started with its window) → page ready",
        ms(ready),
        "–",
        None,
    ));

    let session = session.expect("the last session");
    let (offline, stopped) = runtime.block_on(async {
        wait_running(&session).await;
        let mut offline = Vec::new();
        for run in 1..=RUNS {
            eprintln!("Telegram away {run}/{RUNS}");
            offline.push(
                time_change(&session, "error", async || desktop.fake.set_offline(true)).await,
            );
            desktop.fake.set_offline(false);
            wait_running(&session).await;
        }
        let mut stopped = Vec::new();
        for run in 1..=RUNS {
            eprintln!("Stop pressed {run}/{RUNS}");
            // Past the phone-file check a freshly started bot makes at once (a stop waits for
            // a check in progress; the next one is 3 s or more away).
            tokio::time::sleep(Duration::from_secs(1)).await;
            let stop = session.wait_for("[data-testid='bot-stop']").await;
            stopped
                .push(time_change(&session, "stopped", async || session.click(&stop).await).await);
            let start = session.wait_for("[data-testid='bot-start']").await;
            session.click(&start).await;
            wait_running(&session).await;
        }
        (offline, stopped)
    });
    change_row(
        "status change → window: Telegram drops the long poll → headline \"Ошибка: Нет связи…\" drawn",
        &offline,
        &mut rows,
    );
    change_row(
        "status change → window: Stop pressed → headline \"Остановлен\" drawn (includes the stop)",
        &stopped,
        &mut rows,
    );
    runtime.block_on(session.quit());
    wait_gone(&desktop);

    // The same app with no orders, to show what the 100 000 cost.
    let empty_root = desktop.dir.path().join("empty");
    std::fs::create_dir_all(&empty_root).expect("empty folder");
    let config = std::fs::read_to_string(&desktop.config_path).expect("config");
    let full_root = format!("{:?}", desktop.root.to_string_lossy());
    let empty_config = config.replace(&full_root, &format!("{:?}", empty_root.to_string_lossy()));
    assert_ne!(config, empty_config, "the orders folder is in the config");
    std::fs::write(&desktop.config_path, empty_config).expect("config");
    let mut empty = Vec::new();
    for run in 1..=EMPTY_RUNS {
        eprintln!("hidden start, empty orders folder {run}/{EMPTY_RUNS}");
        empty.push(hidden_run(&desktop).hidden);
    }
    let empty = median_memory(&empty);

    let hidden = median_memory(&runs.iter().map(|r| r.hidden.clone()).collect::<Vec<_>>());
    let open = median_memory(&runs.iter().map(|r| r.open.clone()).collect::<Vec<_>>());
    let closed = median_memory(&runs.iter().map(|r| r.closed.clone()).collect::<Vec<_>>());
    rows.push(Row::new(
        "memory, started hidden (window never opened)",
        describe(&hidden),
        format!("≤ {MEMORY_CLOSED_TARGET_MB:.0} MB"),
        Some(hidden.pss <= MEMORY_CLOSED_TARGET_MB),
    ));
    rows.push(Row::new("memory, window open", describe(&open), "–", None));
    rows.push(Row::new(
        "memory, started hidden, with an empty orders folder (for comparison)",
        describe(&empty),
        "–",
        None,
    ));
    let gone: Vec<_> = runs.iter().filter_map(|r| r.closed_after).collect();
    let gone = if gone.is_empty() {
        "the webview's processes still there after 10 s".to_owned()
    } else {
        format!(
            "the webview's processes gone {} after the close in {}/{RUNS} runs",
            ms(median(gone.clone())),
            gone.len()
        )
    };
    rows.push(Row::new(
        format!("memory, window closed again ({gone})"),
        describe(&closed),
        format!("≤ {MEMORY_CLOSED_TARGET_MB:.0} MB"),
        Some(closed.pss <= MEMORY_CLOSED_TARGET_MB),
    ));

    println!(
        "| {} orders, release build, medians of {RUNS} | ServiceBot | target | met? |",
        ORDERS
    );
    println!("|---|---:|---|---|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {} |",
            row.measurement, row.ours, row.target, row.met
        );
    }
}
